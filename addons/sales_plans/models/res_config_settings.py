# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_plan_actual_basis = fields.Selection(
        related="company_id.sales_plan_actual_basis",
        string="Plan actuals basis")
