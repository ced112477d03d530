# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ..controllers.webhooks import _match_client
from ..models.res_partner import normalize_phone
from .common import SalesControlCase


class TestPhoneMatching(SalesControlCase):

    def test_normalize(self):
        for number in ("+7 (916) 555-44-33", "8 916 555 44 33", "9165554433", "+79165554433"):
            self.assertEqual(normalize_phone(number), "79165554433")
        self.assertFalse(normalize_phone("unknown"))

    def test_call_lands_on_open_deal_then_client(self):
        partner, lead = _match_client(self.env, "+7 916 555-44-33")
        self.assertEqual(partner.commercial_partner_id, self.client)
        self.assertEqual(lead, self.lead_member)
        self.lead_member.write({"probability": 100})
        partner, lead = _match_client(self.env, "84951112233")
        self.assertEqual(partner, self.client)
        self.assertFalse(lead)
        partner, lead = _match_client(self.env, "+7 000 000 00 00")
        self.assertFalse(partner)

    def test_call_from_a_lead_without_client_lands_on_the_lead(self):
        lead = self.env["crm.lead"].create({"name": "Site form", "type": "lead", "phone": "8 (343) 222-11-00",
                                            "user_id": self.member.id})
        partner, found = _match_client(self.env, "+73432221100")
        self.assertFalse(partner)
        self.assertEqual(found, lead)
