# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time

from odoo import models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

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


class TestSalesLevels(SalesControlCase):
    """Odoo's three sales levels on every model sales_control restricts: own
    documents (member, and leader for his team), all documents, manager."""

    @classmethod
    def setUpClass(cls):
        super(TestSalesLevels, cls).setUpClass()
        env = cls.env
        cls.all_docs = env["res.users"].create({
            "name": "All Docs", "login": "sc_all_docs", "email": "all_docs@sc.example",
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman_all_leads").id,
                                  env.ref("base.group_user").id])],
        })
        Touch = env["sales.touch"]
        cls.records = {}
        activity_type = env.ref("sales_control.mail_activity_type_call")
        lead_model = env["ir.model"]._get("crm.lead")
        for key, lead in (("member", cls.lead_member), ("other", cls.lead_other),
                          ("unassigned", cls.lead_unassigned)):
            user = lead.user_id or cls.head
            activity = env["mail.activity"].create({
                "res_model_id": lead_model.id, "res_id": lead.id, "activity_type_id": activity_type.id,
                "user_id": user.id, "summary": "Call %s" % key})
            event = env["calendar.event"].create({
                "name": "Meeting %s" % key, "start": "2026-01-10 10:00:00", "stop": "2026-01-10 11:00:00",
                "opportunity_id": lead.id, "user_id": user.id, "partner_ids": [(6, 0, user.partner_id.ids)]})
            # Touch made by the head: seen through the lead's salesperson.
            touch = Touch._record({"touch_type": "call", "lead_id": lead.id, "user_id": (lead.user_id or cls.head).id})
            message = env["mail.message"].create({
                "model": "crm.lead", "res_id": lead.id, "body": "Done", "message_type": "comment",
                "mail_activity_type_id": activity_type.id})
            cls.records[key] = {
                "crm.lead": lead.ids, "crm.opportunity.report": lead.ids, "mail.activity": activity.ids,
                "calendar.event": event.ids, "calendar.attendee": event.attendee_ids.ids,
                "sales.touch": touch.ids, "crm.activity.report": message.ids,
            }
        cls.models = sorted(cls.records["member"])

    def _visible_keys(self, user, model):
        ids = [i for rec in self.records.values() for i in rec[model]]
        found = set(self.env[model].sudo(user).search([("id", "in", ids)]).ids)
        return {key for key, rec in self.records.items() if set(rec[model]) & found}

    def _efficiency_users(self, user):
        groups = self.env["sales.efficiency.report"].sudo(user).read_group(
            [("user_id", "in", [self.member.id, self.other.id])], ["user_id"], ["user_id"])
        return {g["user_id"][0] for g in groups}

    def test_own_documents_salesman_sees_his_own_on_every_model(self):
        for model in self.models:
            self.assertEqual(self._visible_keys(self.member, model), {"member"}, model)
            self.assertEqual(self._visible_keys(self.other, model), {"other"}, model)
        self.assertEqual(self._efficiency_users(self.member), {self.member.id})

    def test_team_leader_sees_his_team_on_every_model(self):
        for model in self.models:
            self.assertEqual(self._visible_keys(self.leader, model), {"member"}, model)
        self.assertEqual(self._efficiency_users(self.leader), {self.member.id})

    def test_all_documents_salesman_sees_every_record(self):
        for model in self.models:
            self.assertEqual(self._visible_keys(self.all_docs, model), set(self.records), model)
        self.assertEqual(self._efficiency_users(self.all_docs), {self.member.id, self.other.id})

    def test_manager_sees_every_record(self):
        for model in self.models:
            self.assertEqual(self._visible_keys(self.head, model), set(self.records), model)
        self.assertEqual(self._efficiency_users(self.head), {self.member.id, self.other.id})

    def test_attendee_sees_the_meeting_he_is_invited_to(self):
        event = self.env["calendar.event"].browse(self.records["other"]["calendar.event"])
        self.assertNotIn("other", self._visible_keys(self.member, "calendar.event"))
        event.write({"partner_ids": [(4, self.member.partner_id.id)]})
        self.assertIn("other", self._visible_keys(self.member, "calendar.event"))
        self.assertEqual(event.sudo(self.member).read(["name"])[0]["name"], "Meeting other")
        # Being invited opens the meeting, not the deal.
        self.assertNotIn("other", self._visible_keys(self.member, "crm.lead"))

    def test_unassigned_setting_opens_unassigned_records_to_salesmen(self):
        group = self.env.ref("sales_control.group_show_unassigned")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        self.company.sales_control_show_unassigned = True
        self.assertIn(group, salesman.implied_ids)
        self.assertIn(self.member, group.users)
        for model in self.models:
            self.assertEqual(self._visible_keys(self.member, model), {"member", "unassigned"}, model)
        self.company.sales_control_show_unassigned = False
        self.assertNotIn(group, salesman.implied_ids)
        self.assertNotIn(self.member, group.users)
        self.assertFalse(self.company.sales_control_show_unassigned)
        for model in self.models:
            self.assertEqual(self._visible_keys(self.member, model), {"member"}, model)


