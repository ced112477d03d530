# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Receivables from 1C",
    "summary": "Payments imported from 1C over SOAP, matched to clients, "
               "contracts and deals; planned against received; overdue in red",
    "version": "11.0.1.3.1",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["sales_control", "account_invoicing", "queue_job"],
    "external_dependencies": {"python": ["zeep"]},
    "data": [
        "security/ir.model.access.csv",
        "security/receivables_security.xml",
        "security/receivables_overdue_chase_security.xml",
        "data/receivables_data.xml",
        "data/receivables_overdue_chase_data.xml",
        "views/receivables_contract_views.xml",
        "views/receivables_schedule_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/receivables_payment_views.xml",
        "views/receivables_onec_backend_views.xml",
        "views/receivables_report_views.xml",
        "views/res_partner_views.xml",
        "views/head_dashboard_views.xml",
        "views/receivables_menus.xml",
        "views/receivables_overdue_chase_views.xml",
    ],
    "installable": True,
    "application": False,
}
