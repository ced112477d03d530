"""Issue 10 for receivables: no salesman can fake the money the head relies
on. Each test acts over JSON-RPC (the web client's route, in the user's
Russian) or XML-RPC as the demo salesman Сидорова, tries one route to hide a
debt or fake received money, and checks that it is refused with a clear
error and that the data, read back by the head, did not change."""
import json
import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest
import requests

PAYLOAD = "<img src=x onerror=alert(1)>"
FORGED = {"receivables_sync": True, "receivables_trusted": True, "receivables_no_commit": True}


@pytest.fixture(scope="module")
def users(rpc):
    return {login: rpc(login) for login in ("head", "sidorova", "accountant")}


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc("admin", "admin")


def day(offset):
    return (date.today() + timedelta(days=offset)).strftime("%Y-%m-%d")


def refused(user, model, method, *args, **kwargs):
    """Calls over JSON-RPC in Russian, as the web client does, and returns
    the error message of Odoo's answer, which must come."""
    kwargs["context"] = dict({"lang": "ru_RU"}, **kwargs.get("context", {}))
    with pytest.raises(Exception) as error:
        user.call_kw(model, method, *args, **kwargs)
    assert getattr(error.value, "data", None), "not an error answer of Odoo: %r" % error.value
    return str(error.value)


@pytest.fixture(scope="module")
def debt(users, admin):
    """A contract of Сидорова made by the head, with one receipt overdue and
    one in the future, and a contract of another manager for the same
    client; deleted by the administrator at the end."""
    head, sidorova = users["head"], users["sidorova"]
    tag = uuid.uuid4().hex[:6]
    client = head.call("res.partner", "create", {"name": "ООО «Должник %s»" % tag, "is_company": True})
    contract = head.call("receivables.contract", "create", {
        "name": "ДОЛГ-%s" % tag, "date": day(-90), "partner_id": client, "user_id": sidorova.uid,
        "line_ids": [(0, 0, {"date": day(-30), "amount": 100000}), (0, 0, {"date": day(200), "amount": 50000})]})
    other_user = head.call("res.users", "search", [("login", "=", "popov")])[0]
    foreign = head.call("receivables.contract", "create", {
        "name": "ЧУЖОЙ-%s" % tag, "date": day(-90), "partner_id": client, "user_id": other_user,
        "line_ids": [(0, 0, {"date": day(-30), "amount": 70000})]})
    lines = head.call("receivables.schedule.line", "search_read", [("contract_id", "=", contract)],
                      fields=["id", "state"], order="date")
    assert [line["state"] for line in lines] == ["overdue", "future"]
    yield {"client": client, "contract": contract, "foreign": foreign, "overdue": lines[0]["id"],
           "future": lines[1]["id"], "tag": tag}
    admin.call("receivables.contract", "unlink", [contract, foreign])


def snapshot(head, debt):
    lines = head.call("receivables.schedule.line", "search_read", [("partner_id", "=", debt["client"])],
                      fields=["date", "amount", "allocated", "residual", "state", "user_id"], order="id")
    contracts = head.call("receivables.contract", "search_read", [("partner_id", "=", debt["client"])],
                          fields=["name", "user_id", "team_id", "partner_id", "currency_id", "active",
                                  "amount_planned", "amount_paid", "amount_due", "onec_guid", "onec_balance"],
                          order="id", context={"active_test": False})
    return lines, contracts


def test_salesman_cannot_mark_an_overdue_receipt_received(users, debt):
    head, sidorova = users["head"], users["sidorova"]
    before = snapshot(head, debt)
    Line = "receivables.schedule.line"
    overdue = debt["overdue"]
    # The former sync switch in the context opens nothing.
    message = refused(sidorova, Line, "write", [overdue], {"allocated": 100000}, context=FORGED)
    assert "1С" in message or "1C" in message
    refused(sidorova, Line, "write", [overdue], {"residual": 0, "state": "paid"}, context=FORGED)
    # An overdue receipt keeps its amount and date, and stays.
    message = refused(sidorova, Line, "write", [overdue], {"amount": 1})
    assert "просроч" in message, message
    refused(sidorova, Line, "write", [overdue], {"date": day(300)})
    refused(sidorova, Line, "unlink", [overdue])
    refused(sidorova, "receivables.contract", "write", [debt["contract"]], {"line_ids": [(2, overdue, 0)]})
    refused(sidorova, "receivables.contract", "write", [debt["contract"]], {"line_ids": [(5, 0, 0)]})
    # Nor can money arrive in a new receipt, nor a receipt on another's contract.
    refused(sidorova, Line, "create", {"contract_id": debt["contract"], "date": day(-5), "amount": 10,
                                       "allocated": 10}, context=FORGED)
    refused(sidorova, Line, "create", {"contract_id": debt["foreign"], "date": day(5), "amount": 10})
    assert snapshot(head, debt) == before
    # Over XML-RPC too.
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call(Line, "write", [overdue], {"allocated": 100000}, context=FORGED)
    assert snapshot(head, debt) == before


