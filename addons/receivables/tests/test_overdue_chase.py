# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Overdue debts chase themselves: the daily cron at frozen dates, the
escalation, the 1C import closing the chase, the evening list."""
from datetime import timedelta

from odoo.addons.sales_control.tests.languages import load_language
from odoo.exceptions import UserError

from .common import ReceivablesCase, doc


def ds(value):
    return value.strftime("%Y-%m-%d")


class TestOverdueChase(ReceivablesCase):

    @classmethod
    def set_up_records(cls):
        result = super(TestOverdueChase, cls).set_up_records()
        for user in (cls.manager_a, cls.leader, cls.head):
            user.email = "%s@example.com" % user.login
        cls.client_c = cls.env["res.partner"].create({"name": "ООО «Гамма»", "is_company": True,
                                                      "vat": "7701000033", "kpp": "770101001"})
        cls.lead = cls.env["crm.lead"].create({"name": "Поставка «Гамма»", "type": "opportunity",
                                               "user_id": cls.manager_a.id, "team_id": cls.team_a.id,
                                               "partner_id": cls.client_c.id})
        cls.yesterday = cls.today - timedelta(days=1)
        cls.contract_c = cls.env["receivables.contract"].create({
            "name": "RCV-C/1", "date": ds(cls.today - timedelta(days=40)), "partner_id": cls.client_c.id,
            "user_id": cls.manager_a.id, "lead_id": cls.lead.id,
            "line_ids": [(0, 0, {"date": ds(cls.yesterday), "amount": 12000}),
                         (0, 0, {"date": ds(cls.today + timedelta(days=20)), "amount": 8000})]})
        cls.line = cls.contract_c.line_ids.sorted("date")[0]
        cls.future_line = cls.contract_c.line_ids.sorted("date")[1]
        params = cls.env["ir.config_parameter"]
        params.set_param("receivables.chase_leader_days", "2")
        params.set_param("receivables.chase_head_days", "5")
        params.set_param("receivables.chase_head_id", str(cls.head.id))
        cls.Chase = cls.env["receivables.overdue.chase"]
        return result

    def chase_of(self, line):
        return self.Chase.search([("line_id", "=", line.id)])

    def activities(self, **domain):
        base = [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        return self.env["mail.activity"].search(base + [(k, "=", v) for k, v in domain.items()])

    def run_cron(self, day):
        self.Chase._cron_chase(today=ds(day))

    def test_overdue_line_gets_one_call_activity_for_its_manager(self):
        self.manager_a.lang = False  # English: the source strings
        self.run_cron(self.today)
        self.run_cron(self.today)
        chase = self.chase_of(self.line)
        self.assertEqual(len(chase), 1)
        self.assertEqual((chase.state, chase.level, chase.start_date), ("open", "salesman", ds(self.today)))
        activity = self.activities()
        self.assertEqual(len(activity), 1, "once, however often the cron runs")
        self.assertEqual(activity, chase.salesman_activity_id)
        self.assertEqual(activity.user_id, self.manager_a)
        self.assertEqual(activity.activity_type_id, self.env.ref("sales_control.mail_activity_type_call"))
        self.assertEqual(activity.summary, "Call the client about the overdue payment of 12\u00a0000.00\u00a0%s due %s"
                         % (self.line.currency_id.symbol, self.yesterday.strftime("%d.%m.%Y")))
        self.assertEqual(activity.date_deadline, ds(self.today))
        self.assertFalse(self.chase_of(self.future_line), "a receipt not yet due is not chased")

    def test_summary_in_the_managers_language(self):
        load_language(self.env, "ru_RU", ["receivables"])
        self.manager_a.lang = "ru_RU"
        self.run_cron(self.today)
        self.assertIn("Позвонить клиенту о просроченном платеже", self.activities().summary)

    def test_escalates_to_team_leader_then_head_once(self):
        self.run_cron(self.today)
        self.run_cron(self.today + timedelta(days=1))
        chase = self.chase_of(self.line)
        self.assertEqual(chase.level, "salesman")
        self.assertFalse(self.activities(user_id=self.leader.id))
        self.run_cron(self.today + timedelta(days=2))
        self.run_cron(self.today + timedelta(days=3))
        self.assertEqual((chase.level, chase.leader_id), ("leader", self.leader))
        leader_activity = self.activities(user_id=self.leader.id)
        self.assertEqual(len(leader_activity), 1)
        self.assertIn("ООО «Гамма»", leader_activity.summary)
        self.assertIn("Менеджер А", leader_activity.summary)
        self.assertFalse(self.activities(user_id=self.head.id))
        self.run_cron(self.today + timedelta(days=5))
        self.run_cron(self.today + timedelta(days=6))
        self.assertEqual((chase.level, chase.head_id, chase.head_date),
                         ("head", self.head, ds(self.today + timedelta(days=5))))
        self.assertEqual(len(self.activities(user_id=self.head.id)), 1)
        self.assertEqual(len(self.activities(user_id=self.manager_a.id)), 1, "the manager's call stays")

    def test_the_money_from_1c_closes_the_chase_and_links_the_call(self):
        self.run_cron(self.today)
        chase = self.chase_of(self.line)
        Touch = self.env["sales.touch"]
        self.activities().sudo(self.manager_a).action_feedback(feedback="Обещали оплатить в пятницу")
        touch = Touch.search([("lead_id", "=", self.lead.id), ("source", "=", "activity")])
        self.assertEqual(len(touch), 1)
        self.assertEqual((chase.touch_id, chase.state), (touch, "open"), "called, not paid: still chased")
        self.run_cron(self.today + timedelta(days=2))
        self.assertEqual(len(self.activities(user_id=self.leader.id)), 1)
        self.stand_in.control(payments=[doc("ch-1", "7701000033", 12000, contract=self.contract_c)])
        self.sync()
        self.assertEqual(self.line.state, "paid")
        self.assertEqual((chase.state, chase.touch_id, chase.closed_date), ("paid", touch, ds(self.today)))
        self.assertIn("Paid", chase.note)
        self.assertFalse(self.activities(), "the open activities closed themselves")
        self.assertEqual(Touch.search_count([("lead_id", "=", self.lead.id)]), 1, "closing is not a call")
        notes = self.lead.message_ids.filtered(lambda m: "1C brought the money" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("The salesperson called on", notes.body)
        self.run_cron(self.today + timedelta(days=6))
        self.assertFalse(self.activities(user_id=self.head.id), "a paid receipt goes no further")

    def test_paid_before_a_call_closes_the_open_activity(self):
        self.run_cron(self.today)
        chase = self.chase_of(self.line)
        self.stand_in.control(payments=[doc("ch-2", "7701000033", 12000, contract=self.contract_c)])
        self.sync()
        self.assertEqual(chase.state, "paid")
        self.assertFalse(chase.touch_id)
        self.assertFalse(self.activities())
        self.assertFalse(self.env["sales.touch"].search([("lead_id", "=", self.lead.id)]))

    def test_a_partial_payment_keeps_chasing(self):
        self.run_cron(self.today)
        self.stand_in.control(payments=[doc("ch-3", "7701000033", 5000, contract=self.contract_c)])
        self.sync()
        self.assertEqual(self.chase_of(self.line).state, "open")
        self.assertEqual(len(self.activities()), 1)

    def test_deleted_line_takes_its_activities(self):
        self.run_cron(self.today)
        self.line.sudo(self.head).unlink()
        self.assertFalse(self.activities())

    def test_settings_refuse_impossible_days(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaises(UserError):
            Settings.create({"receivables_chase_leader_days": 5, "receivables_chase_head_days": 5}).execute()
        with self.assertRaises(UserError):
            Settings.create({"receivables_chase_leader_days": 0, "receivables_chase_head_days": 5}).execute()
        Settings.create({"receivables_chase_leader_days": 4, "receivables_chase_head_days": 9}).set_values()
        self.assertEqual(self.Chase._settings()[:2], (4, 9))

    def test_evening_list_names_payments_overdue_today_escaped(self):
        payload = "<img src=x onerror=alert(1)>"
        self.client_c.name = payload
        channel = self.env.ref("receivables.channel_payments")
        before = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)])
        self.backend._post_evening_list(self.today)
        new = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)]) - before
        self.assertEqual(len(new), 1, "one evening list, with a section for the receipts overdue today")
        overdue = new.filtered(lambda m: "Became overdue on" in m.body)
        self.assertEqual(len(overdue), 1)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", overdue.body)
        self.assertNotIn("<img src=x", overdue.body)
        self.assertIn("RCV-C/1", overdue.body)
        self.assertIn("12\u00a0000.00", overdue.body)
        self.assertNotIn("RCV-A/1", overdue.body, "overdue for a month: not news of the day")
        chats = self.env["mail.channel"].search([("channel_type", "=", "chat"),
                                                ("channel_partner_ids", "in", self.manager_a.partner_id.id)])
        personal = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "in", chats.ids),
                                                    ("body", "like", "overdue since")])
        self.assertEqual(len(personal), 1)
        self.assertIn("RCV-C/1", personal.body)

    def test_evening_list_with_payments_has_the_overdue_section(self):
        self.stand_in.control(payments=[doc("ev-1", "7701000011", 700, contract=self.contract_a)])
        self.sync()
        channel = self.env.ref("receivables.channel_payments")
        before = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)])
        self.backend._post_evening_list(self.today)
        new = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)]) - before
        self.assertEqual(len(new), 1)
        self.assertIn("RCV-A/1", new.body)
        self.assertIn("Became overdue on", new.body)
        self.assertIn("RCV-C/1", new.body)

    def test_evening_list_without_new_overdue_adds_nothing(self):
        channel = self.env.ref("receivables.channel_payments")
        before = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)])
        self.backend._post_evening_list(self.today + timedelta(days=3000))
        new = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)]) - before
        self.assertEqual(len(new), 1)
        self.assertNotIn("overdue", new.body)

    def test_schedule_line_has_a_readable_name(self):
        name = self.line.display_name
        self.assertEqual(name, "RCV-C/1 dated %s · %s · 12\u00a0000.00\u00a0%s" % (
            (self.today - timedelta(days=40)).strftime("%d.%m.%Y"), self.yesterday.strftime("%d.%m.%Y"),
            self.line.currency_id.symbol))
        self.assertNotIn("receivables.schedule.line", name)
