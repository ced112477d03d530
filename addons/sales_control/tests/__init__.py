# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_record_rules
from . import test_touch_capture
from . import test_efficiency
from . import test_phone_matching
from . import test_webhook_parsing
from . import test_grouped_report
from . import test_vendor_mango
from . import test_vendor_zadarma
from . import test_click_to_call
from . import test_vendor_telegram
from . import test_vendor_wazzup
from . import test_vendor_megafon
from . import test_vendor_asterisk
from . import test_telephony_attack
