"""deal_approval over XML-RPC and plain HTTP, as its users would act: the
server refuses every shortcut of the state machine, and the email links work
once, for their approver only."""
import base64
import io
import random
import re
import xmlrpc.client

import pytest
from conftest import RpcError


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


def new_request(user, amount=300000.0, submit=True, context=None, payment_terms="100 %", **values):
    values = dict({
        "lead_id": own_lead(user), "document_type": "contract", "contract_file": contract_pdf(),
        "contract_filename": "contract.pdf", "amount": amount, "payment_terms": payment_terms,
    }, **values)
    request_id = user.call("deal.approval.request", "create", values)
    if submit:
        user.call("deal.approval.request", "action_submit", [request_id], context=context or {})
    return request_id


def read(user, request_id, *fields):
    return user.call("deal.approval.request", "read", [request_id], list(fields))[0]


ACCESS_ERROR = 4  # odoo.service.wsgi_server.RPC_FAULT_CODE_ACCESS_ERROR
USER_ERROR = 2  # RPC_FAULT_CODE_WARNING (UserError; Odoo 11 sends a ValidationError as 1)


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


@pytest.fixture(autouse=True)
def standard_route_only(rpc):
    """These scenarios expect the standard route alone (the head, then the
    finance director from 1,000,000): the routes a database switched on
    besides it (the demo's) are archived for the test and switched on again
    after it."""
    head = rpc("head")
    standard = head.call("ir.model.data", "xmlid_to_res_id", "deal_approval.route_default")
    others = head.call("deal.approval.route", "search", [("id", "!=", standard)])
    if others:
        head.call("deal.approval.route", "write", others, {"active": False})
    yield
    if others:
        head.call("deal.approval.route", "write", others, {"active": True})


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
    head.call("deal.approval.request", "action_approve", [request_id])
    assert read(head, request_id, "current_approver_id")["current_approver_id"][0] == findir.uid
    findir.call("deal.approval.request", "action_approve", [request_id])
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
    head.call("deal.approval.request", "action_reject", [request_id], "Скидка велика")
    values = read(petrov, request_id, "state", "reject_reason")
    assert values == {"id": request_id, "state": "rejected", "reject_reason": "Скидка велика"}
    petrov.call("deal.approval.request", "write", [request_id], {"discount": 1.0})
    petrov.call("deal.approval.request", "action_submit", [request_id])
    assert read(petrov, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}


