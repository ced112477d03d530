"""Receivables over XML-RPC as the demo users meet them: who sees which
contracts, schedules and payments, the debt on the client, and a sync from
the 1C stand-in driven by the administrator."""
import json
import os
import uuid
import xmlrpc.client
from datetime import date

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = ["receivables.contract", "receivables.schedule.line", "receivables.payment", "receivables.report",
          "receivables.partner.debt"]


@pytest.fixture(scope="module")
def users(rpc):
    return {login: rpc(login) for login in ("head", "petrov", "sidorova", "smirnova", "accountant")}


def team_members(head, leader_login):
    team = head.call("crm.team", "search_read", [("user_id.login", "=", leader_login)], fields=["member_ids"])
    return set(team[0]["member_ids"])


@pytest.mark.parametrize("model", MODELS)
def test_manager_sees_only_own_clients(users, model):
    head, sidorova = users["head"], users["sidorova"]
    total = head.call(model, "search_count", [])
    own = sidorova.call(model, "search_count", [])
    assert 0 < own < total
    rows = sidorova.call(model, "search_read", [], fields=["user_id"])
    assert {r["user_id"][0] for r in rows if r["user_id"]} == {sidorova.uid}
    groups = sidorova.call(model, "read_group", [], ["user_id"], ["user_id"])
    assert [g["user_id"][0] for g in groups] == [sidorova.uid]


def test_team_leader_sees_his_team_accountant_sees_all(users):
    head, petrov, accountant = users["head"], users["petrov"], users["accountant"]
    members = team_members(head, "petrov")
    managers = {r["user_id"][0] for r in petrov.call("receivables.contract", "search_read", [], fields=["user_id"])}
    assert managers <= members and len(managers) > 1
    assert accountant.call("receivables.contract", "search_count", []) == \
        head.call("receivables.contract", "search_count", [])


