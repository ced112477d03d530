# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import json
import logging
import re
import threading
import warnings

from werkzeug.urls import url_parse

import odoo
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


def webpush_lib():
    """pywebpush, py_vapid and cryptography, imported when first needed:
    they are slow to import, and the server imports every addon while it
    starts (listed in external_dependencies)."""
    with warnings.catch_warnings():
        # cryptography warns that Python 3.7 is old; Odoo 11 runs on it.
        warnings.simplefilter("ignore")
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from py_vapid import Vapid02  # RFC 8292: "vapid t=..., k=..."
        from pywebpush import WebPushException, webpush
    return serialization, ec, Vapid02, WebPushException, webpush


PARAM_PRIVATE = "sales_head_mobile.vapid_private_pem"
PARAM_PUBLIC = "sales_head_mobile.vapid_public_key"
PARAM_SUBJECT = "sales_head_mobile.vapid_subject"
PARAM_HOSTS = "sales_head_mobile.push_hosts"
# The push services of the browsers people use (Chrome and the Yandex
# browser: FCM; Firefox: Mozilla; Safari: Apple; Edge: Windows). A push goes
# only there (https), or to a host the administrator adds (push_hosts).
PUSH_HOST_SUFFIXES = ("fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com",
                      "push.apple.com", "notify.windows.com")
