# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.receivables.models.common import convert_sql

# The customer invoices the plans count (and the partial index of them).
POSTED_INVOICES = """i.type IN ('out_invoice', 'out_refund') AND i.state IN ('open', 'paid')
                     AND i.user_id IS NOT NULL AND i.date_invoice IS NOT NULL"""


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
        # The invoiced source looks up, per invoice, the latest deal of its
        # salesperson with its client: without this index each lookup scans
        # every deal (15 s for 64 invoices over 860,000 deals), with it one
        # index range per client contact.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS crm_lead_sales_plan_client_credit_idx
                ON crm_lead (partner_id, (COALESCE(plan_user_id, user_id)), company_id,
                             date_closed DESC NULLS LAST, id DESC)""")
        # The invoices are summed from this index alone (an index-only
        # scan): its condition is POSTED_INVOICES.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_invoice_sales_plan_posted_idx
                ON account_invoice (commercial_partner_id, user_id, company_id, date_invoice)
                INCLUDE (amount_total_company_signed, type)
             WHERE type IN ('out_invoice', 'out_refund') AND state IN ('open', 'paid')
               AND user_id IS NOT NULL AND date_invoice IS NOT NULL""")
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
        off and counts no invoice) on their date, in the company's currency,
        credited to the invoice's salesperson when he has a deal with the
        invoice's client in that company (the team is that of his latest
        such deal, credited as the deals are); an invoice of nobody's deal
        client does not count."""
        return self._invoiced_sql("i.date_invoice", "day")

    @api.model
    def _month_sum_overrides(self):
        # Summed per month in the scan of the invoices itself: the deals are
        # then looked up for a few thousand sums, not for every invoice day.
        return dict(super(SalesPlanReport, self)._month_sum_overrides(), **{
            self._actual_source_invoiced():
                self._invoiced_sql("date_trunc('month', i.date_invoice::timestamp)::date", "month")})

    @api.model
    def _invoiced_sql(self, date_expression, date_column):
        """The invoices summed per client, salesperson, company and
        ``date_expression`` (named ``date_column``) in one scan (an index
        holds the posted ones), with the team of the salesperson's latest
        deal of the client, looked up once per client, salesperson and
        company (MATERIALIZED: not once per sum): for each of the client's
        contacts it is the first entry of an index range
        (crm_lead_sales_plan_client_credit_idx)."""
        return """
            SELECT * FROM (
              WITH invoice_sums AS MATERIALIZED (
                   SELECT i.commercial_partner_id, i.user_id, i.company_id, {date} AS {column},
                          SUM(i.amount_total_company_signed) AS amount,
                          SUM(CASE WHEN i.type = 'out_invoice' THEN 1 ELSE 0 END) AS cnt
                     FROM account_invoice i
                    WHERE {posted}
                    GROUP BY i.commercial_partner_id, i.user_id, i.company_id, {date}
              ), deal_team AS MATERIALIZED (
                   SELECT k.commercial_partner_id, k.user_id, k.company_id, d.team_id
                     FROM (SELECT DISTINCT commercial_partner_id, user_id, company_id FROM invoice_sums) k
                    CROSS JOIN LATERAL (
                          SELECT COALESCE(l.plan_team_id, l.team_id) AS team_id
                            FROM res_partner lp
                           CROSS JOIN LATERAL (
                                 SELECT l.plan_team_id, l.team_id, l.date_closed, l.id
                                   FROM crm_lead l
                                  WHERE l.partner_id = lp.id AND COALESCE(l.plan_user_id, l.user_id) = k.user_id
                                    AND l.company_id = k.company_id
                                  ORDER BY l.date_closed DESC NULLS LAST, l.id DESC
                                  LIMIT 1) l
                           WHERE lp.commercial_partner_id = k.commercial_partner_id
                           ORDER BY l.date_closed DESC NULLS LAST, l.id DESC
                           LIMIT 1) d
              )
              SELECT 'invoiced'::varchar AS basis, s.user_id, d.team_id, s.company_id, s.{column},
                     s.amount, s.cnt
                FROM invoice_sums s
                JOIN deal_team d ON d.commercial_partner_id = s.commercial_partner_id
                                AND d.user_id = s.user_id AND d.company_id = s.company_id
            ) invoiced
        """.format(date=date_expression, column=date_column, posted=POSTED_INVOICES)

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
