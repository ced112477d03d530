# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class SalesPlanReport(models.Model):
    """Plan against actual, one row per salesperson (or team) and period.

    Plans not entered are derived (``plan_source`` says which): a quarter,
    half-year or year is the sum of its months; a team's month is the sum
    of its members' months; a longer period of a team with no month at all
    is the sum of its members' plans for that period.
    Actuals come from ``_actual_sources()`` (won deals here; a bridge addon
    adds money received) for the basis chosen on the company.
    """

    _name = "sales.plan.report"
    _inherit = "sales.plan.row.mixin"
    _description = "Sales Plan Analysis"
    _auto = False
    _rec_name = "date_range_id"
    _order = "date_start desc, team_id, user_id"

    plan_id = fields.Many2one("sales.plan", string="Plan", readonly=True)
    date_start = fields.Date(string="Start", readonly=True)
    date_end = fields.Date(string="End", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    plan_source = fields.Selection(
        [("entered", "Entered"), ("months", "Sum of months"), ("members", "Sum of members")],
        string="Plan source", readonly=True)
    plan_amount = fields.Monetary(string="Revenue plan", readonly=True)
    actual_amount = fields.Monetary(string="Revenue actual", readonly=True)
    remainder_amount = fields.Monetary(
        string="Revenue to go", readonly=True, help="What is left to reach the plan, never below zero.")
    fulfilment = fields.Float(
        string="Fulfilment %", readonly=True, group_operator="avg",
        help="Revenue actual against revenue plan, in percent.")
    plan_count = fields.Integer(string="Deals plan", readonly=True)
    actual_count = fields.Integer(string="Deals won", readonly=True)
    remainder_count = fields.Integer(string="Deals to go", readonly=True)
    count_fulfilment = fields.Float(string="Deals fulfilment %", readonly=True, group_operator="avg")
    pipeline_amount = fields.Monetary(
        string="Weighted pipeline", readonly=True,
        help="Open deals expected to close in the rest of the period, weighted by probability.")
    forecast_amount = fields.Monetary(
        string="Forecast", readonly=True, help="Actual plus the weighted pipeline of the period.")
    days_left = fields.Integer(
        string="Days left", readonly=True, group_operator="max",
        help="Days left in the period, today included.")
    pace_amount = fields.Monetary(
        string="Needed per day", readonly=True, help="Revenue to go divided by the days left.")
    is_current = fields.Boolean(string="Current period", readonly=True)
    behind_pace = fields.Boolean(
        string="Behind pace", readonly=True,
        help="The actual is below the plan's share of the days gone by.")

    # ------------------------------------------------------------------
    # The query, split so that other addons can extend one part.
    # ------------------------------------------------------------------
    @api.model
    def _actual_sources(self):
        """SQL queries of the actuals, one per basis, each giving the
        columns basis, user_id, team_id, day, amount, cnt. A bridge addon
        adds its own (e.g. money received) and a basis to the company's
        ``sales_plan_actual_basis`` selection."""
        return [self._actual_source_won()]

    @api.model
    def _actual_source_won(self):
        return """
            SELECT 'won'::varchar AS basis,
                   COALESCE(l.plan_user_id, l.user_id) AS user_id,
                   COALESCE(l.plan_team_id, l.team_id) AS team_id,
                   l.date_closed::date AS day,
                   l.planned_revenue AS amount,
                   1 AS cnt
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND s.probability = 100 AND l.date_closed IS NOT NULL
        """

    @api.model
    def _with(self):
        sources = self._actual_sources()
        # Each source is summed per month on its own: PostgreSQL then sums a
        # big table in one pass (in parallel workers when it pays), which it
        # cannot do below a UNION; a day would make 30 times more groups.
        month_sums = "\n UNION ALL \n".join(
            """SELECT basis, user_id, team_id, date_trunc('month', day)::date AS month,
                      SUM(amount) AS amount, SUM(cnt) AS cnt
                 FROM (%s) src
                GROUP BY basis, user_id, team_id, date_trunc('month', day)""" % source
            for source in sources)
        every_row = "\n UNION ALL \n".join(sources)
        return """
        WITH ranges AS (
            SELECT r.id, r.date_start, r.date_end, t.sales_plan_kind AS kind
              FROM date_range r
              JOIN date_range_type t ON t.id = r.type_id
             WHERE t.sales_plan_kind IS NOT NULL AND r.active
        ),
        entered AS (
            SELECT p.id AS plan_id, p.user_id, p.team_id, p.company_id, p.date_range_id,
                   COALESCE(p.amount_target, 0) AS plan_amount, COALESCE(p.count_target, 0) AS plan_count
              FROM sales_plan p
        ),
        user_entered AS (
            SELECT plan_id, user_id, team_id, company_id, date_range_id, plan_amount, plan_count,
                   'entered'::varchar AS plan_source
              FROM entered WHERE user_id IS NOT NULL
        ),
        user_months AS (
            SELECT NULL::integer AS plan_id, m.user_id,
                   (array_agg(m.team_id ORDER BY mr.date_start DESC))[1] AS team_id,
                   m.company_id, big.id AS date_range_id,
                   SUM(m.plan_amount) AS plan_amount, SUM(m.plan_count) AS plan_count,
                   'months'::varchar AS plan_source
              FROM user_entered m
              JOIN ranges mr ON mr.id = m.date_range_id AND mr.kind = 'month'
              JOIN ranges big ON big.kind <> 'month'
                             AND big.date_start <= mr.date_start AND mr.date_end <= big.date_end
             WHERE NOT EXISTS (SELECT 1 FROM user_entered e
                                WHERE e.user_id = m.user_id AND e.date_range_id = big.id)
             GROUP BY m.user_id, m.company_id, big.id
        ),
        user_plans AS (
            SELECT * FROM user_entered UNION ALL SELECT * FROM user_months
        ),
        team_entered AS (
            SELECT plan_id, NULL::integer AS user_id, team_id, company_id, date_range_id,
                   plan_amount, plan_count, 'entered'::varchar AS plan_source
              FROM entered WHERE user_id IS NULL
        ),
        team_member_months AS (
            SELECT NULL::integer AS plan_id, NULL::integer AS user_id, u.team_id,
                   u.company_id, u.date_range_id,
                   SUM(u.plan_amount) AS plan_amount, SUM(u.plan_count) AS plan_count,
                   'members'::varchar AS plan_source
              FROM user_entered u
              JOIN ranges r ON r.id = u.date_range_id AND r.kind = 'month'
             WHERE u.team_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM team_entered t
                                WHERE t.team_id = u.team_id AND t.date_range_id = u.date_range_id)
             GROUP BY u.team_id, u.company_id, u.date_range_id
        ),
        team_month_figures AS (
            SELECT t.* FROM team_entered t JOIN ranges r ON r.id = t.date_range_id AND r.kind = 'month'
            UNION ALL SELECT * FROM team_member_months
        ),
        team_months AS (
            SELECT NULL::integer AS plan_id, NULL::integer AS user_id, m.team_id,
                   m.company_id, big.id AS date_range_id,
                   SUM(m.plan_amount) AS plan_amount, SUM(m.plan_count) AS plan_count,
                   'months'::varchar AS plan_source
              FROM team_month_figures m
              JOIN ranges mr ON mr.id = m.date_range_id
              JOIN ranges big ON big.kind <> 'month'
                             AND big.date_start <= mr.date_start AND mr.date_end <= big.date_end
             WHERE NOT EXISTS (SELECT 1 FROM team_entered e
                                WHERE e.team_id = m.team_id AND e.date_range_id = big.id)
             GROUP BY m.team_id, m.company_id, big.id
        ),
        team_own AS (
            SELECT * FROM team_entered
            UNION ALL SELECT * FROM team_member_months
            UNION ALL SELECT * FROM team_months
        ),
        team_members AS (
            -- Longer periods that neither the team nor its months plan:
            -- the sum of what the members have for them.
            SELECT NULL::integer AS plan_id, NULL::integer AS user_id, u.team_id,
                   u.company_id, u.date_range_id,
                   SUM(u.plan_amount) AS plan_amount, SUM(u.plan_count) AS plan_count,
                   'members'::varchar AS plan_source
              FROM user_plans u
             WHERE u.team_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM team_own t
                                WHERE t.team_id = u.team_id AND t.date_range_id = u.date_range_id)
             GROUP BY u.team_id, u.company_id, u.date_range_id
        ),
        plans AS (
            SELECT 'user'::varchar AS subject, * FROM user_plans
            UNION ALL SELECT 'team', * FROM team_own
            UNION ALL SELECT 'team', * FROM team_members
        ),
        month_ranges AS (
            -- Periods made of whole calendar months (all that the addon
            -- makes): their actuals are sums of monthly sums.
            SELECT id, date_start, date_end FROM ranges
             WHERE date_start = date_trunc('month', date_start)::date
               AND date_end = (date_trunc('month', date_end) + interval '1 month - 1 day')::date
        ),
        odd_ranges AS (
            SELECT id, date_start, date_end FROM ranges
             WHERE id NOT IN (SELECT id FROM month_ranges)
        ),
        range_days AS (
            -- Every day of every period: open deals meet periods on an
            -- equality (a hash join), never on a date range.
            SELECT r.id AS date_range_id, r.date_end, d::date AS day
              FROM ranges r
             CROSS JOIN generate_series(r.date_start, r.date_end, interval '1 day') d
        ),
        actual_ranges AS (
            SELECT a.basis, rm.date_range_id, a.user_id, a.team_id,
                   SUM(a.amount) AS amount, SUM(a.cnt) AS cnt
              FROM (%(month_sums)s) a
              JOIN (SELECT r.id AS date_range_id, m::date AS month
                      FROM month_ranges r
                     CROSS JOIN generate_series(r.date_start, r.date_end, interval '1 month') m) rm
                ON rm.month = a.month
             GROUP BY a.basis, rm.date_range_id, a.user_id, a.team_id
            UNION ALL
            -- Periods typed by hand across months: from the rows, and only
            -- when there are such periods (a one-time filter skips the scan).
            SELECT a.basis, r.id, a.user_id, a.team_id, SUM(a.amount), SUM(a.cnt)
              FROM (%(every_row)s) a
              JOIN odd_ranges r ON a.day BETWEEN r.date_start AND r.date_end
             WHERE EXISTS (SELECT 1 FROM odd_ranges)
             GROUP BY a.basis, r.id, a.user_id, a.team_id
        ),
        user_actuals AS (
            SELECT basis, date_range_id, user_id, SUM(amount) AS amount, SUM(cnt) AS cnt
              FROM actual_ranges WHERE user_id IS NOT NULL
             GROUP BY basis, date_range_id, user_id
        ),
        team_actuals AS (
            SELECT basis, date_range_id, team_id, SUM(amount) AS amount, SUM(cnt) AS cnt
              FROM actual_ranges WHERE team_id IS NOT NULL
             GROUP BY basis, date_range_id, team_id
        ),
        pipeline_ranges AS (
            -- Open deals expected in the rest of the current periods.
            SELECT rd.date_range_id, l.user_id, l.team_id,
                   SUM(l.planned_revenue * l.probability / 100.0) AS amount
              FROM crm_lead l
              JOIN range_days rd ON rd.day = l.date_deadline
             WHERE l.active AND l.type = 'opportunity' AND l.probability < 100
               AND l.date_deadline >= CURRENT_DATE
             GROUP BY rd.date_range_id, l.user_id, l.team_id
        ),
        user_pipelines AS (
            SELECT date_range_id, user_id, SUM(amount) AS amount
              FROM pipeline_ranges WHERE user_id IS NOT NULL
             GROUP BY date_range_id, user_id
        ),
        team_pipelines AS (
            SELECT date_range_id, team_id, SUM(amount) AS amount
              FROM pipeline_ranges WHERE team_id IS NOT NULL
             GROUP BY date_range_id, team_id
        ),
        figures AS (
            SELECT p.subject, p.plan_id, p.user_id, p.team_id, p.company_id, c.currency_id,
                   p.date_range_id, r.kind AS period_kind, r.date_start, r.date_end, p.plan_source,
                   p.plan_amount, p.plan_count,
                   COALESCE(ua.amount, ta.amount, 0) AS actual_amount,
                   COALESCE(ua.cnt, ta.cnt, 0) AS actual_count,
                   COALESCE(up.amount, tp.amount, 0) AS pipeline_amount
              FROM plans p
              -- The tables, not the ranges CTE: their statistics let PostgreSQL
              -- filter the periods of the pivot before joining the figures.
              JOIN (SELECT dr.id, dr.date_start, dr.date_end, dt.sales_plan_kind AS kind
                      FROM date_range dr
                      JOIN date_range_type dt ON dt.id = dr.type_id) r ON r.id = p.date_range_id
              JOIN res_company c ON c.id = p.company_id
              LEFT JOIN user_actuals ua
                     ON p.subject = 'user' AND ua.basis = c.sales_plan_actual_basis
                    AND ua.date_range_id = p.date_range_id AND ua.user_id = p.user_id
              LEFT JOIN team_actuals ta
                     ON p.subject = 'team' AND ta.basis = c.sales_plan_actual_basis
                    AND ta.date_range_id = p.date_range_id AND ta.team_id = p.team_id
              LEFT JOIN user_pipelines up
                     ON p.subject = 'user' AND up.date_range_id = p.date_range_id AND up.user_id = p.user_id
              LEFT JOIN team_pipelines tp
                     ON p.subject = 'team' AND tp.date_range_id = p.date_range_id AND tp.team_id = p.team_id
        )
        """ % {"month_sums": month_sums, "every_row": every_row}

    @api.model
    def _select(self):
        return """
            SELECT f.date_range_id * 100000
                   + CASE WHEN f.subject = 'user' THEN f.user_id ELSE 50000 + f.team_id END AS id,
                   f.subject, f.plan_id, f.user_id, f.team_id, f.company_id, f.currency_id,
                   f.date_range_id, f.period_kind, f.date_start, f.date_end, f.plan_source,
                   f.plan_amount, f.actual_amount,
                   GREATEST(f.plan_amount - f.actual_amount, 0) AS remainder_amount,
                   CASE WHEN f.plan_amount > 0 THEN 100.0 * f.actual_amount / f.plan_amount END AS fulfilment,
                   f.plan_count, f.actual_count,
                   GREATEST(f.plan_count - f.actual_count, 0) AS remainder_count,
                   CASE WHEN f.plan_count > 0 THEN 100.0 * f.actual_count / f.plan_count END AS count_fulfilment,
                   f.pipeline_amount,
                   f.actual_amount + f.pipeline_amount AS forecast_amount,
                   GREATEST(f.date_end - GREATEST(CURRENT_DATE, f.date_start) + 1, 0) AS days_left,
                   GREATEST(f.plan_amount - f.actual_amount, 0)
                       / NULLIF(GREATEST(f.date_end - GREATEST(CURRENT_DATE, f.date_start) + 1, 0), 0)
                       AS pace_amount,
                   CURRENT_DATE BETWEEN f.date_start AND f.date_end AS is_current,
                   f.plan_amount > 0 AND f.date_start <= CURRENT_DATE
                       AND f.actual_amount < f.plan_amount
                           * (LEAST(CURRENT_DATE, f.date_end) - f.date_start + 1)
                           / (f.date_end - f.date_start + 1) AS behind_pace
        """

    @api.model
    def _from(self):
        return " FROM figures f "

    @api.model
    def _where(self):
        return ""

    # A row's id is stable (period and subject), and fits the 32 bits of
    # XML-RPC: up to 21,000 periods, 50,000 users and 50,000 teams.
    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s %s %s %s)" % (
            self._table, self._with(), self._select(), self._from(), self._where()))
        # Dropping the view (CASCADE) drops the chart and the cumulative line
        # built on it, and the line reads _actual_sources() too: both are made
        # again here, so that an addon extending this report (whose update
        # runs only this init) keeps them.
        self.env["sales.plan.chart"].init()
        self.env["sales.plan.progress"].init()

    # Per measure: plan, actual, their percentage and remainder (and its zero).
    _GROUP_RATIOS = (
        ("plan_amount", "actual_amount", "fulfilment", "remainder_amount", 0.0),
        ("plan_count", "actual_count", "count_fulfilment", "remainder_count", 0),
    )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Percentages, remainders and pace of a group come from its sums,
        not from the sum or average of its rows."""
        result = super(SalesPlanReport, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        for group in result:
            for plan_field, actual_field, percent_field, remainder_field, zero in self._GROUP_RATIOS:
                plan, actual = group.get(plan_field), group.get(actual_field)
                if plan is None or actual is None:
                    continue
                if percent_field in group:
                    group[percent_field] = 100.0 * actual / plan if plan else False
                if remainder_field in group:
                    group[remainder_field] = max(plan - actual, zero)
        return result
