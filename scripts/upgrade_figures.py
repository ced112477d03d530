"""The figures an upgrade must keep (scripts/upgrade-test.sh): record counts
and the reports' totals, read through the ORM of whichever code the config
names (the previous release before the upgrade, this one after). Prints JSON.

    python scripts/upgrade_figures.py -c CONFIG -d DB
"""
import argparse
import json

REPORTS = [
    # model, aggregated fields, group by
    ("crm.lead", ["planned_revenue"], ["stage_id", "user_id"]),
    ("sales.touch", ["duration"], ["user_id", "touch_type", "source"]),
    ("sales.plan.report", ["plan_amount", "actual_amount"], ["user_id", "date_range_id"]),
    ("receivables.payment", ["amount"], ["state", "user_id"]),
    ("receivables.schedule.line", ["amount", "allocated"], ["state"]),
    ("deal.approval.request", [], ["state"]),
]
COUNTED = ["res.partner", "res.users", "crm.lead", "sales.touch", "mail.message", "mail.activity", "calendar.event",
           "ir.attachment", "sales.plan", "receivables.contract", "receivables.payment", "receivables.schedule.line",
           "deal.approval.request"]


def _key(value):
    return value[0] if isinstance(value, (list, tuple)) else value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    import odoo
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.netsvc.init_logger()
    figures = {"counts": {}, "reports": {}}
    with odoo.api.Environment.manage(), odoo.registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US", "active_test": False})
        for model in COUNTED:
            if model in env:
                figures["counts"][model] = env[model].search_count([])
        for model, measures, groupby in REPORTS:
            if model not in env:
                continue
            rows = env[model].read_group([], measures + groupby, groupby, lazy=False)
            figures["reports"][model] = sorted(
                ["|".join(str(_key(row[g])) for g in groupby)]
                + [round(row[m] or 0.0, 2) for m in measures] + [row["__count"]] for row in rows)
        cr.rollback()
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
