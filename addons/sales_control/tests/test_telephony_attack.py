# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 15 from the attacker's chair: the vendors' adapters, the recording
queue and the reply wizard given hostile values (a leaked hook address with
its secret, a hostile or broken vendor). Each test states what must hold;
the HTTP side (concurrency, the real server) is
tests/test_telephony_attack_rpc.py."""
import base64
import json
import random
import string
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock
from urllib.parse import urlencode

import psycopg2
import requests
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from odoo.exceptions import UserError

from ..controllers.webhooks import WebhookError, record_call
from ..telephony import ADAPTERS
from ..telephony.base import VendorAdapter
from ..telephony.mango import mango_sign
from .common import SalesControlCase
from standins.mango import MangoStandIn  # noqa: E402 pylint: disable=wrong-import-order
from standins.zadarma import ZadarmaStandIn  # noqa: E402 pylint: disable=wrong-import-order


def bare_responses():
    return mock.patch.multiple(
        VendorAdapter,
        text_response=staticmethod(lambda status, text, content_type="": Response(text, status=status)),
        json_response=staticmethod(lambda status, payload: Response(json.dumps(payload), status=status,
                                                                    content_type="application/json")))


def form_request(form, headers=None, method="POST"):
    return EnvironBuilder(method=method, data=urlencode(form), headers=headers or {},
                          content_type="application/x-www-form-urlencoded").get_request()


def json_request(body, headers=None):
    environ = EnvironBuilder(method="POST", data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                             headers=headers or {}, content_type="application/json").get_environ()
    return Request(environ)


class _Hits(BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        body = b"internal secret: root password is hunter2"
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


class _Endless(object):
    """The raw stream of a hostile "recording": ``size`` zero bytes, made
    as they are read (never held whole by the test)."""

    def __init__(self, size):
        self.left = size
        self.read_bytes = 0

    def read(self, amount=None, **_kw):  # pylint: disable=method-required-super
        amount = min(amount or 1 << 20, self.left)
        self.left -= amount
        self.read_bytes += amount
        return b"\0" * amount

    def stream(self, amount=1 << 16, decode_content=True):
        while self.left:
            yield self.read(amount)

    def close(self):
        pass

    def release_conn(self):
        pass


def fake_response(content=None, raw=None, content_type="audio/mpeg"):
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = content_type
    if raw is not None:
        response.raw = raw
    else:
        response._content = content  # pylint: disable=protected-access
    return response


class TestTelephonyAttack(SalesControlCase):

    @classmethod
    def setUpClass(cls):
        super(TestTelephonyAttack, cls).setUpClass()
        Integration = cls.env["sales.telephony.integration"]
        cls.megafon = Integration.create({
            "name": "MF attack", "vendor": "megafon", "kind": "pbx", "api_key": "mf-key",
            "api_secret": "mf-crm-token", "api_url": "https://pbx.example", "user_id": cls.head.id})
        cls.mango = Integration.create({
            "name": "Mango attack", "vendor": "mango", "kind": "pbx", "api_key": "testkey",
            "api_secret": "testsalt"})
        cls.zadarma = Integration.create({
            "name": "Zadarma attack", "vendor": "zadarma", "kind": "pbx", "api_key": "testkey",
            "api_secret": "testsecret", "vendor_tz": "Europe/Moscow"})
        cls.wazzup = Integration.create({
            "name": "Wazzup attack", "vendor": "wazzup", "kind": "messenger", "api_key": "wz-key",
            "api_secret": "crm-key", "api_url": "http://wazzup.invalid", "vendor_tz": "Europe/Moscow"})
        cls.telegram = Integration.create({
            "name": "TG attack", "vendor": "telegram", "kind": "messenger", "api_key": "123:ABC",
            "api_secret": "s3cret", "api_url": "http://telegram.invalid"})
        cls.generic = Integration.create({"name": "Generic attack", "kind": "pbx"})
        cls.start = (datetime.utcnow() - timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")

    # -- helpers -----------------------------------------------------------------
    def run_adapter(self, integration, httprequest, subpath=""):
        adapter = ADAPTERS[integration.vendor](self.env(user=1, context={"tz": "UTC"}), integration,
                                               httprequest, subpath)
        with bare_responses():
            return adapter.handle()

    def megafon_history(self, callid, **fields):
        form = {"crm_token": "mf-crm-token", "cmd": "history", "type": "in", "status": "Success",
                "phone": "+7 916 555-44-33", "user": "", "ext": "101", "telnum": "74951204501",
                "diversion": "74951204500", "start": self.start, "duration": "190", "callid": callid}
        form.update(fields)
        return self.run_adapter(self.megafon, form_request(form))

    def queued(self, integration, call_ref):
        return self.env["sales.telephony.recording"].search([("integration_id", "=", integration.id),
                                                             ("call_ref", "=", call_ref)])

    def wazzup_message(self, message_id, **values):
        moment = (datetime.utcnow() + timedelta(hours=3) - timedelta(minutes=5)).replace(microsecond=0)
        item = {"messageId": message_id, "channelId": "c1", "chatType": "whatsapp", "chatId": "79165554433",
                "dateTime": moment.isoformat() + ".000", "type": "text", "isEcho": False, "text": "Привет"}
        item.update(values)
        return item

    def wazzup_touch(self, message_id):
        return self.env["sales.touch"].search([("integration_id", "=", self.wazzup.id),
                                               ("external_ref", "=", "wz:" + message_id)])

    # -- SSRF: the recording link -------------------------------------------------
    def test_megafon_link_to_an_internal_address_is_never_fetched(self):
        """Whoever holds the hook address and the crm_token (a leaked CRM
        setting) must not make the cron fetch an address inside our network
        (cloud metadata, Odoo itself, an intranet) and file the answer on a
        touch a salesman reads: only the PBX's own host, or public https."""
        server = HTTPServer(("127.0.0.1", 0), _Hits)
        _Hits.hits = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            link = "http://127.0.0.1:%d/latest/meta-data/iam/security-credentials/" % server.server_port
            self.megafon_history("ssrf-1", link=link)
            for recording in self.queued(self.megafon, "mf:ssrf-1"):
                recording._process()
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(_Hits.hits, [], "the cron fetched an internal address named by the event's link")
        touch = self.env["sales.touch"].search([("external_ref", "=", "mf:ssrf-1")])
        self.assertTrue(touch, "the call itself is still recorded")
        self.assertFalse(touch.recording_attachment_id)

    def _internal_server(self):
        server = HTTPServer(("127.0.0.1", 0), _Hits)
        _Hits.hits = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return "127.0.0.1:%d/latest/meta-data/" % server.server_port

    def _process(self, integration, call_ref, recording_id):
        recording, created = self.env["sales.telephony.recording"]._enqueue(integration, call_ref,
                                                                            recording_id=recording_id)
        self.assertTrue(created)
        recording._process()
        return recording

    def test_mango_redirect_to_an_internal_address_is_never_fetched(self):
        """Mango's recording/post answers a 302 to its one-time link: a
        Location inside our network (a hostile or spoofed API) is refused
        before any request reaches it, and the recording is tried again."""
        internal = self._internal_server()
        with MangoStandIn() as api:
            self.mango.api_url = api.url
            api.recordings["rec-ssrf"] = b"ID3 never"
            api.location = "https://" + internal
            recording = self._process(self.mango, "mango:ssrf-1", "rec-ssrf")
            api.location = "http://" + internal
            plain = self._process(self.mango, "mango:ssrf-2", "rec-ssrf")
            self.assertEqual(len(api.calls("/vpbx/queries/recording/post")), 2)
        self.assertEqual(_Hits.hits, [])
        self.assertEqual((recording.state, recording.attachment_id.id), ("pending", False))
        self.assertIn("internal address", recording.last_error)
        self.assertIn("not https", plain.last_error)

    def test_zadarma_link_to_an_internal_address_is_never_fetched(self):
        internal = self._internal_server()
        with ZadarmaStandIn() as api:
            self.zadarma.api_url = api.url
            api.recordings["rec-ssrf"] = b"ID3 never"
            api.link = "https://" + internal + "rec.mp3"
            recording = self._process(self.zadarma, "zd:ssrf-1", "rec-ssrf")
        self.assertEqual(_Hits.hits, [])
        self.assertEqual((recording.state, recording.attachment_id.id), ("pending", False))
        self.assertIn("internal address", recording.last_error)

    def test_zadarma_link_follows_one_redirect_each_hop_checked(self):
        """Zadarma's link may hand over to its file storage once: a redirect
        back to the API's host is followed; one to an internal address, or a
        second hop, is not."""
        internal = self._internal_server()
        with ZadarmaStandIn() as api:
            self.zadarma.api_url = api.url
            api.recordings["rec-moved"] = b"ID3 moved"
            api.recordings["rec-stored"] = b"ID3 stored"
            api.redirects["rec-moved"] = "%s/rec/rec-stored.mp3" % api.url
            moved = self._process(self.zadarma, "zd:moved", "rec-moved")
            self.assertEqual(base64.b64decode(moved.attachment_id.datas), b"ID3 stored")

            api.recordings["rec-inside"] = b"ID3 never"
            api.redirects["rec-inside"] = "https://" + internal + "rec.mp3"
            inside = self._process(self.zadarma, "zd:inside", "rec-inside")
            self.assertFalse(inside.attachment_id)
            self.assertIn("internal address", inside.last_error)

            api.recordings["rec-twice"] = b"ID3 never"
            api.redirects["rec-twice"] = "%s/rec/rec-moved.mp3" % api.url
            twice = self._process(self.zadarma, "zd:twice", "rec-twice")
            self.assertFalse(twice.attachment_id)
            self.assertIn("not followed", twice.last_error)
        self.assertEqual(_Hits.hits, [])

    def test_megafon_link_that_is_not_http_is_not_queued(self):
        """The link must be an http(s) URL before it is queued (the same
        rule record_call applies to recording_url)."""
        for number, link in enumerate(("file:///etc/passwd", "ftp://pbx.example/rec.mp3",
                                       "gopher://127.0.0.1:6379/_FLUSHALL")):
            callid = "scheme-%d" % number
            self.megafon_history(callid, link=link)
            self.assertFalse(self.queued(self.megafon, "mf:" + callid), link)

    # -- what is stored, and how big ----------------------------------------------
    def test_a_recording_that_is_html_is_not_served_as_html(self):
        """The cron creates the attachment as superuser, so Odoo keeps an
        HTML/SVG mimetype (ir.attachment._check_contents forces text/plain
        only for non-admins) and /web/content serves it inline on our
        origin: a stored XSS for whoever opens the recording."""
        self.megafon_history("xss-1", link="https://pbx.example/rec/xss-1.svg")
        recording = self.queued(self.megafon, "mf:xss-1")
        self.assertEqual(len(recording), 1)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
        with mock.patch("odoo.addons.sales_control.telephony.megafon.requests.get",
                        lambda *_a, **_kw: fake_response(svg, content_type="image/svg+xml")):
            recording._process()
        attachment = recording.attachment_id
        if attachment:
            mimetype = attachment.mimetype or ""
            self.assertFalse("ht" in mimetype or "xml" in mimetype or "svg" in mimetype,
                             "the recording is served as %s" % mimetype)

    def test_a_pushed_recording_named_html_is_not_served_as_html(self):
        """Same through record_call (the generic webhook, the AMI bridge):
        ``recording_filename`` decides the mimetype of a superuser's
        attachment."""
        env = self.env(user=1, context={"tz": "UTC"})
        record_call(env, self.generic, {
            "call_id": "xss-2", "direction": "in", "from": "+79165554433", "to": "74951204500",
            "start": (datetime.utcnow() - timedelta(hours=1)).isoformat() + "Z", "duration": 10,
            "recording_base64": base64.b64encode(b"<html><script>alert(1)</script></html>").decode(),
            "recording_filename": "call.html"})
        touch = env["sales.touch"].search([("integration_id", "=", self.generic.id), ("external_ref", "=", "xss-2")])
        mimetype = touch.recording_attachment_id.mimetype or ""
        self.assertFalse("ht" in mimetype or "xml" in mimetype, "the recording is served as %s" % mimetype)

    def test_a_huge_recording_is_refused_not_loaded_whole(self):
        """A link that streams without end (or a 150 MB "recording") must not
        be read whole into the cron worker's memory and stored: the download
        stops at a limit and the recording is retried or failed."""
        self.megafon_history("huge-1", link="https://pbx.example/rec/huge-1.mp3")
        recording = self.queued(self.megafon, "mf:huge-1")
        raw = _Endless(150 * 1024 * 1024)
        with mock.patch("odoo.addons.sales_control.telephony.megafon.requests.get",
                        lambda *_a, **_kw: fake_response(raw=raw)):
            recording._process()
        self.assertFalse(recording.attachment_id, "a 150 MB file was stored as the call's recording")
        self.assertLess(raw.read_bytes, 150 * 1024 * 1024, "the whole stream was read")

    def test_a_long_link_does_not_lose_the_call(self):
        """The queue's unique index holds the link (``key``): a link longer
        than a btree row (~2.7 kB) makes the INSERT fail with
        program_limit_exceeded, which _enqueue does not catch, so the call
        recorded a moment before is rolled back with it, at every retry."""
        rng = random.Random(15)
        link = "https://pbx.example/rec/" + "".join(rng.choice(string.ascii_letters + string.digits)
                                                    for _ in range(9000)) + ".mp3"
        try:
            with self.env.cr.savepoint():
                response = self.megafon_history("long-1", link=link)
        except psycopg2.Error as error:
            self.fail("the call was lost with its link: %s" % error)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.env["sales.touch"].search([("external_ref", "=", "mf:long-1")]))

    # -- refusals, not crashes ---------------------------------------------------------
    def test_non_ascii_mango_sign_is_a_403_not_a_crash(self):
        """hmac.compare_digest refuses str with non-ASCII characters
        (TypeError): a forged sign or key with one is a 500 ("error" in the
        log, the vendor retries) instead of the 403 of a wrong signature."""
        text = json.dumps({"entry_id": "x", "call_direction": 1, "create_time": int(time.time())})
        for key, sign in (("testkey", "é" * 64), ("ключ", mango_sign("testkey", text, "testsalt"))):
            with self.assertRaises(WebhookError) as caught:
                self.run_adapter(self.mango, form_request({"vpbx_api_key": key, "sign": sign, "json": text}),
                                 "events/summary")
            self.assertEqual(caught.exception.status, 403)

    def test_non_ascii_zadarma_signature_is_a_403_not_a_crash(self):
        form = {"event": "NOTIFY_END", "caller_id": "79165554433", "called_did": "74951204500",
                "call_start": (datetime.utcnow() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S"),
                "pbx_call_id": "in_x", "duration": "10", "disposition": "answered"}
        with self.assertRaises(WebhookError) as caught:
            self.run_adapter(self.zadarma, form_request(form, headers={"Signature": "Zm9v\xe9"}))
        self.assertEqual(caught.exception.status, 403)

    def test_megafon_infinite_duration_is_a_400(self):
        """int(float('1e999')) raises OverflowError, which _history does not
        catch: a 500 and an "error" line instead of a refusal."""
        with self.assertRaises(WebhookError) as caught:
            self.megafon_history("inf-1", duration="1e999")
        self.assertEqual(caught.exception.status, 400)

    def test_mango_create_time_out_of_range_is_a_400(self):
        text = json.dumps({"entry_id": "big-time", "call_direction": 1, "create_time": 10 ** 15,
                           "from": {"number": "79165554433"}, "to": {"extension": "101"}})
        form = {"vpbx_api_key": "testkey", "sign": mango_sign("testkey", text, "testsalt"), "json": text}
        with self.assertRaises(WebhookError) as caught:
            self.run_adapter(self.mango, form_request(form), "events/summary")
        self.assertEqual(caught.exception.status, 400)

    def test_wazzup_impossible_date_is_a_400(self):
        """DATE_TIME accepts month 13 and zone +99:99; strptime and
        check_age then raise ValueError: a 500 for the whole batch."""
        for value in ("2026-13-45T10:00:00.000", "2026-11-30T10:00:00+99:99"):
            with self.assertRaises(WebhookError) as caught:
                self.run_adapter(self.wazzup, json_request({"messages": [self.wazzup_message("d-1", dateTime=value)]},
                                                           {"Authorization": "Bearer crm-key"}))
            self.assertEqual(caught.exception.status, 400, value)

    def test_telegram_update_with_a_non_object_sender_is_a_400(self):
        update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()) - 60,
                                              "chat": {"id": 5, "type": "private"}, "from": "mallory",
                                              "text": "hi"}}
        with self.assertRaises(WebhookError) as caught:
            self.run_adapter(self.telegram, json_request(update, {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}))
        self.assertEqual(caught.exception.status, 400)

    # -- never losing an event ----------------------------------------------------------
    def test_one_broken_message_does_not_lose_the_rest_of_the_wazzup_batch(self):
        """A batch is one request: a message without messageId refuses it
        all (400, rolled back by the controller), so the good messages of the
        batch are lost, or the batch is retried and refused for ever."""
        body = {"messages": [self.wazzup_message("ok-1"), {"chatType": "whatsapp", "text": "no id"}]}
        try:
            response = self.run_adapter(self.wazzup, json_request(body, {"Authorization": "Bearer crm-key"}))
        except WebhookError as error:
            self.fail("the whole batch was refused (%s %s): message ok-1 is lost" % (error.status, error.message))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.wazzup_touch("ok-1")), 1)

    # -- the event log ------------------------------------------------------------------
    def test_unsigned_requests_do_not_wipe_the_last_error_from_the_log(self):
        """Mango's ping and Zadarma's zd_echo and unused events are logged
        before any signature is checked; the log keeps 200 lines. Anyone with
        the hook address (it is in the vendor's settings, proxies' logs)
        pushes the last refusal out, and "Check connection" no longer shows
        why the PBX's events are refused."""
        Event = self.env["sales.telephony.event"]
        Event._log(self.mango, "mango events/summary", "refused", "wrong vpbx_api_key or sign")
        Event._log(self.zadarma, "zadarma NOTIFY_END", "refused", "wrong Signature")
        for number in range(201):
            self.run_adapter(self.mango, form_request({}, method="GET"), "ping")
            self.run_adapter(self.zadarma, form_request({"event": "NOTIFY_SPAM", "pbx_call_id": "spam-%d" % number}))
        self.mango.invalidate_cache()
        self.zadarma.invalidate_cache()
        self.assertIn("wrong vpbx_api_key or sign", self.mango.last_error or "")
        self.assertIn("wrong Signature", self.zadarma.last_error or "")

    def test_an_integration_without_errors_shows_no_last_error(self):
        """_compute_last_event assigns ``error and "..."``: with no error that
        is the empty recordset, which the Text field shows as
        "sales.telephony.event()" under "Check connection"."""
        self.generic.invalidate_cache()
        self.assertFalse(self.generic.last_error)

    # -- the reply wizard ----------------------------------------------------------------
    def test_a_reply_too_long_to_record_is_not_sent(self):
        """record_message refuses a text over 100,000 characters, but only
        after send_text has delivered it: the client gets the message, the
        deal shows nothing, and WebhookError (not a UserError) reaches the
        user; a second click sends it again."""
        chat = self.env["sales.messenger.chat"]._touch_chat(self.telegram, 555099, {"name": "Иван"})
        chat.write({"lead_id": self.lead_member.id})
        wizard = self.env["sales.messenger.reply"].sudo(self.member).create(
            {"lead_id": self.lead_member.id, "chat_id": chat.id, "text": "x" * 100001})
        sent = []

        def fake_send(integration, chat_, text):
            sent.append(text)
            return "tg:555099:%d" % len(sent), datetime.utcnow().replace(microsecond=0).isoformat() + "+00:00"
        with mock.patch.object(ADAPTERS["telegram"], "send_text", staticmethod(fake_send)):
            with self.assertRaises(Exception) as caught:
                wizard.action_send()
        self.assertEqual(sent, [], "the message went out although it cannot be recorded")
        self.assertIsInstance(caught.exception, UserError)
