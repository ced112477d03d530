# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .common import is_trusted


class DealApprovalStep(models.Model):
    """One approver's decision on one version of a request; kept as history."""
    _name = "deal.approval.step"
    _description = "Approval step of a deal document"
    _order = "request_id, version desc, sequence, id"

    request_id = fields.Many2one("deal.approval.request", string="Request", required=True,
                                 index=True, ondelete="cascade")
    sequence = fields.Integer(string="Order", default=1)
    version = fields.Integer(string="Version", required=True)
    approver_id = fields.Many2one("res.users", string="Approver", required=True, index=True)
    state = fields.Selection(
        [("queued", "Queued"), ("pending", "Waiting"), ("approved", "Approved"),
         ("rejected", "Rejected"), ("superseded", "Superseded")],
        string="Decision", required=True, default="queued", index=True)
    comment = fields.Text(string="Comment")
    date_start = fields.Datetime(string="Waiting since")
    date_decision = fields.Datetime(string="Decided on")

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            raise AccessError(_("Approval steps are made by the approval process only."))
        return super(DealApprovalStep, self).create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted(self):
            raise AccessError(_("Approval steps are changed by the approval process only."))
        return super(DealApprovalStep, self).write(vals)

    @api.multi
    def unlink(self):
        if not is_trusted(self):
            for step in self:
                if step.request_id.exists():
                    raise AccessError(_("Approval steps are history and cannot be deleted."))
        return super(DealApprovalStep, self).unlink()
