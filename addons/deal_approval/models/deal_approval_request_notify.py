# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The notifications of a request: the approver's activity and email with
the key figures, the reminder, the escalation and the closing of the
activities once decided."""
from odoo import _, fields, models
from odoo.tools import formatLang, html_escape


class DealApprovalRequest(models.Model):
    _inherit = "deal.approval.request"

    def _close_activities(self, step, feedback):
        activities = self.activity_ids.filtered(lambda a: a.user_id == step.approver_id)
        # The approver marks his own activity done; sudo because the activity
        # may have been created by the author.
        activities.sudo().action_feedback(feedback=feedback)

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
            (_("Salesperson"), self.user_id.name),
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

    def _approval_on_remind(self, review):
        """A reminder in the approver's inbox (a message to him on the
        request) and his activity due today again."""
        approver = review.approver_id
        rec = self.with_context(lang=approver.lang or "en_US")
        body = html_escape(_("Reminder: %s waits for your decision since %s.") % (
            rec.name, rec.with_context(tz=approver.tz)._format_datetime(review.date_start)))
        # Posted by the engine (the cron) for the approver; he may be the
        # only reader, hence sudo.
        rec.sudo().message_post(body=body, subtype="mail.mt_comment", partner_ids=approver.partner_id.ids)
        self.activity_ids.filtered(lambda a: a.user_id == approver).sudo().write(
            {"date_deadline": fields.Date.today()})

    def _approval_on_escalate(self, old, new):
        """The approver who did not decide in time loses his activity; the
        next level is asked, and the chatter says so."""
        self.activity_ids.filtered(lambda a: a.user_id == old.approver_id).sudo().unlink()
        self.sudo().message_post(body=html_escape(
            _("%s did not decide in time: the request goes to %s.") % (
                old.approver_id.name, new.approver_id.name)), subtype="mail.mt_note")
        self._set_current()
        if new.escalated_from_id == old.approver_id:
            if new.approver_id.partner_id not in self.message_partner_ids:
                self.sudo().message_subscribe_users(user_ids=new.approver_id.ids)
            self._notify_approver(new)
