# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ReceivablesMatchRule(models.Model):
    """A link made by hand between what 1C sends (INN, KPP, contract number
    and date) and a client and contract of Odoo, used before the automatic
    matching for the next documents."""

    _name = "receivables.match.rule"
    _description = "Remembered 1C link"
    _order = "id desc"

    inn = fields.Char(string="INN", required=True, index=True)
    kpp = fields.Char(string="KPP")
    contract_number = fields.Char()
    contract_date = fields.Date()
    partner_id = fields.Many2one("res.partner", string="Client", required=True, ondelete="cascade")
    contract_id = fields.Many2one("receivables.contract", ondelete="cascade")

    @api.model
    def _remember(self, payments):
        """Remembers the hand-made links of ``payments`` (as superuser: the
        accountant who links has no right on the rules themselves)."""
        for payment in payments.filtered(lambda p: p.onec_inn and p.partner_id):
            key = [("inn", "=", payment.onec_inn), ("kpp", "=", payment.onec_kpp or False),
                   ("contract_number", "=", payment.onec_contract_number or False),
                   ("contract_date", "=", payment.onec_contract_date or False)]
            vals = {"partner_id": payment.partner_id.id, "contract_id": payment.contract_id.id}
            rule = self.sudo().search(key, limit=1)
            if rule:
                rule.write(vals)
            else:
                vals.update({"inn": payment.onec_inn, "kpp": payment.onec_kpp or False,
                             "contract_number": payment.onec_contract_number or False,
                             "contract_date": payment.onec_contract_date or False})
                self.sudo().create(vals)

    @api.model
    def _matcher(self, docs):
        """A function doc -> (partner, contract) for one page of documents,
        with every lookup done up front in a few queries."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        Contract = self.env["receivables.contract"].with_context(active_test=False)
        inns = list({d["inn"] for d in docs if d["inn"]})
        numbers = list({d["contract_number"] for d in docs if d["contract_number"]})
        guids = list({d["contract_guid"] for d in docs if d["contract_guid"]})
        rules = {}
        for rule in self.search([("inn", "in", inns)], order="id"):
            rules[(rule.inn, rule.kpp or "", rule.contract_number or "", rule.contract_date or "")] = rule
        # The lookups of a page read ids only (plain SQL, archived records
        # too, as the import sees everything): a page of 1000 receipts would
        # otherwise spend more time reading records than storing them.
        cr = self.env.cr
        # Every client card of an INN (and KPP), oldest first: a newer card
        # with the same INN, made by anyone, must not draw the payments of
        # the client whose contracts they are.
        cr.execute("SELECT id, vat, kpp FROM res_partner WHERE vat = ANY(%s) AND parent_id IS NULL ORDER BY id",
                   (inns,))
        partner_ids = {}
        for partner_id, vat, kpp in cr.fetchall():
            for key in ((vat, kpp or ""), (vat, None)):
                partner_ids.setdefault(key, []).append(partner_id)
        partners = {key: Partner.browse(ids) for key, ids in partner_ids.items()}
        # Each contract's client (commercial entity), read with it.
        owner_of = {}
        cr.execute("""
            SELECT c.onec_guid, c.id, p.commercial_partner_id FROM receivables_contract c
              JOIN res_partner p ON p.id = c.partner_id WHERE c.onec_guid = ANY(%s)""", (guids,))
        contracts_by_guid = {}
        for guid, contract_id, owner in cr.fetchall():
            contracts_by_guid[guid] = Contract.browse(contract_id)
            owner_of[contract_id] = owner
        empty_contract = Contract.browse()
        cr.execute("""
            SELECT c.id, c.name, c.date, p.commercial_partner_id FROM receivables_contract c
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.name = ANY(%s) ORDER BY c.id""", (numbers,))
        contract_ids = {}
        for contract_id, name, day, owner in cr.fetchall():
            owner_of[contract_id] = owner
            for key in ((owner, name, day), (owner, name, None)):  # dates come as strings in Odoo 11
                contract_ids.setdefault(key, []).append(contract_id)
        # Two contracts of a client under one number (and date): the payment
        # waits for the accountant rather than go to whichever is newer, or a
        # salesman could draw a colleague's payments by copying his contract.
        contracts = {key: Contract.browse(ids) for key, ids in contract_ids.items() if len(ids) == 1}
        memo = {}

        def match(doc):
            cdate = doc["contract_date"] and fields.Date.to_string(doc["contract_date"]) or ""
            key = (doc["inn"], doc["kpp"], doc["contract_number"], cdate, doc["contract_guid"])
            if key not in memo:
                memo[key] = resolve(doc, cdate)
            return memo[key]

        def resolve(doc, cdate):
            rule = rules.get((doc["inn"], doc["kpp"], doc["contract_number"], cdate))
            if rule:
                return rule.partner_id, rule.contract_id
            candidates = partners.get((doc["inn"], doc["kpp"])) or partners.get((doc["inn"], None)) \
                or Partner.browse()
            partner = candidates[:1]
            contract = contracts_by_guid.get(doc["contract_guid"], empty_contract)
            if contract:
                owner = Partner.browse(owner_of[contract.id])
                if not candidates or owner in candidates:
                    partner = owner
                else:
                    contract = empty_contract
            elif doc["contract_number"]:
                found = [contracts[(candidate.id, doc["contract_number"], cdate or None)] for candidate in candidates
                         if (candidate.id, doc["contract_number"], cdate or None) in contracts]
                if len(found) == 1:
                    contract = found[0]
                    partner = Partner.browse(owner_of[contract.id])
            if not partner:
                rule = rules.get((doc["inn"], doc["kpp"], "", ""))
                if rule:
                    return rule.partner_id, rule.contract_id
            return partner or Partner.browse(), contract
        return match
