# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request


class DealApprovalController(http.Controller):
    """The Approve / Reject links of the approval email. The approver must
    be logged in (a phone shows the login page first, then comes back); the
    token must be his, unused, unexpired and of the current version.

    Opening a link (GET) changes nothing: it shows the request, its key
    figures, the document and a confirmation form. The decision is taken
    only when the form is posted back (POST) with Odoo's CSRF token, so a
    mail scanner, a link preview or a forged page cannot decide."""

    def _page(self, token, message, ok=False, form=False, value=None):
        values = {
            "token_request": None, "token_action": token.action if token else None,
            "message": message, "ok": ok, "form": form, "value": value,
            "summary": [], "pdf_url": None,
        }
        if token and form:
            # The approver reads his request under the record rules (the
            # token was checked to be his and current).
            record = request.env["deal.approval.request"].browse(token.request_id.id)
            values.update(token_request=record, summary=record._summary_lines(),
                          pdf_url=record._current_pdf_url())
        elif token:
            values["token_request"] = token.request_id
        return request.render("deal_approval.token_page", values)

    @http.route("/deal_approval/token", type="http", auth="user", methods=["GET"], website=False)
    def token_open(self, t=None, **kwargs):
        token, error = request.env["deal.approval.token"]._check(t, request.env.user)
        if error:
            return self._page(token, error)
        if token.action == "reject":
            message = _("Check the request and give the reason of the rejection.")
        else:
            message = _("Check the request and confirm the approval.")
        return self._page(token, message, form=True, value=t)

    @http.route("/deal_approval/token", type="http", auth="user", methods=["POST"], website=False,
                csrf=True)
    def token_post(self, t=None, reason=None, comment=None, **kwargs):
        token, error = request.env["deal.approval.token"]._check(t, request.env.user)
        if error:
            return self._page(token, error)
        if token.action == "reject" and not (reason or "").strip():
            return self._page(token, _("Give the reason of the rejection."), form=True, value=t)
        return self._apply(token, comment=(comment or "").strip(), reason=reason)

    def _apply(self, token, comment=None, reason=None):
        record = request.env["deal.approval.request"].browse(token.request_id.id)
        try:
            if token.action == "approve":
                record.approve(comment=comment or _("Approved from the email link."))
                message = _("Approved. Thank you.")
            else:
                record.action_reject(reason)
                message = _("Rejected. The salesperson was told the reason.")
        except (AccessError, UserError) as error:
            return self._page(token, error.name)
        token._mark_used()
        return self._page(token, message, ok=True)
