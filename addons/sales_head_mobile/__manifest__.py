# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Head Mobile",
    "summary": "The head's dashboard on a 390-pixel phone, the web client installable on the home screen, "
               "and approval requests as Web Push notifications",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "AGPL-3",
    "author": "Sales Head Suite contributors",
    "website": "https://example.invalid/sales-head-suite",
    "depends": ["web", "sales_control", "deal_approval"],
    "external_dependencies": {"python": ["pywebpush", "py_vapid", "http_ece", "cryptography"]},
    "data": [
        "security/ir.model.access.csv",
        "security/sales_head_mobile_security.xml",
        "views/assets.xml",
        "views/sales_head_mobile_subscription_views.xml",
    ],
    "qweb": ["static/src/xml/push_menu.xml"],
    "installable": True,
    "application": False,
}
