# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountInvoiceLine(models.Model):
    _inherit = "account.invoice.line"

    @api.multi
    def write(self, vals):
        result = super(AccountInvoiceLine, self).write(vals)
        self.mapped("invoice_id")._check_approval_freeze()
        return result
