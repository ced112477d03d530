"""Benchmark of sales_control's reports (a script, not a test).

    .venv/bin/python bench/bench_touches.py -d DB [-c .local/odoo.conf] [--repeat 5]

On a database filled with ``python -m demo.generate -c .local/odoo.conf -d DB
--scale 2000`` (about a million touches), it times in one run:

1. the touches pivot by manager x day: ``sales.touch.read_group`` as the head
   against the raw SQL ``GROUP BY`` on ``sales_touch``;
2. the efficiency report over the last year per manager:
   ``sales.efficiency.report.read_group`` against the raw SQL on the tables;
3. a salesman's pipeline (kanban columns, count and first page) against the
   head's for the same rows (the head filters on that salesman);
4. the salesman's touches pivot (type x week) against the head's on the same
   rows;

and prints, from pairs timed alternately (common.interleaved), the medians,
the median of the per-pair ratios and their spread (goals: 1 and 2 at most
1.5x, 3 and 4 at most 1.3x). The exit status is 1 when a goal is missed.
"""
import sys
from datetime import date, timedelta

from common import argument_parser, interleaved, odoo_registry

RAW_PIVOT = """
    SELECT t.user_id, date_trunc('day', timezone(%(tz)s, timezone('UTC', t.date))) AS day, count(*)
      FROM sales_touch t
     GROUP BY t.user_id, day
     ORDER BY t.user_id, day
"""

RAW_EFFICIENCY = """
    SELECT u.user_id, sum(u.touches), sum(u.calls), sum(u.proposals), sum(u.meetings), sum(u.emails),
           sum(u.messages), sum(u.won), sum(u.lost), sum(u.revenue)
      FROM (SELECT t.user_id, count(*) AS touches,
                   count(*) FILTER (WHERE t.touch_type = 'call') AS calls,
                   count(*) FILTER (WHERE t.touch_type = 'proposal') AS proposals,
                   count(*) FILTER (WHERE t.touch_type = 'meeting') AS meetings,
                   count(*) FILTER (WHERE t.touch_type = 'email') AS emails,
                   count(*) FILTER (WHERE t.touch_type = 'messenger') AS messages,
                   0 AS won, 0 AS lost, 0.0 AS revenue
              FROM sales_touch t
             WHERE t.user_id IS NOT NULL AND (t.date AT TIME ZONE 'UTC')::date >= %(since)s
             GROUP BY t.user_id
            UNION ALL
            SELECT l.user_id, 0, 0, 0, 0, 0, 0,
                   count(*) FILTER (WHERE l.active AND l.probability >= 100),
                   count(*) FILTER (WHERE NOT l.active AND l.probability = 0),
                   coalesce(sum(l.planned_revenue) FILTER (WHERE l.active AND l.probability >= 100), 0)
              FROM crm_lead l
             WHERE l.date_closed IS NOT NULL AND l.user_id IS NOT NULL AND l.date_closed::date >= %(since)s
             GROUP BY l.user_id) u
     GROUP BY u.user_id
"""

EFFICIENCY_MEASURES = ["touch_count", "call_count", "proposal_count", "meeting_count", "email_count",
                       "messenger_count", "won_count", "lost_count", "revenue_won"]
PIPELINE_FIELDS = ["name", "partner_id", "stage_id", "user_id", "planned_revenue", "probability", "priority"]


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--salesman", default="sidorova")
    parser.add_argument("--head", default="head")
    args = parser.parse_args()

    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api
    results = []
    with api.Environment.manage(), registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        head = root["res.users"].search([("login", "=", args.head)], limit=1)
        salesman = root["res.users"].search([("login", "=", args.salesman)], limit=1)
        if not head or not salesman:
            sys.exit("need the head %r and the salesman %r in %s" % (args.head, args.salesman, args.database))
        tz = head.tz or "UTC"
        cr.execute("SELECT count(*) FROM sales_touch")
        touches = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM crm_lead")
        leads = cr.fetchone()[0]
        cr.execute("SELECT count(DISTINCT user_id) FROM sales_touch")
        managers = cr.fetchone()[0]
        print("database %s: %d touches, %d leads, %d managers with touches" % (
            args.database, touches, leads, managers))

        def env_of(user):
            env = api.Environment(cr, user.id, {"tz": tz, "lang": "en_US"})
            env.clear()
            return env

        # 1. Touches pivot by manager x day
        def orm_pivot():
            env_of(head)["sales.touch"].read_group([], ["user_id", "date"], ["user_id", "date:day"], lazy=False)

        def raw_pivot():
            cr.execute(RAW_PIVOT, {"tz": tz})
            cr.fetchall()
        results.append(("touches pivot manager x day", interleaved(orm_pivot, raw_pivot, args.repeat), 1.5))

        # 2. Efficiency per manager over the last year
        since = str(date.today() - timedelta(days=365))

        def orm_efficiency():
            env_of(head)["sales.efficiency.report"].read_group(
                [("date", ">=", since)], ["user_id"] + EFFICIENCY_MEASURES, ["user_id"])

        def raw_efficiency():
            cr.execute(RAW_EFFICIENCY, {"since": since})
            cr.fetchall()
        results.append(("efficiency per manager, 1 year", interleaved(orm_efficiency, raw_efficiency, args.repeat),
                        1.5))

        # 3. Pipeline: the salesman (record rules) against the head (explicit filter)
        def pipeline(user, domain):
            def run():
                Lead = env_of(user)["crm.lead"]
                Lead.read_group(domain, ["stage_id", "planned_revenue"], ["stage_id"])
                Lead.search_count(domain)
                Lead.search_read(domain, PIPELINE_FIELDS, limit=80)
            return run
        base = [("type", "=", "opportunity")]
        salesman_rows = env_of(salesman)["crm.lead"].search_count(base)
        head_rows = env_of(head)["crm.lead"].search_count(base + [("user_id", "=", salesman.id)])
        print("pipeline rows: salesman %d, head filtered on him %d" % (salesman_rows, head_rows))
        results.append(("pipeline salesman vs head (%d rows)" % salesman_rows,
                        interleaved(pipeline(salesman, base), pipeline(head, base + [("user_id", "=", salesman.id)]),
                                    args.repeat), 1.3))

        # 4. The touches pivot of the salesman (record rules) against the head's for the same rows
        def touch_pivot(user, domain):
            def run():
                env_of(user)["sales.touch"].read_group(domain, ["touch_type", "date"], ["touch_type", "date:week"],
                                                       lazy=False)
            return run
        mine = ["|", ("user_id", "=", salesman.id), ("lead_user_id", "=", salesman.id)]
        touch_rows = env_of(salesman)["sales.touch"].search_count([])
        results.append(("touches pivot salesman vs head (%d rows)" % touch_rows,
                        interleaved(touch_pivot(salesman, []), touch_pivot(head, mine), args.repeat), 1.3))
        cr.rollback()

    print()
    print("| Measure | Odoo / salesman (ms) | raw SQL / head (ms) | ratio | spread | goal |")
    print("|---|---:|---:|---:|---:|---:|")
    failed = False
    for name, paired, goal in results:
        # Medians of each side, and the median of the per-pair ratios with
        # their spread: the pairs were timed alternately (common.interleaved).
        failed |= paired.ratio > goal
        print("| %s | %.1f | %.1f | %.2fx | %.2f-%.2f | <= %.1fx%s |" % (
            name, paired.first * 1000, paired.second * 1000, paired.ratio, paired.low, paired.high, goal,
            "" if paired.ratio <= goal else " MISSED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
