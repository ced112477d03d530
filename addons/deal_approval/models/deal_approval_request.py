# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval request of a deal's document (contract or invoice): the
document, its freeze and who may edit it. The engine is
``deal.approval.mixin``; the PDF and the notifications are in
deal_approval_request_pdf.py and deal_approval_request_notify.py."""
import base64
import hashlib
from datetime import datetime

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from .common import is_trusted, pdf_page_count, trusted

# Fields only the state machine itself may write (see write()).
PROTECTED_FIELDS = {
    "state", "version", "step_ids", "current_step_id", "current_approver_id",
    "checksum", "submit_date", "decision_date", "reject_reason",
    "merged_attachment_id", "merged_version", "merged_lang",
}
# Fields that make up the document under approval.
DOCUMENT_FIELDS = {
    "lead_id", "document_type", "contract_file", "contract_filename",
    "invoice_id", "amount", "currency_id", "discount", "payment_terms",
    "payment_delay", "expected_margin",
}


class DealApprovalRequest(models.Model):
    _name = "deal.approval.request"
    _description = "Deal document approval request"
    _inherit = ["deal.approval.mixin", "mail.thread", "mail.activity.mixin"]
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
        "res.users", string="Salesperson", required=True, index=True, readonly=True,
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
    payment_delay = fields.Integer(
        string="Payment delay, days", track_visibility="onchange",
        help="Days the client may pay after delivery; routes may ask more approvers above a delay.")
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
    merged_lang = fields.Char(string="Language of the approval PDF", readonly=True, copy=False)
    age_display = fields.Char(string="Waiting", compute="_compute_age_display")
    client_debt = fields.Monetary(string="Client's debt", compute="_compute_client_debt")
    client_overdue = fields.Monetary(string="Client's overdue debt", compute="_compute_client_debt")
    client_debt_known = fields.Boolean(compute="_compute_client_debt")
    is_my_turn = fields.Boolean(string="Waits for me", compute="_compute_is_my_turn",
                                search="_search_is_my_turn")

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

    @api.depends("step_ids.state", "step_ids.approver_id", "state")
    def _compute_is_my_turn(self):
        for rec in self:
            rec.is_my_turn = rec.state == "waiting" and bool(rec._approval_my_review(self.env.user))

    def _search_is_my_turn(self, operator, value):
        # The parallel reviews of a request: "waits for me" is a pending
        # review of mine, one subquery (a domain on step_ids.state and
        # step_ids.approver_id would not tie both to the same review).
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on 'Waits for me'."))
        self.env.cr.execute("SELECT request_id FROM deal_approval_step s "
                            "JOIN deal_approval_request r ON r.id = s.request_id AND r.version = s.version "
                            "WHERE s.state = 'pending' AND s.approver_id = %s AND r.state = 'waiting'",
                            (self.env.uid,))
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

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
                raise AccessError(_("Only the head of sales can change the salesperson of a request."))
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
                raise AccessError(_("Only the salesperson who asked for the approval can delete the request."))
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
                raise AccessError(_("Only the salesperson who asked for the approval can change the request."))

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

    def _sync_payment_delay(self):
        """An invoice sent without a payment delay takes the longest delay
        of its payment terms (for the routes' "payment delay above"). Only
        when sent: an approved request's checksum does not change under it.
        The terms are accounting configuration, read as superuser."""
        for rec in self.filtered(lambda r: r.document_type == "invoice" and r.invoice_id and not r.payment_delay):
            term = rec.invoice_id.sudo().payment_term_id
            days = max(term.line_ids.mapped("days") or [0])
            if days:
                super(DealApprovalRequest, rec).write({"payment_delay": days})
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
        if self.payment_delay:
            # Only when set: the checksums approved before the field existed
            # stay valid.
            digest.update(("|delay:%d" % self.payment_delay).encode("utf-8"))
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
        heads = group.sudo().users.filtered(lambda u: u.active and u.id != SUPERUSER_ID).sorted("id")
        return heads[:1]

    @api.model
    def _approval_head(self):
        return self._default_head()

    @api.model
    def _approval_finance(self):
        second = self.env["res.users"].sudo().browse(self._get_settings()["second_id"]).exists()
        return second if second.active else second.browse()

    @api.multi
    def _approval_facts(self):
        """The request's figures for the routes' conditions; the amount in
        the company's currency at today's rate. The team and its leader are
        read as superuser: the finance director may not read CRM teams."""
        facts = super(DealApprovalRequest, self)._approval_facts()
        company_currency = self.company_id.currency_id
        team = self.lead_id.sudo().team_id
        facts.update({
            "amount": self.currency_id.with_context(date=fields.Date.today()).compute(
                self.amount, company_currency) if self.currency_id else self.amount,
            "discount": self.discount,
            "delay": self.payment_delay,
            "team_id": team.id or None,
            "team_leader": team.user_id,
            "kind": self.document_type,
            "company_id": self.company_id.id,
        })
        return facts

    @api.multi
    def _get_approvers(self):
        """The approvers of this request in the order they are asked."""
        self.ensure_one()
        return [item["approver"] for item in self._approval_plan()]

    # ------------------------------------------------------------ actions

    @api.multi
    def action_submit(self):
        for rec in self:
            if rec.state not in self._approval_start_states:
                raise UserError(_("Only a draft or rejected request can be sent for approval."))
            if rec.user_id != self.env.user and not self._is_head():
                raise AccessError(_("Only the salesperson who asked for the approval can send it."))
            rec._sync_invoice_figures()
            rec._sync_payment_delay()
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
        """A new version of the request, through the routes."""
        self.ensure_one()
        self._approval_start()

    def _approval_on_start(self):
        # The former version's "Approve" activities go; only the workflow
        # removes activities of others, hence sudo.
        self.activity_ids.sudo().unlink()
        trusted(self).write({"reject_reason": False, "checksum": self._document_checksum()})
        self._build_merged_pdf()
        self._post_delegations()

    def _post_delegations(self):
        for review in self._approval_reviews().filtered("delegated_from_id"):
            self.message_post(body=html_escape(
                _("%s is away: %s decides in his place.") % (
                    review.delegated_from_id.name, review.approver_id.name)), subtype="mail.mt_note")

    def _approval_on_activate(self, reviews):
        self._set_current()
        for review in reviews:
            if review.approver_id.partner_id not in self.message_partner_ids:
                # The approver must follow the request to read its chatter;
                # only the head may subscribe others, hence sudo.
                self.sudo().message_subscribe_users(user_ids=review.approver_id.ids)
            self._notify_approver(review)

    def _set_current(self):
        """current_step_id / current_approver_id: the first review waiting."""
        first = self._approval_pending()[:1]
        trusted(self).write({"current_step_id": first.id, "current_approver_id": first.approver_id.id})

    def _approval_approved_values(self):
        return {"current_step_id": False, "current_approver_id": False,
                "checksum": self._document_checksum()}

    def _approval_on_decided(self, review, approved):
        if approved:
            self._close_activities(review, _("Approved"))
            # Names and the comment are user text: the chatter renders HTML.
            body = html_escape(_("Approved by %s.") % self.env.user.name)
            if review.comment:
                body += " " + html_escape(review.comment)
            self.message_post(body=body, subtype="mail.mt_comment")
            if not self._approval_pending() and self._approval_reviews().filtered(
                    lambda r: r.state == "queued"):
                # The next approver's PDF lists the approval just given.
                self._build_merged_pdf()
            else:
                self._set_current()
            return
        self._close_activities(review, _("Rejected"))
        # The other approvers of the stage have nothing to decide any more.
        self.activity_ids.sudo().unlink()
        trusted(self).write({"reject_reason": review.comment, "current_step_id": False,
                             "current_approver_id": False})
        self.message_post(body=html_escape(_("Rejected by %s: %s") % (self.env.user.name, review.comment)),
                          subtype="mail.mt_comment", partner_ids=self.user_id.partner_id.ids)

    @api.multi
    def action_approve(self):
        """The Approve button (the web client passes its context as an
        argument: the comment goes through approve())."""
        return self.approve()

    @api.multi
    def approve(self, comment=None):
        for rec in self:
            rec._approval_approve(comment)
        return True

    @api.multi
    def action_reject(self, reason):
        if not reason or not reason.strip():
            raise UserError(_("Give the reason of the rejection."))
        for rec in self:
            rec._approval_reject(reason)
        return True

    @api.multi
    def action_cancel(self):
        for rec in self:
            if rec.state not in ("draft", "waiting"):
                raise UserError(_("Only a request without a decision can be cancelled."))
            if rec.user_id != self.env.user:
                raise AccessError(_("Only the author can cancel his request."))
            rec._approval_close_open()
            rec.activity_ids.sudo().unlink()  # nobody has to approve any more
            trusted(rec).write({"state": "cancel", "current_step_id": False, "current_approver_id": False})
        return True

    def _check_my_turn(self):
        self._approval_check_can_decide()

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

    @api.model
    def _cron_approval_reminders(self):
        """Hourly: reminders and escalations of the waiting requests."""
        return self._approval_cron()

    @api.multi
    def action_open_pdf(self):
        self.ensure_one()
        # Each reader opens the sheet in his own language.
        lang = self.env.user.lang or self._sheet_lang()
        if (not self.merged_attachment_id or self.merged_version != self.version
                or (self.merged_lang or lang) != lang):
            self._build_merged_pdf(force=True, lang=lang)
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
