# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite's models share (the other addons import it too)."""
import re

from odoo import SUPERUSER_ID, _, release
from odoo.exceptions import AccessError

try:
    import phonenumbers
except ImportError:  # pragma: no cover - installed with Odoo (phone_validation)
    phonenumbers = None

# The Odoo series whose internals the suite copies or patches (see
# docs/porting.md): the read_group copy of sales.grouped.report.mixin and the
# webhooks' request patch.
WRITTEN_FOR = "11.0"


def check_odoo_series(what, running=None):
    """Fail loudly, at import, where code copied from or patched into Odoo
    runs on another Odoo than the one it was written for: on 12.0 the copy
    would silently answer differently, or the patch replace a method that is
    not the one it wraps. docs/porting.md says what to check."""
    running = running or release.serie
    if running != WRITTEN_FOR:
        raise RuntimeError(
            "sales_control: %s was written for Odoo %s and this is Odoo %s; port it first "
            "(docs/porting.md)." % (what, WRITTEN_FOR, running))


# The region of a number written without a country code, when the company
# has no country: the suite is made for Russian sales departments.
DEFAULT_PHONE_REGION = "RU"


def phone_region(records):
    """The default region of numbers written in national notation: the
    country of the records' company (the user's company otherwise)."""
    company = records.env.user.company_id
    if "company_id" in records._fields and len(records) == 1 and records.company_id:
        company = records.company_id
    return (company.sudo().country_id.code or DEFAULT_PHONE_REGION).upper()


def normalize_phone(number, region=None):
    """A phone number as its E.164 digits (without the "+"), the key by
    which calls and messages are matched to clients.

    Read with libphonenumber (``phonenumbers``) in the notation of
    ``region`` (the company's country, see ``phone_region``; Russia when not
    given): for Russia '+7 (916) 123-45-67', '8 (916) 123-45-67',
    '79161234567' and '9161234567' all give '79161234567'; a Belarusian
    '8 029 123-45-67' read for Belarus and '+375 29 123-45-67' read
    anywhere give '375291234567'. A number valid for no country keeps its
    digits. Returns False for no digits."""
    if not isinstance(number, str):
        return False
    digits = re.sub(r"\D", "", number)
    if not digits:
        return False
    region = (region or DEFAULT_PHONE_REGION).upper()
    candidates = [(number, region)]
    if not number.lstrip().startswith("+"):
        # A vendor's international digits without the plus: 375291234567.
        candidates.append(("+" + digits, None))
    parsed = []
    for text, where in candidates:
        try:
            parsed.append(phonenumbers.parse(text, where))
        except phonenumbers.NumberParseException:
            continue
    for check in (phonenumbers.is_valid_number, phonenumbers.is_possible_number):
        for candidate in parsed:
            if check(candidate):
                return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)[1:]
    return digits


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
