# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools

from ..models.common import convert_sql


class ReceivablesReport(models.Model):
    """Planned against received: one row per planned receipt and one per
    matched payment, for pivot and graph by month, manager and client. The
    amounts are in the company's currency, each at the rate of its date."""

    _name = "receivables.report"
    _description = "Planned and received money"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    contract_id = fields.Many2one("receivables.contract", string="Contract", readonly=True)
    planned = fields.Float(readonly=True)
    received = fields.Float(readonly=True)
    outstanding = fields.Float(readonly=True)
    overdue = fields.Float(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True,
                                  help="The company's currency, in which every amount is counted.")

    def _select(self):
        # The rate of each row's own date: a planned receipt's and a
        # payment's (res_currency_rate, as res.currency.compute chooses it).
        line_rate = convert_sql("1.0", "l.currency_id", "co.currency_id", "l.date", "l.company_id")
        payment_rate = convert_sql("1.0", "p.currency_id", "co.currency_id", "p.date", "p.company_id")
        return """
            SELECT l.id * 2 AS id, l.date, l.partner_id, l.user_id, l.team_id, l.contract_id,
                   l.company_id, co.currency_id,
                   l.amount * r.rate AS planned, 0.0 AS received, l.residual * r.rate AS outstanding,
                   CASE WHEN l.state = 'overdue' THEN l.residual * r.rate ELSE 0.0 END AS overdue
              FROM receivables_schedule_line l
              JOIN res_company co ON co.id = l.company_id
              CROSS JOIN LATERAL (SELECT {line_rate} AS rate) r
            UNION ALL
            SELECT p.id * 2 + 1 AS id, p.date, p.partner_id, p.user_id, p.team_id, p.contract_id,
                   p.company_id, co.currency_id,
                   0.0 AS planned, p.amount * r.rate AS received, 0.0 AS outstanding, 0.0 AS overdue
              FROM receivables_payment p
              JOIN res_company co ON co.id = p.company_id
              CROSS JOIN LATERAL (SELECT {payment_rate} AS rate) r
             WHERE p.state = 'matched'
        """.format(line_rate=line_rate, payment_rate=payment_rate)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._select()))
