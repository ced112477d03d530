# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    receivable_debt_total = fields.Monetary(
        string="Debt under contracts", compute="_compute_receivable_totals",
        help="What the client still owes under his contracts' schedules.")
    receivable_overdue_total = fields.Monetary(
        string="Overdue debt", compute="_compute_receivable_totals",
        help="The part of the debt whose planned date has passed.")
    receivable_due_month_total = fields.Monetary(
        string="Due this month", compute="_compute_receivable_totals")

    @api.multi
    def _compute_receivable_totals(self):
        """One grouped query for all partners at once (record rules apply:
        a manager sees the debt of his own contracts). The amounts are in
        the currency of account's ``currency_id``, the company's."""
        totals = self.env["receivables.schedule.line"]._unpaid_by_state("partner_id", self.ids)
        for partner in self:
            by_state = totals.get(partner.id, {})
            partner.receivable_debt_total = sum(by_state.values())
            partner.receivable_overdue_total = by_state.get("overdue", 0.0)
            partner.receivable_due_month_total = by_state.get("due", 0.0)

    @api.multi
    def action_view_receivables(self):
        self.ensure_one()
        action = self.env.ref("receivables.receivables_schedule_line_action").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_unpaid": 1}
        return action
