# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo.tests.common import SavepointCase

from odoo.addons.deal_approval.models.common import without_pdf_context
from odoo.addons.deal_approval.tests.common import make_pdf

PAYLOAD = "<img src=x onerror=alert(1)>"
PDF = make_pdf()


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

    def test_overdue_debt_routes_to_the_finance_director(self):
        """The route's "client has overdue debt" condition reads the
        client's overdue debt in the company's currency (130,000 here: the
        overdue 30,000 and 1,000 dollars at 100), not a value the test
        wrote: a client without debt is not routed."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        head = Users.create({"name": "Head", "login": "dar_head", "email": "dar_head@example.invalid",
                             "groups_id": [(6, 0, self.env.ref("sales_team.group_sale_manager").ids)]})
        findir = Users.create({"name": "Findir", "login": "dar_findir", "email": "dar_findir@example.invalid",
                               "groups_id": [(6, 0, self.env.ref("base.group_user").ids)]})
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("deal_approval.head_approver_id", head.id)
        params.set_param("deal_approval.second_approver_id", findir.id)
        self.env["deal.approval.route"].search([]).write({"active": False})
        route = self.env.ref("deal_approval_receivables.route_overdue_debt")
        route.write({"active": True, "company_id": False})
        self.env.ref("deal_approval.route_default").write({"active": True, "company_id": False})
        step = self.env.ref("deal_approval_receivables.route_overdue_debt_step")
        Request = self.env["deal.approval.request"].with_context(**without_pdf_context())

        def approvers(lead, overdue_above):
            step.overdue_above = overdue_above
            request = Request.create({"lead_id": lead.id, "amount": 1000.0, "document_type": "contract",
                                      "contract_file": PDF})
            self.assertAlmostEqual(request._approval_facts()["overdue"], request.client_overdue, places=2)
            request.action_submit()
            return request.step_ids.sorted("sequence").mapped("approver_id")

        self.assertEqual(approvers(self.lead, 0.0), head | findir)
        self.assertEqual(approvers(self.lead, 129999.0), head | findir)
        self.assertEqual(approvers(self.lead, 130001.0), head)
        payer = self.env["res.partner"].create({"name": "ООО «Плательщик»", "is_company": True})
        clean_lead = self.env["crm.lead"].create({"name": "Чистая сделка", "type": "opportunity",
                                                  "partner_id": payer.id})
        clean = Request.create({"lead_id": clean_lead.id, "amount": 1000.0})
        self.assertEqual((clean.client_debt, clean.client_overdue), (0.0, 0.0))
        self.assertNotEqual(clean.client_overdue, Request.create(
            {"lead_id": self.lead.id, "amount": 1000.0}).client_overdue)
        self.assertEqual(approvers(clean_lead, 0.0), head)
