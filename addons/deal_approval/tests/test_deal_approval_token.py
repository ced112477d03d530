# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

from .common import DealApprovalCase


class TestDealApprovalToken(DealApprovalCase):

    def setUp(self):
        super(TestDealApprovalToken, self).setUp()
        self.request = self.new_waiting_request()
        Token = self.env["deal.approval.token"]
        self.urls = Token._issue(self.request.current_step_id)
        self.value = self.urls["approve"].split("t=", 1)[1]
        self.Token = Token

    def test_valid(self):
        token, error = self.Token._check(self.value, self.head)
        self.assertFalse(error)
        self.assertEqual(token.action, "approve")
        self.assertEqual(token.user_id, self.head)

    def test_forged(self):
        token_id, nonce, signature = self.value.split(".")
        for value in ("%s.%s.%s" % (token_id, nonce, "0" * 64), "%s.%s.%s" % (int(token_id) + 1000, nonce, signature),
                      "garbage", ""):
            token, error = self.Token._check(value, self.head)
            self.assertIn("forged", error)

    def test_foreign(self):
        _token, error = self.Token._check(self.value, self.findir)
        self.assertIn("another person", error)

    def test_used(self):
        token, _error = self.Token._check(self.value, self.head)
        token._mark_used()
        _token, error = self.Token._check(self.value, self.head)
        self.assertIn("already used", error)
        # Using one button spends the other too.
        _token, error = self.Token._check(self.urls["reject"].split("t=", 1)[1], self.head)
        self.assertIn("already used", error)

    def test_expired(self):
        token, _error = self.Token._check(self.value, self.head)
        token.write({"expires": fields.Datetime.to_string(fields.Datetime.from_string("2020-01-01 00:00:00"))})
        _token, error = self.Token._check(self.value, self.head)
        self.assertIn("expired", error)

    def test_outdated_version(self):
        self.request.sudo(self.seller).write({"amount": 600000.0})
        self.assertEqual(self.request.version, 2)
        _token, error = self.Token._check(self.value, self.head)
        self.assertIn("changed", error)

    def test_gc(self):
        token, _error = self.Token._check(self.value, self.head)
        token.write({"expires": "2020-01-01 00:00:00"})
        self.Token._gc_tokens()
        self.assertFalse(token.exists())
        _token, error = self.Token._check(self.value, self.head)
        self.assertIn("forged", error)
