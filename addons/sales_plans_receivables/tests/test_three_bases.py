# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.receivables.models.common import trusted
from odoo.addons.sales_plans.tests.common import OPEN_YEAR, SalesPlanCase


class TestThreeBases(SalesPlanCase):
    """One plan against won, invoiced and received at once: a seller wins
    150,000 in January, invoices 120,000 of it (and refunds 20,000), and
    receives 30,000; the funnel shows what is stuck at each step."""

    @classmethod
    def setUpClass(cls):
        super(TestThreeBases, cls).setUpClass()
        cls.jan, cls.feb = cls.period("month", OPEN_YEAR, 1), cls.period("month", OPEN_YEAR, 2)
        cls.plan(cls.seller, cls.jan, 200000, 2)
        cls.plan(cls.seller, cls.feb, 10000, 1)
        cls.plan(cls.other, cls.jan, 50000, 1)
        cls.client = cls.env["res.partner"].create({"name": "SP3 client", "is_company": True})
        cls.stranger = cls.env["res.partner"].create({"name": "SP3 no deal", "is_company": True})
        cls.deal = cls.won_deal(cls.seller, 150000, "%d-01-15" % OPEN_YEAR)
        cls.deal.write({"partner_id": cls.client.id})
        cls.set_up_accounting()
        day = "%d-01-20" % OPEN_YEAR
        cls.invoice(cls.client, cls.seller, 120000, day)
        cls.invoice(cls.client, cls.seller, 20000, day, kind="out_refund")
        cls.invoice(cls.client, cls.seller, 7777, day, post=False)  # a draft is not invoiced
        cls.invoice(cls.stranger, cls.seller, 5555, day)  # nobody's deal client
        cls.invoice(cls.client, cls.seller, 3000, "%d-02-03" % OPEN_YEAR)
        contract = cls.env["receivables.contract"].create({
            "name": "SP3/1", "date": "%d-01-01" % OPEN_YEAR, "partner_id": cls.client.id,
            "user_id": cls.seller.id})
        trusted(cls.env["receivables.payment"]).create({
            "name": "PP-SP3", "onec_guid": "sp3-1", "date": "%d-01-25" % OPEN_YEAR, "amount": 30000,
            "currency_id": cls.env.user.company_id.currency_id.id, "partner_id": cls.client.id,
            "contract_id": contract.id})
        cls.company = cls.seller.company_id

    @classmethod
    def set_up_accounting(cls):
        # No chart of accounts in the demo database: the accounts of the test.
        Account = cls.env["account.account"]
        cls.receivable = Account.create({
            "code": "SP362", "name": "Расчёты с покупателями", "reconcile": True,
            "user_type_id": cls.env.ref("account.data_account_type_receivable").id})
        cls.income = Account.create({
            "code": "SP390", "name": "Выручка", "user_type_id": cls.env.ref("account.data_account_type_revenue").id})
        cls.journal = cls.env["account.journal"].create({
            "name": "Продажи SP3", "code": "SP3S", "type": "sale", "update_posted": True,
            "default_debit_account_id": cls.income.id, "default_credit_account_id": cls.income.id})
        (cls.client | cls.stranger).write({"property_account_receivable_id": cls.receivable.id,
                                           "property_account_payable_id": cls.receivable.id})

    @classmethod
    def invoice(cls, partner, user, amount, day, kind="out_invoice", post=True):
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id, "type": kind, "journal_id": cls.journal.id, "user_id": user.id,
            "account_id": cls.receivable.id, "date_invoice": day, "payment_term_id": False,
            "fiscal_position_id": False, "partner_bank_id": False,
            "invoice_line_ids": [(0, 0, {"name": "Станок", "quantity": 1, "price_unit": amount,
                                         "account_id": cls.income.id})],
        })
        if post:
            invoice.action_invoice_open()
        return invoice

    def test_won_invoiced_received_side_by_side(self):
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.won_amount, row.invoiced_amount, row.received_amount), (150000, 100000, 30000),
                         "refunds count less, drafts and invoices of no deal's client not at all")
        self.assertEqual((row.won_count, row.invoiced_count, row.received_count), (1, 1, 1))
        self.assertEqual(self.row(self.seller, self.feb).invoiced_amount, 3000)
        self.assertEqual(self.row(self.team, self.jan).invoiced_amount, 100000)

    def test_invoices_summed_by_month_and_by_day_agree(self):
        """The invoices of whole months are summed per month in their scan,
        those of a period typed by hand across months invoice by invoice:
        a quarter and a period from 15 January to 10 February both hold
        January's 100,000 and February's 3,000, credited to the team of the
        salesperson's deal."""
        quarter = self.period("quarter", OPEN_YEAR, 1)
        odd = self.typed_period("year", "SP3 15.01-10.02", "%d-01-15" % OPEN_YEAR, "%d-02-10" % OPEN_YEAR)
        only_january = self.typed_period("half", "SP3 21.01-31.01", "%d-01-21" % OPEN_YEAR, "%d-01-31" % OPEN_YEAR)
        self.plan(self.seller, odd, 1000)
        self.plan(self.seller, only_january, 1000)
        self.Report.invalidate_cache()
        for period in (quarter, odd):
            self.assertEqual(self.row(self.seller, period).invoiced_amount, 103000, period.name)
            self.assertEqual(self.row(self.team, period).invoiced_amount, 103000, period.name)
        self.assertEqual(self.row(self.seller, only_january).invoiced_amount, 0,
                         "the invoices of 20 January lie before the period")

    def typed_period(self, kind, name, start, end):
        """A period typed by hand across months (by SQL: it overlaps the
        year's own periods of its kind, which the form refuses)."""
        kind_type = self.period(kind, OPEN_YEAR).type_id
        self.env.cr.execute("""
            INSERT INTO date_range (name, type_id, date_start, date_end, active)
            VALUES (%s, %s, %s, %s, TRUE) RETURNING id""", (name, kind_type.id, start, end))
        return self.env["date.range"].browse(self.env.cr.fetchone()[0])

    def test_percent_and_remainder_on_the_company_basis(self):
        for basis, actual in (("won", 150000), ("invoiced", 100000), ("received", 30000)):
            self.company.sales_plan_actual_basis = basis
            self.Report.invalidate_cache()
            row = self.row(self.seller, self.jan)
            self.assertEqual(row.actual_amount, actual, basis)
            self.assertAlmostEqual(row.fulfilment, 100.0 * actual / 200000, msg=basis)
            self.assertEqual(row.remainder_amount, 200000 - actual, basis)
            self.assertEqual((row.won_amount, row.invoiced_amount, row.received_amount), (150000, 100000, 30000))

    def test_chart_shows_the_three_bases(self):
        chart = self.env["sales.plan.chart"].search([
            ("user_id", "=", self.seller.id), ("date_range_id", "=", self.jan.id)])
        self.assertEqual({c.figure: c.amount for c in chart if c.figure != "9_forecast"},
                         {"1_plan": 200000, "2_won": 150000, "3_invoiced": 100000, "4_received": 30000})

    def test_funnel_to_cash_shows_what_is_stuck(self):
        funnel = self.env["sales.plan.funnel"].search([
            ("user_id", "=", self.seller.id), ("date_range_id", "=", self.jan.id)])
        self.assertEqual({f.step: (f.amount, f.stuck_amount) for f in funnel}, {
            "1_won": (150000, 50000), "2_invoiced": (100000, 70000), "3_received": (30000, 0)})
        groups = self.env["sales.plan.funnel"].read_group(
            [("subject", "=", "user"), ("date_range_id", "=", self.jan.id),
             ("user_id", "in", (self.seller | self.other).ids)],
            ["step", "amount", "stuck_amount"], ["step"])
        self.assertEqual({g["step"]: g["stuck_amount"] for g in groups},
                         {"1_won": 50000, "2_invoiced": 70000, "3_received": 0})

    def test_salesperson_sees_only_his_funnel(self):
        Funnel = self.env["sales.plan.funnel"]
        self.assertTrue(Funnel.search([("user_id", "=", self.other.id), ("date_range_id", "=", self.jan.id)]))
        own = Funnel.sudo(self.seller).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(own.mapped("user_id"), self.seller)
        self.assertFalse(own.filtered(lambda f: f.subject == "team"))
        leader = Funnel.sudo(self.leader).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertIn(self.team, leader.mapped("team_id"))
        self.assertNotIn(self.other, leader.mapped("user_id"))
        self.assertIn(self.other, Funnel.sudo(self.head).search([]).mapped("user_id"))
