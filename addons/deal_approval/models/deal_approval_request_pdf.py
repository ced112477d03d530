# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval PDF of a request: the approval sheet (QWeb) followed by the
document, merged into one attachment; and the data the sheet shows."""
import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from .common import is_forcing_pdf, is_without_pdf, merge_pdfs, trusted

_logger = logging.getLogger(__name__)


class DealApprovalRequest(models.Model):
    _inherit = "deal.approval.request"

    @api.multi
    def _render_report_pdf(self, report_xmlid, records):
        """A real PDF of a QWeb report, in the paper format of the report
        whatever the caller's context says (``landscape`` ...). Under
        --test-enable Odoo's render_qweb_pdf gives HTML: tests get the PDF
        only when trusted code asks for it (common.forcing_pdf)."""
        # Only the language and time zone of the reader reach the report.
        context = {key: self.env.context[key] for key in ("lang", "tz") if self.env.context.get(key)}
        report = self.env.ref(report_xmlid).with_context(context)
        if not config["test_enable"]:
            return report.render_qweb_pdf(records.ids)[0]
        if not is_forcing_pdf(self):
            return None
        html = report.render_qweb_html(records.ids)[0].decode("utf-8")
        bodies, _ids, header, footer, args = report.with_context(debug=False)._prepare_html(html)
        return report._run_wkhtmltopdf(bodies, header=header, footer=footer, landscape=False,
                                       specific_paperformat_args=args)

    def _document_pdf(self):
        if self.document_type == "contract":
            return base64.b64decode(self.contract_file) if self.contract_file else None
        if self.invoice_id:
            # The author may not read accounting reports' data; rendering
            # Odoo's own invoice PDF of the deal's invoice needs sudo.
            return self.sudo()._render_report_pdf("account.account_invoices", self.invoice_id.sudo())
        return None

    def _sheet_lang(self):
        """The language of the sheet's reader: the approver who decides
        next (the one the PDF is made for), else the company's language,
        else the caller's. Not the author's: a salesperson who works in
        English sends to a head who reads Russian."""
        self.ensure_one()
        waiting = self.sudo()._approval_reviews().filtered(lambda r: r.state in ("pending", "queued"))
        langs = [review.approver_id.lang for review in waiting.sorted(lambda r: (r.sequence, r.id))]
        langs += [self.company_id.sudo().partner_id.lang, self.env.context.get("lang")]
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return next((lang for lang in langs if lang in installed), "en_US")

    @api.multi
    def _build_merged_pdf(self, force=False, lang=None):
        """The approval sheet followed by the document, as one PDF attached
        to the request, in the language of ``lang`` (by default the next
        approver's, see _sheet_lang)."""
        self.ensure_one()
        if is_without_pdf(self) and not force:
            return False
        lang = lang or self._sheet_lang()
        try:
            sheet = self.with_context(lang=lang)._render_report_pdf("deal_approval.deal_approval_sheet_report", self)
            document = self._document_pdf()
        except (UserError, OSError) as error:
            _logger.warning("deal_approval: no PDF for %s: %s", self.name, error)
            return False
        parts = [part for part in (sheet, document) if part]
        if not parts:
            return False
        try:
            merged = merge_pdfs(parts)
        except Exception as error:  # PyPDF2 raises many kinds on a broken file
            _logger.warning("deal_approval: cannot merge the PDF of %s: %s", self.name, error)
            return False
        filename = "%s-v%d.pdf" % (self.name.replace("/", "-"), self.version)
        # The PDF is made by the server from the request itself, for any
        # reader of it (an approver or a reader of all documents may not
        # write the request), hence sudo to store it.
        attachment = self.env["ir.attachment"].sudo().create({
            "name": filename, "datas_fname": filename, "datas": base64.b64encode(merged),
            "res_model": self._name, "res_id": self.id, "mimetype": "application/pdf",
        })
        trusted(self.sudo()).write({"merged_attachment_id": attachment.id, "merged_version": self.version,
                                    "merged_lang": lang})
        return attachment

    # ------------------------------------------------------------ sheet data

    def _sheet_company(self):
        """The company whose letterhead heads the sheet. Read as superuser,
        as Odoo's own report layouts do: an approver of another company of
        the group may read neither it nor its partner (KPP)."""
        self.ensure_one()
        return self.company_id.sudo()

    def _sheet_company_address(self):
        """The company's legal address as a Russian letterhead writes it:
        postcode, region, city, street; the parts that are set."""
        self.ensure_one()
        company = self._sheet_company()
        region = company.state_id.name if company.state_id.name != company.city else False
        parts = [company.zip, region, company.city, company.street, company.street2]
        return ", ".join(part.strip() for part in parts if part and part.strip())

    def _stage_history(self):
        """[(date, stage name)] of the deal, from the chatter's tracking."""
        self.ensure_one()
        # Tracking values are readable by their message's readers only; the
        # sheet shows the deal's stage history to the approver, hence sudo.
        values = self.env["mail.tracking.value"].sudo().search([
            ("mail_message_id.model", "=", "crm.lead"),
            ("mail_message_id.res_id", "=", self.lead_id.id),
            ("field", "=", "stage_id"),
        ], order="id")
        lead = self.lead_id.sudo()
        history = [(v.mail_message_id.date, v.new_value_char) for v in values]
        if not history:
            history = [(lead.create_date, lead.stage_id.name)]
        return [(self._format_datetime(moment), stage) for moment, stage in history]

    def _format_datetime(self, value):
        """dd.mm.yyyy hh:mm in the reader's time zone."""
        if not value:
            return ""
        moment = fields.Datetime.context_timestamp(self, fields.Datetime.from_string(value))
        return moment.strftime("%d.%m.%Y %H:%M")
