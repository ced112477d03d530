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
    _inherit = "sales.plan.period.row.mixin"
    _description = "Sales Plan Analysis"
    _auto = False
    _rec_name = "date_range_id"
    _order = "date_start desc, team_id, user_id"

    plan_id = fields.Many2one("sales.plan", string="Plan", readonly=True)
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
    won_amount = fields.Monetary(
        string="Won", readonly=True,
        help="Revenue of the deals won in the period, whatever the company's basis.")
    won_count = fields.Integer(string="Won deals (number)", readonly=True)
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
    behind_pace = fields.Boolean(
        string="Behind pace", readonly=True,
        help="The actual is below the plan's share of the days gone by.")

    # ------------------------------------------------------------------
    # The query, split so that other addons can extend one part.
    # ------------------------------------------------------------------
    @api.model
    def _actual_sources(self):
        """SQL queries of the actuals, one per basis, each giving the
        columns basis, user_id, team_id, company_id, day, amount, cnt. A
        bridge addon adds its own (e.g. money received) and a basis to the
        company's ``sales_plan_actual_basis`` selection."""
        return [self._actual_source_won()]

    @api.model
    def _deal_credit(self, lead="l"):
        """Who a deal counts for, in one rule for won deals and the
        pipeline: the salesperson and team credited when it was won (kept
        when it is reassigned later), else its own; in its company."""
        return """COALESCE({l}.plan_user_id, {l}.user_id) AS user_id,
                  COALESCE({l}.plan_team_id, {l}.team_id) AS team_id,
                  {l}.company_id AS company_id""".format(l=lead)

    @api.model
    def _actual_source_won(self):
        return """
            SELECT 'won'::varchar AS basis, %s,
                   l.date_closed::date AS day,
                   l.planned_revenue AS amount,
                   1 AS cnt
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND s.probability = 100 AND l.date_closed IS NOT NULL
        """ % self._deal_credit()

    @api.model
    def _pipeline_source(self):
        """Open deals (not won by the same stage rule as the actuals)
        expected from today on, weighted by their probability, as one more
        source: the periods sum it as they sum the actuals."""
        return """
            SELECT 'pipeline'::varchar AS basis, %s,
                   l.date_deadline AS day,
                   l.planned_revenue * l.probability / 100.0 AS amount,
                   1 AS cnt
              FROM crm_lead l
              JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity' AND l.probability < 100 AND s.probability < 100
               AND l.date_deadline >= CURRENT_DATE
        """ % self._deal_credit()

    @api.model
    def _month_sum(self, source):
        """A source's rows summed per calendar month: the columns basis,
        user_id, team_id, company_id, month, amount, cnt. The day is
        truncated as a timestamp: date_trunc() of a date casts it to a
        timestamp with time zone, which costs a time zone lookup per row."""
        return """SELECT basis, user_id, team_id, company_id, date_trunc('month', day::timestamp)::date AS month,
                         SUM(amount) AS amount, SUM(cnt) AS cnt
                    FROM (%s) src
                   GROUP BY basis, user_id, team_id, company_id, date_trunc('month', day::timestamp)""" % source

    @api.model
    def _month_sum_overrides(self):
        """{source of ``_actual_sources()``: its month sums}, for a source
        that sums its table per month more cheaply than ``_month_sum`` sums
        its rows (same columns). None here; the receivables bridge sums its
        invoices so."""
        return {}

    @api.model
    def _with(self):
        sources = self._actual_sources() + [self._pipeline_source()]
        # Each source is summed per month on its own: PostgreSQL then sums a
        # big table in one pass (in parallel workers when it pays), which it
        # cannot do below a UNION; a day would make 30 times more groups.
        overrides = self._month_sum_overrides()
        month_sums = "\n UNION ALL \n".join(overrides.get(source) or self._month_sum(source) for source in sources)
        every_row = "\n UNION ALL \n".join(sources)
        # A plan row is about a subject: a salesperson (subject 'user',
        # key user_id) or a team (subject 'team', key team_id), in a company.
        return """
        WITH ranges AS (
            SELECT r.id, r.date_start, r.date_end, t.sales_plan_kind AS kind
              FROM date_range r
              JOIN date_range_type t ON t.id = r.type_id
             WHERE t.sales_plan_kind IS NOT NULL AND r.active
        ),
        entered AS (
            SELECT p.id AS plan_id,
                   CASE WHEN p.user_id IS NULL THEN 'team' ELSE 'user' END::varchar AS subject,
                   COALESCE(p.user_id, p.team_id) AS key, p.user_id, p.team_id, p.company_id,
                   p.date_range_id, COALESCE(p.amount_target, 0) AS plan_amount,
                   COALESCE(p.count_target, 0) AS plan_count, 'entered'::varchar AS plan_source
              FROM sales_plan p
        ),
        members AS (
            -- A team's period that the team does not plan itself: the sum
            -- of what its members have entered for it.
            SELECT NULL::integer AS plan_id, 'team'::varchar AS subject, u.team_id AS key,
                   NULL::integer AS user_id, u.team_id, u.company_id, u.date_range_id,
                   SUM(u.plan_amount) AS plan_amount, SUM(u.plan_count) AS plan_count,
                   'members'::varchar AS plan_source
              FROM entered u
             WHERE u.subject = 'user' AND u.team_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM entered t WHERE t.subject = 'team'
                                  AND t.key = u.team_id AND t.date_range_id = u.date_range_id)
             GROUP BY u.team_id, u.company_id, u.date_range_id
        ),
        own AS (
            SELECT * FROM entered UNION ALL SELECT * FROM members
        ),
        months AS (
            -- A quarter, half-year or year that a salesperson or team does
            -- not plan itself: the sum of its months (a salesperson's team
            -- is that of his last month).
            SELECT NULL::integer AS plan_id, m.subject, m.key,
                   CASE WHEN m.subject = 'user' THEN m.key END AS user_id,
                   (array_agg(m.team_id ORDER BY mr.date_start DESC))[1] AS team_id,
                   m.company_id, big.id AS date_range_id,
                   SUM(m.plan_amount) AS plan_amount, SUM(m.plan_count) AS plan_count,
                   'months'::varchar AS plan_source
              FROM own m
              JOIN ranges mr ON mr.id = m.date_range_id AND mr.kind = 'month'
              -- Each longer period's months met on an equality (a hash
              -- join), then kept only when the month lies wholly inside.
              JOIN (SELECT b.id, b.date_start, b.date_end, g::date AS month
                      FROM ranges b
                     CROSS JOIN generate_series(date_trunc('month', b.date_start), b.date_end,
                                                interval '1 month') g
                     WHERE b.kind <> 'month') big
                ON big.month = date_trunc('month', mr.date_start)::date
               AND big.date_start <= mr.date_start AND mr.date_end <= big.date_end
             WHERE NOT EXISTS (SELECT 1 FROM entered e WHERE e.subject = m.subject
                                  AND e.key = m.key AND e.date_range_id = big.id)
             GROUP BY m.subject, m.key, m.company_id, big.id
        ),
        plans AS (
            -- Entered first, then the sum of months, then that of members.
            SELECT * FROM entered
            UNION ALL
            SELECT * FROM members b
             WHERE NOT EXISTS (SELECT 1 FROM months m WHERE m.subject = 'team'
                                  AND m.key = b.key AND m.date_range_id = b.date_range_id)
            UNION ALL SELECT * FROM months
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
        range_rows AS (
            SELECT a.basis, rm.date_range_id, a.user_id, a.team_id, a.company_id, a.amount, a.cnt
              FROM (%(month_sums)s) a
              JOIN (SELECT r.id AS date_range_id, m::date AS month
                      FROM month_ranges r
                     CROSS JOIN generate_series(r.date_start, r.date_end, interval '1 month') m) rm
                ON rm.month = a.month
            UNION ALL
            -- Periods typed by hand across months: from the rows, and only
            -- when there are such periods (a one-time filter skips the scan).
            SELECT a.basis, r.id, a.user_id, a.team_id, a.company_id, a.amount, a.cnt
              FROM (%(every_row)s) a
              JOIN odd_ranges r ON a.day BETWEEN r.date_start AND r.date_end
             WHERE EXISTS (SELECT 1 FROM odd_ranges)
        ),
        sums AS (
            -- Every basis side by side, per period and company, rolled up
            -- once for both subjects: per salesperson and per team.
            SELECT date_range_id, company_id,
                   CASE WHEN GROUPING(team_id) = 1 THEN 'user' ELSE 'team' END::varchar AS subject,
                   CASE WHEN GROUPING(team_id) = 1 THEN user_id ELSE team_id END AS key,
                   %(basis_sums)s
              FROM range_rows
             GROUP BY date_range_id, company_id, GROUPING SETS ((user_id), (team_id))
        ),
        figures AS (
            SELECT p.subject, p.plan_id, p.user_id, p.team_id, p.company_id, c.currency_id,
                   p.date_range_id, r.kind AS period_kind, r.date_start, r.date_end, p.plan_source,
                   p.plan_amount, p.plan_count,
                   %(basis_figures)s,
                   CASE c.sales_plan_actual_basis %(actual_amount)s ELSE 0 END AS actual_amount,
                   CASE c.sales_plan_actual_basis %(actual_count)s ELSE 0 END AS actual_count
              FROM plans p
              -- The tables, not the ranges CTE: their statistics let PostgreSQL
              -- filter the periods of the pivot before joining the figures.
              JOIN (SELECT dr.id, dr.date_start, dr.date_end, dt.sales_plan_kind AS kind
                      FROM date_range dr
                      JOIN date_range_type dt ON dt.id = dr.type_id) r ON r.id = p.date_range_id
              JOIN res_company c ON c.id = p.company_id
              LEFT JOIN sums a
                     ON a.subject = p.subject AND a.key = p.key
                    AND a.date_range_id = p.date_range_id AND a.company_id = p.company_id
        )
        """ % dict(self._basis_sql(), month_sums=month_sums, every_row=every_row)

    @api.model
    def _basis_columns(self):
        """The bases summed side by side on every row, whatever the
        company's: {basis: column prefix}, giving the columns
        <prefix>_amount and <prefix>_count. 'pipeline' is the weighted
        open deals; a bridge addon adds its bases here and in
        ``_actual_sources()``, and their fields."""
        return {"pipeline": "pipeline", "won": "won"}

    @api.model
    def _basis_sql(self):
        """The parts of the query made from ``_basis_columns()``: the sums
        per basis, the row's figures, and the actual on the company's
        basis. The names are the code's own, never a user's input."""
        columns = sorted(self._basis_columns().items())
        actual = [basis for basis, _prefix in columns if basis != "pipeline"]
        return {
            "basis_sums": ",\n".join(
                "SUM(amount) FILTER (WHERE basis = '{b}') AS {p}_amount, "
                "SUM(cnt) FILTER (WHERE basis = '{b}') AS {p}_count".format(b=basis, p=prefix)
                for basis, prefix in columns),
            "basis_figures": ",\n".join(
                "COALESCE(a.{p}_amount, 0) AS {p}_amount, COALESCE(a.{p}_count, 0) AS {p}_count".format(p=prefix)
                for _basis, prefix in columns),
            "actual_amount": " ".join(
                "WHEN '{b}' THEN COALESCE(a.{p}_amount, 0)".format(b=basis, p=dict(columns)[basis])
                for basis in actual),
            "actual_count": " ".join(
                "WHEN '{b}' THEN COALESCE(a.{p}_count, 0)".format(b=basis, p=dict(columns)[basis])
                for basis in actual),
        }

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
                   %s,
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
        """ % ", ".join("f.%(p)s_amount, f.%(p)s_count" % {"p": prefix}
                        for _basis, prefix in sorted(self._basis_columns().items()))

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
    # Won, invoiced and received sit side by side; % and remainder are on the
    # company's basis (actual_amount).
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
