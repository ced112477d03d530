# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .date_range_type import PLAN_KINDS

HEAD_GROUP = "sales_team.group_sale_manager"


class SalesPlan(models.Model):
    _name = "sales.plan"
    _description = "Sales Plan"
    _order = "date_start desc, team_id, user_id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", index=True, ondelete="restrict",
        help="Leave empty for a plan of the whole team.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, ondelete="restrict",
        help="For a salesperson's plan, the team he works in (his team by default).")
    date_range_id = fields.Many2one(
        "date.range", string="Period", required=True, index=True, ondelete="restrict",
        domain=[("type_id.sales_plan_kind", "!=", False)])
    date_start = fields.Date(related="date_range_id.date_start", store=True, readonly=True)
    date_end = fields.Date(related="date_range_id.date_end", store=True, readonly=True)
    period_kind = fields.Selection(
        PLAN_KINDS, related="date_range_id.type_id.sales_plan_kind", store=True,
        readonly=True, string="Period type")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount_target = fields.Monetary(
        string="Revenue target", currency_field="currency_id",
        help="Revenue to win in the period, in the company currency. 0: no target.")
    count_target = fields.Integer(
        string="Won deals target", help="Number of deals to win in the period. 0: no target.")
    locked = fields.Boolean(
        compute="_compute_locked",
        help="The period is over: only the head of sales may change the plan.")
    note = fields.Char()

    _sql_constraints = [
        ("amount_target_positive", "CHECK (amount_target >= 0)",
         "A revenue target cannot be negative."),
        ("count_target_positive", "CHECK (count_target >= 0)",
         "A won deals target cannot be negative."),
        ("subject_required", "CHECK (user_id IS NOT NULL OR team_id IS NOT NULL)",
         "A plan belongs to a salesperson or to a team."),
    ]

    @api.model_cr
    def init(self):
        # The database enforces "one plan per subject and period" even for
        # concurrent writes; _check_unique gives the readable message.
        cr = self.env.cr
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS sales_plan_user_period_uniq
                ON sales_plan (user_id, date_range_id) WHERE user_id IS NOT NULL""")
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS sales_plan_team_period_uniq
                ON sales_plan (team_id, date_range_id) WHERE user_id IS NULL""")

    @api.depends("user_id", "team_id", "date_range_id")
    def _compute_name(self):
        for plan in self:
            subject = plan.user_id.name or plan.team_id.name or ""
            plan.name = "%s: %s" % (subject, plan.date_range_id.name or "")

    @api.depends("date_end")
    def _compute_locked(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.locked = bool(plan.date_end and plan.date_end < today)

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id and self.user_id.sale_team_id:
            self.team_id = self.user_id.sale_team_id

    # Negative targets and a plan of nobody are refused by _check_targets
    # and the SQL constraints above, before any Python constraint could run.
    @api.constrains("user_id", "team_id")
    def _check_member(self):
        for plan in self:
            if plan.user_id and plan.team_id and plan.user_id not in plan.team_id.sudo().member_ids \
                    and plan.user_id != plan.team_id.sudo().user_id:
                raise ValidationError(_(
                    "%(user)s is not a member of the team %(team)s: "
                    "a plan cannot name a team its salesperson does not work in."
                ) % {"user": plan.user_id.name, "team": plan.team_id.name})

    @api.model
    def _check_duplicate(self, user_id, team_id, date_range_id, exclude_ids=()):
        """Refuse a second plan for the same salesperson (or team) and
        period, or for a period of the same type that overlaps it (OCA
        date_range lets periods without a company overlap). Checked before
        writing, so that the unique index below never has to answer with a
        database error."""
        # sudo: the other plan may be outside what the current user sees.
        period = self.env["date.range"].sudo().browse(date_range_id)
        if not period:
            return
        domain = [("id", "not in", list(exclude_ids)), ("date_range_id.type_id", "=", period.type_id.id),
                  ("date_start", "<=", period.date_end), ("date_end", ">=", period.date_start)]
        if user_id:
            domain.append(("user_id", "=", user_id))
        else:
            domain += [("user_id", "=", False), ("team_id", "=", team_id)]
        other = self.sudo().search(domain, limit=1, order="date_range_id")
        if not other:
            return
        subject = self.env["res.users"].browse(user_id) if user_id else self.env["crm.team"].browse(team_id)
        names = {"subject": subject.sudo().name, "period": period.name, "other": other.date_range_id.name}
        if other.date_range_id == period:
            raise ValidationError(_(
                "There is already a plan for %(subject)s in %(period)s: "
                "one salesperson or team, one period, one plan."
            ) % names)
        raise ValidationError(_(
            "%(subject)s already has a plan for %(other)s, which overlaps %(period)s: "
            "plans of one kind of period may not overlap."
        ) % names)

    @api.constrains("date_range_id")
    def _check_period_type(self):
        for plan in self:
            if not plan.date_range_id.type_id.sales_plan_kind:
                raise ValidationError(_(
                    "The period %s is not a plan period (month, quarter, half-year or year)."
                ) % plan.date_range_id.name)

    @api.model
    def _is_head(self):
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(HEAD_GROUP)

    @api.model
    def _check_head(self):
        """The server-side gate of every way to enter or change plans
        (create, write, unlink, the grid, spreading, the plan periods): a
        group, never a context key. Closed periods need no lock of their
        own: the head alone writes any plan."""
        if not self._is_head():
            raise AccessError(_("Only the head of sales enters and changes sales plans."))

    @api.model
    def _check_targets(self, vals):
        """Readable refusal before the database CHECK answers; a target that
        is no number (text, NaN or infinity over RPC) is refused too."""
        for name in ("amount_target", "count_target"):
            value = vals.get(name) or 0
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValidationError(_("A plan is a number: enter 0 or more."))
            if value < 0:
                raise ValidationError(_("A plan cannot be negative: enter 0 or more."))

    @api.model
    def create(self, vals):
        self._check_head()
        self._check_targets(vals)
        if vals.get("user_id") and not vals.get("team_id"):
            vals["team_id"] = self.env["res.users"].browse(vals["user_id"]).sale_team_id.id
        self._check_duplicate(vals.get("user_id"), vals.get("team_id"), vals.get("date_range_id"))
        return super(SalesPlan, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_head()
        self._check_targets(vals)
        if {"user_id", "team_id", "date_range_id"} & set(vals):
            for plan in self:
                user_id = vals["user_id"] if "user_id" in vals else plan.user_id.id
                team_id = vals["team_id"] if "team_id" in vals else plan.team_id.id
                range_id = vals["date_range_id"] if "date_range_id" in vals else plan.date_range_id.id
                self._check_duplicate(user_id, team_id, range_id, exclude_ids=self.ids)
        return super(SalesPlan, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_head()
        return super(SalesPlan, self).unlink()

    # ------------------------------------------------------------------
    @api.multi
    def action_spread_to_months(self):
        """Spread quarter, half-year or year plans evenly over their
        months: month plans are created or overwritten; the deals target
        is split in whole deals, the first months taking the remainder."""
        self._check_head()
        Range = self.env["date.range"]
        for plan in self:
            if plan.period_kind in (False, "month"):
                raise UserError(_("Only a quarter, half-year or year plan can be spread over its months."))
            year = fields.Date.from_string(plan.date_start).year
            self.env["date.range.type"]._sales_plan_ensure_ranges([year])
            months = Range.search([
                ("type_id.sales_plan_kind", "=", "month"),
                ("date_start", ">=", plan.date_start), ("date_end", "<=", plan.date_end)],
                order="date_start")
            count = len(months)
            amount = round(plan.amount_target / count, 2) if count else 0.0
            base, extra = divmod(plan.count_target, count) if count else (0, 0)
            subject = [("user_id", "=", plan.user_id.id)] if plan.user_id else [
                ("user_id", "=", False), ("team_id", "=", plan.team_id.id)]
            existing = self.search(subject + [("date_range_id", "in", months.ids)])
            by_range = {p.date_range_id: p for p in existing}
            for index, month in enumerate(months):
                values = {
                    "amount_target": amount if index < count - 1
                    else plan.amount_target - amount * (count - 1),
                    "count_target": base + (1 if index < extra else 0),
                }
                if month in by_range:
                    by_range[month].write(values)
                else:
                    values.update(user_id=plan.user_id.id, team_id=plan.team_id.id,
                                  company_id=plan.company_id.id, date_range_id=month.id)
                    self.create(values)
        return True
