# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from ..models.common import trusted
from ..models.receivables_onec_importer import receipt_items
from .common import ReceivablesCase, doc, split


class TestSplitPayments(ReceivablesCase):
    """One bank receipt paying several contracts (its РасшифровкаПлатежа)."""

    @classmethod
    def set_up_records(cls):
        result = super(TestSplitPayments, cls).set_up_records()
        today = cls.today
        # A second contract of client A, managed by another manager.
        cls.contract_a2 = cls.env["receivables.contract"].create({
            "name": "RCV-A/2", "date": (today - timedelta(days=20)).strftime("%Y-%m-%d"),
            "partner_id": cls.client_a.id, "user_id": cls.leader.id,
            "line_ids": [(0, 0, {"date": (today - timedelta(days=5)).strftime("%Y-%m-%d"), "amount": 100000})],
        })
        return result

    def receipt(self, guid):
        return self.env["receivables.payment"].search([("onec_guid", "=", guid)], order="onec_line_key")

    def test_each_line_pays_its_own_contract(self):
        self.stand_in.control(payments=[split("sp-1", "7701000011", [
            ("1", self.contract_a, 120000), ("2", self.contract_a2, 80000)], kpp="770101001", number="501")])
        log = self.sync()
        self.assertEqual((log.state, log.fetched, log.created), ("done", 1, 2), log.error or log.details)
        lines = self.receipt("sp-1")
        self.assertEqual(lines.mapped("onec_line_key"), ["1", "2"])
        self.assertEqual(lines.mapped("amount"), [120000, 80000])
        self.assertEqual(lines.mapped("document_amount"), [200000, 200000])
        self.assertEqual(lines.mapped("contract_id"), self.contract_a | self.contract_a2)
        self.assertEqual(lines.mapped("user_id"), self.manager_a | self.leader)
        self.assertEqual(set(lines.mapped("state")), {"matched"})
        self.assertEqual(self.contract_a.amount_paid, 120000)
        self.assertEqual(self.contract_a.line_ids.sorted("date").mapped("allocated"), [100000, 20000, 0])
        self.assertEqual(self.contract_a2.amount_paid, 80000)
        # The same receipt again: nothing changes, nothing doubles.
        self.backend.cursor = False
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.unchanged), (0, 0, 2))
        self.assertEqual(len(self.receipt("sp-1")), 2)

    def test_receipt_changed_in_1c_is_reimported(self):
        self.stand_in.control(payments=[split("sp-2", "7701000011", [
            ("1", self.contract_a, 120000), ("2", self.contract_a2, 80000)])])
        self.sync()
        # The accountant moves line 2 onto contract A and corrects its sum.
        self.stand_in.control(upsert=[split("sp-2", "7701000011", [
            ("1", self.contract_a, 120000), ("2", self.contract_a, 30000)])])
        log = self.sync()
        # Both lines: the receipt's total, which each line keeps, changed too.
        self.assertEqual((log.updated, log.unchanged), (2, 0))
        self.assertEqual(self.receipt("sp-2").mapped("contract_id"), self.contract_a)
        self.assertEqual((self.contract_a.amount_paid, self.contract_a2.amount_paid), (150000, 0))
        self.assertEqual(self.contract_a2.line_ids.allocated, 0)
        # One line left: the other is gone from Odoo too.
        self.stand_in.control(upsert=[split("sp-2", "7701000011", [("1", self.contract_a2, 90000)])])
        log = self.sync()
        self.assertEqual(log.updated, 2)
        lines = self.receipt("sp-2")
        self.assertEqual((lines.onec_line_key, lines.amount, lines.contract_id), ("1", 90000, self.contract_a2))
        self.assertEqual((self.contract_a.amount_paid, self.contract_a2.amount_paid), (0, 90000))
        # Unposted, then marked for deletion: every line is cancelled, no money counts.
        self.stand_in.control(upsert=[split("sp-2", "7701000011", [
            ("1", self.contract_a2, 90000), ("2", self.contract_a, 10000)], Posted=False)])
        log = self.sync()
        self.assertEqual(log.cancelled, 2)
        self.assertEqual(set(self.receipt("sp-2").mapped("state")), {"cancelled"})
        self.assertEqual((self.contract_a.amount_paid, self.contract_a2.amount_paid), (0, 0))
        self.stand_in.control(upsert=[split("sp-2", "7701000011", [
            ("1", self.contract_a2, 90000), ("2", self.contract_a, 10000)], DeletionMark=True)])
        self.sync()
        self.assertEqual(set(self.receipt("sp-2").mapped("state")), {"cancelled"})
        # Posted again without breakdown: one line for the whole receipt.
        self.stand_in.control(upsert=[doc("sp-2", "7701000011", 100000, contract=self.contract_a)])
        self.sync()
        lines = self.receipt("sp-2")
        self.assertEqual((lines.onec_line_key, lines.amount, lines.state), ("", 100000, "matched"))
        self.assertEqual(self.contract_a.amount_paid, 100000)

    def test_a_breakdown_that_does_not_add_up_is_refused_whole(self):
        wrong = split("sp-3", "7701000011", [("1", self.contract_a, 1000), ("2", self.contract_a2, 2000)],
                      number="503")
        wrong["Amount"] = "5000.00"
        twice = split("sp-4", "7701000011", [("1", self.contract_a, 1000), ("1", self.contract_a2, 2000)],
                      number="504")
        negative = split("sp-5", "7701000011", [("1", self.contract_a, 3000), ("2", self.contract_a2, -1000)],
                         number="505")
        self.stand_in.control(payments=[wrong, twice, negative, doc("sp-6", "7701000011", 700)])
        log = self.sync()
        self.assertEqual((log.state, log.failed, log.created), ("done", 3, 1), log.details)
        self.assertFalse(self.receipt("sp-3") | self.receipt("sp-4") | self.receipt("sp-5"))
        self.assertIn("503", log.details)
        self.assertIn("adds up to 3000", log.details)
        self.assertIn("same key", log.details)
        # Corrected in 1C, it comes in whole.
        wrong["Amount"] = "3000.00"
        self.stand_in.control(upsert=[wrong])
        self.sync()
        self.assertEqual(len(self.receipt("sp-3")), 2)

    def test_two_1c_bases_feed_one_odoo(self):
        """Two connections (two firms' bases) feed one Odoo, each bound by
        its own GUIDs; the same receipt through a second connection (one base
        connected twice) is refused and its money counts once."""
        other = self.backend.copy({"name": "1С:Розница", "cursor": False})
        other.password = "secret"
        self.stand_in.control(payments=[split("sp-7", "7701000011", [
            ("1", self.contract_a, 1000), ("2", self.contract_a2, 2000)])])
        self.sync()
        log = self.sync(other)
        self.assertEqual((log.state, log.created, log.failed), ("done", 0, 1))
        self.assertIn("1С:Бухгалтерия", log.details)
        self.assertEqual(self.receipt("sp-7").mapped("backend_id"), self.backend)
        self.assertEqual(self.contract_a2.amount_paid, 2000)
        # The second base's own receipts come in through it.
        self.stand_in.control(upsert=[split("sp-8", "7701000011", [("1", self.contract_a2, 500)])])
        self.sync(other)
        self.assertEqual(self.receipt("sp-8").backend_id, other)
        self.assertEqual(self.contract_a2.amount_paid, 2500)

    def test_bulk_insert_equals_create(self):
        """The importer's set-based INSERT stores what the ORM's create
        stores, stored computed and related fields included."""
        Importer = self.env["receivables.onec.importer"]
        Payment = trusted(self.env["receivables.payment"])
        source = split("ignored", "7701000011", [("1", self.contract_a, 1000)])
        items = []
        for number, (contract, key) in enumerate([(self.contract_a, "1"), (self.contract_a2, "2"),
                                                  (self.env["receivables.contract"], "")]):
            item = receipt_items({
                "guid": "bulk-%d" % number, "doc_type": source["DocumentType"], "number": str(number),
                "date": self.backend._local_now().replace(tzinfo=None), "posted": number != 2,
                "deletion_mark": False, "partner_guid": "", "partner_name": "Альфа", "inn": "7701000011",
                "kpp": "", "amount": 1000 + number, "currency": "RUB", "purpose": "Оплата",
                "lines": [{"key": key, "contract_guid": "", "contract_number": contract.name or "",
                           "contract_date": None, "amount": 1000 + number}]})[0]
            items.append((item, contract))
        rub = self.env.ref("base.RUB")
        rows = [(Importer._values(self.backend, item, rub, contract.partner_id, contract, "h"), contract)
                for item, contract in items]
        bulk = Importer._insert(rows)
        orm = Payment.browse()
        for vals, _contract in rows:
            orm |= Payment.create(dict(vals, onec_guid=vals["onec_guid"] + "-orm"))
        skip = {"id", "onec_guid", "create_date", "write_date", "display_name", "__last_update"}
        names = [name for name, field in Payment._fields.items() if field.store and name not in skip]
        self.assertEqual(bulk.read(names, load="_classic_write"), [
            dict(row, id=bulk[i].id) for i, row in enumerate(orm.read(names, load="_classic_write"))])
        # And in the table itself (NULL and false, '' and NULL read alike).
        columns = ", ".join('"%s"' % name for name in names)
        stored = []
        for records in (bulk, orm):
            self.env.cr.execute("SELECT %s FROM receivables_payment WHERE id IN %%s ORDER BY id" % columns,
                                (tuple(records.ids),))
            stored.append(self.env.cr.fetchall())
        self.assertEqual(stored[0], stored[1])
        self.assertIn(False, [row[names.index("posted")] for row in stored[0]])
