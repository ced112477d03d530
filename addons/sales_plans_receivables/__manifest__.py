# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Plans - Receivables bridge",
    "summary": "Money actually received from 1C as the actual against sales plans",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_plans", "receivables"],
    "data": [],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "auto_install": True,
    "application": False,
}