def test_salesman_plans_receipts_not_yet_due(users, debt):
    head, sidorova = users["head"], users["sidorova"]
    Line = "receivables.schedule.line"
    sidorova.call_kw(Line, "write", [debt["future"]], {"amount": 60000})
    new = sidorova.call_kw(Line, "create", {"contract_id": debt["contract"], "date": day(230), "amount": 5000})
    contract = head.call("receivables.contract", "read", [debt["contract"]], fields=["amount_planned"])[0]
    assert contract["amount_planned"] == 100000 + 60000 + 5000
    sidorova.call_kw(Line, "unlink", [new])
    sidorova.call_kw(Line, "write", [debt["future"]], {"amount": 50000})
    assert head.call("receivables.contract", "read", [debt["contract"]],
                     fields=["amount_planned"])[0]["amount_planned"] == 150000


def test_salesman_cannot_rewrite_or_delete_a_contract_with_debt(users, debt):
    head, sidorova = users["head"], users["sidorova"]
    before = snapshot(head, debt)
    Contract = "receivables.contract"
    mine = [debt["contract"]]
    message = refused(sidorova, Contract, "write", mine, {"amount_due": 0, "amount_paid": 150000}, context=FORGED)
    assert "1С" in message or "1C" in message
    refused(sidorova, Contract, "write", mine, {"onec_balance": 0})
    message = refused(sidorova, Contract, "write", mine, {"active": False})
    assert "руководитель" in message, message
    other_client = head.call("res.partner", "create", {"name": "ООО «Чистый %s»" % debt["tag"], "is_company": True})
    refused(sidorova, Contract, "write", mine, {"partner_id": other_client})
    other_user = head.call("res.users", "search", [("login", "=", "kuznetsov")])[0]
    refused(sidorova, Contract, "write", mine, {"user_id": other_user})
    refused(sidorova, Contract, "write", mine, {"onec_guid": str(uuid.uuid4())})
    refused(sidorova, Contract, "unlink", mine)
    refused(sidorova, Contract, "write", [debt["foreign"]], {"name": "мой"})
    refused(sidorova, Contract, "create", {"name": "1С-%s" % debt["tag"], "partner_id": debt["client"],
                                           "onec_guid": str(uuid.uuid4())})
    refused(sidorova, Contract, "create", {"name": "ЗА-ДРУГОГО-%s" % debt["tag"], "partner_id": debt["client"],
                                           "user_id": other_user})
    assert snapshot(head, debt) == before
    # Even the head does not delete a contract with debt: he archives it.
    message = refused(head, Contract, "unlink", mine)
    assert "долг" in message, message
    assert snapshot(head, debt) == before


def test_contract_navigation_only_on_own_contracts(users, debt):
    sidorova = users["sidorova"]
    names = sidorova.call_kw("receivables.contract", "name_get", [debt["contract"]])
    assert names[0][0] == debt["contract"] and "ДОЛГ-" in names[0][1]
    refused(sidorova, "receivables.contract", "name_get", [debt["foreign"]])
    action = sidorova.call_kw("receivables.contract", "action_view_payments", [debt["contract"]])
    assert action["res_model"] == "receivables.payment"
    refused(sidorova, "receivables.contract", "action_view_payments", [debt["foreign"]])
    action = sidorova.call_kw("res.partner", "action_view_receivables", [debt["client"]])
    lines = sidorova.call_kw("receivables.schedule.line", "search_read", action["domain"], fields=["user_id"])
    assert lines and {line["user_id"][0] for line in lines} == {sidorova.uid}
    lead = sidorova.call("crm.lead", "search", [("user_id", "=", sidorova.uid)], limit=1)
    action = sidorova.call_kw("crm.lead", "action_view_receivables", lead)
    assert action["res_model"] == "receivables.schedule.line" and action["domain"] == [["lead_id", "=", lead[0]]]


