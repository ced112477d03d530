# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import SalesControlCase


class TestEfficiency(SalesControlCase):

    def test_many_touches_few_wins_is_flagged(self):
        env = self.env
        Touch = env["sales.touch"]
        won_stage = env["crm.stage"].search([("probability", "=", 100)], limit=1) or env["crm.stage"].create(
            {"name": "Won", "probability": 100})
        date = "2026-03-10 12:00:00"
        # leader: 2 won deals with 4 touches; member: 1 won, 20 touches
        for user, wins, touches in ((self.leader, 2, 4), (self.member, 1, 20)):
            for n in range(wins):
                env["crm.lead"].create({"name": "Won %s %d" % (user.login, n), "type": "opportunity",
                                        "user_id": user.id, "team_id": self.team.id, "planned_revenue": 1000,
                                        "stage_id": won_stage.id, "probability": 100, "date_closed": date})
            for _n in range(touches):
                Touch._record({"touch_type": "call", "user_id": user.id, "team_id": self.team.id, "date": date})
        rows = env["sales.efficiency.report"].sudo(self.head).compute_efficiency(
            "2026-03-01", "2026-03-31", self.team.id)
        by_user = {row["user_id"]: row for row in rows}
        self.assertEqual(by_user[self.member.id]["touch_count"], 20)
        self.assertEqual(by_user[self.member.id]["won_count"], 1)
        self.assertEqual(by_user[self.leader.id]["touches_per_won"], 2.0)
        self.assertEqual(by_user[self.leader.id]["revenue_won"], 2000)
        self.assertTrue(by_user[self.member.id]["flagged"])
        self.assertFalse(by_user[self.leader.id]["flagged"])
        wizard = env["sales.efficiency.wizard"].sudo(self.head).create(
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "team_id": self.team.id})
        self.assertEqual(wizard.line_ids.filtered("flagged").user_id, self.member)
        # A salesman computing it sees only his own line.
        rows = env["sales.efficiency.report"].sudo(self.member).compute_efficiency("2026-03-01", "2026-03-31")
        self.assertEqual([row["user_id"] for row in rows], [self.member.id])

    def test_a_user_without_team_is_never_flagged(self):
        """The head's own calls have no team median to be compared with."""
        self.head.sale_team_id = False
        for _n in range(5):
            self.env["sales.touch"]._record({"touch_type": "call", "user_id": self.head.id,
                                            "date": "2026-05-05 10:00:00"})
        rows = self.env["sales.efficiency.report"].sudo(self.head).compute_efficiency("2026-05-01", "2026-05-31")
        head_row = [row for row in rows if row["user_id"] == self.head.id]
        self.assertEqual(head_row[0]["touch_count"], 5)
        self.assertFalse(head_row[0]["flagged"])

    def test_groups_come_sorted_by_manager_name_without_joins(self):
        Touch = self.env["sales.touch"]
        for user in (self.other, self.member, self.leader):
            Touch._record({"touch_type": "call", "user_id": user.id, "date": "2026-04-01 10:00:00"})
        domain = [("user_id", "in", [self.other.id, self.member.id, self.leader.id])]
        groups = Touch.sudo(self.head).read_group(domain, ["user_id", "date"], ["user_id", "date:day"], lazy=False)
        names = [g["user_id"][1] for g in groups]
        self.assertEqual(names, sorted(names, key=str.lower))
        self.assertEqual(sum(g["__count"] for g in groups), 3)
        report = self.env["sales.efficiency.report"].sudo(self.head).read_group(
            domain, ["user_id", "touch_count"], ["user_id"])
        self.assertEqual([g["user_id"][1] for g in report], sorted(names, key=str.lower))
