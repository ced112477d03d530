# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Control",
    "summary": "Every client touch recorded on the lead, seen by the head "
               "per manager; managers see only their own work",
    "version": "11.0.1.1.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["crm", "mail", "calendar", "board"],
    "data": [
        "security/sales_control_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "report/commercial_proposal_report.xml",
        "data/mail_template_data.xml",
        "views/lead_timeline_templates.xml",
        "views/sales_touch_views.xml",
        "report/sales_efficiency_report_views.xml",
        "wizard/sales_efficiency_wizard_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/sales_telephony_integration_views.xml",
        "views/res_config_settings_views.xml",
        "views/head_dashboard_views.xml",
        "views/sales_control_menus.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
