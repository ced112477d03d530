# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""MegaFon Virtual PBX ("Виртуальная АТС", megapbx.ru), its CRM API.

The PBX posts form data to the one CRM address of the account with
``crm_token`` (the key the PBX shows, kept as the integration's secret) and
``cmd``: ``history`` once a call has ended (the call: ``callid``, ``type``,
``status``, ``phone``, ``user``, ``ext``, ``telnum``, ``diversion``,
``start`` as ``YYYYmmddTHHMMSSZ`` in UTC, ``duration``, ``link`` of the
recording), ``event`` (pop-ups), ``contact`` (who the caller is and who
answers him) and ``rating``. Click-to-call is ``POST /crmapi/v1/makecall``
with the PBX's API key. See ../shared/TELEPHONY.md section 3 and
docs/telephony/megafon.md."""
import hmac
import logging
from datetime import datetime

import pytz
import requests

from odoo import _
from odoo.exceptions import UserError

from ..models.common import phone_region
from .base import VendorAdapter, register

_logger = logging.getLogger(__name__)

TIMEOUT = 30  # seconds: the vendor's API (click-to-call, recording download)
ANSWERED = "success"
IGNORED_COMMANDS = ("event", "rating")


@register("megafon")
class MegafonAdapter(VendorAdapter):

    def event_name(self):
        return "megafon %s" % (self.form().get("cmd") or self.httprequest.method)

    def handle(self):
        from ..controllers.webhooks import WebhookError
        if self.httprequest.method != "POST":
            raise WebhookError(405, "MegaFon posts its events; %s is not served" % self.httprequest.method)
        form = self.form()
        expected = self.integration.api_secret or ""
        token = form.get("crm_token") or ""
        if not expected or not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
            raise WebhookError(401, "crm_token does not match the integration's CRM token")
        cmd = (form.get("cmd") or "").strip().lower()
        if cmd == "history":
            return self._history(form)
        if cmd == "contact":
            return self._contact(form)
        if cmd in IGNORED_COMMANDS:
            self.ignore("cmd=%s is for pop-ups and ratings, not recorded" % cmd, form.get("callid") or "")
            return self.json_response(200, {"status": "ok", "ignored": True})
        raise WebhookError(400, "unknown cmd %r" % cmd[:50])

    # -- cmd=history: the call ----------------------------------------------
    def _history(self, form):
        from ..controllers.webhooks import WebhookError
        callid = (form.get("callid") or "").strip()
        if not callid:
            raise WebhookError(400, "field 'callid' is required")
        kind = (form.get("type") or "").strip().lower()
        if kind not in ("in", "out"):
            raise WebhookError(400, "field 'type' must be 'in' or 'out'")
        start = self._start(form.get("start"))
        self.check_age(start)
        try:
            total = int(float(form.get("duration") or 0))
        except (ValueError, OverflowError):  # 'abc', 'nan'; '1e999
            raise WebhookError(400, "field 'duration' must be a number of seconds")
        answered = (form.get("status") or "").strip().lower() == ANSWERED
        client = form.get("phone") or ""
        ours = form.get("diversion") or form.get("telnum") or form.get("ext") or form.get("user") or ""
        if kind == "in":
            number_from, number_to = client, ours
        else:
            number_from, number_to = form.get("telnum") or form.get("diversion") or form.get("ext") or "", client
        login = (form.get("user") or "").strip()
        payload = {
            "call_id": "mf:%s" % callid,
            "direction": kind,
            "from": number_from,
            "to": number_to,
            "start": start,
            # MegaFon's duration is the whole call; a missed call talked for none of it.
            "duration": total if answered else 0,
            "answered": answered,
            "manager_login": self._manager_login(login, form.get("ext")),
        }
        link = (form.get("link") or "").strip()
        if link and not link.lower().startswith(("http://", "https://")):
            # file:, ftp:, gopher: ... are never fetched: the call is kept, the link is not.
            self.log("ignored", "recording link %r is not an http(s) URL: not queued" % link[:100],
                     "mf:%s" % callid)
            link = ""
        answer = self.call(payload, event=self.event_name())
        if link and not answer.get("duplicate"):
            self.env["sales.telephony.recording"]._enqueue(self.integration, payload["call_id"], url=link)
        return self.json_response(200, dict(answer, status="ok"))

    def _start(self, value):
        from ..controllers.webhooks import WebhookError
        text = (value or "").strip()
        try:
            moment = datetime.strptime(text, "%Y%m%dT%H%M%SZ")
        except ValueError:
            raise WebhookError(400, "field 'start' must be YYYYmmddTHHMMSSZ (UTC), not %r" % text[:40])
        return pytz.utc.localize(moment).isoformat()

    def _manager_login(self, login, extension=None):
        """Our user of the PBX login: by the extension map (login, then the
        extension), else the login itself when it is one of ours."""
        mapped = self.user_login(login) or self.user_login(extension or "")
        if mapped:
            return mapped
        if login and self.env["res.users"].search([("login", "=", login)], limit=1):
            return login
        return ""

    # -- cmd=contact: who is calling, who should answer ------------------------
    def _contact(self, form):
        from ..controllers.webhooks import _match_client
        phone = form.get("phone") or ""
        partner, lead = _match_client(self.env, phone, region=phone_region(self.integration))
        answer = {}
        if partner or lead:
            client = partner.commercial_partner_id or lead.partner_id
            answer["contact_name"] = partner.name or lead.partner_name or lead.contact_name or lead.name or ""
            if client and client != partner:
                answer["contact_name"] = "%s (%s)" % (answer["contact_name"], client.name)
            owner = lead.user_id or client.user_id
            code = self.integration.extension_ids.filtered(lambda ext: ext.user_id == owner)[:1].code
            if code:
                answer["responsible"] = code
        self.log("ignored", "cmd=contact answered%s" % (" (known client)" if answer else " (unknown number)"),
                 form.get("callid") or "")
        return self.json_response(200, answer)

    # -- the vendor's API ------------------------------------------------------
    @classmethod
    def _api(cls, integration):
        base = (integration.sudo().api_url or "").rstrip("/")
        if not base:
            raise UserError(_("Enter the address of your MegaFon PBX (https://<name>.megapbx.ru) "
                              "in the integration."))
        return base

    @classmethod
    def originate(cls, integration, extension, number):
        """Click-to-call: the PBX rings the user (MegaFon login ``extension``),
        then dials ``number``."""
        base = cls._api(integration)
        try:
            response = requests.post("%s/crmapi/v1/makecall" % base, json={"user": extension, "phone": number},
                                     headers={"X-API-KEY": integration.sudo().api_key or ""}, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise UserError(_("MegaFon PBX did not answer: %s") % error)
        if response.status_code >= 300:
            raise UserError(_("MegaFon PBX refused the call (HTTP %s): %s")
                            % (response.status_code, response.text[:200]))
        return True

    @classmethod
    def download_recording(cls, integration, pending):
        """The recording of ``pending`` (its link from cmd=history) as
        (bytes, filename); raises when it cannot be had (yet). The link is
        the event's word: it is fetched only from the PBX's own host (the
        integration's address, with the API key) or a public https address,
        with no redirects, at most MAX_BYTES (telephony/download.py)."""
        from .download import api_hosts, is_api_host, safe_download
        url = getattr(pending, "url", None) or getattr(pending, "recording_url", None) or ""
        if not url:
            raise _recording_error("the MegaFon event gave no recording link")
        headers = {}
        base = integration.sudo().api_url or ""
        if base and is_api_host(url, base) and integration.sudo().api_key:
            # The link is on the PBX itself: it may want the API key as the API does.
            headers["X-API-KEY"] = integration.sudo().api_key
        data, name = safe_download(url, allowed_hosts=api_hosts(base), headers=headers, timeout=TIMEOUT,
                                   refuse_types=("text/html", "application/json"))
        name = name or "recording.mp3"
        if "." not in name:
            name += ".mp3"
        return data, name


def _recording_error(message):
    """The queue's "not yet, try later" error (no traceback in the log)."""
    try:
        from ..models.sales_telephony_recording import RecordingError
    except ImportError:  # the queue is not installed yet
        return UserError(message)
    return RecordingError(message)
