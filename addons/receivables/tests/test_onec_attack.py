# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The 1C exchange from the attacker's chair: 1C's data (texts, GUIDs,
numbers, answers) is not trusted, a careless or compromised 1C must cost
one document, never the whole import, Odoo's money or another connection's
figures. Each test is a finding of the review of issues 11 and 17 and
fails until it is fixed; the comment above it says how sure the finding is."""
import base64
import importlib.util
import json
import os
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo.tests.common import SavepointCase

from ..models.common import trusted, without_commit
from ..services.onec_client import OneCError
from ..services.onec_odata import OneCODataClient
from .common import rouble_company

MODULE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AttackCase(SavepointCase):
    @classmethod
    def setUpClass(cls):
        super(AttackCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        rouble_company(cls.env)
        Users = cls.env["res.users"]
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        cls.manager_a = Users.create({"name": "Атака А", "login": "atk_man_a", "groups_id": [(6, 0, [salesman.id])]})
        cls.manager_b = Users.create({"name": "Атака Б", "login": "atk_man_b", "groups_id": [(6, 0, [salesman.id])]})
        cls.client = cls.env["res.partner"].create({"name": "ООО «Атака»", "is_company": True,
                                                    "vat": "7709990011", "kpp": "770901001"})
        Contract = cls.env["receivables.contract"]
        day = (date.today() - timedelta(days=30)).strftime("%Y-%m-%d")
        cls.contract_a = Contract.create({
            "name": "ATK/1", "date": day, "partner_id": cls.client.id, "user_id": cls.manager_a.id,
            "onec_guid": "a7a7a7a7-0000-4000-8000-000000000001",
            "line_ids": [(0, 0, {"date": day, "amount": 100000})]})
        cls.contract_b = Contract.create({
            "name": "ATK/2", "date": day, "partner_id": cls.client.id, "user_id": cls.manager_b.id,
            "onec_guid": "a7a7a7a7-0000-4000-8000-000000000002",
            "line_ids": [(0, 0, {"date": day, "amount": 100000})]})
        cls.backend = cls.env.ref("receivables.onec_backend_main")
        cls.backend.journal_id = False

    def doc(self, guid, amount, lines=None, **extra):
        """A receipt as both adapters hand it to the importer."""
        amount = Decimal(amount)
        values = {
            "guid": guid, "doc_type": "ПоступлениеНаРасчетныйСчет", "number": "A-1",
            "date": datetime.combine(date.today(), datetime.min.time()), "posted": True, "deletion_mark": False,
            "partner_guid": "", "partner_name": "Атака", "inn": self.client.vat, "kpp": self.client.kpp,
            "amount": amount, "currency": "RUB", "purpose": "Оплата", "version": "",
            "lines": lines if lines is not None else [
                {"key": "1", "contract_guid": self.contract_a.onec_guid, "contract_number": self.contract_a.name,
                 "contract_date": None, "amount": amount}],
        }
        values.update(extra)
        return values

    def log(self, backend=None):
        return self.env["receivables.sync.log"].sudo().create({"backend_id": (backend or self.backend).id})

    def import_page(self, docs, backend=None):
        log = self.log(backend)
        counts = self.env["receivables.onec.importer"].sudo()._import_batch(backend or self.backend, docs, log)
        return counts, log

    def payments(self, guid):
        return self.env["receivables.payment"].sudo().search([("onec_guid", "=", guid)])


class TestHostileDocuments(AttackCase):
    """A document 1C should never send costs itself, not the page: the sync
    commits nothing of a failed page and reads it again next time, so one
    poisoned receipt would stop every payment from arriving, forever."""

    # Finding (sure).
    def test_nul_in_purpose_skips_only_that_receipt(self):
        # OData is JSON: "\u0000" is a valid string there, PostgreSQL text is not.
        good = self.doc("atk-nul-good", "1000")
        bad = self.doc("atk-nul-bad", "2000", purpose="Оплата\x00по счёту")
        counts, log = self.import_page([good, bad])
        self.assertEqual(len(self.payments("atk-nul-good")), 1)
        self.assertFalse(self.payments("atk-nul-bad"))
        self.assertEqual(counts["failed"], 1)
        self.assertIn("atk-nul-bad", log.details or "")

    # Finding (sure).
    def test_lone_surrogate_in_number_skips_only_that_receipt(self):
        # json.loads accepts "\ud800": a str that cannot be encoded to UTF-8.
        good = self.doc("atk-sur-good", "1000")
        bad = self.doc("atk-sur-bad", "2000", number="П-\ud800")
        counts, _log = self.import_page([good, bad])
        self.assertEqual(len(self.payments("atk-sur-good")), 1)
        self.assertFalse(self.payments("atk-sur-bad"))
        self.assertEqual(counts["failed"], 1)

    # Finding (sure).
    def test_oversized_guid_skips_only_that_receipt(self):
        # A GUID (or line key) longer than a B-tree entry may be: the unique
        # index (backend, GUID, line key) refuses the row and COPY fails whole.
        hostile = base64.b64encode(os.urandom(9000)).decode("ascii")
        good = self.doc("atk-long-good", "1000")
        bad = self.doc(hostile, "2000")
        counts, _log = self.import_page([good, bad])
        self.assertEqual(len(self.payments("atk-long-good")), 1)
        self.assertFalse(self.payments(hostile))
        self.assertEqual(counts["failed"], 1)

    # Finding (sure).
    def test_overflowing_amount_is_refused(self):
        # Decimal("1e400") is finite, so the adapters' finite check passes;
        # float() turns it into inf and PostgreSQL 15 stores numeric
        # 'Infinity': the contract reads as paid in full.
        counts, _log = self.import_page([self.doc("atk-inf", "1e400")])
        self.assertFalse(self.payments("atk-inf"), "a receipt of 1e400 roubles was stored")
        self.assertEqual(counts["failed"], 1)
        self.assertEqual(self.contract_a.amount_paid, 0)


class TestTwoConnections(AttackCase):

    # Finding (sure).
    def test_settlement_by_number_does_not_take_another_connections_contract(self):
        """Two 1C bases (two firms of a group) each have a contract № ATK/1
        with the same client. Base B's row has its own GUID; the fallback by
        number and INN takes the Odoo contract bound to base A's GUID and
        writes base B's balance over base A's (and moves it to B, so A's
        next sync no longer zeroes it when A stops listing it)."""
        other = self.backend.copy({"name": "1С:Вторая фирма", "cursor": False})

        class Client(object):
            def __init__(self, rows):
                self.rows = rows

            def get_settlements(self, date=None, inn=""):
                return self.rows

        def row(guid, balance):
            return {"partner_guid": "", "partner_name": self.client.name, "inn": self.client.vat,
                    "kpp": self.client.kpp, "contract_guid": guid, "contract_number": self.contract_a.name,
                    "contract_date": None, "currency": "RUB", "balance": Decimal(balance),
                    "balance_rub": Decimal(balance)}

        without_commit(self.backend)._sync_settlements(Client([row(self.contract_a.onec_guid, "100")]), self.log())
        self.assertEqual(self.contract_a.onec_balance, 100)
        foreign = row("b0b0b0b0-0000-4000-8000-000000000001", "999")
        without_commit(other)._sync_settlements(Client([foreign]), self.log(other))
        self.contract_a.invalidate_cache()
        self.assertEqual(self.contract_a.onec_balance, 100,
                         "base B's balance of its own contract was written on base A's contract")
        self.assertEqual(self.contract_a.onec_backend_id, self.backend)

    # Finding (sure of the money; test_split_payments.test_two_1c_bases_feed_one_odoo assumes the opposite premise).
    def test_same_receipt_from_two_connections_is_not_paid_twice(self):
        """A receipt GUID is a UUID: the same GUID from two connections is
        the same 1C document (two connections to one base, e.g. SOAP and
        OData, or a copied infobase). Each connection binds its own copy and
        the contract's schedule counts the money twice."""
        other = self.backend.copy({"name": "1С:Та же база (OData)", "cursor": False, "transport": "odata"})
        self.import_page([self.doc("atk-twice", "1000")])
        self.import_page([self.doc("atk-twice", "1000")], other)
        self.contract_a.invalidate_cache()
        self.assertEqual(self.contract_a.amount_paid, 1000,
                         "one 1C receipt of 1000 is counted %s on the contract" % self.contract_a.amount_paid)


