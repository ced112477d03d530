# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

HEAD_GROUP = "sales_team.group_sale_manager"
# Who a won deal counts for: written when the deal is won (_sales_plan_credit)
# and by the head of sales, never by a salesperson's write.
CREDIT_FIELDS = ("plan_credited", "plan_user_id", "plan_team_id")


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
    def _sales_plan_trusted(self):
        """The head of sales, or trusted code running as superuser, may
        change the figures of won deals; a salesperson may not."""
        return self.env.uid == SUPERUSER_ID or self.env.user.has_group(HEAD_GROUP)

    @api.model
    def _sales_plan_check_credit_vals(self, vals):
        if set(CREDIT_FIELDS) & set(vals) and not self._sales_plan_trusted():
            raise AccessError(_(
                "Who a won deal counts for in the sales plans is recorded when it is won: "
                "only the head of sales may change it."))

    @api.model
    def create(self, vals):
        self._sales_plan_check_credit_vals(vals)
        lead = super(CrmLead, self).create(vals)
        lead._sales_plan_credit()
        if lead.plan_credited:
            if not self._sales_plan_trusted():
                # Winning is a move into the won stage (where Odoo dates it
                # and deal_approval gates it), not a deal made up won, nor a
                # won deal copied.
                raise UserError(_(
                    "A deal is won by moving it into the won stage, not created won: "
                    "create it in an open stage, then mark it won."))
            if not lead.date_closed:
                # Made won by trusted code without a date: won now.
                super(CrmLead, lead).write({"date_closed": fields.Datetime.now()})
        return lead

    @api.multi
    def write(self, vals):
        self._sales_plan_check_credit_vals(vals)
        before = {} if self._sales_plan_trusted() else self._sales_plan_credit_facts()
        result = super(CrmLead, self).write(vals)
        if {"stage_id", "active", "probability"} & set(vals):
            self._sales_plan_credit()
        if before:
            self._sales_plan_check_credit_kept(before)
        return result

    @api.multi
    def merge_opportunity(self, user_id=False, team_id=False):
        """Merging deletes all deals but one as superuser: a salesperson may
        not make a won deal disappear from the plans that way."""
        if not self._sales_plan_trusted():
            self._sales_plan_refuse(self.filtered("plan_credited"))
        return super(CrmLead, self).merge_opportunity(user_id=user_id, team_id=team_id)

    # ------------------------------------------------------------------
    @api.multi
    def _sales_plan_credit_facts(self):
        """What the plans read of each credited deal: won or not, revenue,
        closing date, credited salesperson and team."""
        return {lead.id: (lead._sales_plan_is_won(), lead.planned_revenue, lead.date_closed,
                          lead.plan_user_id.id, lead.plan_team_id.id)
                for lead in self if lead.plan_credited}

    @api.multi
    def _sales_plan_check_credit_kept(self, before):
        """Refuse a salesperson's write that changed a credited deal's
        figures (whatever the route: a field, a stage, Odoo's own date)."""
        after = self.browse(list(before))._sales_plan_credit_facts()
        self._sales_plan_refuse(self.browse([
            lead_id for lead_id, facts in before.items() if after.get(lead_id) != facts]))

    @api.model
    def _sales_plan_refuse(self, leads):
        if leads:
            raise UserError(_(
                "The deal %s is won and counts in the sales plans: only the head of sales may "
                "change its revenue or closing date, move it out of the won stage, archive or merge it."
            ) % ", ".join(leads.mapped("name")))

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
        # super(): the credit fields are refused to a salesperson's write
        # above; this is the process that owns them.
        credit = {"plan_credited": True}
        if not self._sales_plan_trusted():
            # Won now by a salesperson: it counts today, whatever closing
            # date he may have written on the deal while it was open.
            credit["date_closed"] = fields.Datetime.now()
        for (user_id, team_id), lead_ids in to_credit.items():
            super(CrmLead, self.browse(lead_ids)).write(dict(credit, plan_user_id=user_id, plan_team_id=team_id))
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