def test_foreign_contract_is_not_readable_nor_exported_nor_found(users):
    head, sidorova = users["head"], users["sidorova"]
    foreign = head.call("receivables.contract", "search_read", [("user_id", "!=", sidorova.uid)],
                        fields=["name"], limit=1)[0]
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("receivables.contract", "read", [foreign["id"]], fields=["name"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("receivables.contract", "export_data", [foreign["id"]], ["name"])
    found = sidorova.call("receivables.contract", "name_search", foreign["name"])
    assert foreign["id"] not in [f[0] for f in found]


def test_export_of_own_payments(users):
    sidorova = users["sidorova"]
    ids = sidorova.call("receivables.payment", "search", [])
    exported = sidorova.call("receivables.payment", "export_data", ids, ["name", "amount", "partner_id/name"])
    assert len(exported["datas"]) == len(ids)


def test_debt_on_client_and_deal(users):
    head = users["head"]
    debtor = head.call("receivables.partner.debt", "search_read", [("overdue", ">", 0)],
                       fields=["partner_id", "overdue", "debt"], limit=1)[0]
    partner = head.call("res.partner", "read", [debtor["partner_id"][0]],
                        fields=["receivable_debt_total", "receivable_overdue_total"])[0]
    assert partner["receivable_overdue_total"] >= debtor["overdue"] > 0
    assert partner["receivable_debt_total"] >= partner["receivable_overdue_total"]
    action = head.call("res.partner", "action_view_receivables", [debtor["partner_id"][0]])
    assert action["res_model"] == "receivables.schedule.line"
    lead = head.call("receivables.contract", "search_read", [("lead_id", "!=", False)], fields=["lead_id"],
                     limit=1)[0]["lead_id"][0]
    assert head.call("crm.lead", "read", [lead], fields=["receivable_debt_total"])[0]["receivable_debt_total"] >= 0


def test_password_hidden_from_the_head(users, rpc):
    head = users["head"]
    backend = head.call("receivables.onec.backend", "search_read", [], fields=["name", "wsdl_url"])
    assert backend
    with pytest.raises(xmlrpc.client.Fault):
        head.call("receivables.onec.backend", "read", [backend[0]["id"]], fields=["password"])


def test_sync_from_stand_in_by_administrator(rpc, stand_in):
    admin = rpc("admin", "admin")
    head = rpc("head")
    backend = admin.call("receivables.onec.backend", "search_read", [], fields=["wsdl_url", "endpoint", "cursor"])[0]
    client = head.call("receivables.contract", "search_read", [], fields=["partner_id", "name", "date"], limit=1)[0]
    inn = head.call("res.partner", "read", [client["partner_id"][0]], fields=["vat", "kpp"])[0]
    guid = str(uuid.uuid4())
    doc = {"GUID": guid, "Number": "ТС-RPC", "Date": date.today().strftime("%Y-%m-%dT00:00:00"),
           "CounterpartyName": client["partner_id"][1], "CounterpartyINN": inn["vat"],
           "CounterpartyKPP": inn["kpp"] or "", "ContractNumber": client["name"],
           "ContractDate": client["date"] + "T00:00:00", "Amount": "1234.00", "Currency": "RUB",
           "PaymentPurpose": "Оплата (тест RPC)"}
    state = requests.get(stand_in + "/__control__", timeout=5).json()
    # The stand-in's change numbers must pass the database's cursor.
    filler = max(0, int(backend["cursor"] or 0) - state["payments"])
    requests.post(stand_in + "/__control__", timeout=5, data=json.dumps(
        {"upsert": [{"GUID": "filler-%d" % i, "Amount": "0"} for i in range(filler)] + [doc]}))
    # (the fillers re-read in the overlap are rejected: amount 0, no date)
    try:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": stand_in + "/buh/ws/Payments.1cws?wsdl", "endpoint": False, "password": "secret"})
        log_id = admin.call("receivables.onec.backend", "run_sync", [backend["id"]])
        result = head.call("receivables.sync.log", "read", [log_id],
                           fields=["state", "created", "error", "failed"])[0]
        assert result["state"] == "done", result
        assert result["created"] == 1
        payments = head.call("receivables.payment", "search_read", [("onec_guid", "=", guid)],
                             fields=["state", "contract_id", "amount"])
        assert payments and payments[0]["state"] == "matched" and payments[0]["amount"] == 1234.0
        again = admin.call("receivables.onec.backend", "run_sync", [backend["id"]])
        assert head.call("receivables.sync.log", "read", [again], fields=["created"])[0]["created"] == 0
    finally:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": backend["wsdl_url"], "endpoint": backend["endpoint"]})


def test_accountant_reaches_unmatched_payments_from_invoicing(users):
    accountant, sidorova = users["accountant"], users["sidorova"]
    menu = accountant.call("ir.model.data", "xmlid_to_res_id",
                           "receivables.receivables_payment_menu_finance_unmatched")
    assert accountant.call("ir.ui.menu", "search", [("id", "=", menu)]) == [menu]
    parent = accountant.call("ir.model.data", "xmlid_to_res_id", "receivables.receivables_menu_finance")
    assert accountant.call("ir.ui.menu", "search", [("id", "=", parent)]) == [parent]
    assert sidorova.call("ir.ui.menu", "search", [("id", "=", parent)]) == []
    unmatched = accountant.call("receivables.payment", "search_read", [("state", "=", "unmatched")],
                                fields=["onec_inn", "partner_id"])
    assert unmatched and all(not p["partner_id"] or p["onec_inn"] for p in unmatched)


def test_evening_list_posted_to_the_payments_channel(rpc, users):
    admin, head = rpc("admin", "admin"), users["head"]
    backend = admin.call("receivables.onec.backend", "search", [])[0]
    today = date.today().strftime("%Y-%m-%d")
    paid = head.call("receivables.payment", "search_read", [("date", "=", today), ("state", "=", "matched")],
                     fields=["partner_id"], limit=1)
    channel = admin.call("receivables.onec.backend", "post_evening_list", [backend], today)
    message = head.call("mail.message", "search_read", [("model", "=", "mail.channel"), ("res_id", "=", channel)],
                        fields=["body"], limit=1, order="id desc")[0]
    assert date.today().strftime("%d.%m.%Y") in message["body"]
    if paid:
        assert paid[0]["partner_id"][1].split("«")[-1].rstrip("»") in message["body"]


def test_split_receipt_and_settlements_through_the_sync(rpc, stand_in, head, sidorova, kuznetsov):
    """One bank receipt pays two contracts of one client held by two managers:
    the head's sync (over RPC) stores a line per contract, each manager sees
    his own line only, a correction in 1C moves the money, and 1C's account
    62 balances land on the contracts."""
    admin = rpc("admin", "admin")
    mine = sidorova.call("receivables.contract", "search_read", [("partner_id.vat", "!=", False)],
                         fields=["partner_id", "name", "date", "currency_id"], limit=1)[0]
    partner = head.call("res.partner", "read", [mine["partner_id"][0]], fields=["vat", "kpp", "name"])[0]
    run = uuid.uuid4().hex[:8]
    other_id = head.call("receivables.contract", "create", {
        "name": "СП-%s" % run, "date": date.today().strftime("%Y-%m-%d"), "partner_id": partner["id"],
        "user_id": kuznetsov.uid, "currency_id": mine["currency_id"][0],
        "line_ids": [(0, 0, {"date": date.today().strftime("%Y-%m-%d"), "amount": 50000})]})
    guids = {"mine": str(uuid.uuid4()), "other": str(uuid.uuid4())}
    head.call("receivables.contract", "write", [mine["id"]], {"onec_guid": guids["mine"]})
    head.call("receivables.contract", "write", [other_id], {"onec_guid": guids["other"]})
    backend = admin.call("receivables.onec.backend", "create", {
        "name": "1С (тест расшифровки) %s" % run, "wsdl_url": stand_in + "/buh/ws/Payments.1cws?wsdl",
        "username": "Обмен", "password": "secret", "timeout": 10})
    receipt = str(uuid.uuid4())
    today = date.today().strftime("%Y-%m-%dT00:00:00")

    def line(key, contract, amount):
        return {"LineKey": key, "ContractGUID": guids[contract], "ContractNumber": "", "ContractDate": today,
                "Amount": "%.2f" % amount}

    def put(lines):
        document = {
            "GUID": receipt, "DocumentType": "ПоступлениеНаРасчетныйСчет", "Number": "РС-%s" % run,
            "Date": today, "CounterpartyGUID": "cp-" + partner["vat"], "CounterpartyName": partner["name"],
            "CounterpartyINN": partner["vat"], "CounterpartyKPP": partner["kpp"] or "",
            "Amount": "%.2f" % sum(float(item["Amount"]) for item in lines), "Currency": "RUB",
            "PaymentPurpose": "Оплата по счетам 1 и 2", "Lines": lines}
        contracts = [{"ContractGUID": guids[key], "ContractNumber": key, "ContractDate": today,
                      "CounterpartyGUID": "cp-" + partner["vat"], "CounterpartyName": partner["name"],
                      "CounterpartyINN": partner["vat"], "CounterpartyKPP": partner["kpp"] or "",
                      "Currency": "RUB"} for key in guids]
        sales = [{"GUID": "sale-" + key, "Date": today, "ContractGUID": guids[key], "Amount": "50000.00"}
                 for key in guids]
        requests.post(stand_in + "/__control__", timeout=5, data=json.dumps(
            {"reset": True, "payments": [document], "contracts": contracts, "sales": sales})).raise_for_status()
        log = head.call("receivables.sync.log", "read", [head.call("receivables.onec.backend", "run_sync",
                                                                   [backend])], fields=["state", "error"])[0]
        assert log["state"] == "done", log

    try:
        put([line("1", "mine", 30000), line("2", "other", 20000)])
        lines = head.call("receivables.payment", "search_read", [("onec_guid", "=", receipt)],
                          fields=["amount", "document_amount", "contract_id", "user_id", "state"],
                          order="onec_line_key")
        assert [(p["amount"], p["document_amount"], p["contract_id"][0], p["user_id"][0], p["state"])
                for p in lines] == [(30000, 50000, mine["id"], sidorova.uid, "matched"),
                                    (20000, 50000, other_id, kuznetsov.uid, "matched")]
        # Each manager sees his own line of the receipt, not his colleague's.
        seen = sidorova.call("receivables.payment", "search_read", [("onec_guid", "=", receipt)], fields=["amount"])
        assert [p["amount"] for p in seen] == [30000]
        with pytest.raises(xmlrpc.client.Fault):
            sidorova.call("receivables.payment", "read", [lines[1]["id"]], fields=["amount"])
        balances = head.call("receivables.contract", "read", [mine["id"], other_id],
                             fields=["onec_balance", "onec_balance_company"])
        assert [(b["onec_balance"], b["onec_balance_company"]) for b in balances] == [(20000, 20000), (30000, 30000)]
        assert head.call("receivables.contract", "read", [other_id], fields=["amount_paid"])[0]["amount_paid"] == 20000
        # The accountant puts the whole receipt on sidorova's contract in 1C.
        put([line("1", "mine", 50000)])
        lines = head.call("receivables.payment", "search_read", [("onec_guid", "=", receipt)],
                          fields=["amount", "contract_id"])
        assert [(p["amount"], p["contract_id"][0]) for p in lines] == [(50000, mine["id"])]
        assert head.call("receivables.contract", "read", [other_id], fields=["amount_paid", "onec_balance"])[0] \
            == {"id": other_id, "amount_paid": 0, "onec_balance": 50000}
        assert kuznetsov.call("receivables.payment", "search_count", [("onec_guid", "=", receipt)]) == 0
    finally:
        admin.call("receivables.onec.backend", "write", [backend], {"active": False})
