"""Deterministic, seeded generator of the demo database.

    python -m demo.generate -c .local/odoo.conf -d DB [--scale N] [--seed S]

Scale 1 is the demo a newcomer sees (a department of six managers, a year of
work). A larger scale adds bulk rows through SQL for the benchmarks in
``bench/`` (scale 2000: 500,000 deals; the touches plugin adds 2 per deal).

Each project addon may ship a plugin ``demo/<addon>.py`` with
``generate(ctx)`` (realistic records through the ORM) and optionally
``bulk(ctx)`` (set-based SQL for large scales); plugins run in dependency
order, only for installed addons.
"""
import argparse
import importlib
import logging
import random
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api

from . import core

_logger = logging.getLogger("demo.generate")

PLUGIN_ORDER = ["sales_control", "sales_plans", "receivables", "deal_approval", "sales_plans_receivables"]


class DemoContext(object):
    """What the plugins share: the environment, the seeded RNG and what the
    core made (users, teams, clients, deals)."""

    def __init__(self, env, seed, scale, today):
        self.env = env
        self.rng = random.Random(seed)
        self.scale = scale
        self.today = today
        self.company = None
        self.users = {}
        self.head = None
        self.managers = []
        self.teams = {}
        self.stages = []
        self.lost_reasons = env["crm.lost.reason"]
        self.clients = env["res.partner"]
        self.contacts = env["res.partner"]
        self.leads = env["crm.lead"]
        self.deal_dates = {}
        self.deal_states = {}


def installed_plugins(env):
    installed = set(env["ir.module.module"].search(
        [("state", "=", "installed"), ("name", "in", PLUGIN_ORDER)]).mapped("name"))
    for name in PLUGIN_ORDER:
        if name not in installed:
            continue
        try:
            yield importlib.import_module("demo.%s" % name)
        except ImportError as error:
            if error.name != "demo.%s" % name:
                raise


def run(env, seed=20261128, scale=1, today=None):
    ctx = DemoContext(env, seed, scale, today or date.today())
    core.generate(ctx)
    plugins = list(installed_plugins(env))
    for plugin in plugins:
        _logger.info("demo: %s", plugin.__name__)
        plugin.generate(ctx)
    if scale > 1:
        core.bulk(ctx)
        for plugin in plugins:
            if hasattr(plugin, "bulk"):
                _logger.info("demo bulk: %s", plugin.__name__)
                plugin.bulk(ctx)
    # Statistics of every table, as after a restore: autovacuum never
    # analyses a table of a few rows such as crm_stage, and the report
    # plans depend on it.
    env.cr.execute("ANALYZE")
    return ctx


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    odoo.netsvc.init_logger()
    registry = odoo.registry(args.database)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {
            "tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True})
        run(env, seed=args.seed, scale=args.scale)
        cr.commit()


if __name__ == "__main__":
    main()
