# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from ..models.common import check_superuser


class SalesEfficiencyReport(models.Model):
    """Touches and closed deals per manager, as an SQL view: one row per
    touch and one per closed deal, with 0/1 measures.

    Graph and pivot views aggregate it in one grouped query; the view has no
    aggregate or window of its own, so PostgreSQL pushes a date or manager
    filter into both branches of the union and groups once."""
    _name = "sales.efficiency.report"
    _inherit = ["sales.efficiency.figures", "sales.grouped.report.mixin"]
    _description = "Sales Efficiency Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(readonly=True)

    def _select_touches(self):
        return """
            SELECT t.id * 2 AS id, t.user_id, t.team_id,
                   (t.date AT TIME ZONE 'UTC')::date AS date,
                   1 AS touch_count,
                   (t.touch_type = 'call')::int AS call_count,
                   (t.touch_type = 'proposal')::int AS proposal_count,
                   (t.touch_type = 'meeting')::int AS meeting_count,
                   (t.touch_type = 'email')::int AS email_count,
                   (t.touch_type = 'messenger')::int AS messenger_count,
                   0 AS won_count, 0 AS lost_count, 0.0::float8 AS revenue_won
              FROM sales_touch t
             WHERE t.user_id IS NOT NULL
        """

    def _select_deals(self):
        return """
            SELECT l.id * 2 + 1, l.user_id, l.team_id,
                   l.date_closed::date,
                   0, 0, 0, 0, 0, 0,
                   (l.active AND l.probability >= 100)::int,
                   (NOT l.active AND l.probability = 0)::int,
                   CASE WHEN l.active AND l.probability >= 100 THEN coalesce(l.planned_revenue, 0.0)
                        ELSE 0.0 END
              FROM crm_lead l
             WHERE l.date_closed IS NOT NULL AND l.user_id IS NOT NULL
               AND (l.probability >= 100 OR NOT l.active)
        """

    @api.model_cr
    def init(self):
        check_superuser(self)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s)" % (
            self._table, self._select_touches(), self._select_deals()))
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
        for team_id, team_rows in by_team.items():
            if not team_id:
                # No team, no median to compare with (the head, say).
                for row in team_rows:
                    row.update(team_median_touches_per_won=0.0, flagged=False)
                continue
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
