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


class ContextMark(object):
    """A mark that trusted code puts into the context of the records it
    hands on, to open a write path or switch something off for them alone.

    A context sent over XML-RPC or JSON-RPC holds only plain data (strings,
    numbers, lists, dicts), so no client can forge the mark: a client that
    sends its key with any value (True, "1", ...) opens nothing. The suite's
    addons use it instead of context flags (see docs/security.md)."""

    def __init__(self, key):
        self.key = key

    def context(self):
        """The context entries that carry the mark."""
        return {self.key: self}

    def on(self, records):
        """``records`` carrying the mark."""
        return records.with_context(**self.context())

    def is_on(self, records):
        return records.env.context.get(self.key) is self