class TestSplitReceiptSecrecy(AttackCase):

    # Finding (policy: the receipt total is shown on purpose, but it discloses a colleague's line).
    def test_salesman_does_not_learn_the_other_managers_line(self):
        """One receipt pays manager A's and manager B's contracts of one
        client. The record rules hide B's line from A, but A's own line
        carries the receipt total (document_amount): total - own amount is
        what B's contract received."""
        lines = [
            {"key": "1", "contract_guid": self.contract_a.onec_guid, "contract_number": self.contract_a.name,
             "contract_date": None, "amount": Decimal("1000")},
            {"key": "2", "contract_guid": self.contract_b.onec_guid, "contract_number": self.contract_b.name,
             "contract_date": None, "amount": Decimal("7345")},
        ]
        self.import_page([self.doc("atk-split", "8345", lines=lines)])
        self.assertEqual(len(self.payments("atk-split")), 2)
        Payment = self.env["receivables.payment"].sudo(self.manager_a)
        own = Payment.search([("onec_guid", "=", "atk-split")])
        self.assertEqual(len(own), 1)
        seen = own.read([])[0]
        self.assertNotIn(8345, [value for key, value in seen.items() if key != "amount"],
                         "manager A reads the receipt total and so manager B's 7345")


class _Nested(BaseHTTPRequestHandler):
    body = b"[" * 100000 + b"]" * 100000

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


class _Repeating(BaseHTTPRequestHandler):
    """A full page of the same rows whatever $skip asks (a hostile 1C, or a
    careless proxy/static file in front of it); 500 after 30 requests so
    that the defect shows as a count instead of a hang."""
    requests = 0
    body = json.dumps({"odata.metadata": "x", "value": [
        {"Ref_Key": "r%04d" % number, "DataVersion": "v", "Description": "К", "ИНН": "", "КПП": ""}
        for number in range(OneCODataClient.catalog_page)]}).encode("utf-8")

    def do_GET(self):
        type(self).requests += 1
        if type(self).requests > 30:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


