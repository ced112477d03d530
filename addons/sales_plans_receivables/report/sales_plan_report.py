# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.receivables.models.common import convert_sql


class SalesPlanReport(models.Model):
    _inherit = "sales.plan.report"

    @api.model
    def _actual_sources(self):
        return super(SalesPlanReport, self)._actual_sources() + [self._actual_source_received()]

    @api.model
    def _basis_columns(self):
        return dict(super(SalesPlanReport, self)._basis_columns(), received="received")

    @api.model
    def _actual_source_received(self):
        """Payments received from 1C and matched to a contract (the
        "received" of the receivables report; cancelled and unmatched ones
        do not count), on their date, credited to the contract's manager
        (or else the deal's salesperson) and team, in the company's
        currency at the rate of the payment's date (as Odoo's
        res.currency.compute chooses it), in the payment's company; one
        payment counts one."""
        return """
            SELECT 'received'::varchar AS basis,
                   COALESCE(c.user_id, l.user_id) AS user_id,
                   COALESCE(c.team_id, l.team_id) AS team_id,
                   p.company_id AS company_id,
                   p.date AS day,
                   {amount} AS amount,
                   1 AS cnt
              FROM receivables_payment p
              JOIN receivables_contract c ON c.id = p.contract_id
              JOIN res_company co ON co.id = p.company_id
              LEFT JOIN crm_lead l ON l.id = c.lead_id
             WHERE p.state = 'matched'
        """.format(amount=convert_sql("p.amount", "p.currency_id", "co.currency_id", "p.date", "p.company_id"))
