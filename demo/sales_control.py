"""Demo plugin of sales_control: a year of client touches per manager.

Deterministic (``ctx.rng`` only). Managers differ on purpose: Kuznetsov and
Lebedeva touch their clients a lot and win little, so the efficiency flag
shows someone. ``bulk`` adds touches by set-based SQL for the benchmarks.
"""
import base64
import io
import math
import struct
import wave
from datetime import datetime, time, timedelta

# How busy each manager is, in the order of core.DEMO_USERS.
ACTIVITY = {"petrov": 1.0, "sidorova": 1.0, "kuznetsov": 2.8, "smirnova": 0.9, "popov": 1.1, "lebedeva": 2.0}
BASE_TOUCHES = {"won": 9, "lost": 5, "open": 4, "lead": 1}
TYPES = [("call", 45), ("email", 22), ("messenger", 13), ("proposal", 10), ("meeting", 10)]
OUTCOMES = {
    "call": ["Договорились о встрече", "Попросили перезвонить", "Уточнили потребность", "Не дозвонился",
             "Обсудили условия оплаты"],
    "email": ["Отправлены материалы", "Клиент ответил", "Запрос реквизитов"],
    "messenger": ["Уточнение по срокам", "Фото объекта", "Подтверждение встречи"],
    "proposal": ["КП отправлено", "КП с обновлёнными ценами"],
    "meeting": ["Презентация оборудования", "Встреча на объекте", "Согласование договора"],
}
CHANNELS = ["Telegram", "WhatsApp", "Viber"]


