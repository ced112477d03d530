# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class DealApprovalSubstitute(models.Model):
    """An approver away (holiday, trip) names who decides in his place on
    these dates. Requests arriving then go to the substitute, and their
    history says in whose place he decided."""
    _name = "deal.approval.substitute"
    _description = "Substitute approver"
    _order = "date_from desc, id desc"

    user_id = fields.Many2one("res.users", string="Approver away", required=True, index=True,
                              default=lambda self: self.env.user, ondelete="cascade")
    substitute_id = fields.Many2one("res.users", string="Substitute", required=True, ondelete="cascade",
                                    domain=[("share", "=", False)])
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To (inclusive)", required=True)
    note = fields.Char(string="Reason")
    active = fields.Boolean(default=True)

    @api.constrains("user_id", "substitute_id", "date_from", "date_to")
    def _check_dates(self):
        for rec in self:
            if rec.user_id == rec.substitute_id:
                raise ValidationError(_("An approver cannot be his own substitute."))
            if rec.date_to < rec.date_from:
                raise ValidationError(_("The substitution ends before it starts."))

    @api.model
    def create(self, vals):
        self._check_for_whom(vals.get("user_id"))
        record = super(DealApprovalSubstitute, self).create(vals)
        # The approver may also come from a default_user_id of the context:
        # checked on what was made.
        self._check_for_whom(record.user_id.id)
        return record

    @api.multi
    def write(self, vals):
        self._check_for_whom(vals.get("user_id"))
        return super(DealApprovalSubstitute, self).write(vals)

    def _check_for_whom(self, user_id):
        """One names a substitute for himself; the head of sales for anybody.
        (The record rules say the same; this says it in words.)"""
        if user_id and user_id != self.env.uid and not self.env.user._is_superuser() and \
                not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("You can name a substitute only for yourself."))

    @api.model
    def _substitutes(self, users, day):
        """{user id: substitute} of the ``users`` away on ``day`` (one query).
        Read as superuser: the author of a request may not read his
        approvers' substitutions."""
        if not users:
            return {}
        rows = self.sudo().search([("user_id", "in", users.ids), ("date_from", "<=", day),
                                   ("date_to", ">=", day)], order="date_from desc, id desc")
        result = {}
        for row in rows:
            result.setdefault(row.user_id.id, row.substitute_id)
        return result
