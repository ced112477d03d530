# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import re

from lxml import html as lxml_html

from odoo.addons.sales_control.tests.languages import load_language
from odoo.tools import file_open

from .common import DealApprovalCase


class TestDealApprovalSheet(DealApprovalCase):
    """The letterhead of the approval sheet, in its HTML (the PDF is the
    same HTML through wkhtmltopdf)."""

    @classmethod
    def setUpClass(cls):
        super(TestDealApprovalSheet, cls).setUpClass()
        cls.report = cls.env.ref("deal_approval.deal_approval_sheet_report")
        with file_open("deal_approval/static/description/icon.png", "rb") as logo:
            cls.logo = base64.b64encode(logo.read())

    def setUp(self):
        super(TestDealApprovalSheet, self).setUp()
        self.request = self.new_request()
        self.company = self.env["res.company"].browse(self.request.company_id.id)
        self.company.write({
            "name": "ООО «Бланк»", "vat": "7718123456", "phone": "+7 (495) 120-45-00",
            "email": "info@blank.example", "zip": "107023", "state_id": False, "city": "Москва",
            "street": "ул. Электрозаводская, д. 27", "street2": "стр. 8", "logo": self.logo,
        })
        self.company.partner_id.kpp = "771801001"

    def render_letterhead(self):
        """The letterhead block of the sheet as the head reads it (in
        Russian), as whitespace-normalised text, and the block itself."""
        load_language(self.env, "ru_RU", ["deal_approval"])
        self.head.lang = "ru_RU"
        html = self.report.sudo(self.head).render_qweb_html(self.request.ids)[0]
        blocks = lxml_html.fromstring(html).xpath(
            "//table[contains(concat(' ', @class, ' '), ' o_deal_approval_letterhead ')]")
        self.assertEqual(len(blocks), 1, "one letterhead on the sheet")
        return " ".join(blocks[0].text_content().split()), blocks[0]

    def test_letterhead_shows_the_company(self):
        text, block = self.render_letterhead()
        self.assertEqual(text, "ООО «Бланк» "
                               "Юридический адрес: 107023, Москва, ул. Электрозаводская, д. 27, стр. 8 "
                               "ИНН 7718123456 / КПП 771801001 "
                               "Тел.: +7 (495) 120-45-00, e-mail: info@blank.example")
        logos = block.xpath(".//img/@src")
        self.assertEqual(logos, ["data:image/png;base64,%s" % self.logo.decode("ascii")])

    def test_company_without_logo_phone_or_kpp(self):
        self.company.write({"logo": False, "phone": False, "email": False, "zip": False,
                            "city": False, "street": False, "street2": False})
        self.company.partner_id.kpp = False
        text, block = self.render_letterhead()
        self.assertEqual(text, "ООО «Бланк» ИНН 7718123456")
        self.assertFalse(block.xpath(".//img"))

    def test_company_without_inn_or_phone(self):
        self.company.write({"vat": False, "logo": False, "phone": False, "email": "info@blank.example",
                            "zip": False, "city": "Москва", "street": False, "street2": False})
        self.company.partner_id.kpp = False
        text, _block = self.render_letterhead()
        self.assertEqual(text, "ООО «Бланк» Юридический адрес: Москва e-mail: info@blank.example")

    def test_address_names_a_region_other_than_the_city(self):
        State = self.env["res.country.state"]
        russia = self.env.ref("base.ru")
        region = State.create({"name": "Московская область", "code": "DA50", "country_id": russia.id})
        moscow = State.create({"name": "Москва", "code": "DA77", "country_id": russia.id})
        self.company.write({"zip": "141400", "state_id": region.id, "city": "Химки", "street": "ул. Ленина, д. 1",
                            "street2": False})
        self.assertEqual(self.request._sheet_company_address(),
                         "141400, Московская область, Химки, ул. Ленина, д. 1")
        self.company.write({"zip": "107023", "state_id": moscow.id, "city": "Москва"})
        self.assertEqual(self.request._sheet_company_address(), "107023, Москва, ул. Ленина, д. 1")


class TestSheetLanguage(DealApprovalCase):
    """The sheet speaks its reader's language: a salesperson who works in
    English sends, the head who reads Russian gets a Russian sheet, every
    label and selection value included."""

    @classmethod
    def setUpClass(cls):
        super(TestSheetLanguage, cls).setUpClass()
        cls.report = cls.env.ref("deal_approval.deal_approval_sheet_report")
        load_language(cls.env, "ru_RU", ["deal_approval"])
        cls.env.ref("base.lang_en").active = True  # a Russian-only database has English off
        cls.head.lang = "ru_RU"
        cls.seller.lang = "en_US"

    def ours_in_english(self):
        """The English phrases of deal_approval that Russian translates
        differently (labels of the sheet, selection values and the rest)."""
        po = self.env["ir.translation"].search([("module", "=", "deal_approval"), ("lang", "=", "ru_RU"),
                                                ("value", "!=", False)])
        return {term.src for term in po if term.src != term.value and re.search(r"[A-Za-z]{3}", term.src)
                and "%" not in term.src and "{" not in term.src and "<" not in term.src}

    def sheet_text(self, request, lang):
        html = self.report.with_context(lang=lang).render_qweb_html(request.ids)[0].decode("utf-8")
        return " ".join(lxml_html.fromstring(html).text_content().split())

    def test_the_russian_sheet_has_no_english_word_of_ours(self):
        waiting = self.new_waiting_request()
        rejected = self.new_waiting_request()
        rejected.sudo(rejected.current_approver_id).action_reject("Скидка больше согласованной")
        english = self.ours_in_english()
        self.assertIn("Waiting for approval", english)
        # The English salesperson sent it: the PDF is made for the head.
        waiting.sudo(self.seller)._build_merged_pdf(force=True)
        self.assertEqual(waiting.merged_lang, "ru_RU")
        # Opened by the salesperson, it is made again in his language.
        waiting.sudo(self.seller).action_open_pdf()
        self.assertEqual(waiting.merged_lang, "en_US")
        waiting.sudo(self.head).action_open_pdf()
        self.assertEqual(waiting.merged_lang, "ru_RU")

        def ours(text):
            return sorted(phrase for phrase in english if re.search(r"\b%s\b" % re.escape(phrase), text))
        for request in (waiting, rejected):
            text = self.sheet_text(request, request.merged_lang or request._sheet_lang())
            self.assertEqual(ours(text), [], text)
        # The check sees English where there is some.
        self.assertIn("Waiting for approval", ours(self.sheet_text(waiting, "en_US")))

    def test_the_sheet_is_made_in_the_approvers_language(self):
        request = self.new_waiting_request()
        self.assertEqual(request.sudo(self.seller)._sheet_lang(), "ru_RU")
        self.head.lang = "en_US"
        self.assertEqual(request.sudo(self.seller).with_context(lang="ru_RU")._sheet_lang(), "en_US")
