# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models

from ..models.date_range_type import PLAN_KINDS
from ..models.sales_plan import HEAD_GROUP

MEASURES = [("amount", "Revenue"), ("count", "Won deals")]


class SalesPlanGrid(models.TransientModel):
    """The head's plan entry: salespeople down, periods across, for
    revenue or for the number of won deals.

    The grid is a saved wizard filled by one INSERT and opened by id, so
    that the web client only reads plain columns: 50 salespeople x 12
    months open without an onchange over every cell."""

    _name = "sales.plan.grid"
    _description = "Sales Plan Entry Grid"

    year = fields.Selection("_select_years", required=True, default=lambda self: str(self._this_year()))
    period_kind = fields.Selection(
        [k for k in PLAN_KINDS if k[0] != "year"], string="Periods", required=True, default="month")
    measure = fields.Selection(MEASURES, string="Plan of", required=True, default="amount")
    team_id = fields.Many2one("crm.team", string="Sales Team", help="Empty: every team.")
    line_ids = fields.One2many("sales.plan.grid.line", "grid_id", string="Plans")

    @api.model
    def _this_year(self):
        return fields.Date.from_string(fields.Date.context_today(self)).year

    @api.model
    def _select_years(self):
        this_year = self._this_year()
        return [(str(y), str(y)) for y in range(this_year - 3, this_year + 4)]

    # ------------------------------------------------------------------
    @api.model
    def _grid_users(self, team):
        """Salespeople of the team (or of every team), the head excluded."""
        domain = [("sale_team_id", "!=", False), ("share", "=", False)]
        if team:
            domain = [("sale_team_id", "=", team.id)]
        users = self.env["res.users"].search(domain, order="sale_team_id, name")
        # One read of the head group's members, not a has_group per user.
        return users - self.env.ref(HEAD_GROUP).users

    @api.model
    def _grid_ranges(self, year, kind):
        year = int(year)
        self.env["date.range.type"]._sales_plan_ensure_ranges([year])
        return self.env["date.range"].search([
            ("type_id.sales_plan_kind", "=", kind),
            ("date_start", ">=", "%d-01-01" % year), ("date_end", "<=", "%d-12-31" % year),
        ], order="date_start")

    # Every action of the grid reads or writes every salesperson's plans:
    # each one checks the caller's group first (a salesperson can create a
    # grid of his own over RPC, as any wizard, but do nothing with it).
    @api.model
    def action_open(self):
        """The menu's entry: a grid of this year's months, saved and filled."""
        self.env["sales.plan"]._check_head()
        grid = self.create({})
        grid._fill()
        return grid._reopen()

    @api.multi
    def action_refresh(self):
        """Show the year, periods, measure and team chosen."""
        self._fill()
        return self._reopen()

    @api.multi
    def _fill(self):
        """One cell per salesperson and period, with the plan entered so
        far. Set-based: one INSERT for the whole grid instead of a create
        per cell. It reads every plan, hence the group check."""
        self.ensure_one()
        self.env["sales.plan"]._check_head()
        users = self._grid_users(self.team_id)
        ranges = self._grid_ranges(self.year, self.period_kind)
        cr = self.env.cr
        cr.execute("DELETE FROM sales_plan_grid_line WHERE grid_id = %s", (self.id,))
        self.invalidate_cache()
        if not users or not ranges:
            return
        cr.execute("""
            INSERT INTO sales_plan_grid_line (grid_id, user_id, date_range_id, value,
                                              user_label, period_label,
                                              create_uid, create_date, write_uid, write_date)
            SELECT %(grid)s, u.uid, r.rid,
                   COALESCE(CASE %(measure)s WHEN 'amount' THEN p.amount_target ELSE p.count_target END, 0),
                   partner.name, dr.name,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM unnest(%(users)s::integer[]) WITH ORDINALITY AS u (uid, uo)
             CROSS JOIN unnest(%(ranges)s::integer[]) WITH ORDINALITY AS r (rid, ro)
              JOIN res_users ru ON ru.id = u.uid
              JOIN res_partner partner ON partner.id = ru.partner_id
              JOIN date_range dr ON dr.id = r.rid
              LEFT JOIN sales_plan p ON p.user_id = u.uid AND p.date_range_id = r.rid
             ORDER BY u.uo, r.ro
        """, {"grid": self.id, "uid": self.env.uid, "measure": self.measure,
              "users": users.ids, "ranges": ranges.ids})
        self.invalidate_cache()

    # ------------------------------------------------------------------
    @api.multi
    def action_copy_previous(self):
        """Fill the empty cells from the plan of the period just before."""
        self.ensure_one()
        self.env["sales.plan"]._check_head()
        lines = self.line_ids
        periods = lines.mapped("date_range_id")
        day_before = {
            period.id: fields.Date.to_string(fields.Date.from_string(period.date_start) - timedelta(days=1))
            for period in periods}
        # The periods just before, in one search (the first by date.range's
        # order where two would match).
        by_end = {}
        for candidate in self.env["date.range"].search([
                ("type_id", "in", periods.mapped("type_id").ids),
                ("date_end", "in", list(set(day_before.values())))]):
            by_end.setdefault((candidate.type_id.id, candidate.date_end), candidate)
        previous = {period.id: by_end.get((period.type_id.id, day_before[period.id]), self.env["date.range"])
                    for period in periods}
        plans = self.env["sales.plan"].search([
            ("user_id", "in", lines.mapped("user_id").ids),
            ("date_range_id", "in", [r.id for r in previous.values() if r])])
        by_key = {(p.user_id.id, p.date_range_id.id): p for p in plans}
        cells = {(cell.user_id.id, cell.date_range_id.id): cell for cell in lines}
        # Earlier columns first, so that one known period fills the whole row.
        filled = {}
        for line in lines.sorted(lambda l: l.date_range_id.date_start):
            if line.value:
                continue
            prev = previous[line.date_range_id.id]
            plan = by_key.get((line.user_id.id, prev.id))
            if plan:
                filled[line] = plan.amount_target if self.measure == "amount" else plan.count_target
            elif (line.user_id.id, prev.id) in cells:
                prev_cell = cells[(line.user_id.id, prev.id)]
                filled[line] = filled.get(prev_cell, prev_cell.value)
        # One write per value, not one per cell.
        by_value = {}
        for line, value in filled.items():
            if value:
                by_value.setdefault(value, []).append(line.id)
        for value, line_ids in by_value.items():
            lines.browse(line_ids).write({"value": value})
        return self._reopen()

    @api.multi
    def action_apply(self):
        """Write the grid into the plans (create or update) and stay."""
        self.ensure_one()
        self.env["sales.plan"]._check_head()
        Plan = self.env["sales.plan"]
        target = "amount_target" if self.measure == "amount" else "count_target"
        lines = self.line_ids
        plans = Plan.search([("user_id", "in", lines.mapped("user_id").ids),
                             ("date_range_id", "in", lines.mapped("date_range_id").ids)])
        by_key = {(p.user_id.id, p.date_range_id.id): p for p in plans}
        for line in lines:
            value = line.value if self.measure == "amount" else int(round(line.value))
            plan = by_key.get((line.user_id.id, line.date_range_id.id))
            if plan:
                if plan[target] != value:
                    plan.write({target: value})
            elif value:
                Plan.create({"user_id": line.user_id.id, "team_id": line.user_id.sale_team_id.id,
                             "date_range_id": line.date_range_id.id, target: value})
        return self.action_refresh()

    @api.multi
    def action_apply_close(self):
        self.action_apply()
        return {"type": "ir.actions.act_window_close"}

    def _reopen(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "view_type": "form", "target": "new",
            "name": _("Enter plans"),
        }
