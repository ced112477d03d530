"""Benchmark of the sales plan report (a script, not a test).

    .venv/bin/python bench/bench_plans.py -d DB [-c .local/odoo.conf] [--runs 5]

On a database made with ``scripts/db.sh DB --scale 2000`` (50 managers x 36
months of plans, 500,000 won deals), in the same run:

1. the pivot "managers x months, plan and actual" through the ORM
   (``read_group`` on the ``sales.plan.report`` SQL view, one grouped query)
   against a hand-written SQL query on the same tables, timed in interleaved
   pairs (ORM, then SQL: ``common.interleaved``) so that a busy machine slows
   both alike; the median
   of the pairs' ratios is printed (goal: at most 2x, else exit status 1);
2. with ``sales_plans_receivables``: the pivot "managers x months, plan, won,
   invoiced and received" against hand-written SQL summing the three tables
   per salesperson and month (interleaved pairs, goal at most 2x);
3. the pivot the menu opens on (this month, salespeople);
4. opening the head's entry grid for 50 managers x 12 months.
"""
import sys

from common import argument_parser, interleaved, median_time, odoo_registry

GOAL = 2.0

# The fastest hand-written query we found for the same cells: won deals
# summed per salesperson and calendar month, joined to the monthly plans.
RAW_SQL = """
    SELECT p.user_id, p.date_range_id, SUM(p.amount_target) AS plan_amount,
           COALESCE(SUM(a.amount), 0) AS actual_amount
      FROM sales_plan p
      JOIN date_range r ON r.id = p.date_range_id
      LEFT JOIN (SELECT COALESCE(l.plan_user_id, l.user_id) AS user_id, l.company_id,
                        date_trunc('month', l.date_closed)::date AS month, SUM(l.planned_revenue) AS amount
                   FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                  WHERE l.active AND s.probability = 100 AND l.date_closed IS NOT NULL
                  GROUP BY 1, 2, 3) a
             ON a.user_id = p.user_id AND a.company_id = p.company_id AND a.month = r.date_start
     WHERE p.user_id IS NOT NULL AND p.period_kind = 'month'
     GROUP BY p.user_id, p.date_range_id
"""

# The same cells on three bases: won deals, posted customer invoices of the
# salesperson's deal clients, and payments matched to contracts (in the
# company's currency: the benchmark's payments are all in it).
RAW_THREE_BASES = """
    WITH won AS (
        SELECT COALESCE(l.plan_user_id, l.user_id) AS user_id, l.company_id,
               date_trunc('month', l.date_closed)::date AS month, SUM(l.planned_revenue) AS amount
          FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
         WHERE l.active AND s.probability = 100 AND l.date_closed IS NOT NULL
         GROUP BY 1, 2, 3
    ), invoiced AS (
        -- Summed per client first, so that the deal is looked for once per
        -- client, salesperson and month, not once per invoice.
        SELECT s.user_id, s.company_id, s.month, SUM(s.amount) AS amount
          FROM (SELECT i.commercial_partner_id, i.user_id, i.company_id,
                       date_trunc('month', i.date_invoice)::date AS month,
                       SUM(i.amount_total_company_signed) AS amount
                  FROM account_invoice i
                 WHERE i.type IN ('out_invoice', 'out_refund') AND i.state IN ('open', 'paid')
                   AND i.user_id IS NOT NULL AND i.date_invoice IS NOT NULL
                 GROUP BY 1, 2, 3, 4) s
         WHERE EXISTS (SELECT 1 FROM res_partner lp
                        WHERE lp.commercial_partner_id = s.commercial_partner_id
                          AND EXISTS (SELECT 1 FROM crm_lead l
                                       WHERE l.partner_id = lp.id AND COALESCE(l.plan_user_id, l.user_id) = s.user_id
                                         AND l.company_id = s.company_id))
         GROUP BY 1, 2, 3
    ), received AS (
        SELECT COALESCE(c.user_id, l.user_id) AS user_id, p.company_id,
               date_trunc('month', p.date)::date AS month, SUM(p.amount) AS amount
          FROM receivables_payment p JOIN receivables_contract c ON c.id = p.contract_id
          LEFT JOIN crm_lead l ON l.id = c.lead_id
         WHERE p.state = 'matched'
         GROUP BY 1, 2, 3
    )
    SELECT p.user_id, p.date_range_id, SUM(p.amount_target) AS plan_amount,
           COALESCE(SUM(w.amount), 0), COALESCE(SUM(i.amount), 0), COALESCE(SUM(r.amount), 0)
      FROM sales_plan p
      JOIN date_range d ON d.id = p.date_range_id
      LEFT JOIN won w ON w.user_id = p.user_id AND w.company_id = p.company_id AND w.month = d.date_start
      LEFT JOIN invoiced i ON i.user_id = p.user_id AND i.company_id = p.company_id AND i.month = d.date_start
      LEFT JOIN received r ON r.user_id = p.user_id AND r.company_id = p.company_id AND r.month = d.date_start
     WHERE p.user_id IS NOT NULL AND p.period_kind = 'month'
     GROUP BY p.user_id, p.date_range_id
"""


