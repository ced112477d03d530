# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import SalesControlCase


class TestRecordRules(SalesControlCase):

    def _visible(self, user, model, records):
        return self.env[model].sudo(user).search([("id", "in", records.ids)])

    def test_salesman_sees_only_his_own_leads(self):
        leads = self.lead_member | self.lead_other | self.lead_unassigned
        self.assertEqual(self._visible(self.member, "crm.lead", leads), self.lead_member)
        self.assertEqual(self._visible(self.other, "crm.lead", leads), self.lead_other)
        with self.assertRaises(AccessError):
            self.lead_other.sudo(self.member).read(["name"])

    def test_team_leader_sees_his_team(self):
        leads = self.lead_member | self.lead_other | self.lead_unassigned
        self.assertEqual(self._visible(self.leader, "crm.lead", leads), self.lead_member)

    def test_head_sees_everything(self):
        leads = self.lead_member | self.lead_other | self.lead_unassigned
        self.assertEqual(self._visible(self.head, "crm.lead", leads), leads)

    def test_unassigned_leads_follow_the_company_setting(self):
        self.assertFalse(self._visible(self.member, "crm.lead", self.lead_unassigned))
        self.company.sales_control_show_unassigned = True
        self.assertEqual(self._visible(self.member, "crm.lead", self.lead_unassigned), self.lead_unassigned)
        self.company.sales_control_show_unassigned = False
        self.assertFalse(self._visible(self.member, "crm.lead", self.lead_unassigned))

    def test_touches_follow_the_manager(self):
        Touch = self.env["sales.touch"]
        mine = Touch._record({"touch_type": "call", "lead_id": self.lead_member.id})
        foreign = Touch._record({"touch_type": "call", "lead_id": self.lead_other.id})
        both = mine | foreign
        self.assertEqual(self._visible(self.member, "sales.touch", both), mine)
        self.assertEqual(self._visible(self.leader, "sales.touch", both), mine)
        self.assertEqual(self._visible(self.head, "sales.touch", both), both)
        groups = Touch.sudo(self.member).read_group([("id", "in", both.ids)], ["user_id"], ["user_id"])
        self.assertEqual([g["user_id"][0] for g in groups], [self.member.id])
        with self.assertRaises(AccessError):
            foreign.sudo(self.member).read(["summary"])

    def test_salesman_cannot_edit_or_delete_touches(self):
        touch = self.env["sales.touch"]._record({"touch_type": "call", "lead_id": self.lead_member.id})
        with self.assertRaises(AccessError):
            touch.sudo(self.member).write({"outcome": "better"})
        with self.assertRaises(AccessError):
            touch.sudo(self.member).unlink()
        with self.assertRaises(AccessError):
            self.env["sales.touch"].sudo(self.member).create({"touch_type": "call", "summary": "fake"})
        touch.sudo(self.head).write({"outcome": "corrected by the head"})
        self.assertEqual(touch.outcome, "corrected by the head")

    def test_activities_and_meetings_of_foreign_leads_are_hidden(self):
        activity = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get("crm.lead").id, "res_id": self.lead_other.id,
            "activity_type_id": self.env.ref("sales_control.mail_activity_type_call").id,
            "user_id": self.other.id})
        self.assertFalse(self.env["mail.activity"].sudo(self.member).search([("id", "=", activity.id)]))
        self.assertTrue(self.env["mail.activity"].sudo(self.other).search([("id", "=", activity.id)]))
        event = self.env["calendar.event"].create({
            "name": "Meeting", "start": "2026-01-10 10:00:00", "stop": "2026-01-10 11:00:00",
            "opportunity_id": self.lead_other.id, "user_id": self.other.id})
        self.assertFalse(self.env["calendar.event"].sudo(self.member).search([("id", "=", event.id)]))
        self.assertTrue(self.env["calendar.event"].sudo(self.head).search([("id", "=", event.id)]))

    def test_efficiency_report_rows_are_filtered(self):
        Touch = self.env["sales.touch"]
        Touch._record({"touch_type": "call", "lead_id": self.lead_member.id})
        Touch._record({"touch_type": "call", "lead_id": self.lead_other.id})
        Report = self.env["sales.efficiency.report"]
        users = {g["user_id"][0] for g in Report.sudo(self.member).read_group([], ["user_id"], ["user_id"])}
        self.assertEqual(users, {self.member.id})
        users = {g["user_id"][0] for g in Report.sudo(self.head).read_group([], ["user_id"], ["user_id"])}
        self.assertTrue({self.member.id, self.other.id} <= users)
