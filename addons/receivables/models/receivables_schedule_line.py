# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import api, fields, models

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
                              string="Manager")
    team_id = fields.Many2one(related="contract_id.team_id", store=True, readonly=True, index=True,
                              string="Sales team")
    lead_id = fields.Many2one(related="contract_id.lead_id", store=True, readonly=True, string="Deal")
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A planned amount must be positive."),
    ]

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
    def _cron_refresh_states(self):
        """Daily: a line becomes overdue or due without anyone touching it."""
        lines = self.search([("state", "!=", "paid")])
        today = fields.Date.from_string(fields.Date.context_today(self))
        month_start = date(today.year, today.month, 1)
        groups = {}
        for line in lines:
            state = self._state_of(line, today, month_start)
            if state != line.state:
                groups.setdefault(state, self.browse())
                groups[state] |= line
        for state, changed in groups.items():
            # A stored compute is written through the cache bypass of Odoo 11.
            changed._write({"state": state})
        return True
