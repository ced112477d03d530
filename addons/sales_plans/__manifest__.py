# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Plans",
    "summary": "Plans per salesperson and team by month, quarter and half-year, "
               "in revenue and deals, against what was actually won",
    "version": "11.0.1.1.1",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_control", "date_range", "web_widget_x2many_2d_matrix"],
    "data": [
        "security/sales_plans_security.xml",
        "security/ir.model.access.csv",
        "data/date_range_type_data.xml",
        "views/assets.xml",
        "views/sales_plan_views.xml",
        "views/res_config_settings_views.xml",
        "report/sales_plan_report_views.xml",
        "wizard/sales_plan_grid_views.xml",
        "views/head_dashboard_views.xml",
        "views/sales_plans_menus.xml",
    ],
    "installable": True,
    "application": False,
}
