# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import ValidationError


class DateRange(models.Model):
    _inherit = "date.range"

    # Runs before date_range's own _validate_range (constraints run by
    # name), whose messages have no Russian and whose overlap query never
    # matches periods without a company, as the plan periods are.
    @api.constrains("type_id", "date_start", "date_end", "active", "company_id")
    def _check_sales_plan_period(self):
        for period in self.filtered(lambda r: r.type_id.sales_plan_kind):
            if period.date_start > period.date_end:
                raise ValidationError(_(
                    "The period %(name)s ends (%(end)s) before it starts (%(start)s)."
                ) % {"name": period.name, "start": period.date_start, "end": period.date_end})
            if not period.active:
                continue
            domain = [("id", "!=", period.id), ("type_id", "=", period.type_id.id),
                      ("date_start", "<=", period.date_end), ("date_end", ">=", period.date_start)]
            if period.company_id:
                domain.append(("company_id", "in", [period.company_id.id, False]))
            # sudo: a period of another company overlaps all the same.
            other = self.sudo().search(domain, limit=1)
            if other:
                raise ValidationError(_(
                    "The plan period %(name)s overlaps %(other)s: periods of one kind may not overlap."
                ) % {"name": period.name, "other": other.name})