def test_frozen_after_approval(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    head.call("deal.approval.request", "action_approve", [request_id])
    petrov.call("deal.approval.request", "write", [request_id], {"contract_file": contract_pdf("v2")})
    assert read(petrov, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}


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
    head.call("deal.approval.request", "approve", [request_id], "Согласовано")
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


# ---------------------------------------------------------------- the gate

def stage(user, name):
    stages = user.call("crm.stage", "search", [("name", "=", name)], limit=1)
    assert stages, "the demo has the stage %s" % name
    return stages[0]


def new_deal(user, name="Сделка для проверки этапа", **values):
    values = dict({"name": name, "type": "opportunity", "user_id": user.uid,
                   "stage_id": stage(user, "Переговоры")}, **values)
    return user.call("crm.lead", "create", values)


def deal_state(user, lead_ids):
    return [(row["stage_id"][0], row["probability"]) for row in
            user.call("crm.lead", "read", list(lead_ids), ["stage_id", "probability"])]


def approve_for(user, head, lead_id):
    request_id = user.call("deal.approval.request", "create", {
        "lead_id": lead_id, "contract_file": contract_pdf(), "amount": 1000.0})
    user.call("deal.approval.request", "action_submit", [request_id])
    head.call("deal.approval.request", "action_approve", [request_id])
    assert read(user, request_id, "state")["state"] == "approved"
    return request_id


def test_gate_every_route_as_salesman(rpc):
    """Mark Won, kanban drag and form save (write through the web client's
    call_kw), RPC write of stage_id or probability, mass edit, create in the
    stage (directly or by default_stage_id) and import: all refused, in
    Russian, and the deals stay where they were."""
    petrov = rpc("petrov")
    gate, won = stage(petrov, "Договор подписан"), stage(petrov, "Выиграна")
    lead_id, second_id = new_deal(petrov), new_deal(petrov, "Вторая сделка")
    before = deal_state(petrov, [lead_id, second_id])
    routes = [
        ("action_set_won", lambda: petrov.call("crm.lead", "action_set_won", [lead_id])),
        ("write gate", lambda: petrov.call("crm.lead", "write", [lead_id], {"stage_id": gate})),
        ("write won", lambda: petrov.call("crm.lead", "write", [lead_id], {"stage_id": won})),
        ("write probability", lambda: petrov.call("crm.lead", "write", [lead_id], {"probability": 100})),
        ("mass edit", lambda: petrov.call("crm.lead", "write", [lead_id, second_id], {"stage_id": won})),
    ]
    for name, route in routes:
        fault = refused(route)
        assert fault.faultCode == USER_ERROR, name
        assert "нельзя" in fault.faultString or "нужен" in fault.faultString, (name, fault.faultString)
        assert deal_state(petrov, [lead_id, second_id]) == before, name
    # The web client: a kanban drag and a form save are call_kw writes.
    for context in ({"params": {"view_type": "kanban"}}, {}):
        with pytest.raises(RpcError) as error:
            petrov.call_kw("crm.lead", "write", [lead_id], {"stage_id": won}, context=context)
        assert "нельзя" in str(error.value)
    assert deal_state(petrov, [lead_id, second_id]) == before
    # New deals.
    count = petrov.call("crm.lead", "search_count", [("name", "like", "Сразу в выигранные")])
    for values, context in (({"stage_id": won}, {}), ({"stage_id": gate}, {}), ({"probability": 100}, {}),
                            ({}, {"default_stage_id": won})):
        values = dict({"name": "Сразу в выигранные", "type": "opportunity", "user_id": petrov.uid}, **values)
        assert refused(petrov.call, "crm.lead", "create", values, context=context).faultCode == USER_ERROR
    result = petrov.call("crm.lead", "load", ["name", "type", "stage_id/.id"],
                         [["Сразу в выигранные", "opportunity", str(won)]])
    assert result["ids"] is False and result["messages"]
    result = petrov.call("crm.lead", "load", [".id", "stage_id/.id"], [[str(lead_id), str(won)]])
    assert result["ids"] is False and result["messages"]
    assert petrov.call("crm.lead", "search_count", [("name", "like", "Сразу в выигранные")]) == count
    assert deal_state(petrov, [lead_id, second_id]) == before
    # Nor does he move the gate: the stages are the head's.
    gate_before = petrov.call("crm.stage", "read", [gate, won], ["approval_required", "sequence"])
    for stage_id, values in ((gate, {"approval_required": False}), (gate, {"sequence": 99}), (won, {"sequence": 1})):
        assert refused(petrov.call, "crm.stage", "write", [stage_id], values).faultCode == ACCESS_ERROR
    assert petrov.call("crm.stage", "read", [gate, won], ["approval_required", "sequence"]) == gate_before
    assert gate_before[0]["approval_required"]


def test_gate_opens_on_the_current_version_only(rpc):
    petrov, head = rpc("petrov"), rpc("head")
    gate, won = stage(petrov, "Договор подписан"), stage(petrov, "Выиграна")
    lead_id = new_deal(petrov)
    # The head is gated too.
    fault = refused(head.call, "crm.lead", "action_set_won", [lead_id])
    assert fault.faultCode == USER_ERROR
    request_id = approve_for(petrov, head, lead_id)
    # A new version of the document: the former approval does not count.
    petrov.call("deal.approval.request", "write", [request_id], {"contract_file": contract_pdf("v2")})
    assert read(petrov, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}
    before = deal_state(petrov, [lead_id])
    assert refused(petrov.call, "crm.lead", "write", [lead_id], {"stage_id": gate}).faultCode == USER_ERROR
    assert deal_state(petrov, [lead_id]) == before
    head.call("deal.approval.request", "action_approve", [request_id])
    petrov.call("crm.lead", "write", [lead_id], {"stage_id": gate})
    assert deal_state(petrov, [lead_id])[0][0] == gate
    # The head moves the approved deal of his salesman to won.
    head.call("crm.lead", "action_set_won", [lead_id])
    assert deal_state(petrov, [lead_id]) == [(won, 100.0)]


def test_gate_holds_on_a_team_stage_and_a_mass_edit(rpc):
    """A stage of another team after the gate, and a mass edit where only
    one deal is approved."""
    petrov, head = rpc("petrov"), rpc("head")
    teams = head.call("crm.team", "search", [("name", "=", "Отдел продаж: Регионы")], limit=1)
    team_stage = head.call("crm.stage", "create", {"name": "Отгрузка (регионы, тест)", "sequence": 65,
                                                   "probability": 95, "team_id": teams[0]})
    try:
        approved_id, other_id = new_deal(petrov), new_deal(petrov, "Сделка без согласования")
        approve_for(petrov, head, approved_id)
        before = deal_state(petrov, [approved_id, other_id])
        fault = refused(petrov.call, "crm.lead", "write", [other_id], {"stage_id": team_stage})
        assert fault.faultCode == USER_ERROR
        fault = refused(petrov.call, "crm.lead", "write", [approved_id, other_id], {"stage_id": team_stage})
        assert "Сделка без согласования" in fault.faultString
        assert deal_state(petrov, [approved_id, other_id]) == before
        petrov.call("crm.lead", "write", [approved_id], {"stage_id": team_stage})
        assert deal_state(petrov, [approved_id])[0][0] == team_stage
    finally:
        head.call("crm.lead", "write", head.call("crm.lead", "search", [("stage_id", "=", team_stage)]),
                  {"stage_id": stage(head, "Переговоры")})
        head.call("crm.stage", "unlink", [team_stage])


# ---------------------------------------------------------------- email links

def token_page(session, url):
    answer = session.get(url, timeout=120)
    assert answer.status_code == 200
    return answer.text


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_email_link_get_changes_nothing_and_post_decides_once(rpc, odoo_server):
    petrov, head, findir = rpc("petrov"), rpc("head"), rpc("findir")
    request_id = new_request(petrov)
    links = email_links(rpc, request_id)
    url = odoo_server.url
    token = links["approve"].split("t=", 1)[1]
    # GET, twice: the request, its figures and a form; nothing decided.
    for _time in range(2):
        page = token_page(head.session, url + links["approve"])
        assert 'id="deal_approval_form"' in page and 'id="deal_approval_summary"' in page
        assert "alert-success" not in page
        assert read(head, request_id, "state")["state"] == "waiting"
    # Another user: no form, nothing decided.
    page = token_page(findir.session, url + links["approve"])
    assert ("another person" in page or "другому" in page) and "deal_approval_form" not in page
    # Forged: a changed signature.
    forged = links["approve"][:-4] + ("0000" if not links["approve"].endswith("0000") else "1111")
    page = token_page(head.session, url + forged)
    assert ("forged" in page or "подделана" in page) and "deal_approval_form" not in page
    # POST without the CSRF token (a forged page or a scanner): refused.
    answer = head.session.post(url + "/deal_approval/token", data={"t": token}, timeout=60)
    assert answer.status_code == 400
    answer = head.session.post(url + "/deal_approval/token", data={"t": token, "csrf_token": "x" * 40},
                               timeout=60)
    assert answer.status_code == 400
    # POST by another user with his own CSRF token: refused.
    page = findir.session.post(url + "/deal_approval/token", timeout=60, data={
        "t": token, "csrf_token": csrf_of(token_page(findir.session, url + "/web/login"))}).text
    assert "another person" in page or "другому" in page
    assert read(head, request_id, "state")["state"] == "waiting"
    # POST by the approver with the form's CSRF token: decided, once.
    csrf = csrf_of(token_page(head.session, url + links["approve"]))
    page = head.session.post(url + "/deal_approval/token", timeout=120,
                             data={"t": token, "csrf_token": csrf, "comment": "Из письма"}).text
    assert "alert-success" in page
    assert read(head, request_id, "state")["state"] == "approved"
    page = head.session.post(url + "/deal_approval/token", timeout=60,
                             data={"t": token, "csrf_token": csrf, "comment": "Ещё раз"}).text
    assert "alert-success" not in page and ("already used" in page or "уже использована" in page)
    page = token_page(head.session, url + links["reject"])
    assert "alert-success" not in page and "deal_approval_form" not in page
    assert read(head, request_id, "state")["state"] == "approved"


def test_email_reject_link_asks_the_reason(rpc, odoo_server):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    links = email_links(rpc, request_id)
    page = token_page(head.session, odoo_server.url + links["reject"])
    assert 'name="reason"' in page
    csrf = csrf_of(page)
    token = links["reject"].split("t=", 1)[1]
    page = head.session.post(odoo_server.url + "/deal_approval/token",
                             data={"csrf_token": csrf, "t": token, "reason": "  "}, timeout=60).text
    assert 'name="reason"' in page and read(petrov, request_id, "state")["state"] == "waiting"
    page = head.session.post(odoo_server.url + "/deal_approval/token",
                             data={"csrf_token": csrf, "t": token, "reason": "Нет подписи"}, timeout=120).text
    assert "alert-success" in page
    assert read(petrov, request_id, "state", "reject_reason") == {
        "id": request_id, "state": "rejected", "reject_reason": "Нет подписи"}


PAYLOAD = "<img src=x onerror=alert(1)>"


def test_user_text_is_escaped_in_the_email_the_link_page_and_the_chatter(rpc, odoo_server):
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov, payment_terms="Отсрочка " + PAYLOAD, note="Прошу " + PAYLOAD)
    admin = rpc("admin", "admin")
    name = read(petrov, request_id, "name")["name"]
    body = admin.call("mail.mail", "search_read", [("subject", "like", name)], fields=["body_html"],
                      order="id desc", limit=1)[0]["body_html"]
    assert PAYLOAD not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    links = email_links(rpc, request_id)
    page = token_page(head.session, odoo_server.url + links["reject"])
    assert PAYLOAD not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2
    token = links["reject"].split("t=", 1)[1]
    head.session.post(odoo_server.url + "/deal_approval/token", timeout=120,
                      data={"csrf_token": csrf_of(page), "t": token, "reason": "Нет: " + PAYLOAD})
    assert read(petrov, request_id, "state")["state"] == "rejected"
    messages = petrov.call("mail.message", "search_read",
                           [("model", "=", "deal.approval.request"), ("res_id", "=", request_id)], fields=["body"])
    bodies = [m["body"] for m in messages if "onerror" in (m["body"] or "")]
    assert bodies and all(PAYLOAD not in body and "<img" not in body for body in bodies)


