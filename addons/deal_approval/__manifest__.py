# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Deal Approval",
    "summary": "A contract or invoice goes to the head for approval with the "
               "deal's figures and the PDF; approved from the phone",
    "version": "11.0.2.1.1",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_control", "account_invoicing"],
    "external_dependencies": {"python": ["PyPDF2"]},
    "data": [
        "security/deal_approval_security.xml",
        "security/ir.model.access.csv",
        "data/deal_approval_data.xml",
        "data/deal_approval_route_data.xml",
        "data/mail_template_data.xml",
        "report/deal_approval_sheet.xml",
        "views/deal_approval_request_views.xml",
        "views/deal_approval_report_views.xml",
        "views/deal_approval_route_views.xml",
        "views/deal_approval_substitute_views.xml",
        "views/deal_approval_templates.xml",
        "views/crm_views.xml",
        "views/head_dashboard_views.xml",
        "wizard/deal_approval_reject_views.xml",
        "views/deal_approval_menus.xml",
    ],
    "demo": ["demo/deal_approval_route_demo.xml"],
    "installable": True,
    "application": False,
}
