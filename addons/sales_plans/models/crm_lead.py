# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Who gets the credit of a won deal for the plans: the salesperson and
    # team at the moment the deal was won, kept when it is reassigned later
    # and cleared when the deal leaves the won stage.
    plan_user_id = fields.Many2one(
        "res.users", string="Credited salesperson", readonly=True, copy=False,
        help="Salesperson when the deal was won: the plan report credits him.")
    plan_team_id = fields.Many2one(
        "crm.team", string="Credited sales team", readonly=True, copy=False)
    plan_credited = fields.Boolean(readonly=True, copy=False)

    @api.model_cr
    def init(self):
        # The plan report's forecast reads the open deals due from today on:
        # a small partial index instead of a scan of every deal.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_lead_sales_plan_pipeline_idx
                ON crm_lead (date_deadline) WHERE active AND probability < 100""")

    @api.model
    def create(self, vals):
        lead = super(CrmLead, self).create(vals)
        lead._sales_plan_credit()
        return lead

    @api.multi
    def write(self, vals):
        result = super(CrmLead, self).write(vals)
        if {"stage_id", "active", "probability"} & set(vals):
            self._sales_plan_credit()
        return result

    @api.multi
    def _sales_plan_is_won(self):
        self.ensure_one()
        return self.active and self.stage_id.probability == 100

    @api.multi
    def _sales_plan_credit(self):
        """Credit the deals just won to their salesperson and team, take the
        credit back from those no longer won: one write per salesperson and
        team (and one for the rest), not one per deal."""
        to_credit, to_clear = {}, []
        for lead in self:
            won = lead._sales_plan_is_won()
            if won and not lead.plan_credited:
                to_credit.setdefault((lead.user_id.id, lead.team_id.id), []).append(lead.id)
            elif not won and lead.plan_credited:
                to_clear.append(lead.id)
        for (user_id, team_id), lead_ids in to_credit.items():
            super(CrmLead, self.browse(lead_ids)).write({
                "plan_credited": True, "plan_user_id": user_id, "plan_team_id": team_id,
            })
        if to_clear:
            super(CrmLead, self.browse(to_clear)).write({
                "plan_credited": False, "plan_user_id": False, "plan_team_id": False,
            })
        return True

    @api.model
    def _sales_plan_credit_existing(self):
        """Credit the deals already won when the addon is installed (SQL:
        one statement for any number of deals)."""
        self.env.cr.execute("""
            UPDATE crm_lead l
               SET plan_credited = TRUE, plan_user_id = l.user_id, plan_team_id = l.team_id
              FROM crm_stage s
             WHERE s.id = l.stage_id AND s.probability = 100 AND l.active
               AND NOT COALESCE(l.plan_credited, FALSE)
        """)
        self.invalidate_cache()
