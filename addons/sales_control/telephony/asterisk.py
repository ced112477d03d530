# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Asterisk (on-premise, FreePBX/Issabel).

Asterisk has no webhook of its own. Two ways in (docs/telephony/asterisk.md):

* the AMI bridge (bridges/asterisk_ami_bridge.py) listens to the ``Cdr``
  events, joins the legs of one ``linkedid`` into one call and posts it to
  our JSON webhook /sales_control/webhook/call with the integration's token;
* a hangup handler of the dialplan calls ``CURL()`` with form fields to this
  adapter's address (/sales_control/hook/asterisk/<token>): form fields, not
  JSON, because the dialplan splits arguments on commas.

Click-to-call is the AMI ``Originate`` action (:meth:`AsteriskAdapter.originate`)."""
import re
import socket
from datetime import datetime
from urllib.parse import urlsplit

from odoo import _
from odoo.exceptions import UserError

from .base import VendorAdapter, register

AMI_PORT = 5038
AMI_TIMEOUT = 10  # seconds
ANSWERED = ("ANSWERED", "ANSWER")  # CDR(disposition), DIALSTATUS
# What may go into an AMI header: no line breaks, no spaces (header injection).
SAFE = re.compile(r"^[0-9A-Za-z_+*#.@-]{1,64}$")
CHANNEL_EXTENSION = re.compile(r"^[A-Za-z0-9]+/([^-@/;]+)")


def channel_extension(channel):
    """``PJSIP/101-0000002a`` -> ``101``; '' if the channel names none."""
    found = CHANNEL_EXTENSION.match(channel or "")
    return found.group(1) if found else ""


@register("asterisk")
class AsteriskAdapter(VendorAdapter):
    """The CURL() hangup handler's form: ``linkedid``, ``direction`` (in/out),
    ``src``, ``dst``, ``start`` (``CDR(start,u)``: epoch; or the server's
    local ``YYYY-MM-DD HH:MM:SS``, read in the integration's time zone),
    ``billsec``, ``disposition`` (``ANSWERED``/``DIALSTATUS``), who
    answered: ``extension`` or ``dstchannel``; optional ``did`` (our line)
    and ``recording_url`` (where the site publishes its recordings)."""

    def event_name(self):
        return "asterisk hangup"

    def handle(self):
        from ..controllers.webhooks import WebhookError
        if self.httprequest.method != "POST":
            raise WebhookError(405, "the dialplan posts with CURL(url,form); %s is not served"
                               % self.httprequest.method)
        form = self.form()
        linkedid = (form.get("linkedid") or form.get("uniqueid") or "").strip()
        if not linkedid:
            raise WebhookError(400, "field 'linkedid' is required")
        direction = (form.get("direction") or "").strip().lower()
        if direction not in ("in", "out"):
            raise WebhookError(400, "field 'direction' must be 'in' or 'out'")
        start = self._start(form.get("start"))
        self.check_age(start)
        try:
            billsec = int(float(form.get("billsec") or 0))
        except ValueError:
            raise WebhookError(400, "field 'billsec' must be a number of seconds")
        disposition = (form.get("disposition") or "").strip().upper()
        answered = disposition in ANSWERED if disposition else billsec > 0
        extension = (form.get("extension") or "").strip() or channel_extension(form.get("dstchannel"))
        if direction == "out" and not extension:
            extension = (form.get("src") or "").strip()
        payload = {
            "call_id": "ast:%s" % linkedid,
            "direction": direction,
            "from": form.get("src") or "",
            "to": form.get("did") or form.get("dst") or "",
            "start": start,
            "duration": billsec if answered else 0,
            "answered": answered,
            "manager_login": self.user_login(extension),
        }
        recording_url = (form.get("recording_url") or "").strip()
        if recording_url.lower().startswith(("http://", "https://")):
            payload["recording_url"] = recording_url  # a site that publishes its recordings
        answer = self.call(payload)
        return self.json_response(200, dict(answer, status="ok"))

    def _start(self, value):
        from ..controllers.webhooks import WebhookError
        text = (value or "").strip()
        try:
            if re.match(r"^\d+(\.\d+)?$", text):
                return self.unix_iso(float(text))
            return self.local_iso(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"))
        except (ValueError, OverflowError, OSError):
            raise WebhookError(400, "field 'start' must be CDR(start,u) or YYYY-MM-DD HH:MM:SS, not %r" % text[:40])

    # -- click-to-call -------------------------------------------------------
    @classmethod
    def _ami_address(cls, integration):
        url = (integration.sudo().api_url or "").strip()
        if not url:
            raise UserError(_("Enter the AMI address of your Asterisk (ami://host:5038) in the integration."))
        parts = urlsplit(url if "://" in url else "ami://" + url)
        try:
            port = parts.port or AMI_PORT
        except ValueError:
            raise UserError(_("The AMI address %s has no valid port.") % url)
        if not parts.hostname:
            raise UserError(_("The AMI address %s names no host.") % url)
        return parts.hostname, port

    @classmethod
    def originate(cls, integration, extension, number):
        """AMI ``Originate``: rings ``PJSIP/<extension>``, then dials
        ``number`` in context ``from-internal``. AMI user and secret are the
        integration's API key and secret."""
        number = re.sub(r"[^\d+]", "", number or "")
        extension = (extension or "").strip()
        if not SAFE.match(extension) or not SAFE.match(number):
            raise UserError(_("The extension or the number cannot be dialled: %s, %s") % (extension, number))
        host, port = cls._ami_address(integration)
        secret = integration.sudo()
        try:
            with socket.create_connection((host, port), timeout=AMI_TIMEOUT) as sock:
                ami = AmiClient(sock)
                ami.banner()
                answer = ami.action("Login", Username=secret.api_key or "", Secret=secret.api_secret or "",
                                    Events="off")
                if answer.get("Response") != "Success":
                    raise UserError(_("Asterisk refused the AMI login: %s") % answer.get("Message", ""))
                answer = ami.action("Originate", Channel="PJSIP/%s" % extension, Context="from-internal",
                                    Exten=number, Priority="1", Async="true")
                ami.action("Logoff")
        except (OSError, ConnectionError) as error:
            raise UserError(_("Asterisk did not answer at %s:%s: %s") % (host, port, error))
        if answer.get("Response") != "Success":
            raise UserError(_("Asterisk did not place the call: %s") % answer.get("Message", ""))
        return True


class AmiClient(object):
    """The few AMI exchanges Odoo needs: ``Key: Value`` lines, a blank line
    ends a message; answers are matched by ``ActionID``."""

    def __init__(self, sock):
        self.sock = sock
        self.file = sock.makefile("rb")
        self.counter = 0

    def banner(self):
        return self.file.readline().decode("utf-8", "replace").strip()

    def read_message(self):
        message = {}
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("AMI closed the connection")
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                if message:
                    return message
                continue
            key, _sep, value = line.partition(":")
            message[key.strip()] = value.strip()

    def action(self, name, **headers):
        self.counter += 1
        action_id = "odoo-%d" % self.counter
        lines = ["Action: %s" % name, "ActionID: %s" % action_id]
        lines += ["%s: %s" % (key, value) for key, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        while True:
            message = self.read_message()
            if "Response" in message and message.get("ActionID", action_id) == action_id:
                return message
