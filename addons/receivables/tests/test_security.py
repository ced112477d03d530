# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import ReceivablesCase, doc


class TestSecurity(ReceivablesCase):

    def test_manager_sees_own_clients_only(self):
        self.stand_in.control(payments=[doc("x-1", "7701000011", 1000, contract=self.contract_a),
                                        doc("x-2", "7701000022", 1000, contract=self.contract_b)])
        self.sync()
        Contract = self.env["receivables.contract"]
        mine = [self.contract_a.id, self.contract_b.id]
        domain = [("id", "in", mine)]
        self.assertEqual(Contract.sudo(self.manager_a).search(domain), self.contract_a)
        self.assertEqual(Contract.sudo(self.leader).search(domain), self.contract_a)
        self.assertEqual(Contract.sudo(self.manager_b).search(domain), self.contract_b)
        self.assertEqual(len(Contract.sudo(self.head).search(domain)), 2)
        self.assertEqual(len(Contract.sudo(self.accountant).search(domain)), 2)
        Payment = self.env["receivables.payment"].sudo(self.manager_a)
        self.assertEqual(Payment.search([("onec_guid", "in", ["x-1", "x-2"])]).mapped("onec_guid"), ["x-1"])
        with self.assertRaises(AccessError):
            self.contract_b.sudo(self.manager_a).read(["name"])
        lines = self.env["receivables.schedule.line"].sudo(self.manager_a).read_group(
            [("contract_id", "in", mine)], ["amount"], [])
        self.assertEqual(lines[0]["amount"], 250000)
        self.assertEqual(self.client_b.sudo(self.manager_a).receivable_debt_total, 0)
        self.assertEqual(self.client_b.sudo(self.head).receivable_debt_total, 69000)

    def test_password_for_administrators_only(self):
        backend = self.backend.sudo(self.head)
        with self.assertRaises(AccessError):
            backend.read(["password"])
        with self.assertRaises(AccessError):
            backend.write({"wsdl_url": "http://evil.example/"})
        self.assertTrue(backend.read(["wsdl_url"]))
