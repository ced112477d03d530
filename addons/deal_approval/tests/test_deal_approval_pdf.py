# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from PyPDF2 import PdfFileReader

from odoo.addons.deal_approval.models.common import forcing_pdf
from odoo.tests.common import at_install, post_install

from .common import DealApprovalCase


# wkhtmltopdf calls back into this Odoo for the report's stylesheets: under
# -u --test-enable an at-install test would wait for the registry it holds.
@at_install(False)
@post_install(True)
class TestDealApprovalPdf(DealApprovalCase):

    def test_merged_pdf(self):
        request = self.new_waiting_request()
        attachment = forcing_pdf(request)._build_merged_pdf(force=True)
        self.assertTrue(attachment)
        self.assertEqual(request.merged_attachment_id, attachment)
        content = base64.b64decode(attachment.datas)
        self.assertTrue(content.startswith(b"%PDF"))
        # The sheet (at least one page) followed by the one-page contract.
        self.assertGreaterEqual(PdfFileReader(io.BytesIO(content)).getNumPages(), 2)
        action = request.action_open_pdf()
        self.assertIn("/web/content/%d" % attachment.id, action["url"])

    def test_sheet_html(self):
        request = self.new_waiting_request(amount=2500000.0)
        request.sudo(self.head).approve(comment="Согласовано")
        html = self.env.ref("deal_approval.deal_approval_sheet_report").render_qweb_html(request.ids)[0]
        html = html.decode("utf-8")
        self.assertIn(self.client.name, html)
        self.assertIn("Согласовано", html)
        self.assertIn(self.head.name, html)

    def test_merged_pdf_of_an_invoice(self):
        invoice = self.new_invoice()
        request = self.new_waiting_request(document_type="invoice", invoice_id=invoice.id, contract_file=False)
        attachment = forcing_pdf(request)._build_merged_pdf(force=True)
        content = base64.b64decode(attachment.datas)
        # The sheet, then Odoo's own invoice PDF.
        self.assertGreaterEqual(PdfFileReader(io.BytesIO(content)).getNumPages(), 2)

    def test_second_approver_gets_a_sheet_with_the_first_approval(self):
        request = forcing_pdf(self.new_request(amount=2500000.0))
        request.action_submit()
        first = request.merged_attachment_id
        self.assertTrue(first)
        request.sudo(self.head).approve(comment="Согласовано")
        self.assertNotEqual(request.merged_attachment_id, first)
        mail = self.env["mail.mail"].sudo().search(
            [("subject", "like", request.name), ("recipient_ids", "in", self.findir.partner_id.ids)])
        self.assertEqual(mail.attachment_ids, request.merged_attachment_id)


@at_install(False)
@post_install(True)
class TestDealApprovalPdfSwitches(DealApprovalCase):
    """The PDF switches are sentinels of trusted code: the same keys sent
    with plain values (as RPC can) change nothing."""

    def test_plain_no_pdf_key_still_makes_the_pdf(self):
        request = self.new_request().with_context(deal_approval_no_pdf=True)
        request.action_submit()
        # Under --test-enable the sheet is skipped; the contract is merged.
        self.assertTrue(request.merged_attachment_id)
        mail = self.env["mail.mail"].sudo().search([("subject", "like", request.name)])
        self.assertEqual(mail.attachment_ids, request.merged_attachment_id)

    def test_plain_force_key_forces_nothing(self):
        request = self.new_request()
        report = "deal_approval.deal_approval_sheet_report"
        self.assertIsNone(request.with_context(deal_approval_force_pdf=True)._render_report_pdf(report, request))
        self.assertTrue(forcing_pdf(request)._render_report_pdf(report, request).startswith(b"%PDF"))

    def test_landscape_key_does_not_turn_the_sheet(self):
        request = forcing_pdf(self.new_request()).with_context(landscape=True)
        content = request._render_report_pdf("deal_approval.deal_approval_sheet_report", request)
        box = PdfFileReader(io.BytesIO(content)).getPage(0).mediaBox
        self.assertLess(box.getWidth(), box.getHeight(), "A4 portrait, as the report's paper format says")
