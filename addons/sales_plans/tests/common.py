# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests.common import SavepointCase

# Years without demo or benchmark data: an open one, a closed one.
OPEN_YEAR = date.today().year + 2
CLOSED_YEAR = date.today().year - 6


class SalesPlanCase(SavepointCase):
    """Two teams of their own, a head, a leader and three salespeople, and
    the plan periods of a future (open) and a past (closed) year, far from
    the demo data."""

    @classmethod
    def setUpClass(cls):
        super(SalesPlanCase, cls).setUpClass()
        env = cls.env(context=dict(cls.env.context, no_reset_password=True, tracking_disable=True))
        cls.env = env
        salesman = env.ref("sales_team.group_sale_salesman")
        head_group = env.ref("sales_team.group_sale_manager")
        Users = env["res.users"]

        def user(login, group):
            return Users.create({"name": login.title(), "login": login, "email": "%s@test.example" % login,
                                 "groups_id": [(6, 0, [group.id])]})
        cls.head = user("sp_head", head_group)
        cls.leader = user("sp_leader", salesman)
        cls.seller = user("sp_seller", salesman)
        cls.other = user("sp_other", salesman)
        cls.team = env["crm.team"].create({"name": "SP team A", "user_id": cls.leader.id})
        cls.team_b = env["crm.team"].create({"name": "SP team B"})
        (cls.leader | cls.seller).write({"sale_team_id": cls.team.id})
        cls.other.sale_team_id = cls.team_b
        env["date.range.type"].sales_plan_ensure_ranges([CLOSED_YEAR, OPEN_YEAR])
        cls.Plan = env["sales.plan"]
        cls.Report = env["sales.plan.report"]
        cls.won_stage = env["crm.stage"].search([("probability", "=", 100)], limit=1)
        cls.open_stage = env["crm.stage"].search([("probability", "<", 100), ("probability", ">", 0)], limit=1)

    @classmethod
    def period(cls, kind, year, number=1):
        """The number-th period of the kind in the year (1-based)."""
        ranges = cls.env["date.range"].search([
            ("type_id.sales_plan_kind", "=", kind),
            ("date_start", ">=", "%d-01-01" % year), ("date_end", "<=", "%d-12-31" % year)],
            order="date_start")
        return ranges[number - 1]

    @classmethod
    def plan(cls, subject, period, amount=0.0, count=0):
        values = {"date_range_id": period.id, "amount_target": amount, "count_target": count}
        if subject._name == "res.users":
            values.update(user_id=subject.id, team_id=subject.sale_team_id.id)
        else:
            values["team_id"] = subject.id
        return cls.Plan.create(values)

    @classmethod
    def won_deal(cls, user, revenue, day):
        lead = cls.env["crm.lead"].create({
            "name": "Deal %s %s" % (user.login, day), "type": "opportunity",
            "user_id": user.id, "team_id": user.sale_team_id.id, "planned_revenue": revenue,
            "stage_id": cls.won_stage.id, "probability": 100,
        })
        lead.write({"date_closed": "%s 12:00:00" % day})
        return lead

    def row(self, subject, period, user=None):
        """The report row of a salesperson or team for a period."""
        Report = self.Report.sudo(user) if user else self.Report
        domain = [("date_range_id", "=", period.id)]
        if subject._name == "res.users":
            domain += [("subject", "=", "user"), ("user_id", "=", subject.id)]
        else:
            domain += [("subject", "=", "team"), ("team_id", "=", subject.id)]
        return Report.search(domain)
