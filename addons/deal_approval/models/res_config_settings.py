# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

PARAMS = {
    "deal_approval_head_id": "deal_approval.head_approver_id",
    "deal_approval_second_id": "deal_approval.second_approver_id",
    "deal_approval_token_hours": "deal_approval.token_hours",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    deal_approval_head_id = fields.Many2one(
        "res.users", string="Head of sales (approvals)",
        help="Approves at the routes' 'head of sales' steps; by default the first head of sales.")
    deal_approval_second_id = fields.Many2one(
        "res.users", string="Finance director (approvals)",
        help="Approves at the routes' 'finance director' steps.")
    deal_approval_route_count = fields.Integer(
        string="Active approval routes", compute="_compute_deal_approval_route_count")
    deal_approval_token_hours = fields.Integer(string="Email links valid, hours", default=72)

    def _compute_deal_approval_route_count(self):
        count = self.env["deal.approval.route"].search_count([])
        for settings in self:
            settings.deal_approval_route_count = count

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        # The workflow's own reading of the parameters, with its defaults.
        settings = self.env["deal.approval.request"]._get_settings()
        res.update(
            deal_approval_head_id=settings["head_id"] or False,
            deal_approval_second_id=settings["second_id"] or False,
            deal_approval_token_hours=settings["token_hours"],
        )
        return res

    @api.multi
    def set_values(self):
        # set_values is public: a salesman could create a settings record
        # (transient models have no access rights in Odoo 11) and call it
        # over RPC to make himself the approver. Only administrators set.
        if not (self.env.user._is_superuser() or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators can change the settings."))
        super(ResConfigSettings, self).set_values()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAMS["deal_approval_head_id"], self.deal_approval_head_id.id or "")
        params.set_param(PARAMS["deal_approval_second_id"], self.deal_approval_second_id.id or "")
        params.set_param(PARAMS["deal_approval_token_hours"], str(self.deal_approval_token_hours or 72))
        approvers = self.deal_approval_head_id | self.deal_approval_second_id
        if approvers:
            self.env.ref("deal_approval.group_deal_approver").write(
                {"users": [(4, user.id) for user in approvers]})
        return True
