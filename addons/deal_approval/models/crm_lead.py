# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    approval_request_ids = fields.One2many("deal.approval.request", "lead_id", string="Approvals")
    approval_request_count = fields.Integer(compute="_compute_approval_request_count")

    @api.depends("approval_request_ids")
    def _compute_approval_request_count(self):
        data = self.env["deal.approval.request"].read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["lead_id"])
        counts = {row["lead_id"][0]: row["lead_id_count"] for row in data}
        for lead in self:
            lead.approval_request_count = counts.get(lead.id, 0)

    @api.model
    def create(self, vals):
        if vals.get("stage_id"):
            stage = self.env["crm.stage"].browse(vals["stage_id"])
            if stage.approval_required:
                raise UserError(_("A new deal cannot start in the stage «%s»: "
                                  "it needs an approved document.") % stage.name)
        return super(CrmLead, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get("stage_id"):
            self._check_approval_gate(vals["stage_id"])
        return super(CrmLead, self).write(vals)

    def _check_approval_gate(self, stage_id):
        stage = self.env["crm.stage"].browse(stage_id)
        if not stage.approval_required:
            return
        leads = self.filtered(lambda lead: lead.stage_id != stage)
        if not leads:
            return
        # The gate counts approved requests of every author: the deal's
        # salesman may not see a request his colleague made, hence sudo.
        approved = self.env["deal.approval.request"].sudo().search(
            [("lead_id", "in", leads.ids), ("state", "=", "approved")]).mapped("lead_id")
        missing = leads - approved
        if missing:
            raise UserError(_("The deal «%s» cannot enter the stage «%s» without an approved "
                              "contract or invoice.") % (missing[0].name, stage.name))

    @api.multi
    def action_view_approval_requests(self):
        self.ensure_one()
        action = self.env.ref("deal_approval.deal_approval_request_action").read()[0]
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
