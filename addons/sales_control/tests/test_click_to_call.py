# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Click-to-call: sales.telephony.integration.click_to_call dials, through
the salesman's PBX, only the phones of the records he may read."""
from odoo.exceptions import AccessError, UserError

from .common import SalesControlCase
from .test_vendor_mango import MangoStandIn  # the stand-ins' path is set there
from standins.zadarma import ZadarmaStandIn  # noqa: E402 pylint: disable=wrong-import-order


class TestClickToCall(SalesControlCase):

    def integration(self, vendor, url, user=None):
        return self.env["sales.telephony.integration"].create({
            "name": vendor, "vendor": vendor, "kind": "pbx", "api_key": "testkey",
            "api_secret": "testsecret" if vendor == "zadarma" else "testsalt", "api_url": url,
            "extension_ids": [(0, 0, {"code": "101", "user_id": (user or self.member).id})]})

    def dial(self, user, record, number):
        return self.env["sales.telephony.integration"].sudo(user).click_to_call(record._name, record.id, number)

    def test_mango_rings_the_extension_then_the_client(self):
        with MangoStandIn() as api:
            self.integration("mango", api.url)
            self.assertTrue(self.dial(self.member, self.lead_member, "+7 (495) 111-22-33"))
            self.assertTrue(self.dial(self.member, self.contact, "8 916 555 44 33"))
            sent = [item["json"] for item in api.calls("/vpbx/commands/callback")]
            self.assertEqual([(item["from"], item["to_number"]) for item in sent],
                             [({"extension": "101"}, "74951112233"), ({"extension": "101"}, "79165554433")])

    def test_zadarma_callback(self):
        with ZadarmaStandIn() as api:
            self.integration("zadarma", api.url)
            self.dial(self.member, self.client, "74951112233")
            sent = api.calls("/v1/request/callback/")
            self.assertEqual([(item["params"], item["authorized"]) for item in sent],
                             [({"from": "101", "to": "74951112233"}, True)])

    def test_only_phones_of_records_he_may_see(self):
        with MangoStandIn() as api:
            self.integration("mango", api.url)
            self.integration("mango", api.url, user=self.other)
            self.lead_other.phone = "+7 999 000-00-01"
            with self.assertRaises(AccessError):
                self.dial(self.member, self.lead_other, "+7 999 000-00-01")
            with self.assertRaises(UserError):
                self.dial(self.member, self.lead_member, "+7 999 000-00-01")  # not this deal's phone
            with self.assertRaises(UserError):
                self.env["sales.telephony.integration"].sudo(self.member).click_to_call(
                    "res.users", self.member.id, "74951112233")
            self.assertFalse(api.calls("/vpbx/commands/callback"))

    def test_no_extension_no_call(self):
        with self.assertRaises(UserError):
            self.dial(self.leader, self.lead_member, "74951112233")

    def test_a_refused_call_is_a_user_error(self):
        with MangoStandIn() as api:
            api.callback_result = 3103
            self.integration("mango", api.url)
            with self.assertRaises(UserError):
                self.dial(self.member, self.lead_member, "74951112233")
