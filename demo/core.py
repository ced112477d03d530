"""The department itself: company, head, teams, managers, clients, deals.

Everything here is drawn from ``ctx.rng`` (seeded), so two runs on empty
databases give the same records. Dates are relative to ``ctx.today`` so the
demo always shows "the last 12 months".
"""
from datetime import timedelta

from odoo import SUPERUSER_ID

from . import names

DEMO_USERS = [
    # login, name, role, team key
    ("head", "Волков Игорь Николаевич", "head", None),
    ("petrov", "Петров Алексей Сергеевич", "leader", "msk"),
    ("sidorova", "Сидорова Елена Викторовна", "manager", "msk"),
    ("kuznetsov", "Кузнецов Дмитрий Олегович", "manager", "msk"),
    ("smirnova", "Смирнова Ольга Петровна", "leader", "reg"),
    ("popov", "Попов Андрей Игоревич", "manager", "reg"),
    ("lebedeva", "Лебедева Марина Александровна", "manager", "reg"),
    ("accountant", "Егорова Наталья Владимировна", "accountant", None),
    ("findir", "Степанов Павел Михайлович", "finance", None),
]
TEAMS = {
    "msk": "Отдел продаж: Москва",
    "reg": "Отдел продаж: Регионы",
}
# name, probability, is won, sequence; the first four are Odoo's own stages.
STAGES = [
    ("crm.stage_lead1", "Новая", 10, 1),
    ("crm.stage_lead2", "Квалификация", 20, 2),
    ("crm.stage_lead3", "КП отправлено", 40, 3),
    (None, "Переговоры", 60, 4),
    (None, "Договор", 80, 5),
    ("crm.stage_lead4", "Выиграна", 100, 70),
]
LOST_REASONS = ["Дорого", "Выбрали конкурента", "Нет бюджета", "Проект отложен"]


def inn_legal(rng, region):
    """A 10-digit INN of an organisation with a valid check digit."""
    digits = [int(c) for c in region] + [rng.randint(0, 9) for _ in range(7)]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    digits.append(sum(d * w for d, w in zip(digits, weights)) % 11 % 10)
    return "".join(map(str, digits))


def inn_person(rng, region):
    """A 12-digit INN of an individual entrepreneur with both check digits."""
    digits = [int(c) for c in region] + [rng.randint(0, 9) for _ in range(8)]
    w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    digits.append(sum(d * w for d, w in zip(digits, w11)) % 11 % 10)
    digits.append(sum(d * w for d, w in zip(digits, w12)) % 11 % 10)
    return "".join(map(str, digits))


def phone(rng, mobile=False):
    code = rng.choice(["916", "903", "926", "985"]) if mobile else rng.choice(["495", "499", "812", "343"])
    return "+7 (%s) %03d-%02d-%02d" % (code, rng.randint(100, 999), rng.randint(0, 99), rng.randint(0, 99))


def person_name(rng):
    if rng.random() < 0.6:
        return "%s %s %s" % (rng.choice(names.MALE_LAST), rng.choice(names.MALE_FIRST),
                             rng.choice(names.MALE_PATRONYMIC))
    return "%sа %s %s" % (rng.choice(names.MALE_LAST), rng.choice(names.FEMALE_FIRST),
                          rng.choice(names.FEMALE_PATRONYMIC))


def setup_company(ctx):
    env = ctx.env
    rub = env.ref("base.RUB")
    rub.active = True
    company = env.ref("base.main_company")
    company.write({
        "name": "ООО «ТехноСнаб»",
        "country_id": env.ref("base.ru").id,
        "city": "Москва",
        "street": "ул. Электрозаводская, д. 27, стр. 8",
        "zip": "107023",
        "phone": "+7 (495) 120-45-00",
        "email": "info@tehnosnab.example",
        "vat": "7718123450",  # a valid INN: its check digit is right
        "currency_id": rub.id,
    })
    if "kpp" in company.partner_id._fields:
        company.partner_id.kpp = "771801001"
    env["product.pricelist"].search([]).write({"currency_id": rub.id})
    env.ref("base.user_root").write({"tz": "Europe/Moscow", "lang": "ru_RU"})
    ctx.company = company


def setup_users(ctx):
    env = ctx.env
    groups = {
        "head": [env.ref("sales_team.group_sale_manager")],
        "leader": [env.ref("sales_team.group_sale_salesman")],
        "manager": [env.ref("sales_team.group_sale_salesman")],
        "accountant": [env.ref("account.group_account_invoice")],
        "finance": [env.ref("account.group_account_manager")],
    }
    users = env["res.users"].with_context(no_reset_password=True)
    for login, name, role, _team in DEMO_USERS:
        user = users.search([("login", "=", login)])
        values = {
            "name": name, "login": login, "password": login,
            "email": "%s@tehnosnab.example" % login,
            "lang": "ru_RU", "tz": "Europe/Moscow",
            "groups_id": [(4, g.id) for g in groups[role]],
        }
        if not user:
            user = users.create(values)
        ctx.users[login] = user
    ctx.head = ctx.users["head"]
    ctx.managers = [ctx.users[login] for login, _n, role, _t in DEMO_USERS if role in ("leader", "manager")]


