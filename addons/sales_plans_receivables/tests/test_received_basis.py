# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.receivables.models.common import trusted
from odoo.addons.sales_plans.tests.common import OPEN_YEAR, SalesPlanCase

from .. import uninstall_hook


class TestReceivedBasis(SalesPlanCase):
    """Plans of an open year against the money received on contracts."""

    @classmethod
    def setUpClass(cls):
        super(TestReceivedBasis, cls).setUpClass()
        cls.jan, cls.feb = cls.period("month", OPEN_YEAR, 1), cls.period("month", OPEN_YEAR, 2)
        cls.plan(cls.seller, cls.jan, 100000, 2)
        cls.plan(cls.seller, cls.feb, 100000, 2)
        cls.plan(cls.other, cls.jan, 70000, 1)
        cls.won_deal(cls.seller, 150000, "%d-01-15" % OPEN_YEAR)
        cls.client = cls.env["res.partner"].create({"name": "SPR client", "is_company": True})
        Contract = cls.env["receivables.contract"]
        cls.seller_contract = Contract.create({
            "name": "SPR/1", "date": "%d-01-01" % OPEN_YEAR, "partner_id": cls.client.id,
            "user_id": cls.seller.id})
        # No manager on the contract: the deal's salesperson gets the money.
        deal = cls.env["crm.lead"].create({
            "name": "SPR deal", "type": "opportunity", "user_id": cls.other.id,
            "team_id": cls.team_b.id, "partner_id": cls.client.id})
        cls.deal_contract = Contract.create({
            "name": "SPR/2", "date": "%d-01-01" % OPEN_YEAR, "partner_id": cls.client.id,
            "lead_id": deal.id, "user_id": False})
        cls.paid = cls.payment(cls.seller_contract, 30000, "%d-01-10" % OPEN_YEAR)
        cls.payment(cls.seller_contract, 20000, "%d-01-31" % OPEN_YEAR)
        cls.payment(cls.seller_contract, 5000, "%d-02-01" % OPEN_YEAR)
        cls.payment(cls.seller_contract, 99999, "%d-01-12" % OPEN_YEAR, posted=False)
        cls.payment(cls.seller_contract, 88888, "%d-01-13" % OPEN_YEAR, deletion_mark=True)
        cls.payment(cls.deal_contract, 7000, "%d-01-20" % OPEN_YEAR)
        cls.company = cls.seller.company_id
        cls.company.sales_plan_actual_basis = "received"

    @classmethod
    def payment(cls, contract, amount, day, **values):
        values = dict({"currency_id": cls.company_currency().id}, **values)
        values.update({
            "name": "PP-%s-%s" % (contract.name, amount), "onec_guid": "spr-%s-%s" % (contract.id, amount),
            "date": day, "amount": amount, "partner_id": contract.partner_id.id, "contract_id": contract.id})
        # Payments come from 1C only: the test stands in for the sync.
        return trusted(cls.env["receivables.payment"]).create(values)

    @classmethod
    def company_currency(cls):
        return cls.env.user.company_id.currency_id

    def test_actual_is_money_received_by_the_manager(self):
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.plan_amount, row.actual_amount, row.actual_count), (100000, 50000, 2),
                         "the payments of January, not the won deal, not the cancelled ones")
        self.assertAlmostEqual(row.fulfilment, 50.0)
        self.assertEqual(row.remainder_amount, 50000)
        self.assertEqual(self.row(self.seller, self.feb).actual_amount, 5000)
        self.assertEqual(self.row(self.team, self.jan).actual_amount, 50000)
        chart = self.env["sales.plan.chart"].search([
            ("user_id", "=", self.seller.id), ("date_range_id", "=", self.jan.id), ("figure", "=", "4_received")])
        self.assertEqual(chart.amount, 50000)

    def test_foreign_currency_at_the_rate_of_the_day(self):
        ours = self.company_currency()
        foreign = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", ours.id), ("name", "in", ["USD", "EUR"])], limit=1)
        Rate = self.env["res.currency.rate"]
        Rate.create({"name": "%d-01-01" % OPEN_YEAR, "currency_id": ours.id, "rate": 2.0})
        Rate.create({"name": "%d-01-01" % OPEN_YEAR, "currency_id": foreign.id, "rate": 0.5})
        Rate.create({"name": "%d-01-25" % OPEN_YEAR, "currency_id": foreign.id, "rate": 0.25})
        self.payment(self.seller_contract, 1000, "%d-01-20" % OPEN_YEAR, currency_id=foreign.id)
        self.assertEqual(self.row(self.seller, self.jan).actual_amount, 50000 + 1000 * 2.0 / 0.5)

    def test_deal_salesperson_without_contract_manager(self):
        self.assertEqual(self.row(self.other, self.jan).actual_amount, 7000)
        self.assertEqual(self.row(self.team_b, self.jan).actual_amount, 7000)

    def test_payment_cancelled_in_1c_leaves_actuals(self):
        trusted(self.paid).write({"deletion_mark": True})
        self.assertEqual(self.paid.state, "cancelled")
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.actual_amount, row.actual_count), (20000, 1))

    def test_back_to_won_deals(self):
        self.company.sales_plan_actual_basis = "won"
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.actual_amount, row.actual_count), (150000, 1))
        self.assertEqual(self.row(self.other, self.jan).actual_amount, 0)

    def test_salesperson_sees_only_his_rows(self):
        groups = self.Report.sudo(self.seller).read_group(
            [("subject", "=", "user"), ("date_range_id", "=", self.jan.id)],
            ["user_id", "plan_amount", "actual_amount"], ["user_id"])
        self.assertEqual([(g["user_id"][0], g["actual_amount"]) for g in groups], [(self.seller.id, 50000)])
        rows = self.Report.sudo(self.other).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(rows.mapped("user_id"), self.other)

    def test_basis_offered_in_settings(self):
        selection = self.env["res.config.settings"].fields_get(["sales_plan_actual_basis"])
        self.assertLessEqual({"won", "invoiced", "received"},
                             set(dict(selection["sales_plan_actual_basis"]["selection"])))
        settings = self.env["res.config.settings"].create({"sales_plan_actual_basis": "won"})
        settings.execute()
        self.assertEqual(self.company.sales_plan_actual_basis, "won")

    def test_uninstall_goes_back_to_won_deals(self):
        for basis in ("received", "invoiced"):
            self.company.sales_plan_actual_basis = basis
            uninstall_hook(self.env.cr, None)
            self.company.invalidate_cache()
            self.assertEqual(self.company.sales_plan_actual_basis, "won", basis)
