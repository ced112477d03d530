# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SalesEfficiencyWizardLine(models.TransientModel):
    _name = "sales.efficiency.wizard.line"
    _inherit = "sales.efficiency.figures"
    _description = "Efficiency of a Salesperson"
    _order = "flagged desc, touches_per_won desc"

    wizard_id = fields.Many2one("sales.efficiency.wizard", required=True, ondelete="cascade")
    touches_per_won = fields.Float(string="Touches per Won Deal", readonly=True, digits=(16, 1))
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, digits=(16, 1))
    team_median_touches_per_won = fields.Float(string="Team Median", readonly=True, digits=(16, 1))
    flagged = fields.Boolean(string="Look at", readonly=True)
