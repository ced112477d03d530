# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DealApprovalRoute(models.Model):
    """Who approves, as data the head of sales configures: ordered steps,
    each with its approver and the conditions under which it applies. Every
    active route of the document's model contributes the steps whose
    conditions hold; steps of the same order run in parallel."""
    _name = "deal.approval.route"
    _description = "Approval route"
    _order = "sequence, id"

    name = fields.Char(string="Route", required=True, translate=True)
    sequence = fields.Integer(string="Sequence", default=10)
    active = fields.Boolean(default=True)
    model_name = fields.Char(
        string="Document model", required=True, default="deal.approval.request",
        help="Technical name of the model whose documents this route approves.")
    company_id = fields.Many2one("res.company", string="Company",
                                 help="Empty: the route applies in every company.")
    step_ids = fields.One2many("deal.approval.route.step", "route_id", string="Steps", copy=True)
    remind_hours = fields.Integer(
        string="Remind after, working hours", default=8,
        help="A step without a decision after so many working hours (Monday to Friday, "
             "9:00 to 18:00 in the approver's time zone) reminds the approver. 0: never.")
    escalate_hours = fields.Integer(
        string="Escalate after, working hours", default=24,
        help="After so many working hours without a decision the step goes one level up. 0: never.")
    escalate_to_id = fields.Many2one(
        "res.users", string="Escalate to", domain=[("share", "=", False)],
        help="Who decides when the approver does not; empty: the head of sales "
             "(the approver of the CRM settings).")
    note = fields.Text(string="Notes")

    @api.constrains("remind_hours", "escalate_hours")
    def _check_hours(self):
        for route in self:
            if route.remind_hours < 0 or route.escalate_hours < 0:
                raise ValidationError(_("Hours before a reminder or an escalation cannot be negative."))
            if route.remind_hours and route.escalate_hours and route.escalate_hours <= route.remind_hours:
                raise ValidationError(_("A route escalates later than it reminds: "
                                        "set more hours for the escalation than for the reminder."))
