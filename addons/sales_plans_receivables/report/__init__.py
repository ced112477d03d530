# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import sales_plan_report
from . import sales_plan_chart
from . import sales_plan_funnel
