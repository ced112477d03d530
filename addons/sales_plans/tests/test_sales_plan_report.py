# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

from .common import OPEN_YEAR, SalesPlanCase


class TestSalesPlanReport(SalesPlanCase):

    @classmethod
    def setUpClass(cls):
        super(TestSalesPlanReport, cls).setUpClass()
        cls.jan, cls.feb, cls.mar = (cls.period("month", OPEN_YEAR, n) for n in (1, 2, 3))
        cls.q1 = cls.period("quarter", OPEN_YEAR, 1)
        cls.h1 = cls.period("half", OPEN_YEAR, 1)
        for month, amount in ((cls.jan, 100000), (cls.feb, 200000), (cls.mar, 300000)):
            cls.plan(cls.seller, month, amount, 2)
            cls.plan(cls.leader, month, 50000, 1)
        cls.plan(cls.leader, cls.q1, 400000, 5)  # entered: wins over its months
        cls.plan(cls.team, cls.feb, 1000000, 10)  # the team's own February
        cls.plan(cls.other, cls.jan, 70000, 1)
        cls.deal = cls.won_deal(cls.seller, 150000, "%d-01-15" % OPEN_YEAR)
        cls.won_deal(cls.seller, 60000, "%d-02-01" % OPEN_YEAR)
        cls.won_deal(cls.leader, 80000, "%d-01-31" % OPEN_YEAR)
        cls.won_deal(cls.other, 10000, "%d-01-20" % OPEN_YEAR)

    def test_actuals_and_fulfilment(self):
        row = self.row(self.seller, self.jan)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.plan_amount, row.actual_amount, row.actual_count), (100000, 150000, 1))
        self.assertAlmostEqual(row.fulfilment, 150.0)
        self.assertEqual(row.remainder_amount, 0, "never below zero")
        feb = self.row(self.seller, self.feb)
        self.assertEqual((feb.actual_amount, feb.remainder_amount, feb.remainder_count), (60000, 140000, 1))
        self.assertEqual(feb.plan_source, "entered")

    def test_sums_of_months_and_members(self):
        q1 = self.row(self.seller, self.q1)
        self.assertEqual((q1.plan_source, q1.plan_amount, q1.plan_count), ("months", 600000, 6))
        self.assertEqual(q1.actual_amount, 210000)
        leader_q1 = self.row(self.leader, self.q1)
        self.assertEqual((leader_q1.plan_source, leader_q1.plan_amount), ("entered", 400000))
        team_jan = self.row(self.team, self.jan)
        self.assertEqual((team_jan.plan_source, team_jan.plan_amount), ("members", 150000))
        self.assertEqual(team_jan.actual_amount, 230000)
        team_feb = self.row(self.team, self.feb)
        self.assertEqual((team_feb.plan_source, team_feb.plan_amount), ("entered", 1000000))
        team_q1 = self.row(self.team, self.q1)
        self.assertEqual((team_q1.plan_source, team_q1.plan_amount), ("months", 150000 + 1000000 + 350000))
        self.assertEqual(self.row(self.team, self.h1).plan_amount, 1500000)

    def test_deal_moved_out_of_won_leaves_actuals(self):
        self.deal.write({"stage_id": self.open_stage.id})
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.actual_amount, row.actual_count), (0, 0))

    def test_credit_stays_with_who_won(self):
        self.deal.user_id = self.other
        self.assertEqual(self.row(self.seller, self.jan).actual_amount, 150000)
        self.assertEqual(self.row(self.other, self.jan).actual_amount, 10000)

    def open_deal(self, user, revenue, probability, deadline, **values):
        return self.env["crm.lead"].create(dict({
            "name": "Open %s %s" % (user.login, deadline), "type": "opportunity",
            "user_id": user.id, "team_id": user.sale_team_id.id, "planned_revenue": revenue,
            "stage_id": self.open_stage.id, "probability": probability, "date_deadline": deadline,
        }, **values))

    def test_pipeline_weighs_open_deals_of_the_period(self):
        self.open_deal(self.seller, 100000, 40, "%d-02-10" % OPEN_YEAR)
        self.open_deal(self.seller, 50000, 10, "%d-03-10" % OPEN_YEAR)
        feb = self.row(self.seller, self.feb)
        self.assertAlmostEqual(feb.pipeline_amount, 40000)
        self.assertAlmostEqual(feb.forecast_amount, 60000 + 40000)
        self.assertAlmostEqual(self.row(self.seller, self.q1).pipeline_amount, 45000)
        self.assertAlmostEqual(self.row(self.team, self.q1).pipeline_amount, 45000)
        self.assertAlmostEqual(self.row(self.other, self.jan).pipeline_amount, 0)

    def test_pipeline_and_actuals_credit_alike(self):
        """One rule says who a deal counts for and whether it is won: a won
        deal handed to a colleague and re-weighted by the head stays the
        winner's actual and is nobody's pipeline."""
        closed = self.deal.date_closed
        self.deal.write({"user_id": self.other.id, "team_id": self.team_b.id, "probability": 50,
                         "date_deadline": "%d-01-20" % OPEN_YEAR})
        self.deal.write({"date_closed": closed})  # Odoo clears it below 100%
        self.assertEqual((self.deal.plan_user_id, self.deal.stage_id), (self.seller, self.won_stage))
        self.assertEqual(self.row(self.seller, self.jan).actual_amount, 150000)
        other = self.row(self.other, self.jan)
        self.assertEqual((other.actual_amount, other.pipeline_amount), (10000, 0))
        self.assertEqual(self.row(self.team_b, self.jan).pipeline_amount, 0)

    def test_read_group_recomputes_percentages(self):
        groups = self.Report.read_group(
            [("subject", "=", "user"), ("date_range_id", "in", [self.jan.id, self.feb.id]),
             ("user_id", "=", self.seller.id)],
            ["user_id", "plan_amount", "actual_amount", "fulfilment", "remainder_amount"], ["user_id"])
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["fulfilment"], 100.0 * 210000 / 300000)
        self.assertEqual(groups[0]["remainder_amount"], 90000)
        groups = self.Report.read_group(
            [("subject", "=", "user"), ("date_range_id", "in", [self.jan.id, self.feb.id]),
             ("user_id", "=", self.seller.id)],
            ["user_id", "plan_count", "actual_count", "count_fulfilment", "remainder_count"], ["user_id"])
        self.assertAlmostEqual(groups[0]["count_fulfilment"], 100.0 * 2 / 4)
        self.assertEqual(groups[0]["remainder_count"], 2)

    def test_salesperson_sees_only_his_rows(self):
        rows = self.Report.sudo(self.seller).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertTrue(rows)
        self.assertEqual(rows.mapped("user_id"), self.seller)
        self.assertFalse(self.row(self.leader, self.jan, user=self.seller))
        self.assertFalse(self.row(self.team, self.jan, user=self.seller))
        plans = self.Plan.sudo(self.seller).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(plans.mapped("user_id"), self.seller)
        groups = self.Report.sudo(self.seller).read_group(
            [("subject", "=", "user")], ["user_id", "plan_amount"], ["user_id"])
        self.assertEqual([g["user_id"][0] for g in groups], [self.seller.id])

    def test_leader_sees_his_team(self):
        rows = self.Report.sudo(self.leader).search([("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(rows.mapped("team_id"), self.team)
        self.assertIn(self.seller, rows.mapped("user_id"))
        self.assertTrue(self.row(self.team, self.jan, user=self.leader))
        self.assertFalse(self.row(self.other, self.jan, user=self.leader))

    def test_head_sees_all(self):
        self.assertTrue(self.row(self.other, self.jan, user=self.head))
        self.assertTrue(self.row(self.team, self.feb, user=self.head))

    def test_chart_has_plan_and_actual(self):
        chart = self.env["sales.plan.chart"].search([
            ("user_id", "=", self.seller.id), ("date_range_id", "=", self.jan.id)])
        figures = {c.figure: c.amount for c in chart}
        self.assertEqual(figures["1_plan"], 100000)
        self.assertEqual(figures["2_won"], 150000)
        seller_chart = self.env["sales.plan.chart"].sudo(self.seller).search([])
        self.assertEqual(seller_chart.mapped("user_id"), self.seller)

    def test_a_period_typed_across_months_counts_its_days(self):
        """Periods of the addon are whole months and are summed by month; a
        fiscal year typed by hand from the 15th is summed by day."""
        year_type = self.env["date.range.type"].search([("sales_plan_kind", "=", "year")], limit=1)
        first = OPEN_YEAR + 5
        fiscal = self.env["date.range"].create({
            "name": "FY %d/%d" % (first, first + 1), "type_id": year_type.id,
            "date_start": "%d-03-15" % first, "date_end": "%d-03-14" % (first + 1)})
        self.plan(self.seller, fiscal, 500000, 4)
        for day, revenue in (("%d-03-14" % first, 1), ("%d-03-15" % first, 1000),
                             ("%d-03-14" % (first + 1), 20000), ("%d-03-15" % (first + 1), 300)):
            self.won_deal(self.seller, revenue, day)
        self.Report.invalidate_cache()
        row = self.row(self.seller, fiscal)
        self.assertEqual((row.actual_amount, row.actual_count), (21000, 2))
        self.assertEqual(row.plan_source, "entered")
        team_row = self.row(self.team, fiscal)
        self.assertEqual(team_row.actual_amount, 21000)

    def test_actuals_follow_the_company_basis(self):
        """Another basis (a bridge addon's) takes the won deals out: the
        report reads only the sources of the company's basis."""
        self.env.cr.execute("UPDATE res_company SET sales_plan_actual_basis = 'received' WHERE id = %s",
                            (self.seller.company_id.id,))
        self.Report.invalidate_cache()
        row = self.row(self.seller, self.jan)
        self.assertEqual((row.plan_amount, row.actual_amount), (100000, 0))
        self.assertEqual(self.Report._actual_sources()[0].count("'won'"), 1)


class TestSalesPlanProgress(SalesPlanCase):

    def test_cumulative_line_through_the_current_month(self):
        # The view's today is the database's (CURRENT_DATE), which in Moscow
        # lags the user's by three hours after midnight (see the README).
        self.env.cr.execute("SELECT CURRENT_DATE::varchar")
        today = self.env.cr.fetchone()[0]
        self.env["date.range.type"].sales_plan_ensure_ranges([int(today[:4])])
        month = self.env["date.range"].search([
            ("type_id.sales_plan_kind", "=", "month"),
            ("date_start", "<=", today), ("date_end", ">=", today)])
        self.plan(self.other, month, 300000, 3)
        self.won_deal(self.other, 40000, month.date_start)
        self.won_deal(self.other, 2000, today)
        rows = self.env["sales.plan.progress"].search([("user_id", "=", self.other.id),
                                                       ("date_range_id", "=", month.id)])
        plan = {r.day: r.amount for r in rows if r.figure == "1_plan"}
        actual = {r.day: r.amount for r in rows if r.figure == "2_actual"}
        self.assertAlmostEqual(plan[month.date_end], 300000)
        self.assertAlmostEqual(actual[month.date_start], 40000 if today != month.date_start else 42000)
        self.assertAlmostEqual(actual[today], 42000)
        self.assertFalse([d for d in actual if d > today], "no actual after today")
        report = self.row(self.other, month)
        self.assertTrue(report.is_current)
        self.assertEqual(report.days_left, (fields.Date.from_string(month.date_end)
                                            - fields.Date.from_string(today)).days + 1)
        self.assertAlmostEqual(report.pace_amount, (300000 - 42000) / report.days_left, places=2)
        elapsed = (fields.Date.from_string(today) - fields.Date.from_string(month.date_start)).days + 1
        total = (fields.Date.from_string(month.date_end) - fields.Date.from_string(month.date_start)).days + 1
        self.assertEqual(report.behind_pace, 42000 < 300000.0 * elapsed / total)


class TestSalesPlanCompanies(SalesPlanCase):

    def test_head_of_another_company_sees_none_of_its_figures(self):
        today = fields.Date.context_today(self.Plan)
        this_month = self.env["date.range"].search([
            ("type_id.sales_plan_kind", "=", "month"), ("date_start", "<=", today), ("date_end", ">=", today)])
        self.plan(self.seller, this_month, 100000, 1)
        company = self.env["res.company"].create({"name": "SP other company"})
        stranger = self.env["res.users"].create({
            "name": "Sp Stranger", "login": "sp_stranger", "email": "sp_stranger@test.example",
            "company_id": company.id, "company_ids": [(6, 0, [company.id])],
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])]})
        domain = [("user_id", "=", self.seller.id)]
        for model in ("sales.plan.report", "sales.plan.chart", "sales.plan.progress"):
            self.assertTrue(self.env[model].sudo(self.head).search(domain), model)
            self.assertFalse(self.env[model].sudo(stranger).search(domain), model)

    def test_each_company_counts_its_own_wins(self):
        """A salesperson who works in two companies: each company's plan
        counts that company's won deals and pipeline, not the other's."""
        company_a = self.seller.company_id
        company_b = self.env["res.company"].create({"name": "SP second company"})
        self.seller.write({"company_ids": [(4, company_b.id)]})
        jan, feb = self.period("month", OPEN_YEAR, 1), self.period("month", OPEN_YEAR, 2)
        self.plan(self.seller, jan, 100000, 1)
        self.Plan.create({"user_id": self.seller.id, "team_id": False, "company_id": company_b.id,
                          "date_range_id": feb.id, "amount_target": 50000})
        for company, day, revenue in ((company_a, "01-10", 1000), (company_b, "01-11", 20000),
                                      (company_a, "02-10", 300), (company_b, "02-11", 4000)):
            self.won_deal(self.seller, revenue, "%d-%s" % (OPEN_YEAR, day)).write({"company_id": company.id})
        self.env["crm.lead"].create({
            "name": "SP open in B", "type": "opportunity", "user_id": self.seller.id,
            "team_id": self.team.id, "company_id": company_b.id, "planned_revenue": 80000,
            "stage_id": self.open_stage.id, "probability": 50, "date_deadline": "%d-01-20" % OPEN_YEAR})
        row_a = self.row(self.seller, jan)
        self.assertEqual(row_a.company_id, company_a)
        self.assertEqual((row_a.actual_amount, row_a.actual_count, row_a.pipeline_amount), (1000, 1, 0))
        self.assertEqual(self.row(self.team, jan).actual_amount, 1000)
        row_b = self.row(self.seller, feb)
        self.assertEqual(row_b.company_id, company_b)
        self.assertEqual((row_b.actual_amount, row_b.actual_count), (4000, 1))
