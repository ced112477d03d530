# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The MegaFon Virtual PBX adapter (telephony/megafon.py): its form events
(../shared/TELEPHONY.md section 3), click-to-call and recording download
against the stand-in (tests/standins/megafon.py)."""
import importlib.util
import json
import os
from datetime import datetime, timedelta
from unittest import mock

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from odoo.exceptions import UserError

from ..controllers.webhooks import WebhookError
from ..telephony import ADAPTERS
from ..telephony.base import VendorAdapter
from .common import SalesControlCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def load_stand_in(name):
    spec = importlib.util.spec_from_file_location("standin_%s" % name,
                                                  os.path.join(ROOT, "tests", "standins", "%s.py" % name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def request(data, method="POST"):
    return EnvironBuilder(method=method, path="/sales_control/hook/megafon/x", data=data).get_request()


def handle(adapter):
    """adapter.handle() outside a request: odoo.http.Response needs a bound
    request, so plain werkzeug answers here."""
    with mock.patch.multiple(
            VendorAdapter,
            text_response=staticmethod(lambda status, text, content_type="": Response(text, status=status)),
            json_response=staticmethod(lambda status, payload: Response(json.dumps(payload, ensure_ascii=False),
                                                                        status=status))):
        return adapter.handle()


class TestVendorMegafon(SalesControlCase):

    @classmethod
    def setUpClass(cls):
        super(TestVendorMegafon, cls).setUpClass()
        cls.integration = cls.env["sales.telephony.integration"].create({
            "name": "MegaFon test", "vendor": "megafon", "kind": "pbx", "api_key": "mf-key",
            "api_secret": "mf-crm-token", "user_id": cls.head.id,
            "extension_ids": [(0, 0, {"code": "member.mf", "user_id": cls.member.id})],
        })
        cls.start = (datetime.utcnow() - timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")

    def post(self, **fields):
        data = {"crm_token": "mf-crm-token"}
        data.update(fields)
        return handle(ADAPTERS["megafon"](self.env, self.integration, request(data), ""))

    def history(self, **fields):
        data = {"cmd": "history", "type": "in", "status": "Success", "phone": "+7 916 555-44-33",
                "user": "member.mf", "ext": "101", "telnum": "74951204501", "diversion": "74951204500",
                "start": self.start, "duration": "190", "callid": "43294397431"}
        data.update(fields)
        return self.post(**data)

    def touch(self, callid="43294397431"):
        return self.env["sales.touch"].search([("integration_id", "=", self.integration.id),
                                               ("external_ref", "=", "mf:%s" % callid)])

    def test_history_is_a_call_of_the_mapped_manager_on_the_client_deal(self):
        response = self.history()
        self.assertEqual(response.status_code, 200, response.data)
        touch = self.touch()
        self.assertEqual(len(touch), 1)
        self.assertEqual(touch.direction, "in")
        self.assertTrue(touch.answered)
        self.assertEqual(touch.user_id, self.member)
        self.assertEqual(touch.lead_id, self.lead_member)
        self.assertEqual(touch.phone_to, "74951204500")
        self.assertAlmostEqual(touch.duration, round(190 / 60.0, 2))
        moment = datetime.strptime(self.start, "%Y%m%dT%H%M%SZ")
        self.assertEqual(touch.date, moment.strftime("%Y-%m-%d %H:%M:%S"))  # UTC kept as is
        # MegaFon retries: the same callid is the same touch.
        again = self.history()
        self.assertEqual(again.status_code, 200)
        self.assertIn(b'"duplicate": true', again.data)
        self.assertEqual(len(self.touch()), 1)
        states = self.integration.event_ids.mapped("state")
        self.assertIn("recorded", states)
        self.assertIn("duplicate", states)

    def test_outgoing_missed_call_and_a_login_that_is_ours(self):
        self.history(type="out", status="NotAvailable", user="sc_other", callid="out-1", duration="25",
                     phone="84951112233")
        touch = self.touch("out-1")
        self.assertEqual(touch.direction, "out")
        self.assertFalse(touch.answered)
        self.assertEqual(touch.duration, 0)
        self.assertEqual(touch.phone_to, "84951112233")
        self.assertEqual(touch.phone_from, "74951204501")
        self.assertEqual(touch.user_id, self.other)  # an Odoo login, not in the map

    def test_a_wrong_crm_token_is_refused_with_401(self):
        for token in ("wrong", ""):
            with self.assertRaises(WebhookError) as caught:
                self.post(cmd="history", crm_token=token, callid="bad", type="in", start=self.start)
            self.assertEqual(caught.exception.status, 401)
        self.assertFalse(self.touch("bad"))

    def test_bad_fields_and_replays_are_refused(self):
        for fields in ({"start": "2026-11-29 09:15"}, {"type": "both"}, {"callid": ""}, {"duration": "long"}):
            with self.assertRaises(WebhookError) as caught:
                self.history(**fields)
            self.assertEqual(caught.exception.status, 400, fields)
        old = (datetime.utcnow() - timedelta(days=30)).strftime("%Y%m%dT%H%M%SZ")
        with self.assertRaises(WebhookError) as caught:
            self.history(start=old, callid="old")
        self.assertEqual(caught.exception.status, 403)
        self.assertFalse(self.touch("old"))

    def test_events_and_ratings_are_answered_and_ignored(self):
        for cmd in ("event", "rating"):
            response = self.post(cmd=cmd, type="INCOMING", phone="79165554433", callid="ev-1")
            self.assertEqual(response.status_code, 200)
        self.assertFalse(self.touch("ev-1"))
        self.assertEqual(self.integration.event_ids[:2].mapped("state"), ["ignored", "ignored"])

    def test_contact_names_the_client_and_the_deal_owner(self):
        response = self.post(cmd="contact", phone="+79165554433", callid="c-1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Иванов Иван".encode("utf-8"), response.data)
        self.assertIn(b'"responsible": "member.mf"', response.data)
        unknown = self.post(cmd="contact", phone="+79990000001")
        self.assertEqual(unknown.data, b"{}")

    def test_the_recording_link_is_queued_not_downloaded_in_the_webhook(self):
        link = "https://pbx.example/rec/43294397431.mp3"
        self.history(link=link)
        if "sales.telephony.recording" in self.env.registry:
            queued = self.env["sales.telephony.recording"].search([("integration_id", "=", self.integration.id)])
            self.assertEqual(queued.mapped("url"), [link])
            self.assertEqual(queued.call_ref, "mf:43294397431")
        else:
            self.assertEqual(self.touch().recording_url, link)

    def test_click_to_call_and_recording_download_against_the_stand_in(self):
        module = load_stand_in("megafon")
        stand_in = module.MegafonStandIn(api_key="mf-key").start()
        try:
            self.integration.api_url = stand_in.url
            adapter = ADAPTERS["megafon"]
            self.assertTrue(adapter.originate(self.integration, "member.mf", "79165554433"))
            self.assertEqual(stand_in.calls, [{"user": "member.mf", "phone": "79165554433"}])
            self.assertEqual(stand_in.received[-1]["headers"]["X-Api-Key"], "mf-key")
            self.integration.api_key = "wrong"
            with self.assertRaises(UserError):
                adapter.originate(self.integration, "member.mf", "79165554433")

            link = stand_in.add_record("43294397431.mp3", b"ID3 the call")
            pending = type("Pending", (), {"url": link})()
            self.assertEqual(adapter.download_recording(self.integration, pending),
                             (b"ID3 the call", "43294397431.mp3"))
            stand_in.fail_records = 1
            with self.assertRaises(Exception):
                adapter.download_recording(self.integration, pending)  # not ready yet: tried again later
            self.assertEqual(adapter.download_recording(self.integration, pending)[0], b"ID3 the call")
            with self.assertRaises(Exception):
                adapter.download_recording(self.integration, type("Pending", (), {"url": link + "x"})())
        finally:
            stand_in.stop()

    def test_the_queued_recording_is_downloaded_and_attached_by_the_cron(self):
        module = load_stand_in("megafon")
        stand_in = module.MegafonStandIn(api_key="mf-key").start()
        try:
            self.integration.api_url = stand_in.url
            link = stand_in.add_record("cron-1.mp3", b"ID3 cron call")
            stand_in.fail_records = 1
            self.history(callid="cron-1", link=link)
            Recording = self.env["sales.telephony.recording"]
            queued = Recording.search([("call_ref", "=", "mf:cron-1")])
            Recording._cron_download()
            self.assertEqual((queued.state, queued.attempts), ("pending", 1))  # not ready: tried again later
            queued.next_try = "2000-01-01 00:00:00"
            Recording._cron_download()
            self.assertEqual(queued.state, "done")
            touch = self.touch("cron-1")
            self.assertEqual(touch.recording_attachment_id.name, "cron-1.mp3")
            self.assertEqual(touch.recording_attachment_id.res_id, touch.id)
        finally:
            stand_in.stop()
