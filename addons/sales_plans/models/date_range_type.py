# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

PLAN_KINDS = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half", "Half-year"),
    ("year", "Year"),
]
# Months per period of each kind.
KIND_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


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
    def sales_plan_ensure_ranges(self, years=None):
        """Create the missing month, quarter, half-year and year ranges of
        the plan types for the given years (default: this and next year).
        Idempotent; returns the ranges created."""
        if years is None:
            this_year = fields.Date.from_string(fields.Date.context_today(self)).year
            years = [this_year, this_year + 1]
        Range = self.env["date.range"]
        created = Range.browse()
        for range_type in self.search([("sales_plan_kind", "!=", False)]):
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
        self.sales_plan_ensure_ranges()
