# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import is_trusted, trusted

LINK_FIELDS = {"partner_id", "contract_id"}


class ReceivablesPayment(models.Model):
    """Money received under one contract: a line of an incoming payment (bank
    or cash receipt) imported from 1C. A receipt that pays several contracts
    (its РасшифровкаПлатежа) is one record per line; each is bound to 1C by
    the connection, the receipt's GUID and the line's key."""

    _name = "receivables.payment"
    _description = "Payment from 1C"
    _order = "date desc, id desc"

    name = fields.Char(string="Number", required=True, readonly=True)
    backend_id = fields.Many2one("receivables.onec.backend", string="1C connection", required=True, readonly=True,
                                 index=True, ondelete="restrict",
                                 default=lambda self: self.env.ref("receivables.onec_backend_main",
                                                                   raise_if_not_found=False))
    onec_guid = fields.Char(string="1C GUID", required=True, readonly=True, copy=False)
    onec_line_key = fields.Char(string="Line key in 1C", readonly=True, copy=False, default="",
                                help="The line of the receipt's payment breakdown (РасшифровкаПлатежа) this "
                                     "payment is; empty for a receipt without breakdown.")
    # The head and the accountant only: on a receipt that pays two managers'
    # contracts, the total less his own line is what his colleague received.
    document_amount = fields.Monetary(string="Receipt total", readonly=True,
                                      groups="sales_team.group_sale_manager,account.group_account_invoice",
                                      help="The whole receipt in 1C; it differs from the amount when the "
                                           "receipt pays several contracts.")
    onec_hash = fields.Char(readonly=True, copy=False)
    onec_version = fields.Char(string="1C data version", readonly=True, copy=False,
                               help="DataVersion of the receipt in 1C (OData): unchanged receipts are not read again.")
    doc_type = fields.Char(string="1C document", readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    amount = fields.Monetary(required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    posted = fields.Boolean(readonly=True, default=True)
    deletion_mark = fields.Boolean(readonly=True)
    onec_partner_name = fields.Char(string="Counterparty in 1C", readonly=True)
    onec_inn = fields.Char(string="INN", readonly=True, index=True)
    onec_kpp = fields.Char(string="KPP", readonly=True)
    onec_contract_number = fields.Char(string="Contract number in 1C", readonly=True)
    onec_contract_date = fields.Date(string="Contract date in 1C", readonly=True)
    onec_contract_guid = fields.Char(string="Contract GUID in 1C", readonly=True)
    purpose = fields.Text(string="Payment purpose", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", index=True, domain=[("is_company", "=", True)])
    contract_id = fields.Many2one("receivables.contract", index=True, ondelete="set null")
    lead_id = fields.Many2one(related="contract_id.lead_id", store=True, readonly=True, string="Deal")
    user_id = fields.Many2one(related="contract_id.user_id", store=True, readonly=True, index=True,
                              string="Salesperson")
    team_id = fields.Many2one(related="contract_id.team_id", store=True, readonly=True, index=True,
                              string="Sales team")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.user.company_id)
    state = fields.Selection([
        ("unmatched", "Unmatched"),
        ("matched", "Matched"),
        ("cancelled", "Cancelled in 1C"),
    ], compute="_compute_state", store=True, index=True)
    note = fields.Text(string="Exchange notes", readonly=True)
    account_payment_id = fields.Many2one("account.payment", string="Registered on invoices", readonly=True,
                                         copy=False, ondelete="set null")

    _sql_constraints = [
        ("onec_line_unique", "unique(backend_id, onec_guid, onec_line_key)",
         "A line of a 1C document is imported once per 1C connection."),
    ]

    @api.depends("posted", "deletion_mark", "partner_id", "contract_id")
    def _compute_state(self):
        for payment in self:
            payment.state = self._state_of(payment)

    @staticmethod
    def _state_of(payment):
        """The state of a payment, or of the values of one (the importer's bulk insert)."""
        if not payment["posted"] or payment["deletion_mark"]:
            return "cancelled"
        if payment["partner_id"] and payment["contract_id"]:
            return "matched"
        return "unmatched"

    @api.constrains("partner_id", "contract_id")
    def _check_contract_partner(self):
        for payment in self:
            if payment.contract_id and payment.partner_id and \
                    payment.contract_id.partner_id.commercial_partner_id != payment.partner_id.commercial_partner_id:
                raise ValidationError(_("Contract %s belongs to another client.") % payment.contract_id.name)

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            # Received money exists only when 1C has it (the sync inserts
            # its documents in bulk, see receivables.onec.importer).
            raise UserError(_("Payments come from 1C only: they cannot be created by hand."))
        return super(ReceivablesPayment, self).create(vals)

    @api.multi
    def write(self, vals):
        if is_trusted(self):
            return super(ReceivablesPayment, self).write(vals)
        if set(vals) - LINK_FIELDS:
            # The document is 1C's: users only link it to a client and contract.
            raise UserError(_("A payment from 1C can only be linked to a client and a contract here."))
        self._check_can_link()
        contracts = self.mapped("contract_id")
        result = super(ReceivablesPayment, self).write(vals)
        # A hand-made link is remembered for the next documents of the same
        # counterparty and contract, and moves the money between schedules.
        self.env["receivables.match.rule"]._remember(self)
        (contracts | self.mapped("contract_id"))._allocate_payments()
        if "partner_id" in vals:
            for backend in self.sudo().mapped("backend_id").filtered("journal_id"):
                self.filtered(lambda p: p.sudo().backend_id == backend)._sync_invoice_registration(
                    backend.journal_id, self.env["receivables.sync.log"])
        return result

    def _check_can_link(self):
        """Only the accountant and the head of sales link a payment by hand:
        a salesman would credit himself with another manager's money."""
        user = self.env.user
        if not (user._is_superuser() or user.has_group("sales_team.group_sale_manager")
                or user.has_group("account.group_account_invoice")):
            raise AccessError(_("Only the accountant or the head of sales may link a payment from 1C "
                                "to a client and a contract."))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contract_id and self.contract_id.partner_id != self.partner_id:
            self.contract_id = False

    @api.multi
    def _sync_invoice_registration(self, journal, log):
        """Matched payments are registered once on open invoices; cancelled
        ones are taken back. The link (account_payment_id) makes it once."""
        self.filtered(lambda p: p.state != "matched" and p.account_payment_id)._unregister_from_invoices(log)
        self.filtered(lambda p: p.state == "matched" and not p.account_payment_id)._register_on_invoices(
            journal, log)

    @api.multi
    def _register_on_invoices(self, journal, log):
        Invoice = self.env["account.invoice"].sudo()
        AccountPayment = self.env["account.payment"].sudo()
        method = self.env.ref("account.account_payment_method_manual_in")
        for payment in self:
            invoices = Invoice.search([
                ("commercial_partner_id", "=", payment.partner_id.commercial_partner_id.id),
                ("type", "=", "out_invoice"), ("state", "=", "open"),
                ("currency_id", "=", payment.currency_id.id)], order="date_due, date_invoice, id")
            chosen, left = Invoice.browse(), payment.amount
            for invoice in invoices:
                if left <= 0:
                    break
                chosen |= invoice
                left -= invoice.residual
            if not chosen:
                continue
            try:
                with self.env.cr.savepoint():
                    registered = AccountPayment.create({
                        "payment_type": "inbound", "partner_type": "customer",
                        "partner_id": payment.partner_id.commercial_partner_id.id,
                        "amount": payment.amount, "currency_id": payment.currency_id.id,
                        "payment_date": payment.date, "journal_id": journal.id,
                        "payment_method_id": method.id, "communication": _("1C %s") % payment.name,
                        "invoice_ids": [(6, 0, chosen.ids)], "payment_difference_handling": "open",
                    })
                    registered.post()
                    trusted(payment).account_payment_id = registered
            except (UserError, ValidationError) as error:
                log.add_line(_("Payment %(name)s was not registered on invoices: %(error)s") % {
                    "name": payment.name, "error": error.name})

    @api.multi
    def _unregister_from_invoices(self, log):
        for payment in self.filtered("account_payment_id"):
            try:
                with self.env.cr.savepoint():
                    if payment.account_payment_id.state != "cancelled":
                        payment.account_payment_id.sudo().cancel()
                    trusted(payment).account_payment_id = False
            except (UserError, ValidationError) as error:
                log.add_line(_("The invoice registration of payment %(name)s was not cancelled: %(error)s")
                             % {"name": payment.name, "error": error.name})
