# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A document that uses the approval engine and nothing else, defined only
in the tests (as OCA's tier_validation_tester): the engine is proven
without the deal approval request."""
from odoo import api, fields, models

# What the hooks were called with, for the assertions: (hook, approver login).
EVENTS = []


class ApprovalTester(models.Model):
    _name = "deal.approval.tester"
    _inherit = "deal.approval.mixin"
    _description = "Approval engine tester"
    _approval_review_model = "deal.approval.tester.review"
    _approval_review_field = "tester_id"
    _approval_reviews_field = "review_ids"
    _approval_start_states = ("draft", "refused")
    _approval_waiting_state = "to_approve"
    _approval_approved_state = "done"
    _approval_rejected_state = "refused"

    name = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("to_approve", "To approve"), ("done", "Done"),
                              ("refused", "Refused")], default="draft")
    amount = fields.Float()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    head_id = fields.Many2one("res.users")
    review_ids = fields.One2many("deal.approval.tester.review", "tester_id")

    @api.multi
    def _approval_facts(self):
        facts = super(ApprovalTester, self)._approval_facts()
        facts["amount"] = self.amount
        return facts

    def _approval_head(self):
        return self.head_id

    def _approval_on_activate(self, reviews):
        EVENTS.extend(("ask", review.approver_id.login) for review in reviews)

    def _approval_on_remind(self, review):
        EVENTS.append(("remind", review.approver_id.login))

    def _approval_on_escalate(self, old, new):
        EVENTS.append(("escalate", new.approver_id.login))


class ApprovalTesterReview(models.Model):
    _name = "deal.approval.tester.review"
    _inherit = "deal.approval.review.mixin"
    _description = "Approval engine tester review"

    tester_id = fields.Many2one("deal.approval.tester", required=True, ondelete="cascade")
