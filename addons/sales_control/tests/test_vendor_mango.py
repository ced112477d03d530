# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mango Office adapter (telephony/mango.py) and the recording queue, with
the requests built as Mango sends them and Mango's API played by
tests/standins/mango.py."""
import base64
import json
import os
import sys
import time
from datetime import datetime
from urllib.parse import urlencode

from unittest import mock

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from odoo import fields
from odoo.addons.sales_control.controllers.webhooks import WebhookError
from odoo.addons.sales_control.telephony import ADAPTERS, VendorAdapter
from odoo.addons.sales_control.telephony.mango import mango_sign

from .common import SalesControlCase

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests"))
from standins.mango import MangoStandIn  # noqa: E402 pylint: disable=wrong-import-position

# TELEPHONY.md section 1: the summary example and its test vector.
SUMMARY = ('{"entry_id":"NTAwOTQxMTAyMg==","call_direction":1,"from":{"number":"79165554433"},'
           '"to":{"extension":"101","number":"74951204500"},"line_number":"74951204500",'
           '"create_time":1795932900,"forward_time":1795932903,"talk_time":1795932910,'
           '"end_time":1795933094,"entry_result":1,"disconnect_reason":1110}')
SUMMARY_SIGN = "7d4b19d8bb6168d4342c5e2cfa74c4a0c19eb35d770879fdae5f0ce4cc047be1"


def vendor_request(method="POST", form=None, query=None, headers=None):
    """A werkzeug request as the vendor sends it."""
    data = urlencode(form) if form is not None else None
    builder = EnvironBuilder(method=method, query_string=urlencode(query or {}), data=data, headers=headers or {},
                             content_type="application/x-www-form-urlencoded" if data is not None else None)
    return builder.get_request()


class VendorCase(SalesControlCase):
    vendor = None

    @classmethod
    def setUpClass(cls):
        super(VendorCase, cls).setUpClass()
        cls.integration = cls.env["sales.telephony.integration"].create({
            "name": "Test %s" % cls.vendor, "vendor": cls.vendor, "kind": "pbx", "api_key": "testkey",
            "api_secret": "testsecret" if cls.vendor == "zadarma" else "testsalt", "vendor_tz": "Europe/Moscow",
            "extension_ids": [(0, 0, {"code": "101", "user_id": cls.member.id})]})

    def handle(self, subpath="", **request):
        adapter = ADAPTERS[self.vendor](self.env, self.integration, vendor_request(**request), subpath)
        # odoo.http.Response needs a bound request: plain werkzeug answers here.
        with mock.patch.multiple(
                VendorAdapter,
                text_response=staticmethod(lambda status, text, content_type="": Response(text, status=status)),
                json_response=staticmethod(lambda status, payload: Response(json.dumps(payload), status=status))):
            return adapter.handle()

    def events(self):
        return self.env["sales.telephony.event"].search([("integration_id", "=", self.integration.id)])

    def touch(self, ref):
        return self.env["sales.touch"].search([("integration_id", "=", self.integration.id),
                                               ("external_ref", "=", ref)])

    def recordings(self, ref):
        return self.env["sales.telephony.recording"].search([("integration_id", "=", self.integration.id),
                                                             ("call_ref", "=", ref)])


def mango_form(text, key="testkey", salt="testsalt"):
    return {"vpbx_api_key": key, "sign": mango_sign(key, text, salt), "json": text}


def summary(**changes):
    data = json.loads(SUMMARY)
    data.update(create_time=int(time.time()) - 300, talk_time=int(time.time()) - 290,
                end_time=int(time.time()) - 106)
    data.update(changes)
    return json.dumps(data, separators=(",", ":"))


class TestMango(VendorCase):
    vendor = "mango"

    def test_the_signature_is_the_documented_one(self):
        self.assertEqual(mango_sign("testkey", SUMMARY, "testsalt"), SUMMARY_SIGN)

    def test_summary_is_a_call_of_the_extensions_user(self):
        answer = self.handle("events/summary", form=mango_form(summary()))
        self.assertEqual(answer.status_code, 200)
        touch = self.touch("mango:NTAwOTQxMTAyMg==")
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.direction, touch.phone_from, touch.phone_to, touch.answered),
                         ("in", "79165554433", "74951204500", True))
        self.assertEqual(touch.duration, round(184 / 60.0, 2))
        self.assertEqual(touch.user_id, self.member)
        self.assertEqual(self.events()[0].state, "recorded")
        # Mango's retry: answered, recorded once.
        self.handle("events/summary", form=mango_form(summary()))
        self.assertEqual(len(self.touch("mango:NTAwOTQxMTAyMg==")), 1)
        self.assertEqual(self.events()[0].state, "duplicate")

    def test_summary_times_on_moscow_wall_clock_are_read_as_such(self):
        """Mango's knowledge base says the summary's times are UTC+3, its API
        reference says UTC: a true unix time is kept; one stamped from the
        Moscow wall clock (three hours ahead of a call that just ended) is
        read in the integration's zone; with a zone at UTC nothing moves."""
        now = int(time.time())
        self.handle("events/summary", form=mango_form(summary(entry_id="utc")))
        wall = 3 * 3600
        self.handle("events/summary", form=mango_form(summary(
            entry_id="msk", create_time=now - 300 + wall, talk_time=now - 290 + wall, end_time=now - 106 + wall)))
        utc, msk = self.touch("mango:utc"), self.touch("mango:msk")
        self.assertEqual(fields.Datetime.to_string(datetime.utcfromtimestamp(now - 300)), msk.date)
        self.assertLessEqual(abs((fields.Datetime.from_string(utc.date)
                                  - fields.Datetime.from_string(msk.date)).total_seconds()), 1)
        self.assertEqual(msk.duration, utc.duration)
        self.integration.vendor_tz = "UTC"
        self.handle("events/summary", form=mango_form(summary(
            entry_id="ahead", create_time=now - 300 + wall, talk_time=now - 290 + wall, end_time=now - 106 + wall)))
        self.assertEqual(fields.Datetime.to_string(datetime.utcfromtimestamp(now - 300 + wall)),
                         self.touch("mango:ahead").date)

    def test_missed_and_outgoing_calls(self):
        self.handle("events/summary", form=mango_form(summary(entry_id="missed", talk_time=0, entry_result=0)))
        missed = self.touch("mango:missed")
        self.assertEqual((missed.answered, missed.duration), (False, 0))
        self.handle("events/summary", form=mango_form(summary(
            entry_id="out", call_direction=2, **{"from": {"extension": "101", "number": "74951204500"},
                                                 "to": {"number": "74951112233"}})))
        out = self.touch("mango:out")
        self.assertEqual((out.direction, out.phone_to, out.user_id), ("out", "74951112233", self.member))
        self.assertEqual(out.lead_id, self.lead_member)

    def test_internal_calls_and_other_events_are_ignored(self):
        self.assertEqual(self.handle("events/summary", form=mango_form(summary(call_direction=0))).status_code, 200)
        self.assertFalse(self.touch("mango:NTAwOTQxMTAyMg=="))
        self.assertEqual(self.handle("events/call", form=mango_form('{"entry_id":"x"}')).status_code, 200)
        self.assertEqual(self.handle("ping", method="GET").status_code, 200)
        self.assertEqual(self.events().mapped("state"), ["ignored"] * 3)

    def test_refusals(self):
        text = summary()
        for form in (mango_form(text, salt="other"), mango_form(text, key="other"),
                     dict(mango_form(text), json=text.replace("79165554433", "79165554434")), {"json": text}):
            with self.assertRaises(WebhookError):
                self.handle("events/summary", form=form)
        with self.assertRaises(WebhookError) as refused:
            old = int(time.time()) - 8 * 24 * 3600
            self.handle("events/summary", form=mango_form(summary(create_time=old, talk_time=old + 10,
                                                                  end_time=old + 194)))
        self.assertIn("replay", refused.exception.message)
        self.assertFalse(self.touch("mango:NTAwOTQxMTAyMg=="))

    def test_recording_joins_the_call_either_way_and_is_downloaded_once_ready(self):
        with MangoStandIn() as api:
            self.integration.api_url = api.url
            api.recordings["rec-1"] = b"ID3 first"
            api.recordings["rec-2"] = b"ID3 second"
            api.not_ready["rec-2"] = 1
            # The recording before the call...
            added = '{"entry_id":"early","recording_id":"rec-1","timestamp":%d}' % int(time.time())
            self.handle("events/record/added", form=mango_form(added))
            self.handle("events/record/added", form=mango_form(added))  # a retry
            early = self.recordings("mango:early")
            self.assertEqual((len(early), early.state, early.touch_id.id), (1, "pending", False))
            self.env["sales.telephony.recording"]._cron_download()
            self.assertEqual(early.state, "pending")  # downloaded, waiting for its call
            self.assertTrue(early.attachment_id)
            self.handle("events/summary", form=mango_form(summary(entry_id="early")))
            early.next_try = "2000-01-01 00:00:00"
            self.env["sales.telephony.recording"]._cron_download()
            touch = self.touch("mango:early")
            self.assertEqual(early.state, "done")
            self.assertEqual(base64.b64decode(touch.recording_attachment_id.datas), b"ID3 first")
            self.assertEqual((touch.recording_attachment_id.res_model, touch.recording_attachment_id.res_id),
                             ("sales.touch", touch.id))
            # ... and after it, not ready at first.
            self.handle("events/summary", form=mango_form(summary(entry_id="late")))
            self.handle("events/record/added", form=mango_form('{"entry_id":"late","recording_id":"rec-2"}'))
            late = self.recordings("mango:late")
            self.assertEqual(late.touch_id, self.touch("mango:late"))
            self.env["sales.telephony.recording"]._cron_download()
            self.assertEqual((late.state, late.attempts), ("pending", 1))
            self.assertIn("not ready", late.last_error)
            late.next_try = "2000-01-01 00:00:00"
            self.env["sales.telephony.recording"]._cron_download()
            self.assertEqual(late.state, "done")
            self.assertTrue(self.touch("mango:late").recording_attachment_id)
            downloads = api.calls("/vpbx/queries/recording/post")
            self.assertEqual([item["json"] for item in downloads][-1], {"recording_id": "rec-2",
                                                                        "action": "download"})
            self.assertEqual(len(downloads), 3)
            self.assertTrue(all(item["form"]["sign"] == mango_sign("testkey", item["form"]["json"], "testsalt")
                                for item in downloads))

    def test_a_recording_never_ready_fails_after_the_last_attempt(self):
        from odoo.addons.sales_control.models.sales_telephony_recording import MAX_ATTEMPTS
        with MangoStandIn() as api:
            self.integration.api_url = api.url
            self.handle("events/record/added", form=mango_form('{"entry_id":"gone","recording_id":"none"}'))
            recording = self.recordings("mango:gone")
            for _attempt in range(MAX_ATTEMPTS):
                recording.next_try = "2000-01-01 00:00:00"
                self.env["sales.telephony.recording"]._cron_download()
            self.assertEqual((recording.state, recording.attempts), ("failed", MAX_ATTEMPTS))
            self.assertEqual(self.events()[0].state, "error")
