# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools

from ..models.common import convert_sql


class ReceivablesPartnerDebt(models.Model):
    """Clients with debt, per client and manager: the kanban of the head. The
    amounts are in the company's currency, each planned receipt at the rate
    of its date."""

    _name = "receivables.partner.debt"
    _description = "Client debt"
    _auto = False
    _order = "overdue desc, debt desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    debt = fields.Monetary(readonly=True)
    overdue = fields.Monetary(readonly=True)
    due_month = fields.Monetary(string="Due this month", readonly=True)

    def _select(self):
        rate = convert_sql("1.0", "l.currency_id", "co.currency_id", "l.date", "l.company_id")
        return """
            SELECT min(l.id) AS id, l.partner_id, l.user_id, l.team_id, co.currency_id,
                   sum(l.residual * r.rate) AS debt,
                   sum(CASE WHEN l.state = 'overdue' THEN l.residual * r.rate ELSE 0 END) AS overdue,
                   sum(CASE WHEN l.state = 'due' THEN l.residual * r.rate ELSE 0 END) AS due_month
              FROM receivables_schedule_line l
              JOIN res_company co ON co.id = l.company_id
              CROSS JOIN LATERAL (SELECT {rate} AS rate) r
             WHERE l.state != 'paid'
             GROUP BY l.partner_id, l.user_id, l.team_id, co.currency_id
        """.format(rate=rate)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._select()))
