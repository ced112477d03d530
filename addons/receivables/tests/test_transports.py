# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import os
import unittest
from datetime import timedelta

from odoo.exceptions import UserError

from ..models.common import trusted
from .common import ROOT, ReceivablesCase, contract_json, doc, sale, split

# What a payment line says, whichever way it came from 1C.
COMPARED = ("onec_guid", "onec_line_key", "name", "doc_type", "date", "amount", "document_amount", "currency_id",
            "posted", "deletion_mark", "onec_partner_name", "onec_inn", "onec_kpp", "onec_contract_guid",
            "onec_contract_number", "onec_contract_date", "partner_id", "contract_id", "state")


class TestTransports(ReceivablesCase):
    """The same 1C base read through the programmer's web service (SOAP) and
    through the standard OData interface gives the same payments, lines and
    balances."""

    @classmethod
    def set_up_records(cls):
        result = super(TestTransports, cls).set_up_records()
        cls.contract_a.onec_guid = "7c1e0a52-0000-4000-8000-00000000000a"
        cls.contract_b.onec_guid = "7c1e0a52-0000-4000-8000-00000000000b"
        cls.contract_a2 = cls.env["receivables.contract"].create({
            "name": "RCV-A/2", "date": cls.contract_a.date, "partner_id": cls.client_a.id,
            "user_id": cls.leader.id, "onec_guid": "7c1e0a52-0000-4000-8000-0000000000a2",
            "line_ids": [(0, 0, {"date": cls.contract_a.date, "amount": 90000})]})
        # Connections of their own: the database's main one has the demo's payments.
        cls.soap = cls.backend.copy({"name": "1С по SOAP", "cursor": False})
        cls.soap.password = "secret"
        cls.odata = cls.backend.copy({
            "name": "1С по OData", "transport": "odata", "configuration": "bp30", "cursor": False,
            "endpoint": cls.stand_in.url + "/buh/odata/standard.odata"})
        cls.odata.password = "secret"
        return result

    def load(self, payments):
        contracts = [contract_json(c) for c in (self.contract_a, self.contract_a2, self.contract_b)]
        sales = [sale("rt-1", self.contract_a, 300000, day=self.today - timedelta(days=40)),
                 sale("rt-2", self.contract_a2, 90000, day=self.today - timedelta(days=30))]
        self.stand_in.control(contracts=contracts, sales=sales, payments=payments)

    def lines(self, backend):
        payments = self.env["receivables.payment"].search([("backend_id", "=", backend.id)])
        rows = payments.read(list(COMPARED), load="_classic_write")
        for row in rows:
            del row["id"]
            # A receipt without breakdown: SOAP's old shape has no line, 1C's
            # tabular section (OData) always has row 1.
            row["onec_line_key"] = row["onec_line_key"] or "1"
        return sorted(rows, key=lambda row: (row["onec_guid"], row["onec_line_key"]))

    def forget(self, backend):
        """What ``backend`` imported, gone (one 1C base is connected once:
        the other route may then import the same receipts)."""
        payments = trusted(self.env["receivables.payment"].sudo()).search([("backend_id", "=", backend.id)])
        contracts = payments.mapped("contract_id")
        payments.unlink()
        contracts._allocate_payments()
        backend.cursor = False

    def assert_same(self, first="soap"):
        """Both routes from scratch, one after the other: the same lines."""
        one, two = (self.soap, self.odata) if first == "soap" else (self.odata, self.soap)
        log_one = self.sync(one)
        lines_one = self.lines(one)
        self.forget(one)
        log_two = self.sync(two)
        self.assertEqual((log_one.state, log_two.state), ("done", "done"), (log_one.error, log_two.error))
        self.assertTrue(lines_one, log_one.details)
        self.assertEqual(lines_one, self.lines(two))
        return (log_one, log_two) if first == "soap" else (log_two, log_one)

    def test_same_payments_lines_and_balances(self):
        guid = "5a0e0000-0000-4000-8000-%012d"
        self.load([
            split(guid % 1, "7701000011", [("1", self.contract_a, 120000), ("2", self.contract_a2, 30000)],
                  kpp="770101001", number="0000-000101", ContractGUID=""),
            doc(guid % 2, "7701000011", 50000, kpp="770101001", contract=self.contract_a, number="0000-000102",
                ContractGUID=self.contract_a.onec_guid),
            doc(guid % 3, "7701000022", 20000, kpp="770101001", contract=self.contract_b, number="0000-000103",
                ContractGUID=self.contract_b.onec_guid, DocumentType="ПриходныйКассовыйОрдер"),
            doc(guid % 4, "7701000022", 7000, kpp="770101001", number="0000-000104", DeletionMark=True),
        ])
        self.assert_same()
        self.assertEqual(len(self.lines(self.odata)), 5)
        self.assertEqual(self.contract_a2.amount_paid, 30000)
        # 1C's balances: the same figures through both routes.
        soap_rows = self.soap._client().get_settlements()
        odata_rows = self.odata._client().get_settlements()
        key = ("contract_guid", "inn", "currency", "balance", "balance_rub")
        self.assertEqual(sorted(tuple(row[k] for k in key) for row in soap_rows),
                         sorted(tuple(row[k] for k in key) for row in odata_rows))
        self.assertIn((self.contract_a.onec_guid, "7701000011", "RUB", 130000, 130000),
                      [tuple(row[k] for k in key) for row in odata_rows])
        # Changed in 1C: a line moved to another contract, a receipt unposted.
        self.stand_in.control(upsert=[
            split(guid % 1, "7701000011", [("1", self.contract_a, 100000), ("2", self.contract_a, 50000)],
                  kpp="770101001", number="0000-000101", ContractGUID=""),
            doc(guid % 2, "7701000011", 50000, kpp="770101001", contract=self.contract_a, number="0000-000102",
                ContractGUID=self.contract_a.onec_guid, Posted=False)])
        # OData (which holds the receipts now) updates them; SOAP from scratch agrees.
        odata = self.sync(self.odata)
        self.assertEqual((odata.updated, odata.created), (3, 0))
        self.assertEqual(self.contract_a2.amount_paid, 0)
        changed = self.lines(self.odata)
        # Nothing changed: OData fetches no receipt again.
        again = self.sync(self.odata)
        self.assertEqual((again.created, again.updated, again.fetched), (0, 0, 0), again.details)
        self.forget(self.odata)
        self.sync(self.soap)
        self.assertEqual(self.lines(self.soap), changed)

    def test_the_demo_base_through_both_routes(self):
        path = os.path.join(ROOT, ".local", "onec_demo.json")
        if not os.path.exists(path):
            raise unittest.SkipTest("no demo data of the 1C stand-in (made by scripts/db.sh)")
        with open(path, encoding="utf-8") as data:
            self.stand_in.control(**json.load(data))
        # The demo's own connection imported them: one base is connected once.
        self.forget(self.backend)
        soap, odata = self.assert_same()
        self.assertGreater(soap.created, 100)
        self.assertEqual((soap.created, soap.failed), (odata.created, odata.failed))

    def test_odata_failures_say_why_and_keep_data(self):
        guid = "5a0e0000-0000-4000-8000-1000000000%02d"
        self.load([doc(guid % 1, "7701000011", 1000, kpp="770101001", contract=self.contract_a,
                       ContractGUID=self.contract_a.onec_guid)])
        self.assertEqual(self.sync(self.odata).created, 1)
        cursor = self.odata.cursor
        self.stand_in.control(upsert=[doc(guid % 2, "7701000011", 2000, kpp="770101001")])
        for mode, text in (("lock", "блокиров"), ("rights", "прав"), ("busy", "перегружена"),
                           ("http500", "500"), ("malformed", "некорректн"), ("badauth", "пароль")):
            self.stand_in.control(mode=mode)
            log = self.sync(self.odata)
            self.assertEqual(log.state, "failed", mode)
            self.assertIn(text, log.error, mode)
            self.assertNotIn("Internal error", log.error, mode)
            self.assertEqual(self.odata.cursor, cursor, mode)
            self.assertFalse(self.env["receivables.payment"].search([("onec_guid", "=", guid % 2)]), mode)
        self.stand_in.control(reset=True)
        self.assertEqual(self.sync(self.odata).created, 1)
        # "Test connection" names the objects the administrator has not ticked yet.
        self.stand_in.control(unpublished=["Document_ПриходныйКассовыйОрдер", "Catalog_ДоговорыКонтрагентов"])
        with self.assertRaisesRegex(UserError, "ПриходныйКассовыйОрдер.*ДоговорыКонтрагентов|"
                                               "ДоговорыКонтрагентов.*ПриходныйКассовыйОрдер"):
            self.odata.action_test_connection()
        self.stand_in.control(unpublished=[])
        with self.assertRaisesRegex(UserError, "works|работает"):
            self.odata.action_test_connection()
