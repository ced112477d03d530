# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.receivables.models.common import convert_sql


class SalesPlanReport(models.Model):
    """Won, invoiced and received side by side on every plan row; the
    company's basis says which of them is the actual."""

    _inherit = "sales.plan.report"

    invoiced_amount = fields.Monetary(
        string="Invoiced", readonly=True,
        help="Posted customer invoices (less refunds) of the salesperson's deal clients in the period.")
    invoiced_count = fields.Integer(string="Invoices", readonly=True)
    received_amount = fields.Monetary(
        string="Received", readonly=True, help="Money received from 1C on the contracts in the period.")
    received_count = fields.Integer(string="Payments", readonly=True)

    @api.model_cr
    def init(self):
        result = super(SalesPlanReport, self).init()
        # Dropping the report's view drops the funnel built on it.
        self.env["sales.plan.funnel"].init()
        return result

    @api.model
    def _actual_sources(self):
        return super(SalesPlanReport, self)._actual_sources() + [
            self._actual_source_invoiced(), self._actual_source_received()]

    @api.model
    def _basis_columns(self):
        return dict(super(SalesPlanReport, self)._basis_columns(), invoiced="invoiced", received="received")

    @api.model
    def _actual_source_invoiced(self):
        """Posted customer invoices (open or paid; a refund takes its amount
        off and counts no invoice) on
        their date, in the company's currency, credited to the invoice's
        salesperson when he has a deal with the invoice's client in that
        company (the team is that of his latest such deal, credited as the
        deals are); an invoice of nobody's deal client does not count."""
        return """
            SELECT 'invoiced'::varchar AS basis,
                   i.user_id, d.team_id, i.company_id,
                   i.date_invoice AS day,
                   i.amount_total_company_signed AS amount,
                   CASE WHEN i.type = 'out_invoice' THEN 1 ELSE 0 END AS cnt
              FROM account_invoice i
              JOIN LATERAL (
                   SELECT COALESCE(l.plan_team_id, l.team_id) AS team_id
                     FROM crm_lead l
                     JOIN res_partner lp ON lp.id = l.partner_id
                    WHERE lp.commercial_partner_id = i.commercial_partner_id
                      AND COALESCE(l.plan_user_id, l.user_id) = i.user_id
                      AND l.company_id = i.company_id
                    ORDER BY l.date_closed DESC NULLS LAST, l.id DESC
                    LIMIT 1) d ON TRUE
             WHERE i.type IN ('out_invoice', 'out_refund') AND i.state IN ('open', 'paid')
               AND i.user_id IS NOT NULL AND i.date_invoice IS NOT NULL
        """

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