def setup_teams(ctx):
    env = ctx.env
    default_team = env.ref("sales_team.team_sales_department")
    for key, name in TEAMS.items():
        leader = next(ctx.users[login] for login, _n, r, t in DEMO_USERS if t == key and r == "leader")
        members = [ctx.users[login] for login, _n, _r, t in DEMO_USERS if t == key]
        team = default_team if key == "msk" else env["crm.team"].create({"name": name})
        team.write({
            "name": name, "user_id": leader.id, "use_leads": True, "use_opportunities": True,
            "member_ids": [(6, 0, [m.id for m in members])],
        })
        # Odoo's ru_RU translation of its own team name would hide ours.
        team.with_context(lang="ru_RU").name = name
        for member in members:
            member.sale_team_id = team
        ctx.teams[key] = team


def setup_stages(ctx):
    env = ctx.env
    for xmlid, name, probability, sequence in STAGES:
        stage = env.ref(xmlid) if xmlid else env["crm.stage"].search([("name", "=", name)], limit=1)
        values = {"name": name, "probability": probability, "sequence": sequence,
                  "on_change": True}
        if stage:
            stage.write(values)
            # The ru_RU translation of Odoo's own stage names would hide ours.
            stage.with_context(lang="ru_RU").name = name
        else:
            stage = env["crm.stage"].create(values)
        ctx.stages.append(stage)
    ctx.lost_reasons = env["crm.lost.reason"].search([])
    for name in LOST_REASONS:
        if name not in ctx.lost_reasons.mapped("name"):
            ctx.lost_reasons |= env["crm.lost.reason"].create({"name": name})


def setup_clients(ctx, count):
    env = ctx.env
    rng = ctx.rng
    partners = env["res.partner"]
    for i in range(count):
        root = names.COMPANY_ROOTS[i % len(names.COMPANY_ROOTS)]
        form = names.COMPANY_FORMS[i % len(names.COMPANY_FORMS)]
        city, region = names.CITIES[rng.randrange(len(names.CITIES))]
        suffix = "" if i < len(names.COMPANY_ROOTS) else " %s" % city
        if form == "ИП":
            boss = person_name(rng)
            name = "ИП %s" % boss
            inn, kpp = inn_person(rng, region), False
        else:
            name = "%s «%s%s»" % (form, root, suffix)
            inn, kpp = inn_legal(rng, region), "%s%02d01001" % (region, rng.randint(1, 40))
        values = {
            "name": name, "is_company": True, "vat": inn,
            "city": city, "street": "%s, д. %d" % (rng.choice(names.STREETS), rng.randint(1, 120)),
            "country_id": env.ref("base.ru").id,
            "phone": phone(rng), "email": "office@client%03d.example" % i,
            "customer": True, "lang": "ru_RU",
        }
        if "kpp" in partners._fields:
            values["kpp"] = kpp
        company = partners.create(values)
        contact = partners.create({
            "name": person_name(rng), "parent_id": company.id, "type": "contact",
            "function": rng.choice(names.JOB_TITLES),
            "mobile": phone(rng, mobile=True), "phone": company.phone,
            "email": "contact@client%03d.example" % i, "lang": "ru_RU",
        })
        ctx.clients |= company
        ctx.contacts |= contact


def setup_deals(ctx, per_manager):
    """Leads and deals over the last 12 months, in every stage, won and lost."""
    env = ctx.env
    rng = ctx.rng
    Lead = env["crm.lead"]
    won_stage = ctx.stages[-1]
    open_stages = ctx.stages[:-1]
    rows = []
    # Managers differ on purpose: some win a lot, some call a lot and win little.
    skill = {m.id: s for m, s in zip(ctx.managers, [0.45, 0.30, 0.12, 0.40, 0.28, 0.20])}
    for manager in ctx.managers:
        team = manager.sale_team_id
        for _n in range(per_manager):
            client_index = rng.randrange(len(ctx.clients))
            client, contact = ctx.clients[client_index], ctx.contacts[client_index]
            age = rng.randint(0, 364)
            created = ctx.today - timedelta(days=age)
            revenue = round(rng.lognormvariate(13.2, 0.9), -3)
            roll = rng.random()
            values = {
                "name": "%s — %s" % (rng.choice(names.DEAL_SUBJECTS), client.name),
                "partner_id": client.id, "contact_name": contact.name,
                "partner_name": client.name,
                "email_from": contact.email, "phone": client.phone, "mobile": contact.mobile,
                "user_id": manager.id, "team_id": team.id,
                "planned_revenue": revenue,
                "description": "Источник: %s" % rng.choice(names.LEAD_SOURCES),
            }
            if age > 20 and roll < skill[manager.id]:
                closed = created + timedelta(days=rng.randint(5, min(age, 90)))
                values.update(type="opportunity", stage_id=won_stage.id, probability=100,
                              date_closed=closed.strftime("%Y-%m-%d 12:00:00"))
                state = "won"
            elif age > 30 and roll < skill[manager.id] + 0.25:
                closed = created + timedelta(days=rng.randint(5, min(age, 60)))
                values.update(type="opportunity", stage_id=rng.choice(open_stages[1:]).id,
                              probability=0, active=False,
                              lost_reason=rng.choice(ctx.lost_reasons).id,
                              date_closed=closed.strftime("%Y-%m-%d 12:00:00"))
                state = "lost"
            elif rng.random() < 0.2:
                values.update(type="lead")
                state = "lead"
            else:
                stage = rng.choice(open_stages)
                deadline = ctx.today + timedelta(days=rng.randint(-10, 75))
                values.update(type="opportunity", stage_id=stage.id,
                              probability=stage.probability,
                              date_deadline=deadline.strftime("%Y-%m-%d"))
                state = "open"
            rows.append((values, created, state))
    leads = create_each(Lead, [r[0] for r in rows])
    for lead, (_v, created, state) in zip(leads, rows):
        ctx.deal_dates[lead.id] = created
        ctx.deal_states[lead.id] = state
    # Back-date creation so the reports show a year of work, not one day.
    env.cr.executemany(
        "UPDATE crm_lead SET create_date = %s, write_date = %s, date_open = %s WHERE id = %s",
        [(created, created, created, lead.id) for lead, (_v, created, _s) in zip(leads, rows)])
    ctx.leads = leads
    leads.invalidate_cache()


