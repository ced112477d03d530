"""Issue 14, overdue debts chase themselves, over RPC against the real
server: the administrator runs the daily chase as Odoo's scheduler would;
the demo salesman Сидорова sees only the chases and call activities of her
own clients, cannot start or move a chase, reads a schedule line by a name
a person understands, and her call marked done is linked to the chase."""
import uuid
from datetime import date, timedelta

import pytest

from test_receivables_trust_rpc import day, refused


@pytest.fixture(scope="module")
def chased(rpc):
    """A deal of Сидорова and one of Кузнецов, each with a contract whose
    receipt was due yesterday, made by the head; the chase run once by the
    administrator (ir.cron's "Run manually")."""
    admin, head = rpc("admin", "admin"), rpc("head")
    sidorova, kuznetsov = rpc("sidorova"), rpc("kuznetsov")
    tag = uuid.uuid4().hex[:6]
    made = {}
    for user in (sidorova, kuznetsov):
        client = head.call("res.partner", "create", {"name": "ООО «Просрочка %s %s»" % (user.login, tag),
                                                     "is_company": True})
        lead = head.call("crm.lead", "create", {"name": "Сделка %s %s" % (user.login, tag), "type": "opportunity",
                                                "partner_id": client, "user_id": user.uid})
        contract = head.call("receivables.contract", "create", {
            "name": "ПР-%s-%s" % (user.login, tag), "date": day(-60), "partner_id": client, "user_id": user.uid,
            "lead_id": lead, "line_ids": [(0, 0, {"date": day(-1), "amount": 45000})]})
        line = head.call("receivables.schedule.line", "search", [("contract_id", "=", contract)])[0]
        made[user.login] = {"client": client, "lead": lead, "contract": contract, "line": line}
    cron = admin.call("ir.model.data", "xmlid_to_res_id", "receivables.ir_cron_overdue_chase")
    admin.call("ir.cron", "method_direct_trigger", [cron])
    yield made
    admin.call("receivables.contract", "unlink", [m["contract"] for m in made.values()])
    admin.call("crm.lead", "unlink", [m["lead"] for m in made.values()])


def test_the_chase_reaches_each_manager_once(rpc, chased):
    head = rpc("head")
    for login, made in chased.items():
        chases = head.call("receivables.overdue.chase", "search_read", [("line_id", "=", made["line"])],
                           fields=["user_id", "level", "state", "salesman_activity_id"])
        assert len(chases) == 1
        assert chases[0]["user_id"][0] == rpc(login).uid
        assert (chases[0]["level"], chases[0]["state"]) == ("salesman", "open")
        activities = head.call("mail.activity", "search_read",
                               [("res_model", "=", "crm.lead"), ("res_id", "=", made["lead"])],
                               fields=["user_id", "summary"], context={"lang": "ru_RU"})
        assert len(activities) == 1
        assert activities[0]["user_id"][0] == rpc(login).uid
        assert activities[0]["summary"].startswith("Позвонить клиенту о просроченном платеже 45\u00a0000.00")
        assert activities[0]["summary"].endswith("до %s" % (date.today() - timedelta(days=1)).strftime("%d.%m.%Y"))


def test_salesman_sees_only_his_own_chases_and_call_activities(rpc, chased):
    sidorova = rpc("sidorova")
    chases = sidorova.call("receivables.overdue.chase", "search_read", [], fields=["user_id", "line_id"])
    assert chases and {c["user_id"][0] for c in chases} == {sidorova.uid}
    assert chased["sidorova"]["line"] in {c["line_id"][0] for c in chases}
    assert chased["kuznetsov"]["line"] not in {c["line_id"][0] for c in chases}
    own = sidorova.call("mail.activity", "search_read", [("summary", "like", "просроченном платеже")],
                        fields=["user_id", "res_id"])
    assert chased["sidorova"]["lead"] in {a["res_id"] for a in own}
    assert chased["kuznetsov"]["lead"] not in {a["res_id"] for a in own}
    assert {a["user_id"][0] for a in own} == {sidorova.uid}
    lines = sidorova.call("receivables.schedule.line", "search", [("id", "=", chased["kuznetsov"]["line"])])
    assert lines == []


