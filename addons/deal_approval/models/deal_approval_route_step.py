# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

APPROVER_TYPES = [
    ("team_leader", "Team leader of the deal"),
    ("head", "Head of sales (CRM settings)"),
    ("finance", "Finance director (CRM settings)"),
    ("user", "A user"),
    ("group", "Members of a group"),
]


class DealApprovalRouteStep(models.Model):
    """One step of a route: who approves and when the step applies. Every
    condition left empty holds; those set must all hold."""
    _name = "deal.approval.route.step"
    _description = "Approval route step"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one("deal.approval.route", string="Route", required=True, index=True,
                               ondelete="cascade")
    sequence = fields.Integer(
        string="Order", default=10,
        help="Steps run in this order; steps with the same order (of any route) run in parallel.")
    name = fields.Char(string="Step", translate=True)
    approver_type = fields.Selection(APPROVER_TYPES, string="Approver", required=True, default="user")
    user_id = fields.Many2one("res.users", string="User", domain=[("share", "=", False)])
    group_id = fields.Many2one("res.groups", string="Group")
    mode = fields.Selection(
        [("any", "Any one of them"), ("all", "All of them")], string="Who decides",
        required=True, default="any",
        help="For a group: the first decision of any member counts, or every member must approve.")
    amount_from = fields.Float(string="Amount from", digits=(16, 2),
                               help="In the company's currency; 0: no lower limit.")
    amount_to = fields.Float(string="Amount below", digits=(16, 2),
                             help="In the company's currency; 0: no upper limit.")
    discount_above = fields.Float(string="Discount above, %", digits=(5, 2), help="0: any discount.")
    delay_above = fields.Integer(string="Payment delay above, days", help="0: any payment delay.")
    overdue_required = fields.Boolean(
        string="Client has overdue debt",
        help="The step applies only when the client's overdue debt (from receivables) is above the sum.")
    overdue_above = fields.Float(string="Overdue debt above", digits=(16, 2),
                                 help="In the company's currency.")
    team_ids = fields.Many2many("crm.team", "deal_approval_route_step_team_rel", "step_id", "team_id",
                                string="Sales teams", help="Empty: every team.")
    document_type = fields.Selection(
        [("contract", "Contract"), ("invoice", "Invoice")], string="Document kind",
        help="Empty: every kind.")

    @api.constrains("approver_type", "user_id", "group_id")
    def _check_approver(self):
        for step in self:
            if step.approver_type == "user" and not step.user_id:
                raise ValidationError(_("Choose the user who approves at this step."))
            if step.approver_type == "group" and not step.group_id:
                raise ValidationError(_("Choose the group whose members approve at this step."))

    @api.constrains("amount_from", "amount_to", "discount_above", "delay_above", "overdue_above")
    def _check_conditions(self):
        for step in self:
            if min(step.amount_from, step.amount_to, step.discount_above, step.delay_above,
                   step.overdue_above) < 0:
                raise ValidationError(_("The conditions of a route step cannot be negative."))
            if step.amount_to and step.amount_to <= step.amount_from:
                raise ValidationError(_("The upper amount of a step must be above its lower amount."))
            if step.discount_above > 100:
                raise ValidationError(_("The discount must be between 0 and 100 %."))
