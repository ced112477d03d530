# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ReceivablesContract(models.Model):
    """A sales contract with a client: the deal it came from, the manager
    and the schedule of planned receipts."""

    _name = "receivables.contract"
    _description = "Client contract"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Number", required=True, index=True, track_visibility="onchange")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    partner_id = fields.Many2one("res.partner", string="Client", required=True, index=True,
                                 domain=[("is_company", "=", True)], track_visibility="onchange")
    lead_id = fields.Many2one("crm.lead", string="Deal", index=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Manager", index=True, track_visibility="onchange",
                              default=lambda self: self.env.user)
    team_id = fields.Many2one("crm.team", string="Sales team", index=True,
                              compute="_compute_team_id", store=True, readonly=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.user.company_id.currency_id)
    onec_guid = fields.Char(string="1C GUID", index=True, copy=False)
    line_ids = fields.One2many("receivables.schedule.line", "contract_id", string="Payment schedule", copy=True)
    payment_ids = fields.One2many("receivables.payment", "contract_id", string="Payments")
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts", store=True)
    amount_paid = fields.Monetary(string="Received", compute="_compute_amounts", store=True)
    amount_due = fields.Monetary(string="Outstanding", compute="_compute_amounts", store=True)
    active = fields.Boolean(default=True)
    onec_balance = fields.Monetary(string="Balance in 1C", readonly=True, copy=False,
                                   help="The client's debt under this contract by 1C's settlements "
                                        "(GetSettlements), as of the last sync.")
    onec_balance_date = fields.Datetime(string="Balance in 1C as of", readonly=True, copy=False)

    _sql_constraints = [
        ("onec_guid_unique", "unique(onec_guid)", "A 1C contract GUID is linked to one contract only."),
    ]

    @api.depends("user_id", "lead_id.team_id")
    def _compute_team_id(self):
        for contract in self:
            contract.team_id = contract.lead_id.team_id or contract.user_id.sale_team_id

    @api.depends("line_ids.amount", "line_ids.allocated")
    def _compute_amounts(self):
        for contract in self:
            planned = sum(contract.line_ids.mapped("amount"))
            paid = sum(contract.line_ids.mapped("allocated"))
            contract.amount_planned = planned
            contract.amount_paid = paid
            contract.amount_due = planned - paid

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id:
            self.partner_id = self.lead_id.partner_id.commercial_partner_id
            self.user_id = self.lead_id.user_id

    @api.constrains("lead_id", "partner_id")
    def _check_lead_partner(self):
        for contract in self:
            lead_partner = contract.lead_id.partner_id.commercial_partner_id
            if lead_partner and lead_partner != contract.partner_id.commercial_partner_id:
                raise ValidationError(_("The deal of contract %s belongs to another client.") % contract.name)

    @api.multi
    def name_get(self):
        return [(c.id, _("%(number)s dated %(date)s") % {
            "number": c.name, "date": fields.Date.from_string(c.date).strftime("%d.%m.%Y")}) for c in self]

    @api.multi
    def _allocate_payments(self):
        """Spreads the received money of each contract over its schedule,
        oldest planned line first. One query computes every line's share
        (a running sum per contract); only the lines whose share changed are
        written (in one statement, with the stored fields that follow)."""
        if not self:
            return
        self._flush_allocation_inputs()
        self.env.cr.execute("""
            WITH paid AS (
                SELECT contract_id, sum(amount) AS money FROM receivables_payment
                 WHERE state = 'matched' AND contract_id = ANY(%(ids)s) GROUP BY contract_id
            ), lines AS (
                SELECT id, contract_id, date, amount, allocated,
                       sum(amount) OVER (PARTITION BY contract_id ORDER BY date, id) - amount AS before
                  FROM receivables_schedule_line WHERE contract_id = ANY(%(ids)s)
            )
            SELECT lines.id, lines.date, lines.amount,
                   GREATEST(0, LEAST(lines.amount, COALESCE(paid.money, 0) - lines.before))
              FROM lines LEFT JOIN paid USING (contract_id)
             WHERE abs(COALESCE(lines.allocated, 0)
                       - GREATEST(0, LEAST(lines.amount, COALESCE(paid.money, 0) - lines.before))) >= 0.005
        """, {"ids": self.ids})
        changed = self.env.cr.fetchall()
        if changed:
            self.env["receivables.schedule.line"]._set_allocation(changed)

    def _flush_allocation_inputs(self):
        """Pending recomputations of payment states reach the database
        before the query reads them."""
        if self.env.recompute and self.env.context.get("recompute", True):
            self.env["receivables.payment"].recompute()

    @api.multi
    def action_view_payments(self):
        action = self.env.ref("receivables.receivables_payment_action").read()[0]
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {}
        return action
