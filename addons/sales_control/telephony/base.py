# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
from datetime import datetime, timedelta

import pytz

from odoo import http

_logger = logging.getLogger(__name__)

ADAPTERS = {}
MAX_EVENT_AGE = timedelta(days=7)  # an older event is a replay, not a retry


def register(vendor):
    def wrap(cls):
        cls.vendor = vendor
        ADAPTERS[vendor] = cls
        return cls
    return wrap


class VendorAdapter(object):
    """One request of a vendor. Subclasses implement :meth:`handle` with the
    helpers below; a refusal is ``raise WebhookError(status, text)`` (logged
    by the controller, nothing recorded)."""

    vendor = None

    def __init__(self, env, integration, httprequest, subpath):
        self.env = env
        self.integration = integration
        self.httprequest = httprequest
        self.subpath = subpath or ""
        self._event = subpath or httprequest.method

    # -- what came -----------------------------------------------------------
    def event_name(self):
        return "%s %s" % (self.vendor, self._event)

    def raw(self):
        return self.httprequest.get_data(cache=True)

    def form(self):
        return self.httprequest.form

    def json_body(self):
        from ..controllers.webhooks import WebhookError
        try:
            payload = json.loads(self.raw().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise WebhookError(400, "body is not valid JSON: %s" % error)
        return payload

    # -- what to do ----------------------------------------------------------
    def call(self, payload, event=None):
        """Records a call in our contract's shape; logs it."""
        from ..controllers.webhooks import record_call
        return self._record(record_call, payload, event, payload.get("call_id"))

    def message(self, payload, event=None):
        from ..controllers.webhooks import record_message
        return self._record(record_message, payload, event, payload.get("message_id"))

    def _record(self, recorder, payload, event, ref):
        answer = recorder(self.env, self.integration, payload)
        # A duplicate recorded by a concurrent delivery may not be visible in
        # this transaction yet: the log line then names no touch.
        touch = self.env["sales.touch"].browse(answer.get("touch_id")).exists()
        self.log("duplicate" if answer.get("duplicate") else "recorded", "", ref, touch, event)
        return answer

    def log(self, state, message="", ref="", touch=None, event=None):
        return self.env["sales.telephony.event"]._log(self.integration, event or self.event_name(), state,
                                                      message, ref, touch)

    def ignore(self, why, ref=""):
        self.log("ignored", why, ref)

    def user_login(self, code):
        """Our login of the user the vendor's extension stands for, or ''."""
        return self.integration._user_of(code).login or ""

    def local_iso(self, moment):
        """A naive datetime of the vendor's clock as ISO 8601 with its zone."""
        zone = pytz.timezone(self.integration.vendor_tz or "UTC")
        return zone.localize(moment).isoformat()

    @staticmethod
    def unix_iso(seconds):
        return datetime.utcfromtimestamp(int(seconds)).replace(tzinfo=pytz.utc).isoformat()

    def check_age(self, iso_moment):
        """Refuses an event older than MAX_EVENT_AGE (a replay)."""
        from ..controllers.webhooks import WebhookError
        moment = datetime.fromisoformat(iso_moment.replace("Z", "+00:00"))
        if moment.tzinfo:
            moment = moment.astimezone(pytz.utc).replace(tzinfo=None)
        if datetime.utcnow() - moment > MAX_EVENT_AGE:
            raise WebhookError(403, "event of %s is older than %d days: refused as a replay"
                               % (iso_moment, MAX_EVENT_AGE.days))

    # -- answers -------------------------------------------------------------
    def handle(self):
        raise NotImplementedError

    @staticmethod
    def text_response(status, text, content_type="text/plain; charset=utf-8"):
        return http.Response(text, status=status, headers=[("Content-Type", content_type)])

    @staticmethod
    def json_response(status, payload):
        return http.Response(json.dumps(payload, ensure_ascii=False), status=status,
                             headers=[("Content-Type", "application/json; charset=utf-8")])

    def error_response(self, status, text):
        return self.json_response(status, {"status": "error", "error": text})