PUSH_TIMEOUT = 10
MAX_PER_USER = 20
B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SalesHeadMobileSubscription(models.Model):
    """One browser of one user that receives Web Push: the endpoint of the
    browser's push service and the keys the message is encrypted with. The
    service worker makes it when the user allows notifications; a user
    adds and removes only his own."""

    _name = "sales.head.mobile.subscription"
    _description = "Push subscription"
    _order = "id desc"
    _rec_name = "endpoint"

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True, ondelete="cascade",
                              default=lambda self: self.env.user)
    endpoint = fields.Char(required=True, readonly=True)
    p256dh = fields.Char(string="Browser key", required=True, readonly=True)
    auth = fields.Char(string="Browser secret", required=True, readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    last_sent = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("endpoint_unique", "UNIQUE(endpoint)", "This browser is already subscribed."),
    ]

    @api.model
    def create(self, vals):
        vals = dict(vals)
        if not self.env.user._is_superuser():
            # Whatever the caller says, a subscription is his own.
            vals["user_id"] = self.env.uid
        self._check_values(vals)
        # A browser that subscribes again replaces its old subscription
        # (the same endpoint, new keys); only its owner's can be replaced.
        old = self.search([("endpoint", "=", vals["endpoint"])])
        old.unlink()
        # A user keeps his last MAX_PER_USER browsers: the oldest goes.
        own = self.search([("user_id", "=", vals["user_id"])], order="id desc")
        own[MAX_PER_USER - 1:].unlink()
        return super(SalesHeadMobileSubscription, self).create(vals)

    @api.model
    def _check_values(self, vals):
        endpoint = vals.get("endpoint") or ""
        if not isinstance(endpoint, str) or len(endpoint) > 2048 or not self._endpoint_allowed(endpoint):
            raise ValidationError(_("This address is not the push service of a browser."))
        for key, size in (("p256dh", 65), ("auth", 16)):
            value = vals.get(key)
            try:
                ok = isinstance(value, str) and B64URL.match(value) and len(b64url_decode(value)) == size
            except (binascii.Error, ValueError):
                ok = False
            if not ok:
                raise ValidationError(_("The browser's keys of this subscription are not valid."))
        if vals.get("user_agent") and not isinstance(vals["user_agent"], str):
            raise ValidationError(_("The browser's keys of this subscription are not valid."))
        vals["user_agent"] = (vals.get("user_agent") or "")[:256]

    @api.model
    def _endpoint_allowed(self, endpoint):
        """https to a browser's push service, or a host the administrator
        named in sales_head_mobile.push_hosts (host:port, http allowed: an
        own push relay, or the tests' stand-in)."""
        try:
            url = url_parse(endpoint)
            host, port = (url.host or "").lower(), url.port
        except ValueError:
            return False
        if not host or url.username or url.password:
            return False
        # sudo: the parameters are the administrator's; this is one of them.
        extra = (self.env["ir.config_parameter"].sudo().get_param(PARAM_HOSTS) or "").lower()
        named = {item.strip() for item in extra.split(",") if item.strip()}
        if url.scheme in ("http", "https") and ("%s:%s" % (host, port or (443 if url.scheme == "https" else 80))
                                                in named or host in named):
            return True
        return url.scheme == "https" and port in (None, 443) and any(
            host == suffix or host.endswith("." + suffix) for suffix in PUSH_HOST_SUFFIXES)

    # -- VAPID -------------------------------------------------------------------
    @api.model
    def _ensure_vapid_keys(self):
        """Makes the server's VAPID key pair once (at install) and keeps it in
        the configuration parameters, which only administrators read."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(PARAM_PRIVATE) and params.get_param(PARAM_PUBLIC):
            return
        # The P-256 key made here: py_vapid's generate_keys passes the curve
        # in a way cryptography warns about.
        serialization, ec, Vapid = webpush_lib()[:3]
        vapid = Vapid(private_key=ec.generate_private_key(ec.SECP256R1()))
        params.set_param(PARAM_PRIVATE, vapid.private_pem().decode("ascii"))
        params.set_param(PARAM_PUBLIC, b64url(vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)))

    @api.model
    def _vapid_public_key(self):
        """The public key browsers subscribe with (applicationServerKey)."""
        self._ensure_vapid_keys()
        # sudo: the public half of the key pair is public.
        return self.env["ir.config_parameter"].sudo().get_param(PARAM_PUBLIC)

    @api.model
    def _vapid(self):
        self._ensure_vapid_keys()
        params = self.env["ir.config_parameter"].sudo()
        vapid = webpush_lib()[2].from_pem(params.get_param(PARAM_PRIVATE).encode("ascii"))
        subject = params.get_param(PARAM_SUBJECT) or "mailto:%s" % (
            self.env.user.company_id.email or "admin@example.com")
        return vapid, {"sub": subject}

    # -- sending -----------------------------------------------------------------
    @api.model
    def _push_after_commit(self, user_ids, payload):
        """Sends ``payload`` (a dict: title, body, url, tag) to the browsers
        of ``user_ids`` once the transaction is committed, in a thread of its
        own: the approval never waits for a push service."""
        if not user_ids:
            return
        dbname = self.env.cr.dbname
        user_ids = list(user_ids)
        payload = dict(payload)

        def start():
            thread = threading.Thread(target=self._send_in_thread, args=(dbname, user_ids, payload),
                                      name="web-push", daemon=True)
            thread.start()
        self.env.cr.after("commit", start)

    @classmethod
    def _send_in_thread(cls, dbname, user_ids, payload):
        try:
            with api.Environment.manage(), odoo.registry(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env[cls._name]._send_to_users(user_ids, payload)
        except Exception:  # a thread has nobody to raise to
            _logger.exception("Web Push to users %s failed", user_ids)

    @api.model
    def _send_to_users(self, user_ids, payload):
        subscriptions = self.sudo().search([("user_id", "in", list(user_ids))])
        return subscriptions._send(payload)

    @api.multi
    def _send(self, payload):
        """Sends to each subscription; those the push service says are gone
        (404, 410) are removed. Returns the number delivered."""
        if not self:
            return 0
        vapid, claims = self._vapid()
        WebPushException, webpush = webpush_lib()[3:]
        data = json.dumps(payload)
        delivered, gone = self.browse(), self.browse()
        for subscription in self:
            info = {"endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
            try:
                webpush(info, data=data, vapid_private_key=vapid, vapid_claims=dict(claims),
                        timeout=PUSH_TIMEOUT, ttl=24 * 3600)
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in (404, 410):
                    gone |= subscription
                else:
                    _logger.warning("Web Push to %s refused: %s", subscription.endpoint[:80], status or error)
                continue
            except Exception as error:  # network: timeout, refused, DNS
                _logger.warning("Web Push to %s failed: %s", subscription.endpoint[:80], error)
                continue
            delivered |= subscription
        # sudo: bookkeeping of the system, whoever's action sent the push.
        delivered.sudo().write({"last_sent": fields.Datetime.now()})
        if gone:
            _logger.info("Web Push: %d expired subscriptions removed", len(gone))
            gone.sudo().unlink()
        return len(delivered)
