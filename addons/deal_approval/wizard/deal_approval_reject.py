# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class DealApprovalRejectWizard(models.TransientModel):
    _name = "deal.approval.reject.wizard"
    _description = "Reject a deal document with a reason"

    request_id = fields.Many2one("deal.approval.request", required=True, ondelete="cascade")
    reason = fields.Text(string="Reason", required=True)

    @api.multi
    def action_reject(self):
        self.ensure_one()
        self.request_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
