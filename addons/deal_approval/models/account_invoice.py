# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.multi
    def write(self, vals):
        result = super(AccountInvoice, self).write(vals)
        self._check_approval_freeze()
        return result

    def _check_approval_freeze(self):
        """An approved (or waiting) invoice whose figures changed goes back
        to waiting. Whoever edits the invoice (an accountant) triggers it,
        though he may not see the request, hence sudo."""
        requests = self.env["deal.approval.request"].sudo().search([
            ("invoice_id", "in", self.ids), ("state", "in", ("waiting", "approved"))])
        for request in requests:
            request._sync_invoice_figures()
            request._check_frozen()
