# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

PLAN_KINDS = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half", "Half-year"),
    ("year", "Year"),
]
# Months per period of each kind.
KIND_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
# Years the plan periods may be made for, at most this many in one call.
YEARS_BOUNDS = (2000, 2100)
YEARS_PER_CALL = 20


class DateRangeType(models.Model):
    _inherit = "date.range.type"

    sales_plan_kind = fields.Selection(
        PLAN_KINDS, string="Sales plan period", index=True,
        help="Periods of this type are offered for sales plans; the type "
             "tells the plan report how the periods nest into each other.")

    _sql_constraints = [
        ("sales_plan_kind_uniq", "unique (sales_plan_kind, company_id)",
         "Only one date range type per sales plan period kind and company."),
    ]

    @api.model
    def _sales_plan_range_name(self, kind, start):
        if kind == "month":
            return start.strftime("%Y-%m")
        if kind == "quarter":
            return "%d-Q%d" % (start.year, (start.month - 1) // 3 + 1)
        if kind == "half":
            return "%d-H%d" % (start.year, (start.month - 1) // 6 + 1)
        return "%d" % start.year

    @api.model
    @api.returns("date.range", lambda ranges: ranges.ids)
    def sales_plan_ensure_ranges(self, years=None):
        """Create the missing month, quarter, half-year and year ranges of
        the plan types for the given years (default: this and next year).
        Idempotent; returns the ranges created (their ids over RPC). The
        head of sales only."""
        self.env["sales.plan"]._check_head()
        return self._sales_plan_ensure_ranges(years)

    @api.model
    def _sales_plan_ensure_ranges(self, years=None):
        if years is None:
            this_year = fields.Date.from_string(fields.Date.context_today(self)).year
            years = [this_year, this_year + 1]
        if not isinstance(years, (list, tuple)) or len(years) > YEARS_PER_CALL or not all(
                isinstance(y, int) and YEARS_BOUNDS[0] <= y <= YEARS_BOUNDS[1] for y in years):
            raise ValidationError(_(
                "Plan periods are made for at most %(count)d years between %(first)d and %(last)d."
            ) % {"count": YEARS_PER_CALL, "first": YEARS_BOUNDS[0], "last": YEARS_BOUNDS[1]})
        # sudo: the periods are shared settings that only an administrator
        # may edit; the head's grid and spreading make the missing ones, of
        # the fixed shape above, after the caller's group was checked.
        Range = self.env["date.range"].sudo()
        created = Range.browse()
        for range_type in self.sudo().search([("sales_plan_kind", "!=", False)]):
            kind = range_type.sales_plan_kind
            step = KIND_MONTHS[kind]
            existing = set(Range.with_context(active_test=False).search(
                [("type_id", "=", range_type.id)]).mapped("date_start"))
            for year in years:
                for month in range(1, 13, step):
                    start = date(year, month, 1)
                    if fields.Date.to_string(start) in existing:
                        continue
                    end = start + relativedelta(months=step, days=-1)
                    created |= Range.create({
                        "name": self._sales_plan_range_name(kind, start),
                        "type_id": range_type.id,
                        "company_id": range_type.company_id.id,
                        "date_start": fields.Date.to_string(start),
                        "date_end": fields.Date.to_string(end),
                    })
        return created

    @api.model
    def _cron_sales_plan_ranges(self):
        self._sales_plan_ensure_ranges()
