# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models

from ..models.date_range_type import PLAN_KINDS


class SalesPlanGrid(models.TransientModel):
    """The head's plan entry: salespeople down, periods across, one grid
    for revenue and one for the number of deals."""

    _name = "sales.plan.grid"
    _description = "Sales Plan Entry Grid"

    year = fields.Selection("_select_years", required=True, default=lambda self: str(self._this_year()))
    period_kind = fields.Selection(
        [k for k in PLAN_KINDS if k[0] != "year"], string="Periods", required=True, default="month")
    team_id = fields.Many2one("crm.team", string="Sales Team", help="Empty: every team.")
    amount_line_ids = fields.One2many(
        "sales.plan.grid.line", "grid_id", string="Revenue", domain=[("measure", "=", "amount")])
    count_line_ids = fields.One2many(
        "sales.plan.grid.line", "grid_id", string="Won deals", domain=[("measure", "=", "count")])

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
        return users.filtered(lambda u: not u.has_group("sales_team.group_sale_manager"))

    @api.model
    def _grid_ranges(self, year, kind):
        year = int(year)
        self.env["date.range.type"].sales_plan_ensure_ranges([year])
        return self.env["date.range"].search([
            ("type_id.sales_plan_kind", "=", kind),
            ("date_start", ">=", "%d-01-01" % year), ("date_end", "<=", "%d-12-31" % year),
        ], order="date_start")

    @api.model
    def _grid_lines(self, year, kind, team):
        users = self._grid_users(team)
        ranges = self._grid_ranges(year, kind)
        plans = self.env["sales.plan"].search([
            ("user_id", "in", users.ids), ("date_range_id", "in", ranges.ids)])
        by_key = {(p.user_id.id, p.date_range_id.id): p for p in plans}
        amount, count = [], []
        for user in users:
            for period in ranges:
                plan = by_key.get((user.id, period.id))
                common = {"user_id": user.id, "date_range_id": period.id}
                amount.append((0, 0, dict(common, measure="amount",
                                          value=plan.amount_target if plan else 0.0)))
                count.append((0, 0, dict(common, measure="count",
                                         value=plan.count_target if plan else 0.0)))
        return amount, count

    @api.model
    def default_get(self, field_names):
        values = super(SalesPlanGrid, self).default_get(field_names)
        if "amount_line_ids" not in field_names and "count_line_ids" not in field_names:
            return values
        year = values.get("year") or self._fields["year"].default(self)
        team = self.env["crm.team"].browse(values.get("team_id"))
        amount, count = self._grid_lines(year, values.get("period_kind") or "month", team)
        values.update(amount_line_ids=amount, count_line_ids=count)
        return values

    @api.onchange("year", "period_kind", "team_id")
    def _onchange_grid(self):
        if not self.year or not self.period_kind:
            return
        amount, count = self._grid_lines(self.year, self.period_kind, self.team_id)
        self.amount_line_ids = [(5, 0, 0)] + amount
        self.count_line_ids = [(5, 0, 0)] + count

    # ------------------------------------------------------------------
    @api.multi
    def action_copy_previous(self):
        """Fill the empty cells from the plan of the period just before."""
        self.ensure_one()
        lines = self.amount_line_ids | self.count_line_ids
        previous = {}
        for period in lines.mapped("date_range_id"):
            day_before = fields.Date.to_string(fields.Date.from_string(period.date_start) - timedelta(days=1))
            previous[period.id] = self.env["date.range"].search([
                ("type_id", "=", period.type_id.id), ("date_end", "=", day_before)], limit=1)
        plans = self.env["sales.plan"].search([
            ("user_id", "in", lines.mapped("user_id").ids),
            ("date_range_id", "in", [r.id for r in previous.values() if r])])
        by_key = {(p.user_id.id, p.date_range_id.id): p for p in plans}
        # Earlier columns first, so that one known period fills the whole row.
        for line in lines.sorted(lambda l: l.date_range_id.date_start):
            if line.value:
                continue
            prev = previous[line.date_range_id.id]
            plan = by_key.get((line.user_id.id, prev.id))
            if plan:
                line.value = plan.amount_target if line.measure == "amount" else plan.count_target
            else:
                same_row = lines.filtered(lambda l: l.measure == line.measure and l.user_id == line.user_id
                                          and l.date_range_id == prev)
                line.value = same_row.value if same_row else 0.0
        return self._reopen()

    @api.multi
    def action_apply(self):
        """Write the grid into plans: create, update, or leave alone."""
        self.ensure_one()
        Plan = self.env["sales.plan"]
        cells = {}
        for line in self.amount_line_ids | self.count_line_ids:
            cells.setdefault((line.user_id, line.date_range_id), {})[line.measure] = line.value
        plans = Plan.search([
            ("user_id", "in", [u.id for u, _r in cells]),
            ("date_range_id", "in", list({r.id for _u, r in cells}))])
        by_key = {(p.user_id, p.date_range_id): p for p in plans}
        for (user, period), values in cells.items():
            amount, count = values.get("amount", 0.0), int(round(values.get("count", 0.0)))
            plan = by_key.get((user, period))
            if plan:
                if plan.amount_target != amount or plan.count_target != count:
                    plan.write({"amount_target": amount, "count_target": count})
            elif amount or count:
                Plan.create({"user_id": user.id, "team_id": user.sale_team_id.id,
                             "date_range_id": period.id, "amount_target": amount, "count_target": count})
        return {"type": "ir.actions.act_window_close"}

    def _reopen(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "view_mode": "form", "view_type": "form", "target": "new",
            "name": _("Enter plans"),
        }


class SalesPlanGridLine(models.TransientModel):
    _name = "sales.plan.grid.line"
    _description = "Sales Plan Entry Grid Cell"

    grid_id = fields.Many2one("sales.plan.grid", required=True, ondelete="cascade")
    measure = fields.Selection([("amount", "Revenue"), ("count", "Won deals")], required=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    date_range_id = fields.Many2one("date.range", string="Period", required=True)
    value = fields.Float()
