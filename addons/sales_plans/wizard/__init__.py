# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import sales_plan_grid
from . import sales_plan_grid_line
