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


class TestPhoneNotations(SalesControlCase):
    """Numbers are stored as E.164 digits read in the notation of the
    company's country, so that every vendor's notation and the numbers of
    clients abroad match alike."""

    def in_country(self, code):
        self.company.country_id = self.env.ref("base.%s" % code)
        return self.env["res.partner"].create({"name": "Client %s" % code, "is_company": True})

    def test_every_russian_notation_gives_one_key(self):
        self.in_country("ru")
        for number in ("79161234567", "+7 916 123-45-67", "8 (916) 123-45-67", "9161234567", "+7(916)1234567",
                       " 8-916-123-45-67 "):
            with self.subTest(number=number):
                self.assertEqual(normalize_phone(number, "RU"), "79161234567")
        self.assertFalse(normalize_phone("unknown", "RU"))
        self.assertFalse(normalize_phone(None, "RU"))

    def test_clients_abroad_match_their_calls(self):
        cases = [
            # (company's country, number on the card, key, the PBX's notations)
            ("by", "8 029 123-45-67", "375291234567", ["+375 29 123 45 67", "375291234567"]),
            ("kz", "8 (701) 123-45-67", "77011234567", ["+7 701 123 4567", "77011234567", "8 701 1234567"]),
            ("uz", "90 123 45 67", "998901234567", ["+998 90 123-45-67", "998901234567"]),
            ("ru", "8 (916) 765-43-21", "79167654321", ["+79167654321", "79167654321", "8 916 765 43 21"]),
        ]
        for country, number, key, calls in cases:
            with self.subTest(country=country):
                client = self.in_country(country)
                client.phone = number
                self.assertEqual(client.sales_phone_norm, key)
                for call in calls:
                    partner, _lead = _match_client(self.env, call)
                    self.assertEqual(partner, client, call)
                    self.assertEqual(self.env["res.partner"]._sales_find_by_phone(call), client, call)

    def test_a_national_number_is_read_in_the_companys_country(self):
        belarus = self.in_country("by")
        belarus.mobile = "8 029 765-43-21"
        self.assertEqual(belarus.sales_mobile_norm, "375297654321")
        self.assertEqual(self.env["res.partner"]._sales_find_by_phone("8 029 765-43-21"), belarus)
        self.assertEqual(normalize_phone("8 029 765-43-21", "RU"), normalize_phone("8 029 765-43-21"))
        self.assertNotEqual(normalize_phone("8 029 765-43-21", "RU"), "375297654321")

    def test_the_keys_are_indexed(self):
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN ('res_partner', 'crm_lead')")
        indexes = " ".join(row[0] for row in self.env.cr.fetchall())
        for table in ("res_partner", "crm_lead"):
            for column in ("sales_phone_norm", "sales_mobile_norm"):
                self.assertIn("ON public.%s USING btree (%s)" % (table, column), indexes)


class TestPhoneRegionOfTheCompany(SalesControlCase):
    """A Minsk branch writes its clients' numbers in Belarusian national
    notation (8 029 …): its deals, its PBX's calls and its salespeople's
    clicks are read for Belarus, not Russia."""

    @classmethod
    def setUpClass(cls):
        super(TestPhoneRegionOfTheCompany, cls).setUpClass()
        cls.minsk = cls.env["res.company"].create({"name": "Техноснаб Минск",
                                                   "country_id": cls.env.ref("base.by").id})
        cls.member.write({"company_ids": [(4, cls.minsk.id)]})
        cls.lead_by = cls.env["crm.lead"].create({
            "name": "Поставка в Минск", "type": "opportunity", "phone": "8 029 123-45-67",
            "user_id": cls.member.id, "company_id": cls.minsk.id})
        cls.pbx_by = cls.env["sales.telephony.integration"].create({
            "name": "АТС Минск", "kind": "pbx", "company_id": cls.minsk.id, "user_id": cls.member.id})

    def test_a_deal_of_the_branch_keeps_the_belarusian_key(self):
        self.assertEqual(self.lead_by.sales_phone_norm, "375291234567")

    def test_the_branchs_pbx_matches_the_call_to_that_deal(self):
        from ..controllers.webhooks import record_call
        answer = record_call(self.env, self.pbx_by, {
            "call_id": "by-1", "direction": "in", "from": "375291234567", "to": "375172000000",
            "start": "2026-11-30T09:00:00+03:00", "duration": 60, "answered": True})
        touch = self.env["sales.touch"].browse(answer["touch_id"])
        self.assertEqual(touch.lead_id, self.lead_by)


class TestImpossibleNumbers(SalesControlCase):
    """A number no country holds (a digit short) is still matched as
    written: its key is read once, never read again as a national number."""

    def test_a_short_number_matches_its_client(self):
        client = self.env["res.partner"].create({"name": "ООО Короткий", "phone": "+7 (900) 000-01-7"})
        partner, _lead = _match_client(self.env, "+7 (900) 000-01-7")
        self.assertEqual(partner, client)
