# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.tests.common import SavepointCase

PAYLOAD = "<img src=x onerror=alert(1)>"


class TestClientDebt(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestClientDebt, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", tracking_disable=True))
        cls.client = cls.env["res.partner"].create({"name": "ООО «Должник»", "is_company": True})
        cls.lead = cls.env["crm.lead"].create({"name": "Сделка", "type": "opportunity",
                                               "partner_id": cls.client.id})
        company = cls.env.user.company_id
        cls.ours = company.currency_id
        cls.foreign = cls.env.ref("base.USD") if cls.ours != cls.env.ref("base.USD") else cls.env.ref("base.EUR")
        cls.foreign.active = True
        Rate = cls.env["res.currency.rate"]
        # The test's own rates only: the suite's demo keeps weekly dollar rates.
        Rate.search([("currency_id", "in", (cls.ours | cls.foreign).ids)]).unlink()
        # Dated just before the documents: on a database with Odoo's demo
        # data, its own (older) rates must not be the ones that apply.
        rate_day = (date.today() - timedelta(days=31)).strftime("%Y-%m-%d")
        Rate.create({"name": rate_day, "currency_id": cls.ours.id, "rate": 1.0, "company_id": company.id})
        Rate.create({"name": rate_day, "currency_id": cls.foreign.id, "rate": 0.01, "company_id": company.id})
        past = (date.today() - timedelta(days=30)).strftime("%Y-%m-%d")
        future = (date.today() + timedelta(days=30)).strftime("%Y-%m-%d")
        Contract = cls.env["receivables.contract"]
        cls.ours_contract = Contract.create({
            "name": PAYLOAD, "date": past, "partner_id": cls.client.id,
            "line_ids": [(0, 0, {"date": past, "amount": 30000}), (0, 0, {"date": future, "amount": 20000})]})
        cls.foreign_contract = Contract.create({
            "name": "USD/1", "date": past, "partner_id": cls.client.id, "currency_id": cls.foreign.id,
            "line_ids": [(0, 0, {"date": past, "amount": 1000})]})

    def test_debt_on_the_request_in_its_currency(self):
        request = self.env["deal.approval.request"].create({"lead_id": self.lead.id, "amount": 1000.0})
        self.assertEqual(request.currency_id, self.ours)
        self.assertTrue(request.client_debt_known)
        # 30,000 + 20,000 of ours and 1,000 dollars at 100: never 51,000.
        self.assertAlmostEqual(request.client_debt, 150000, places=2)
        self.assertAlmostEqual(request.client_overdue, 130000, places=2)
        self.assertAlmostEqual(self.client.receivable_debt_total, 150000, places=2)
        labels = [label for label, _value in request.with_context(lang="en_US")._summary_lines()]
        self.assertIn("Client's debt", labels)
        in_dollars = self.env["deal.approval.request"].create({
            "lead_id": self.lead.id, "amount": 10.0, "currency_id": self.foreign.id})
        self.assertAlmostEqual(in_dollars.client_debt, 1500, places=2)
        self.assertEqual(in_dollars._client_overdue_contracts(), [("USD/1", 1000.0), (PAYLOAD, 300.0)])

    def test_overdue_contracts_on_the_sheet_are_escaped(self):
        request = self.env["deal.approval.request"].create({"lead_id": self.lead.id, "amount": 1000.0})
        report = self.env.ref("deal_approval.deal_approval_sheet_report")
        html = report.render_qweb_html(request.ids)[0].decode("utf-8")
        self.assertIn("o_client_overdue_contracts", html)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", html)
        self.assertNotIn("<img src=x", html)
        self.assertIn("USD/1", html)

    def test_debt_of_a_request_being_filled_in(self):
        request = self.env["deal.approval.request"].new({"lead_id": self.lead.id, "currency_id": False})
        request.partner_id = self.client
        self.assertAlmostEqual(request._get_client_debt()["debt"], 150000, places=2)
