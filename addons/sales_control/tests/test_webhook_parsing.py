# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
import time
from unittest import mock

import psycopg2.extensions

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TransactionCase, at_install, post_install

from ..controllers import webhooks
from ..controllers.webhooks import WebhookError, _direction, _parse_datetime, _short


class TestWebhookParsing(TransactionCase):
    """The field checks behind the webhooks' 400 answers (the HTTP side is in
    tests/test_sales_control_rpc.py)."""

    def assertRefused(self, call, *args, field):
        with self.assertRaises(WebhookError) as caught:
            call(*args)
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("'%s'" % field, caught.exception.message)

    def test_dates_are_stored_in_utc(self):
        self.assertEqual(_parse_datetime("2026-11-29T09:15:00+03:00", "start"), "2026-11-29 06:15:00")
        self.assertEqual(_parse_datetime("2026-11-29T06:15:00Z", "start"), "2026-11-29 06:15:00")
        self.assertEqual(_parse_datetime("2026-11-29 06:15:00", "start"), "2026-11-29 06:15:00")
        self.assertRefused(_parse_datetime, "вчера", "start", field="start")
        self.assertRefused(_parse_datetime, 1764400000, "start", field="start")

    def test_short_fields(self):
        self.assertEqual(_short({"call_id": 123}, "call_id"), "123")
        self.assertEqual(_short({"channel": "Телеграм 👍"}, "channel"), "Телеграм 👍")
        self.assertFalse(_short({}, "recording_url"))
        self.assertRefused(_short, {}, "call_id", True, field="call_id")
        self.assertRefused(_short, {"call_id": "x" * 300}, "call_id", field="call_id")
        self.assertRefused(_short, {"channel": ["x"]}, "channel", field="channel")

    def test_direction(self):
        self.assertEqual(_direction({"direction": "in"}), "in")
        self.assertRefused(_direction, {"direction": "sideways"}, field="direction")


class TestRetryingConflicts(TransactionCase):
    """A delivery that meets a serialization failure or a deadlock (two
    missed calls of one client at once) is tried again on a clean
    transaction before the PBX is told to send it again (503)."""

    def setUp(self):
        super(TestRetryingConflicts, self).setUp()
        self.rollbacks = []
        self.cr_stub = mock.Mock(rollback=lambda: self.rollbacks.append(1))
        sleep = mock.patch.object(webhooks.time, "sleep")
        sleep.start()
        self.addCleanup(sleep.stop)

    def conflicting(self, failures):
        tries = []

        def attempt():
            tries.append(1)
            if len(tries) <= failures:
                raise psycopg2.extensions.TransactionRollbackError("could not serialize access")
            return {"touch_id": 7}
        return attempt, tries

    def test_a_conflict_is_tried_again_on_a_clean_transaction(self):
        attempt, tries = self.conflicting(webhooks.RETRIES)
        self.assertEqual(webhooks._retrying(self.cr_stub, self.env, attempt), {"touch_id": 7})
        self.assertEqual((len(tries), len(self.rollbacks)), (webhooks.RETRIES + 1, webhooks.RETRIES))

    def test_a_lasting_conflict_is_left_to_the_pbx(self):
        attempt, tries = self.conflicting(webhooks.RETRIES + 1)
        with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
            webhooks._retrying(self.cr_stub, self.env, attempt)
        self.assertEqual(len(tries), webhooks.RETRIES + 1)

    def test_other_errors_are_not_tried_again(self):
        tries = []

        def attempt():
            tries.append(1)
            raise WebhookError(400, "field 'call_id' is required")
        with self.assertRaises(WebhookError):
            webhooks._retrying(self.cr_stub, self.env, attempt)
        self.assertEqual((len(tries), self.rollbacks), (1, []))


class TestExtensionNamesTheManager(TransactionCase):
    """A bridge that knows the extension only (Asterisk's AMI bridge): the
    integration's extension map names the salesperson."""

    def test_extension_maps_to_the_user(self):
        from ..controllers.webhooks import record_call
        env = self.env(context=dict(self.env.context, tz="UTC"))
        salesman = env["res.users"].create({
            "name": "Добавочный 301", "login": "ext301",
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]})
        integration = env["sales.telephony.integration"].create({
            "name": "Asterisk", "vendor": "asterisk", "kind": "pbx",
            "extension_ids": [(0, 0, {"code": "301", "user_id": salesman.id})]})
        answer = record_call(env, integration, {
            "call_id": "ast:1.1", "direction": "out", "from": "301", "to": "79990001122",
            "start": "2026-11-29T09:15:00+03:00", "duration": 60, "extension": "301"})
        self.assertEqual(env["sales.touch"].browse(answer["touch_id"]).user_id, salesman)
        # A named login still wins over the extension.
        answer = record_call(env, integration, {
            "call_id": "ast:1.2", "direction": "out", "from": "301", "to": "79990001122",
            "start": "2026-11-29T09:16:00+03:00", "duration": 60, "extension": "301",
            "manager_login": env.user.login})
        self.assertEqual(env["sales.touch"].browse(answer["touch_id"]).user_id, env.user)


