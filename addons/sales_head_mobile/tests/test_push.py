# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Web Push: the VAPID key pair kept for administrators, subscriptions of
one's own, an encrypted push with a signed VAPID header to a push service
stand-in on 127.0.0.1, expired subscriptions removed."""
from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import SavepointCase

from .push_endpoint import Browser, PushEndpoint, check_vapid

PAYLOAD = {"title": "Запрос на согласование", "body": "Согласовать <b>СД-1</b>",
           "url": "/web#id=7&model=deal.approval.request&view_type=form", "tag": "deal.approval.request-7"}


class TestPush(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestPush, cls).setUpClass()
        cls.endpoint = PushEndpoint()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True, tracking_disable=True))
        cls.env["ir.config_parameter"].set_param("sales_head_mobile.push_hosts", cls.endpoint.host)
        group = cls.env.ref("base.group_user")
        Users = cls.env["res.users"]
        cls.user = Users.create({"name": "Руководитель (тест)", "login": "shm_head",
                                 "groups_id": [(6, 0, [group.id])]})
        cls.other = Users.create({"name": "Менеджер (тест)", "login": "shm_other",
                                  "groups_id": [(6, 0, [group.id])]})
        cls.Subscription = cls.env["sales.head.mobile.subscription"]

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()
        super(TestPush, cls).tearDownClass()

    def setUp(self):
        super(TestPush, self).setUp()
        del self.endpoint.received[:]

    def subscribe(self, user, path, browser=None, **extra):
        browser = browser or Browser()
        values = dict({"endpoint": self.endpoint.url(path), "p256dh": browser.p256dh, "auth": browser.auth_b64},
                      **extra)
        return self.Subscription.sudo(user).create(values), browser

    def test_vapid_keys_are_kept_for_administrators_only(self):
        params = self.env["ir.config_parameter"]
        public = params.get_param("sales_head_mobile.vapid_public_key")
        self.assertTrue(public and params.get_param("sales_head_mobile.vapid_private_pem").startswith("-----BEGIN"))
        self.assertEqual(self.Subscription.sudo(self.user)._vapid_public_key(), public)
        with self.assertRaises(AccessError):
            params.sudo(self.user).get_param("sales_head_mobile.vapid_private_pem")
        with self.assertRaises(AccessError):
            params.sudo(self.user).search_read([("key", "like", "sales_head_mobile")])
        self.Subscription._ensure_vapid_keys()
        self.assertEqual(params.get_param("sales_head_mobile.vapid_public_key"), public, "made once")

    def test_push_is_encrypted_and_signed(self):
        subscription, browser = self.subscribe(self.user, "/push/1")
        self.assertEqual(subscription._send(PAYLOAD), 1)
        [received] = self.endpoint.wait(1)
        headers = {key.lower(): value for key, value in received["headers"].items()}
        self.assertEqual(received["path"], "/push/1")
        self.assertEqual(headers["content-encoding"], "aes128gcm")
        self.assertEqual(headers["ttl"], str(24 * 3600))
        public = self.env["ir.config_parameter"].get_param("sales_head_mobile.vapid_public_key")
        check_vapid(headers["authorization"], public, "http://%s" % self.endpoint.host)
        self.assertNotIn(b"deal.approval.request", received["body"], "the body is encrypted")
        self.assertEqual(browser.decrypt(received["body"]), PAYLOAD)
        self.assertTrue(subscription.last_sent)

    def test_expired_subscriptions_are_removed(self):
        kept, _b = self.subscribe(self.user, "/push/2")
        gone, _b = self.subscribe(self.user, "/gone/1")
        missing, _b = self.subscribe(self.user, "/missing/1")
        sent = self.Subscription._send_to_users(self.user.ids, PAYLOAD)
        self.assertEqual(sent, 1)
        self.assertEqual(len(self.endpoint.wait(3)), 3)
        self.assertTrue(kept.exists())
        self.assertFalse(gone.exists())
        self.assertFalse(missing.exists())

    def test_a_subscription_is_its_users_own(self):
        subscription, _b = self.subscribe(self.user, "/push/3", user_id=self.other.id)
        self.assertEqual(subscription.user_id, self.user, "user_id given by the caller is ignored")
        self.assertFalse(self.Subscription.sudo(self.other).search([("id", "=", subscription.id)]))
        with self.assertRaises(AccessError):
            subscription.sudo(self.other).unlink()
        with self.assertRaises(AccessError):
            subscription.sudo(self.user).write({"endpoint": self.endpoint.url("/push/elsewhere")})
        subscription.sudo(self.user).unlink()
        self.assertFalse(subscription.exists())

    def test_a_browser_subscribing_again_replaces_its_subscription(self):
        first, _b = self.subscribe(self.user, "/push/4")
        second, _b = self.subscribe(self.user, "/push/4")
        self.assertFalse(first.exists())
        self.assertTrue(second.exists())

    def test_a_user_keeps_his_last_browsers(self):
        first, _b = self.subscribe(self.user, "/push/keep/0")
        for number in range(1, 21):
            self.subscribe(self.user, "/push/keep/%d" % number)
        own = self.Subscription.sudo(self.user).search([])
        self.assertEqual(len(own), 20)
        self.assertFalse(first.exists(), "the oldest browser goes")

    def test_only_push_services_are_called(self):
        browser = Browser()
        for endpoint in ("http://169.254.169.254/latest/meta-data", "https://127.0.0.1:8069/web",
                         "https://example.com/push", "file:///etc/passwd", "https://user:pw@fcm.googleapis.com/x",
                         "http://fcm.googleapis.com/fcm/send/x", "https://fcm.googleapis.com.evil.com/x", ""):
            with self.assertRaises(ValidationError, msg=endpoint):
                self.Subscription.sudo(self.user).create({"endpoint": endpoint, "p256dh": browser.p256dh,
                                                          "auth": browser.auth_b64})
        for keys in ({"p256dh": "AAAA", "auth": browser.auth_b64}, {"p256dh": browser.p256dh, "auth": "x"},
                     {"p256dh": browser.p256dh + "<", "auth": browser.auth_b64}):
            with self.assertRaises(ValidationError):
                self.Subscription.sudo(self.user).create(dict(keys, endpoint=self.endpoint.url("/push/5")))
        subscription = self.Subscription.sudo(self.user).create({
            "endpoint": "https://fcm.googleapis.com/fcm/send/abc", "p256dh": browser.p256dh,
            "auth": browser.auth_b64})
        self.assertTrue(subscription)

    def test_activity_for_an_approver_pushes_after_commit(self):
        calls = []
        Subscription = type(self.Subscription)
        original = Subscription._push_after_commit

        def record(model, user_ids, payload):
            calls.append((list(user_ids), payload))
        Subscription._push_after_commit = record
        try:
            lead = self.env["crm.lead"].create({"name": "Сделка (тест)"})
            self.env["mail.activity"].create({
                "res_model_id": self.env["ir.model"]._get("crm.lead").id, "res_id": lead.id,
                "user_id": self.user.id, "summary": "Позвонить"})
            self.assertEqual(calls, [], "only approval requests are pushed")
            request = self.env["deal.approval.request"].search([], limit=1)
            if not request:
                self.skipTest("no approval request in this database")
            self.user.groups_id = [(4, self.env.ref("sales_team.group_sale_manager").id)]
            approve = self.env.ref("deal_approval.mail_activity_type_approve")
            Activity = self.env["mail.activity"]
            values = {"res_model_id": self.env["ir.model"]._get("deal.approval.request").id,
                      "res_id": request.id, "user_id": self.user.id, "summary": "<b>Срочно!</b> Позвоните 8-800"}
            Activity.create(dict(values, activity_type_id=self.env.ref("mail.mail_activity_data_todo").id))
            self.assertEqual(calls, [], "only the Approve activity is pushed")
            Activity.create(dict(values, activity_type_id=approve.id))
        finally:
            Subscription._push_after_commit = original
        self.assertEqual(len(calls), 1)
        users, payload = calls[0]
        self.assertEqual(users, self.user.ids)
        self.assertEqual(payload["url"], "/web#id=%d&model=deal.approval.request&view_type=form" % request.id)
        self.assertIn(request.name, payload["body"])
        self.assertNotIn("8-800", payload["body"], "the text is the request's, not the activity's")
