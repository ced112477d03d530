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

    def test_sync_now_queues_a_job(self):
        jobs = self.env["queue.job"].search_count([("model_name", "=", "receivables.onec.backend")])
        action = self.backend.sudo(self.head).action_sync_now()
        self.assertEqual(action["res_model"], "receivables.sync.log")
        self.assertEqual(self.env["queue.job"].search_count([("model_name", "=", "receivables.onec.backend")]),
                         jobs + 1)
        cron = self.env.ref("receivables.ir_cron_onec_sync")
        self.backend.sync_interval = 5
        self.assertEqual(cron.interval_number, 5)

    def test_context_keys_open_nothing(self):
        """The former switches of the sync, sent by a client, change nothing."""
        forged = {"receivables_sync": True, "receivables_trusted": True, "receivables_no_commit": True}
        line = self.contract_a.line_ids.sorted("date")[0].sudo(self.manager_a).with_context(**forged)
        with self.assertRaises(UserError):
            line.write({"allocated": 100000})
        with self.assertRaises(UserError):
            line.write({"state": "paid", "residual": 0})
        payment_values = {"name": "X", "onec_guid": "forged", "date": self.contract_a.date, "amount": 1.0,
                          "currency_id": self.contract_a.currency_id.id}
        with self.assertRaises(UserError):
            self.env["receivables.payment"].sudo(self.accountant).with_context(**forged).create(payment_values)
        with self.assertRaises(UserError):
            self.env["receivables.payment"].with_context(**forged).create(payment_values)
        self.contract_a.invalidate_cache()
        self.assertEqual((self.contract_a.amount_paid, line.allocated, line.state), (0, 0, "overdue"))

    def test_salesman_cannot_hide_an_overdue_receipt(self):
        contract = self.contract_a.sudo(self.manager_a)
        overdue, _due, future = contract.line_ids.sorted("date")
        for vals in ({"amount": 1}, {"date": future.date}):
            with self.assertRaises(AccessError):
                overdue.write(vals)
        with self.assertRaises(AccessError):
            overdue.unlink()
        with self.assertRaises(AccessError):
            contract.write({"line_ids": [(5, 0, 0)]})
        with self.assertRaises(UserError):
            contract.write({"amount_due": 0, "amount_paid": 250000})
        with self.assertRaises(AccessError):
            contract.write({"active": False})
        with self.assertRaises(AccessError):
            contract.write({"partner_id": self.client_b.id})
        with self.assertRaises(AccessError):
            contract.write({"user_id": self.manager_b.id})
        with self.assertRaises(AccessError):
            contract.write({"onec_guid": "guid-of-someone-else"})
        # What is not overdue yet stays his to plan.
        future.sudo(self.manager_a).write({"amount": 60000})
        self.assertEqual(future.amount, 60000)
        # The head decides, e.g. writes a receipt off; the money is allocated again.
        overdue.sudo(self.head).write({"amount": 5000})
        self.assertEqual(self.contract_a.amount_planned, 5000 + 100000 + 60000)
        with self.assertRaises(UserError):
            self.contract_a.sudo(self.head).unlink()

    def test_all_documents_level_reads_all_changes_own(self):
        all_leads = self.env["res.users"].create({
            "name": "Все документы", "login": "rcv_all_leads", "sale_team_id": self.team_b.id,
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_salesman_all_leads").id])]})
        Contract = self.env["receivables.contract"].sudo(all_leads)
        domain = [("id", "in", [self.contract_a.id, self.contract_b.id])]
        self.assertEqual(len(Contract.search(domain)), 2)
        self.assertEqual(self.contract_a.sudo(all_leads).line_ids.mapped("amount"), [100000, 100000, 50000])
        with self.assertRaises(AccessError):
            self.contract_a.sudo(all_leads).write({"name": "RCV-A/1 (чужой)"})
        with self.assertRaises(AccessError):
            self.contract_a.line_ids.sorted("date")[2].sudo(all_leads).write({"amount": 1})
        self.assertEqual(self.contract_a.name, "RCV-A/1")
