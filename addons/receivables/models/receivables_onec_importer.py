# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import io
from datetime import timedelta
from decimal import Decimal


from odoo import _, api, fields, models

from .common import trusted

# What 1C says about one line of a receipt: an unchanged line is skipped.
HASHED = ("doc_type", "number", "date", "posted", "deletion_mark", "partner_guid", "partner_name", "inn", "kpp",
          "contract_guid", "contract_number", "contract_date", "amount", "doc_amount", "currency", "purpose", "version")
CENT = Decimal("0.005")


def _hashed(value):
    # 1C writes 210000 or 210000.00 for the same money.
    if isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
        return "%.2f" % value
    return str(value or "")


def line_hash(item):
    text = "\x1f".join(_hashed(item.get(field)) for field in HASHED)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def receipt_items(doc):
    """The lines of one receipt (its РасшифровкаПлатежа), each with the
    receipt's own fields: one payment record per line."""
    lines = doc.get("lines") or [{
        "key": "", "contract_guid": doc.get("contract_guid", ""), "contract_number": doc.get("contract_number", ""),
        "contract_date": doc.get("contract_date"), "amount": doc["amount"]}]
    items = []
    for line in lines:
        item = dict(doc, key=line["key"] or "", contract_guid=line["contract_guid"],
                    contract_number=line["contract_number"], contract_date=line["contract_date"],
                    amount=line["amount"], doc_amount=doc["amount"])
        item.pop("lines", None)
        items.append(item)
    return items


