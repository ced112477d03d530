# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_deal_approval_flow
from . import test_deal_approval_security
from . import test_deal_approval_token
from . import test_deal_approval_pdf
from . import test_deal_approval_sheet
from . import test_deal_approval_gate
from . import test_deal_approval_escaping
from . import test_deal_approval_route
from . import test_deal_approval_engine
from . import test_deal_approval_migration
