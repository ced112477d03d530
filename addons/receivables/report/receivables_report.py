# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools


class ReceivablesReport(models.Model):
    """Planned against received: one row per planned receipt and one per
    matched payment, for pivot and graph by month, manager and client."""

    _name = "receivables.report"
    _description = "Planned and received money"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    contract_id = fields.Many2one("receivables.contract", string="Contract", readonly=True)
    planned = fields.Float(readonly=True)
    received = fields.Float(readonly=True)
    outstanding = fields.Float(readonly=True)
    overdue = fields.Float(readonly=True)

    def _select(self):
        return """
            SELECT l.id * 2 AS id, l.date, l.partner_id, l.user_id, l.team_id, l.contract_id,
                   l.amount AS planned, 0.0 AS received, l.residual AS outstanding,
                   CASE WHEN l.state = 'overdue' THEN l.residual ELSE 0.0 END AS overdue
              FROM receivables_schedule_line l
            UNION ALL
            SELECT p.id * 2 + 1 AS id, p.date, p.partner_id, p.user_id, p.team_id, p.contract_id,
                   0.0 AS planned, p.amount AS received, 0.0 AS outstanding, 0.0 AS overdue
              FROM receivables_payment p
             WHERE p.state = 'matched'
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._select()))
