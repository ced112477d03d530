# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import models
from . import report


def uninstall_hook(cr, registry):
    """Without this addon the bases "invoiced" and "received" have no rows:
    companies on them go back to won deals."""
    cr.execute("UPDATE res_company SET sales_plan_actual_basis = 'won' "
               "WHERE sales_plan_actual_basis IN ('invoiced', 'received')")
