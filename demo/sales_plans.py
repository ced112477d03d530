"""Demo plans of the sales_plans addon.

``generate``: a year of monthly plans (and the current quarter) for the six
managers, set from what each of them actually won so that the report shows
some ahead of plan and some behind, plus an entered plan for the Moscow team
(the regional team's month is the sum of its members', its quarter entered).

``bulk`` (scale > 1, for ``bench/bench_plans.py``): 50 managers, 36 months of
plans each and won deals up to ``scale * 250`` (500,000 at scale 2000), all
set-based SQL.
"""
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from . import core

# Plan = average monthly won revenue x this factor: below 1 the manager is
# ahead of plan, above 1 behind.
STRETCH = [0.85, 1.0, 1.6, 0.9, 1.25, 1.45]


def month_start(day):
    return date(day.year, day.month, 1)


def ensure_ranges(env, first_year, last_year):
    env["date.range.type"].sales_plan_ensure_ranges(list(range(first_year, last_year + 1)))


def won_by_month(ctx):
    """{(user id, month start): (revenue, count)} of the deals won."""
    totals = defaultdict(lambda: [0.0, 0])
    for lead in ctx.leads:
        if ctx.deal_states.get(lead.id) != "won" or not lead.date_closed:
            continue
        closed = lead.date_closed[:10]
        key = (lead.user_id.id, date(int(closed[:4]), int(closed[5:7]), 1))
        totals[key][0] += lead.planned_revenue
        totals[key][1] += 1
    return totals


def generate(ctx):
    env = ctx.env
    today = ctx.today
    first = month_start(today) - relativedelta(months=11)
    last = month_start(today) + relativedelta(months=1)
    ensure_ranges(env, first.year, last.year)
    Range = env["date.range"]
    months = Range.search([("type_id.sales_plan_kind", "=", "month"),
                           ("date_start", ">=", str(first)), ("date_start", "<=", str(last))],
                          order="date_start")
    won = won_by_month(ctx)
    Plan = env["sales.plan"]
    rng = ctx.rng
    for manager, stretch in zip(ctx.managers, STRETCH):
        revenue = sum(v[0] for (u, _m), v in won.items() if u == manager.id)
        count = sum(v[1] for (u, _m), v in won.items() if u == manager.id)
        avg_revenue, avg_count = revenue / 11.0, count / 11.0
        for month in months:
            noise = rng.uniform(0.9, 1.1)
            Plan.create({
                "user_id": manager.id,
                "team_id": manager.sale_team_id.id,
                "date_range_id": month.id,
                "amount_target": round(max(avg_revenue * stretch * noise, 100000), -4),
                "count_target": max(int(round(avg_count * stretch)), 1),
            })
    # The current quarter entered by the head for the Moscow managers (a bit
    # above the sum of their months); the regions' quarter is summed.
    quarter = Range.search([("type_id.sales_plan_kind", "=", "quarter"),
                            ("date_start", "<=", str(today)), ("date_end", ">=", str(today))], limit=1)
    msk = ctx.teams["msk"]
    for manager in ctx.managers:
        if manager.sale_team_id != msk or not quarter:
            continue
        monthly = Plan.search([("user_id", "=", manager.id), ("period_kind", "=", "month"),
                               ("date_start", ">=", quarter.date_start),
                               ("date_end", "<=", quarter.date_end)])
        Plan.create({
            "user_id": manager.id, "team_id": msk.id, "date_range_id": quarter.id,
            "amount_target": round(sum(monthly.mapped("amount_target")) * 1.05, -4),
            "count_target": sum(monthly.mapped("count_target")),
        })
    # The regions' team plan for the quarter, entered by the head.
    reg = ctx.teams["reg"]
    if quarter:
        members = Plan.search([("team_id", "=", reg.id), ("user_id", "!=", False), ("period_kind", "=", "month"),
                               ("date_start", ">=", quarter.date_start), ("date_end", "<=", quarter.date_end)])
        Plan.create({
            "team_id": reg.id, "date_range_id": quarter.id,
            "amount_target": round(sum(members.mapped("amount_target")) * 0.95, -4),
            "count_target": sum(members.mapped("count_target")),
        })
    # The Moscow team's own plan for this month, above its members' sum.
    this_month = months.filtered(lambda r: r.date_start <= str(today) <= r.date_end)
    members = Plan.search([("team_id", "=", msk.id), ("user_id", "!=", False),
                           ("date_range_id", "=", this_month.id)])
    if this_month:
        Plan.create({
            "team_id": msk.id, "date_range_id": this_month.id,
            "amount_target": round(sum(members.mapped("amount_target")) * 1.1, -4),
            "count_target": sum(members.mapped("count_target")) + 2,
        })


