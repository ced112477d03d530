# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.osv import expression

from .common import SalesControlCase


def core_read_group_raw(records, domain, fields, groupby, lazy):
    """Odoo 11's own ``_read_group_raw`` on the same model."""
    return models.BaseModel._read_group_raw(records, domain, fields, groupby, lazy=lazy)


def canonical(groups, groupby):
    """Groups as comparable items, whatever their order."""
    def key(group):
        return tuple(repr(group[name]) for name in groupby)
    return sorted(([(k, repr(v)) for k, v in sorted(group.items())] for group in groups),
                  key=lambda items: key(dict(items)))


class TestGroupedReport(SalesControlCase):
    """The fast grouping of sales.touch and the efficiency report gives
    what Odoo's read_group gives, in Odoo's default order."""

    @classmethod
    def setUpClass(cls):
        super(TestGroupedReport, cls).setUpClass()
        Touch = cls.env["sales.touch"]
        cls.users = cls.other | cls.member | cls.leader
        # Months whose English and Russian names sort differently from the calendar
        dates = ["2025-12-15 08:00:00", "2026-04-10 22:30:00", "2026-08-20 12:00:00", "2026-08-20 21:30:00"]
        for user in cls.users:
            for date in dates:
                for touch_type in ("call", "email"):
                    Touch._record({"touch_type": touch_type, "user_id": user.id, "date": date,
                                  "channel": "grouped-test"})
        Touch._record({"touch_type": "call", "user_id": False, "date": dates[0], "duration": 5,
                      "channel": "grouped-test"})
        cls.domain = [("channel", "=", "grouped-test"), "|", ("user_id", "in", cls.users.ids),
                      ("user_id", "=", False)]

    def assert_same_as_odoo(self, records, domain, fields, groupby, lazy):
        ours = records._read_group_raw(domain, fields, groupby, lazy=lazy)
        odoo = core_read_group_raw(records, domain, fields, groupby, lazy)
        names = groupby[:1] if lazy else groupby
        self.assertTrue(ours, "the case must produce groups")
        self.maxDiff = None
        self.assertEqual(canonical(ours, names), canonical(odoo, names))
        return ours

    def test_same_groups_labels_domains_as_odoo(self):
        Touch = self.env["sales.touch"].sudo(self.head)
        cases = [
            (["user_id", "date:day"], False),
            (["date:month", "user_id"], False),
            (["touch_type", "date:week"], False),
            (["user_id", "date:day"], True),
            (["date:quarter"], True),
            (["user_id"], True),
        ]
        for tz in ("Europe/Moscow", "UTC", False):
            for lang in ("en_US", "ru_RU"):
                records = Touch.with_context(tz=tz, lang=lang)
                for groupby, lazy in cases:
                    for domain in (self.domain, self.domain + [("touch_type", "=", "call")]):
                        with self.subTest(tz=tz, lang=lang, groupby=groupby, lazy=lazy, domain=domain):
                            self.assert_same_as_odoo(records, domain, ["user_id", "date", "duration", "touch_type"],
                                                     groupby, lazy)

    def test_an_empty_aggregate_is_false_and_a_false_domain_stays_false(self):
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="Europe/Moscow")
        groups = self.assert_same_as_odoo(Touch, self.domain, ["user_id", "duration"], ["user_id"], True)
        self.assertIn(False, [group["duration"] for group in groups if group["user_id"]])
        odoo_false = expression.AND([[("user_id", "=", self.member.id)], expression.FALSE_DOMAIN])
        self.assertEqual(odoo_false, expression.FALSE_DOMAIN)
        groups = Touch.read_group(expression.FALSE_DOMAIN, ["user_id"], ["user_id"])
        self.assertEqual(groups, [])

    def test_groups_follow_odoo_default_order(self):
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="UTC", lang="en_US")
        groups = Touch.read_group(self.domain, ["user_id", "date"], ["date:month", "user_id"], lazy=False)
        months = []
        for group in groups:
            if group["date:month"] not in months:
                months.append(group["date:month"])
        # Calendar order, not the alphabetical "April, August, December"
        self.assertEqual(months, ["December 2025", "April 2026", "August 2026"])
        december = [group["user_id"] for group in groups if group["date:month"] == "December 2025"]
        labels = [user[1] for user in december if user]
        self.assertEqual(labels, sorted(labels, key=str.lower))
        self.assertIs(december[-1], False, "the touch without a manager comes last")

        by_manager = Touch.read_group(self.domain, ["user_id", "date"], ["user_id", "date:day"], lazy=False)
        first = by_manager[0]["user_id"]
        days = [group["date:day"] for group in by_manager if group["user_id"] == first]
        self.assertEqual(days, ["15 Dec 2025", "10 Apr 2026", "20 Aug 2026"])
        self.assertEqual(sum(group["__count"] for group in by_manager), 25)

    def test_an_explicit_order_is_kept(self):
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="UTC")
        groups = Touch.read_group(self.domain, ["user_id", "duration"], ["user_id"], orderby="user_id desc")
        ids = [group["user_id"][0] for group in groups if group["user_id"]]
        self.assertEqual(ids, sorted(ids, reverse=True))

    def test_a_salesman_groups_only_his_touches(self):
        Touch = self.env["sales.touch"].sudo(self.member).with_context(tz="UTC")
        groups = Touch.read_group([("channel", "=", "grouped-test")], ["user_id", "date"],
                                  ["user_id", "date:month"], lazy=False)
        self.assertEqual({group["user_id"][0] for group in groups}, {self.member.id})
        self.assertEqual(sum(group["__count"] for group in groups), 8)
