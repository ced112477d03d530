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
                Touch.record({"touch_type": "call", "user_id": user.id, "team_id": self.team.id, "date": date})
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