class TestRulesOwnership(SalesControlCase):
    """The rules are sales_control's, crm's personal rules are switched off,
    and every rule evaluates on a registry that has not loaded the suite."""

    CRM_PERSONAL = ["crm.crm_rule_personal_lead", "crm.crm_rule_personal_lead_report",
                    "crm.crm_activity_report_rule_personal_activities"]
    ODOO_DOMAIN = "['|',('user_id','=',user.id),('user_id','=',False)]"

    def test_crm_personal_rules_are_off_and_ours_apply(self):
        for xmlid in self.CRM_PERSONAL:
            rule = self.env.ref(xmlid)
            self.assertFalse(rule.active, xmlid)
            self.assertEqual(rule.domain_force, self.ODOO_DOMAIN, xmlid)
        salesman = self.env.ref("sales_team.group_sale_salesman")
        for model in ("crm.lead", "crm.opportunity.report", "crm.activity.report"):
            rules = self.env["ir.rule"].search([("model_id.model", "=", model), ("groups", "in", salesman.ids)])
            self.assertEqual(list(rules.get_external_id().values()),
                             ["sales_control.%s_rule_salesman" % model.replace(".", "_")])

    def test_uninstall_hook_gives_crm_its_rules_back(self):
        from odoo.addons.sales_control.hooks import uninstall_hook
        self.env.ref(self.CRM_PERSONAL[0]).domain_force = "[('user_id', '=', user.id)]"
        uninstall_hook(self.env.cr, self.env.registry)
        for xmlid in self.CRM_PERSONAL:
            rule = self.env.ref(xmlid)
            self.assertTrue(rule.active, xmlid)
            self.assertEqual(rule.domain_force, self.ODOO_DOMAIN, xmlid)

    def test_rules_evaluate_while_the_registry_loads(self):
        """Under "-u crm --test-enable" crm's tests run before sales_control
        is loaded: no rule may read a field the suite adds, on the user, his
        company or the model itself."""
        self.env.cr.execute("""
            SELECT f.model, f.name FROM ir_model_fields f
              JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
             WHERE d.module IN ('sales_control', 'sales_plans', 'receivables', 'deal_approval',
                                'deal_approval_receivables', 'sales_plans_receivables')""")
        ours = {}
        for model, name in self.env.cr.fetchall():
            ours.setdefault(model, set()).add(name)
        loading_user = _LoadingRecord(self.member, ours)
        restricted = ["crm.lead", "crm.opportunity.report", "crm.activity.report", "mail.activity",
                      "calendar.event"]
        rules = self.env["ir.rule"].search([("model_id.model", "in", restricted)])
        self.assertGreaterEqual(len(rules), 10)
        for rule in rules:
            domain = safe_eval(rule.domain_force or "[]", {"user": loading_user, "time": time})
            for leaf in domain:
                if isinstance(leaf, (list, tuple)) and isinstance(leaf[0], str):
                    self.assertNotIn(leaf[0].split(".")[0], ours.get(rule.model_id.model, set()),
                                     "%s reads %s" % (rule.name, leaf[0]))


class _LoadingRecord(object):
    """A record as seen while the registry has not loaded the suite: the
    suite's fields are missing on it, on its relations and on env[model]."""

    def __init__(self, record, ours):
        self._record = record
        self._ours = ours

    def __getattr__(self, name):
        if name in self._ours.get(self._record._name, ()):
            raise AttributeError("%s.%s is not loaded yet" % (self._record._name, name))
        if name == "env":
            return _LoadingEnv(self._record.env, self._ours)
        value = getattr(self._record, name)
        return _LoadingRecord(value, self._ours) if isinstance(value, models.BaseModel) else value


class _LoadingEnv(object):
    def __init__(self, env, ours):
        self._env = env
        self._ours = ours

    def __getitem__(self, model):
        loaded = {name: field for name, field in self._env[model]._fields.items()
                  if name not in self._ours.get(model, ())}
        return type("LoadingModel", (), {"_fields": loaded})()


class TestUnassignedSetting(SalesControlCase):

    def test_the_settings_form_switches_the_implied_group(self):
        group = self.env.ref("sales_control.group_show_unassigned")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        settings = self.env["res.config.settings"].create({"sales_control_show_unassigned": True})
        settings.execute()
        self.assertIn(group, salesman.implied_ids)
        self.assertTrue(self.env["res.config.settings"].create({}).sales_control_show_unassigned)
        self.assertEqual(self._leads(self.member), self.lead_member | self.lead_unassigned)
        self.env["res.config.settings"].create({"sales_control_show_unassigned": False}).execute()
        self.assertNotIn(group, salesman.implied_ids)
        self.assertEqual(self._leads(self.member), self.lead_member)

    def _leads(self, user):
        leads = self.lead_member | self.lead_other | self.lead_unassigned
        return self.env["crm.lead"].sudo(user).search([("id", "in", leads.ids)])
