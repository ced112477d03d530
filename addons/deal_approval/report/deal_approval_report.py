# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, fields, models, tools
from odoo.exceptions import AccessError


class DealApprovalReport(models.Model):
    """Where approvals wait: one row per approval step (per approver and
    version), with the hours from the request to the decision (or to now
    while it waits). Grouped by route step or order it gives the time per
    step of the routes; ``escalated`` counts the steps that went one level
    up."""
    _name = "deal.approval.report"
    _description = "Deal approvals analysis"
    _auto = False
    _rec_name = "request_id"
    _order = "date_start desc"

    request_id = fields.Many2one("deal.approval.request", string="Request", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    approver_id = fields.Many2one("res.users", string="Approver", readonly=True)
    route_id = fields.Many2one("deal.approval.route", string="Route", readonly=True)
    route_step_id = fields.Many2one("deal.approval.route.step", string="Route step", readonly=True)
    sequence = fields.Integer(string="Order", readonly=True, group_operator="max")
    delegated_from_id = fields.Many2one("res.users", string="In place of", readonly=True)
    state = fields.Selection(
        [("pending", "Waiting"), ("approved", "Approved"), ("rejected", "Rejected"),
         ("superseded", "Superseded"), ("escalated", "Escalated")], string="Decision", readonly=True)
    request_state = fields.Selection(
        [("draft", "Draft"), ("waiting", "Waiting for approval"), ("approved", "Approved"),
         ("rejected", "Rejected"), ("cancel", "Cancelled")], string="Request status", readonly=True)
    amount = fields.Float(string="Amount", readonly=True)
    date_start = fields.Datetime(string="Requested on", readonly=True)
    date_decision = fields.Datetime(string="Decided on", readonly=True)
    delay_hours = fields.Float(string="Hours to decision (average)", readonly=True, group_operator="avg")
    delay_max_hours = fields.Float(string="Hours to decision (slowest)", readonly=True, group_operator="max")
    escalated = fields.Integer(string="# escalated", readonly=True,
                               help="Steps that went one level up for want of a decision.")
    reminded = fields.Integer(string="# reminded", readonly=True)
    nbr = fields.Integer(string="# of steps", readonly=True)

    def _select(self):
        return """
            SELECT s.id, s.request_id, r.lead_id, r.partner_id, r.user_id, s.approver_id,
                   s.route_id, s.route_step_id, s.sequence, s.delegated_from_id,
                   s.state, r.state AS request_state, r.amount, s.date_start, s.date_decision,
                   CASE WHEN s.state = 'escalated' THEN 1 ELSE 0 END AS escalated,
                   CASE WHEN s.reminded_date IS NOT NULL THEN 1 ELSE 0 END AS reminded,
                   EXTRACT(EPOCH FROM (COALESCE(s.date_decision, now() AT TIME ZONE 'UTC')
                                       - s.date_start)) / 3600.0 AS delay_hours,
                   EXTRACT(EPOCH FROM (COALESCE(s.date_decision, now() AT TIME ZONE 'UTC')
                                       - s.date_start)) / 3600.0 AS delay_max_hours,
                   1 AS nbr
        """

    def _from(self):
        return """
            FROM deal_approval_step s
            JOIN deal_approval_request r ON r.id = s.request_id
        """

    def _where(self):
        return """
            WHERE s.date_start IS NOT NULL
        """

    def init(self):
        # init() has no underscore, so Odoo 11 serves it over RPC: only the
        # installation (which runs as superuser) makes the view again.
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Only the installation of the addon makes this report again."))
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE VIEW %s AS (%s %s %s)" % (
            self._table, self._select(), self._from(), self._where()))