class TestHostileAnswers(SavepointCase):

    def serve(self, handler):
        server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return OneCODataClient("http://127.0.0.1:%d/buh/odata/standard.odata" % server.server_port,
                               "Обмен", "secret", timeout=10)

    # Finding (sure).
    def test_paging_that_does_not_advance_stops(self):
        """_pages stops only on a short page: an answer that ignores $skip
        makes the sync loop for ever (holding the connection's advisory lock,
        so every later sync is "skipped")."""
        client = self.serve(_Repeating)
        with self.assertRaises(OneCError):
            client._reference("partner")
        self.assertLessEqual(_Repeating.requests, 3, "the same page was asked %d times" % _Repeating.requests)

    # Finding (sure).
    def test_receipt_in_a_currency_not_in_the_catalog_is_not_roubles(self):
        """A receipt whose ВалютаДокумента_Key is not in what was read of
        Catalog_Валюты (an item not published, deleted, or an odd code) maps
        to currency "" and the importer stores it in the company currency:
        1000 dollars become 1000 roubles. Only an EMPTY reference means the
        national currency."""
        client = OneCODataClient("http://127.0.0.1:9/buh/odata/standard.odata", "Обмен", "secret")
        client._refs = {"partner": {}, "contract": {}, "currency": {}}
        receipt = client.mapping["receipts"][0]
        obj = {"Ref_Key": "d0c00000-0000-4000-8000-000000000001", "Number": "1", "Date": "2026-01-10T00:00:00",
               "Posted": True, "DeletionMark": False, "ВидОперации": "ОплатаПокупателя",
               "Контрагент": "", "Контрагент_Type": "", "СуммаДокумента": 1000,
               "ВалютаДокумента_Key": "cccccccc-0000-4000-8000-000000000840", "НазначениеПлатежа": "",
               "ДоговорКонтрагента_Key": "", "РасшифровкаПлатежа": [], "DataVersion": "v1"}
        try:
            doc = client._map_doc(receipt, obj)
        except (OneCError, ValueError):
            return  # refused: fine
        self.assertNotEqual(doc["currency"], "", "an unknown currency reference reaches the importer as empty")

    # Finding (sure).
    def test_deeply_nested_odata_answer_is_a_onec_error(self):
        """json.loads raises RecursionError (not ValueError) on a deeply
        nested answer: it escapes the adapter as a bare Python error, the
        sync log says "Internal error" and Test connection shows a
        traceback instead of a Russian sentence."""
        client = self.serve(_Nested)
        with self.assertRaises(OneCError):
            client.ping()


class TestMigration(AttackCase):

    # Finding (likely: needs a database whose demo connection was deleted).
    def test_old_payments_get_a_connection_when_the_demo_one_was_deleted(self):
        """11.0.1.2.0 gives the old payments the connection of the xmlid
        receivables.onec_backend_main. A database whose administrator
        replaced that record by his own connection keeps them without one:
        the binder (WHERE backend_id = …) never finds them and the next sync
        imports every old receipt again (the money twice)."""
        own = self.backend.copy({"name": "1С:Наша"})
        payment = trusted(self.env["receivables.payment"].sudo()).create({
            "name": "OLD-1", "onec_guid": "atk-old-1", "date": date.today().strftime("%Y-%m-%d"),
            "amount": 500, "currency_id": self.env.ref("base.RUB").id, "backend_id": own.id})
        cr = self.env.cr
        # The state before the upgrade: no backend on payments, the demo
        # connection gone (its payments moved to the administrator's own).
        cr.execute("ALTER TABLE receivables_payment ALTER COLUMN backend_id DROP NOT NULL")
        cr.execute("UPDATE receivables_payment SET backend_id = NULL WHERE id = %s", (payment.id,))
        cr.execute("UPDATE receivables_payment SET backend_id = %s WHERE backend_id = %s", (own.id, self.backend.id))
        cr.execute("UPDATE receivables_sync_log SET backend_id = %s WHERE backend_id = %s", (own.id, self.backend.id))
        cr.execute("UPDATE receivables_contract SET onec_backend_id = NULL WHERE onec_backend_id = %s",
                   (self.backend.id,))
        cr.execute("DELETE FROM receivables_onec_reference WHERE backend_id = %s", (self.backend.id,))
        cr.execute("DELETE FROM receivables_onec_backend WHERE id = %s", (self.backend.id,))
        cr.execute("DELETE FROM ir_model_data WHERE module = 'receivables' AND name = 'onec_backend_main'")
        path = os.path.join(MODULE_DIR, "migrations", "11.0.1.2.0", "pre-migration.py")
        spec = importlib.util.spec_from_file_location("receivables_pre_migration_1_2_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "11.0.1.1.0")
        cr.execute("SELECT backend_id FROM receivables_payment WHERE id = %s", (payment.id,))
        self.assertIsNotNone(cr.fetchone()[0], "an old payment was left without a 1C connection")
