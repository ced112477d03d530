# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models

REQUEST_MODEL = "deal.approval.request"


class MailActivity(models.Model):
    """An approval request reaches its approver as an activity (whatever
    route or engine deal_approval uses to pick him): the activity made for
    him on a deal.approval.request is also pushed to his phone."""

    _inherit = "mail.activity"

    @api.model
    def create(self, vals):
        activity = super(MailActivity, self).create(vals)
        if activity.res_model == REQUEST_MODEL and activity.user_id:
            activity._push_to_approver()
        return activity

    def _push_to_approver(self):
        user = self.user_id
        record = self.env[self.res_model].browse(self.res_id)
        payload = {
            "title": self.with_context(lang=user.lang or "en_US")._push_title(),
            "body": self.summary or record.display_name,
            "url": "/web#id=%d&model=%s&view_type=form" % (self.res_id, self.res_model),
            "tag": "%s-%d" % (self.res_model, self.res_id),
        }
        self.env["sales.head.mobile.subscription"]._push_after_commit(user.ids, payload)

    def _push_title(self):
        return _("Approval request")
