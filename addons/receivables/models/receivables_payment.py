# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import is_trusted, trusted

LINK_FIELDS = {"partner_id", "contract_id"}
SYNC_FIELDS = ("doc_type", "number", "date", "posted", "deletion_mark", "partner_guid", "partner_name",
               "inn", "kpp", "contract_guid", "contract_number", "contract_date", "amount", "currency", "purpose")


def document_hash(doc):
    """A fingerprint of what 1C sent: an unchanged document is skipped."""
    text = "\x1f".join(str(doc.get(field) or "") for field in SYNC_FIELDS)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class ReceivablesPayment(models.Model):
    """An incoming payment (bank or cash) imported from 1C, idempotent by the
    1C document GUID."""

    _name = "receivables.payment"
    _description = "Payment from 1C"
    _order = "date desc, id desc"

    name = fields.Char(string="Number", required=True, readonly=True)
    onec_guid = fields.Char(string="1C GUID", required=True, readonly=True, copy=False)
    onec_hash = fields.Char(readonly=True, copy=False)
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
                              string="Manager")
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
        ("onec_guid_unique", "unique(onec_guid)", "A 1C document is imported once."),
    ]

    @api.depends("posted", "deletion_mark", "partner_id", "contract_id")
    def _compute_state(self):
        for payment in self:
            payment.state = self._state_of(payment)

    @staticmethod
    def _state_of(payment):
        """The state of a payment, or of the values of one (``_onec_insert``)."""
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
            # its documents in bulk, see _onec_insert).
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
            backend = self.env.ref("receivables.onec_backend_main", raise_if_not_found=False)
            if backend and backend.sudo().journal_id:
                self._sync_invoice_registration(backend.sudo().journal_id, self.env["receivables.sync.log"])
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

    # -- import from 1C ------------------------------------------------------
    @api.model
    def _onec_import_batch(self, docs, log):
        """Creates or updates the payments of one page of 1C documents.
        Returns counters; problems go to ``log`` as readable lines. Every
        good document is kept whatever happens to the others."""
        counts = dict(fetched=len(docs), created=0, updated=0, cancelled=0, failed=0, unchanged=0)
        latest = {}
        for doc in docs:
            if doc["guid"] in latest:
                log.add_line(_("Document %s came twice in one answer; the last copy is used.") % doc["guid"])
            latest[doc["guid"]] = doc
        docs = list(latest.values())
        self.env.cr.execute("SELECT onec_guid, id FROM receivables_payment WHERE onec_guid = ANY(%s)",
                            (list(latest),))
        existing = {guid: self.browse(payment_id) for guid, payment_id in self.env.cr.fetchall()}
        matcher = self.env["receivables.match.rule"]._matcher(docs)
        currencies = {c.name: c for c in self.env["res.currency"].with_context(active_test=False).search([])}
        today = fields.Date.from_string(fields.Date.context_today(self))
        contracts = self.env["receivables.contract"]
        touched = self.browse()
        new_rows = []
        for doc in docs:
            payment = existing.get(doc["guid"])
            digest = document_hash(doc)
            if payment and payment.onec_hash == digest:
                counts["unchanged"] += 1
                if payment.state == "unmatched":
                    # A client or contract may have appeared in the CRM since.
                    partner, contract = matcher(doc)
                    if (partner, contract) != (payment.partner_id, payment.contract_id) and contract:
                        trusted(payment).write(
                            {"partner_id": partner.id, "contract_id": contract.id})
                        contracts |= contract
                        touched |= payment
                continue
            problem = self._onec_check(doc, currencies, today)
            if problem:
                counts["failed"] += 1
                log.add_line(_("Document %(guid)s № %(number)s skipped: %(problem)s") % {
                    "guid": doc["guid"], "number": doc["number"] or "?", "problem": problem})
                continue
            partner, contract = matcher(doc)
            vals = self._onec_values(doc, currencies[doc["currency"] or "RUB"], partner, contract, digest)
            if payment:
                note = None
                if payment.onec_inn and payment.onec_inn != doc["inn"]:
                    note = _("1C moved document %(guid)s № %(number)s from INN %(old)s to INN %(new)s.") % {
                        "guid": doc["guid"], "number": doc["number"], "old": payment.onec_inn, "new": doc["inn"]}
                    log.add_line(note)
                    vals["note"] = note
                elif payment.partner_id and not partner:
                    # Linked by hand before: keep the link.
                    vals.pop("partner_id")
                    vals.pop("contract_id")
                contracts |= payment.contract_id
                if payment.account_payment_id and payment.amount != vals["amount"]:
                    # The money changed in 1C: the registration is made again.
                    payment._unregister_from_invoices(log)
                trusted(payment).write(vals)
                touched |= payment
                counts["updated"] += 1
            else:
                new_rows.append((vals, contract))
                counts["created"] += 1
                if not doc["posted"] or doc["deletion_mark"]:
                    counts["cancelled"] += 1
                contracts |= contract
                continue
            if payment.state == "cancelled":
                counts["cancelled"] += 1
            contracts |= payment.contract_id
        touched |= self._onec_insert(new_rows)
        contracts._allocate_payments()
        journal = log.backend_id.journal_id
        if journal and touched:
            touched._sync_invoice_registration(journal, log)
        return counts

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

    @api.model
    def _onec_insert(self, rows):
        """Stores new payments in one INSERT: the import of a 1C package is
        set-based (Odoo 11 creates records one by one, 20x slower). The
        values are the ones ``create`` would store, the stored related and
        computed fields included."""
        if not rows:
            return self.browse()
        columns = list(rows[0][0]) + ["state", "lead_id", "user_id", "team_id", "company_id",
                                      "create_uid", "create_date", "write_uid", "write_date"]
        company = self.env.user.company_id.id
        contracts = self.env["receivables.contract"].browse({c.id for _v, c in rows if c})
        fields_read = ["lead_id", "user_id", "team_id", "company_id"]
        linked = {c["id"]: c for c in contracts.read(fields_read, load="_classic_write")}
        empty = {"lead_id": None, "user_id": None, "team_id": None, "company_id": company}
        values = []
        for vals, contract in rows:
            row = [vals[key] if vals[key] is not False else None for key in rows[0][0]]
            link = linked.get(contract.id, empty)
            row += [self._state_of(vals), link["lead_id"] or None, link["user_id"] or None, link["team_id"] or None,
                    link["company_id"] or company, self.env.uid, None, self.env.uid, None]
            values.append(row)
        query = "INSERT INTO receivables_payment (%s) VALUES %%s RETURNING id" % ", ".join(
            '"%s"' % c for c in columns)
        now = "(now() at time zone 'UTC')"
        template = "(%s)" % ", ".join(now if c in ("create_date", "write_date") else "%s" for c in columns)
        values = [[v for v, c in zip(row, columns) if c not in ("create_date", "write_date")] for row in values]
        ids = execute_values(self.env.cr, query, values, template=template, page_size=len(values), fetch=True)
        self.invalidate_cache()
        return self.browse([row[0] for row in ids])

    @api.model
    def _onec_check(self, doc, currencies, today):
        if not doc["guid"]:
            return _("the document has no GUID")
        if doc["currency"] and doc["currency"] not in currencies:
            return _("unknown currency %s") % doc["currency"]
        if doc["amount"] <= 0:
            return _("the amount must be positive (%s)") % doc["amount"]
        if not doc["date"]:
            return _("the document has no date")
        if doc["date"].date() > today + timedelta(days=1):
            return _("the date %s is in the future") % doc["date"].strftime("%d.%m.%Y")
        return None

    @api.model
    def _onec_values(self, doc, currency, partner, contract, digest):
        return {
            "onec_guid": doc["guid"],
            "onec_hash": digest,
            "doc_type": doc["doc_type"],
            "name": doc["number"] or doc["guid"][:8],
            "date": fields.Date.to_string(doc["date"]),
            "amount": float(doc["amount"]),
            "currency_id": currency.id,
            "posted": doc["posted"],
            "deletion_mark": doc["deletion_mark"],
            "onec_partner_name": doc["partner_name"],
            "onec_inn": doc["inn"],
            "onec_kpp": doc["kpp"],
            "onec_contract_number": doc["contract_number"],
            "onec_contract_date": doc["contract_date"] and fields.Date.to_string(doc["contract_date"]),
            "onec_contract_guid": doc["contract_guid"],
            "purpose": doc["purpose"],
            "partner_id": partner.id,
            "contract_id": contract.id,
        }
