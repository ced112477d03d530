# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PBX and messenger webhooks (contract: docs/telephony-webhooks.md)."""
import base64
import binascii
import json
import logging
import random
import time
from datetime import datetime, timezone

import psycopg2
import psycopg2.errorcodes
import psycopg2.extensions

from odoo import SUPERUSER_ID, api, fields, http
from odoo.http import request
from odoo.tools import mute_logger

from ..models.common import check_odoo_series
from ..models.common import phone_region
from ..models.res_partner import normalize_phone
from ..models.sales_telephony_recording import safe_recording_file

_logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024 * 1024       # whole request (a recording may be inlined)
MAX_TEXT = 100000                 # characters of a messenger text
MAX_SHORT = 256                   # ids, numbers, channel names
MAX_DURATION = 7 * 24 * 3600      # seconds of one call
RETRIES = 3                       # tries again after a serialization failure, then 503


WEBHOOK_PREFIX = "/sales_control/webhook/"
HOOK_PREFIX = "/sales_control/hook/"  # the vendors' own formats (telephony/)


# Odoo 11 turns every request with a JSON content type into a JSON-RPC
# request (odoo.http.Root.get_request), which a PBX posting plain JSON is not:
# the answer would be an HTML 400 or a JSON-RPC error instead of the contract
# of docs/telephony-webhooks.md. Only the paths of these webhooks are served as
# plain HTTP requests; every other path keeps Odoo's behaviour. Written for
# Odoo 11.0's Root.get_request: on another Odoo the import fails (porting:
# docs/porting.md).
check_odoo_series("the webhooks' patch of odoo.http.Root.get_request")
_odoo_get_request = http.Root.get_request


def _get_request(self, httprequest):
    if httprequest.path.startswith((WEBHOOK_PREFIX, HOOK_PREFIX)):
        return http.HttpRequest(httprequest)
    return _odoo_get_request(self, httprequest)


http.Root.get_request = _get_request


class WebhookError(Exception):
    def __init__(self, status, message):
        super(WebhookError, self).__init__(message)
        self.status = status
        self.message = message


def _json_response(status, payload):
    return http.Response(
        json.dumps(payload, ensure_ascii=False), status=status,
        headers=[("Content-Type", "application/json; charset=utf-8")])


def _parse_datetime(value, name):
    """ISO 8601 to Odoo's naive UTC string; a naive value is taken as UTC."""
    if not isinstance(value, str):
        raise WebhookError(400, "field '%s' must be an ISO 8601 date-time string" % name)
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        # OverflowError: a zoned moment that falls outside years 1-9999 in UTC.
        raise WebhookError(400, "field '%s' is not an ISO 8601 date-time: %r" % (name, _printable(value[:50])))
    return fields.Datetime.to_string(moment)


