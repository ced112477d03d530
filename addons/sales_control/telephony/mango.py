# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mango Office VPBX API (../shared/TELEPHONY.md section 1; docs/telephony/mango.md).

Mango posts form fields ``vpbx_api_key``, ``sign``, ``json`` to our address
with the event appended (``…/events/summary``, ``…/events/record/added``);
``sign = sha256_hex(vpbx_api_key + json + vpbx_api_salt)`` over the json
string exactly as received. The API is called the same way, signed by us."""
import hashlib
import json
import logging
import re
import time
import uuid
from datetime import datetime
from urllib.parse import urljoin

import pytz
import requests

from odoo import _
from odoo.exceptions import UserError

from .base import VendorAdapter, register, same_secret

_logger = logging.getLogger(__name__)

DEFAULT_URL = "https://app.mango-office.ru"
TIMEOUT = 10            # seconds: an API command
DOWNLOAD_TIMEOUT = 120  # seconds: a recording
DIRECTIONS = {1: "in", 2: "out"}
REDIRECTS = (301, 302, 303, 307, 308)
NOT_AUDIO = ("application/json", "text/html", "text/plain")  # Mango's "not ready" answers
CLOCK_SLACK = 15 * 60   # seconds a PBX's clock may run ahead of ours


def mango_sign(key, payload, salt):
    return hashlib.sha256(("%s%s%s" % (key or "", payload, salt or "")).encode("utf-8")).hexdigest()


def api_base(integration):
    """The address of the API's /vpbx/ commands, wherever the integration
    points (the stand-in in tests)."""
    base = (integration.api_url or DEFAULT_URL).rstrip("/")
    if base.endswith("/vpbx"):
        base = base[:-len("/vpbx")]
    return base + "/vpbx/"


def api_post(integration, command, payload, timeout=TIMEOUT, allow_redirects=True, stream=False):
    """POSTs a signed command to Mango's API; returns the requests response."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    form = {"vpbx_api_key": integration.api_key or "",
            "sign": mango_sign(integration.api_key, text, integration.api_secret), "json": text}
    return requests.post(api_base(integration) + command, data=form, timeout=timeout,
                         allow_redirects=allow_redirects, stream=stream)


