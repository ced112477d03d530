# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from ..models.common import without_commit
from .common import ReceivablesCase, doc


class TestEvening(ReceivablesCase):

    def channel_messages(self):
        channel = self.env.ref("receivables.channel_payments")
        return self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "=", channel.id)])

    def test_list_and_managers_notified(self):
        self.stand_in.control(payments=[doc("e-1", "7701000011", 12345, contract=self.contract_a),
                                        doc("e-2", "7701000022", 1000, contract=self.contract_b),
                                        doc("e-3", "7701000022", 500, day=self.today - timedelta(days=1))])
        self.sync()
        before = self.channel_messages()
        self.backend._post_evening_list(self.today)
        new = self.channel_messages() - before
        self.assertEqual(len(new), 1)
        self.assertIn("ООО «Альфа»", new.body)
        self.assertIn("12\u00a0345.00", new.body)
        chats = self.env["mail.channel"].search([("channel_type", "=", "chat"),
                                                ("channel_partner_ids", "in", self.manager_a.partner_id.id)])
        personal = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "in", chats.ids)])
        self.assertEqual(len(personal), 1)
        self.assertIn("RCV-A/1", personal.body)
        self.assertNotIn("Бета", personal.body)

    def test_once_a_day_after_the_hour_and_nobody_paid(self):
        self.backend.write({"evening_hour": 19.0, "evening_last_date": False})
        self.env.user.company_id.partner_id.tz = "Europe/Moscow"
        Backend = without_commit(self.env["receivables.onec.backend"])
        before = self.channel_messages()
        day = self.today + timedelta(days=3)
        Backend._cron_evening_list(now=datetime(day.year, day.month, day.day, 15, 0))  # 18:00 in Moscow
        self.assertEqual(self.channel_messages(), before)
        Backend._cron_evening_list(now=datetime(day.year, day.month, day.day, 16, 30))
        Backend._cron_evening_list(now=datetime(day.year, day.month, day.day, 18, 0))
        new = self.channel_messages() - before
        self.assertEqual(len(new), 1)
        self.assertIn("Nobody paid", new.body)

    def test_names_are_escaped(self):
        payload = "<img src=x onerror=alert(1)>"
        self.client_a.name = payload
        self.contract_a.sudo(self.head).name = payload + "/A"
        self.manager_a.name = payload
        self.stand_in.control(payments=[
            doc("x-1", "7701000011", 100, contract=self.contract_a),
            doc("x-2", "7709999999", 200, CounterpartyName=payload, ContractNumber=payload, Number=payload,
                PaymentPurpose=payload)])
        self.sync()
        self.assertEqual(self.payments(onec_guid="x-2").onec_partner_name, payload)
        before = self.channel_messages()
        self.backend._post_evening_list(self.today)
        chats = self.env["mail.channel"].search([("channel_type", "=", "chat"),
                                                ("channel_partner_ids", "in", self.manager_a.partner_id.id)])
        personal = self.env["mail.message"].search([("model", "=", "mail.channel"), ("res_id", "in", chats.ids)])
        for message in (self.channel_messages() - before) | personal:
            self.assertIn("&lt;img", message.body)
            self.assertNotIn("<img src=x", message.body)
        body = (self.channel_messages() - before).body
        escaped = "&lt;img src=x onerror=alert(1)&gt;"
        self.assertIn("<td>%s</td><td>%s/A</td>" % (escaped, escaped), body)
        self.assertIn("<td>%s</td><td>%s</td><td style=\"text-align:right\">200.00" % (escaped, escaped), body)
