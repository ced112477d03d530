# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .common import is_trusted


class DealApprovalStep(models.Model):
    """One approver's decision on one version of a request; kept as history."""
    _name = "deal.approval.step"
    _inherit = "deal.approval.review.mixin"
    _description = "Approval step of a deal document"
    _order = "request_id, version desc, sequence, id"

    request_id = fields.Many2one("deal.approval.request", string="Request", required=True,
                                 index=True, ondelete="cascade")

    @api.multi
    def unlink(self):
        if not is_trusted(self):
            for step in self:
                if step.request_id.exists():
                    raise AccessError(_("Approval steps are history and cannot be deleted."))
        return super(DealApprovalStep, self).unlink()