@register("mango")
class MangoAdapter(VendorAdapter):

    def handle(self):
        path = self.subpath.strip("/")
        self._event = path or "ping"
        if path in ("", "ping") or path.endswith("/ping"):
            # "Проверить подключение" in Mango's account: nothing signed.
            self.ignore_unsigned("ping")
            return self.json_response(200, {"status": "ok"})
        if self.httprequest.method != "POST":
            # not signed either: answered, not logged as a refusal (a flood of
            # them would push the PBX's real refusals out of the log)
            self.ignore_unsigned("not a POST")
            return self.error_response(405, "Mango posts its events")
        data = self._verified()
        if path == "events/summary":
            return self._summary(data)
        if path == "events/record/added":
            return self._record_added(data)
        if path == "events/recording" and data.get("recording_state") == "Completed":
            return self._record_added(data)
        self.ignore("event not used", str(data.get("entry_id") or ""))
        return self.json_response(200, {"status": "ok", "ignored": True})

    # -- what came -----------------------------------------------------------
    def _verified(self):
        """The event's json, once its key and signature are the integration's."""
        from ..controllers.webhooks import WebhookError
        form = self.form()
        key, sign, text = form.get("vpbx_api_key"), form.get("sign"), form.get("json")
        if not key or not sign or text is None:
            raise WebhookError(400, "vpbx_api_key, sign and json are required")
        if not self.integration.api_key or not self.integration.api_secret:
            raise WebhookError(403, "the integration has no vpbx_api_key and salt")
        expected = mango_sign(self.integration.api_key, text, self.integration.api_secret)
        if not same_secret(key, self.integration.api_key) or not same_secret(sign.lower(), expected):
            raise WebhookError(403, "wrong vpbx_api_key or sign")
        try:
            data = json.loads(text)
        except ValueError as error:
            raise WebhookError(400, "json is not valid JSON: %s" % error)
        if not isinstance(data, dict):
            raise WebhookError(400, "json must be an object")
        return data

    @staticmethod
    def _unix(data, name):
        from ..controllers.webhooks import WebhookError
        value = data.get(name)
        try:
            return int(value or 0)
        except (TypeError, ValueError):
            raise WebhookError(400, "field '%s' must be a unix time" % name)

    def _local_clock_shift(self, end_time):
        """Seconds to take off Mango's unix times when they were stamped from
        the account's wall clock (Mango's knowledge base calls the summary's
        times "UTC+3"; its API reference, UTC: TELEPHONY.md section 1). The
        summary is sent when the call ends, so a true unix time is never
        ahead of our clock; one ahead by more than CLOCK_SLACK can only be
        the zone's offset, which is then taken off. 0 for true unix times,
        and for a zone at or west of UTC (no shift can be told apart)."""
        ahead = end_time - time.time()
        if ahead <= CLOCK_SLACK:
            return 0
        zone = pytz.timezone(self.integration.vendor_tz or "UTC")
        offset = int(zone.utcoffset(datetime.utcfromtimestamp(time.time())).total_seconds())
        if offset <= 0:
            return 0
        _logger.info("Mango integration %s: times %d s ahead of ours, read as %s wall clock",
                     self.integration.id, ahead, zone)
        return offset

    def _summary(self, data):
        """The end of a call: one touch (TELEPHONY.md section 7)."""
        from ..controllers.webhooks import WebhookError
        entry_id = data.get("entry_id")
        if not entry_id or not isinstance(entry_id, str):
            raise WebhookError(400, "field 'entry_id' is required")
        ref = "mango:" + entry_id
        try:
            direction = DIRECTIONS.get(int(data.get("call_direction")))
        except (TypeError, ValueError):
            raise WebhookError(400, "field 'call_direction' must be 0, 1 or 2")
        if not direction:
            self.ignore("internal call", ref)
            return self.json_response(200, {"status": "ok", "ignored": True})
        create_time, talk_time, end_time = (self._unix(data, name)
                                            for name in ("create_time", "talk_time", "end_time"))
        if not create_time:
            raise WebhookError(400, "field 'create_time' is required")
        shift = self._local_clock_shift(end_time or create_time)
        create_time -= shift
        start = self.unix_iso(create_time)
        self.check_age(start)
        caller = data.get("from") if isinstance(data.get("from"), dict) else {}
        callee = data.get("to") if isinstance(data.get("to"), dict) else {}
        line = data.get("line_number") or ""
        employee = callee if direction == "in" else caller
        try:
            entry_result = int(data.get("entry_result") or 0)
        except (TypeError, ValueError):
            entry_result = 0
        payload = {
            "call_id": ref,
            "direction": direction,
            "from": caller.get("number") or (line if direction == "out" else "") or caller.get("extension"),
            "to": callee.get("number") or line or callee.get("extension"),
            "start": start,
            "duration": max(end_time - talk_time, 0) if talk_time > 0 else 0,  # one clock: no shift
            "answered": entry_result == 1 and talk_time > 0,
            "manager_login": self.user_login(str(employee.get("extension") or "")),
        }
        answer = self.call(payload)
        return self.json_response(200, dict(answer, status="ok"))

    def _record_added(self, data):
        """A recording is ready: queued, downloaded in the background."""
        from ..controllers.webhooks import WebhookError
        entry_id, recording_id = data.get("entry_id"), data.get("recording_id")
        if not entry_id or not recording_id:
            raise WebhookError(400, "fields 'entry_id' and 'recording_id' are required")
        if data.get("timestamp"):
            self.check_age(self.unix_iso(self._unix(data, "timestamp")))
        duplicate = self.queue_recording("mango:%s" % entry_id, recording_id=recording_id)
        return self.json_response(200, {"status": "ok", "duplicate": duplicate})

    # -- the API ---------------------------------------------------------------
    @classmethod
    def download_recording(cls, integration, pending):
        """``POST /vpbx/queries/recording/post`` answers 302 to a single-use
        link (M17 p.36); asked again at every attempt. Only that one hop is
        followed, checked as any link (download.safe_download): Mango's API
        host, or a public https address; capped in size and time."""
        from ..models.sales_telephony_recording import RecordingError
        from .download import api_hosts, safe_download
        ref = pending.recording_ref
        try:
            with api_post(integration, "queries/recording/post", {"recording_id": ref, "action": "download"},
                          allow_redirects=False, stream=True) as answer:
                location = answer.headers.get("Location") if answer.status_code in REDIRECTS else None
                if not location:
                    sample = next(answer.iter_content(200), b"")
                    raise RecordingError("recording %s not ready (HTTP %s): %s" % (
                        ref, answer.status_code, sample.decode("utf-8", "replace")))
        except requests.RequestException as error:
            raise RecordingError("Mango's API did not answer: %s" % error)
        data, name = safe_download(urljoin(api_base(integration), location), timeout=DOWNLOAD_TIMEOUT,
                                   allowed_hosts=api_hosts(api_base(integration)), refuse_types=NOT_AUDIO)
        if not name.lower().endswith((".mp3", ".wav")):
            name = "mango-%s.%s" % (re.sub(r"[^\w-]", "_", ref)[:80], "wav" if data[:4] == b"RIFF" else "mp3")
        return data, name

    @classmethod
    def originate(cls, integration, extension, number):
        """``POST /vpbx/commands/callback``: Mango rings the extension, then
        the number; the call comes back as its events/summary."""
        payload = {"command_id": "sales-%s" % uuid.uuid4().hex, "from": {"extension": str(extension)},
                   "to_number": number}
        try:
            answer = api_post(integration, "commands/callback", payload)
        except requests.RequestException as error:
            raise UserError(_("Mango Office did not answer: %s") % error)
        try:
            result = int(answer.json().get("result"))
        except (ValueError, TypeError, AttributeError):
            result = None
        if answer.status_code != 200 or result != 1000:
            raise UserError(_("Mango Office refused the call (HTTP %s, result %s).") % (answer.status_code, result))
        return payload["command_id"]
