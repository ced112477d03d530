# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Asterisk adapter (telephony/asterisk.py): the CURL() hangup handler's
form (docs/telephony/asterisk.md) and click-to-call by AMI Originate against
the AMI stand-in (tests/standins/asterisk_ami.py)."""
import time
from datetime import datetime, timedelta

from werkzeug.test import EnvironBuilder

from odoo.exceptions import UserError

from ..controllers.webhooks import WebhookError
from ..telephony import ADAPTERS
from ..telephony.asterisk import channel_extension
from .common import SalesControlCase
from .test_vendor_megafon import handle, load_stand_in


class TestVendorAsterisk(SalesControlCase):

    @classmethod
    def setUpClass(cls):
        super(TestVendorAsterisk, cls).setUpClass()
        cls.integration = cls.env["sales.telephony.integration"].create({
            "name": "Asterisk test", "vendor": "asterisk", "kind": "pbx", "api_key": "odoo",
            "api_secret": "ami-secret", "user_id": cls.head.id, "vendor_tz": "Europe/Moscow",
            "api_url": "ami://127.0.0.1:1",
            "extension_ids": [(0, 0, {"code": "301", "user_id": cls.member.id}),
                              (0, 0, {"code": "302", "user_id": cls.other.id})],
        })

    def post(self, method="POST", **fields):
        data = {"linkedid": "1795932900.1042", "direction": "in", "src": "89165554433", "dst": "600",
                "did": "74951204500", "start": str(int(time.time()) - 600), "billsec": "184",
                "disposition": "ANSWERED", "dstchannel": "PJSIP/301-00000012"}
        data.update(fields)
        request = EnvironBuilder(method=method, path="/sales_control/hook/asterisk/x", data=data).get_request()
        return handle(ADAPTERS["asterisk"](self.env, self.integration, request, ""))

    def touch(self, linkedid="1795932900.1042"):
        return self.env["sales.touch"].search([("integration_id", "=", self.integration.id),
                                               ("external_ref", "=", "ast:%s" % linkedid)])

    def test_the_hangup_handler_form_is_one_call_of_the_extension_that_answered(self):
        response = self.post()
        self.assertEqual(response.status_code, 200, response.data)
        touch = self.touch()
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.direction, touch.answered, touch.phone_to), ("in", True, "74951204500"))
        self.assertAlmostEqual(touch.duration, round(184 / 60.0, 2))
        self.assertEqual(touch.user_id, self.member)
        self.assertEqual(touch.lead_id, self.lead_member)
        # The handler of another channel of the same call: a duplicate.
        self.assertIn(b'"duplicate": true', self.post(dstchannel="PJSIP/302-00000013").data)
        self.assertEqual(len(self.touch()), 1)

    def test_local_start_missed_and_outgoing(self):
        local = (datetime.utcnow() + timedelta(hours=3) - timedelta(minutes=5)).replace(microsecond=0)
        self.post(linkedid="l-1", start=local.strftime("%Y-%m-%d %H:%M:%S"), disposition="NOANSWER",
                  billsec="0", dstchannel="")
        touch = self.touch("l-1")
        self.assertFalse(touch.answered)
        self.assertEqual(touch.date, (local - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S"))  # Moscow
        self.post(linkedid="o-1", direction="out", src="302", dst="84951112233", did="", dstchannel="",
                  recording_url="https://pbx.example/rec/o-1.wav")
        out = self.touch("o-1")
        self.assertEqual((out.direction, out.phone_to, out.user_id), ("out", "84951112233", self.other))
        self.assertEqual(out.recording_url, "https://pbx.example/rec/o-1.wav")

    def test_bad_forms_and_replays_are_refused(self):
        for fields in ({"linkedid": ""}, {"direction": "x"}, {"start": "yesterday"}, {"billsec": "a"}):
            with self.assertRaises(WebhookError) as caught:
                self.post(**fields)
            self.assertEqual(caught.exception.status, 400, fields)
        with self.assertRaises(WebhookError) as caught:
            self.post(linkedid="old", start=str(int(time.time()) - 30 * 86400))
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(WebhookError) as caught:
            self.post(method="GET")
        self.assertEqual(caught.exception.status, 405)
        self.assertFalse(self.touch("old"))

    def test_channel_extension(self):
        self.assertEqual(channel_extension("PJSIP/301-0000002a"), "301")
        self.assertEqual(channel_extension("SIP/trunk-rt-00000010"), "trunk")
        self.assertEqual(channel_extension("Local/301@from-queue-00000001;1"), "301")
        self.assertEqual(channel_extension(""), "")

    def test_originate_through_the_ami_stand_in(self):
        module = load_stand_in("asterisk_ami")
        stand_in = module.AmiStandIn(username="odoo", secret="ami-secret").start()
        try:
            self.integration.api_url = stand_in.url
            adapter = ADAPTERS["asterisk"]
            self.assertTrue(adapter.originate(self.integration, "301", "+7 (916) 555-44-33"))
            originate, = stand_in.originates
            self.assertEqual(originate["Channel"], "PJSIP/301")
            self.assertEqual(originate["Context"], "from-internal")
            self.assertEqual(originate["Exten"], "+79165554433")
            self.assertEqual(originate["Async"], "true")
            self.assertEqual(stand_in.received[0]["Username"], "odoo")
            # A number or extension that would add AMI headers is never sent.
            with self.assertRaises(UserError):
                adapter.originate(self.integration, "301\r\nAction: Command", "79165554433")
            self.integration.api_secret = "wrong"
            with self.assertRaises(UserError):
                adapter.originate(self.integration, "301", "79165554433")
            self.assertEqual(len(stand_in.originates), 1)
        finally:
            stand_in.stop()
        self.integration.api_url = "ami://127.0.0.1:1"
        with self.assertRaises(UserError):
            ADAPTERS["asterisk"].originate(self.integration, "301", "79165554433")