def test_salesman_cannot_start_or_escalate_a_chase(rpc, chased):
    sidorova, head = rpc("sidorova"), rpc("head")
    chase = sidorova.call("receivables.overdue.chase", "search", [("line_id", "=", chased["sidorova"]["line"])])
    refused(sidorova, "receivables.overdue.chase", "_cron_chase")
    refused(sidorova, "receivables.overdue.chase", "_escalate_head", chase, day(10), False)
    cron = head.call("ir.model.data", "xmlid_to_res_id", "receivables.ir_cron_overdue_chase")
    refused(sidorova, "ir.cron", "method_direct_trigger", [cron])
    refused(sidorova, "receivables.overdue.chase", "write", chase, {"level": "head"})
    refused(sidorova, "receivables.overdue.chase", "create", {"line_id": chased["sidorova"]["line"],
                                                              "overdue_date": day(-1), "start_date": day(-30)})
    refused(sidorova, "receivables.overdue.chase", "unlink", chase)
    after = head.call("receivables.overdue.chase", "read", chase, ["level", "start_date"])[0]
    assert (after["level"], after["start_date"]) == ("salesman", day(0))


def test_schedule_line_has_a_readable_name(rpc, chased):
    sidorova = rpc("sidorova")
    [(line_id, name)] = sidorova.call("receivables.schedule.line", "name_get", [chased["sidorova"]["line"]])
    assert line_id == chased["sidorova"]["line"]
    assert name.startswith("ПР-sidorova-")
    assert (date.today() - timedelta(days=1)).strftime("%d.%m.%Y") in name
    assert "45\u00a0000.00" in name
    assert "receivables.schedule.line" not in name


def test_call_marked_done_is_linked_to_the_chase(rpc, chased):
    sidorova = rpc("sidorova")
    [activity] = sidorova.call("mail.activity", "search", [("res_model", "=", "crm.lead"),
                                                           ("res_id", "=", chased["sidorova"]["lead"])])
    sidorova.call("mail.activity", "action_feedback", [activity], feedback="Обещали оплатить в пятницу")
    [chase] = sidorova.call("receivables.overdue.chase", "search_read",
                            [("line_id", "=", chased["sidorova"]["line"])], fields=["touch_id", "called_date", "state"])
    assert chase["touch_id"] and chase["called_date"] and chase["state"] == "open"
    touch = sidorova.call("sales.touch", "read", [chase["touch_id"][0]], ["lead_id", "touch_type", "user_id"])[0]
    assert (touch["lead_id"][0], touch["touch_type"], touch["user_id"][0]) == (
        chased["sidorova"]["lead"], "call", sidorova.uid)


def test_salesman_reads_but_cannot_change_the_chase_settings(rpc):
    sidorova, admin = rpc("sidorova"), rpc("admin", "admin")
    values = admin.call("res.config.settings", "get_values")
    assert values["receivables_chase_leader_days"] >= 1
    assert values["receivables_chase_head_days"] > values["receivables_chase_leader_days"]
    refused(sidorova, "res.config.settings", "create", {"receivables_chase_leader_days": 30,
                                                        "receivables_chase_head_days": 60})
    settings = admin.call("res.config.settings", "create", {"receivables_chase_leader_days": 30,
                                                            "receivables_chase_head_days": 60})
    refused(sidorova, "res.config.settings", "set_values", [settings])
    assert admin.call("ir.config_parameter", "get_param", "receivables.chase_leader_days") != "30"
    settings = admin.call("res.config.settings", "create", {"receivables_chase_leader_days": 9,
                                                            "receivables_chase_head_days": 9})
    message = refused(admin, "res.config.settings", "execute", [settings])
    assert "больше дней" in message
