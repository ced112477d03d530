# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    receivable_debt_total = fields.Monetary(
        string="Debt", compute="_compute_receivable_debt", currency_field="company_currency")
    receivable_overdue_total = fields.Monetary(
        string="Overdue", compute="_compute_receivable_debt", currency_field="company_currency")

    @api.multi
    def _compute_receivable_debt(self):
        totals = self.env["receivables.schedule.line"]._unpaid_by_state("lead_id", self.ids)
        for lead in self:
            by_state = totals.get(lead.id, {})
            lead.receivable_debt_total = sum(by_state.values())
            lead.receivable_overdue_total = by_state.get("overdue", 0.0)

    @api.multi
    def action_view_receivables(self):
        self.ensure_one()
        action = self.env.ref("receivables.receivables_schedule_line_action").read()[0]
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {}
        return action
