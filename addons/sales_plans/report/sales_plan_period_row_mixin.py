# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class SalesPlanPeriodRowMixin(models.AbstractModel):
    """A row of a plan report over a whole period: its dates, whether it
    runs now, and the company's currency (the report, its chart, and the
    funnel to cash of the receivables bridge)."""

    _name = "sales.plan.period.row.mixin"
    _inherit = "sales.plan.row.mixin"
    _description = "Sales Plan Period Row"

    date_start = fields.Date(string="Start", readonly=True)
    date_end = fields.Date(string="End", readonly=True)
    is_current = fields.Boolean(string="Current period", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)

    @api.model
    def _sideways_view(self, key, values, columns, figures):
        """(Re)make this model's view as the plan report turned on its side:
        one row per report row and VALUES row ``(key, columns...)`` (SQL
        built from ``r.``, the report), selecting ``figures`` of ``f.``."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(self._sideways_query(key, values, columns, figures))

    @api.model
    def _sideways_query(self, key, values, columns, figures):
        # Every part is the code's own, never a user's input.
        return """
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER (ORDER BY r.id, f.%s) AS id, f.%s::varchar AS %s,
                       r.subject, r.user_id, r.team_id, r.date_range_id, r.period_kind,
                       r.date_start, r.date_end, r.is_current, r.company_id, r.currency_id, %s
                  FROM sales_plan_report r
                 CROSS JOIN LATERAL (VALUES %s) AS f (%s, %s)
            )""" % (self._table, key, key, key, figures, values, key, columns)
