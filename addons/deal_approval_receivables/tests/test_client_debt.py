# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests.common import SavepointCase


class TestClientDebt(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestClientDebt, cls).setUpClass()
        cls.client = cls.env["res.partner"].create({"name": "ООО «Должник»", "is_company": True})
        cls.lead = cls.env["crm.lead"].create({"name": "Сделка", "type": "opportunity",
                                               "partner_id": cls.client.id})

    def test_debt_on_the_request(self):
        request = self.env["deal.approval.request"].create({"lead_id": self.lead.id, "amount": 1000.0})
        self.assertTrue(request.client_debt_known)
        self.assertEqual(request.client_debt, self.client.receivable_debt_total)
        self.assertEqual(request.client_overdue, self.client.receivable_overdue_total)
        labels = [label for label, _value in request.with_context(lang="en_US")._summary_lines()]
        self.assertIn("Client's debt", labels)
