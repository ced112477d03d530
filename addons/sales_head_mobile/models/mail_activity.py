# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models

REQUEST_MODEL = "deal.approval.request"
APPROVE_TYPE = "deal_approval.mail_activity_type_approve"


class MailActivity(models.Model):
    """An approval request reaches its approver as an "Approve" activity
    (whatever route or engine deal_approval uses to pick him): that activity
    is also pushed to his browsers."""

    _inherit = "mail.activity"

    @api.model
    def create(self, vals):
        activity = super(MailActivity, self).create(vals)
        if activity.res_model == REQUEST_MODEL and activity.user_id and activity._is_approval():
            activity._push_to_approver()
        return activity

    def _is_approval(self):
        approve = self.env.ref(APPROVE_TYPE, raise_if_not_found=False)
        return not approve or self.activity_type_id == approve

    def _push_to_approver(self):
        user = self.user_id
        # The text comes from the request, not from the activity (whoever may
        # write the request may word an activity), and only if the approver
        # may read the request.
        record = self.env[self.res_model].sudo(user).search([("id", "=", self.res_id)])
        if not record:
            return
        record = record.sudo().with_context(lang=user.lang or "en_US")
        partner = record["partner_id"].display_name if "partner_id" in record._fields else ""
        payload = {
            "title": self.with_context(lang=user.lang or "en_US")._push_title(),
            "body": " — ".join(filter(None, [record.display_name, partner])),
            "url": "/web#id=%d&model=%s&view_type=form" % (record.id, self.res_model),
            "tag": "%s-%d" % (self.res_model, record.id),
        }
        self.env["sales.head.mobile.subscription"]._push_after_commit(user.ids, payload)

    def _push_title(self):
        return _("Approval request")
