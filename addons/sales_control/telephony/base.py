# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hmac
import json
import logging
from datetime import datetime, timedelta

import pytz

from odoo import fields, http

_logger = logging.getLogger(__name__)

ADAPTERS = {}
MAX_EVENT_AGE = timedelta(days=7)  # an older event is a replay, not a retry
UNSIGNED_EVERY = timedelta(minutes=1)  # one log line per kind of unsigned request


def same_secret(given, expected):
    """hmac.compare_digest of two strings as bytes: on str it raises
    TypeError for a non-ASCII character (a forged value is then a 500, not
    the refusal of a wrong one)."""
    def raw(text):
        return (text or "").encode("utf-8", "surrogatepass")
    return hmac.compare_digest(raw(given), raw(expected))


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

    def queue_recording(self, ref, recording_id=None, url=None):
        """Queues a recording announced by the vendor, logs it; True when it
        had been queued already (a retry)."""
        recording, created = self.env["sales.telephony.recording"]._enqueue(
            self.integration, ref, recording_id=recording_id, url=url)
        self.log("recorded" if created else "duplicate", "recording %s queued" % (recording_id or url), ref,
                 recording.touch_id or None)
        return not created

    def log(self, state, message="", ref="", touch=None, event=None):
        return self.env["sales.telephony.event"]._log(self.integration, event or self.event_name(), state,
                                                      message, ref, touch)

    def ignore(self, why, ref=""):
        self.log("ignored", why, ref)

    def ignore_unsigned(self, why, ref=""):
        """An ignored request no signature vouches for (a ping, an address
        check, an event we do not use): logged once per UNSIGNED_EVERY and
        ``why``, so that whoever knows the hook address cannot flood the log
        with them. Insert only: no row a concurrent request or the log's trim
        may touch is updated or deleted here."""
        since = fields.Datetime.to_string(datetime.utcnow() - UNSIGNED_EVERY)
        recent = self.env["sales.telephony.event"].sudo().search_count([
            ("integration_id", "=", self.integration.id), ("state", "=", "ignored"), ("message", "=", why),
            ("date", ">=", since)])
        if recent:
            return None
        return self.log("ignored", why, ref)

    def user_login(self, code):
        """Our login of the user the vendor's extension stands for, or ''."""
        return self.integration._user_of(code).login or ""

    def local_iso(self, moment):
        """A naive datetime of the vendor's clock as ISO 8601 with its zone."""
        from ..controllers.webhooks import WebhookError
        zone = pytz.timezone(self.integration.vendor_tz or "UTC")
        try:
            return zone.localize(moment).isoformat()
        except (ValueError, OverflowError) as error:
            raise WebhookError(400, "the time %s cannot be read in zone %s: %s" % (moment, zone, error))

    @staticmethod
    def unix_iso(seconds):
        """A unix time as ISO 8601 in UTC; a time no calendar holds is a 400."""
        from ..controllers.webhooks import WebhookError
        try:
            return datetime.utcfromtimestamp(int(seconds)).replace(tzinfo=pytz.utc).isoformat()
        except (TypeError, ValueError, OverflowError, OSError):
            raise WebhookError(400, "%r is not a unix time" % (str(seconds)[:40],))

    def check_age(self, iso_moment):
        """Refuses an event older than MAX_EVENT_AGE (a replay); a moment
        that is no time (month 13, zone +99:99) is a 400."""
        from ..controllers.webhooks import WebhookError
        try:
            moment = datetime.fromisoformat(iso_moment.replace("Z", "+00:00"))
            if moment.tzinfo:
                moment = moment.astimezone(pytz.utc).replace(tzinfo=None)
            age = datetime.utcnow() - moment
        except (AttributeError, TypeError, ValueError, OverflowError):
            raise WebhookError(400, "%r is not a time" % (str(iso_moment)[:60],))
        if age > MAX_EVENT_AGE:
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