def create_each(model, values_list):
    """Odoo 11's create takes one dict (batch create came in 12.0)."""
    records = model.browse()
    model = model.with_context(mail_create_nolog=True, tracking_disable=True)
    for values in values_list:
        records |= model.create(values)
    return records


def generate(ctx):
    setup_company(ctx)
    setup_users(ctx)
    setup_teams(ctx)
    setup_stages(ctx)
    setup_clients(ctx, 60)
    setup_deals(ctx, 40)


BULK_MANAGERS = 50


def bulk_managers(ctx):
    """The department of the benchmarks: the six demo managers and more, up
    to BULK_MANAGERS, spread over the two teams (logins bench06, bench07...)."""
    users = ctx.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    salesman = ctx.env.ref("sales_team.group_sale_salesman")
    teams = list(ctx.teams.values())
    managers = list(ctx.managers)
    for index in range(len(managers), BULK_MANAGERS):
        login = "bench%02d" % index
        user = users.search([("login", "=", login)])
        if not user:
            user = users.create({
                "name": "Менеджер %02d" % index, "login": login, "lang": "ru_RU", "tz": "Europe/Moscow",
                "groups_id": [(6, 0, [salesman.id])],
                "sale_team_id": teams[index % len(teams)].id,
            })
        managers.append(user)
    return managers


def bulk(ctx):
    """Set-based extra deals for the benchmarks: (scale - 1) x 240 rows over
    BULK_MANAGERS managers and the last 3 years, a third of them won."""
    managers = bulk_managers(ctx)
    extra = (ctx.scale - 1) * 40 * len(ctx.managers)
    if extra <= 0:
        return
    cr = ctx.env.cr
    cr.execute("SELECT setseed(%s)", (0.42,))
    cr.execute("""
        INSERT INTO crm_lead (name, type, active, user_id, team_id, partner_id,
                              company_id, stage_id, probability, planned_revenue,
                              create_date, write_date, date_open, date_closed,
                              create_uid, write_uid)
        SELECT 'Сделка № ' || s.g, 'opportunity', TRUE, m.user_id, m.team_id,
               c.clients[1 + (s.g %% array_length(c.clients, 1))], %(company)s,
               CASE WHEN s.won THEN %(won)s ELSE %(open)s END,
               CASE WHEN s.won THEN 100 ELSE 30 END,
               round((50000 + random() * 3000000)::numeric, -3),
               s.d, s.d, s.d, CASE WHEN s.won THEN s.d + interval '20 days' END,
               %(uid)s, %(uid)s
          -- random() in the row source, so that each row gets its own date;
          -- every third deal of each manager is won.
          FROM (SELECT g, now() - random() * interval '1095 days' AS d,
                       (g / %(n)s) %% 3 = 0 AS won
                  FROM generate_series(1, %(extra)s) g) s
          JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id AS user_id, sale_team_id AS team_id
                  FROM res_users WHERE id = ANY(%(managers)s)) m ON m.k = s.g %% %(n)s
          CROSS JOIN (SELECT array_agg(id ORDER BY id) AS clients FROM res_partner
                       WHERE id = ANY(%(clients)s)) c
    """, {
        "company": ctx.company.id, "won": ctx.stages[-1].id, "open": ctx.stages[2].id,
        "uid": SUPERUSER_ID, "extra": extra, "managers": [m.id for m in managers],
        "n": len(managers), "clients": ctx.clients.ids,
    })
    cr.execute("ANALYZE crm_lead")