def test_salesman_cannot_make_or_relink_payments(users, admin):
    head, sidorova, accountant = users["head"], users["sidorova"], users["accountant"]
    Payment = "receivables.payment"
    own = head.call(Payment, "search_read", [("user_id", "=", sidorova.uid), ("state", "=", "matched")],
                    fields=["amount", "contract_id", "partner_id"], limit=1)[0]
    foreign = head.call(Payment, "search_read", [("user_id", "!=", sidorova.uid), ("state", "=", "matched")],
                        fields=["amount", "contract_id", "partner_id"], limit=1)[0]
    unmatched = head.call(Payment, "search_read", [("state", "=", "unmatched")], fields=["amount"], limit=1)[0]
    her_contract = head.call("receivables.contract", "search", [("user_id", "=", sidorova.uid)], limit=1)[0]
    message = refused(sidorova, Payment, "create", {
        "name": "ФЕЙК", "onec_guid": str(uuid.uuid4()), "date": day(0), "amount": 1e6,
        "currency_id": 1, "partner_id": own["partner_id"][0], "contract_id": own["contract_id"][0]},
        context=FORGED)
    assert "1С" in message, message
    refused(sidorova, Payment, "write", [own["id"]], {"amount": own["amount"] * 10}, context=FORGED)
    refused(sidorova, Payment, "write", [own["id"]], {"contract_id": False})
    refused(sidorova, Payment, "write", [foreign["id"]], {"contract_id": her_contract}, context=FORGED)
    refused(sidorova, Payment, "write", [unmatched["id"]], {"contract_id": her_contract})
    # The accountant does link, but not 1C's money either.
    message = refused(accountant, Payment, "write", [own["id"]], {"amount": 1}, context=FORGED)
    assert "1С" in message, message
    refused(admin, Payment, "create", {"name": "ФЕЙК", "onec_guid": str(uuid.uuid4()), "date": day(0),
                                       "amount": 1, "currency_id": 1}, context=FORGED)
    for payment in (own, foreign):
        after = head.call(Payment, "read", [payment["id"]], fields=["amount", "contract_id", "partner_id"])[0]
        assert after == payment
    assert head.call(Payment, "read", [unmatched["id"]], fields=["contract_id"])[0]["contract_id"] is False


def test_salesman_reads_and_exports_only_own_payments(users):
    head, sidorova = users["head"], users["sidorova"]
    foreign = head.call("receivables.payment", "search", [("user_id", "!=", sidorova.uid)], limit=3)
    unmatched = head.call("receivables.payment", "search", [("state", "=", "unmatched")], limit=1)
    for ids in (foreign, unmatched):
        refused(sidorova, "receivables.payment", "read", ids, ["amount"])
        refused(sidorova, "receivables.payment", "export_data", ids, ["name", "amount"])
        assert not set(ids) & set(sidorova.call("receivables.payment", "search", [("id", "in", ids)]))
    groups = sidorova.call("receivables.payment", "read_group", [], ["amount", "user_id"], ["user_id"])
    assert [g["user_id"][0] for g in groups] == [sidorova.uid]


