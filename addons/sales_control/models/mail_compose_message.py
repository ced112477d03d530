# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .crm_lead import PROPOSAL_SENT


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.multi
    def send_mail(self, auto_commit=False):
        """A message sent to a deal with the commercial proposal template is
        a КП touch. Decided here, from the composer's own template, not from
        a context key that any caller could send."""
        template = self.env.ref("sales_control.mail_template_commercial_proposal", raise_if_not_found=False)
        proposals = self.filtered(lambda wizard: template and wizard.template_id == template
                                  and wizard.model == "crm.lead" and wizard.composition_mode == "comment")
        if proposals:
            proposals._sales_attach_proposal(template)
            super(MailComposeMessage, PROPOSAL_SENT.on(proposals)).send_mail(
                auto_commit=auto_commit)
        others = self - proposals
        if others:
            return super(MailComposeMessage, others).send_mail(auto_commit=auto_commit)
        return {"type": "ir.actions.act_window_close"}

    def _sales_attach_proposal(self, template):
        """A КП touch is a КП sent: the proposal's PDF, which the form's
        onchange adds, is added here when a composer made some other way
        lacks it."""
        Attachment = self.env["ir.attachment"]
        for wizard in self:
            generated = wizard.generate_email_for_composer(template.id, [wizard.res_id],
                                                           fields=["subject"])[wizard.res_id]
            names = set(wizard.attachment_ids.mapped("datas_fname")) | set(wizard.attachment_ids.mapped("name"))
            missing = [(name, datas) for name, datas in generated.get("attachments", []) if name not in names]
            if missing:
                wizard.attachment_ids |= Attachment.concat(*[Attachment.create({
                    "name": name, "datas": datas, "datas_fname": name, "type": "binary",
                    "res_model": "mail.compose.message", "res_id": 0}) for name, datas in missing])
