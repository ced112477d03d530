# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the models of the addon share: the trusted-write guard of the 1C
sync and the currency conversion of the reports."""

from odoo.addons.sales_control.models.common import ContextMark

# The sync (and only the sync) writes money, 1C documents and allocations
# with this mark in the context: a context key such as
# {"receivables_sync": True} opens nothing.
_TRUSTED = ContextMark("receivables_trusted")
# Tests and the benchmark run a sync inside one transaction that they roll
# back: the batch commits are skipped with this mark, never with a flag a
# client could send.
_NO_COMMIT = ContextMark("receivables_no_commit")


def trusted(records):
    """``records`` allowed to write what only the 1C sync writes."""
    return _TRUSTED.on(records)


def is_trusted(records):
    return _TRUSTED.is_on(records)


def without_commit(records):
    """``records`` whose sync does not commit its batches (tests, benchmark)."""
    return _NO_COMMIT.on(records)


def commits(records):
    return not _NO_COMMIT.is_on(records)


def rate_sql(currency, day, company):
    """SQL of the rate of ``currency`` on ``day`` for ``company`` (three SQL
    expressions), chosen as ``res.currency._compute_current_rate`` of Odoo 11
    does: the company's own rate first, the last one on or before the day,
    1.0 when there is none."""
    return """COALESCE((SELECT r.rate FROM res_currency_rate r
                         WHERE r.currency_id = {currency} AND r.name <= {day}
                           AND (r.company_id IS NULL OR r.company_id = {company})
                         ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)""".format(
        currency=currency, day=day, company=company)


def convert_sql(amount, from_currency, to_currency, day, company):
    """SQL of ``amount`` in ``from_currency`` converted to ``to_currency``
    at the rates of ``day`` (as ``res.currency.compute``, without rounding)."""
    return """(CASE WHEN {src} = {dst} THEN {amount}
                    ELSE {amount} * {to_rate} / {from_rate} END)""".format(
        src=from_currency, dst=to_currency, amount=amount,
        to_rate=rate_sql(to_currency, day, company), from_rate=rate_sql(from_currency, day, company))
