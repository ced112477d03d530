"""Demo of sales_plans_receivables: the customer invoices of the won deals,
so the plan's "Invoiced" and the funnel to cash show real figures.

Runs after the receivables plugin, so it knows what 1C received under each
deal's contract. As a Russian department has it: a deal is invoiced a few
days after it is won, for its contract's total (the dollar deal in dollars);
the deals won in the last days are not invoiced yet, nor are a few older
ones the client has not paid anything under; a couple of clients returned
part of the goods (a refund). What is invoiced and not received yet is the
money stuck on the way to cash.

The stack database has no chart of accounts: the least an invoice needs is
made here once (found, not made again, when the generator is re-run): the accounts
62.01 and 60.01 for the clients, 90.01.1 for the revenue and the sale
journal "Реализация товаров".
"""
import logging
from datetime import datetime, timedelta

from .receivables import usd_rate

_logger = logging.getLogger("demo.generate")

RECEIVABLE = ("62.01", "Расчёты с покупателями и заказчиками", "account.data_account_type_receivable", True)
PAYABLE = ("60.01", "Расчёты с поставщиками и подрядчиками", "account.data_account_type_payable", True)
INCOME = ("90.01.1", "Выручка по деятельности с основной системой налогообложения",
          "account.data_account_type_revenue", False)
JOURNAL = ("РТУ", "Реализация товаров")
NOT_INVOICED_UNPAID = 0.5  # of the won deals the client has paid nothing under
REFUNDS = 2


def _account(env, company, code, name, xmlid, reconcile):
    Account = env["account.account"]
    account = Account.search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
    if not account:
        account = Account.create({"code": code, "name": name, "reconcile": reconcile,
                                  "user_type_id": env.ref(xmlid).id, "company_id": company.id})
    return account


