# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sync on several workers and nodes: "Sync now" as a queue_job job,
and the advisory lock that lets one sync per connection run at a time."""
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError

from ..models.common import without_commit
from ..models.receivables_onec_backend import LOCK_NAMESPACE
from .common import ReceivablesCase, doc


class TestSyncJob(ReceivablesCase):

    def _jobs(self):
        return self.env["queue.job"].search([("model_name", "=", "receivables.onec.backend"),
                                             ("method_name", "=", "_job_sync")])

    def _lock_is_free(self):
        """Whether another connection may take the sync's lock now."""
        with self.registry.cursor() as other:
            other.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, self.backend.id))
            return other.fetchone()[0]

    def test_sync_now_queues_a_job_that_fills_the_log(self):
        self.stand_in.control(payments=[doc("j-1", "7701000011", 1000, contract=self.contract_a)])
        before = self._jobs()
        cron = self.env.ref("receivables.ir_cron_onec_sync")
        nextcall = cron.nextcall
        action = self.backend.sudo(self.head).action_sync_now()
        self.assertEqual(action["res_model"], "receivables.sync.log")
        job = self._jobs() - before
        self.assertEqual(len(job), 1)
        self.assertEqual((job.state, job.user_id, job.record_ids), ("pending", self.head, [self.backend.id]))
        log = self.env["receivables.sync.log"].search([("backend_id", "=", self.backend.id)], limit=1)
        self.assertEqual((log.state, log.trigger), ("queued", "manual"))
        self.assertEqual(job.args, [log.id])
        # The cron is left alone: the job is the one sync.
        self.assertEqual(cron.nextcall, nextcall)
        self.assertFalse(self.payments(onec_guid="j-1"))
        # What the runner does, without its commits: the job's method as the
        # user who queued it, on the queued log line.
        result = without_commit(self.backend.sudo(self.head))._job_sync(*job.args)
        self.assertEqual(result, log.id)
        self.assertEqual((log.state, log.created, log.cursor_to), ("done", 1, "1"), log.error)
        self.assertEqual(self.payments(onec_guid="j-1").contract_id, self.contract_a)

    def test_a_job_meeting_a_running_sync_is_skipped(self):
        self.stand_in.control(payments=[doc("j-2", "7701000011", 1000)])
        self.backend.sudo(self.accountant).action_sync_now()
        job = self._jobs()[:1]
        log = self.env["receivables.sync.log"].browse(job.args[0])
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, self.backend.id))
            without_commit(self.backend.sudo(self.accountant))._job_sync(log.id)
            other.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.backend.id))
        self.assertEqual(log.state, "skipped")
        self.assertFalse(self.payments(onec_guid="j-2"))

    def test_salesman_cannot_queue_or_run_a_sync(self):
        jobs, logs = self._jobs(), self.env["receivables.sync.log"].search_count([])
        backend = self.backend.sudo(self.manager_a)
        with self.assertRaises(AccessError):
            backend.action_sync_now()
        # A job forged for him would still be refused when it runs.
        with self.assertRaises(AccessError):
            without_commit(backend)._job_sync(False)
        with self.assertRaises(AccessError):
            self.env["queue.job"].sudo(self.manager_a).create({
                "uuid": "forged", "model_name": "receivables.onec.backend", "method_name": "_job_sync",
                "record_ids": [self.backend.id], "args": [], "kwargs": {}})
        self.assertEqual(self._jobs(), jobs)
        self.assertEqual(self.env["receivables.sync.log"].search_count([]), logs)

    def test_lock_is_held_during_the_sync_and_released_after(self):
        seen = []

        def locked(backend, Log, trigger, log=None):
            seen.append(self._lock_is_free())
            return Log.create({"backend_id": backend.id, "trigger": trigger, "state": "done"})
        with patch.object(type(self.backend), "_run_sync_locked", locked):
            self.sync()
        self.assertEqual(seen, [False])
        self.assertTrue(self._lock_is_free())

    def test_lock_is_released_when_the_sync_transaction_failed(self):
        """The sync's own transaction broken (a database error outside any
        savepoint): the lock lives elsewhere and is released all the same,
        so the next sync is not skipped forever on that pooled connection."""
        def broken(backend, Log, trigger, log=None):
            backend.env.cr.execute("SELECT 1 / 0")
        with self.assertRaises(psycopg2.DataError):
            with self.env.cr.savepoint():
                with patch.object(type(self.backend), "_run_sync_locked", broken):
                    self.sync()
        self.assertTrue(self._lock_is_free())
        self.stand_in.control(payments=[doc("j-3", "7701000011", 1000)])
        log = self.sync()
        self.assertEqual((log.state, log.created), ("done", 1), log.error)

    def test_a_killed_syncs_running_line_is_closed_by_the_next_sync(self):
        """kill -9 during a sync leaves its log line "running" with the
        batches it committed; the next sync (holding the lock, so no other
        sync can be running) marks it failed as interrupted."""
        Log = self.env["receivables.sync.log"].sudo()
        killed = Log.create({"backend_id": self.backend.id, "trigger": "cron", "state": "running"})
        other_backend_line = Log.create({"backend_id": self.backend.copy({"name": "Другая база"}).id,
                                         "trigger": "cron", "state": "running"})
        self.stand_in.control(payments=[doc("j-4", "7701000011", 1000)])
        log = self.sync()
        self.assertEqual(log.state, "done", log.error)
        self.assertEqual(killed.state, "failed")
        self.assertTrue(killed.finished)
        self.assertIn("Interrupted", killed.with_context(lang="en_US").error)
        self.assertEqual(other_backend_line.state, "running")
