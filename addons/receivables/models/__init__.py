# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import receivables_contract
from . import receivables_schedule_line
from . import receivables_overdue_chase
from . import receivables_payment
from . import receivables_match_rule
from . import receivables_sync_log
from . import receivables_onec_backend
from . import receivables_onec_binder
from . import receivables_onec_importer
from . import receivables_onec_reference
from . import res_partner
from . import crm_lead
from . import mail_activity
from . import res_config_settings
from . import receivables_onec_backend_overdue