def setup_accounting(env, company):
    """The accounts and the sale journal of the demo company (once)."""
    receivable = _account(env, company, *RECEIVABLE)
    payable = _account(env, company, *PAYABLE)
    income = _account(env, company, *INCOME)
    Journal = env["account.journal"]
    code, name = JOURNAL
    journal = Journal.search([("code", "=", code), ("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    if not journal:
        journal = Journal.create({"name": name, "code": code, "type": "sale", "company_id": company.id,
                                  "default_debit_account_id": income.id, "default_credit_account_id": income.id})
    return receivable, payable, income, journal


def _received(env, contracts):
    """What 1C received (matched) under each contract, in its currency."""
    if not contracts:
        return {}
    env.cr.execute("""
        SELECT contract_id, SUM(amount) FROM receivables_payment
         WHERE state = 'matched' AND contract_id IN %s GROUP BY contract_id""", (tuple(contracts.ids),))
    return dict(env.cr.fetchall())


def _day(text):
    return datetime.strptime(text[:10], "%Y-%m-%d").date()


def generate(ctx):
    env = ctx.env
    rng = ctx.rng
    today = ctx.today
    company = env.user.company_id
    receivable, payable, income, journal = setup_accounting(env, company)
    won = ctx.leads.filtered(lambda l: ctx.deal_states.get(l.id) == "won" and l.partner_id)
    contracts = env["receivables.contract"].search([("lead_id", "in", won.ids)], order="date, id")
    received = _received(env, contracts)
    Invoice = env["account.invoice"].with_context(tracking_disable=True, mail_create_nolog=True,
                                                  mail_notrack=True, mail_create_nosubscribe=True)
    clients = contracts.mapped("partner_id.commercial_partner_id")
    clients.filtered(lambda p: p.property_account_receivable_id != receivable).write({
        "property_account_receivable_id": receivable.id, "property_account_payable_id": payable.id})
    invoiced = []
    for contract in contracts:
        lead = contract.lead_id
        signed = _day(contract.date)
        # The deal's amount, as its contract was made (without the extra
        # receipt the receivables demo plans for this month).
        total = max(30000.0, round(lead.planned_revenue or 100000.0, -3))
        if contract.currency_id.name == "USD":
            total = max(1000.0, round(total / usd_rate(signed), -2))
        day = signed + timedelta(days=rng.randint(2, 6))
        unpaid = not received.get(contract.id)
        if day > today or (unpaid and rng.random() < NOT_INVOICED_UNPAID):
            continue  # won but not invoiced yet
        values = {
            "partner_id": contract.partner_id.commercial_partner_id.id, "type": "out_invoice",
            "journal_id": journal.id, "account_id": receivable.id, "user_id": contract.user_id.id or lead.user_id.id,
            "company_id": company.id, "currency_id": contract.currency_id.id, "date_invoice": day.strftime("%Y-%m-%d"),
            "origin": contract.name, "name": "Счёт по договору № %s" % contract.name,
            "payment_term_id": False, "fiscal_position_id": False, "partner_bank_id": False,
            "invoice_line_ids": [(0, 0, {"name": lead.name.split(" — ")[0], "quantity": 1, "price_unit": total,
                                         "account_id": income.id})],
        }
        invoice = Invoice.create(values)
        invoice.action_invoice_open()
        invoiced.append((invoice, total, received.get(contract.id) or 0.0))
    # A couple of clients returned part of the goods: a refund that still
    # leaves more invoiced than received.
    returns = [item for item in invoiced if item[1] - item[2] >= 0.2 * item[1]
               and (today - _day(item[0].date_invoice)).days > 20]
    for invoice, total, _paid in rng.sample(returns, min(REFUNDS, len(returns))):
        day = _day(invoice.date_invoice) + timedelta(days=rng.randint(7, 20))
        refund = Invoice.create({
            "partner_id": invoice.partner_id.id, "type": "out_refund", "journal_id": journal.id,
            "account_id": receivable.id, "user_id": invoice.user_id.id, "company_id": company.id,
            "currency_id": invoice.currency_id.id, "date_invoice": day.strftime("%Y-%m-%d"),
            "origin": invoice.number, "name": "Возврат части товара по счёту %s" % invoice.number,
            "payment_term_id": False, "fiscal_position_id": False, "partner_bank_id": False,
            "invoice_line_ids": [(0, 0, {"name": "Возврат товара", "quantity": 1,
                                         "price_unit": round(total * rng.choice([0.1, 0.15]), -2),
                                         "account_id": income.id})],
        })
        refund.action_invoice_open()
    _logger.info("demo: %d customer invoices of %d won deals", len(invoiced), len(contracts))


def bulk(ctx):
    """For ``bench/bench_plans.py``: a posted invoice for every third bulk
    won deal (scale 2100: about 120,000), a few days after it was won, for
    its amount, of its credited salesperson. Header rows only (set-based
    SQL, no lines or journal entries): what the plan report's "Invoiced"
    reads, so that its lookup of each invoice's deal is measured at scale."""
    env = ctx.env
    company = env.user.company_id
    receivable, _payable, _income, journal = setup_accounting(env, company)
    env.cr.execute("SELECT count(*) FROM account_invoice WHERE origin = 'bench'")
    if env.cr.fetchone()[0]:
        return
    env.cr.execute("""
        INSERT INTO account_invoice (name, origin, type, state, reference_type, partner_id, commercial_partner_id,
                                     account_id, journal_id, company_id, currency_id, user_id, date_invoice,
                                     amount_untaxed, amount_total, amount_total_signed,
                                     amount_total_company_signed, residual, create_uid, write_uid,
                                     create_date, write_date)
        SELECT 'Счёт по сделке ' || l.name, 'bench', 'out_invoice', 'open', 'none', l.partner_id,
               p.commercial_partner_id, %(account)s, %(journal)s, l.company_id, %(currency)s, l.plan_user_id,
               (l.date_closed + interval '3 days')::date, l.planned_revenue, l.planned_revenue,
               l.planned_revenue, l.planned_revenue, l.planned_revenue, 1, 1, now(), now()
          FROM crm_lead l
          JOIN res_partner p ON p.id = l.partner_id
         WHERE l.plan_credited AND l.name LIKE 'Сделка плана № %%' AND l.id %% 3 = 0
           AND l.date_closed + interval '3 days' <= now()
    """, {"account": receivable.id, "journal": journal.id, "currency": company.currency_id.id})
    _logger.info("demo bulk: %d benchmark invoices", env.cr.rowcount)
    env.cr.execute("ANALYZE account_invoice")
