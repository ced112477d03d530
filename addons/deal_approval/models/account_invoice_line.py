# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountInvoiceLine(models.Model):
    """A line added, changed or removed outside the invoice's own write (an
    import, an RPC call) changes the approved figures as much: the request
    goes back to waiting."""
    _inherit = "account.invoice.line"

    @api.model
    def create(self, vals):
        line = super(AccountInvoiceLine, self).create(vals)
        line.invoice_id._check_approval_freeze()
        return line

    @api.multi
    def write(self, vals):
        result = super(AccountInvoiceLine, self).write(vals)
        self.mapped("invoice_id")._check_approval_freeze()
        return result

    @api.multi
    def unlink(self):
        invoices = self.mapped("invoice_id")
        result = super(AccountInvoiceLine, self).unlink()
        invoices.exists()._check_approval_freeze()
        return result
