# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import OPEN_YEAR, SalesPlanCase


class TestSalesPlanGrid(SalesPlanCase):

    def grid(self, **values):
        Grid = self.env["sales.plan.grid"].sudo(self.head)
        action = Grid.action_open()
        grid = Grid.browse(action["res_id"])
        grid.write(dict({"year": str(OPEN_YEAR), "team_id": self.team.id}, **values))
        grid.action_refresh()
        return grid

    def cell(self, grid, user, kind, number):
        period = self.period(kind, OPEN_YEAR, number)
        return grid.line_ids.filtered(lambda l: l.user_id == user and l.date_range_id == period)

    def test_grid_shows_team_by_months_and_saves(self):
        self.plan(self.seller, self.period("month", OPEN_YEAR, 1), 1000, 1)
        grid = self.grid()
        self.assertEqual(len(grid.line_ids), 2 * 12)
        self.assertEqual(grid.line_ids.mapped("user_id"), self.leader | self.seller)
        self.assertEqual(grid.line_ids[0].period_label, self.period("month", OPEN_YEAR, 1).name)
        self.assertEqual(self.cell(grid, self.seller, "month", 1).value, 1000)
        self.cell(grid, self.seller, "month", 1).value = 5000
        self.cell(grid, self.leader, "month", 3).value = 7000
        grid.action_apply()
        plans = self.Plan.search([("user_id", "in", (self.leader | self.seller).ids),
                                  ("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(len(plans), 2, "empty cells make no plan")
        self.assertEqual(sorted(plans.mapped("amount_target")), [5000, 7000])
        # The deals grid of the same plans: counts are kept apart.
        grid.write({"measure": "count"})
        grid.action_refresh()
        self.assertEqual(self.cell(grid, self.seller, "month", 1).value, 1)
        self.cell(grid, self.leader, "month", 3).value = 4
        grid.action_apply_close()
        leader_plan = plans.filtered(lambda p: p.user_id == self.leader)
        self.assertEqual((leader_plan.amount_target, leader_plan.count_target), (7000, 4))

    def test_copy_previous_fills_the_row(self):
        grid = self.grid(period_kind="quarter")
        self.assertEqual(len(grid.line_ids), 2 * 4)
        self.cell(grid, self.seller, "quarter", 1).value = 300
        grid.action_copy_previous()
        seller_cells = grid.line_ids.filtered(lambda l: l.user_id == self.seller)
        self.assertEqual(seller_cells.mapped("value"), [300] * 4)
        grid.action_apply()
        self.assertEqual(self.Plan.search_count([("user_id", "=", self.seller.id),
                                                 ("period_kind", "=", "quarter"),
                                                 ("date_start", ">=", "%d-01-01" % OPEN_YEAR)]), 4)

    def test_only_the_head_opens_the_grid(self):
        with self.assertRaises(AccessError):
            self.env["sales.plan.grid"].sudo(self.leader).action_open()
