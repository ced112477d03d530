# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests.common import TransactionCase

from ..controllers.webhooks import WebhookError, _direction, _parse_datetime, _short


class TestWebhookParsing(TransactionCase):
    """The field checks behind the webhooks' 400 answers (the HTTP side is in
    tests/test_sales_control_rpc.py)."""

    def assertRefused(self, call, *args, field):
        with self.assertRaises(WebhookError) as caught:
            call(*args)
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("'%s'" % field, caught.exception.message)

    def test_dates_are_stored_in_utc(self):
        self.assertEqual(_parse_datetime("2026-11-29T09:15:00+03:00", "start"), "2026-11-29 06:15:00")
        self.assertEqual(_parse_datetime("2026-11-29T06:15:00Z", "start"), "2026-11-29 06:15:00")
        self.assertEqual(_parse_datetime("2026-11-29 06:15:00", "start"), "2026-11-29 06:15:00")
        self.assertRefused(_parse_datetime, "вчера", "start", field="start")
        self.assertRefused(_parse_datetime, 1764400000, "start", field="start")

    def test_short_fields(self):
        self.assertEqual(_short({"call_id": 123}, "call_id"), "123")
        self.assertEqual(_short({"channel": "Телеграм 👍"}, "channel"), "Телеграм 👍")
        self.assertFalse(_short({}, "recording_url"))
        self.assertRefused(_short, {}, "call_id", True, field="call_id")
        self.assertRefused(_short, {"call_id": "x" * 300}, "call_id", field="call_id")
        self.assertRefused(_short, {"channel": ["x"]}, "channel", field="channel")

    def test_direction(self):
        self.assertEqual(_direction({"direction": "in"}), "in")
        self.assertRefused(_direction, {"direction": "sideways"}, field="direction")
