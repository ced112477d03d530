# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class DealApprovalRequest(models.Model):
    _inherit = "deal.approval.request"

    @api.multi
    def _get_client_debt(self):
        """The client's whole debt from receivables, in the request's
        currency (each planned receipt at the rate of its date). Its record
        rules show a manager only the debt of his own contracts; the approver
        must see the client's total, hence sudo."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        if not client:
            return None
        currency = self.currency_id or self.env.user.company_id.currency_id  # a form's new request
        Line = self.env["receivables.schedule.line"].sudo()
        by_state = Line._unpaid_by_state("partner_id", client.ids, currency=currency).get(client.id, {})
        return {"debt": currency.round(sum(by_state.values())), "overdue": by_state.get("overdue", 0.0)}

    @api.multi
    def _approval_facts(self):
        """The client's overdue debt in the company's currency, for the
        routes' "client has overdue debt" condition (as superuser, as the
        total above)."""
        facts = super(DealApprovalRequest, self)._approval_facts()
        client = self.partner_id.commercial_partner_id
        if client:
            currency = self.company_id.currency_id or self.env.user.company_id.currency_id
            Line = self.env["receivables.schedule.line"].sudo()
            by_state = Line._unpaid_by_state("partner_id", client.ids, currency=currency).get(client.id, {})
            facts["overdue"] = by_state.get("overdue", 0.0)
        return facts

    @api.multi
    def _client_overdue_contracts(self):
        """[(contract number, overdue amount in the request's currency)] of
        the client, most overdue first, for the approval sheet (as superuser,
        like the total above)."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        if not client:
            return []
        Line = self.env["receivables.schedule.line"].sudo()
        overdue = Line._unpaid_by_state("contract_id", Line.search(
            [("partner_id", "=", client.id), ("state", "=", "overdue")]).mapped("contract_id").ids,
            currency=self.currency_id)
        contracts = self.env["receivables.contract"].sudo().browse(list(overdue))
        rows = [(contract.name, overdue[contract.id].get("overdue", 0.0)) for contract in contracts]
        return sorted(rows, key=lambda row: -row[1])