class ReceivablesOnecImporter(models.AbstractModel):
    """Maps the receipts of one page from 1C onto payment records and keeps
    the import idempotent: every line of a receipt is bound by its key, a
    changed receipt updates, adds and removes its lines, an unchanged one is
    skipped. Speaks no SOAP (that is the adapter, ``services/onec_client``)
    and owns no business rule of the payments (matching, allocation and
    invoices stay with their models)."""

    _name = "receivables.onec.importer"
    _description = "1C payment importer"

    @api.model
    def _import_batch(self, backend, docs, log):
        """Stores one page of receipts. Returns counters (receipts fetched,
        payment lines created, updated, cancelled, unchanged; receipts
        failed); problems go to ``log`` as readable lines. A receipt that
        fails a check is skipped whole: nothing of it is half-imported."""
        Payment = trusted(self.env["receivables.payment"].sudo())
        counts = dict(fetched=len(docs), created=0, updated=0, cancelled=0, failed=0, unchanged=0)
        latest = {}
        for doc in docs:
            if doc["guid"] in latest:
                log.add_line(_("Document %s came twice in one answer; the last copy is used.") % _safe(doc["guid"]))
            latest[doc["guid"]] = doc
        self.env.cr.execute("SELECT name, id FROM res_currency")
        Currency = self.env["res.currency"]
        currencies = {name: Currency.browse(currency_id) for name, currency_id in self.env.cr.fetchall()}
        today = fields.Date.from_string(fields.Date.context_today(self))
        good = []
        # Checked before anything reaches the database: one hostile receipt
        # costs that receipt, never the page.
        for doc in latest.values():
            problem = self._check(doc, currencies, today)
            if problem:
                counts["failed"] += 1
                log.add_line(_("Document %(guid)s № %(number)s skipped: %(problem)s") % {
                    "guid": _safe(doc["guid"]) or "?", "number": _safe(doc["number"]) or "?", "problem": problem})
            else:
                good.append(doc)
        good = self._not_bound_elsewhere(backend, good, counts, log)
        bound = self.env["receivables.onec.binder"]._payment_lines(backend, [doc["guid"] for doc in good], Payment)
        items = {doc["guid"]: receipt_items(doc) for doc in good}
        matcher = self.env["receivables.match.rule"]._matcher([item for lines in items.values() for item in lines])
        company_currency = self.env.user.company_id.currency_id
        contracts = self.env["receivables.contract"]
        touched, removed = Payment.browse(), Payment.browse()
        new_rows = []
        for doc in good:
            lines = dict(bound.get(doc["guid"], {}))
            for item in items[doc["guid"]]:
                payment = lines.pop(item["key"], None)
                if payment:
                    # The contract it paid before gives its money back.
                    contracts |= payment.contract_id
                currency = currencies[item["currency"]] if item["currency"] else company_currency
                outcome, changed = self._import_line(backend, payment, item, currency, matcher, new_rows, log)
                counts[outcome] += 1
                if changed is not None:
                    touched |= changed
                    contracts |= changed.contract_id
                    if changed.state == "cancelled":
                        counts["cancelled"] += 1
            # Lines 1C no longer has (moved into another line, deleted).
            for payment in lines.values():
                removed |= payment
                counts["updated"] += 1
        if removed:
            contracts |= removed.mapped("contract_id")
            removed._unregister_from_invoices(log)
            removed.unlink()
        inserted = self._insert(new_rows)
        # Counted from the values inserted: reading the new records back
        # would cost more than the insert.
        counts["cancelled"] += sum(1 for vals, _contract in new_rows if Payment._state_of(vals) == "cancelled")
        contracts |= contracts.browse({contract.id for _vals, contract in new_rows if contract})
        touched |= inserted
        contracts._allocate_payments()
        if backend.journal_id and touched:
            touched._sync_invoice_registration(backend.journal_id, log)
        return counts

    def _import_line(self, backend, payment, item, currency, matcher, new_rows, log):
        """One line: (counter to add to, the payment changed or None). New
        lines are only collected into ``new_rows`` (inserted together)."""
        digest = line_hash(item)
        if payment and payment.onec_hash == digest:
            if payment.state == "unmatched":
                # A client or contract may have appeared in the CRM since.
                partner, contract = matcher(item)
                if contract and (partner, contract) != (payment.partner_id, payment.contract_id):
                    payment.write({"partner_id": partner.id, "contract_id": contract.id})
                    return "unchanged", payment
            return "unchanged", None
        partner, contract = matcher(item)
        vals = self._values(backend, item, currency, partner, contract, digest)
        if not payment:
            new_rows.append((vals, contract))
            return "created", None
        if payment.onec_inn and payment.onec_inn != item["inn"]:
            vals["note"] = _("1C moved document %(guid)s № %(number)s from INN %(old)s to INN %(new)s.") % {
                "guid": item["guid"], "number": item["number"], "old": payment.onec_inn, "new": item["inn"]}
            log.add_line(vals["note"])
        elif payment.partner_id and not partner:
            # Linked by hand before: keep the link.
            vals.pop("partner_id")
            vals.pop("contract_id")
        if payment.account_payment_id and (payment.amount != vals["amount"]
                                           or payment.partner_id.id != vals.get("partner_id", payment.partner_id.id)):
            # The money or its client changed in 1C: the registration is made again.
            payment._unregister_from_invoices(log)
        payment.write(vals)
        return "updated", payment

    def _not_bound_elsewhere(self, backend, docs, counts, log):
        """The receipts no other 1C connection has imported. A GUID is a
        UUID: the same one through two connections is the same document (one
        base connected twice, a copied base), whose money must count once."""
        if not docs:
            return docs
        self.env.cr.execute("""
            SELECT DISTINCT p.onec_guid, b.name FROM receivables_payment p
              JOIN receivables_onec_backend b ON b.id = p.backend_id
             WHERE p.onec_guid = ANY(%s) AND p.backend_id != %s""", ([doc["guid"] for doc in docs], backend.id))
        elsewhere = dict(self.env.cr.fetchall())
        if not elsewhere:
            return docs
        kept = []
        for doc in docs:
            if doc["guid"] in elsewhere:
                counts["failed"] += 1
                log.add_line(_("Document %(guid)s № %(number)s skipped: it was imported through the 1C connection "
                               "«%(other)s»; one 1C base is connected once (change that connection's transport "
                               "instead of adding another).") % {
                    "guid": doc["guid"], "number": doc["number"] or "?", "other": elsewhere[doc["guid"]]})
            else:
                kept.append(doc)
        return kept

    @api.model
    def _check(self, doc, currencies, today):
        """Why a receipt cannot be stored as it is, or None."""
        problem = _text_problem(doc, RECEIPT_TEXTS) or next(
            (found for found in (_text_problem(line, LINE_TEXTS) for line in doc.get("lines") or []) if found), None)
        if problem:
            return problem
        if not doc["guid"]:
            return _("the document has no GUID")
        if doc["currency"] and doc["currency"] not in currencies:
            return _("unknown currency %s") % doc["currency"]
        for amount in [doc["amount"]] + [line["amount"] for line in doc.get("lines") or []]:
            if not _money_fits(amount):
                return _("the amount %s is not a sum of money 1C can hold (15 digits, 2 after the point)") % (
                    _safe(str(amount)))
        if doc["amount"] <= 0:
            return _("the amount must be positive (%s)") % doc["amount"]
        if not doc["date"]:
            return _("the document has no date")
        if doc["date"].date() > today + timedelta(days=1):
            return _("the date %s is in the future") % doc["date"].strftime("%d.%m.%Y")
        lines = doc.get("lines") or []
        keys = [line["key"] or "" for line in lines]
        if len(set(keys)) != len(keys):
            return _("two lines of the payment breakdown have the same key")
        for line in lines:
            if line["amount"] <= 0:
                return _("a line of the payment breakdown has a sum that is not positive (%s)") % line["amount"]
        if lines and abs(sum(Decimal(str(line["amount"])) for line in lines) - Decimal(str(doc["amount"]))) >= CENT:
            return _("the payment breakdown adds up to %(lines)s, the document to %(total)s") % {
                "lines": sum(Decimal(str(line["amount"])) for line in lines), "total": doc["amount"]}
        return None

    @api.model
    def _values(self, backend, item, currency, partner, contract, digest):
        return {
            "backend_id": backend.id,
            "onec_guid": item["guid"],
            "onec_line_key": item["key"],
            "onec_hash": digest,
            "onec_version": item.get("version") or "",
            "doc_type": item["doc_type"],
            "name": item["number"] or item["guid"][:8],
            "date": fields.Date.to_string(item["date"]),
            "amount": float(item["amount"]),
            "document_amount": float(item["doc_amount"]),
            "currency_id": currency.id,
            "posted": item["posted"],
            "deletion_mark": item["deletion_mark"],
            "onec_partner_name": item["partner_name"],
            "onec_inn": item["inn"],
            "onec_kpp": item["kpp"],
            "onec_contract_number": item["contract_number"],
            "onec_contract_date": item["contract_date"] and fields.Date.to_string(item["contract_date"]),
            "onec_contract_guid": item["contract_guid"],
            "purpose": item["purpose"],
            "partner_id": partner.id,
            "contract_id": contract.id,
        }

    @api.model
    def _insert(self, rows):
        """Stores new payment lines with one COPY: a 1C page is stored
        set-based (Odoo 11 creates records one by one, 20x slower, and a
        multi-row INSERT spends half its time parsing). The values are the
        ones ``create`` stores, the stored related and computed fields
        included (``test_bulk_insert_equals_create``)."""
        Payment = self.env["receivables.payment"]
        if not rows:
            return Payment.browse()
        cr = self.env.cr
        keys = list(rows[0][0])
        columns = ["id"] + keys + ["state", "lead_id", "user_id", "team_id", "company_id", "create_uid",
                                   "write_uid", "create_date", "write_date"]
        company = self.env.user.company_id.id
        contracts = self.env["receivables.contract"].browse({c.id for _v, c in rows if c})
        linked = {c["id"]: c for c in contracts.read(["lead_id", "user_id", "team_id", "company_id"],
                                                     load="_classic_write")}
        empty = {"lead_id": None, "user_id": None, "team_id": None, "company_id": company}
        cr.execute("SELECT nextval('receivables_payment_id_seq') FROM generate_series(1, %s)", (len(rows),))
        ids = [row[0] for row in cr.fetchall()]
        # The moment create() writes: the transaction's start, in UTC.
        cr.execute("SELECT now() at time zone 'UTC'")
        now = cr.fetchone()[0]
        # Booleans store false where other fields store NULL for False (as the ORM does).
        flags = {key for key in keys if Payment._fields[key].type == "boolean"}
        lines = []
        for payment_id, (vals, contract) in zip(ids, rows):
            link = linked.get(contract.id, empty)
            row = [payment_id] + [bool(vals[key]) if key in flags else None if vals[key] is False else vals[key]
                                  for key in keys] + [
                Payment._state_of(vals), link["lead_id"] or None, link["user_id"] or None, link["team_id"] or None,
                link["company_id"] or company, self.env.uid, self.env.uid, now, now]
            lines.append("\t".join(_copy_text(value) for value in row))
        cr.copy_expert("COPY receivables_payment (%s) FROM STDIN" % ", ".join('"%s"' % c for c in columns),
                       io.StringIO("\n".join(lines) + "\n"))
        Payment.invalidate_cache()
        return Payment.browse(ids)


