# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .common import is_trusted

REVIEW_STATES = [
    ("queued", "Queued"), ("pending", "Waiting"), ("approved", "Approved"),
    ("rejected", "Rejected"), ("superseded", "Superseded"), ("escalated", "Escalated"),
]


class DealApprovalReviewMixin(models.AbstractModel):
    """One approver's decision on one version of a document (a review, as
    OCA's tier.review): made, changed and kept by the engine only. A model
    using ``deal.approval.mixin`` keeps its reviews in a model that inherits
    this one and adds the many2one to the document."""
    _name = "deal.approval.review.mixin"
    _description = "Approval review (abstract)"

    sequence = fields.Integer(string="Order", default=1,
                              help="Reviews of one version with the same order run in parallel.")
    version = fields.Integer(string="Version", required=True)
    approver_id = fields.Many2one("res.users", string="Approver", required=True, index=True)
    state = fields.Selection(REVIEW_STATES, string="Decision", required=True, default="queued",
                             index=True)
    comment = fields.Text(string="Comment")
    date_start = fields.Datetime(string="Waiting since")
    date_decision = fields.Datetime(string="Decided on")
    route_step_id = fields.Many2one("deal.approval.route.step", string="Route step", ondelete="set null")
    route_id = fields.Many2one("deal.approval.route", string="Route", ondelete="set null")
    mode = fields.Selection([("any", "Any one of"), ("all", "All of")], string="Who decides",
                            default="all", required=True)
    delegated_from_id = fields.Many2one(
        "res.users", string="In place of",
        help="The approver the route named, away on these dates: his substitute decides.")
    escalated_from_id = fields.Many2one(
        "res.users", string="Escalated from",
        help="The approver who did not decide in time: the request went one level up.")
    reminded_date = fields.Datetime(string="Reminded on")

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            raise AccessError(_("Approval steps are made by the approval process only."))
        return super(DealApprovalReviewMixin, self).create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted(self):
            raise AccessError(_("Approval steps are changed by the approval process only."))
        return super(DealApprovalReviewMixin, self).write(vals)
