# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .sales_touch import TOUCH_TYPES

# What makes a type that records touches record them (on deals, at all).
KEY_FIELDS = frozenset(["res_model_id", "active"])


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    sales_touch_type = fields.Selection(
        TOUCH_TYPES, string="Records Touch",
        help="Marking an activity of this type done on a lead records a touch of this kind.")

    @api.model
    def create(self, vals):
        activity_type = super(MailActivityType, self).create(vals)
        # Checked on the record made: a context default may set the field too.
        if activity_type.sales_touch_type:
            self._check_touch_type_rights()
        return activity_type

    @api.multi
    def write(self, vals):
        if "sales_touch_type" in vals or (self.filtered("sales_touch_type") and KEY_FIELDS.intersection(vals)):
            self._check_touch_type_rights()
        return super(MailActivityType, self).write(vals)

    @api.multi
    def unlink(self):
        if self.filtered("sales_touch_type"):
            self._check_touch_type_rights()
        return super(MailActivityType, self).unlink()

    def _check_touch_type_rights(self):
        """mail lets every employee create, edit and delete activity types;
        which of them record touches is the head's decision, or a salesman
        would make 'To Do' count as a meeting, or retire the client call."""
        if not (self.env.user._is_superuser() or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(_("Only the head of sales decides which activities record client touches."))