# ---------------------------------------------------------------- switches

def test_context_switches_of_a_client_change_nothing(rpc):
    """deal_approval_no_pdf, deal_approval_force_pdf, landscape and the
    trusted key sent over RPC: the PDF is made anyway, the guard holds."""
    petrov = rpc("petrov")
    context = {"deal_approval_no_pdf": True, "deal_approval_force_pdf": True, "landscape": True,
               "deal_approval_trusted": True}
    request_id = new_request(petrov, context=context)
    values = read(petrov, request_id, "state", "merged_attachment_id")
    assert values["state"] == "waiting" and values["merged_attachment_id"]
    fault = refused(petrov.call, "deal.approval.request", "create", {
        "lead_id": own_lead(petrov), "contract_file": contract_pdf(), "amount": 5.0},
        context=dict(context, default_state="approved", default_checksum="0" * 64))
    assert fault.faultCode == ACCESS_ERROR
    fault = refused(petrov.call, "deal.approval.request", "create", {
        "lead_id": own_lead(petrov), "contract_file": contract_pdf(), "amount": 5.0},
        context={"default_user_id": rpc("head").uid})
    assert fault.faultCode == ACCESS_ERROR


# ---------------------------------------------------------------- the three levels

def test_all_documents_level_reads_all_and_decides_nothing(rpc):
    """A salesman with "All documents" (group_sale_salesman_all_leads)
    reads every request, changes only his own, and cannot approve."""
    admin, petrov, sidorova, head = rpc("admin", "admin"), rpc("petrov"), rpc("sidorova"), rpc("head")
    group = admin.call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman_all_leads")
    admin.call("res.users", "write", [sidorova.uid], {"groups_id": [(4, group)]})
    try:
        theirs = new_request(petrov)
        assert sidorova.call("deal.approval.request", "search", [("id", "=", theirs)]) == [theirs]
        assert read(sidorova, theirs, "state")["state"] == "waiting"
        for method, args in (("action_approve", []), ("approve", ["ОК"]), ("action_reject", ["Нет"]),
                             ("action_cancel", []), ("unlink", [])):
            assert refused(sidorova.call, "deal.approval.request", method, [theirs], *args).faultCode in (
                ACCESS_ERROR, USER_ERROR), method
        assert refused(sidorova.call, "deal.approval.request", "write", [theirs],
                       {"note": "чужая"}).faultCode == ACCESS_ERROR
        assert read(head, theirs, "state", "note") == {"id": theirs, "state": "waiting", "note": False}
    finally:
        admin.call("res.users", "write", [sidorova.uid], {"groups_id": [(3, group)]})
    # Back to his own documents only.
    assert sidorova.call("deal.approval.request", "search", [("id", "=", theirs)]) == []


