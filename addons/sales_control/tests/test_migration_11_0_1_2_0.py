# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import os

from .common import SalesControlCase
from .languages import load_language

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "11.0.1.2.0", "post-migration.py")


def migration():
    spec = importlib.util.spec_from_file_location("sales_control_migration_11_0_1_2_0", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestMigration(SalesControlCase):
    """What 11.0.1.1.0 stored is made what 11.0.1.2.0 reads."""

    def test_phone_keys_are_computed_again(self):
        self.company.country_id = self.env.ref("base.by")
        client = self.env["res.partner"].create({"name": "Минск", "phone": "8 029 123-45-67"})
        # The old rule's key: the digits with a Russian 8 turned into 7.
        self.env.cr.execute("UPDATE res_partner SET sales_phone_norm = '70291234567' WHERE id = %s", [client.id])
        self.env.cr.execute("UPDATE crm_lead SET sales_phone_norm = '84951234567' WHERE id = %s",
                            [self.lead_member.id])
        # With its country code: the deal's company is now in Belarus, where
        # "8 495 …" would be a Belarusian national number.
        self.lead_member.with_context(tracking_disable=True).write({"phone": "+7 495 123-45-67"})
        self.env.cr.execute("UPDATE crm_lead SET sales_phone_norm = '84951234567' WHERE id = %s",
                            [self.lead_member.id])
        self.env.cache.invalidate()
        migration().migrate(self.env.cr, "11.0.1.1.0")
        self.env.cache.invalidate()
        self.assertEqual(client.sales_phone_norm, "375291234567")
        self.assertEqual(self.lead_member.sales_phone_norm, "74951234567")

    def test_summaries_in_the_recorders_language_become_parts(self):
        load_language(self.env, "ru_RU")
        Touch = self.env["sales.touch"]
        made = Touch._record({"touch_type": "call", "direction": "in", "user_id": self.member.id})
        bare = Touch._record({"touch_type": "meeting", "user_id": self.member.id})
        typed = Touch._record({"touch_type": "call", "summary": "Звонок по КП", "user_id": self.member.id})
        english = Touch._record({"touch_type": "email", "user_id": self.member.id})
        for touch, stored in ((made, "Звонок (входящий)"), (bare, "meeting"), (typed, "Звонок по КП"),
                              (english, "Email")):
            self.env.cr.execute("UPDATE sales_touch SET summary = %s WHERE id = %s", [stored, touch.id])
        migration().migrate(self.env.cr, "11.0.1.1.0")
        touches = made | bare | typed | english
        self.env.cr.execute("SELECT id, summary FROM sales_touch WHERE id IN %s", [tuple(touches.ids)])
        self.assertEqual(dict(self.env.cr.fetchall()),
                         {made.id: "/", bare.id: "/", typed.id: "Звонок по КП", english.id: "/"})
        self.env.cache.invalidate()
        self.assertEqual(made.with_context(lang="en_US").summary, "Call (incoming)")