def timed(fn, runs):
    """Median wall time of fn() in ms, after a warm-up run; and its result."""
    seconds, result = median_time(fn, runs)
    return seconds * 1000, result


def pivot_against_sql(cr, Report, label, measures, raw_sql, runs):
    """The pivot managers x months with the measures, read_group against
    raw_sql (whose columns are user, period, plan, then the measures), in
    interleaved pairs; prints the times and the ratio, warns when the
    totals differ. True when the goal is met and the totals agree."""
    domain = [("subject", "=", "user"), ("period_kind", "=", "month")]

    def orm():
        Report.invalidate_cache()
        return Report.read_group(domain, ["user_id", "date_range_id", "plan_amount"] + measures,
                                 ["user_id", "date_range_id"], lazy=False)

    def raw():
        cr.execute(raw_sql)
        return cr.fetchall()

    paired = interleaved(orm, raw, pairs=runs)
    orm_rows, raw_rows = paired.first_result, paired.second_result
    met = paired.ratio <= GOAL
    print("%s: read_group %.0f ms (%d cells), raw SQL %.0f ms (%d cells), ratio %s (goal %.1fx)%s" % (
        label, paired.first * 1000, len(orm_rows), paired.second * 1000, len(raw_rows), paired, GOAL,
        "" if met else " MISSED"))
    for index, name in enumerate(measures):
        orm_total = sum(g[name] for g in orm_rows)
        raw_total = float(sum(r[3 + index] for r in raw_rows))
        if abs(orm_total - raw_total) > 0.01 * max(abs(raw_total), 1):
            print("WARNING: the %s totals differ: %s against %s" % (name, orm_total, raw_total))
            met = False
    return met


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id "
                   "WHERE l.active AND s.probability = 100")
        won = cr.fetchone()[0]
        cr.execute("SELECT count(DISTINCT user_id), count(*) FROM sales_plan "
                   "WHERE user_id IS NOT NULL AND period_kind = 'month'")
        managers, plans = cr.fetchone()
        print("data: %d won deals, %d managers, %d monthly plans" % (won, managers, plans))

        Report = env["sales.plan.report"]

        missed = not pivot_against_sql(cr, Report, "pivot managers x months", ["actual_amount"], RAW_SQL,
                                       args.runs)
        if "received_amount" in Report._fields:
            missed |= not pivot_against_sql(
                cr, Report, "pivot managers x months on three bases",
                ["won_amount", "invoiced_amount", "received_amount"], RAW_THREE_BASES, args.runs)

        this_month = [("subject", "=", "user"), ("period_kind", "=", "month"), ("is_current", "=", True)]
        month_ms, _rows = timed(lambda: Report.read_group(
            this_month, ["user_id", "plan_amount", "actual_amount", "fulfilment"], ["user_id"]), args.runs)
        print("pivot this month (the menu's default): %.0f ms" % month_ms)

        Grid = env["sales.plan.grid"]

        def open_grid():
            # What opening the grid costs the server: the saved wizard
            # filled for every manager and month, then the client's read.
            action = Grid.action_open()
            grid = Grid.browse(action["res_id"])
            lines = grid.line_ids
            lines.read(["period_label", "user_label", "value"])
            return len(lines)

        grid_ms, cells = timed(open_grid, args.runs)
        print("opening the entry grid on the server: %.0f ms (%d cells)" % (grid_ms, cells))
        cr.rollback()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
