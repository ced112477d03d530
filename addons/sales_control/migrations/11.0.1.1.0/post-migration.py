# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: "salesmen see unassigned leads" moves from a column of the
company, which the record rules read, to the technical group
sales_control.group_show_unassigned implied by the salesmen's group.

crm's personal rules, which 11.0.1.0.0 narrowed in place, are given back
crm's domain and switched off by security/sales_control_security.xml at
every update; nothing to do for them here."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""SELECT 1 FROM information_schema.columns
                   WHERE table_name = 'res_company' AND column_name = 'sales_control_show_unassigned'""")
    if not cr.fetchone():
        return
    # One setting for all companies now: shown only where every company
    # showed unassigned leads (the narrower choice when they differed).
    cr.execute("SELECT bool_and(coalesce(sales_control_show_unassigned, false)), "
               "bool_or(coalesce(sales_control_show_unassigned, false)) FROM res_company")
    show_all, show_any = cr.fetchone()
    if show_any and not show_all:
        _logger.warning("Salesmen See Unassigned Leads was set in some companies only: "
                        "it is now off for all; set it again in CRM settings if wanted.")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([], limit=1).sales_control_show_unassigned = bool(show_all)
    cr.execute("ALTER TABLE res_company DROP COLUMN sales_control_show_unassigned")
