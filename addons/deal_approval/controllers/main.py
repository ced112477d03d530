# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request


class DealApprovalController(http.Controller):
    """The Approve / Reject links of the approval email. The approver must
    be logged in (a phone shows the login page first, then comes back); the
    token must be his, unused, unexpired and of the current version."""

    def _result(self, token, message, ok=False, form=False, value=None):
        return request.render("deal_approval.token_page", {
            "token_request": token.request_id if token else None,
            "message": message, "ok": ok, "form": form, "value": value,
        })

    @http.route("/deal_approval/token", type="http", auth="user", methods=["GET"], website=False)
    def token_open(self, t=None, **kwargs):
        Token = request.env["deal.approval.token"]
        token, error = Token._check(t, request.env.user)
        if error:
            return self._result(token, error)
        if token.action == "reject":
            # A reason is needed: the form posts back with the same token.
            return self._result(token, _("Give the reason of the rejection."), form=True, value=t)
        return self._apply(token, comment=_("Approved from the email link."))

    @http.route("/deal_approval/token", type="http", auth="user", methods=["POST"], website=False)
    def token_post(self, t=None, reason=None, **kwargs):
        Token = request.env["deal.approval.token"]
        token, error = Token._check(t, request.env.user)
        if error:
            return self._result(token, error)
        if token.action == "reject" and not (reason or "").strip():
            return self._result(token, _("Give the reason of the rejection."), form=True, value=t)
        return self._apply(token, reason=reason)

    def _apply(self, token, comment=None, reason=None):
        record = request.env["deal.approval.request"].browse(token.request_id.id)
        try:
            if token.action == "approve":
                record.approve(comment=comment)
                message = _("Approved. Thank you.")
            else:
                record.action_reject(reason)
                message = _("Rejected. The manager was told the reason.")
        except (AccessError, UserError) as error:
            return self._result(token, error.name)
        token._mark_used()
        return self._result(token, message, ok=True)
