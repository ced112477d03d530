# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import sales_plan_row_mixin
from . import sales_plan_period_row_mixin
from . import sales_plan_report
from . import sales_plan_chart
from . import sales_plan_progress
