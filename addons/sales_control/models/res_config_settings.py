# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_control_show_unassigned = fields.Boolean(
        related="company_id.sales_control_show_unassigned")
    sales_control_flag_ratio = fields.Float(
        related="company_id.sales_control_flag_ratio")
