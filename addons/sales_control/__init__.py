# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import controllers
from . import models
from . import report
from . import telephony
from . import wizard
from .hooks import uninstall_hook
