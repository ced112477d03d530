# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from odoo import _, api, fields, models


class DealApprovalToken(models.Model):
    """A single-use link of the approval email, bound to one approver, one
    step and one version of the request; signed with the database secret."""
    _name = "deal.approval.token"
    _description = "Approval link of an email"
    _order = "id desc"

    request_id = fields.Many2one("deal.approval.request", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("deal.approval.step", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    version = fields.Integer(required=True)
    action = fields.Selection([("approve", "Approve"), ("reject", "Reject")], required=True)
    nonce = fields.Char(required=True)
    expires = fields.Datetime(required=True)
    used_date = fields.Datetime()

    def _signature(self, nonce):
        # database.secret is readable by the administrator only.
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        message = "%s:%s:%s:%s:%s:%s" % (
            self.id, nonce, self.user_id.id, self.request_id.id, self.version, self.action)
        return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()

    @api.model
    def _issue(self, step):
        """{'approve': url, 'reject': url} for the approver of the step."""
        request = step.request_id
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        hours = request._get_settings()["token_hours"]
        expires = fields.Datetime.to_string(datetime.now() + timedelta(hours=hours))
        urls = {}
        # Tokens are secrets: no user reads this table, the workflow writes
        # it on behalf of the author, hence sudo.
        for action in ("approve", "reject"):
            nonce = secrets.token_urlsafe(16)
            token = self.sudo().create({
                "request_id": request.id, "step_id": step.id, "user_id": step.approver_id.id,
                "version": request.version, "action": action, "nonce": nonce, "expires": expires,
            })
            urls[action] = "%s/deal_approval/token?t=%s" % (base_url, token._encode(nonce))
        return urls

    def _encode(self, nonce):
        return "%d.%s.%s" % (self.id, nonce, self._signature(nonce))

    @api.model
    def _check(self, value, user):
        """(token, None) when the token lets ``user`` act now, else
        (token or empty, reason)."""
        empty = self.sudo().browse()
        try:
            token_id, nonce, signature = (value or "").split(".", 2)
            token = self.sudo().browse(int(token_id)).exists()
        except ValueError:
            return empty, _("This link is damaged or forged.")
        if not token or not hmac.compare_digest(token.nonce, nonce) or \
                not hmac.compare_digest(token._signature(nonce), signature):
            return empty, _("This link is damaged or forged.")
        if token.user_id != user:
            return token, _("This link was sent to another person: it does not work for you.")
        if token.used_date:
            used = token.request_id.with_context(tz=user.tz)._format_datetime(token.used_date)
            return token, _("This link was already used on %s.") % used
        if token.expires < fields.Datetime.now():
            return token, _("This link has expired: open the request in Odoo.")
        request = token.request_id
        if request.version != token.version or request.state != "waiting" or \
                token.step_id.state != "pending" or token.step_id.approver_id != user:
            return token, _("The request has changed since this email was sent: open it in Odoo.")
        return token, None

    def _mark_used(self):
        siblings = self.search([("step_id", "=", self.step_id.id), ("used_date", "=", False)])
        siblings.write({"used_date": fields.Datetime.now()})

    @api.model
    def _gc_tokens(self, days=30):
        """Daily: forget the links used or expired more than ``days`` ago."""
        limit = fields.Datetime.to_string(datetime.now() - timedelta(days=days))
        self.sudo().search(['|', ("expires", "<", limit), ("used_date", "<", limit)]).unlink()
        return True
