# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import deal_approval_review_mixin
from . import deal_approval_mixin
from . import deal_approval_route
from . import deal_approval_route_step
from . import deal_approval_substitute
from . import deal_approval_request
from . import deal_approval_request_notify
from . import deal_approval_request_pdf
from . import deal_approval_step
from . import deal_approval_token
from . import crm_stage
from . import crm_lead
from . import account_invoice
from . import account_invoice_line
from . import res_config_settings
