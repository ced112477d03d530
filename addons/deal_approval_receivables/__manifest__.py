# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Deal Approval - Receivables bridge",
    "summary": "The client's debt and overdue debt from receivables on the approval sheet",
    "version": "11.0.2.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["deal_approval", "receivables"],
    "data": ["report/deal_approval_sheet.xml", "data/deal_approval_route_data.xml"],
    "demo": ["demo/deal_approval_route_demo.xml"],
    "installable": True,
    "auto_install": True,
    "application": False,
}
