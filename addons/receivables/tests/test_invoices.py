# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import ReceivablesCase, doc


class TestInvoiceRegistration(ReceivablesCase):
    """A 1C payment is registered once against the client's open invoices
    (so they show as paid) and taken back when 1C cancels it."""

    @classmethod
    def set_up_records(cls):
        result = super(TestInvoiceRegistration, cls).set_up_records()
        Account = cls.env["account.account"]
        cls.receivable = Account.create({
            "code": "RCV62", "name": "Расчёты с покупателями", "reconcile": True,
            "user_type_id": cls.env.ref("account.data_account_type_receivable").id})
        payable = Account.create({
            "code": "RCV60", "name": "Расчёты с поставщиками", "reconcile": True,
            "user_type_id": cls.env.ref("account.data_account_type_payable").id})
        # No chart of accounts in the demo database: the client gets his accounts here.
        cls.client_a.write({"property_account_receivable_id": cls.receivable.id,
                            "property_account_payable_id": payable.id})
        income = Account.create({"code": "RCV90", "name": "Выручка",
                                 "user_type_id": cls.env.ref("account.data_account_type_revenue").id})
        bank_account = Account.create({"code": "RCV51", "name": "Расчётный счёт",
                                       "user_type_id": cls.env.ref("account.data_account_type_liquidity").id})
        Journal = cls.env["account.journal"]
        cls.sale = Journal.create({"name": "Продажи RCV", "code": "RSAL", "type": "sale",
                                   "default_credit_account_id": income.id, "default_debit_account_id": income.id})
        cls.bank = Journal.create({"name": "Банк RCV", "code": "RBNK", "type": "bank", "update_posted": True,
                                   "default_credit_account_id": bank_account.id,
                                   "default_debit_account_id": bank_account.id})
        cls.backend.journal_id = cls.bank
        cls.invoices = cls.env["account.invoice"]
        for amount in (60000, 50000):
            invoice = cls.env["account.invoice"].create({
                "partner_id": cls.client_a.id, "type": "out_invoice", "journal_id": cls.sale.id,
                "account_id": cls.receivable.id,
                "invoice_line_ids": [(0, 0, {"name": "Оборудование", "quantity": 1, "price_unit": amount,
                                             "account_id": income.id})],
            })
            invoice.action_invoice_open()
            cls.invoices |= invoice
        return result

    def test_paid_once_and_cancelled_back(self):
        self.stand_in.control(payments=[doc("i-1", "7701000011", 80000, contract=self.contract_a)])
        self.sync()
        payment = self.payments(onec_guid="i-1")
        self.assertTrue(payment.account_payment_id)
        self.assertEqual(payment.account_payment_id.state, "posted")
        self.assertEqual(sum(self.invoices.mapped("residual")), 30000)
        self.assertIn("paid", self.invoices.mapped("state"))
        # Seen again (the whole history re-read): nothing is registered twice.
        self.backend.cursor = False
        self.sync()
        self.assertEqual(self.env["account.payment"].search_count([("partner_id", "=", self.client_a.id)]), 1)
        # Marked for deletion in 1C: the invoices are open again.
        self.stand_in.control(upsert=[doc("i-1", "7701000011", 80000, contract=self.contract_a,
                                          DeletionMark=True)])
        self.sync()
        self.assertFalse(payment.account_payment_id)
        self.assertEqual(self.invoices.mapped("state"), ["open", "open"])
        self.assertEqual(sum(self.invoices.mapped("residual")), 110000)
