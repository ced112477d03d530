# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .receivables_overdue_chase import (DEFAULT_HEAD_DAYS, DEFAULT_LEADER_DAYS, PARAM_HEAD, PARAM_HEAD_DAYS,
                                        PARAM_LEADER_DAYS)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    receivables_chase_leader_days = fields.Integer(
        string="Overdue: to the team leader after, days", default=DEFAULT_LEADER_DAYS,
        help="Days after the salesperson was asked to call about an overdue payment before the team leader is.")
    receivables_chase_head_days = fields.Integer(
        string="Overdue: to the head of sales after, days", default=DEFAULT_HEAD_DAYS,
        help="Days after the salesperson was asked to call before the head of sales is; more than the team "
             "leader's days.")
    receivables_chase_head_id = fields.Many2one(
        "res.users", string="Overdue payments go up to",
        help="The head of sales who hears about payments still unpaid; empty: the first head of sales.")

    @api.model
    def get_values(self):
        """Kept as configuration parameters (this Odoo 11 has no
        ``config_parameter`` on settings fields); read as the chase reads
        them."""
        values = super(ResConfigSettings, self).get_values()
        leader_days, head_days, head = self.env["receivables.overdue.chase"]._settings()
        values.update(receivables_chase_leader_days=leader_days, receivables_chase_head_days=head_days,
                      receivables_chase_head_id=head.id)
        return values

    @api.multi
    def set_values(self):
        for settings in self:
            if settings.receivables_chase_leader_days < 1 or settings.receivables_chase_head_days < 1:
                raise UserError(_("The days before an overdue payment goes up must be at least 1."))
            if settings.receivables_chase_head_days <= settings.receivables_chase_leader_days:
                raise UserError(_("An overdue payment goes to the head of sales after it went to the team "
                                  "leader: give the head more days than the team leader."))
        result = super(ResConfigSettings, self).set_values()
        # sudo: sales_control's set_values above let only administrators by;
        # the parameters are theirs.
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM_LEADER_DAYS, str(self.receivables_chase_leader_days))
        params.set_param(PARAM_HEAD_DAYS, str(self.receivables_chase_head_days))
        params.set_param(PARAM_HEAD, str(self.receivables_chase_head_id.id or ""))
        return result
