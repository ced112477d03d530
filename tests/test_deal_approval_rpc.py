"""deal_approval over XML-RPC and plain HTTP, as its users would act: the
server refuses every shortcut of the state machine, and the email links work
once, for their approver only."""
import base64
import io
import re
import xmlrpc.client

import pytest

# Most calls skip the PDF (wkhtmltopdf); test_merged_pdf_over_http asks for it.
NO_PDF = {"deal_approval_no_pdf": True}


def contract_pdf(text="Contract"):
    from reportlab.pdfgen import canvas
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return base64.b64encode(stream.getvalue()).decode("ascii")


def own_lead(user):
    domain = [("type", "=", "opportunity"), ("partner_id", "!=", False)]
    if user.login != "head":
        domain.append(("user_id", "=", user.uid))
    leads = user.call("crm.lead", "search", domain, limit=1)
    assert leads, "the demo gives %s deals" % user.login
    return leads[0]


def new_request(user, amount=300000.0, submit=True, context=None, payment_terms="100 %"):
    request_id = user.call("deal.approval.request", "create", {
        "lead_id": own_lead(user), "document_type": "contract", "contract_file": contract_pdf(),
        "contract_filename": "contract.pdf", "amount": amount, "payment_terms": payment_terms,
    }, context=NO_PDF)
    if submit:
        user.call("deal.approval.request", "action_submit", [request_id], context=context or NO_PDF)
    return request_id


def read(user, request_id, *fields):
    return user.call("deal.approval.request", "read", [request_id], list(fields))[0]


ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR
USER_ERROR = 2  # RPC_FAULT_CODE_WARNING (UserError, ValidationError)


def refused(call, *args, **kwargs):
    """Calls and expects the server to refuse; returns the Fault."""
    with pytest.raises(xmlrpc.client.Fault) as error:
        call(*args, **kwargs)
    return error.value


def email_links(rpc, request_id):
    """The Approve / Reject links of the last email about the request (read
    as the administrator: the email is not in the chatter)."""
    admin = rpc("admin", "admin")
    name = admin.call("deal.approval.request", "read", [request_id], ["name"])[0]["name"]
    mails = admin.call("mail.mail", "search_read", [("subject", "like", name)], fields=["body_html"],
                       order="id desc", limit=1)
    assert mails, "an email went to the approver"
    links = re.findall(r'href="[^"]*(/deal_approval/token\?t=[^"]+)"', mails[0]["body_html"])
    assert len(links) == 2, links
    return {"approve": links[0].replace("&amp;", "&"), "reject": links[1].replace("&amp;", "&")}


def test_salesman_cannot_write_state(rpc):
    petrov = rpc("petrov")
    request_id = new_request(petrov, submit=False)
    fault = refused(petrov.call, "deal.approval.request", "write", [request_id], {"state": "approved"})
    assert fault.faultCode == ACCESS_ERROR
    # A context key sent over RPC is plain data: it does not open the guard.
    fault = refused(petrov.call, "deal.approval.request", "write", [request_id], {"state": "approved"},
                    context={"deal_approval_trusted": True})
    assert fault.faultCode == ACCESS_ERROR
    fault = refused(petrov.call, "deal.approval.request", "create", {
        "lead_id": own_lead(petrov), "amount": 1.0, "state": "approved"})
    assert fault.faultCode == ACCESS_ERROR
    assert read(petrov, request_id, "state")["state"] == "draft"


def test_only_the_current_approver_decides(rpc):
    petrov, sidorova, findir, head = rpc("petrov"), rpc("sidorova"), rpc("findir"), rpc("head")
    request_id = new_request(petrov, amount=2500000.0)
    assert read(head, request_id, "current_approver_id")["current_approver_id"][0] == head.uid
    # The author, another salesman and the second approver (not his turn yet).
    for user in (petrov, sidorova, findir):
        assert refused(user.call, "deal.approval.request", "action_approve", [request_id]).faultCode == ACCESS_ERROR
    step_ids = petrov.call("deal.approval.request", "read", [request_id], ["step_ids"])[0]["step_ids"]
    fault = refused(petrov.call, "deal.approval.step", "write", step_ids, {"state": "approved"})
    assert fault.faultCode == ACCESS_ERROR
    head.call("deal.approval.request", "action_approve", [request_id], context=NO_PDF)
    assert read(head, request_id, "current_approver_id")["current_approver_id"][0] == findir.uid
    findir.call("deal.approval.request", "action_approve", [request_id], context=NO_PDF)
    assert read(petrov, request_id, "state")["state"] == "approved"


def test_author_never_approves_his_own(rpc):
    head = rpc("head")
    request_id = new_request(head, amount=2500000.0)
    values = read(head, request_id, "current_approver_id")
    assert values["current_approver_id"][0] != head.uid
    assert refused(head.call, "deal.approval.request", "action_approve", [request_id]).faultCode == ACCESS_ERROR


def test_manager_sees_only_his_requests(rpc):
    petrov, sidorova, head = rpc("petrov"), rpc("sidorova"), rpc("head")
    mine = new_request(petrov, submit=False)
    theirs = new_request(sidorova, submit=False)
    assert petrov.call("deal.approval.request", "search", [("id", "in", [mine, theirs])]) == [mine]
    assert sorted(head.call("deal.approval.request", "search", [("id", "in", [mine, theirs])])) == \
        sorted([mine, theirs])
    assert refused(petrov.call, "deal.approval.request", "read", [theirs], ["state"]).faultCode == ACCESS_ERROR


