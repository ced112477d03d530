# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Zadarma / Novofon (../shared/TELEPHONY.md section 2; docs/telephony/zadarma.md).

Zadarma checks the address with ``GET ?zd_echo=X`` (answered ``X``), then
posts form-encoded events with an ``event`` field and a ``Signature`` header:
``base64(hex(HMAC-SHA1(secret, S)))`` where S depends on the event. Its API
(recordings, callback) is signed in ``Authorization: key:signature``."""
import base64
import hashlib
import hmac
import logging
import re
from datetime import datetime
from urllib.parse import urlencode

import requests

from odoo import _
from odoo.exceptions import UserError

from .base import VendorAdapter, register, same_secret

_logger = logging.getLogger(__name__)

DEFAULT_URL = "https://api.zadarma.com"
TIMEOUT = 10
DOWNLOAD_TIMEOUT = 120
RECORD_LIFETIME = 1800  # seconds the link asked for stays valid

# The fields whose values, joined, Zadarma signs for each event (ZSDK getSignatureString).
SIGNED = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}


def zadarma_sign(secret, text):
    """base64 of the hex HMAC-SHA1, as PHP's base64_encode(hash_hmac('sha1', …))."""
    digest = hmac.new((secret or "").encode("utf-8"), text.encode("utf-8"), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def api_get(integration, method, params, timeout=TIMEOUT):
    """A signed GET of Zadarma's API v1 (``method`` = ``/v1/…/``); returns the
    requests response."""
    query = urlencode(sorted(params.items()))
    signature = zadarma_sign(integration.api_secret,
                             method + query + hashlib.md5(query.encode("utf-8")).hexdigest())
    base = (integration.api_url or DEFAULT_URL).rstrip("/")
    return requests.get("%s%s%s" % (base, method, "?" + query if query else ""), timeout=timeout,
                        headers={"Authorization": "%s:%s" % (integration.api_key or "", signature)})


@register("zadarma")
class ZadarmaAdapter(VendorAdapter):

    def handle(self):
        if self.httprequest.method == "GET":
            echo = self.httprequest.args.get("zd_echo")
            self._event = "zd_echo"
            if echo is None:
                # not signed: answered, not logged as a refusal (see ignore_unsigned)
                self.ignore_unsigned("GET without zd_echo")
                return self.text_response(400, "zd_echo expected")
            self.ignore_unsigned("address check")
            return self.text_response(200, echo)
        form = self.form()
        event = form.get("event") or ""
        self._event = event or "POST"
        if event not in SIGNED:
            # not signed (Zadarma signs only these): at most one line a minute
            self.ignore_unsigned("event not used (not signed)", form.get("pbx_call_id") or "")
            return self.json_response(200, {"status": "ok", "ignored": True})
        self._verify(event, form)
        if event in ("NOTIFY_END", "NOTIFY_OUT_END"):
            return self._end(event, form)
        if event == "NOTIFY_RECORD":
            return self._record_ready(form)
        self.ignore("event not used", form.get("pbx_call_id") or "")
        return self.json_response(200, {"status": "ok", "ignored": True})

    def _verify(self, event, form):
        from ..controllers.webhooks import WebhookError
        if not self.integration.api_secret:
            raise WebhookError(403, "the integration has no API secret to check signatures with")
        signature = self.httprequest.headers.get("Signature") or ""
        expected = zadarma_sign(self.integration.api_secret, "".join(form.get(name, "") for name in SIGNED[event]))
        if not signature or not same_secret(signature.strip(), expected):
            raise WebhookError(403, "wrong Signature")

    def _start(self, form):
        from ..controllers.webhooks import WebhookError
        try:
            moment = datetime.strptime((form.get("call_start") or "").strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise WebhookError(400, "field 'call_start' must be YYYY-MM-DD HH:MM:SS")
        start = self.local_iso(moment)
        self.check_age(start)
        return start

    def _end(self, event, form):
        """The end of a call: one touch; a recorded call's file is queued."""
        from ..controllers.webhooks import WebhookError
        pbx_call_id = form.get("pbx_call_id")
        if not pbx_call_id:
            raise WebhookError(400, "field 'pbx_call_id' is required")
        ref = "zd:" + pbx_call_id
        start = self._start(form)
        try:
            duration = int(form.get("duration") or 0)
        except ValueError:
            raise WebhookError(400, "field 'duration' must be a number of seconds")
        incoming = event == "NOTIFY_END"
        internal = form.get("internal") or ""
        payload = {
            "call_id": ref,
            "direction": "in" if incoming else "out",
            "from": form.get("caller_id") if incoming else (internal or form.get("caller_id")),
            "to": form.get("called_did") if incoming else form.get("destination"),
            "start": start,
            "duration": duration,
            "answered": form.get("disposition") == "answered",
            "manager_login": self.user_login(internal),
        }
        answer = self.call(payload)
        if form.get("is_recorded") == "1" and form.get("call_id_with_rec"):
            self.env["sales.telephony.recording"]._enqueue(self.integration, ref,
                                                           recording_id=form["call_id_with_rec"])
        return self.json_response(200, dict(answer, status="ok"))

    def _record_ready(self, form):
        from ..controllers.webhooks import WebhookError
        pbx_call_id, call_id_with_rec = form.get("pbx_call_id"), form.get("call_id_with_rec")
        if not pbx_call_id or not call_id_with_rec:
            raise WebhookError(400, "fields 'pbx_call_id' and 'call_id_with_rec' are required")
        duplicate = self.queue_recording("zd:" + pbx_call_id, recording_id=call_id_with_rec)
        return self.json_response(200, {"status": "ok", "duplicate": duplicate})

    # -- the API ---------------------------------------------------------------
    @classmethod
    def download_recording(cls, integration, pending):
        """``GET /v1/pbx/record/request/?call_id=…`` answers a link (or links),
        which is downloaded at once, checked as any link
        (download.safe_download): Zadarma's API host or a public https
        address, one redirect at most (checked the same), capped in size and
        time."""
        from ..models.sales_telephony_recording import RecordingError
        from .download import api_hosts, safe_download
        try:
            answer = api_get(integration, "/v1/pbx/record/request/",
                             {"call_id": pending.recording_ref, "lifetime": RECORD_LIFETIME})
            try:
                data = answer.json()
            except ValueError:
                data = {}
        except requests.RequestException as error:
            raise RecordingError("Zadarma's API did not answer: %s" % error)
        if not isinstance(data, dict):
            data = {}
        if answer.status_code != 200 or data.get("status") != "success":
            raise RecordingError("recording %s not ready (HTTP %s): %s" % (
                pending.recording_ref, answer.status_code, str(data.get("message") or answer.text[:200])[:200]))
        links = data.get("links") if isinstance(data.get("links"), list) else []
        link = data.get("link") or (links or [None])[0]
        if not link or not isinstance(link, str):
            raise RecordingError("Zadarma named no link for recording %s" % pending.recording_ref)
        # One redirect is followed (a link on the API host that hands over to
        # its file storage), each hop checked as the link itself.
        audio, name = safe_download(link, timeout=DOWNLOAD_TIMEOUT, follow=1,
                                    allowed_hosts=api_hosts(integration.api_url or DEFAULT_URL))
        if not name.lower().endswith((".mp3", ".wav")):
            name = "zadarma-%s.mp3" % re.sub(r"[^\w-]", "_", pending.recording_ref)[:80]
        return audio, name

    @classmethod
    def originate(cls, integration, extension, number):
        """``GET /v1/request/callback/?from=<extension>&to=<number>``."""
        try:
            answer = api_get(integration, "/v1/request/callback/", {"from": str(extension), "to": number})
            data = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise UserError(_("Zadarma did not answer: %s") % error)
        if answer.status_code != 200 or data.get("status") != "success":
            raise UserError(_("Zadarma refused the call: %s") % (data.get("message") or answer.status_code))
        return data
