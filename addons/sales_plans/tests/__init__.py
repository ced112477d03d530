# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_sales_plan
from . import test_sales_plan_report
from . import test_sales_plan_grid
from . import test_sales_plan_security
