# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite's models share (the other addons import it too)."""
from odoo import SUPERUSER_ID, _
from odoo.exceptions import AccessError


def check_superuser(records):
    """``init`` is public by Odoo's naming, so any user could call it over
    RPC and make the database rebuild a view or an index: only the registry,
    which loads modules as superuser, may."""
    if records.env.uid != SUPERUSER_ID:
        raise AccessError(_("Only the server itself may do this."))
