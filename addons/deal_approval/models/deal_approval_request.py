# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib
import logging
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config, formatLang, html_escape

from .common import is_forcing_pdf, is_trusted, is_without_pdf, merge_pdfs, pdf_page_count, trusted

_logger = logging.getLogger(__name__)

# Fields only the state machine itself may write (see write()).
PROTECTED_FIELDS = {
    "state", "version", "step_ids", "current_step_id", "current_approver_id",
    "checksum", "submit_date", "decision_date", "reject_reason",
    "merged_attachment_id", "merged_version",
}
# Fields that make up the document under approval.
DOCUMENT_FIELDS = {
    "lead_id", "document_type", "contract_file", "contract_filename",
    "invoice_id", "amount", "currency_id", "discount", "payment_terms",
    "expected_margin",
}


class DealApprovalRequest(models.Model):
    _name = "deal.approval.request"
    _description = "Deal document approval request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", required=True, index=True, ondelete="cascade",
        track_visibility="onchange")
    # Related fields read as superuser: an approver outside sales (the
    # finance director) sees the deal's name and client without CRM rights.
    partner_id = fields.Many2one(
        "res.partner", string="Client", related="lead_id.partner_id", store=True, readonly=True)
    deal_name = fields.Char(string="Deal name", related="lead_id.name", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Manager", required=True, index=True, readonly=True,
        default=lambda self: self.env.user, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True,
        default=lambda self: self.env.user.company_id)
    document_type = fields.Selection(
        [("contract", "Contract (PDF)"), ("invoice", "Invoice of the deal")],
        string="Document", required=True, default="contract", track_visibility="onchange")
    contract_file = fields.Binary(string="Contract PDF", attachment=True, copy=False)
    contract_filename = fields.Char(string="File name", copy=False)
    invoice_id = fields.Many2one(
        "account.invoice", string="Invoice", copy=False, track_visibility="onchange")
    currency_id = fields.Many2one(
        "res.currency", string="Currency", required=True,
        default=lambda self: self.env.user.company_id.currency_id)
    amount = fields.Monetary(string="Amount", track_visibility="onchange")
    discount = fields.Float(string="Discount, %", digits=(5, 2), track_visibility="onchange")
    payment_terms = fields.Char(string="Payment terms", track_visibility="onchange")
    expected_margin = fields.Monetary(
        string="Expected margin", help="Leave empty when unknown.")
    note = fields.Text(string="Comment for the approver")

    state = fields.Selection(
        [("draft", "Draft"), ("waiting", "Waiting for approval"), ("approved", "Approved"),
         ("rejected", "Rejected"), ("cancel", "Cancelled")],
        string="Status", default="draft", required=True, readonly=True, index=True, copy=False,
        track_visibility="onchange")
    version = fields.Integer(string="Version", default=0, readonly=True, copy=False,
                             track_visibility="onchange")
    step_ids = fields.One2many(
        "deal.approval.step", "request_id", string="Approvals", readonly=True, copy=False)
    current_step_id = fields.Many2one("deal.approval.step", string="Current step", readonly=True,
                                      copy=False)
    current_approver_id = fields.Many2one(
        "res.users", string="Waiting for", readonly=True, index=True, copy=False,
        track_visibility="onchange")
    reject_reason = fields.Text(string="Reason of rejection", readonly=True, copy=False,
                                track_visibility="onchange")
    submit_date = fields.Datetime(string="Sent on", readonly=True, copy=False)
    decision_date = fields.Datetime(string="Decided on", readonly=True, copy=False)
    checksum = fields.Char(string="Checksum of the approved document", readonly=True, copy=False)
    merged_attachment_id = fields.Many2one(
        "ir.attachment", string="Approval PDF", readonly=True, copy=False)
    merged_version = fields.Integer(readonly=True, copy=False)
    age_display = fields.Char(string="Waiting", compute="_compute_age_display")
    client_debt = fields.Monetary(string="Client's debt", compute="_compute_client_debt")
    client_overdue = fields.Monetary(string="Client's overdue debt", compute="_compute_client_debt")
    client_debt_known = fields.Boolean(compute="_compute_client_debt")
    is_my_turn = fields.Boolean(string="Waits for me", compute="_compute_is_my_turn")

    # ------------------------------------------------------------ computes

    @api.depends("submit_date", "state")
    def _compute_age_display(self):
        now = datetime.now()
        for rec in self:
            if rec.state != "waiting" or not rec.submit_date:
                rec.age_display = False
                continue
            hours = int((now - fields.Datetime.from_string(rec.submit_date)).total_seconds() // 3600)
            if hours < 24:
                rec.age_display = _("%d h") % hours
            else:
                rec.age_display = _("%d d") % (hours // 24)

    @api.depends("partner_id")
    def _compute_client_debt(self):
        for rec in self:
            debt = rec._get_client_debt()
            rec.client_debt_known = bool(debt)
            if debt:
                rec.client_debt = debt.get("debt", 0.0)
                rec.client_overdue = debt.get("overdue", 0.0)

    @api.depends("current_approver_id", "state")
    def _compute_is_my_turn(self):
        for rec in self:
            rec.is_my_turn = rec.state == "waiting" and rec.current_approver_id == self.env.user

    @api.multi
    def _get_client_debt(self):
        """Hook: {'debt': float, 'overdue': float} of the client, or None when
        unknown. Filled by the bridge addon deal_approval_receivables."""
        self.ensure_one()
        return None

    # ------------------------------------------------------------ constraints

    @api.constrains("document_type", "invoice_id", "lead_id")
    def _check_invoice(self):
        for rec in self:
            if rec.document_type == "invoice" and rec.invoice_id and rec.lead_id.partner_id and \
                    rec.invoice_id.commercial_partner_id != rec.lead_id.partner_id.commercial_partner_id:
                raise ValidationError(_("The invoice must be issued to the client of the deal."))

    @api.constrains("amount", "discount")
    def _check_figures(self):
        for rec in self:
            if rec.amount < 0:
                raise ValidationError(_("The amount cannot be negative."))
            if not 0 <= rec.discount <= 100:
                raise ValidationError(_("The discount must be between 0 and 100 %."))

    # ------------------------------------------------------------ ORM

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            # Defaults given in the context (default_state, ...) are values
            # of the client as much as vals are.
            given = dict(self._context_defaults(), **vals)
            forbidden = PROTECTED_FIELDS & set(given)
            if forbidden:
                raise AccessError(_("These fields are set by the approval process only: %s")
                                  % ", ".join(sorted(forbidden)))
            if given.get("user_id") and given["user_id"] != self.env.uid and not self._is_head():
                raise AccessError(_("You can ask for approval only in your own name."))
            self._check_lead_access(given.get("lead_id"))
            # The head reads the history of the figures in the chatter: a
            # client does not switch the tracking off.
            self = self.with_context(tracking_disable=False, mail_notrack=False)
        self._check_contract_pdf(vals)
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code("deal.approval.request") or "/"
        record = super(DealApprovalRequest, self).create(vals)
        record._sync_invoice_figures()
        return record

    @api.multi
    def write(self, vals):
        if not is_trusted(self):
            forbidden = PROTECTED_FIELDS & set(vals)
            if forbidden:
                raise AccessError(_("The status of an approval request changes only through its buttons; "
                                    "these fields cannot be written: %s") % ", ".join(sorted(forbidden)))
            if "user_id" in vals and not self._is_head():
                raise AccessError(_("Only the head of sales can change the manager of a request."))
            if any(not name.startswith(("message_", "activity_")) for name in vals):
                # Approvers decide through the buttons; only the author and
                # the head edit a request.
                self._check_can_edit_document()
            self._check_lead_access(vals.get("lead_id"))
            self = self.with_context(tracking_disable=False, mail_notrack=False)
        self._check_contract_pdf(vals)
        result = super(DealApprovalRequest, self).write(vals)
        if DOCUMENT_FIELDS & set(vals):
            self._sync_invoice_figures()
            self._check_frozen()
        return result

    @api.multi
    def unlink(self):
        for rec in self:
            if rec.user_id != self.env.user and not self._is_head() and not self.env.user._is_superuser():
                raise AccessError(_("Only the manager who asked for the approval can delete the request."))
            if rec.state not in ("draft", "cancel"):
                raise UserError(_("Only a draft or cancelled request can be deleted."))
        return super(DealApprovalRequest, self).unlink()

    def _context_defaults(self):
        """{field: value} of the default_<field> keys of the context."""
        return {key[len("default_"):]: value for key, value in self.env.context.items()
                if key.startswith("default_") and key[len("default_"):] in self._fields}

    def _check_contract_pdf(self, vals):
        data = vals.get("contract_file")
        if data:
            try:
                pdf_page_count(base64.b64decode(data))
            except Exception:
                # Whatever PyPDF2 cannot read cannot be merged either.
                raise ValidationError(_("The contract must be a PDF file."))

    def _check_lead_access(self, lead_id):
        """A request is asked for a deal the user may read."""
        if lead_id:
            lead = self.env["crm.lead"].browse(lead_id)
            lead.check_access_rights("read")
            lead.check_access_rule("read")

    def _is_head(self):
        return self.env.user.has_group("sales_team.group_sale_manager")

    def _check_can_edit_document(self):
        for rec in self:
            if rec.state == "cancel":
                raise UserError(_("A cancelled request cannot be changed."))
            if rec.user_id != self.env.user and not self._is_head():
                raise AccessError(_("Only the manager who asked for the approval can change the request."))

    @api.multi
    def _sync_invoice_figures(self):
        """An invoice request takes its amount and terms from the invoice."""
        for rec in self.filtered(lambda r: r.document_type == "invoice" and r.invoice_id):
            invoice = rec.invoice_id
            values = {}
            if rec.amount != invoice.amount_total:
                values["amount"] = invoice.amount_total
            if rec.currency_id != invoice.currency_id:
                values["currency_id"] = invoice.currency_id.id
            if not rec.payment_terms and invoice.payment_term_id:
                values["payment_terms"] = invoice.payment_term_id.name
            if values:
                super(DealApprovalRequest, rec).write(values)
        return True

    # ------------------------------------------------------------ freeze

    @api.multi
    def _document_checksum(self):
        """SHA-256 of what is approved: the contract file or the invoice's
        figures, with the amount, discount and payment terms."""
        self.ensure_one()
        digest = hashlib.sha256()
        if self.document_type == "contract":
            digest.update(base64.b64decode(self.contract_file or b""))
        else:
            invoice = self.invoice_id
            digest.update(("%s|%.2f|%s" % (
                invoice.id, invoice.amount_total, invoice.currency_id.name or "")).encode("utf-8"))
        digest.update(("|%.2f|%.2f|%s|%s" % (
            self.amount, self.discount, self.payment_terms or "", self.lead_id.id)).encode("utf-8"))
        return digest.hexdigest()

    @api.multi
    def _check_frozen(self):
        """A changed document sends an approved or waiting request back to
        waiting, as a new version, with a note in the chatter. ``checksum``
        is the one of the version sent for approval."""
        for rec in self.filtered(lambda r: r.state in ("waiting", "approved") and r.checksum):
            if rec.checksum == rec._document_checksum():
                continue
            if rec.state == "approved":
                note = _("The approved document was changed after the approval: "
                         "the request goes back to waiting for approval.")
            else:
                note = _("The document was changed while waiting: the approval starts again.")
            rec.message_post(body=note, subtype="mail.mt_note")
            rec._start_approval()

    @api.model
    def _approved_leads(self, leads):
        """The leads among ``leads`` with a request approved in its current
        version: approved, and the document still the one whose checksum
        was approved (a change the freeze did not catch, made outside the
        ORM, does not count either)."""
        # The gate counts the requests of every author, which the deal's
        # salesman may not read, hence sudo; it only reads.
        requests = self.sudo().search([("lead_id", "in", leads.ids), ("state", "=", "approved")])
        current = requests.filtered(lambda r: r.checksum and r.checksum == r._document_checksum())
        return leads.browse(current.mapped("lead_id").ids)

    # ------------------------------------------------------------ approvers

    @api.model
    def _get_settings(self):
        # Settings are parameters of the administrator; every user of the
        # workflow needs to read them, hence sudo.
        params = self.env["ir.config_parameter"].sudo()
        return {
            "head_id": int(params.get_param("deal_approval.head_approver_id") or 0),
            "second_id": int(params.get_param("deal_approval.second_approver_id") or 0),
            "threshold": float(params.get_param("deal_approval.second_threshold") or 1000000.0),
            "token_hours": int(params.get_param("deal_approval.token_hours") or 72),
        }

    @api.model
    def _default_head(self):
        settings = self._get_settings()
        users = self.env["res.users"].sudo()
        if settings["head_id"]:
            head = users.browse(settings["head_id"]).exists()
            if head and head.active:
                return head
        group = self.env.ref("sales_team.group_sale_manager")
        heads = group.sudo().users.filtered(lambda u: u.active and u.id != 1).sorted("id")
        return heads[:1]

    @api.multi
    def _get_approvers(self):
        """The approvers of this request in their order: the head, then the
        second approver above the amount threshold; never the author."""
        self.ensure_one()
        settings = self._get_settings()
        approvers = self.env["res.users"]
        approvers |= self._default_head()
        amount = self.currency_id.with_context(date=fields.Date.today()).compute(
            self.amount, self.company_id.currency_id)
        second = self.env["res.users"].browse(settings["second_id"]).exists()
        if second and amount >= settings["threshold"]:
            approvers |= second
        result = [user for user in approvers if user != self.user_id]
        if not result and second and second != self.user_id:
            result = [second]
        if not result:
            raise UserError(_("Nobody but the author can approve this request: "
                              "set the approvers in the CRM settings."))
        return result

    # ------------------------------------------------------------ actions

    @api.multi
    def action_submit(self):
        for rec in self:
            if rec.state not in ("draft", "rejected"):
                raise UserError(_("Only a draft or rejected request can be sent for approval."))
            if rec.user_id != self.env.user and not self._is_head():
                raise AccessError(_("Only the manager who asked for the approval can send it."))
            rec._sync_invoice_figures()
            rec._check_document_ready()
            rec._start_approval()
        return True

    def _check_document_ready(self):
        if self.document_type == "contract" and not self.contract_file:
            raise UserError(_("Upload the contract PDF first."))
        if self.document_type == "invoice" and not self.invoice_id:
            raise UserError(_("Choose the invoice first."))
        if not self.amount:
            raise UserError(_("Set the amount of the document first."))

    @api.multi
    def _start_approval(self):
        """A new version of the request: steps from the rules, the first
        approver notified."""
        self.ensure_one()
        rec = trusted(self)
        approvers = rec._get_approvers()
        rec.step_ids.filtered(lambda s: s.state in ("queued", "pending")).write({"state": "superseded"})
        rec.activity_ids.sudo().unlink()  # the former version's "Approve" activities
        version = rec.version + 1
        steps = self.env["deal.approval.step"]
        for sequence, user in enumerate(approvers, start=1):
            steps |= trusted(steps).create({
                "request_id": rec.id, "sequence": sequence, "approver_id": user.id,
                "version": version, "state": "queued",
            })
        rec.write({
            "state": "waiting", "version": version, "submit_date": fields.Datetime.now(),
            "decision_date": False, "reject_reason": False, "checksum": rec._document_checksum(),
        })
        rec._build_merged_pdf()
        rec._activate_step(steps[0])

    def _activate_step(self, step):
        rec = trusted(self)
        trusted(step).write({"state": "pending", "date_start": fields.Datetime.now()})
        rec.write({"current_step_id": step.id, "current_approver_id": step.approver_id.id})
        if step.approver_id.partner_id not in rec.message_partner_ids:
            # The approver must follow the request to read its chatter; only
            # the head may subscribe others, hence sudo.
            rec.sudo().message_subscribe_users(user_ids=step.approver_id.ids)
        rec._notify_approver(step)

    def _check_my_turn(self):
        self.ensure_one()
        if self.state != "waiting" or not self.current_step_id:
            raise UserError(_("This request does not wait for a decision."))
        if self.user_id == self.env.user:
            raise AccessError(_("You cannot decide on your own request."))
        if self.current_approver_id != self.env.user:
            raise AccessError(_("Only %s can decide on this request now.") % self.current_approver_id.name)

    @api.multi
    def action_approve(self):
        """The Approve button (the web client passes its context as an
        argument: the comment goes through approve())."""
        return self.approve()

    @api.multi
    def approve(self, comment=None):
        for rec in self:
            rec._check_my_turn()
            step = rec.current_step_id
            trusted(step).write({"state": "approved", "comment": comment or False,
                                 "date_decision": fields.Datetime.now()})
            rec._close_activities(step, _("Approved"))
            # Names and the comment are user text: the chatter renders HTML.
            body = html_escape(_("Approved by %s.") % self.env.user.name)
            if comment:
                body += " " + html_escape(comment)
            rec.message_post(body=body, subtype="mail.mt_comment")
            following = rec.step_ids.filtered(lambda s: s.version == rec.version and s.state == "queued")
            if following:
                # The next approver's PDF lists the approval just given.
                rec._build_merged_pdf()
                rec._activate_step(following.sorted("sequence")[0])
            else:
                trusted(rec).write({
                    "state": "approved", "current_step_id": False, "current_approver_id": False,
                    "decision_date": fields.Datetime.now(), "checksum": rec._document_checksum(),
                })
        return True

    @api.multi
    def action_reject(self, reason):
        if not reason or not reason.strip():
            raise UserError(_("Give the reason of the rejection."))
        for rec in self:
            rec._check_my_turn()
            step = rec.current_step_id
            trusted(step).write({"state": "rejected", "comment": reason,
                                 "date_decision": fields.Datetime.now()})
            trusted(rec.step_ids.filtered(lambda s: s.state == "queued")).write({"state": "superseded"})
            rec._close_activities(step, _("Rejected"))
            trusted(rec).write({
                "state": "rejected", "reject_reason": reason, "current_step_id": False,
                "current_approver_id": False, "decision_date": fields.Datetime.now(),
            })
            rec.message_post(body=html_escape(_("Rejected by %s: %s") % (self.env.user.name, reason)),
                             subtype="mail.mt_comment", partner_ids=rec.user_id.partner_id.ids)
        return True

    @api.multi
    def action_cancel(self):
        for rec in self:
            if rec.state not in ("draft", "waiting"):
                raise UserError(_("Only a request without a decision can be cancelled."))
            if rec.user_id != self.env.user:
                raise AccessError(_("Only the author can cancel his request."))
            pending = rec.step_ids.filtered(lambda s: s.state in ("queued", "pending"))
            trusted(pending).write({"state": "superseded"})
            rec.activity_ids.sudo().unlink()  # nobody has to approve any more
            trusted(rec).write({"state": "cancel", "current_step_id": False, "current_approver_id": False})
        return True

    @api.multi
    def action_open_reject_wizard(self):
        self.ensure_one()
        self._check_my_turn()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject"),
            "res_model": "deal.approval.reject.wizard",
            "view_mode": "form",
            "view_type": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    @api.multi
    def action_open_pdf(self):
        self.ensure_one()
        if not self.merged_attachment_id or self.merged_version != self.version:
            self._build_merged_pdf(force=True)
        if not self.merged_attachment_id:
            raise UserError(_("The PDF could not be made."))
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%d?download=false" % self.merged_attachment_id.id,
            "target": "new",
        }

    def _current_pdf_url(self):
        """The link to the approval PDF of the current version, if made."""
        self.ensure_one()
        if self.merged_attachment_id and self.merged_version == self.version:
            return "/web/content/%d?download=false" % self.merged_attachment_id.id
        return None

    def _close_activities(self, step, feedback):
        activities = self.activity_ids.filtered(lambda a: a.user_id == step.approver_id)
        # The approver marks his own activity done; sudo because the activity
        # may have been created by the author.
        activities.sudo().action_feedback(feedback=feedback)

    # ------------------------------------------------------------ notification

    def _summary_lines(self):
        """(label, value) of the key figures, in the reader's language."""
        self.ensure_one()

        def money(value):
            return formatLang(self.env, value, currency_obj=self.currency_id)

        lines = [
            (_("Client"), self.partner_id.display_name or ""),
            (_("Deal"), self.deal_name),
            (_("Document"), dict(self._fields["document_type"]._description_selection(self.env)).get(
                self.document_type)),
            (_("Amount"), money(self.amount)),
            (_("Discount"), "%s %%" % self.discount),
            (_("Payment terms"), self.payment_terms or "—"),
            (_("Manager"), self.user_id.name),
        ]
        if self.expected_margin:
            lines.append((_("Expected margin"), money(self.expected_margin)))
        if self.client_debt_known:
            lines.append((_("Client's debt"), money(self.client_debt)))
            lines.append((_("Overdue"), money(self.client_overdue)))
        return lines

    def _summary_html(self):
        # Names, terms and amounts come from users: escaped for the email
        # and the activity, which render HTML.
        rows = "".join("<tr><td style='padding:2px 8px;color:#666'>%s</td><td style='padding:2px 8px'>"
                       "<b>%s</b></td></tr>" % (html_escape(label), html_escape(value or ""))
                       for label, value in self._summary_lines())
        return "<table>%s</table>" % rows

    def _notify_approver(self, step):
        approver = step.approver_id
        rec = self.with_context(lang=approver.lang or "en_US")
        activity_type = self.env.ref("deal_approval.mail_activity_type_approve")
        # The author schedules the activity for the approver (mail.activity
        # checks write access on the request for other users), hence sudo.
        self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": approver.id,
            "summary": _("Approve %s: %s") % (rec.name, rec.partner_id.display_name or ""),
            "note": rec._summary_html(),
            "date_deadline": fields.Date.today(),
        })
        rec._send_approval_email(step)

    def _send_approval_email(self, step):
        tokens = self.env["deal.approval.token"]._issue(step)
        template = self.env.ref("deal_approval.mail_template_approval_request")
        attachments = self.merged_attachment_id.ids if self.merged_version == self.version else []
        # The template renders as the author; the email goes to the approver only.
        # A clean context: the template sees plain values only.
        template.sudo().with_context(
            {"lang": self.env.context.get("lang")},
            approve_url=tokens["approve"], reject_url=tokens["reject"],
            approver_name=step.approver_id.name, summary_html=self._summary_html(),
        ).send_mail(self.id, email_values={
            # Not linked to the request: the links are the approver's, they
            # stay out of the chatter that the author and followers read.
            "model": False, "res_id": False, "author_id": self.user_id.partner_id.id,
            "recipient_ids": [(6, 0, step.approver_id.partner_id.ids)],
            "attachment_ids": list(attachments),
        })

    # ------------------------------------------------------------ PDF

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

    @api.multi
    def _build_merged_pdf(self, force=False):
        """The approval sheet followed by the document, as one PDF attached
        to the request."""
        self.ensure_one()
        if is_without_pdf(self) and not force:
            return False
        try:
            sheet = self._render_report_pdf("deal_approval.deal_approval_sheet_report", self)
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
        trusted(self.sudo()).write({"merged_attachment_id": attachment.id, "merged_version": self.version})
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
