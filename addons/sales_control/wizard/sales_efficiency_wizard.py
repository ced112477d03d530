# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import _, api, fields, models


def _month_start():
    return fields.Date.to_string(date.today().replace(day=1))


class SalesEfficiencyWizard(models.TransientModel):
    """Efficiency per manager for a chosen period, with the flag."""
    _name = "sales.efficiency.wizard"
    _description = "Efficiency per Salesperson"

    date_from = fields.Date(required=True, default=lambda self: _month_start())
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    team_id = fields.Many2one("crm.team", string="Sales Team")
    line_ids = fields.One2many("sales.efficiency.wizard.line", "wizard_id", string="Salespeople")

    @api.model
    def create(self, vals):
        wizard = super(SalesEfficiencyWizard, self).create(vals)
        wizard._compute_lines()
        return wizard

    @api.multi
    def _compute_lines(self):
        for wizard in self:
            rows = self.env["sales.efficiency.report"].compute_efficiency(
                wizard.date_from, wizard.date_to, wizard.team_id.id)
            fields_ = self.env["sales.efficiency.wizard.line"]._fields
            wizard.line_ids = [(5, 0, 0)] + [
                (0, 0, {key: value for key, value in row.items() if key in fields_}) for row in rows]

    @api.multi
    def name_get(self):
        def day(value):
            return fields.Date.from_string(value).strftime("%d.%m.%Y") if value else ""
        return [(wizard.id, _("Efficiency %s - %s") % (day(wizard.date_from), day(wizard.date_to)))
                for wizard in self]

    @api.multi
    def action_compute(self):
        """Recompute the lines; the form reloads in place."""
        self._compute_lines()
        return True
