# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

WON = 100.0


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

    # ------------------------------------------------------------ the gate
    #
    # A deal enters a stage that requires approval, or any stage after it
    # (by sequence; a won stage always counts as after it), only with a
    # request approved in its current version. create() and write() are the
    # only ways into a stage (Mark Won, kanban, form, import, mass edit and
    # RPC all end there), so the gate is checked on both: before writing,
    # from the values (crm's write takes the probability from the stage);
    # on create before (values and default_* of the context) and after (the
    # stage the record got, whatever gave it). Code running as superuser
    # (sudo() in trusted code, installation, the demo generator) is not
    # gated.

    @api.model
    def create(self, vals):
        if self._approval_gate_applies():
            given = dict({key[len("default_"):]: value for key, value in self.env.context.items()
                          if key in ("default_stage_id", "default_probability")}, **vals)
            stage = self.env["crm.stage"].browse(given["stage_id"]) if given.get("stage_id") else None
            self.browse()._check_approval_gate(stage, given.get("probability"), name=vals.get("name"))
        lead = super(CrmLead, self).create(vals)
        lead._check_approval_gate(lead.stage_id, lead.probability, new=True)
        return lead

    @api.multi
    def write(self, vals):
        if self._approval_gate_applies() and ("stage_id" in vals or "probability" in vals):
            stage = self.env["crm.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None
            self._check_approval_gate(stage, vals.get("probability"))
        return super(CrmLead, self).write(vals)

    def _approval_gate_applies(self):
        return self.env.uid != SUPERUSER_ID

    @api.model
    def _approval_gate_stages(self):
        """The stages that require approval (every team's: the gate is one
        for the company), read as superuser: no record rule may hide a gate
        from the check."""
        return self.env["crm.stage"].sudo().search([("approval_required", "=", True)], order="sequence, id")

    def _stage_is_gated(self, stage, gates):
        if not stage or not gates:
            return False
        stage = stage.sudo()
        return stage.approval_required or stage.sequence >= gates[0].sequence or stage.probability >= WON

    def _check_approval_gate(self, stage, probability, new=False, name=None):
        """Raises unless every lead of self that ``stage`` (a crm.stage or
        None) or ``probability`` (or None) would take into or past the gate
        has an approved request of its current version. ``new``: the leads
        were just created (they enter their stage). An empty self stands for
        a deal about to be created, named ``name``."""
        if not self._approval_gate_applies() or (stage is None and probability is None):
            return
        gates = self._approval_gate_stages()
        if not gates:
            return
        if probability is not None:
            probability = float(probability or 0.0)
        gated_stage = self._stage_is_gated(stage, gates)
        won = probability is not None and probability >= WON
        if not self:
            if gated_stage or won:
                self._raise_approval_gate(name or _("New"), stage if gated_stage else None, gates)
            return
        entering = self.browse()
        for lead in self.sudo():
            if (gated_stage and (new or lead.stage_id != stage)) or \
                    (won and (new or lead.probability < WON)):
                entering |= lead
        if not entering:
            return
        missing = entering - self.env["deal.approval.request"]._approved_leads(entering)
        if missing:
            self._raise_approval_gate(missing[0].sudo().name, stage if gated_stage else None, gates)

    def _raise_approval_gate(self, name, stage, gates):
        if stage:
            raise UserError(_(
                "The deal «%s» cannot move to the stage «%s»: from the stage «%s» on, a deal needs a "
                "contract or invoice approved in its current version. Send the document for approval "
                "from the deal (button Approvals) and wait for the decision.")
                % (name, stage.sudo().name, gates[0].name))
        raise UserError(_(
            "The deal «%s» cannot be marked won (probability 100 %%): it needs a contract or invoice "
            "approved in its current version. Send the document for approval from the deal "
            "(button Approvals) and wait for the decision.") % name)

    @api.multi
    def action_view_approval_requests(self):
        self.ensure_one()
        self.check_access_rule("read")
        action = self.env.ref("deal_approval.deal_approval_request_action").read()[0]
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
