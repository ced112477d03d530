# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sales_telephony_integration
from . import sales_telephony_extension
from . import sales_telephony_event
from . import sales_telephony_recording
from . import grouped_report_mixin
from . import sales_efficiency_figures
from . import sales_touch
from . import mail_activity_type
from . import mail_activity
from . import crm_lead
from . import mail_compose_message
from . import mail_thread
from . import calendar_event
