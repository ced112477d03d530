"""Sales plans over XML-RPC and the web client's JSON-RPC, as the head, a
team leader and a salesperson of the demo department."""
import xmlrpc.client
from datetime import date

import pytest

THIS_MONTH = [("period_kind", "=", "month"), ("is_current", "=", True)]
FIELDS = ["subject", "user_id", "team_id", "plan_amount", "actual_amount", "plan_source", "fulfilment"]


@pytest.fixture(scope="module")
def head(rpc):
    return rpc("head")


@pytest.fixture(scope="module")
def uids(head):
    users = head.call("res.users", "search_read", [("login", "in", ["sidorova", "petrov", "smirnova", "popov"])],
                      fields=["login"])
    return {u["login"]: u["id"] for u in users}


@pytest.fixture(scope="module")
def head_rows(head):
    return head.call("sales.plan.report", "search_read", THIS_MONTH, fields=FIELDS)


def test_head_sees_every_salesperson_and_team_this_month(head_rows):
    users = {r["user_id"][0] for r in head_rows if r["subject"] == "user"}
    teams = {r["team_id"][1] for r in head_rows if r["subject"] == "team"}
    assert len(users) == 6
    assert {"Отдел продаж: Москва", "Отдел продаж: Регионы"} <= teams
    sources = {r["plan_source"] for r in head_rows}
    assert {"entered", "members"} <= sources, "a team entered and a team summed from its members"
    assert all(r["plan_amount"] > 0 for r in head_rows)


def test_demo_has_managers_ahead_and_behind(head):
    rows = head.call("sales.plan.report", "search_read",
                     [("subject", "=", "user"), ("period_kind", "=", "quarter"), ("date_end", "<", str(date.today()))],
                     fields=["fulfilment"])
    assert rows
    assert any(r["fulfilment"] >= 100 for r in rows) and any(r["fulfilment"] < 100 for r in rows)


def test_actual_is_the_sum_of_won_deals(head, head_rows, uids):
    row = next(r for r in head_rows if r["user_id"] and r["user_id"][0] == uids["sidorova"])
    month = head.call("sales.plan.report", "search_read", THIS_MONTH + [("user_id", "=", uids["sidorova"])],
                      fields=["date_start", "date_end"])[0]
    deals = head.call("crm.lead", "search_read", [
        ("plan_user_id", "=", uids["sidorova"]), ("stage_id.probability", "=", 100),
        ("date_closed", ">=", month["date_start"] + " 00:00:00"),
        ("date_closed", "<=", month["date_end"] + " 23:59:59")], fields=["planned_revenue"])
    assert row["actual_amount"] == pytest.approx(sum(d["planned_revenue"] for d in deals))


def test_salesperson_sees_only_his_own(rpc, head_rows, uids):
    sidorova = rpc("sidorova")
    rows = sidorova.call("sales.plan.report", "search_read", [], fields=FIELDS)
    assert rows and {r["user_id"][0] for r in rows if r["user_id"]} == {uids["sidorova"]}
    assert all(r["subject"] == "user" for r in rows)
    groups = sidorova.call("sales.plan.report", "read_group", [], ["user_id", "plan_amount"], ["user_id"])
    assert [g["user_id"][0] for g in groups] == [uids["sidorova"]]
    plans = sidorova.call("sales.plan", "search_read", [], fields=["user_id"])
    assert {p["user_id"][0] for p in plans} == {uids["sidorova"]}
    chart = sidorova.call("sales.plan.chart", "search_read", [], fields=["user_id"])
    assert {c["user_id"][0] for c in chart} == {uids["sidorova"]}
    # Read by id and export of another's row are refused.
    other = next(r for r in head_rows if r["user_id"] and r["user_id"][0] == uids["popov"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.report", "read", [other["id"]], fields=["plan_amount"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.plan.report", "export_data", [other["id"]], ["plan_amount"])
    own = [r["id"] for r in rows]
    exported = sidorova.call("sales.plan.report", "export_data", own, ["user_id", "plan_amount"])
    assert len(exported["datas"]) == len(own)


def test_team_leader_sees_his_team_only(rpc, uids):
    petrov = rpc("petrov")
    rows = petrov.call("sales.plan.report", "search_read", THIS_MONTH, fields=FIELDS)
    assert {r["team_id"][1] for r in rows} == {"Отдел продаж: Москва"}
    assert uids["sidorova"] in {r["user_id"][0] for r in rows if r["user_id"]}
    assert any(r["subject"] == "team" for r in rows)
    progress = petrov.call("sales.plan.progress", "search_read", [], fields=["team_id"])
    assert progress and {p["team_id"][1] for p in progress} == {"Отдел продаж: Москва"}


def test_only_the_head_writes_plans_and_refusals_are_clear(rpc, head, uids):
    petrov = rpc("petrov")
    period = head.call("date.range", "search_read", [("type_id.sales_plan_kind", "=", "month"),
                                                     ("date_start", "<=", str(date.today())),
                                                     ("date_end", ">=", str(date.today()))], fields=["id"])[0]
    with pytest.raises(xmlrpc.client.Fault):
        petrov.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"]})
    with pytest.raises(xmlrpc.client.Fault, match="already a plan|уже есть план"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"],
                                           "amount_target": 1})
    team_reg = head.call("crm.team", "search", [("name", "=", "Отдел продаж: Регионы")])[0]
    next_year = head.call("date.range", "search", [("type_id.sales_plan_kind", "=", "month"),
                                                   ("date_start", "=", "%d-06-01" % (date.today().year + 1))])
    with pytest.raises(xmlrpc.client.Fault, match="not a member|не входит"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "team_id": team_reg,
                                           "date_range_id": next_year[0]})
    with pytest.raises(xmlrpc.client.Fault, match="negative|отрицательным"):
        head.call("sales.plan", "create", {"user_id": uids["sidorova"], "date_range_id": period["id"],
                                           "amount_target": -5})


def test_report_action_opens_on_this_month(head):
    action = head.call_kw("ir.actions.act_window", "search_read",
                          [("res_model", "=", "sales.plan.report")], fields=["context", "view_mode"])
    assert action and "search_default_this_month" in action[0]["context"]
    groups = head.call_kw("sales.plan.report", "read_group", THIS_MONTH + [("subject", "=", "user")],
                          ["user_id", "plan_amount", "actual_amount", "fulfilment"], ["user_id"])
    assert len(groups) == 6
    for group in groups:
        assert group["fulfilment"] == pytest.approx(100.0 * group["actual_amount"] / group["plan_amount"])
