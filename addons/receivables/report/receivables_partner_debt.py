# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools


class ReceivablesPartnerDebt(models.Model):
    """Clients with debt, per client and manager: the kanban of the head."""

    _name = "receivables.partner.debt"
    _description = "Client debt"
    _auto = False
    _order = "overdue desc, debt desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    debt = fields.Monetary(readonly=True)
    overdue = fields.Monetary(readonly=True)
    due_month = fields.Monetary(string="Due this month", readonly=True)

    def _select(self):
        return """
            SELECT min(l.id) AS id, l.partner_id, l.user_id, l.team_id, l.currency_id,
                   sum(l.residual) AS debt,
                   sum(CASE WHEN l.state = 'overdue' THEN l.residual ELSE 0 END) AS overdue,
                   sum(CASE WHEN l.state = 'due' THEN l.residual ELSE 0 END) AS due_month
              FROM receivables_schedule_line l
             WHERE l.state != 'paid'
             GROUP BY l.partner_id, l.user_id, l.team_id, l.currency_id
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._select()))