# Post-install: while a module is installed, its loading holds the registry's
# lock, which the delivery threads' environments would wait for.
@at_install(False)
@post_install(True)
class TestTwoDeliveriesAtOnce(TransactionCase):
    """Issue 12: one call event delivered twice at the same moment (a PBX
    retrying), each delivery in its own thread on its own cursor, as two
    workers serve them. The first delivery inserts its touch and stops there;
    the second, whose snapshot is taken before the first ends, waits on the
    unique index; then the first commits, or fails after its insert (a
    worker killed, a serialization failure while scheduling the call-back).
    Either way the event has exactly one touch, and the answer the second
    delivery gets names it. Real commits: what is made is removed after."""

    def setUp(self):
        super(TestTwoDeliveriesAtOnce, self).setUp()
        token = "issue12-%s" % id(self)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.integration_id = env["sales.telephony.integration"].create({
                "name": "АТС (две доставки)", "kind": "pbx", "token": token, "user_id": env.ref("base.user_root").id,
            }).id
        self.addCleanup(self._remove)

    def _remove(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM sales_touch WHERE integration_id = %s", (self.integration_id,))
            cr.execute("DELETE FROM sales_telephony_integration WHERE id = %s", (self.integration_id,))

    def _deliver(self, cr, payload, results, name):
        """One delivery as Odoo serves it: record_call on the request's
        cursor, committed when it answers, rolled back when it raises."""
        with api.Environment.manage():
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            try:
                integration = env["sales.telephony.integration"].browse(self.integration_id)
                answer = webhooks.record_call(env, integration, payload)
                cr.commit()  # pylint: disable=invalid-commit
                results[name] = answer
            except Exception as error:  # pylint: disable=broad-except
                cr.rollback()
                results[name] = error
            finally:
                cr.close()

    def _race(self, first_fails):
        payload = {"call_id": "issue12-%s" % first_fails, "direction": "in", "from": "+7 (999) 012-12-12",
                   "to": "+7 (495) 120-45-00", "start": "2026-12-01T05:00:00Z", "duration": 30}
        inserted, release = threading.Event(), threading.Event()
        answer = webhooks._answer

        def held_answer(touch, duplicate):
            # The first delivery, its touch inserted and not yet committed.
            if threading.current_thread().name == "first":
                inserted.set()
                release.wait(30)
                if first_fails:
                    raise RuntimeError("the first delivery fails after its insert")
            return answer(touch, duplicate)

        results = {}
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        with mock.patch.object(webhooks, "_answer", held_answer):
            first = threading.Thread(target=self._deliver, args=(first_cr, payload, results, "first"), name="first")
            first.start()
            self.assertTrue(inserted.wait(30))
            second = threading.Thread(target=self._deliver, args=(second_cr, payload, results, "second"),
                                      name="second")
            second_pid = second_cr._cnx.get_backend_pid()
            second.start()
            # The second delivery waits on the first one's row of the unique index.
            with self.registry.cursor() as cr:
                for _try in range(300):
                    cr.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (second_pid,))
                    if cr.fetchone()[0]:
                        break
                    time.sleep(0.1)
                else:
                    self.fail("the second delivery never waited for the first")
            release.set()
            first.join(30)
            second.join(30)
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM sales_touch WHERE source = 'telephony' AND integration_id = %s "
                       "AND external_ref = %s", (self.integration_id, payload["call_id"]))
            touches = [row[0] for row in cr.fetchall()]
        return results, touches

    def test_first_commits_second_answers_its_touch(self):
        # What odoo.sql_db logs at ERROR, whatever level the test run set.
        logged = []
        handler = logging.Handler(logging.ERROR)
        handler.emit = logged.append
        logger = logging.getLogger("odoo.sql_db")
        level, propagate = logger.level, logger.propagate
        logger.addHandler(handler)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
        try:
            results, touches = self._race(first_fails=False)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
        self.assertEqual(len(touches), 1)
        self.assertEqual(results["first"]["touch_id"], touches[0])
        self.assertEqual(results["second"], dict(results["first"], duplicate=True))
        # The second delivery is expected: no ERROR with the call's query in the log.
        self.assertEqual([record.getMessage()[:80] for record in logged], [])

    def test_first_fails_after_insert_second_records(self):
        results, touches = self._race(first_fails=True)
        self.assertIsInstance(results["first"], RuntimeError)
        self.assertEqual(len(touches), 1, "the event acknowledged by the second delivery has its touch")
        self.assertEqual(results["second"]["touch_id"], touches[0])
        self.assertFalse(results["second"]["duplicate"])
