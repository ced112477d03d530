# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import DealApprovalCase


class TestDealApprovalSecurity(DealApprovalCase):

    def test_salesman_cannot_write_state(self):
        request = self.new_request()
        with self.assertRaises(AccessError):
            request.sudo(self.seller).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["deal.approval.request"].sudo(self.seller).create({
                "lead_id": self.lead.id, "state": "approved", "amount": 1.0})
        # A context key sent over RPC cannot open the guard.
        with self.assertRaises(AccessError):
            request.sudo(self.seller).with_context(deal_approval_trusted=True).write({"state": "approved"})

    def test_author_cannot_approve_own(self):
        request = self.new_waiting_request(user=self.head, amount=2500000.0)
        with self.assertRaises(AccessError):
            request.sudo(self.head).action_approve()

    def test_non_approver_cannot_decide(self):
        request = self.new_waiting_request()
        for user in (self.seller, self.findir):
            with self.assertRaises(AccessError):
                request.sudo(user).action_approve()
            with self.assertRaises(AccessError):
                request.sudo(user).action_reject("нет")
        self.assertEqual(request.state, "waiting")

    def test_second_approver_waits_for_head(self):
        request = self.new_waiting_request(amount=2500000.0)
        with self.assertRaises(AccessError):
            request.sudo(self.findir).action_approve()

    def test_steps_are_history(self):
        request = self.new_waiting_request()
        with self.assertRaises(AccessError):
            request.step_ids.sudo(self.head).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["deal.approval.step"].sudo(self.seller).create({
                "request_id": request.id, "approver_id": self.seller.id, "version": 1})

    def test_visibility(self):
        mine = self.new_request()
        their_lead = self.lead.copy({"user_id": self.other.id})
        theirs = self.new_request(user=self.other, lead_id=their_lead.id)
        Request = self.env["deal.approval.request"]
        self.assertEqual(Request.sudo(self.seller).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(Request.sudo(self.head).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        self.assertFalse(Request.sudo(self.findir).search([("id", "in", (mine | theirs).ids)]))
        mine.action_submit()
        theirs.sudo(self.other).write({"amount": 3000000.0})
        theirs.sudo(self.other).action_submit()
        self.assertEqual(Request.sudo(self.findir).search([("id", "in", (mine | theirs).ids)]), theirs)
        with self.assertRaises(AccessError):
            theirs.sudo(self.seller).write({"discount": 1.0})

    def test_other_cannot_edit_document(self):
        request = self.new_request()
        with self.assertRaises(AccessError):
            request.sudo(self.findir).write({"amount": 1.0})
