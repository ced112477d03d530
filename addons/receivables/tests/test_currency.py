# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from .common import ReceivablesCase, doc


class TestCurrency(ReceivablesCase):
    """Money in two currencies is never added as is: a payment in dollars on
    a contract in roubles, the client's debt and the reports count each
    amount at the rate of its own date."""

    @classmethod
    def set_up_records(cls):
        result = super(TestCurrency, cls).set_up_records()
        company = cls.env.user.company_id
        cls.ours = company.currency_id
        cls.usd = cls.env.ref("base.USD") if cls.ours != cls.env.ref("base.USD") else cls.env.ref("base.EUR")
        cls.usd.active = True
        Rate = cls.env["res.currency.rate"]
        # The test's own rates only (the demo database has daily ones).
        Rate.search([("currency_id", "in", (cls.ours | cls.usd).ids)]).unlink()
        cls.old_day = cls.today - timedelta(days=100)
        cls.new_day = cls.today - timedelta(days=20)
        # Rates against the company's currency: 1 unit of ours = `rate` dollars.
        Rate.create({"name": "2000-01-01", "currency_id": cls.ours.id, "rate": 1.0, "company_id": company.id})
        Rate.create({"name": cls.old_day.strftime("%Y-%m-%d"), "currency_id": cls.usd.id, "rate": 0.01,
                     "company_id": company.id})
        Rate.create({"name": cls.new_day.strftime("%Y-%m-%d"), "currency_id": cls.usd.id, "rate": 0.0125,
                     "company_id": company.id})
        # A contract in dollars beside contract_b (ours) for the same client.
        cls.contract_usd = cls.env["receivables.contract"].create({
            "name": "RCV-USD/1", "date": (cls.today - timedelta(days=60)).strftime("%Y-%m-%d"),
            "partner_id": cls.client_b.id, "user_id": cls.manager_b.id, "currency_id": cls.usd.id,
            "line_ids": [(0, 0, {"date": (cls.today - timedelta(days=50)).strftime("%Y-%m-%d"), "amount": 1000}),
                         (0, 0, {"date": (cls.today - timedelta(days=10)).strftime("%Y-%m-%d"), "amount": 1000})],
        })
        return result

    def test_payment_in_dollars_on_a_contract_in_roubles(self):
        # 1,000 dollars paid on the day the dollar cost 80 (rate 0.0125).
        self.stand_in.control(payments=[doc("cur-1", "7701000011", 1000, contract=self.contract_a,
                                            Currency=self.usd.name, day=self.new_day + timedelta(days=1))])
        log = self.sync()
        self.assertEqual(log.failed, 0, log.details)
        self.assertEqual(self.payments(onec_guid="cur-1").state, "matched")
        self.assertAlmostEqual(self.contract_a.amount_paid, 80000, places=2)
        self.assertEqual(self.contract_a.line_ids.sorted("date")[0].allocated, 80000)

    def test_client_debt_counts_each_planned_receipt_at_its_rate(self):
        client = self.client_b
        client.invalidate_cache()
        # 70,000 of ours + 1,000 $ at 100 (planned before the new rate) + 1,000 $ at 80.
        self.assertAlmostEqual(client.receivable_debt_total, 70000 + 100000 + 80000, places=2)
        self.assertAlmostEqual(client.receivable_overdue_total, 100000 + 80000, places=2)
        debt = self.env["receivables.partner.debt"].search([("partner_id", "=", client.id)])
        self.assertEqual(debt.mapped("currency_id"), self.ours)
        self.assertAlmostEqual(sum(debt.mapped("debt")), 250000, places=2)
        self.assertAlmostEqual(sum(debt.mapped("overdue")), 180000, places=2)
        in_dollars = self.env["receivables.schedule.line"]._unpaid_by_state(
            "partner_id", client.ids, currency=self.usd)[client.id]
        self.assertAlmostEqual(in_dollars["overdue"], 2000, places=2)
        self.assertAlmostEqual(in_dollars["future"], 70000 * 0.0125, places=2)

    def test_report_in_the_company_currency(self):
        self.stand_in.control(payments=[doc("cur-2", "7701000022", 500, Currency=self.usd.name,
                                            day=self.old_day + timedelta(days=1),
                                            ContractNumber=self.contract_usd.name,
                                            ContractDate=self.contract_usd.date + "T00:00:00")])
        self.sync()
        self.assertEqual(self.payments(onec_guid="cur-2").contract_id, self.contract_usd)
        self.assertEqual(self.contract_usd.amount_paid, 500)
        rows = self.env["receivables.report"].read_group(
            [("partner_id", "=", self.client_b.id)], ["planned", "received", "outstanding"], [])
        self.assertAlmostEqual(rows[0]["planned"], 70000 + 100000 + 80000, places=2)
        self.assertAlmostEqual(rows[0]["received"], 50000, places=2)
        self.assertAlmostEqual(rows[0]["outstanding"], 70000 + 500 * 100 + 80000, places=2)
