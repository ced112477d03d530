# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import sales_efficiency_wizard
from . import sales_efficiency_wizard_line
from . import messenger_reply
