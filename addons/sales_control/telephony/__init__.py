# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Adapters of the PBX and messenger vendors: each turns its vendor's own
requests (form fields, signatures, handshakes, batches) into the calls and
messages of our contract (controllers/webhooks.py record_call and
record_message). Transport only: the recording of touches is the addon's."""
from .base import ADAPTERS, VendorAdapter  # noqa: F401
from . import mango, zadarma  # noqa: F401
from . import telegram, wazzup  # noqa: F401
from . import asterisk, megafon  # noqa: F401