# Texts of a receipt and of its lines with the longest value the database
# and its indexes take (1C's own limits: GUID 36, ИНН 12, КПП 9).
RECEIPT_TEXTS = {"guid": 64, "doc_type": 128, "number": 64, "partner_guid": 64, "partner_name": 1000, "inn": 12,
                 "kpp": 9, "currency": 8, "purpose": 10000, "version": 128}
LINE_TEXTS = {"key": 32, "contract_guid": 64, "contract_number": 128}
MAX_MONEY = Decimal("1e13")


def _text_problem(values, limits):
    """Why a text of ``values`` cannot be stored (NUL, not Unicode, too
    long), or None."""
    for name, limit in limits.items():
        value = values.get(name)
        if not isinstance(value, str) or not value:
            continue
        if "\x00" in value:
            return _("the field %s holds a NUL character") % name
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("the field %s is not valid Unicode text") % name
        if len(value) > limit:
            return _("the field %(field)s is longer than %(limit)s characters") % {"field": name, "limit": limit}
    return None


def _money_fits(amount):
    try:
        amount = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except ArithmeticError:
        return False
    return amount.is_finite() and abs(amount) < MAX_MONEY


def _safe(text, limit=64):
    """A value from 1C as a log can show it."""
    text = text if isinstance(text, str) else str(text or "")
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")[:limit]


def _copy_text(value):
    """A value in COPY's text format."""
    if value is True or value is False:
        return "t" if value else "f"
    if value is None:
        return "\\N"
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
