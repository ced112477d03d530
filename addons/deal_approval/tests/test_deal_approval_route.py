# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Routes on the deal approval request: the conditions a head configures,
the team leader, substitutes and escalation as the request shows them, and
who may configure what."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .common import DealApprovalCase


class TestDealApprovalRoute(DealApprovalCase):

    @classmethod
    def setUpClass(cls):
        super(TestDealApprovalRoute, cls).setUpClass()
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.leader = Users.create({
            "name": "Leader", "login": "da_test_leader", "email": "leader@example.invalid",
            "groups_id": [(6, 0, cls.env.ref("sales_team.group_sale_salesman_all_leads").ids)]})
        cls.team = cls.env["crm.team"].create({"name": "Регионы (тест)", "user_id": cls.leader.id,
                                               "member_ids": [(6, 0, cls.seller.ids)]})
        cls.lead.team_id = cls.team

    def route(self, steps, **values):
        vals = {"name": "Тестовый маршрут", "remind_hours": 0, "escalate_hours": 0,
                "step_ids": [(0, 0, step) for step in steps]}
        vals.update(values)
        return self.env["deal.approval.route"].create(vals)

    def approvers(self, request):
        return [step.approver_id for step in request.step_ids.sorted(lambda s: (s.sequence, s.id))]

    def test_standard_route_is_the_former_settings(self):
        self.assertEqual(self.approvers(self.new_waiting_request(amount=999999.0)), [self.head])
        self.assertEqual(self.approvers(self.new_waiting_request(amount=1000000.0)), [self.head, self.findir])
        step = self.env.ref("deal_approval.route_default_step_finance")
        step.amount_from = 2000000.0
        self.assertEqual(self.approvers(self.new_waiting_request(amount=1500000.0)), [self.head])

    def test_amount_in_company_currency(self):
        company_currency = self.env.user.company_id.currency_id
        foreign = self.env["res.currency"].search([("id", "!=", company_currency.id)], limit=1)
        foreign.active = True
        self.env["res.currency.rate"].search([("currency_id", "in", (foreign | company_currency).ids)]).unlink()
        self.env["res.currency.rate"].create({"name": "2000-01-01", "currency_id": company_currency.id,
                                              "rate": 1.0})
        self.env["res.currency.rate"].create({"name": "2000-01-01", "currency_id": foreign.id, "rate": 0.01})
        # 20,000 of the other currency are 2,000,000 of the company's.
        request = self.new_waiting_request(amount=20000.0, currency_id=foreign.id)
        self.assertEqual(self.approvers(request), [self.head, self.findir])

    def test_team_leader_for_small_deals_of_his_team(self):
        self.route([{"sequence": 5, "approver_type": "team_leader", "amount_to": 300000.0,
                     "team_ids": [(6, 0, self.team.ids)]}])
        self.assertEqual(self.approvers(self.new_waiting_request(amount=100000.0)), [self.leader, self.head])
        self.assertEqual(self.approvers(self.new_waiting_request(amount=300000.0)), [self.head])
        other_team = self.env["crm.team"].create({"name": "Москва (тест)", "user_id": self.leader.id})
        self.lead.team_id = other_team
        self.assertEqual(self.approvers(self.new_waiting_request(amount=100000.0)), [self.head])

    def test_discount_delay_and_kind_conditions(self):
        self.route([
            {"sequence": 20, "approver_type": "user", "user_id": self.leader.id, "discount_above": 10.0},
            {"sequence": 20, "approver_type": "finance", "delay_above": 30},
            {"sequence": 30, "approver_type": "user", "user_id": self.other.id, "document_type": "invoice"},
        ])
        self.assertEqual(self.approvers(self.new_waiting_request(discount=10.0)), [self.head])
        self.assertEqual(self.approvers(self.new_waiting_request(discount=10.5)), [self.head, self.leader])
        request = self.new_waiting_request(payment_delay=45)
        self.assertEqual(self.approvers(request), [self.head, self.findir])
        request.sudo(self.head).action_approve()
        self.assertEqual(request.current_approver_id, self.findir)
        invoice = self.new_invoice()
        request = self.new_waiting_request(document_type="invoice", invoice_id=invoice.id, contract_file=False)
        self.assertEqual(self.approvers(request), [self.head, self.other])

    def test_invoice_payment_term_gives_the_delay(self):
        self.route([{"sequence": 20, "approver_type": "finance", "delay_above": 30}])
        term = self.env["account.payment.term"].create({"name": "45 дней", "line_ids": [
            (0, 0, {"value": "balance", "days": 45, "option": "day_after_invoice_date"})]})
        invoice = self.new_invoice()
        invoice.payment_term_id = term
        request = self.new_request(document_type="invoice", invoice_id=invoice.id, contract_file=False)
        self.assertEqual(request.payment_delay, 0)
        request.action_submit()
        self.assertEqual(request.payment_delay, 45)
        self.assertEqual(self.approvers(request), [self.head, self.findir])
        # A delay the manager typed is his: the terms do not override it.
        other = self.new_request(document_type="invoice", invoice_id=invoice.id, contract_file=False,
                                 payment_delay=10)
        other.action_submit()
        self.assertEqual(self.approvers(other), [self.head])

    def test_parallel_steps_wait_for_both(self):
        self.route([{"sequence": 10, "approver_type": "finance"}])
        request = self.new_waiting_request()
        self.assertEqual(request.step_ids.mapped("state"), ["pending", "pending"])
        Request = self.env["deal.approval.request"]
        for user in (self.head, self.findir):
            self.assertEqual(Request.sudo(user).search([("is_my_turn", "=", True)]), request)
            self.assertTrue(request.sudo(user).is_my_turn)
        self.assertEqual(len(request.sudo().activity_ids), 2)
        request.sudo(self.findir).action_approve()
        self.assertEqual(request.state, "waiting")
        self.assertFalse(Request.sudo(self.findir).search([("is_my_turn", "=", True)]))
        self.assertEqual(request.current_approver_id, self.head)
        request.sudo(self.head).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.sudo().activity_ids)

    def test_substitute_gets_the_request_and_the_chatter_says_so(self):
        today = fields.Date.context_today(self.head)
        self.env["deal.approval.substitute"].sudo(self.head).create({
            "substitute_id": self.leader.id, "date_from": today, "date_to": today, "note": "Отпуск"})
        request = self.new_waiting_request()
        self.assertEqual(request.current_approver_id, self.leader)
        self.assertEqual(request.step_ids.delegated_from_id, self.head)
        self.assertTrue(request.sudo().message_ids.filtered(
            lambda m: "Head is away: Leader decides in his place." in (m.body or "")))
        self.assertEqual(request.sudo().activity_ids.user_id, self.leader)
        with self.assertRaises(AccessError):
            request.sudo(self.head).action_approve()
        request.sudo(self.leader).action_approve()
        self.assertEqual(request.state, "approved")

    def test_escalation_moves_the_request_and_its_activity(self):
        self.route([{"sequence": 20, "approver_type": "user", "user_id": self.leader.id}],
                   remind_hours=2, escalate_hours=4, escalate_to_id=self.findir.id)
        request = self.new_waiting_request()
        request.sudo(self.head).action_approve()
        step = request.current_step_id
        self.assertEqual(step.approver_id, self.leader)
        start = datetime(2030, 1, 7, 9, 0)  # a Monday
        self.env.cr.execute("UPDATE deal_approval_step SET date_start = %s WHERE id = %s",
                            (fields.Datetime.to_string(start), step.id))
        step.invalidate_cache()
        self.leader.tz = self.findir.tz = "UTC"
        Request = self.env["deal.approval.request"]
        Request._approval_cron(now=start + timedelta(hours=3))
        self.assertTrue(step.reminded_date)
        reminders = request.sudo().message_ids.filtered(lambda m: "Reminder" in (m.body or ""))
        self.assertEqual(reminders.partner_ids, self.leader.partner_id)
        Request._approval_cron(now=start + timedelta(hours=4))
        self.assertEqual(step.state, "escalated")
        self.assertEqual(request.current_approver_id, self.findir)
        self.assertEqual(request.current_step_id.escalated_from_id, self.leader)
        self.assertEqual(request.sudo().activity_ids.user_id, self.findir)
        request.sudo(self.findir).action_approve()
        self.assertEqual(request.state, "approved")
        row = self.env["deal.approval.report"].read_group(
            [("request_id", "=", request.id)], ["escalated", "nbr"], [])[0]
        self.assertEqual((row["escalated"], row["nbr"]), (1, 3))

    def test_escalation_never_to_the_author(self):
        self.route([{"sequence": 20, "approver_type": "user", "user_id": self.leader.id}],
                   escalate_hours=1, escalate_to_id=self.seller.id)
        request = self.new_waiting_request()
        request.sudo(self.head).action_approve()
        self.env.cr.execute("UPDATE deal_approval_step SET date_start = '2030-01-07 09:00:00' WHERE id = %s",
                            (request.current_step_id.id,))
        request.current_step_id.invalidate_cache()
        self.env["deal.approval.request"]._approval_cron(now=datetime(2030, 1, 8, 12, 0))
        self.assertEqual(request.current_step_id.state, "pending")
        self.assertEqual(request.current_approver_id, self.leader)

    def test_only_the_head_configures_routes(self):
        route = self.env.ref("deal_approval.route_default")
        for user in (self.seller, self.findir, self.leader):
            self.assertTrue(route.sudo(user).read(["name"]))
            with self.assertRaises(AccessError):
                route.sudo(user).write({"active": False})
            with self.assertRaises(AccessError):
                route.step_ids[:1].sudo(user).write({"amount_from": 0.0})
            with self.assertRaises(AccessError):
                self.env["deal.approval.route"].sudo(user).create({"name": "Мой маршрут"})
        self.env["deal.approval.route"].sudo(self.head).create({"name": "Маршрут главы", "step_ids": [
            (0, 0, {"approver_type": "user", "user_id": self.findir.id})]})

    def test_route_steps_refuse_nonsense(self):
        with self.assertRaises(ValidationError):
            self.route([{"approver_type": "user"}])
        with self.assertRaises(ValidationError):
            self.route([{"approver_type": "group"}])
        with self.assertRaises(ValidationError):
            self.route([{"approver_type": "head", "amount_from": 500.0, "amount_to": 100.0}])
        with self.assertRaises(ValidationError):
            self.route([{"approver_type": "head", "discount_above": -1.0}])
        with self.assertRaises(ValidationError):
            self.route([], remind_hours=10, escalate_hours=5)

    def test_substitutes_only_for_oneself(self):
        Substitute = self.env["deal.approval.substitute"]
        today = fields.Date.context_today(self.seller)
        values = {"substitute_id": self.seller.id, "date_from": today, "date_to": today}
        # A salesman names himself the head's substitute: refused.
        with self.assertRaisesRegex(AccessError, "only for yourself"):
            Substitute.sudo(self.seller).create(dict(values, user_id=self.head.id))
        with self.assertRaises(AccessError):
            Substitute.sudo(self.seller).with_context(default_user_id=self.head.id).create(values)
        own = Substitute.sudo(self.head).create(values)
        # ...nor can he move the head's substitution to himself or read it
        # as another's.
        with self.assertRaises(AccessError):
            own.sudo(self.other).write({"substitute_id": self.other.id})
        self.assertEqual(own.sudo(self.seller).read(["user_id"])[0]["user_id"][0], self.head.id)
        with self.assertRaises(AccessError):
            own.sudo(self.seller).write({"date_to": "2099-12-31"})
        with self.assertRaises(AccessError):
            own.sudo(self.seller).unlink()
        # The head names substitutes for anybody; nobody substitutes himself.
        Substitute.sudo(self.head).create(dict(values, user_id=self.findir.id))
        with self.assertRaises(ValidationError):
            Substitute.sudo(self.head).create(dict(values, user_id=self.seller.id))
        with self.assertRaises(ValidationError):
            Substitute.sudo(self.findir).create(dict(values, substitute_id=self.head.id,
                                                     date_to="2000-01-01"))
