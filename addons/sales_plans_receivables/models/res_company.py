# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_plan_actual_basis = fields.Selection(selection_add=[
        ("invoiced", "Customer invoices"), ("received", "Money received")])
