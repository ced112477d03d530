# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

# Odoo's own "personal" rules, which sales_control switches off in favour of
# its own (see security/sales_control_security.xml); switched on again, with
# crm's domain, when the addon goes.
CRM_PERSONAL_RULES = [
    "crm.crm_rule_personal_lead",
    "crm.crm_rule_personal_lead_report",
    "crm.crm_activity_report_rule_personal_activities",
]
ODOO_PERSONAL_DOMAIN = "['|',('user_id','=',user.id),('user_id','=',False)]"


def uninstall_hook(cr, registry):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in CRM_PERSONAL_RULES:
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.write({"active": True, "domain_force": ODOO_PERSONAL_DOMAIN})
