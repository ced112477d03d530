# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, fields, models
from odoo.tools import html_escape

from .receivables_overdue_chase import fmt_amount


class ReceivablesOnecBackend(models.Model):
    """The evening list also names the planned receipts that became overdue
    that day (due the day before, still unpaid): a message right after the
    list, in the channel and in each manager's chat for his own clients."""

    _inherit = "receivables.onec.backend"

    def _post_evening_list(self, day):
        channel_id = super(ReceivablesOnecBackend, self)._post_evening_list(day)
        lines = self._became_overdue(day)
        if not lines:
            return channel_id
        title = _("Became overdue on %s") % day.strftime("%d.%m.%Y")
        channel = self.env["mail.channel"].browse(channel_id)
        channel.message_post(body=self._overdue_body(title, lines), message_type="comment",
                             subtype="mail.mt_comment")
        Channel = self.env["mail.channel"]
        for user in lines.mapped("user_id"):
            own = lines.filtered(lambda line: line.user_id == user)
            title = _("Your clients' payments overdue since %s") % day.strftime("%d.%m.%Y")
            chat = Channel.browse(Channel.channel_get([user.partner_id.id], pin=False)["id"])
            chat.message_post(body=self._overdue_body(title, own), message_type="comment",
                              subtype="mail.mt_comment")
        return channel_id

    def _became_overdue(self, day):
        """Receipts planned for the day before ``day`` and not paid. sudo:
        the list is the department's, posted by the cron."""
        return self.env["receivables.schedule.line"].sudo().search(
            [("date", "=", fields.Date.to_string(day - timedelta(days=1))), ("state", "!=", "paid"),
             ("residual", ">", 0)], order="partner_id, id")

    def _overdue_body(self, title, lines):
        rows = "".join(
            "<tr><td>%s</td><td>%s</td><td style='text-align:right'>%s</td><td>%s</td></tr>" % (
                html_escape(line.partner_id.name or ""), html_escape(line.contract_id.name or ""),
                html_escape(fmt_amount(line.residual, line.currency_id)),
                html_escape(line.user_id.name or _("no manager"))) for line in lines)
        return ("<p><b>%s</b></p><table class='table table-condensed'><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>") % (
            html_escape(title), html_escape(_("Client")), html_escape(_("Contract")),
            html_escape(_("Outstanding")), html_escape(_("Manager")), rows)