def test_reject_with_reason_and_resubmit(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    assert refused(head.call, "deal.approval.request", "action_reject", [request_id], "").faultCode == USER_ERROR
    head.call("deal.approval.request", "action_reject", [request_id], "Скидка велика", context=NO_PDF)
    values = read(petrov, request_id, "state", "reject_reason")
    assert values == {"id": request_id, "state": "rejected", "reject_reason": "Скидка велика"}
    petrov.call("deal.approval.request", "write", [request_id], {"discount": 1.0}, context=NO_PDF)
    petrov.call("deal.approval.request", "action_submit", [request_id], context=NO_PDF)
    assert read(petrov, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}


def test_stage_gate(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    stages = head.call("crm.stage", "search", [("approval_required", "=", True)], limit=1)
    stage_id = stages[0] if stages else head.call("crm.stage", "create", {
        "name": "Договор подписан (тест)", "approval_required": True, "sequence": 60})
    lead_id = petrov.call("crm.lead", "create", {"name": "Сделка для проверки этапа", "type": "opportunity",
                                                 "user_id": petrov.uid})
    fault = refused(petrov.call, "crm.lead", "write", [lead_id], {"stage_id": stage_id})
    assert fault.faultCode == USER_ERROR
    request_id = petrov.call("deal.approval.request", "create", {
        "lead_id": lead_id, "contract_file": contract_pdf(), "amount": 1000.0}, context=NO_PDF)
    petrov.call("deal.approval.request", "action_submit", [request_id], context=NO_PDF)
    head.call("deal.approval.request", "action_approve", [request_id], context=NO_PDF)
    petrov.call("crm.lead", "write", [lead_id], {"stage_id": stage_id})
    assert petrov.call("crm.lead", "read", [lead_id], ["stage_id"])[0]["stage_id"][0] == stage_id


def test_frozen_after_approval(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    head.call("deal.approval.request", "action_approve", [request_id], context=NO_PDF)
    petrov.call("deal.approval.request", "write", [request_id], {"contract_file": contract_pdf("v2")},
                context=NO_PDF)
    assert read(petrov, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}


def test_email_links(rpc, odoo_server):
    petrov, head, findir = rpc("petrov"), rpc("head"), rpc("findir")
    request_id = new_request(petrov)
    links = email_links(rpc, request_id)
    url = odoo_server.url
    # Foreign: the link of the head opened by the finance director.
    page = findir.session.get(url + links["approve"], timeout=60).text
    assert "another person" in page or "другому" in page
    # Forged: a changed signature.
    forged = links["approve"][:-4] + ("0000" if not links["approve"].endswith("0000") else "1111")
    page = head.session.get(url + forged, timeout=60).text
    assert "forged" in page or "подделана" in page
    assert read(head, request_id, "state")["state"] == "waiting"
    # The right person: approved, then the link is spent.
    page = head.session.get(url + links["approve"], timeout=120).text
    assert "deal_approval_result" in page and "alert-success" in page
    assert read(head, request_id, "state")["state"] == "approved"
    page = head.session.get(url + links["approve"], timeout=60).text
    assert "already used" in page or "уже использована" in page
    page = head.session.get(url + links["reject"], timeout=60).text
    assert "alert-success" not in page


def test_email_reject_link_asks_the_reason(rpc, odoo_server):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    links = email_links(rpc, request_id)
    page = head.session.get(odoo_server.url + links["reject"], timeout=60).text
    assert 'name="reason"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = links["reject"].split("t=", 1)[1]
    page = head.session.post(odoo_server.url + "/deal_approval/token",
                             data={"csrf_token": csrf, "t": token, "reason": "Нет подписи"}, timeout=120).text
    assert "alert-success" in page
    assert read(petrov, request_id, "state", "reject_reason") == {
        "id": request_id, "state": "rejected", "reject_reason": "Нет подписи"}


def test_merged_pdf_over_http(rpc, odoo_server):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov, context={})
    action = head.call("deal.approval.request", "action_open_pdf", [request_id])
    answer = head.session.get(odoo_server.url + action["url"], timeout=120)
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    from PyPDF2 import PdfFileReader
    assert PdfFileReader(io.BytesIO(answer.content)).getNumPages() >= 2
    # The author sees the same file; a colleague does not.
    assert petrov.session.get(odoo_server.url + action["url"], timeout=60).content.startswith(b"%PDF")
    assert not rpc("sidorova").session.get(odoo_server.url + action["url"], timeout=60).content.startswith(b"%PDF")


def test_approver_cannot_edit_and_no_request_on_foreign_deal(rpc):
    petrov, sidorova, head = rpc("petrov"), rpc("sidorova"), rpc("head")
    request_id = new_request(petrov, amount=2500000.0)
    head.call("deal.approval.request", "approve", [request_id], "Согласовано", context=NO_PDF)
    findir = rpc("findir")
    fault = refused(findir.call, "deal.approval.request", "write", [request_id], {"note": "x", "amount": 1.0})
    assert fault.faultCode == ACCESS_ERROR
    fault = refused(sidorova.call, "deal.approval.request", "create", {
        "lead_id": own_lead(petrov), "contract_file": contract_pdf(), "amount": 10.0})
    assert fault.faultCode == ACCESS_ERROR


def test_report_by_approver_and_state(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    new_request(petrov)
    fields = ["approver_id", "state", "delay_hours", "delay_max_hours", "nbr"]
    rows = head.call("deal.approval.report", "read_group", [], fields, ["approver_id", "state"], lazy=False)
    assert rows and all(row["delay_max_hours"] >= row["delay_hours"] - 1e-6 for row in rows)
    assert any(row["state"] == "pending" for row in rows)
    mine = petrov.call("deal.approval.report", "search_read", [], fields=["user_id", "approver_id"])
    assert mine and all(petrov.uid in (row["user_id"][0], row["approver_id"][0]) for row in mine)
