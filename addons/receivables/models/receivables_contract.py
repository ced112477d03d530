# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import convert_sql, is_trusted

# Written by the sync only (1C's balance) or computed from the schedule.
SYNC_FIELDS = {"amount_planned", "amount_paid", "amount_due", "onec_balance", "onec_balance_company",
               "onec_balance_date", "onec_backend_id"}
# Who is responsible and for which client and money: a salesman sets them
# when he makes the contract, but not once money or overdue debt is on it.
KEY_FIELDS = {"partner_id", "lead_id", "currency_id", "company_id"}
# Whose numbers the contract counts in: the head's decision.
OWNER_FIELDS = {"user_id", "team_id", "onec_guid"}


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
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, track_visibility="onchange",
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
                                   help="The balance of account 62 for this contract in 1C (debit minus "
                                        "credit, in the contract's currency), as of the last sync: the "
                                        "client's debt, or his advance when negative.")
    company_currency_id = fields.Many2one(related="company_id.currency_id", readonly=True,
                                          string="Company currency")
    onec_balance_company = fields.Monetary(
        string="Balance in 1C, company currency", currency_field="company_currency_id", readonly=True, copy=False,
        help="The same balance of account 62 in the company's currency (roubles), as 1C's accounting keeps it.")
    onec_balance_date = fields.Datetime(string="Balance in 1C as of", readonly=True, copy=False)
    onec_backend_id = fields.Many2one("receivables.onec.backend", string="Balance from", readonly=True,
                                      copy=False, ondelete="set null")

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

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            self._check_user_fields(vals)
            if not self._is_officer():
                self._check_salesman_create(vals)
        return super(ReceivablesContract, self).create(vals)

    @api.multi
    def write(self, vals):
        if not is_trusted(self):
            self._check_user_fields(vals)
            if not self._is_officer():
                self._check_salesman_write(vals)
        return super(ReceivablesContract, self).write(vals)

    @api.multi
    def unlink(self):
        if not is_trusted(self) and not self.env.user._is_superuser():
            for contract in self:
                if contract.payment_ids or contract.amount_due > 0:
                    raise UserError(_("Contract %s has payments from 1C or an outstanding debt: it cannot be "
                                      "deleted.") % contract.name)
        return super(ReceivablesContract, self).unlink()

    @api.model
    def _is_officer(self):
        """The head of sales and the accountant keep the contracts of all."""
        user = self.env.user
        return user._is_superuser() or user.has_group("sales_team.group_sale_manager") \
            or user.has_group("account.group_account_invoice")

    @api.model
    def _check_user_fields(self, vals):
        if set(vals) & SYNC_FIELDS:
            raise UserError(_("The received and outstanding amounts of a contract follow from the payments "
                              "of 1C and its schedule; 1C's balance comes from 1C. They cannot be edited."))

    @api.model
    def _check_salesman_create(self, vals):
        """A salesman's contract counts for the manager and team the record
        rules allow (himself, or a member of the team he leads) and is linked
        to 1C by the accountant."""
        if vals.get("onec_guid"):
            raise AccessError(_("Only the head of sales or the accountant may link a contract to 1C."))
        if vals.get("team_id"):
            user = self.env["res.users"].browse(vals.get("user_id") or self.env.uid)
            lead = self.env["crm.lead"].browse(vals.get("lead_id") or [])
            if vals["team_id"] not in (user.sale_team_id | lead.team_id).ids:
                raise AccessError(_("A contract counts for the sales team of its salesperson or deal; only the "
                                    "head of sales may give it to another team."))

    def _check_salesman_write(self, vals):
        if set(vals) & OWNER_FIELDS:
            raise AccessError(_("Only the head of sales may give a contract to another salesperson or team, or "
                                "link it to 1C."))
        archive = "active" in vals and not vals["active"]
        if archive or set(vals) & KEY_FIELDS:
            for contract in self:
                if contract._has_money_or_debt() or (archive and contract.amount_due > 0):
                    raise AccessError(_(
                        "Contract %s has payments or debt: only the head of sales may change its client, deal "
                        "or currency, or archive it.") % contract.name)

    def _has_money_or_debt(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return bool(self.payment_ids or self.line_ids.filtered(
            lambda line: line.allocated or (line.date < today and line.state != "paid")))

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
        oldest planned line first; a payment in another currency than the
        contract's counts at the rate of its date. One query computes every line's share
        (a running sum per contract); only the lines whose share changed are
        written (in one statement, with the stored fields that follow)."""
        if not self:
            return
        self._flush_allocation_inputs()
        self.env.cr.execute("""
            WITH paid AS (
                SELECT p.contract_id, sum({money}) AS money
                  FROM receivables_payment p JOIN receivables_contract c ON c.id = p.contract_id
                 WHERE p.state = 'matched' AND p.contract_id = ANY(%(ids)s) GROUP BY p.contract_id
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
        """.format(money=convert_sql("p.amount", "p.currency_id", "c.currency_id", "p.date", "p.company_id")),
            {"ids": self.ids})
        changed = self.env.cr.fetchall()
        if changed:
            self.env["receivables.schedule.line"]._set_allocation(changed)

    def _flush_allocation_inputs(self):
        """Pending recomputations of payment states reach the database
        before the query reads them (whatever ``recompute`` key a client puts
        in the context: money is allocated on the true states)."""
        if self.env.recompute:
            self.env["receivables.payment"].recompute()

    @api.multi
    def action_view_payments(self):
        self.check_access_rule("read")
        action = self.env.ref("receivables.receivables_payment_action").read()[0]
        action["domain"] = [("contract_id", "in", self.ids)]
        action["context"] = {}
        return action
