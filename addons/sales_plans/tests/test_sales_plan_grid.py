# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import OPEN_YEAR, SalesPlanCase


class TestSalesPlanGrid(SalesPlanCase):

    def grid(self, **values):
        Grid = self.env["sales.plan.grid"].sudo(self.head).with_context(
            default_year=str(OPEN_YEAR), default_team_id=self.team.id)
        return Grid.create(dict(Grid.default_get(list(Grid._fields)), **values))

    def test_grid_shows_team_by_months_and_saves(self):
        self.plan(self.seller, self.period("month", OPEN_YEAR, 1), 1000, 1)
        grid = self.grid()
        self.assertEqual(len(grid.amount_line_ids), 2 * 12)
        self.assertEqual(len(grid.count_line_ids), 2 * 12)
        self.assertEqual(grid.amount_line_ids.mapped("user_id"), self.leader | self.seller)
        cell = grid.amount_line_ids.filtered(
            lambda l: l.user_id == self.seller and l.date_range_id == self.period("month", OPEN_YEAR, 1))
        self.assertEqual(cell.value, 1000)
        cell.value = 5000
        grid.amount_line_ids.filtered(
            lambda l: l.user_id == self.leader and l.date_range_id == self.period("month", OPEN_YEAR, 3)
        ).value = 7000
        grid.action_apply()
        plans = self.Plan.search([("user_id", "in", (self.leader | self.seller).ids),
                                  ("date_start", ">=", "%d-01-01" % OPEN_YEAR)])
        self.assertEqual(len(plans), 2, "empty cells make no plan")
        self.assertEqual(sorted(plans.mapped("amount_target")), [5000, 7000])

    def test_copy_previous_fills_the_row(self):
        grid = self.grid(period_kind="quarter")
        grid._onchange_grid()
        self.assertEqual(len(grid.amount_line_ids), 2 * 4)
        q1 = grid.amount_line_ids.filtered(
            lambda l: l.user_id == self.seller and l.date_range_id == self.period("quarter", OPEN_YEAR, 1))
        q1.value = 300
        grid.action_copy_previous()
        seller_cells = grid.amount_line_ids.filtered(lambda l: l.user_id == self.seller)
        self.assertEqual(seller_cells.mapped("value"), [300] * 4)
        grid.action_apply()
        self.assertEqual(self.Plan.search_count([("user_id", "=", self.seller.id),
                                                 ("period_kind", "=", "quarter"),
                                                 ("date_start", ">=", "%d-01-01" % OPEN_YEAR)]), 4)
