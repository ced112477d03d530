# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    approval_required = fields.Boolean(
        string="Requires an approved document",
        help="A deal enters this stage only with an approved contract or invoice.")
