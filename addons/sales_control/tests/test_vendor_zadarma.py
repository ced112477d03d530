# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Zadarma / Novofon adapter (telephony/zadarma.py), with the requests built
as Zadarma sends them and its API played by tests/standins/zadarma.py."""
import base64
from datetime import datetime, timedelta

import pytz

from odoo.addons.sales_control.controllers.webhooks import WebhookError
from odoo.addons.sales_control.telephony.zadarma import zadarma_sign

from .test_vendor_mango import VendorCase
from standins.zadarma import ZadarmaStandIn  # noqa: E402 pylint: disable=wrong-import-order

# TELEPHONY.md section 2: the NOTIFY_END example and its test vector.
VECTOR = "NjQ1YTBmOTVjM2I2ZGUyMzE2MzU2OWJkN2E1ZTg5OGZjMzZhYzc3MQ=="
END = {"event": "NOTIFY_END", "call_start": "2026-11-29 09:15:00",
       "pbx_call_id": "in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d", "caller_id": "79165554433",
       "called_did": "74951204500", "internal": "101", "duration": "184", "disposition": "answered",
       "status_code": "16", "is_recorded": "1", "call_id_with_rec": "1-1795932900.343456-101-2026-11-29-091500"}
SIGNED = {"NOTIFY_START": ("caller_id", "called_did", "call_start"),
          "NOTIFY_END": ("caller_id", "called_did", "call_start"),
          "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
          "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec")}


def moscow_now(minutes_ago=5):
    moment = datetime.now(pytz.timezone("Europe/Moscow")) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def signed(form, secret="testsecret"):
    text = "".join(form.get(name, "") for name in SIGNED.get(form["event"], ()))
    return {"Signature": zadarma_sign(secret, text)}


class TestZadarma(VendorCase):
    vendor = "zadarma"

    def post(self, form, headers=None):
        return self.handle(form=form, headers=signed(form) if headers is None else headers)

    def test_the_signature_is_the_documented_one(self):
        self.assertEqual(zadarma_sign("testsecret", "79165554433" "74951204500" "2026-11-29 09:15:00"), VECTOR)
        self.assertEqual(signed(END)["Signature"], VECTOR)

    def test_the_address_check_echoes(self):
        answer = self.handle(method="GET", query={"zd_echo": "b7e1a2"})
        self.assertEqual((answer.status_code, answer.get_data(as_text=True)), (200, "b7e1a2"))

    def test_end_is_an_incoming_call_in_the_accounts_zone(self):
        start = moscow_now()
        self.assertEqual(self.post(dict(END, call_start=start)).status_code, 200)
        touch = self.touch("zd:" + END["pbx_call_id"])
        self.assertEqual((touch.direction, touch.phone_from, touch.phone_to, touch.answered, touch.user_id),
                         ("in", "79165554433", "74951204500", True, self.member))
        utc = pytz.timezone("Europe/Moscow").localize(datetime.strptime(start, "%Y-%m-%d %H:%M:%S")) \
            .astimezone(pytz.utc).strftime("%Y-%m-%d %H:%M:%S")
        self.assertEqual(touch.date, utc)
        # is_recorded=1: the file is queued by the recording id.
        self.assertEqual(self.recordings(touch.external_ref).recording_ref, END["call_id_with_rec"])
        # The retry and the callback's second leg are the same call.
        self.post(dict(END, call_start=start))
        self.post({"event": "NOTIFY_OUT_END", "call_start": start, "pbx_call_id": END["pbx_call_id"],
                   "caller_id": "74951204500", "destination": "79165554433", "internal": "101",
                   "duration": "184", "disposition": "answered", "status_code": "16", "is_recorded": "0"})
        self.assertEqual(len(self.touch(touch.external_ref)), 1)
        self.assertEqual(self.events().mapped("state")[:2], ["duplicate", "duplicate"])

    def test_out_end_is_an_outgoing_call(self):
        self.post({"event": "NOTIFY_OUT_END", "call_start": moscow_now(), "pbx_call_id": "out_1",
                   "caller_id": "74951204500", "destination": "74951112233", "internal": "101",
                   "duration": "0", "disposition": "no answer", "status_code": "19", "is_recorded": "0"})
        touch = self.touch("zd:out_1")
        self.assertEqual((touch.direction, touch.phone_from, touch.phone_to, touch.answered),
                         ("out", "101", "74951112233", False))
        self.assertEqual(touch.lead_id, self.lead_member)
        self.assertFalse(self.recordings("zd:out_1"))

    def test_other_events_are_ignored(self):
        form = {"event": "NOTIFY_START", "call_start": moscow_now(), "pbx_call_id": "x",
                "caller_id": "79165554433", "called_did": "74951204500"}
        self.assertEqual(self.post(form).status_code, 200)
        self.assertEqual(self.post({"event": "NOTIFY_IVR", "pbx_call_id": "x"}, headers={}).status_code, 200)
        self.assertFalse(self.touch("zd:x"))
        self.assertEqual(self.events().mapped("state"), ["ignored", "ignored"])

    def test_refusals(self):
        form = dict(END, call_start=moscow_now())
        for headers in ({}, {"Signature": VECTOR}, signed(form, secret="other")):
            with self.assertRaises(WebhookError):
                self.post(form, headers=headers)
        with self.assertRaises(WebhookError):
            self.post(dict(form, caller_id="79165554434"), headers=signed(form))  # a field changed
        with self.assertRaises(WebhookError) as refused:
            self.post(dict(END, call_start=moscow_now(minutes_ago=8 * 24 * 60)))  # older than a week
        self.assertIn("replay", refused.exception.message)
        self.assertFalse(self.touch("zd:" + END["pbx_call_id"]))

    def test_notify_record_downloads_through_the_api(self):
        with ZadarmaStandIn() as api:
            self.integration.api_url = api.url
            rec = "1-1795932900.343456-101-x"
            api.recordings[rec] = b"ID3 zadarma"
            api.not_ready[rec] = 1
            record = {"event": "NOTIFY_RECORD", "pbx_call_id": "in_rec", "call_id_with_rec": rec}
            self.post(record)
            self.post(record)
            recording = self.recordings("zd:in_rec")
            self.assertEqual(len(recording), 1)
            self.post(dict(END, call_start=moscow_now(), pbx_call_id="in_rec", call_id_with_rec=rec))
            self.assertEqual(len(self.recordings("zd:in_rec")), 1)
            Recording = self.env["sales.telephony.recording"]
            Recording._cron_download()
            self.assertEqual((recording.state, recording.attempts), ("pending", 1))
            recording.next_try = "2000-01-01 00:00:00"
            Recording._cron_download()
            self.assertEqual(recording.state, "done")
            attachment = self.touch("zd:in_rec").recording_attachment_id
            self.assertEqual(base64.b64decode(attachment.datas), b"ID3 zadarma")
            requests_made = api.calls("/v1/pbx/record/request/")
            self.assertEqual(len(requests_made), 2)
            self.assertTrue(all(item["authorized"] and item["params"]["call_id"] == rec for item in requests_made))
