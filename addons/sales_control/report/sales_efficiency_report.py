# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class SalesEfficiencyReport(models.Model):
    """Touches and closed deals per manager and day, as an SQL view.

    Graph and pivot views group it in one query. The view has no window
    function so that PostgreSQL pushes a date or manager filter down into
    both branches of the union."""
    _name = "sales.efficiency.report"
    _description = "Sales Efficiency Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    touch_count = fields.Integer(string="Touches", readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True)
    proposal_count = fields.Integer(string="Proposals", readonly=True)
    meeting_count = fields.Integer(string="Meetings", readonly=True)
    email_count = fields.Integer(string="Emails", readonly=True)
    messenger_count = fields.Integer(string="Messenger", readonly=True)
    won_count = fields.Integer(string="Deals Won", readonly=True)
    lost_count = fields.Integer(string="Deals Lost", readonly=True)
    revenue_won = fields.Float(string="Revenue Won", readonly=True)

    def _select_touches(self):
        return """
            SELECT min(t.id) * 2 AS key, t.user_id, t.team_id,
                   (t.date AT TIME ZONE 'UTC')::date AS date,
                   count(*) AS touch_count,
                   count(*) FILTER (WHERE t.touch_type = 'call') AS call_count,
                   count(*) FILTER (WHERE t.touch_type = 'proposal') AS proposal_count,
                   count(*) FILTER (WHERE t.touch_type = 'meeting') AS meeting_count,
                   count(*) FILTER (WHERE t.touch_type = 'email') AS email_count,
                   count(*) FILTER (WHERE t.touch_type = 'messenger') AS messenger_count,
                   0 AS won_count, 0 AS lost_count, 0.0 AS revenue_won
              FROM sales_touch t
             WHERE t.user_id IS NOT NULL
             GROUP BY t.user_id, t.team_id, (t.date AT TIME ZONE 'UTC')::date
        """

    def _select_deals(self):
        return """
            SELECT min(l.id) * 2 + 1 AS key, l.user_id, l.team_id,
                   l.date_closed::date AS date,
                   0, 0, 0, 0, 0, 0,
                   count(*) FILTER (WHERE l.active AND l.probability >= 100) AS won_count,
                   count(*) FILTER (WHERE NOT l.active AND l.probability = 0) AS lost_count,
                   coalesce(sum(l.planned_revenue) FILTER (WHERE l.active AND l.probability >= 100), 0.0)
                       AS revenue_won
              FROM crm_lead l
             WHERE l.date_closed IS NOT NULL AND l.user_id IS NOT NULL
             GROUP BY l.user_id, l.team_id, l.date_closed::date
        """

    def _select(self):
        return """
            SELECT min(u.key) AS id, u.user_id, u.team_id, u.date,
                   sum(u.touch_count)::int AS touch_count,
                   sum(u.call_count)::int AS call_count,
                   sum(u.proposal_count)::int AS proposal_count,
                   sum(u.meeting_count)::int AS meeting_count,
                   sum(u.email_count)::int AS email_count,
                   sum(u.messenger_count)::int AS messenger_count,
                   sum(u.won_count)::int AS won_count,
                   sum(u.lost_count)::int AS lost_count,
                   sum(u.revenue_won) AS revenue_won
        """

    def _from(self):
        return "FROM (%s UNION ALL %s) u" % (self._select_touches(), self._select_deals())

    def _group_by(self):
        return "GROUP BY u.user_id, u.team_id, u.date"

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s %s %s)" % (
            self._table, self._select(), self._from(), self._group_by()))
        # The deals branch groups closed deals per manager and day.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS crm_lead_sales_closed_idx ON crm_lead (user_id, date_closed) "
            "WHERE date_closed IS NOT NULL")

    @api.model
    def compute_efficiency(self, date_from, date_to, team_id=False):
        """Per manager for the period: touches by type, won and lost deals,
        revenue won, touches per won deal, win rate and the flag. One grouped
        query; the caller's record rules decide which managers he sees."""
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        if team_id:
            domain.append(("team_id", "=", team_id))
        measures = ["touch_count", "call_count", "proposal_count", "meeting_count", "email_count",
                    "messenger_count", "won_count", "lost_count", "revenue_won"]
        groups = self.read_group(domain, ["user_id"] + measures, ["user_id"])
        users = self.env["res.users"].sudo().browse([g["user_id"][0] for g in groups])
        team_of = {user.id: user.sale_team_id.id for user in users}
        rows = []
        for group in groups:
            row = {name: group[name] or 0 for name in measures}
            row["user_id"] = group["user_id"][0]
            row["user_name"] = group["user_id"][1]
            row["team_id"] = team_of.get(row["user_id"]) or False
            closed = row["won_count"] + row["lost_count"]
            row["win_rate"] = 100.0 * row["won_count"] / closed if closed else 0.0
            row["touches_per_won"] = float(row["touch_count"]) / row["won_count"] if row["won_count"] else 0.0
            rows.append(row)
        ratio = self.env.user.company_id.sales_control_flag_ratio or 1.5
        self._flag_rows(rows, ratio)
        return rows

    @api.model
    def _flag_rows(self, rows, ratio):
        """Flag managers whose touches per won deal exceed the team median
        times ``ratio``, or who have touches above the team median and no win."""
        by_team = {}
        for row in rows:
            by_team.setdefault(row["team_id"], []).append(row)
        for team_rows in by_team.values():
            per_won = [r["touches_per_won"] for r in team_rows if r["won_count"]]
            touches = [r["touch_count"] for r in team_rows]
            median_per_won = _median(per_won)
            median_touches = _median(touches)
            for row in team_rows:
                row["team_median_touches_per_won"] = median_per_won
                if not row["won_count"]:
                    row["flagged"] = bool(row["touch_count"]) and row["touch_count"] >= median_touches
                else:
                    row["flagged"] = bool(median_per_won) and row["touches_per_won"] > ratio * median_per_won


def _median(values):
    values = sorted(values)
    if not values:
        return 0.0
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2.0
