"""A cron job runs once per database when several processes run crons (two
nodes, or max_cron_threads > 1): Odoo 11's runner takes the job's ir_cron
row with SELECT ... FOR UPDATE NOWAIT and checks nextcall again under the
lock. Two cron runners, each on its own database connection as each
node's cron process is, start at the same moment on one due job."""
import threading
import uuid

import odoo
import pytest
from odoo.addons.base.ir.ir_cron import ir_cron


@pytest.fixture
def due_job(odoo_db):
    """A due cron job that records each of its runs as a partner (a few
    hundred writes, so that two runners overlap), alone due for the test:
    the other jobs' nextcall moves out of the way and back afterwards."""
    token = uuid.uuid4().hex[:10]
    registry = odoo.registry(odoo_db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        others = env["ir.cron"].search([("active", "=", True)])
        saved = {job.id: job.nextcall for job in others}
        others.write({"nextcall": "2999-01-01 00:00:00"})
        job = env["ir.cron"].create({
            "name": "test: once per database %s" % token,
            "model_id": env.ref("base.model_res_partner").id, "state": "code",
            "code": "model.create({'name': 'cron-once-%s'})\n"
                    "for _i in range(300):\n"
                    "    model.search_count([('name', '=', 'cron-once-%s')])\n" % (token, token),
            "interval_number": 1, "interval_type": "days", "numbercall": -1,
            "nextcall": "2000-01-01 00:00:00", "priority": 0})
        cr.commit()
    yield token
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.cron"].browse(job.id).unlink()
        env["res.partner"].search([("name", "=", "cron-once-%s" % token)]).unlink()
        for job_id, nextcall in saved.items():
            env["ir.cron"].browse(job_id).exists().write({"nextcall": nextcall})
        cr.commit()


def test_a_due_job_runs_once_with_two_cron_runners(odoo_db, due_job):
    barrier = threading.Barrier(2)
    errors = []

    def runner():
        try:
            barrier.wait(10)
            with odoo.api.Environment.manage():
                ir_cron._process_jobs(odoo_db)
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
    threads = [threading.Thread(target=runner) for _runner in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    with odoo.api.Environment.manage(), odoo.registry(odoo_db).cursor() as cr:
        cr.execute("SELECT count(*) FROM res_partner WHERE name = %s", ("cron-once-%s" % due_job,))
        assert cr.fetchone()[0] == 1
        cr.execute("SELECT nextcall > now() at time zone 'UTC' FROM ir_cron WHERE cron_name = %s",
                   ("test: once per database %s" % due_job,))
        assert cr.fetchone()[0]
