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
