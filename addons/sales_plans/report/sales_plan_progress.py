# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class SalesPlanProgress(models.Model):
    """Day by day through the current periods: the plan as an even pace
    and the actual as a running total, for the cumulative line chart."""

    _name = "sales.plan.progress"
    _inherit = "sales.plan.row.mixin"
    _description = "Sales Plan Progress"
    _auto = False
    _rec_name = "day"
    _order = "day, figure"

    day = fields.Date(readonly=True)
    figure = fields.Selection([("1_plan", "Plan (even pace)"), ("2_actual", "Actual")], readonly=True)
    amount = fields.Float(string="Revenue, cumulative", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (self._table, self._query()))

    @api.model
    def _query(self):
        actuals = "\n UNION ALL \n".join(self.env["sales.plan.report"]._actual_sources())
        return """
            WITH cur AS (
                SELECT r.id AS rid, r.subject, r.user_id, r.team_id, r.company_id, r.date_range_id,
                       r.period_kind, r.date_start, r.date_end, r.plan_amount,
                       c.sales_plan_actual_basis AS basis
                  FROM sales_plan_report r
                  JOIN res_company c ON c.id = r.company_id
                 WHERE r.is_current
            ),
            days AS (
                SELECT cur.*, d::date AS day
                  FROM cur CROSS JOIN generate_series(cur.date_start, cur.date_end, interval '1 day') d
            ),
            act AS (
                SELECT basis, user_id, team_id, company_id, day, SUM(amount) AS amount
                  FROM (%s) src
                 WHERE day >= date_trunc('year', CURRENT_DATE) - interval '1 year'
                 GROUP BY basis, user_id, team_id, company_id, day
            ),
            daily AS (
                SELECT d.rid, d.subject, d.user_id, d.team_id, d.company_id, d.date_range_id,
                       d.period_kind, d.date_start, d.date_end, d.plan_amount, d.day,
                       COALESCE(SUM(a.amount), 0) AS amount
                  FROM days d
                  LEFT JOIN act a ON a.basis = d.basis AND a.day = d.day AND a.company_id = d.company_id
                                 AND CASE WHEN d.subject = 'user' THEN a.user_id = d.user_id
                                          ELSE a.team_id = d.team_id END
                 GROUP BY d.rid, d.subject, d.user_id, d.team_id, d.company_id, d.date_range_id,
                          d.period_kind, d.date_start, d.date_end, d.plan_amount, d.day
            )
            SELECT row_number() OVER (ORDER BY d.rid, d.day) * 2 AS id, '1_plan'::varchar AS figure,
                   d.subject, d.user_id, d.team_id, d.company_id, d.date_range_id, d.period_kind, d.day,
                   d.plan_amount * (d.day - d.date_start + 1) / (d.date_end - d.date_start + 1) AS amount
              FROM daily d
            UNION ALL
            SELECT row_number() OVER (ORDER BY d.rid, d.day) * 2 + 1, '2_actual',
                   d.subject, d.user_id, d.team_id, d.company_id, d.date_range_id, d.period_kind, d.day,
                   SUM(d.amount) OVER (PARTITION BY d.rid ORDER BY d.day)
              FROM daily d
             WHERE d.day <= CURRENT_DATE
        """ % actuals
