# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_schedule
from . import test_sync
from . import test_security
from . import test_evening
from . import test_invoices
from . import test_currency
from . import test_split_payments
from . import test_onec_adapter
from . import test_transports
from . import test_onec_odata
from . import test_onec_attack
from . import test_overdue_chase
from . import test_sync_job
