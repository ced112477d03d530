# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SalesEfficiencyFigures(models.AbstractModel):
    """What the efficiency report and the chosen-period lines both show of
    a manager: his touches by type and his closed deals."""
    _name = "sales.efficiency.figures"
    _description = "Efficiency Figures of a Salesperson"

    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    touch_count = fields.Integer(string="Touches", readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True)
    proposal_count = fields.Integer(string="Proposals", readonly=True)
    meeting_count = fields.Integer(string="Meetings", readonly=True)
    email_count = fields.Integer(string="Emails", readonly=True)
    messenger_count = fields.Integer(string="Messenger", readonly=True)
    won_count = fields.Integer(string="Deals Won", readonly=True)
    lost_count = fields.Integer(string="Deals Lost", readonly=True)
    revenue_won = fields.Float(string="Revenue Won", readonly=True)
