# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import importlib
import inspect
from unittest import mock

from odoo import models, release
from odoo.osv import expression

from ..controllers import webhooks
from ..models import common, grouped_report_mixin
from .common import SalesControlCase

# The Odoo 11.0 methods that the copy repeats or relies on, and the request
# dispatch the webhooks patch wraps (sha1 of their source, first 12 digits).
# A difference means Odoo changed under the copy: see docs/porting.md.
ODOO_SOURCES = {
    "read_group": "4f95e6742392",
    "_read_group_raw": "a45ffb4acbd6",
    "_read_group_prepare": "6d79429b0fa3",
    "_read_group_process_groupby": "6cf39f64cc52",
    "_read_group_prepare_data": "833218a854ba",
    "_read_group_format_result": "cac4945d8263",
    "_read_group_fill_results": "3a17e9d280b6",
    "_read_group_resolve_many2one_fields": "5afdb7a5dee6",
}
ODOO_GET_REQUEST = "a0690c2758ca"


def source_sha(function):
    return hashlib.sha1(inspect.getsource(function).encode("utf-8")).hexdigest()[:12]


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
        # Created last, named first: Odoo's order of users (by name) is not
        # the order of their ids.
        cls.first_by_name = cls.env["res.users"].create({
            "name": "Aardvark", "login": "sc_aardvark", "groups_id": [(6, 0, cls.member.groups_id.ids)]})
        cls.users = cls.other | cls.member | cls.leader | cls.first_by_name
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
        self.assertEqual(sum(group["__count"] for group in by_manager), 33)

    def test_default_order_is_odoos_in_the_same_order(self):
        """On the groupings the copy serves, the very list Odoo gives."""
        Touch = self.env["sales.touch"].sudo(self.head)
        for lang in ("en_US", "ru_RU"):
            records = Touch.with_context(tz="Europe/Moscow", lang=lang)
            for groupby, lazy in ((["user_id", "date:day"], False), (["date:month", "user_id"], False),
                                  (["user_id"], True), (["touch_type", "date:week"], False)):
                with self.subTest(lang=lang, groupby=groupby, lazy=lazy):
                    fields = ["user_id", "date", "duration", "touch_type"]
                    self.assertTrue(records._read_group_is_fast(fields, groupby, 0, None, False, lazy))
                    ours = records.read_group(self.domain, fields, groupby, lazy=lazy)
                    odoo = models.BaseModel.read_group(records, self.domain, fields, groupby, lazy=lazy)
                    self.assertEqual(ours, odoo)

    def test_what_the_copy_does_not_reproduce_goes_to_odoo(self):
        """An explicit order on a many2one (Odoo sorts by the comodel's
        order: users by name), by id, a limit or an offset: Odoo's answer."""
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="UTC", lang="en_US")
        fields = ["user_id", "date", "duration"]
        calls = [
            dict(groupby=["user_id"], orderby="user_id desc"),
            dict(groupby=["user_id"], orderby="user_id"),
            dict(groupby=["user_id", "date:month"], orderby="user_id, date:month desc", lazy=False),
            dict(groupby=["user_id"], orderby="id"),
            dict(groupby=["user_id"], limit=2),
            dict(groupby=["user_id"], limit=2, offset=1),
            dict(groupby=["date:month"], orderby="date:month desc", limit=1),
            dict(groupby=["user_id"], orderby="__count desc"),
        ]
        for call in calls:
            with self.subTest(**call):
                lazy = call.get("lazy", True)
                self.assertFalse(Touch._read_group_is_fast(
                    fields, call["groupby"], call.get("offset", 0), call.get("limit"), call.get("orderby"), lazy))
                ours = Touch.read_group(self.domain, fields, **call)
                odoo = models.BaseModel.read_group(Touch, self.domain, fields, **call)
                self.assertEqual(ours, odoo)
        by_user = Touch.read_group(self.domain, fields, ["user_id"], orderby="user_id")
        self.assertEqual(by_user[0]["user_id"][0], self.first_by_name.id, "users by name, as Odoo orders them")
        self.assertEqual(len(Touch.read_group(self.domain, fields, ["user_id"], limit=2)), 2)

    def test_an_order_on_an_aggregate_or_a_plain_group_stays_on_the_fast_path(self):
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="UTC", lang="en_US")
        fields = ["user_id", "date", "duration", "touch_type"]
        for groupby, orderby in ((["touch_type"], "touch_type desc"), (["user_id"], "duration desc"),
                                 (["date:month"], "date:month desc")):
            with self.subTest(groupby=groupby, orderby=orderby):
                self.assertTrue(Touch._read_group_is_fast(fields, groupby, 0, None, orderby, True))
                ours = Touch.read_group(self.domain, fields, groupby, orderby=orderby)
                odoo = models.BaseModel.read_group(Touch, self.domain, fields, groupby, orderby=orderby)
                names = groupby[:1]
                self.assertEqual(canonical(ours, names), canonical(odoo, names))
                self.assertEqual([group[names[0]] for group in ours], [group[names[0]] for group in odoo])

    def test_many2one_labels_are_read_without_prefetching_every_column(self):
        """The labels of the salesperson groups are Odoo's name_get(), read
        without prefetching some eighty other columns of the users and
        their partners (a salesperson's login is not read to show his name)."""
        Touch = self.env["sales.touch"]
        rows = [{"user_id": user.id} for user in self.users] + [{"user_id": False}]
        Touch.invalidate_cache()
        Touch._read_group_resolve_many2one_fields(rows, [{"field": "user_id", "type": "many2one"}])
        self.assertEqual(rows, [{"user_id": pair} for pair in self.users.sudo().name_get()] + [{"user_id": False}])
        login = self.env["res.users"]._fields["login"]
        read = set(self.env.cache.get_records(self.env["res.users"], login).ids)
        self.assertFalse(read & set(self.users.ids), "only what the names need is read")

    def test_date_labels_are_cached_per_database_and_language(self):
        Touch = self.env["sales.touch"].sudo(self.head).with_context(tz="UTC")
        self.assertFalse(hasattr(grouped_report_mixin, "FORMATTED_DATES"), "no cache shared by the process")
        english = Touch.with_context(lang="en_US").read_group(self.domain, ["date"], ["date:month"])
        russian = Touch.with_context(lang="ru_RU").read_group(self.domain, ["date"], ["date:month"])
        self.assertIn("December 2025", [group["date:month"] for group in english])
        self.assertNotIn("December 2025", [group["date:month"] for group in russian])
        caches = self.env.registry._sales_grouped_labels
        self.assertIn("December 2025", [value[1] for value, _domain in caches["en_US"].values()])
        self.assertNotIn("December 2025", [value[1] for value, _domain in caches["ru_RU"].values()])

    def test_the_copied_odoo_code_is_the_one_it_was_written_for(self):
        self.assertEqual(release.serie, common.WRITTEN_FOR)
        changed = {name: source_sha(getattr(models.BaseModel, name)) for name in ODOO_SOURCES
                   if source_sha(getattr(models.BaseModel, name)) != ODOO_SOURCES[name]}
        self.assertEqual(changed, {}, "Odoo's read_group changed under the copy: docs/porting.md")
        self.assertEqual(source_sha(webhooks._odoo_get_request), ODOO_GET_REQUEST)

    def test_both_patches_fail_loudly_on_another_odoo(self):
        with self.assertRaisesRegex(RuntimeError, "written for Odoo 11.0 and this is Odoo 12.0"):
            common.check_odoo_series("the copy", running="12.0")
        common.check_odoo_series("the copy", running="11.0")
        patched = http_get_request()
        for module in (grouped_report_mixin, webhooks):
            with self.subTest(module=module.__name__), mock.patch.object(release, "serie", "12.0"):
                with self.assertRaisesRegex(RuntimeError, "docs/porting.md"):
                    importlib.reload(module)
        self.assertIs(http_get_request(), patched, "the failed import patched nothing")

    def test_a_salesman_groups_only_his_touches(self):
        Touch = self.env["sales.touch"].sudo(self.member).with_context(tz="UTC")
        groups = Touch.read_group([("channel", "=", "grouped-test")], ["user_id", "date"],
                                  ["user_id", "date:month"], lazy=False)
        self.assertEqual({group["user_id"][0] for group in groups}, {self.member.id})
        self.assertEqual(sum(group["__count"] for group in groups), 8)


def http_get_request():
    from odoo import http
    return http.Root.get_request
