# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import namedtuple
from datetime import date

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import convert_sql, is_trusted

_Line = namedtuple("_Line", "date amount allocated")
# What a user may give a planned receipt; the rest (received money, state,
# the contract's manager and client) follows from the contract and 1C.
CREATE_FIELDS = {"contract_id", "date", "amount"}
WRITE_FIELDS = {"date", "amount"}

STATES = [
    ("paid", "Paid"),
    ("partial", "Partly paid"),
    ("overdue", "Overdue"),
    ("due", "Due this month"),
    ("future", "Future"),
]


class ReceivablesScheduleLine(models.Model):
    """A planned receipt of a contract. ``state`` depends on today: it is
    stored (lists are grouped and filtered by it) and refreshed by a daily
    cron as well as whenever the amount, date or allocation changes."""

    _name = "receivables.schedule.line"
    _description = "Planned receipt"
    _order = "date, id"

    contract_id = fields.Many2one("receivables.contract", required=True, ondelete="cascade", index=True)
    date = fields.Date(string="Planned date", required=True, index=True)
    amount = fields.Monetary(string="Planned amount", required=True)
    allocated = fields.Monetary(string="Received", readonly=True, copy=False)
    residual = fields.Monetary(string="Outstanding", compute="_compute_residual", store=True)
    state = fields.Selection(STATES, compute="_compute_state", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True, readonly=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, readonly=True, index=True,
                                 string="Client")
    user_id = fields.Many2one(related="contract_id.user_id", store=True, readonly=True, index=True,
                              string="Salesperson")
    team_id = fields.Many2one(related="contract_id.team_id", store=True, readonly=True, index=True,
                              string="Sales team")
    lead_id = fields.Many2one(related="contract_id.lead_id", store=True, readonly=True, string="Deal")
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    overdue_chase_ids = fields.One2many("receivables.overdue.chase", "line_id", string="Overdue chase",
                                        readonly=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A planned amount must be positive."),
    ]

    @api.model
    def create(self, vals):
        if not is_trusted(self):
            self._check_user_fields(vals, CREATE_FIELDS)
        line = super(ReceivablesScheduleLine, self).create(vals)
        contract = self.env["receivables.contract"].browse(vals.get("contract_id"))
        contract._allocate_payments()
        return line

    @api.multi
    def write(self, vals):
        if not is_trusted(self):
            self._check_user_fields(vals, WRITE_FIELDS)
            self._check_may_change()
        result = super(ReceivablesScheduleLine, self).write(vals)
        if "amount" in vals or "date" in vals:
            self.mapped("contract_id")._allocate_payments()
        return result

    @api.multi
    def unlink(self):
        if not is_trusted(self):
            self._check_may_change()
        contracts = self.mapped("contract_id")
        # sudo: the chases' activities are the system's; they go with the line.
        chases = self.sudo().mapped("overdue_chase_ids")
        (chases.mapped("salesman_activity_id") | chases.mapped("leader_activity_id")
         | chases.mapped("head_activity_id")).unlink()
        result = super(ReceivablesScheduleLine, self).unlink()
        contracts.exists()._allocate_payments()
        return result

    @api.multi
    def name_get(self):
        """"RCV-12 dated 01.02.2026 · 15.03.2026 · 120 000.00 ₽": the contract,
        the planned date and the amount, where Odoo showed the model and id."""
        names = []
        for line in self:
            names.append((line.id, _("%(contract)s · %(date)s · %(amount)s") % {
                "contract": line.contract_id.display_name or "",
                "date": fields.Date.from_string(line.date).strftime("%d.%m.%Y") if line.date else "",
                "amount": "%s\u00a0%s" % ("{:,.2f}".format(line.amount or 0.0).replace(",", "\u00a0"),
                                          line.currency_id.symbol or "")}))
        return names

    @api.model
    def _check_user_fields(self, vals, allowed):
        if "allocated" in vals:
            raise UserError(_("Received money is allocated from the payments of 1C; it cannot be edited."))
        if set(vals) - allowed:
            raise UserError(_("A planned receipt has only a date and an amount; the rest follows from "
                              "its contract and from the payments of 1C."))

    def _check_may_change(self):
        """A salesman plans the receipts of his contracts, but once a receipt
        is overdue or money is allocated to it, only the head of sales or the
        accountant may change or delete it: else a salesman would hide a
        debt the head relies on."""
        user = self.env.user
        if user._is_superuser() or user.has_group("sales_team.group_sale_manager") \
                or user.has_group("account.group_account_invoice"):
            return
        today = fields.Date.context_today(self)
        for line in self:
            if line.allocated or (line.date < today and line.state != "paid"):
                raise AccessError(_(
                    "The planned receipt of %(date)s under contract %(contract)s is overdue or partly paid: "
                    "only the head of sales or the accountant may change or delete it.") % {
                    "date": fields.Date.from_string(line.date).strftime("%d.%m.%Y"),
                    "contract": line.contract_id.name})

    @api.depends("amount", "allocated")
    def _compute_residual(self):
        for line in self:
            line.residual = line.amount - line.allocated

    @api.depends("amount", "allocated", "date")
    def _compute_state(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        month_start = date(today.year, today.month, 1)
        for line in self:
            line.state = self._state_of(line, today, month_start)

    @staticmethod
    def _state_of(line, today, month_start):
        if not line.date:
            return "future"
        if line.amount and line.allocated >= line.amount - 0.005:
            return "paid"
        planned = fields.Date.from_string(line.date)
        if planned < today:
            return "overdue"
        if month_start <= planned and (planned.year, planned.month) == (today.year, today.month):
            return "due"
        if line.allocated > 0:
            return "partial"
        return "future"

    @api.model
    def _set_allocation(self, rows):
        """Writes (id, date, amount, allocated) rows in one UPDATE, with the
        residual and state they imply and the contracts' totals: the sync
        re-allocates hundreds of lines per package, and the ORM would write
        and recompute them one by one."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        month_start = date(today.year, today.month, 1)
        values = []
        for line_id, planned, amount, allocated in rows:
            line = _Line(planned, float(amount), float(allocated))  # Odoo reads dates as strings
            values.append((line_id, allocated, float(amount) - float(allocated),
                           self._state_of(line, today, month_start)))
        execute_values(self.env.cr, """
            UPDATE receivables_schedule_line l
               SET allocated = v.allocated, residual = v.residual, state = v.state,
                   write_uid = %s, write_date = now() at time zone 'UTC'
              FROM (VALUES %%s) AS v (id, allocated, residual, state)
             WHERE l.id = v.id""" % int(self.env.uid), values, template="(%s, %s::numeric, %s::numeric, %s)")
        self.env.cr.execute("""
            UPDATE receivables_contract c
               SET amount_paid = t.paid, amount_due = t.planned - t.paid, amount_planned = t.planned
              FROM (SELECT contract_id, sum(amount) AS planned, sum(allocated) AS paid
                      FROM receivables_schedule_line
                     WHERE contract_id IN (SELECT contract_id FROM receivables_schedule_line WHERE id = ANY(%s))
                     GROUP BY contract_id) t
             WHERE c.id = t.contract_id""", ([r[0] for r in rows],))
        self.invalidate_cache(["allocated", "residual", "state"], [r[0] for r in rows])
        self.env["receivables.contract"].invalidate_cache(["amount_paid", "amount_due", "amount_planned"])
        # The money came: the chases of the receipts now paid close themselves.
        self.env["receivables.overdue.chase"]._close_paid([v[0] for v in values if v[3] == "paid"])

    @api.model
    def _unpaid_by_state(self, field, ids, currency=None):
        """{id of ``field``: {state: outstanding}} of the unpaid lines of the
        clients or deals ``ids``, in ``currency`` (default: the user's
        company's), each line converted at the rate of its planned date; in
        one grouped query with the record rules applied (a manager sums his
        own contracts). Users without access to the schedules (other
        departments) get nothing, hence zeros."""
        totals = {}
        ids = [i for i in ids if isinstance(i, int)]  # not the new records of a form
        if not ids or not self.check_access_rights("read", raise_exception=False):
            return totals
        currency = currency or self.env.user.company_id.currency_id
        query = self._where_calc([(field, "in", ids), ("state", "!=", "paid")])
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        # read_group cannot convert currencies: the same query as its own,
        # with the rate of each line's date (res_currency_rate, as Odoo's
        # res.currency.compute chooses it).
        self.env.cr.execute("""
            SELECT "receivables_schedule_line"."{field}", "receivables_schedule_line".state,
                   sum({converted})
              FROM {tables} WHERE {where}
             GROUP BY "receivables_schedule_line"."{field}", "receivables_schedule_line".state
        """.format(field=field, tables=from_clause, where=where_clause or "TRUE", converted=convert_sql(
            '"receivables_schedule_line".residual', '"receivables_schedule_line".currency_id', "%s",
            '"receivables_schedule_line".date', '"receivables_schedule_line".company_id')),
            [currency.id, currency.id] + params)
        for key, state, amount in self.env.cr.fetchall():
            totals.setdefault(key, {})[state] = currency.round(amount or 0.0)
        return totals

    @api.model
    def _cron_refresh_states(self):
        """Daily: a line becomes overdue or due without anyone touching it.
        Time only moves lines forward, so overdue and paid lines, and lines
        planned after this month, cannot change: they are not read."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        month_start = date(today.year, today.month, 1)
        next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        lines = self.search([("state", "not in", ("paid", "overdue")),
                             ("date", "<", fields.Date.to_string(next_month))])
        groups = {}
        for line in lines:
            state = self._state_of(line, today, month_start)
            if state != line.state:
                groups.setdefault(state, []).append(line.id)
        for state, ids in groups.items():
            # A stored compute is written through the cache bypass of Odoo 11.
            self.browse(ids)._write({"state": state})
        return True