# ---------------------------------------------------------------- inventory

def test_salesman_calls_the_other_public_methods(rpc):
    """The public methods of deal_approval not covered above, called as a
    salesman: each refused or limited to his own records."""
    petrov, sidorova, admin = rpc("petrov"), rpc("sidorova"), rpc("admin", "admin")
    # crm.lead.action_view_approval_requests: his deal, not a colleague's.
    action = petrov.call("crm.lead", "action_view_approval_requests", [own_lead(petrov)])
    assert action["domain"] == [["lead_id", "=", own_lead(petrov)]]
    # (petrov leads the Moscow team: a deal of the regional team is not his.)
    assert refused(petrov.call, "crm.lead", "action_view_approval_requests",
                   [own_lead(rpc("popov"))]).faultCode == ACCESS_ERROR
    # deal.approval.request: the author's own actions.
    request_id = new_request(petrov, submit=False)
    assert refused(sidorova.call, "deal.approval.request", "action_submit", [request_id]).faultCode == ACCESS_ERROR
    assert refused(sidorova.call, "deal.approval.request", "unlink", [request_id]).faultCode == ACCESS_ERROR
    assert refused(sidorova.call, "deal.approval.request", "action_open_pdf", [request_id]).faultCode == ACCESS_ERROR
    petrov.call("deal.approval.request", "action_submit", [request_id])
    assert refused(petrov.call, "deal.approval.request", "unlink", [request_id]).faultCode == USER_ERROR
    assert petrov.call("deal.approval.request", "action_open_pdf", [request_id])["url"].startswith("/web/content/")
    assert refused(petrov.call, "deal.approval.request", "action_open_reject_wizard",
                   [request_id]).faultCode == ACCESS_ERROR
    wizard_id = petrov.call("deal.approval.reject.wizard", "create", {"request_id": request_id, "reason": "сам"})
    assert refused(petrov.call, "deal.approval.reject.wizard", "action_reject", [wizard_id]).faultCode == ACCESS_ERROR
    assert read(petrov, request_id, "state")["state"] == "waiting"
    petrov.call("deal.approval.request", "action_cancel", [request_id])
    petrov.call("deal.approval.request", "unlink", [request_id])
    assert not petrov.call("deal.approval.request", "search", [("id", "=", request_id)])
    # deal.approval.step: history, made by the workflow only.
    request_id = new_request(petrov)
    step_ids = read(petrov, request_id, "step_ids")["step_ids"]
    assert refused(petrov.call, "deal.approval.step", "create", {
        "request_id": request_id, "approver_id": petrov.uid, "version": 1, "state": "approved",
    }).faultCode == ACCESS_ERROR
    assert refused(petrov.call, "deal.approval.step", "write", step_ids,
                   {"state": "approved"}).faultCode == ACCESS_ERROR
    assert refused(petrov.call, "deal.approval.step", "unlink", step_ids).faultCode == ACCESS_ERROR
    # deal.approval.report.init: the installation's only.
    assert refused(petrov.call, "deal.approval.report", "init", []).faultCode == ACCESS_ERROR
    # res.config.settings: reading is harmless, setting is the administrator's.
    # (sales_control's get_values reads record rules: a salesman cannot even
    # make a settings record; were he able to, set_values refuses him.)
    head_before = admin.call("ir.config_parameter", "get_param", "deal_approval.head_approver_id")
    try:
        values = petrov.call("res.config.settings", "get_values", [])
        assert values["deal_approval_head_id"] == int(head_before)
        settings_id = petrov.call("res.config.settings", "create", {"deal_approval_head_id": petrov.uid})
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == ACCESS_ERROR
    else:
        assert refused(petrov.call, "res.config.settings", "set_values", [settings_id]).faultCode == ACCESS_ERROR
    assert admin.call("ir.config_parameter", "get_param", "deal_approval.head_approver_id") == head_before
    group = admin.call("ir.model.data", "xmlid_to_res_id", "deal_approval.group_deal_approver")
    assert petrov.uid not in admin.call("res.groups", "read", [group], ["users"])[0]["users"]
    # account.invoice / account.invoice.line write: his invoice is read-only to a salesman.
    invoice_id = new_invoice(admin, petrov)
    invoice = petrov.call("account.invoice", "read", [invoice_id], ["name", "amount_total", "invoice_line_ids"])[0]
    assert refused(petrov.call, "account.invoice", "write", [invoice_id], {"name": "x"}).faultCode == ACCESS_ERROR
    assert refused(petrov.call, "account.invoice.line", "write", invoice["invoice_line_ids"],
                   {"quantity": 99}).faultCode == ACCESS_ERROR
    assert refused(petrov.call, "account.invoice.line", "create", {
        "invoice_id": invoice_id, "name": "Скидка", "quantity": 1, "price_unit": -900.0,
    }).faultCode == ACCESS_ERROR
    assert refused(petrov.call, "account.invoice.line", "unlink", invoice["invoice_line_ids"]).faultCode == ACCESS_ERROR
    assert petrov.call("account.invoice", "read", [invoice_id], ["name", "amount_total", "invoice_line_ids"])[0] \
        == invoice


