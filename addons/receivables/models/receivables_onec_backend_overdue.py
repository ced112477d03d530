# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, fields, models
from odoo.tools import html_escape

from .receivables_overdue_chase import fmt_amount


class ReceivablesOnecBackend(models.Model):
    """The evening list also names the planned receipts that became overdue
    that day (due the day before, still unpaid): a section of the channel's
    list, and a line in the chat of each manager about his own clients."""

    _inherit = "receivables.onec.backend"

    def _post_evening_list(self, day):
        channel_id = super(ReceivablesOnecBackend, self)._post_evening_list(day)
        Channel = self.env["mail.channel"]
        lines = self._became_overdue(day)
        for user in lines.mapped("user_id"):
            own = lines.filtered(lambda line: line.user_id == user)
            chat = Channel.browse(Channel.channel_get([user.partner_id.id], pin=False)["id"])
            chat.message_post(body=self._overdue_section(day, own, mine=True), message_type="comment",
                              subtype="mail.mt_comment")
        return channel_id

    def _evening_extra(self, day):
        lines = self._became_overdue(day)
        extra = super(ReceivablesOnecBackend, self)._evening_extra(day)
        return extra + self._overdue_section(day, lines) if lines else extra

    def _became_overdue(self, day):
        """Receipts planned for the day before ``day`` and not paid. sudo:
        the list is the department's, posted by the cron."""
        return self.env["receivables.schedule.line"].sudo().search(
            [("date", "=", fields.Date.to_string(day - timedelta(days=1))), ("state", "!=", "paid"),
             ("residual", ">", 0)], order="partner_id, id")

    def _overdue_section(self, day, lines, mine=False):
        title = (_("Your clients' payments overdue since %s") if mine else _("Became overdue on %s")) % \
            day.strftime("%d.%m.%Y")
        rows = "".join(
            "<tr><td>%s</td><td>%s</td><td style='text-align:right'>%s</td><td>%s</td></tr>" % (
                html_escape(line.partner_id.name or ""), html_escape(line.contract_id.name or ""),
                html_escape(fmt_amount(line.residual, line.currency_id)),
                html_escape(line.user_id.name or _("no salesperson"))) for line in lines)
        return ("<p><b>%s</b></p><table class='table table-condensed'><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>") % (
            html_escape(title), html_escape(_("Client")), html_escape(_("Contract")),
            html_escape(_("Outstanding")), html_escape(_("Salesperson")), rows)