def bulk(ctx):
    env = ctx.env
    cr = env.cr
    users = core.bulk_managers(ctx)
    today = ctx.today
    ensure_ranges(env, today.year - 3, today.year + 1)
    user_ids = [u.id for u in users]
    # Won deals up to scale x 250, over the last 36 months, for every manager.
    cr.execute("""SELECT count(*) FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
                   WHERE s.probability = 100 AND l.active""")
    extra = ctx.scale * 250 - cr.fetchone()[0]
    if extra > 0:
        cr.execute("SELECT setseed(%s)", (0.24,))
        cr.execute("""
            INSERT INTO crm_lead (name, type, active, user_id, team_id, partner_id, company_id,
                                  stage_id, probability, planned_revenue, create_date, write_date,
                                  date_open, date_closed, create_uid, write_uid,
                                  plan_credited, plan_user_id, plan_team_id)
            SELECT 'Сделка плана № ' || dd.g, 'opportunity', TRUE, m.user_id, m.team_id,
                   %(partner)s, %(company)s, %(won)s, 100,
                   round((50000 + random() * 1500000)::numeric, -3),
                   d - interval '20 days', d, d - interval '20 days', d, 1, 1,
                   TRUE, m.user_id, m.team_id
              FROM (SELECT g, date_trunc('day', now()) - (random() * interval '1090 days')
                              + interval '12 hours' AS d
                      FROM generate_series(1, %(extra)s) g) dd
              JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id AS user_id, sale_team_id AS team_id
                      FROM res_users WHERE id = ANY(%(users)s)) m ON m.k = dd.g %% %(n)s
        """, {"partner": ctx.clients[:1].id, "company": ctx.company.id, "won": ctx.stages[-1].id,
              "extra": extra, "users": user_ids, "n": len(user_ids)})
    env["crm.lead"]._sales_plan_credit_existing()
    # 36 months of plans for every manager, from what each of them won.
    start = month_start(today) - relativedelta(months=35)
    cr.execute("""
        WITH months AS (
            SELECT r.id, r.name, r.date_start, r.date_end, t.sales_plan_kind
              FROM date_range r JOIN date_range_type t ON t.id = r.type_id
             WHERE t.sales_plan_kind = 'month' AND r.date_start BETWEEN %(start)s AND %(today)s
        ), won AS (
            SELECT l.plan_user_id AS user_id, SUM(l.planned_revenue) / 36 AS amount, COUNT(*) / 36 AS cnt
              FROM crm_lead l WHERE l.plan_credited AND l.plan_user_id = ANY(%(users)s)
             GROUP BY l.plan_user_id
        )
        INSERT INTO sales_plan (name, user_id, team_id, date_range_id, date_start, date_end, period_kind,
                                company_id, amount_target, count_target,
                                create_uid, write_uid, create_date, write_date)
        SELECT u.login || ': ' || m.name, u.id, u.sale_team_id, m.id, m.date_start, m.date_end,
               m.sales_plan_kind, %(company)s,
               round((COALESCE(w.amount, 0) * (0.8 + (u.id %% 7) / 10.0))::numeric, -4),
               GREATEST(COALESCE(w.cnt, 0), 1), 1, 1, now(), now()
          FROM res_users u
         CROSS JOIN months m
          LEFT JOIN won w ON w.user_id = u.id
         WHERE u.id = ANY(%(users)s)
           AND NOT EXISTS (SELECT 1 FROM sales_plan p WHERE p.user_id = u.id AND p.date_range_id = m.id)
    """, {"start": start, "today": today, "users": user_ids, "company": ctx.company.id})
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE sales_plan")
