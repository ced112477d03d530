# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import date_range
from . import date_range_type
from . import res_company
from . import res_config_settings
from . import crm_lead
from . import sales_plan
