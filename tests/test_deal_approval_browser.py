"""deal_approval in headless Chromium at the phone viewport: the head
approves a request from "My approvals" in two taps."""
import pytest
from test_deal_approval_rpc import contract_pdf, email_links, new_request, own_lead
from test_deal_approval_rpc import standard_route_only  # noqa: F401 (autouse: the standard route alone)


@pytest.fixture
def report_url(rpc, odoo_server):
    """wkhtmltopdf fetches the report's assets from report.url (else
    web.base.url, another port here) with the user's session cookie: point it
    at the test server for the time of the test."""
    admin = rpc("admin", "admin")
    Param = "ir.config_parameter"
    before = admin.call(Param, "get_param", "report.url")
    admin.call(Param, "set_param", "report.url", odoo_server.url)
    yield odoo_server.url
    admin.call(Param, "set_param", "report.url", before or False)


def new_waiting_request(rpc, login="sidorova"):
    return new_request(rpc(login), amount=450000.0, payment_terms="Отсрочка 30 дней")


def decide_on_phone(run_browser, rpc, decision, fields):
    """The head decides on a waiting request of sidorova in
    deal_approval_phone.js: the script's output, the request's fields after."""
    head = rpc("head")
    request_id = new_waiting_request(rpc)
    name = head.call("deal.approval.request", "read", [request_id], ["name"])[0]["name"]
    output = run_browser("deal_approval_phone.js", LOGIN="head", VIEWPORT="phone", REQUEST_NAME=name,
                         DECISION=decision)
    return output, head.call("deal.approval.request", "read", [request_id], fields)[0]


def test_phone_approve_in_two_taps(run_browser, rpc, report_url):
    output, values = decide_on_phone(run_browser, rpc, "approve", ["state", "merged_attachment_id"])
    assert "ok: deal-approval-approve-head-phone" in output
    assert values["state"] == "approved" and values["merged_attachment_id"]


def test_phone_reject_with_comment(run_browser, rpc):
    output, values = decide_on_phone(run_browser, rpc, "reject", ["state", "reject_reason"])
    assert "ok: deal-approval-reject-head-phone" in output
    assert values["state"] == "rejected"
    assert values["reject_reason"] == "Скидка больше согласованной"


def test_phone_email_link(run_browser, rpc):
    """Opening the link shows the request and asks; the posted form
    approves, with the comment typed on the phone."""
    head = rpc("head")
    request_id = new_waiting_request(rpc, "kuznetsov")
    link = email_links(rpc, request_id)["approve"]
    output = run_browser("deal_approval_email_link.js", LOGIN="head", VIEWPORT="phone", LINK=link)
    assert "ok: deal-approval-email-link-head-phone" in output
    values = head.call("deal.approval.request", "read", [request_id], ["state", "step_ids"])[0]
    assert values["state"] == "approved"
    steps = head.call("deal.approval.step", "read", values["step_ids"], ["comment"])
    assert [step["comment"] for step in steps] == ["Согласовано с телефона"]


def test_desktop_manager_asks_from_his_deal(run_browser, rpc, report_url):
    sidorova = rpc("sidorova")
    lead = own_lead(sidorova)
    before = sidorova.call("deal.approval.request", "search", [("lead_id", "=", lead)])
    output = run_browser("deal_approval_request.js", LOGIN="sidorova", VIEWPORT="desktop", LEAD_ID=lead,
                         PDF_B64=contract_pdf())
    assert "ok: deal-approval-request-sidorova-desktop" in output
    new = sidorova.call("deal.approval.request", "search_read", [("lead_id", "=", lead), ("id", "not in", before)],
                        fields=["state", "amount", "contract_filename"])
    assert len(new) == 1 and new[0]["state"] == "waiting" and new[0]["amount"] == 380000.0


def test_desktop_reports_and_settings(run_browser):
    output = run_browser("deal_approval_reports.js", LOGIN="head", VIEWPORT="desktop", MODE="report")
    assert "ok: deal-approval-report-head-desktop" in output
    output = run_browser("deal_approval_reports.js", LOGIN="admin", PASSWORD="admin", VIEWPORT="desktop",
                         MODE="settings")
    assert "ok: deal-approval-settings-admin-desktop" in output
