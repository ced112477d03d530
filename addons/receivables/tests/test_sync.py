# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo.exceptions import UserError

from .common import ReceivablesCase, contract_json, doc, sale


class TestSync(ReceivablesCase):

    def test_import_match_and_idempotent(self):
        self.stand_in.control(payments=[
            doc("g-1", "7701000011", 100000, kpp="770101001", contract=self.contract_a, number="101"),
            doc("g-2", "7701000022", 20000, contract=self.contract_b, number="102"),
            doc("g-3", "7799999999", 5000, number="103"),
        ])
        log = self.sync()
        self.assertEqual((log.state, log.fetched, log.created), ("done", 3, 3), log.error)
        first = self.payments(onec_guid="g-1")
        self.assertEqual((first.partner_id, first.contract_id, first.state),
                         (self.client_a, self.contract_a, "matched"))
        self.assertEqual(first.user_id, self.manager_a)
        self.assertEqual(self.payments(onec_guid="g-3").state, "unmatched")
        self.assertEqual(self.backend.cursor, "3")
        # Nothing new: the committed cursor (minus the overlap) finds them unchanged.
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.unchanged), (0, 0, 3))
        self.backend.cursor = False
        self.sync()
        self.assertEqual(len(self.payments(onec_guid="g-1")), 1)
        self.assertEqual(self.env["receivables.payment"].search_count([("onec_guid", "like", "g-")]), 3)

    def test_update_cancel_and_allocation(self):
        self.stand_in.control(payments=[doc("u-1", "7701000011", 150000, contract=self.contract_a)])
        self.sync()
        lines = self.contract_a.line_ids.sorted("date")
        self.assertEqual(lines.mapped("allocated"), [100000, 50000, 0])
        self.assertEqual(lines.mapped("state"), ["paid", "overdue", "future"])
        self.stand_in.control(upsert=[doc("u-1", "7701000011", 250000, contract=self.contract_a)])
        log = self.sync()
        self.assertEqual(log.updated, 1)
        self.assertEqual(self.contract_a.amount_paid, 250000)
        self.assertEqual(lines[2].state, "paid")
        self.stand_in.control(upsert=[doc("u-1", "7701000011", 250000, contract=self.contract_a, DeletionMark=True)])
        log = self.sync()
        self.assertEqual(log.cancelled, 1)
        self.assertEqual(self.payments(onec_guid="u-1").state, "cancelled")
        self.assertEqual(self.contract_a.amount_paid, 0)
        self.stand_in.control(upsert=[doc("u-1", "7701000011", 250000, contract=self.contract_a, Posted=False)])
        self.sync()
        self.assertEqual(self.payments(onec_guid="u-1").state, "cancelled")

    def test_duplicate_documents_in_answer(self):
        self.stand_in.control(mode="duplicate", payments=[doc("d-1", "7701000011", 1000),
                                                          doc("d-2", "7701000011", 2000)])
        log = self.sync()
        self.assertEqual(log.state, "done")
        self.assertEqual(len(self.payments(onec_guid="d-1")), 1)
        self.assertIn("twice", log.details)

    def test_faults_keep_data_and_say_why(self):
        self.stand_in.control(payments=[doc("f-1", "7701000011", 1000)])
        self.sync()
        expected = {
            "http500": "HTTP 500",
            "http502": "HTTP 502",
            "fault": "Конфликт блокировок",
            "malformed": "некорректный ответ",
            "truncated": "некорректный ответ",
            "badauth": "имя пользователя или пароль",
            "rights": "прав",
            "lock": "блокиров",
            "busy": "перегружена",
            "nolicense": "лиценз",
        }
        self.stand_in.control(upsert=[doc("f-2", "7701000011", 2000)])
        for mode, text in expected.items():
            self.stand_in.control(mode=mode)
            log = self.sync()
            self.assertEqual(log.state, "failed", mode)
            self.assertIn(text, log.error, mode)
            self.assertNotIn("Internal error", log.error, mode)
            self.assertEqual(self.backend.cursor, "1", mode)
            # The same words on the button, where the administrator checks the connection.
            with self.assertRaisesRegex(UserError, text):
                self.backend.action_test_connection()
        self.stand_in.control(reset=True)
        self.assertEqual(self.sync().created, 1)
        self.assertEqual(len(self.payments(onec_guid="f-1") | self.payments(onec_guid="f-2")), 2)

    def test_slow_and_unreachable(self):
        self.backend.timeout = 1
        self.stand_in.control(mode="slow", delay=2.5, payments=[doc("s-1", "7701000011", 1000)])
        log = self.sync()
        self.assertEqual(log.state, "failed")
        self.assertIn("не ответила за 1 с", log.error)
        self.backend.endpoint = "http://127.0.0.1:9/buh/ws/Payments.1cws"
        self.stand_in.control(reset=True)
        log = self.sync()
        self.assertIn("1С недоступна", log.error)

    def test_failure_midway_keeps_committed_batches(self):
        self.backend.write({"batch_size": 2, "overlap": 0})
        self.stand_in.control(payments=[doc("m-%d" % i, "7701000011", 1000 + i) for i in range(5)])
        self.stand_in.control(mode="fault", after=1)
        log = self.sync()
        self.assertEqual((log.state, log.created), ("failed", 2))
        self.assertEqual(self.backend.cursor, "2")
        self.stand_in.control(reset=True)
        log = self.sync()
        self.assertEqual((log.state, log.created, log.fetched), ("done", 3, 3))
        self.assertEqual(self.env["receivables.payment"].search_count([("onec_guid", "like", "m-")]), 5)

    def test_bad_input(self):
        self.stand_in.control(payments=[
            doc("b-ok", "7701000011", 1000),
            doc("b-cur", "7701000011", 1000, Currency="XYZ"),
            doc("b-zero", "7701000011", 0),
            doc("b-neg", "7701000011", -10),
            doc("b-future", "7701000011", 1000, day=self.today + timedelta(days=30)),
        ])
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed), ("done", 1, 4))
        for text in ("XYZ", "positive", "future"):
            self.assertIn(text, log.details)
        self.assertTrue(self.payments(onec_guid="b-ok"))
        self.assertFalse(self.payments(onec_guid="b-neg"))

    def test_guid_changes_client(self):
        self.stand_in.control(payments=[doc("c-1", "7701000011", 1000)])
        self.sync()
        self.stand_in.control(upsert=[doc("c-1", "7701000022", 1000)])
        log = self.sync()
        payment = self.payments(onec_guid="c-1")
        self.assertEqual(payment.partner_id, self.client_b)
        self.assertIn("7701000011", log.details)
        self.assertIn("7701000022", payment.note)

    def test_unmatched_linked_by_hand_is_remembered(self):
        self.stand_in.control(payments=[doc("h-1", "7705555555", 3000, ContractNumber="СТАРЫЙ-1")])
        self.sync()
        payment = self.payments(onec_guid="h-1")
        self.assertEqual(payment.state, "unmatched")
        payment.sudo(self.accountant).write({"partner_id": self.client_a.id, "contract_id": self.contract_a.id})
        self.assertEqual(payment.state, "matched")
        self.assertEqual(self.contract_a.amount_paid, 3000)
        self.stand_in.control(upsert=[doc("h-2", "7705555555", 4000, ContractNumber="СТАРЫЙ-1")])
        self.sync()
        self.assertEqual(self.payments(onec_guid="h-2").contract_id, self.contract_a)

    def test_second_sync_at_once_is_skipped(self):
        self.stand_in.control(payments=[doc("l-1", "7701000011", 1000)])
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(51001, %s)", (self.backend.id,))
            log = self.sync()
            other.execute("SELECT pg_advisory_unlock(51001, %s)", (self.backend.id,))
        self.assertEqual(log.state, "skipped")
        self.assertFalse(self.payments(onec_guid="l-1"))
        self.assertEqual(self.sync().created, 1)

    def test_test_connection_button(self):
        with self.assertRaisesRegex(UserError, "works"):
            self.backend.action_test_connection()
        self.stand_in.control(mode="badauth")
        with self.assertRaisesRegex(UserError, "пароль"):
            self.backend.action_test_connection()

    def test_settlements(self):
        """1C's settlements are the balance of account 62 at a date: sales
        (debit) less payments (credit) under the contract."""
        from ..services.onec_client import OneCClient
        self.contract_a.onec_guid = "c-guid-s"
        day = self.today - timedelta(days=10)
        self.stand_in.control(
            contracts=[contract_json(self.contract_a)],
            sales=[sale("r-1", self.contract_a, 250000, day=self.today - timedelta(days=40))],
            payments=[doc("s-1", "7701000011", 100000, day=day, contract=self.contract_a, ContractGUID="c-guid-s")])
        client = OneCClient(self.stand_in.wsdl, "Обмен", "secret", timeout=5)
        rows = client.get_settlements(inn="7701000011")
        self.assertEqual([(r["contract_guid"], r["balance"], r["balance_rub"], r["currency"]) for r in rows],
                         [("c-guid-s", 150000, 150000, "RUB")])
        # Before the payment, the whole sale was owed; before the sale, nothing.
        rows = client.get_settlements(date=datetime.combine(day - timedelta(days=1), time()), inn="7701000011")
        self.assertEqual([r["balance"] for r in rows], [250000])
        self.assertEqual(client.get_settlements(inn="7799999999"), [])

    def test_settlement_balances_kept_on_contracts(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        contract_usd = self.env["receivables.contract"].create({
            "name": "RCV-A/USD", "date": self.contract_a.date, "partner_id": self.client_a.id,
            "user_id": self.manager_a.id, "currency_id": usd.id, "onec_guid": "c-guid-usd"})
        self.contract_a.onec_guid = "c-guid-a"
        self.stand_in.control(
            contracts=[contract_json(self.contract_a), contract_json(self.contract_b),
                       contract_json(contract_usd, "USD")],
            sales=[sale("r-a", self.contract_a, 250000), sale("r-u", contract_usd, 1000, amount_rub=95000)],
            payments=[doc("sb-1", "7701000011", 1000, contract=self.contract_a, ContractGUID="c-guid-a"),
                      doc("sb-2", "7701000022", 80000, contract=self.contract_b)])
        log = self.sync()
        self.assertEqual(log.state, "done", log.error)
        self.assertEqual((self.contract_a.onec_balance, self.contract_a.onec_balance_company), (249000, 249000))
        # Paid in advance: the client's balance is negative, as in 1C.
        self.assertEqual(self.contract_b.onec_balance, -80000)
        self.assertEqual((contract_usd.onec_balance, contract_usd.onec_balance_company), (1000, 95000))
        self.assertTrue(self.contract_b.onec_balance_date)
        self.assertEqual(self.contract_b.onec_backend_id, self.backend)
        # The sale of contract A cancelled in 1C: its payment is an advance now.
        contracts = [contract_json(self.contract_a), contract_json(self.contract_b), contract_json(contract_usd, "USD")]
        self.stand_in.control(contracts=contracts, sales=[sale("r-u", contract_usd, 1000, amount_rub=95000)],
                              payments=[doc("sb-1", "7701000011", 1000, contract=self.contract_a,
                                            ContractGUID="c-guid-a")])
        self.sync()
        self.assertEqual((self.contract_a.onec_balance, self.contract_a.onec_balance_company), (-1000, -1000))
        # Nothing left in 1C: no balance is kept on the contracts it no longer lists.
        self.stand_in.control(contracts=contracts, sales=[], payments=[])
        self.sync()
        self.assertEqual((self.contract_a.onec_balance, contract_usd.onec_balance_company), (0, 0))
        self.stand_in.control(mode="lock", after=1)
        log = self.sync()
        self.assertEqual(log.state, "done")
        self.assertIn("Settlement balances were not received", log.details)

    def test_unmatched_payment_matches_once_the_contract_exists(self):
        self.stand_in.control(payments=[doc("n-1", "7701000022", 5000, ContractNumber="RCV-B/2",
                                            ContractDate="2026-01-15T00:00:00")])
        self.sync()
        payment = self.payments(onec_guid="n-1")
        self.assertEqual((payment.partner_id, payment.state), (self.client_b, "unmatched"))
        contract = self.env["receivables.contract"].create({
            "name": "RCV-B/2", "date": "2026-01-15", "partner_id": self.client_b.id, "user_id": self.manager_b.id,
            "line_ids": [(0, 0, {"date": "2026-02-15", "amount": 5000})]})
        self.backend.cursor = False
        log = self.sync()
        self.assertEqual(log.unchanged, 1)
        self.assertEqual((payment.contract_id, payment.state), (contract, "matched"))
        self.assertEqual(contract.line_ids.state, "paid")

    def test_a_copied_contract_number_draws_no_payment(self):
        """A salesman's contract under a colleague's number and date, for the
        same client: the payment waits for the accountant."""
        copy = self.env["receivables.contract"].sudo(self.manager_b).create({
            "name": self.contract_a.name, "date": self.contract_a.date, "partner_id": self.client_a.id,
            "line_ids": [(0, 0, {"date": self.contract_a.date, "amount": 1000})]})
        self.assertEqual(copy.user_id, self.manager_b)
        self.stand_in.control(payments=[doc("dup-1", "7701000011", 1000, contract=self.contract_a)])
        self.sync()
        payment = self.payments(onec_guid="dup-1")
        self.assertEqual((payment.partner_id, payment.contract_id, payment.state),
                         (self.client_a, self.env["receivables.contract"], "unmatched"))
        self.assertEqual(copy.amount_paid, 0)

    def test_a_newer_card_with_the_same_inn_draws_no_payment(self):
        """A salesman's new card of an existing client (same INN and KPP):
        the payments keep going to the client whose contracts they are."""
        twin = self.env["res.partner"].sudo(self.manager_b).create({
            "name": "ООО «Альфа» (дубль)", "is_company": True, "vat": "7701000011", "kpp": "770101001"})
        self.stand_in.control(payments=[
            doc("tw-1", "7701000011", 1000, kpp="770101001", contract=self.contract_a),
            doc("tw-2", "7701000011", 2000, kpp="770101001", ContractNumber="НЕТ-ТАКОГО")])
        self.sync()
        self.assertEqual((self.payments(onec_guid="tw-1").partner_id, self.payments(onec_guid="tw-1").contract_id),
                         (self.client_a, self.contract_a))
        self.assertEqual(self.payments(onec_guid="tw-2").partner_id, self.client_a)
        # His own contract under the twin card does get the payments made under it.
        mine = self.env["receivables.contract"].sudo(self.manager_b).create({
            "name": "ДУБЛЬ/1", "date": self.contract_a.date, "partner_id": twin.id,
            "line_ids": [(0, 0, {"date": self.contract_a.date, "amount": 500})]})
        self.stand_in.control(upsert=[doc("tw-3", "7701000011", 500, kpp="770101001", contract=mine)])
        self.sync()
        self.assertEqual(self.payments(onec_guid="tw-3").contract_id, mine)
