# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Plans - Receivables bridge",
    "summary": "Plans against won, invoiced and received side by side; "
               "the funnel to cash per salesperson",
    "version": "11.0.1.1.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_plans", "receivables"],
    "data": [
        "security/ir.model.access.csv",
        "security/sales_plans_receivables_security.xml",
        "views/sales_plan_report_views.xml",
        "views/sales_plan_funnel_views.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "auto_install": True,
    "application": False,
}
