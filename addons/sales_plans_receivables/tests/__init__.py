# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_received_basis
from . import test_three_bases
