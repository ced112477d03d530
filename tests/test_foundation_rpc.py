"""The stack as a newcomer meets it: the demo department over XML-RPC."""
from collections import Counter

import pytest


def inn_is_valid(inn):
    digits = [int(c) for c in inn]
    if len(digits) == 10:
        weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
        return digits[9] == sum(d * w for d, w in zip(digits, weights)) % 11 % 10
    if len(digits) == 12:
        w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
        w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
        return (digits[10] == sum(d * w for d, w in zip(digits, w11)) % 11 % 10
                and digits[11] == sum(d * w for d, w in zip(digits, w12)) % 11 % 10)
    return False


@pytest.fixture(scope="module")
def head(rpc):
    return rpc("head")


def test_demo_department_has_a_head_two_teams_and_six_managers(head):
    teams = head.call("crm.team", "search_read", [("name", "like", "Отдел продаж")],
                      fields=["name", "user_id", "member_ids"])
    assert len(teams) == 2
    members = [m for team in teams for m in team["member_ids"]]
    assert len(set(members)) == 6
    users = head.call("res.users", "read", members, fields=["lang", "tz"])
    assert {u["lang"] for u in users} == {"ru_RU"}
    assert {u["tz"] for u in users} == {"Europe/Moscow"}


def test_demo_clients_carry_valid_inn(head):
    # Scenarios that run before this one add clients of their own, some
    # without an INN: the demo's are those with one.
    clients = head.call("res.partner", "search_read", [("is_company", "=", True), ("customer", "=", True),
                                                       ("vat", "!=", False)], fields=["name", "vat", "city"])
    assert len(clients) >= 50
    assert all(inn_is_valid(c["vat"]) for c in clients), [c for c in clients if not inn_is_valid(c["vat"])]
    assert any("ООО «" in c["name"] for c in clients)


def test_demo_deals_cover_a_year_every_stage_won_and_lost(head):
    deals = head.call("crm.lead", "search_read", ["|", ("active", "=", True), ("active", "=", False)],
                      fields=["stage_id", "probability", "active", "create_date", "user_id", "type"],
                      context={"active_test": False})
    assert len(deals) >= 200
    stages = Counter(d["stage_id"][1] for d in deals if d["stage_id"] and d["active"])
    assert len(stages) >= 5, stages
    won = [d for d in deals if d["active"] and d["probability"] == 100]
    lost = [d for d in deals if not d["active"]]
    assert won and lost
    months = {d["create_date"][:7] for d in deals}
    assert len(months) >= 12, months
    assert len({d["user_id"][0] for d in deals if d["user_id"]}) == 6


def test_company_works_in_roubles_in_moscow(head):
    company = head.call("res.company", "search_read", [], fields=["currency_id", "country_id", "name"])[0]
    assert company["currency_id"][1] == "RUB"
    assert company["name"] == "ООО «ТехноСнаб»"


def test_head_and_salesman_log_in_over_json_rpc(rpc):
    for login in ("head", "sidorova"):
        user = rpc(login)
        info = user.jsonrpc("/web/session/get_session_info")
        assert info["uid"] == user.uid
        assert info["user_context"]["lang"] == "ru_RU"


def test_wrong_password_is_refused(odoo_server):
    import xmlrpc.client
    common = xmlrpc.client.ServerProxy(odoo_server.url + "/xmlrpc/2/common")
    assert common.authenticate(odoo_server.db, "head", "wrong", {}) is False
