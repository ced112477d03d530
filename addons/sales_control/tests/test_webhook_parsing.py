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


class TestExtensionNamesTheManager(TransactionCase):
    """A bridge that knows the extension only (Asterisk's AMI bridge): the
    integration's extension map names the salesperson."""

    def test_extension_maps_to_the_user(self):
        from ..controllers.webhooks import record_call
        env = self.env(context=dict(self.env.context, tz="UTC"))
        salesman = env["res.users"].create({
            "name": "Добавочный 301", "login": "ext301",
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})
        integration = env["sales.telephony.integration"].create({
            "name": "Asterisk", "vendor": "asterisk", "kind": "pbx",
            "extension_ids": [(0, 0, {"code": "301", "user_id": salesman.id})]})
        answer = record_call(env, integration, {
            "call_id": "ast:1.1", "direction": "out", "from": "301", "to": "79990001122",
            "start": "2026-11-29T09:15:00+03:00", "duration": 60, "extension": "301"})
        self.assertEqual(env["sales.touch"].browse(answer["touch_id"]).user_id, salesman)
        # A named login still wins over the extension.
        answer = record_call(env, integration, {
            "call_id": "ast:1.2", "direction": "out", "from": "301", "to": "79990001122",
            "start": "2026-11-29T09:16:00+03:00", "duration": 60, "extension": "301",
            "manager_login": env.user.login})
        self.assertEqual(env["sales.touch"].browse(answer["touch_id"]).user_id, env.user)
