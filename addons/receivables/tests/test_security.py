# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError

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

    def test_money_is_1c_s(self):
        self.stand_in.control(payments=[doc("w-1", "7705555555", 1000)])
        self.sync()
        payment = self.payments(onec_guid="w-1").sudo(self.accountant)
        with self.assertRaises(UserError):
            payment.write({"amount": 1})
        payment.write({"partner_id": self.client_a.id, "contract_id": self.contract_a.id})
        self.assertEqual(payment.state, "matched")
        with self.assertRaises(AccessError):
            payment.sudo(self.manager_a).write({"contract_id": False})
        with self.assertRaises(UserError):
            self.contract_a.line_ids[0].sudo(self.manager_a).write({"allocated": 100000})

    def test_sync_now_queues_the_cron(self):
        cron = self.env.ref("receivables.ir_cron_onec_sync")
        cron.nextcall = "2100-01-01 00:00:00"
        action = self.backend.sudo(self.head).action_sync_now()
        self.assertEqual(action["res_model"], "receivables.sync.log")
        self.assertLess(cron.nextcall, "2100-01-01 00:00:00")
        self.backend.sync_interval = 5
        self.assertEqual(cron.interval_number, 5)
