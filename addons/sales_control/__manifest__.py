# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Control",
    "summary": "Every client touch recorded on the lead, seen by the head "
               "per manager; managers see only their own work",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["crm", "mail", "calendar", "board"],
    "data": [
        "security/sales_control_security.xml",
        "security/ir.model.access.csv",
        "views/sales_control_menus.xml",
    ],
    "installable": True,
    "application": False,
}
