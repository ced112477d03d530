# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import CLOSED_YEAR, OPEN_YEAR, SalesPlanCase


class TestSalesPlan(SalesPlanCase):

    def test_periods_created(self):
        """Month, quarter, half-year and year ranges exist, once each."""
        Range = self.env["date.range"]
        for kind, count in (("month", 12), ("quarter", 4), ("half", 2), ("year", 1)):
            ranges = Range.search([("type_id.sales_plan_kind", "=", kind),
                                   ("date_start", ">=", "%d-01-01" % OPEN_YEAR),
                                   ("date_end", "<=", "%d-12-31" % OPEN_YEAR)])
            self.assertEqual(len(ranges), count, kind)
        self.assertFalse(self.env["date.range.type"].sales_plan_ensure_ranges([OPEN_YEAR]))
        self.assertEqual(self.period("quarter", OPEN_YEAR, 2).date_end, "%d-06-30" % OPEN_YEAR)

    def test_one_plan_per_subject_and_period(self):
        month = self.period("month", OPEN_YEAR)
        self.plan(self.seller, month, 100000)
        with self.assertRaisesRegex(ValidationError, "already a plan|уже есть план"):
            self.plan(self.seller, month, 50000)
        # Another salesperson, the team itself and another period are fine.
        self.plan(self.leader, month, 100000)
        self.plan(self.team, month, 300000)
        with self.assertRaisesRegex(ValidationError, "already a plan|уже есть план"):
            self.plan(self.team, month, 1)
        other = self.plan(self.seller, self.period("month", OPEN_YEAR, 2), 1)
        with self.assertRaisesRegex(ValidationError, "already a plan|уже есть план"):
            other.date_range_id = month

    def test_not_negative(self):
        month = self.period("month", OPEN_YEAR)
        with self.assertRaises(ValidationError):
            self.plan(self.seller, month, -1.0)
        with self.assertRaises(ValidationError):
            self.plan(self.seller, month, 0.0, -2)

    def test_member_of_named_team(self):
        month = self.period("month", OPEN_YEAR)
        with self.assertRaisesRegex(ValidationError, "not a member|не входит"), self.cr.savepoint():
            self.Plan.create({"user_id": self.other.id, "team_id": self.team.id,
                              "date_range_id": month.id, "amount_target": 1})
        plan = self.Plan.create({"user_id": self.other.id, "date_range_id": month.id})
        self.assertEqual(plan.team_id, self.team_b, "the salesperson's own team by default")

    def test_only_head_writes(self):
        month = self.period("month", OPEN_YEAR)
        with self.assertRaises(AccessError):
            self.Plan.sudo(self.leader).create({"user_id": self.seller.id, "date_range_id": month.id})
        plan = self.Plan.sudo(self.head).create({"user_id": self.seller.id, "date_range_id": month.id,
                                                 "amount_target": 10})
        with self.assertRaises(AccessError):
            plan.sudo(self.seller).write({"amount_target": 20})

    def test_closed_period_locked_except_head(self):
        closed = self.plan(self.seller, self.period("month", CLOSED_YEAR), 100)
        self.assertTrue(closed.locked)
        # A team leader changes no plan, of a closed period or any other...
        with self.assertRaisesRegex(AccessError, "head of sales|руководитель"):
            closed.sudo(self.leader).write({"amount_target": 1})
        # ...the head changes even a closed one.
        closed.sudo(self.head).write({"amount_target": 200})
        self.assertEqual(closed.amount_target, 200)
        self.assertFalse(self.plan(self.seller, self.period("month", OPEN_YEAR), 1).locked)

    def test_spread_quarter_over_months(self):
        quarter = self.plan(self.seller, self.period("quarter", OPEN_YEAR, 2), 1000000, 7)
        self.plan(self.seller, self.period("month", OPEN_YEAR, 5), 1)  # overwritten
        quarter.action_spread_to_months()
        months = self.Plan.search([("user_id", "=", self.seller.id), ("period_kind", "=", "month"),
                                   ("date_start", ">=", quarter.date_start),
                                   ("date_end", "<=", quarter.date_end)], order="date_start")
        self.assertEqual(len(months), 3)
        self.assertAlmostEqual(sum(months.mapped("amount_target")), 1000000, places=2)
        self.assertEqual(months.mapped("count_target"), [3, 2, 2])
        with self.assertRaises(UserError):
            months[0].action_spread_to_months()


class TestDealCredit(SalesPlanCase):

    def test_credit_at_win_kept_on_reassign_cleared_on_reopen(self):
        lead = self.won_deal(self.seller, 500000, "%d-03-10" % OPEN_YEAR)
        self.assertTrue(lead.plan_credited)
        self.assertEqual(lead.plan_user_id, self.seller)
        self.assertEqual(lead.plan_team_id, self.team)
        lead.user_id = self.other
        self.assertEqual(lead.plan_user_id, self.seller, "credit stays with who won it")
        lead.write({"stage_id": self.open_stage.id})
        self.assertFalse(lead.plan_credited)
        self.assertFalse(lead.plan_user_id)

    def test_credit_of_several_deals_won_at_once(self):
        leads = self.env["crm.lead"].browse()
        for user in (self.seller, self.seller, self.other):
            leads |= self.env["crm.lead"].create({
                "name": "Batch %s" % user.login, "type": "opportunity", "user_id": user.id,
                "team_id": user.sale_team_id.id, "stage_id": self.open_stage.id})
        leads.write({"stage_id": self.won_stage.id})
        self.assertEqual(leads.mapped("plan_credited"), [True] * 3)
        self.assertEqual([(lead.plan_user_id, lead.plan_team_id) for lead in leads],
                         [(self.seller, self.team), (self.seller, self.team), (self.other, self.team_b)])
        leads.write({"stage_id": self.open_stage.id})
        self.assertFalse(any(leads.mapped("plan_credited")) or leads.mapped("plan_user_id"))
