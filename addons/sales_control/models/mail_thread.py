# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_post_process_attachments(self, attachments, attachment_ids, message_data):
        """Odoo 11 links any attachment id that message_post (or the
        composer) is given to the new message, and mails it: a salesman would
        send himself a colleague's call recording. The poster must be able
        to read each file he attaches."""
        if attachment_ids and self.env.uid != SUPERUSER_ID:
            self.env["ir.attachment"].browse(attachment_ids).check("read")
        return super(MailThread, self)._message_post_process_attachments(
            attachments, attachment_ids, message_data)
