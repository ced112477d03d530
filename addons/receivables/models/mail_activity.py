# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.multi
    def action_feedback(self, feedback=False):
        """A chase's call marked done: Odoo 11 deletes the activity, so the
        chase links the touch it produced (see receivables.overdue.chase)."""
        chases = self.env["receivables.overdue.chase"]._chases_of(self)
        if not chases:
            return super(MailActivity, self).action_feedback(feedback=feedback)
        # sudo: the newest touch id, whatever the user may read.
        last = self.env["sales.touch"].sudo().search([], order="id desc", limit=1).id or 0
        result = super(MailActivity, self).action_feedback(feedback=feedback)
        chases._calls_done(last)
        return result