def new_invoice(admin, user):
    """A draft customer invoice of 1 000 whose salesperson is ``user`` (the
    stack has no chart of accounts: the least an invoice needs)."""
    suffix = "%04d" % random.randint(0, 9999)

    def ref(xmlid):
        return admin.call("ir.model.data", "xmlid_to_res_id", xmlid)
    receivable = admin.call("account.account", "create", {
        "code": "DR" + suffix, "name": "Расчёты с покупателями", "reconcile": True,
        "user_type_id": ref("account.data_account_type_receivable")})
    income = admin.call("account.account", "create", {
        "code": "DI" + suffix, "name": "Выручка", "user_type_id": ref("account.data_account_type_revenue")})
    journal = admin.call("account.journal", "create", {
        "name": "Продажи " + suffix, "code": "S" + suffix, "type": "sale",
        "default_debit_account_id": income, "default_credit_account_id": income})
    partner = admin.call("res.partner", "create", {
        "name": "Клиент счёта " + suffix, "customer": True, "is_company": True,
        "property_account_receivable_id": receivable, "property_account_payable_id": receivable})
    return admin.call("account.invoice", "create", {
        "partner_id": partner, "type": "out_invoice", "journal_id": journal, "user_id": user.uid,
        "account_id": receivable,
        "invoice_line_ids": [(0, 0, {"name": "Станок", "quantity": 1, "price_unit": 1000.0, "account_id": income})],
    })


def test_email_link_of_a_former_version_decides_nothing(rpc, odoo_server):
    """The author changes the document after the email: the page opened
    before cannot approve the new version."""
    petrov, head = rpc("petrov"), rpc("head")
    request_id = new_request(petrov)
    links = email_links(rpc, request_id)
    url = odoo_server.url
    csrf = csrf_of(token_page(head.session, url + links["approve"]))
    petrov.call("deal.approval.request", "write", [request_id], {"amount": 310000.0})
    assert read(head, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}
    page = head.session.post(url + "/deal_approval/token", timeout=60, data={
        "t": links["approve"].split("t=", 1)[1], "csrf_token": csrf}).text
    assert "alert-success" not in page and ("changed" in page or "изменилась" in page)
    assert read(head, request_id, "state", "version") == {"id": request_id, "state": "waiting", "version": 2}
    # The new email's link works.
    new_links = email_links(rpc, request_id)
    assert new_links["approve"] != links["approve"]
