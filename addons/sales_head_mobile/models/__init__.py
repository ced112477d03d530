# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import sales_head_mobile_subscription
from . import mail_activity
