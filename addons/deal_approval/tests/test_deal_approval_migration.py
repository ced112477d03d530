# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.2.0.0: the settings' second-approval amount becomes the standard
route's, and the requests of before keep their history."""
import importlib.util
import os

from .common import DealApprovalCase

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "migrations", "11.0.2.0.0", "post-migrate.py")


def migration():
    spec = importlib.util.spec_from_file_location("deal_approval_post_migrate_2", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestDealApprovalMigration(DealApprovalCase):

    def test_threshold_moves_to_the_standard_route(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("deal_approval.second_threshold", "2500000.0")
        migration().migrate(self.env.cr, "11.0.1.0.0")
        self.env["deal.approval.step"].invalidate_cache()
        step = self.env.ref("deal_approval.route_default_step_finance")
        self.assertEqual(step.amount_from, 2500000.0)
        self.assertFalse(params.get_param("deal_approval.second_threshold"))
        self.assertEqual([s.approver_id for s in self.new_waiting_request(amount=2000000.0).step_ids],
                         [self.head])
        self.assertEqual(self.new_waiting_request(amount=2500000.0).step_ids.sorted("sequence").mapped(
            "approver_id.id"), [self.head.id, self.findir.id])

    def test_a_broken_threshold_keeps_the_default(self):
        self.env["ir.config_parameter"].sudo().set_param("deal_approval.second_threshold", "много")
        migration().migrate(self.env.cr, "11.0.1.0.0")
        self.env["deal.approval.step"].invalidate_cache()
        self.assertEqual(self.env.ref("deal_approval.route_default_step_finance").amount_from, 1000000.0)

    def test_former_reviews_keep_their_history(self):
        request = self.new_waiting_request(amount=2500000.0)
        request.sudo(self.head).action_approve()
        # A review of before the routes: no route (the new column "mode"
        # was filled with its default, "all", when the update added it).
        self.env.cr.execute("UPDATE deal_approval_step SET route_id = NULL, route_step_id = NULL "
                            "WHERE request_id = %s", (request.id,))
        migration().migrate(self.env.cr, "11.0.1.0.0")
        self.env["deal.approval.step"].invalidate_cache()
        self.assertEqual(request.step_ids.mapped("mode"), ["all", "all"])
        self.assertEqual(request.current_approver_id, self.findir)
        request.sudo(self.findir).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(sorted(request.step_ids.mapped("state")), ["approved", "approved"])
