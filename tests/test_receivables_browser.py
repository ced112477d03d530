"""Receivables in headless Chromium: the coloured schedule, the debt kanban
and the planned/received pivot, without JavaScript errors; 1C's text shown
as text."""
import json
import uuid
from datetime import date

import pytest
import requests

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("login,viewport", [("head", "desktop"), ("sidorova", "phone")])
def test_receivables_views_open_without_javascript_errors(run_browser, login, viewport):
    output = run_browser("receivables_schedule.js", LOGIN=login, VIEWPORT=viewport)
    assert "ok: receivables-%s-%s" % (login, viewport) in output


def test_1c_text_shows_as_text_in_the_payment_and_the_sync_log(run_browser, rpc, stand_in):
    """A document of 1C whose names and purpose are markup, and a second one
    with the same markup as its number that the sync rejects (its line in
    the sync log repeats the number)."""
    admin, head = rpc("admin", "admin"), rpc("head")
    backend = admin.call("receivables.onec.backend", "search_read", [], fields=["wsdl_url", "endpoint", "cursor"])[0]
    guid = str(uuid.uuid4())
    today = date.today().strftime("%Y-%m-%dT00:00:00")
    docs = [{"GUID": guid, "Number": PAYLOAD, "Date": today, "CounterpartyName": PAYLOAD,
             "CounterpartyINN": "7708%06d" % (uuid.uuid4().int % 10 ** 6), "ContractNumber": PAYLOAD,
             "Amount": "10.00", "Currency": "RUB", "PaymentPurpose": PAYLOAD},
            {"GUID": str(uuid.uuid4()), "Number": PAYLOAD, "Date": today, "Amount": "-1.00", "Currency": "RUB"}]
    state = requests.get(stand_in + "/__control__", timeout=5).json()
    filler = max(0, int(backend["cursor"] or 0) - state["payments"])
    requests.post(stand_in + "/__control__", timeout=5, data=json.dumps(
        {"upsert": [{"GUID": "filler-%d" % i, "Amount": "0"} for i in range(filler)] + docs}))
    try:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": stand_in + "/buh/ws/Payments.1cws?wsdl", "endpoint": False, "password": "secret"})
        log = admin.call("receivables.onec.backend", "run_sync", [backend["id"]])
    finally:
        admin.call("receivables.onec.backend", "write", [backend["id"]], {
            "wsdl_url": backend["wsdl_url"], "endpoint": backend["endpoint"]})
    assert PAYLOAD in head.call("receivables.sync.log", "read", [log], ["details"])[0]["details"]
    payment = head.call("receivables.payment", "search", [("onec_guid", "=", guid)])[0]
    output = run_browser("receivables_escaping.js", LOGIN="head", PAYMENT_ID=payment, LOG_ID=log)
    assert "ok: receivables-escaping-head" in output
