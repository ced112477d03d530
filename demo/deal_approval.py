"""Demo of deal_approval: requests in every state, with contract PDFs.

Routes as a Russian department runs them: the standard one (the head of
sales, then the finance director from 1 000 000 ₽), small deals to the team
leader first, a long payment delay and a client's overdue debt to the finance
director; a new stage "Договор подписан" needs an approved document. The
PDFs of the requests are made when someone opens them (no wkhtmltopdf here,
to keep the generator fast).
"""
import base64
import io
import os
from datetime import datetime, timedelta

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
REASONS = [
    "Скидка больше 10 % без согласования с финансами",
    "Отсрочка платежа 60 дней недопустима при текущем долге клиента",
    "В договоре не та редакция раздела об ответственности",
]
TERMS = ["100 % предоплата", "50 % предоплата, 50 % по отгрузке", "Отсрочка 30 дней", "Отсрочка 14 дней"]
# (final state, resubmitted after a rejection)
PLAN = [
    ("waiting", False), ("waiting", False), ("waiting", False), ("waiting", True),
    ("approved", False), ("approved", False), ("approved", True),
    ("rejected", False), ("rejected", False), ("cancel", False),
]


def contract_pdf(title, lines):
    """A small real one-page PDF of a contract (reportlab)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    font = "Helvetica"
    if os.path.exists(FONT):
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))
        font = "DejaVuSans"
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    pdf.setFont(font, 14)
    pdf.drawString(72, 770, title)
    pdf.setFont(font, 10)
    for number, line in enumerate(lines):
        pdf.drawString(72, 740 - 16 * number, line)
    pdf.showPage()
    pdf.save()
    return base64.b64encode(stream.getvalue())


def setup(ctx):
    env = ctx.env
    findir = ctx.users["findir"]
    params = env["ir.config_parameter"].sudo()
    params.set_param("deal_approval.head_approver_id", ctx.head.id)
    params.set_param("deal_approval.second_approver_id", findir.id)
    # The standard route (head, then the finance director from 1,000,000)
    # ships on; the demo department also uses the ready-made ones.
    for xmlid in ("deal_approval.route_small_team_leader", "deal_approval.route_long_delay",
                  "deal_approval_receivables.route_overdue_debt"):
        route = env.ref(xmlid, raise_if_not_found=False)
        if route:
            route.active = True
    env.ref("deal_approval.group_deal_approver").write({"users": [(4, ctx.head.id), (4, findir.id)]})
    stage = env["crm.stage"].search([("name", "=", "Договор подписан")], limit=1)
    if not stage:
        stage = env["crm.stage"].create({"name": "Договор подписан", "sequence": 6, "probability": 90,
                                         "on_change": True, "approval_required": True})
    return stage


def generate(ctx):
    # Trusted code: no approval PDF, to spare wkhtmltopdf (about 1.3 s each).
    from odoo.addons.deal_approval.models.common import without_pdf_context
    env = ctx.env(context=dict(ctx.env.context, tracking_disable=False, mail_notrack=False,
                               **without_pdf_context()))
    Request = env["deal.approval.request"]
    if Request.search_count([]):
        return
    setup(ctx)
    rng = ctx.rng
    open_leads = [lead for lead in ctx.leads if ctx.deal_states.get(lead.id) == "open" and lead.partner_id]
    now = datetime.now()
    for number, (final, resubmitted) in enumerate(PLAN):
        lead = open_leads[(number * 7) % len(open_leads)]
        manager = lead.user_id
        amount = rng.choice([180000.0, 420000.0, 760000.0, 1350000.0, 2900000.0])
        request = Request.sudo(manager).create({
            "lead_id": lead.id, "document_type": "contract",
            "contract_file": contract_pdf("Договор поставки № %d-%s" % (100 + number, ctx.today.year), [
                "Покупатель: %s" % lead.partner_id.name,
                "Сумма: %s руб." % "{:,.2f}".format(amount).replace(",", " "),
                "Условия оплаты: %s" % TERMS[number % len(TERMS)],
            ]),
            "contract_filename": "dogovor-%d.pdf" % (100 + number),
            "amount": amount, "discount": rng.choice([0.0, 3.0, 5.0, 7.5, 12.0]),
            "payment_terms": TERMS[number % len(TERMS)],
            "expected_margin": round(amount * rng.uniform(0.12, 0.3), -3) if rng.random() < 0.7 else 0.0,
        })
        if final == "cancel":
            request.action_submit()
            request.sudo(manager).action_cancel()
            continue
        request.sudo(manager).action_submit()
        if resubmitted or final == "rejected":
            request.sudo(request.current_approver_id).action_reject(rng.choice(REASONS))
        if resubmitted:
            request.sudo(manager).write({"discount": 3.0})
            request.sudo(manager).action_submit()
        if final == "approved":
            # Each approver of the route in turn (team leader, head, finance
            # director, as the request's routes name them).
            for _turn in range(6):
                if request.state != "waiting" or not request.current_approver_id:
                    break
                request.sudo(request.current_approver_id).approve(comment="Согласовано")
        backdate(env, request, now - timedelta(hours=rng.randint(3, 24 * 20)), rng)


def backdate(env, request, start, rng):
    """Spread the dates so that the report shows real waiting times."""
    cr = env.cr
    moment = start
    cr.execute("UPDATE deal_approval_request SET submit_date = %s WHERE id = %s", (start, request.id))
    for step in request.step_ids.sorted(lambda s: (s.version, s.sequence)):
        if not step.date_start:
            continue
        cr.execute("UPDATE deal_approval_step SET date_start = %s WHERE id = %s", (moment, step.id))
        if step.date_decision:
            moment = min(moment + timedelta(hours=rng.randint(1, 60)), datetime.now())
            cr.execute("UPDATE deal_approval_step SET date_decision = %s WHERE id = %s", (moment, step.id))
    if request.decision_date:
        cr.execute("UPDATE deal_approval_request SET decision_date = %s WHERE id = %s", (moment, request.id))
    request.invalidate_cache()
