# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Plans",
    "summary": "Plans per manager and team by month, quarter and half-year, "
               "in revenue and deals, against what was actually won",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_control", "date_range", "web_widget_x2many_2d_matrix"],
    "data": [
        "security/sales_plans_security.xml",
        "security/ir.model.access.csv",
        "views/sales_plans_menus.xml",
    ],
    "installable": True,
    "application": False,
}