def _printable(text):
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _text(value, name):
    """A string that the database can store: JSON may carry lone UTF-16
    surrogates, which no UTF-8 text can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise WebhookError(400, "field '%s' is not valid Unicode text" % name)
    return value


def _short(payload, name, required=False):
    value = payload.get(name)
    if value is None or value == "":
        if required:
            raise WebhookError(400, "field '%s' is required" % name)
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise WebhookError(400, "field '%s' must be a string" % name)
    if len(value) > MAX_SHORT:
        raise WebhookError(400, "field '%s' is longer than %d characters" % (name, MAX_SHORT))
    return _text(value, name)


def _retrying(cr, env, attempt):
    """``attempt()``, tried again (``RETRIES`` times, after a short random
    pause) when PostgreSQL answers a serialization failure or a deadlock:
    two missed calls of one client at once both subscribe its salesperson
    to the deal's followers when they schedule the call-back, and one of
    them must give way. Odoo retries so for RPC (odoo.service.model), not
    for HTTP routes; without it the PBX got a 503 and had to send the call
    again. Each try starts from a clean transaction and cache."""
    for tried in range(RETRIES + 1):
        try:
            return attempt()
        except psycopg2.extensions.TransactionRollbackError:
            if tried == RETRIES:
                raise
            cr.rollback()
            env.clear()
            time.sleep(random.uniform(0.05, 0.2) * 2 ** tried)


def _direction(payload):
    value = payload.get("direction")
    if value not in ("in", "out"):
        raise WebhookError(400, "field 'direction' must be 'in' or 'out'")
    return value


class SalesWebhooks(http.Controller):

    def _handle(self, kind, handler):
        """Common part: body size, JSON, token; then ``handler(env, integration, payload)``."""
        try:
            if request.httprequest.content_length and request.httprequest.content_length > MAX_BODY:
                raise WebhookError(413, "payload larger than %d bytes" % MAX_BODY)
            raw = request.httprequest.get_data(cache=False)
            if len(raw) > MAX_BODY:
                raise WebhookError(413, "payload larger than %d bytes" % MAX_BODY)
            token = request.httprequest.headers.get("X-Sales-Token") or ""
            auth = request.httprequest.headers.get("Authorization") or ""
            if not token and auth.lower().startswith("bearer "):
                token = auth[7:].strip()
            if not request.db:
                raise WebhookError(400, "no database selected")
            # auth='none': no user yet. The superuser is used only to find the
            # integration by its token; nothing is read or written before the
            # token matches an active integration of the right kind.
            env = api.Environment(request.cr, SUPERUSER_ID, {})
            integration = env["sales.telephony.integration"].search(
                [("token", "=", token), ("kind", "=", kind)], limit=1) if token else None
            if not integration:
                raise WebhookError(403, "missing or invalid token")
            try:
                payload = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                raise WebhookError(400, "body is not valid JSON: %s" % error)
            if not isinstance(payload, dict):
                raise WebhookError(400, "body must be a JSON object")
            env = env(context={"tz": "UTC"})
            result = _retrying(request.cr, env, lambda: handler(env, integration, payload))
            return _json_response(200, dict(result, status="ok"))
        except WebhookError as error:
            return _json_response(error.status, {"status": "error", "error": error.message})
        except psycopg2.extensions.TransactionRollbackError:
            # Two deliveries touched the same rows at once: nothing was kept,
            # and the PBX's retry will be recorded (or answered as a duplicate).
            request.cr.rollback()
            return _json_response(503, {"status": "error", "error": "busy, retry the delivery"})
        except Exception:  # pylint: disable=broad-except
            # The contract answers JSON whatever happens, never Odoo's HTML page.
            _logger.exception("Webhook %s failed", request.httprequest.path)
            request.cr.rollback()
            return _json_response(500, {"status": "error", "error": "internal error, see the server log"})

    # -- calls ---------------------------------------------------------
    @http.route("/sales_control/webhook/call", type="http", auth="none", methods=["POST"], csrf=False)
    def webhook_call(self, **_kw):
        return self._handle("pbx", record_call)

    # -- messenger -----------------------------------------------------
    @http.route("/sales_control/webhook/message", type="http", auth="none", methods=["POST"], csrf=False)
    def webhook_message(self, **_kw):
        return self._handle("messenger", record_message)

    # -- vendors' own formats (telephony/) -------------------------------
    @http.route([HOOK_PREFIX + "<string:vendor>/<string:token>",
                 HOOK_PREFIX + "<string:vendor>/<string:token>/<path:subpath>"],
                type="http", auth="none", methods=["GET", "POST"], csrf=False)
    def vendor_hook(self, vendor, token, subpath="", **_kw):
        """A vendor posts here in its own format: the integration is found by
        the secret path, the vendor's adapter checks the vendor's own
        signature and turns its events into calls and messages."""
        from ..telephony import ADAPTERS
        adapter_class = ADAPTERS.get(vendor)
        if not request.db or adapter_class is None:
            return http.Response("unknown integration", status=404)
        # The same limit as the JSON webhooks, before anything reads the body
        # (the adapters read forms and JSON whole).
        length = request.httprequest.content_length
        if length and length > MAX_BODY:
            return http.Response("payload larger than %d bytes" % MAX_BODY, status=413)
        request.httprequest.max_content_length = MAX_BODY
        env = api.Environment(request.cr, SUPERUSER_ID, {"tz": "UTC"})
        integration = env["sales.telephony.integration"].search(
            [("token", "=", token), ("vendor", "=", vendor)], limit=1) if token else None
        if not integration:
            _logger.warning("Webhook of an unknown %s integration refused", vendor)
            return http.Response("unknown integration", status=404)
        adapter = adapter_class(env, integration, request.httprequest, subpath)
        try:
            return _retrying(request.cr, env, adapter.handle)
        except WebhookError as error:
            request.cr.rollback()
            env["sales.telephony.event"]._log(integration, adapter.event_name(), "refused", error.message)
            return adapter.error_response(error.status, error.message)
        except psycopg2.extensions.TransactionRollbackError:
            request.cr.rollback()
            return adapter.error_response(503, "busy, retry the delivery")
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Webhook %s failed", request.httprequest.path)
            request.cr.rollback()
            env["sales.telephony.event"]._log(integration, adapter.event_name(), "error", str(error))
            return adapter.error_response(500, "internal error, see the server log")


def record_call(env, integration, payload):
    """Records one call in our contract's shape (docs/telephony-webhooks.md):
    the generic webhook and every vendor adapter end here."""
    call_id = _short(payload, "call_id", required=True)
    direction = _direction(payload)
    number_from = _short(payload, "from", required=True)
    number_to = _short(payload, "to", required=True)
    start = _parse_datetime(payload.get("start"), "start") if payload.get("start") is not None \
        else _missing("start")
    duration = payload.get("duration", 0)
    # NaN and Infinity (which Python's json reads) fail the comparison too.
    if isinstance(duration, bool) or not isinstance(duration, (int, float)) \
            or not 0 <= duration <= MAX_DURATION:
        raise WebhookError(400, "field 'duration' must be a number of seconds from 0 to %d" % MAX_DURATION)
    answered = payload.get("answered", duration > 0)
    if not isinstance(answered, bool):
        raise WebhookError(400, "field 'answered' must be true or false")
    recording_url = _short(payload, "recording_url")
    if recording_url and not recording_url.lower().startswith(("http://", "https://")):
        raise WebhookError(400, "field 'recording_url' must be an http(s) URL")
    recording = payload.get("recording_base64")
    if recording is not None:
        try:
            recording = base64.b64decode(recording, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise WebhookError(400, "field 'recording_base64' is not valid base64")

    existing = _recorded(env, integration, call_id)
    if existing:
        return _answer(existing, True)

    client_number = number_from if direction == "in" else number_to
    partner, lead, user, vals = _attribution(env, integration, payload, client_number, call_id)
    vals.update({
        "touch_type": "call",
        "direction": direction,
        "source": "telephony",
        "date": start,
        "duration": round(duration / 60.0, 2),
        "answered": answered,
        "outcome": False if answered else "missed",
        "phone_from": number_from,
        "phone_to": number_to,
        "recording_url": recording_url,
    })
    touch, duplicate = _record_once(env, integration, vals)
    if duplicate:
        return duplicate
    if recording:
        # The superuser's attachment keeps the mimetype of its name: only an
        # audio one, never HTML/SVG served inline by /web/content.
        filename, mimetype = safe_recording_file(_short(payload, "recording_filename") or "call-%s.mp3" % call_id,
                                                 "call-%s" % touch.id)
        attachment = env["ir.attachment"].create({
            "name": filename,
            "datas": base64.b64encode(recording),
            "datas_fname": filename,
            "mimetype": mimetype,
            "res_model": "sales.touch",
            "res_id": touch.id,
        })
        touch._captured().write({"recording_attachment_id": attachment.id})
    if direction == "in" and not answered:
        _schedule_call_back(env, touch, lead, partner, user, number_from)
    return _answer(touch, False)


def record_message(env, integration, payload, phone_required=True):
    """Records one messenger message in our contract's shape. A messenger
    adapter may record a message of a chat whose phone is not known yet
    (``phone_required=False``, Telegram): it is recorded unmatched."""
    message_id = _short(payload, "message_id", required=True)
    channel = _short(payload, "channel", required=True)
    direction = _direction(payload)
    number = _short(payload, "phone", required=phone_required)
    date = _parse_datetime(payload.get("date"), "date") if payload.get("date") is not None \
        else _missing("date")
    text = payload.get("text", "")
    if not isinstance(text, str):
        raise WebhookError(400, "field 'text' must be a string")
    if len(text) > MAX_TEXT:
        raise WebhookError(413, "field 'text' is longer than %d characters" % MAX_TEXT)
    text = _text(text.replace("\x00", ""), "text")

    existing = _recorded(env, integration, message_id)
    if existing:
        return _answer(existing, True)
    _partner, _lead, _user, vals = _attribution(env, integration, payload, number, message_id)
    vals.update({
        "touch_type": "messenger",
        "direction": direction,
        "source": "messenger",
        "date": date,
        "channel": channel,
        "body": text,
        "summary": (text.splitlines() or [channel])[0][:80] or channel,
        "phone_from": number if direction == "in" else False,
        "phone_to": number if direction == "out" else False,
    })
    touch, duplicate = _record_once(env, integration, vals)
    return duplicate or _answer(touch, False)


def _recorded(env, integration, external_ref):
    """The touch already recorded for this call or message id, if any."""
    return env["sales.touch"].search([("integration_id", "=", integration.id),
                                      ("external_ref", "=", external_ref)], limit=1)


def _answer(touch, duplicate):
    return {"touch_id": touch.id, "duplicate": duplicate, "matched": _matched(touch)}


def _attribution(env, integration, payload, number, external_ref):
    """The client, deal and manager of a call or message with ``number``,
    and the values of the touch that say so."""
    # The login the PBX names, else the user its extension stands for.
    manager = _manager(env, payload) or integration._user_of(_short(payload, "extension") or "")
    partner, lead = _match_client(env, number, manager, region=phone_region(integration))
    user = manager or lead.user_id or partner.commercial_partner_id.user_id or integration.user_id
    return partner, lead, user, {
        "integration_id": integration.id,
        "external_ref": external_ref,
        "lead_id": lead.id,
        "partner_id": partner.commercial_partner_id.id or partner.id,
        "user_id": user.id,
        # An unmatched call or message belongs to no team: only the head sees it.
        "team_id": lead.team_id.id or (partner and user.sale_team_id.id) or False,
        "company_id": integration.company_id.id,
    }


def _record_once(env, integration, vals):
    """Record the touch: (touch, None); or, when the same id was recorded by
    another delivery at the same moment (a PBX retrying on a timeout), the
    unique constraint stops this one: (None, the duplicate's answer)."""
    try:
        # A second delivery of an event is expected (issue 12): not an ERROR
        # of the server's log with the call's numbers in its query. Any other
        # failure is raised and logged by _handle.
        with env.cr.savepoint(), mute_logger("odoo.sql_db"):
            return env["sales.touch"]._record(vals), None
    except psycopg2.IntegrityError as error:
        if error.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
            raise
        existing = _recorded(env, integration, vals["external_ref"])
        if existing:
            return None, _answer(existing, True)
        # The other delivery committed after this transaction's snapshot was
        # taken (repeatable read): only a new transaction sees its touch.
        with env.registry.cursor() as cr:
            existing = _recorded(env(cr=cr), integration, vals["external_ref"])
            if not existing:
                raise
            return None, _answer(existing, True)


def _missing(name):
    raise WebhookError(400, "field '%s' is required" % name)


def _matched(touch):
    if touch.lead_id:
        return "lead"
    if touch.partner_id:
        return "partner"
    return "unmatched"


def _manager(env, payload):
    """The manager named by the PBX: by login; by e-mail only when exactly
    one user has it (every user may set his own e-mail, so an e-mail that
    another user copied names nobody)."""
    login = _short(payload, "manager_login")
    Users = env["res.users"]
    if not login:
        return Users
    user = Users.search([("login", "=", login)], limit=1)
    if user:
        return user
    users = Users.search([("email", "=ilike", login)], limit=2)
    return users if len(users) == 1 else Users


def _match_client(env, number, manager=None, region=None):
    """(partner, open deal) for a phone number; either may be empty. Of the
    client's open deals, the newest of the manager the PBX names, else the
    oldest: a deal (or a client card) that anybody opens later does not take
    the calls of the manager who works the client. A number in national
    notation is read for ``region`` (the integration's company's country)."""
    Lead = env["crm.lead"]
    key = normalize_phone(number, region)
    if not key:
        return env["res.partner"], Lead
    partners = env["res.partner"]._sales_find_by_phone(number, region)
    if not partners:
        # A lead not yet linked to a client, known only by its phone number.
        lead = Lead.search(["|", ("sales_phone_norm", "=", key), ("sales_mobile_norm", "=", key),
                            ("probability", "<", 100)], order="create_date desc", limit=1)
        return lead.partner_id, lead
    clients = partners.mapped("commercial_partner_id")
    open_deals = [("partner_id", "child_of", clients.ids), ("type", "=", "opportunity"), ("probability", "<", 100)]
    # Two indexed lookups of one row each, not every open deal of the client.
    named = Lead.search(open_deals + [("user_id", "=", manager.id)], order="create_date desc, id desc",
                        limit=1) if manager else Lead
    return partners[:1], named or Lead.search(open_deals, order="create_date, id", limit=1)


def _schedule_call_back(env, touch, lead, partner, user, number):
    """A missed incoming call: a call-back activity for the responsible manager."""
    record = lead or partner.commercial_partner_id
    if not record or not user:
        return
    activity_type = env.ref("sales_control.mail_activity_type_call")
    env["mail.activity"].create({
        "res_model_id": env["ir.model"]._get(record._name).id,
        "res_id": record.id,
        "activity_type_id": activity_type.id,
        "user_id": user.id,
        "summary": "%s %s" % (env["sales.touch"].with_context(lang=user.lang)._call_back_label(), number),
        "date_deadline": fields.Date.today(),
    })
