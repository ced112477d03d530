# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval engine on a tester model of the tests' own: routes, steps in
order and in parallel, "any one of" / "all of" groups, conditions, the
author never approving, substitutes, reminders and escalation."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import SavepointCase, at_install, post_install

from .approval_tester import EVENTS, ApprovalTester, ApprovalTesterReview

TESTER_MODELS = [ApprovalTester, ApprovalTesterReview]


def setup_test_models(env, classes):
    """Register models defined in the tests (as OCA base_tier_validation
    11.0 does): build them, set the registry up and make their tables."""
    for cls in classes:
        cls._build_model(env.registry, env.cr)
    env.registry.setup_models(env.cr)
    env.registry.init_models(env.cr, [cls._name for cls in classes],
                             dict(env.context, update_custom_fields=True))


def teardown_test_models(env, classes):
    for cls in classes:
        del env.registry.models[cls._name]
    env.registry.setup_models(env.cr)


@at_install(False)
@post_install(True)
class TestApprovalEngine(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestApprovalEngine, cls).setUpClass()
        setup_test_models(cls.env, TESTER_MODELS)
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True, lang="en_US"))
        for name in ("deal.approval.tester", "deal.approval.tester.review"):
            cls.env["ir.model.access"].create({
                "name": "access %s" % name, "perm_read": True, "perm_write": True, "perm_create": True,
                "perm_unlink": True,
                "model_id": cls.env["ir.model"].search([("model", "=", name)]).id,
            })
        employee = cls.env.ref("base.group_user")

        def user(login):
            return cls.env["res.users"].create({
                "name": login.title(), "login": "eng_" + login, "email": "%s@example.invalid" % login,
                "groups_id": [(6, 0, employee.ids)], "tz": "UTC"})
        cls.author, cls.anna, cls.boris, cls.vera, cls.boss = [
            user(login) for login in ("author", "anna", "boris", "vera", "boss")]
        cls.group = cls.env["res.groups"].create({"name": "Engine approvers",
                                                  "users": [(6, 0, (cls.anna | cls.boris).ids)]})
        # Only the tester's routes apply to the tester: other models' routes
        # are left as they are.
        cls.Route = cls.env["deal.approval.route"]

    @classmethod
    def tearDownClass(cls):
        teardown_test_models(cls.env, TESTER_MODELS)
        super(TestApprovalEngine, cls).tearDownClass()

    def setUp(self):
        super(TestApprovalEngine, self).setUp()
        del EVENTS[:]

    def route(self, steps, **values):
        vals = {"name": "Tester route", "model_name": "deal.approval.tester", "remind_hours": 0,
                "escalate_hours": 0, "step_ids": [(0, 0, step) for step in steps]}
        vals.update(values)
        return self.Route.create(vals)

    def user_step(self, user, sequence=10, **values):
        return dict(values, approver_type="user", user_id=user.id, sequence=sequence)

    def document(self, amount=100.0, **values):
        return self.env["deal.approval.tester"].sudo(self.author).create(
            dict(values, name="Doc", amount=amount))

    def started(self, **values):
        doc = self.document(**values)
        doc._approval_start()
        return doc

    def decide(self, doc, user, approve=True):
        record = doc.sudo(user)
        return record._approval_approve("ok") if approve else record._approval_reject("no")

    def pending(self, doc):
        return doc._approval_pending().mapped("approver_id")

    def test_steps_run_in_order(self):
        self.route([self.user_step(self.anna, 10), self.user_step(self.boris, 20)])
        doc = self.started()
        self.assertEqual((doc.state, doc.version), ("to_approve", 1))
        self.assertEqual(self.pending(doc), self.anna)
        self.assertEqual(EVENTS, [("ask", "eng_anna")])
        with self.assertRaises(AccessError):
            self.decide(doc, self.boris)
        self.decide(doc, self.anna)
        self.assertEqual((doc.state, self.pending(doc)), ("to_approve", self.boris))
        self.decide(doc, self.boris)
        self.assertEqual(doc.state, "done")
        self.assertEqual(doc.review_ids.mapped("state"), ["approved", "approved"])
        self.assertTrue(doc.decision_date)

    def test_same_order_runs_in_parallel_across_routes(self):
        self.route([self.user_step(self.anna, 10)])
        self.route([self.user_step(self.boris, 10), self.user_step(self.vera, 20)], name="Second")
        doc = self.started()
        self.assertEqual(self.pending(doc), self.anna | self.boris)
        self.decide(doc, self.boris)
        self.assertEqual((doc.state, self.pending(doc)), ("to_approve", self.anna))
        self.decide(doc, self.anna)
        self.assertEqual(self.pending(doc), self.vera)
        self.assertEqual(sorted(set(doc.review_ids.mapped("sequence"))), [1, 2])

    def test_group_any_one_of(self):
        self.route([{"approver_type": "group", "group_id": self.group.id, "mode": "any", "sequence": 10}])
        doc = self.started()
        self.assertEqual(self.pending(doc), self.anna | self.boris)
        self.decide(doc, self.boris)
        self.assertEqual(doc.state, "done")
        states = {r.approver_id: r.state for r in doc.review_ids}
        self.assertEqual(states, {self.boris: "approved", self.anna: "superseded"})

    def test_group_all_of(self):
        self.route([{"approver_type": "group", "group_id": self.group.id, "mode": "all", "sequence": 10}])
        doc = self.started()
        self.decide(doc, self.boris)
        self.assertEqual((doc.state, self.pending(doc)), ("to_approve", self.anna))
        self.decide(doc, self.anna)
        self.assertEqual(doc.state, "done")

    def test_amount_conditions(self):
        self.route([self.user_step(self.anna, 10, amount_to=1000.0),
                    self.user_step(self.boris, 20, amount_from=1000.0)])
        self.assertEqual(self.started(amount=999.99).review_ids.mapped("approver_id"), self.anna)
        self.assertEqual(self.started(amount=1000.0).review_ids.mapped("approver_id"), self.boris)

    def test_portal_users_never_review(self):
        portal = self.env["res.users"].create({
            "name": "Portal", "login": "eng_portal", "email": "portal@example.invalid",
            "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)]})
        self.group.users = [(4, portal.id)]
        self.route([{"approver_type": "group", "group_id": self.group.id, "mode": "all", "sequence": 10},
                    self.user_step(portal, 20)])
        today = fields.Date.context_today(self.env["deal.approval.tester"])
        self.env["deal.approval.substitute"].create({"user_id": self.anna.id, "substitute_id": portal.id,
                                                     "date_from": today, "date_to": today})
        doc = self.started()
        self.assertEqual(doc.review_ids.mapped("approver_id"), self.anna | self.boris)
        self.assertFalse(doc.review_ids.mapped("delegated_from_id"))

    def test_inactive_route_and_other_model_do_not_apply(self):
        self.route([self.user_step(self.anna)], active=False)
        self.route([self.user_step(self.boris)], model_name="deal.approval.request")
        self.route([self.user_step(self.vera)])
        self.assertEqual(self.started().review_ids.mapped("approver_id"), self.vera)

    def test_author_never_reviews_and_nobody_left_is_an_error(self):
        self.route([self.user_step(self.author, 10), self.user_step(self.anna, 20)])
        doc = self.started()
        self.assertEqual(doc.review_ids.mapped("approver_id"), self.anna)
        lonely = self.document()
        self.route([self.user_step(self.author)], model_name="deal.approval.tester", name="Only him")
        self.env["deal.approval.route"].search([("model_name", "=", "deal.approval.tester"),
                                                ("name", "=", "Tester route")]).write({"active": False})
        with self.assertRaisesRegex(UserError, "Nobody but the author"):
            lonely._approval_start()
        # The document's head decides what no route gives anyone else.
        lonely.head_id = self.boss
        lonely._approval_start()
        self.assertEqual(lonely.review_ids.mapped("approver_id"), self.boss)

    def test_the_author_does_not_decide_even_holding_a_review(self):
        self.route([self.user_step(self.anna)])
        doc = self.started()
        doc.user_id = self.anna  # the document changed hands while waiting
        with self.assertRaisesRegex(AccessError, "your own request"):
            self.decide(doc, self.anna)
        self.assertEqual(doc.state, "to_approve")

    def test_reject_closes_the_version_and_a_new_one_starts(self):
        self.route([self.user_step(self.anna, 10), self.user_step(self.boris, 10),
                    self.user_step(self.vera, 20)])
        doc = self.started()
        self.decide(doc, self.anna, approve=False)
        self.assertEqual(doc.state, "refused")
        self.assertEqual(sorted(doc.review_ids.mapped("state")), ["rejected", "superseded", "superseded"])
        with self.assertRaises(UserError):
            self.decide(doc, self.boris)
        doc._approval_start()
        self.assertEqual((doc.version, self.pending(doc)), (2, self.anna | self.boris))
        self.assertEqual(len(doc.review_ids), 6)

    def test_reviews_are_written_by_the_engine_only(self):
        self.route([self.user_step(self.anna)])
        doc = self.started()
        with self.assertRaises(AccessError):
            doc.review_ids.sudo(self.anna).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["deal.approval.tester.review"].sudo(self.author).create({
                "tester_id": doc.id, "approver_id": self.author.id, "version": 1})
        with self.assertRaises(AccessError):
            doc.review_ids.sudo(self.anna).with_context(deal_approval_trusted=True).write({"state": "approved"})

    def test_substitute_decides_and_history_says_so(self):
        self.route([self.user_step(self.anna)])
        today = fields.Date.context_today(self.env["deal.approval.tester"])
        Substitute = self.env["deal.approval.substitute"]
        Substitute.sudo(self.anna).create({"substitute_id": self.vera.id, "date_from": today, "date_to": today})
        doc = self.started()
        review = doc.review_ids
        self.assertEqual((review.approver_id, review.delegated_from_id), (self.vera, self.anna))
        with self.assertRaises(AccessError):
            self.decide(doc, self.anna)
        self.decide(doc, self.vera)
        self.assertEqual(doc.state, "done")

    def test_substitution_out_of_its_dates_or_naming_the_author_does_nothing(self):
        self.route([self.user_step(self.anna)])
        day = datetime.utcnow().date()
        Substitute = self.env["deal.approval.substitute"]
        Substitute.sudo(self.anna).create({
            "substitute_id": self.vera.id, "date_from": fields.Date.to_string(day + timedelta(days=2)),
            "date_to": fields.Date.to_string(day + timedelta(days=9))})
        self.assertEqual(self.started().review_ids.approver_id, self.anna)
        Substitute.sudo(self.anna).create({
            "substitute_id": self.author.id, "date_from": fields.Date.to_string(day - timedelta(days=1)),
            "date_to": fields.Date.to_string(day + timedelta(days=1))})
        self.assertEqual(self.started().review_ids.approver_id, self.anna)

    def test_reminder_then_escalation_in_working_hours(self):
        route = self.route([self.user_step(self.anna)], remind_hours=4, escalate_hours=12,
                           escalate_to_id=self.boss.id)
        doc = self.started()
        review = doc.review_ids
        # Asked on Monday 2030-01-07 at 09:00 UTC (the approvers' zone).
        self.env.cr.execute("UPDATE deal_approval_tester_review SET date_start = %s WHERE id = %s",
                            ("2030-01-07 09:00:00", review.id))
        review.invalidate_cache()
        Tester = self.env["deal.approval.tester"]
        del EVENTS[:]
        Tester._approval_cron(now=datetime(2030, 1, 7, 12, 0))  # 3 working hours
        self.assertEqual(EVENTS, [])
        Tester._approval_cron(now=datetime(2030, 1, 7, 13, 30))  # 4.5
        self.assertEqual(EVENTS, [("remind", "eng_anna")])
        self.assertTrue(review.reminded_date)
        Tester._approval_cron(now=datetime(2030, 1, 7, 17, 0))  # reminded once only
        self.assertEqual(len(EVENTS), 1)
        # The night does not count: Monday 9 hours, Tuesday from 9:00.
        Tester._approval_cron(now=datetime(2030, 1, 8, 11, 59))  # 9 + 2.98 < 12
        self.assertEqual(doc.state, "to_approve")
        self.assertEqual(self.pending(doc), self.anna)
        Tester._approval_cron(now=datetime(2030, 1, 8, 12, 0))  # 12 working hours
        self.assertEqual(EVENTS[-1], ("escalate", "eng_boss"))
        self.assertEqual(review.state, "escalated")
        new = doc._approval_pending()
        self.assertEqual((new.approver_id, new.escalated_from_id, new.route_id), (self.boss, self.anna, route))
        with self.assertRaises(AccessError):
            self.decide(doc, self.anna)
        self.decide(doc, self.boss)
        self.assertEqual(doc.state, "done")

    def test_working_hours_skip_nights_and_weekends(self):
        from odoo.addons.deal_approval.models.common import working_hours
        friday_evening, monday_morning = datetime(2030, 1, 11, 17, 0), datetime(2030, 1, 14, 10, 0)
        self.assertEqual(working_hours(friday_evening, monday_morning, "UTC"), 2.0)
        # 09:00 in Moscow is 06:00 UTC.
        self.assertEqual(working_hours(datetime(2030, 1, 14, 6, 0), datetime(2030, 1, 14, 7, 30),
                                       "Europe/Moscow"), 1.5)
        self.assertEqual(working_hours(monday_morning, friday_evening, "UTC"), 0.0)

    def test_route_resolution_is_one_query(self):
        self.route([self.user_step(self.anna, 10), self.user_step(self.boris, 20),
                    {"approver_type": "group", "group_id": self.group.id, "mode": "all", "sequence": 30}])
        self.route([self.user_step(self.vera, 10, amount_from=5.0)], name="Second")
        doc = self.document()
        doc._approval_plan()  # warm the caches of users and substitutes
        executed = []
        original = type(self.env.cr).execute

        def spy(cursor, query, params=None, log_exceptions=None):
            executed.append(query)
            return original(cursor, query, params, log_exceptions)
        from unittest import mock
        with mock.patch.object(type(self.env.cr), "execute", spy):
            plan = doc._approval_plan()
        self.assertEqual([item["approver"] for item in plan], [self.anna, self.vera, self.boris])
        self.assertEqual(len([q for q in executed if "deal_approval_route_step" in q]), 1)
