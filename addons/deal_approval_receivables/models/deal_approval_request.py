# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class DealApprovalRequest(models.Model):
    _inherit = "deal.approval.request"

    @api.multi
    def _get_client_debt(self):
        """The client's whole debt from receivables. Its record rules show a
        manager only the debt of his own contracts; the approver must see
        the client's total, hence sudo."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id.sudo()
        if not client:
            return None
        return {"debt": client.receivable_debt_total, "overdue": client.receivable_overdue_total}
