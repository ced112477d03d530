# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields

from .common import ReceivablesCase, doc


class TestSchedule(ReceivablesCase):

    def test_states_and_partner_totals(self):
        # The states count the user's today (in Moscow the day starts three
        # hours before it does in UTC).
        today = fields.Date.from_string(fields.Date.context_today(self.env["receivables.contract"]))
        month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        contract = self.env["receivables.contract"].create({
            "name": "RCV-S/1", "date": self.today.strftime("%Y-%m-%d"), "partner_id": self.client_b.id,
            "user_id": self.manager_b.id,
            "line_ids": [(0, 0, {"date": (self.today - timedelta(days=5)).strftime("%Y-%m-%d"), "amount": 1000}),
                         (0, 0, {"date": month_end.strftime("%Y-%m-%d"), "amount": 2000}),
                         (0, 0, {"date": (month_end + timedelta(days=40)).strftime("%Y-%m-%d"), "amount": 4000})],
        })
        lines = contract.line_ids.sorted("date")
        self.assertEqual(lines.mapped("state"), ["overdue", "due", "future"])
        self.stand_in.control(payments=[doc("p-1", "7701000022", 1500, contract=contract)])
        self.sync()
        self.assertEqual(lines.mapped("allocated"), [1000, 500, 0])
        self.assertEqual(lines.mapped("state"), ["paid", "due", "future"])
        partner = self.client_b
        partner.invalidate_cache()
        self.assertEqual(partner.receivable_debt_total, 1500 + 4000 + 70000)
        self.assertEqual(partner.receivable_due_month_total, 1500)
        self.assertEqual(self.client_a.receivable_overdue_total, 200000)
        action = partner.action_view_receivables()
        self.assertEqual(self.env["receivables.schedule.line"].search_count(action["domain"]), 4)

    def test_daily_refresh_turns_future_into_overdue(self):
        line = self.contract_b.line_ids
        self.assertEqual(line.state, "future")
        self.env.cr.execute("UPDATE receivables_schedule_line SET date = %s WHERE id = %s",
                            ((self.today - timedelta(days=1)).strftime("%Y-%m-%d"), line.id))
        line.invalidate_cache()
        self.env["receivables.schedule.line"]._cron_refresh_states()
        line.invalidate_cache()
        self.assertEqual(line.state, "overdue")

    def test_report_views_group(self):
        self.stand_in.control(payments=[doc("r-1", "7701000011", 1000, contract=self.contract_a)])
        self.sync()
        rows = self.env["receivables.report"].read_group(
            [("partner_id", "=", self.client_a.id)], ["planned", "received", "date"], ["date:month"])
        self.assertEqual(sum(r["planned"] for r in rows), 250000)
        self.assertEqual(sum(r["received"] for r in rows), 1000)
        debt = self.env["receivables.partner.debt"].search([("partner_id", "=", self.client_a.id)])
        self.assertEqual(debt.overdue, 199000)