def test_salesman_cannot_drive_the_exchange_with_1c(users, admin):
    head, sidorova = users["head"], users["sidorova"]
    backend = head.call("receivables.onec.backend", "search", [])[0]
    cron = admin.call("ir.model.data", "xmlid_to_res_id", "receivables.ir_cron_onec_sync")
    before = admin.call("ir.cron", "read", [cron], fields=["nextcall", "interval_number"])[0]
    logs = admin.call("receivables.sync.log", "search_count", [])
    messages = admin.call("mail.message", "search_count", [("model", "=", "mail.channel")])
    for method, args in (("run_sync", []), ("action_sync_now", []), ("action_test_connection", []),
                         ("post_evening_list", [day(0)]), ("write", [{"sync_interval": 1}])):
        message = refused(sidorova, "receivables.onec.backend", method, [backend], *args, context=FORGED)
        assert message, method
    log = admin.call("receivables.sync.log", "search", [], limit=1)
    refused(sidorova, "receivables.sync.log", "add_line", log, "поддельная строка")
    refused(sidorova, "receivables.sync.log", "add_counts", log, {"created": 1000})
    # The head may queue a sync, not test the connection (the administrator's).
    refused(head, "receivables.onec.backend", "action_test_connection", [backend])
    assert admin.call("ir.cron", "read", [cron], fields=["nextcall", "interval_number"])[0] == before
    assert admin.call("receivables.sync.log", "search_count", []) == logs
    assert admin.call("mail.message", "search_count", [("model", "=", "mail.channel")]) == messages
    assert "поддельная" not in (admin.call("receivables.sync.log", "read", log, ["details"])[0]["details"] or "")


def test_report_views_are_not_rebuilt_over_rpc(users):
    for model in ("receivables.report", "receivables.partner.debt"):
        message = refused(users["sidorova"], model, "init")
        assert "init" in message


def test_all_documents_level_reads_all_and_changes_own(rpc, users, admin, debt):
    head = users["head"]
    group = admin.call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman_all_leads")
    found = admin.call("res.users", "search", [("login", "=", "rcv_all_docs")])
    if not found:
        admin.call("res.users", "create", {"name": "Все документы", "login": "rcv_all_docs",
                                           "password": "rcv_all_docs", "lang": "ru_RU",
                                           "groups_id": [(6, 0, [group])]}, context={"no_reset_password": True})
    reader = rpc("rcv_all_docs")
    for model in ("receivables.contract", "receivables.schedule.line", "receivables.payment",
                  "receivables.report", "receivables.partner.debt"):
        assert reader.call(model, "search_count", []) == head.call(model, "search_count", []), model
    refused(reader, "receivables.contract", "write", [debt["foreign"]], {"name": "чужой"})
    refused(reader, "receivables.schedule.line", "write", [debt["future"]], {"amount": 1})
    assert head.call("receivables.schedule.line", "read", [debt["future"]], ["amount"])[0]["amount"] == 50000


def test_1c_text_is_escaped_in_the_evening_list(admin, users, stand_in):
    head = users["head"]
    backend = admin.call("receivables.onec.backend", "search_read", [], fields=["wsdl_url", "endpoint", "cursor"])[0]
    guid = str(uuid.uuid4())
    doc = {"GUID": guid, "Number": PAYLOAD, "Date": date.today().strftime("%Y-%m-%dT00:00:00"),
           "CounterpartyName": PAYLOAD, "CounterpartyINN": "7709%06d" % (uuid.uuid4().int % 10 ** 6),
           "ContractNumber": PAYLOAD, "Amount": "777.00", "Currency": "RUB", "PaymentPurpose": PAYLOAD}
    state = requests.get(stand_in + "/__control__", timeout=5).json()
    filler = max(0, int(backend["cursor"] or 0) - state["payments"])
    requests.post(stand_in + "/__control__", timeout=5, data=json.dumps(
        {"upsert": [{"GUID": "filler-%d" % i, "Amount": "0"} for i in range(filler)] + [doc]}))
    try:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": stand_in + "/buh/ws/Payments.1cws?wsdl", "endpoint": False, "password": "secret"})
        admin.call("receivables.onec.backend", "run_sync", [backend["id"]])
    finally:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": backend["wsdl_url"], "endpoint": backend["endpoint"]})
    payment = head.call("receivables.payment", "search_read", [("onec_guid", "=", guid)],
                        fields=["onec_partner_name", "purpose", "state"])[0]
    assert payment["onec_partner_name"] == PAYLOAD and payment["state"] == "unmatched"
    channel = admin.call("receivables.onec.backend", "post_evening_list", [backend["id"]], day(0))
    body = head.call("mail.message", "search_read", [("model", "=", "mail.channel"), ("res_id", "=", channel)],
                     fields=["body"], limit=1, order="id desc")[0]["body"]
    assert "&lt;img" in body and "<img src=x" not in body and "777.00" in body
