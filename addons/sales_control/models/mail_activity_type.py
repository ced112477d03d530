# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .sales_touch import TOUCH_TYPES


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    sales_touch_type = fields.Selection(
        TOUCH_TYPES, string="Records Touch",
        help="Marking an activity of this type done on a lead records a touch of this kind.")
