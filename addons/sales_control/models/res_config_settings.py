# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_control_show_unassigned = fields.Boolean(
        related="company_id.sales_control_show_unassigned")
    sales_control_flag_ratio = fields.Float(
        related="company_id.sales_control_flag_ratio")

    @api.multi
    def set_values(self):
        """Odoo 11 refuses ``execute`` to non-administrators, but not
        ``set_values``: any user may create a settings record (transient
        models have no access rights) and call it over RPC, and it writes the
        configuration parameters as superuser. Every addon of the suite sits
        on this one, so this guard covers their settings and Odoo's."""
        if not (self.env.user._is_superuser() or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators can change the settings."))
        return super(ResConfigSettings, self).set_values()