def _beep():
    """A one-second 440 Hz tone: the demo call recording (8 kHz mono WAV)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000)))
                                 for i in range(8000)))
    return buffer.getvalue()


def _pick_type(rng):
    roll = rng.uniform(0, sum(w for _t, w in TYPES))
    for kind, weight in TYPES:
        roll -= weight
        if roll <= 0:
            return kind
    return TYPES[0][0]


def _integrations(env, head):
    Integration = env["sales.telephony.integration"]
    pbx = Integration.search([("name", "=", "АТС (демо)")], limit=1) or Integration.create({
        "name": "АТС (демо)", "kind": "pbx", "user_id": head.id, "token": "demo-pbx-token"})
    bot = Integration.search([("name", "=", "Мессенджеры (демо)")], limit=1) or Integration.create({
        "name": "Мессенджеры (демо)", "kind": "messenger", "user_id": head.id, "token": "demo-messenger-token"})
    return pbx, bot


# One integration of each vendor, as a department connects them: the
# vendor's own events go to the address the integration shows (hook_path).
VENDOR_DEMO = [
    # vendor, name, extension -> login, vendor's API address (its stand-in in the tests)
    ("mango", "Mango Office (демо)", {"101": "petrov", "102": "sidorova", "103": "kuznetsov"},
     "https://app.mango-office.ru/vpbx/"),
    ("zadarma", "Новофон (демо)", {"201": "smirnova", "202": "popov", "203": "lebedeva"},
     "https://api.novofon.com"),
    ("megafon", "МегаФон ВАТС (демо)", {"petrov": "petrov", "sidorova": "sidorova"},
     "https://tehnosnab.megapbx.ru"),
    ("asterisk", "Asterisk в офисе (демо)", {"301": "kuznetsov", "302": "popov"}, "ami://127.0.0.1:5038"),
    ("telegram", "Telegram-бот (демо)", {}, "https://api.telegram.org"),
    ("wazzup", "WhatsApp через Wazzup (демо)", {}, "https://api.wazzup24.com"),
]


def _vendor_integrations(ctx):
    env = ctx.env
    Integration = env["sales.telephony.integration"].with_context(active_test=False)
    users = ctx.users
    for vendor, name, extensions, url in VENDOR_DEMO:
        if Integration.search([("vendor", "=", vendor)], limit=1):
            continue
        Integration.create({
            "name": name, "vendor": vendor, "kind": "messenger" if vendor in ("telegram", "wazzup") else "pbx",
            "user_id": ctx.head.id, "api_url": url, "vendor_tz": "Europe/Moscow",
            # The vendor's key and secret are entered by the head from the vendor's account.
            "api_key": "demo-%s-key" % vendor, "api_secret": "demo-%s-secret" % vendor,
            "extension_ids": [(0, 0, {"code": code, "user_id": users[login].id, "vendor_name": users[login].name})
                              for code, login in sorted(extensions.items())],
        })


def generate(ctx):
    env = ctx.env
    rng = ctx.rng
    Touch = env["sales.touch"]
    _vendor_integrations(ctx)
    if Touch.search_count([]):
        return
    pbx, bot = _integrations(env, ctx.head)
    recording = base64.b64encode(_beep())
    login_of = {user.id: user.login for user in ctx.managers}
    now = datetime.combine(ctx.today, time(18, 0))
    call_no = 0
    for lead in ctx.leads:
        state = ctx.deal_states.get(lead.id, "open")
        factor = ACTIVITY.get(login_of.get(lead.user_id.id), 1.0)
        count = max(0, int(round(BASE_TOUCHES[state] * factor * rng.uniform(0.5, 1.5))))
        start = datetime.combine(ctx.deal_dates[lead.id], time(9, 0))
        end = min(now, lead.date_closed and datetime.strptime(lead.date_closed, "%Y-%m-%d %H:%M:%S") or now)
        span = max(1, int((end - start).total_seconds() // 60))
        for _n in range(count):
            kind = _pick_type(rng)
            moment = start + timedelta(minutes=rng.randrange(span))
            moment = moment.replace(hour=rng.randint(9, 18))
            direction = "in" if kind in ("email", "messenger", "call") and rng.random() < 0.35 else "out"
            vals = {
                "touch_type": kind, "direction": direction, "lead_id": lead.id,
                "date": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "outcome": rng.choice(OUTCOMES[kind]),
                "source": {"call": "telephony", "email": "email", "messenger": "messenger",
                           "proposal": "proposal", "meeting": "calendar"}[kind],
            }
            if kind == "call":
                call_no += 1
                answered = direction == "out" or rng.random() < 0.8
                vals.update(duration=round(rng.uniform(0.5, 14), 1) if answered else 0.0, answered=answered,
                            integration_id=pbx.id, external_ref="demo-call-%05d" % call_no,
                            phone_from=lead.mobile if direction == "in" else "+7 (495) 120-45-00",
                            phone_to="+7 (495) 120-45-00" if direction == "in" else lead.mobile)
                if not answered:
                    vals["outcome"] = "Пропущенный"
            elif kind == "meeting":
                vals["duration"] = float(rng.choice([30, 45, 60, 90]))
            elif kind == "messenger":
                vals.update(channel=rng.choice(CHANNELS), body=vals["outcome"], integration_id=bot.id,
                            external_ref="demo-msg-%05d" % (call_no * 10 + _n))
            touch = Touch._record(vals)
            if kind == "call" and vals["answered"] and rng.random() < 0.25:
                attachment = env["ir.attachment"].create({
                    "name": "call-%05d.wav" % call_no, "datas_fname": "call-%05d.wav" % call_no,
                    "datas": recording, "mimetype": "audio/wav",
                    "res_model": "sales.touch", "res_id": touch.id})
                touch._captured().write({"recording_attachment_id": attachment.id})
    _planned_work(ctx)
    # A few calls from numbers nobody knows: the head's "unmatched" list.
    for n in range(4):
        Touch._record({
            "touch_type": "call", "direction": "in", "source": "telephony", "answered": n % 2 == 0,
            "date": (now - timedelta(days=n, hours=n)).strftime("%Y-%m-%d %H:%M:%S"),
            "duration": 2.0 if n % 2 == 0 else 0.0, "integration_id": pbx.id,
            "external_ref": "demo-unknown-%d" % n, "phone_from": "+7 (812) 555-0%d-1%d" % (n, n),
            "phone_to": "+7 (495) 120-45-00", "user_id": ctx.head.id, "team_id": False,
        })


def _planned_work(ctx):
    """What managers have planned: call, meeting and КП activities on open
    deals, and calendar meetings (those of the last days become touches)."""
    env = ctx.env
    rng = ctx.rng
    lead_model = env["ir.model"]._get("crm.lead").id
    kinds = [("sales_control.mail_activity_type_call", "Позвонить: уточнить потребность"),
             ("sales_control.mail_activity_type_call", "Перезвонить по КП"),
             ("sales_control.mail_activity_type_meeting", "Встреча у клиента"),
             ("sales_control.mail_activity_type_proposal", "Подготовить КП")]
    open_deals = ctx.leads.filtered(lambda lead: ctx.deal_states.get(lead.id) == "open")
    Activity = env["mail.activity"].with_context(mail_create_nosubscribe=True)
    for lead in open_deals:
        if rng.random() < 0.4:
            xmlid, summary = rng.choice(kinds)
            Activity.create({
                "res_model_id": lead_model, "res_id": lead.id, "user_id": lead.user_id.id,
                "activity_type_id": env.ref(xmlid).id, "summary": summary,
                "date_deadline": str(ctx.today + timedelta(days=rng.randint(-3, 7))),
            })
    Event = env["calendar.event"].with_context(no_mail_to_attendees=True, mail_create_nolog=True)
    for lead in open_deals[:24]:
        start = datetime.combine(ctx.today + timedelta(days=rng.randint(-6, 6)), time(rng.randint(7, 13), 0))
        Event.create({
            "name": "Встреча: %s" % lead.partner_id.name, "opportunity_id": lead.id,
            "user_id": lead.user_id.id, "partner_ids": [(6, 0, [lead.user_id.partner_id.id])],
            "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "stop": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"), "duration": 1.0,
        })
    env["calendar.event"]._cron_record_meeting_touches()


def bulk(ctx):
    """Two or three touches per bulk deal (scale 2000: about 1.2 million)."""
    cr = ctx.env.cr
    first = max(ctx.leads.ids) + 1 if ctx.leads else 0
    cr.execute("SELECT setseed(%s)", (0.17,))
    cr.execute("""
        INSERT INTO sales_touch (summary, touch_type, direction, date, duration, source, answered, unmatched,
                                 user_id, team_id, lead_id, lead_user_id, partner_id, company_id,
                                 create_uid, write_uid, create_date, write_date)
        SELECT '/', t.kind, CASE WHEN k = 2 THEN 'in' ELSE 'out' END,
               least(now(), l.create_date + random() * interval '60 days'),
               CASE WHEN t.kind = 'call' THEN round((random() * 10)::numeric, 1) ELSE 0 END,
               CASE t.kind WHEN 'call' THEN 'telephony' WHEN 'email' THEN 'email' WHEN 'messenger'
                    THEN 'messenger' WHEN 'proposal' THEN 'proposal' ELSE 'calendar' END,
               TRUE, FALSE, l.user_id, l.team_id, l.id, l.user_id, l.partner_id, l.company_id,
               1, 1, now(), now()
          FROM crm_lead l
          CROSS JOIN LATERAL generate_series(1, 2 + (l.id %% 2)) k
          CROSS JOIN LATERAL (SELECT (ARRAY['call', 'call', 'email', 'messenger', 'proposal', 'meeting'])
                                     [1 + ((l.id + k) %% 6)] AS kind) t
         WHERE l.id >= %s
    """, (first,))
    cr.execute("ANALYZE sales_touch")
