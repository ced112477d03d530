"""Prepares a demo database for the load benchmark (scripts/load.sh): N
salesmen ``load_sm_001``.. (password = login) in the demo's teams, each with
a few clients (companies with a phone) and open deals, and the 1C connection
pointed at the load run's stand-in. Writes what the Locust users need to a
JSON file. Idempotent: run again, it reuses what it made."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import argument_parser, odoo_registry  # noqa: E402  pylint: disable=wrong-import-position

DEALS_PER_SALESMAN = 3
WAITING_ON_HEAD = 12  # approval requests waiting on the head at the start of each run


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--salesmen", type=int, default=50)
    parser.add_argument("--onec-port", type=int, required=True)
    parser.add_argument("--onec-data", required=True, help="the JSON file the run's 1C stand-in serves")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    registry = odoo_registry(args)
    import odoo
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        context = {"tracking_disable": True, "no_reset_password": True, "mail_create_nosubscribe": True}
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
        group = env.ref("sales_team.group_sale_salesman")
        teams = env["crm.team"].search([("member_ids", "!=", False)], order="id") or env["crm.team"].search([])
        stage = env["crm.stage"].search([("probability", "<", 100)], order="sequence", limit=1)
        salesmen = []
        for number in range(1, args.salesmen + 1):
            login = "load_sm_%03d" % number
            user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
            team = teams[number % len(teams)]
            if not user:
                user = env["res.users"].create({
                    "name": "Нагрузка %03d" % number, "login": login, "password": login,
                    "groups_id": [(6, 0, [group.id])], "sale_team_id": team.id, "lang": "ru_RU",
                    "tz": "Europe/Moscow", "email": "%s@load.example" % login})
            elif not user.email:
                user.email = "%s@load.example" % login
            phones, leads = [], []
            for deal in range(DEALS_PER_SALESMAN):
                phone = "+7 (900) %03d-%02d-%02d" % (number, deal, 77)
                partner = env["res.partner"].search([("phone", "=", phone)], limit=1) or env["res.partner"].create({
                    "name": "ООО «Нагрузка %03d-%d»" % (number, deal), "is_company": True, "phone": phone,
                    "user_id": user.id})
                lead = env["crm.lead"].search([("partner_id", "=", partner.id), ("user_id", "=", user.id)], limit=1)
                if not lead:
                    lead = env["crm.lead"].create({
                        "name": "Поставка %03d-%d" % (number, deal), "type": "opportunity",
                        "partner_id": partner.id, "user_id": user.id, "team_id": team.id,
                        "stage_id": stage.id, "planned_revenue": 100000 + number * 1000 + deal})
                phones.append(phone)
                leads.append(lead.id)
            salesmen.append({"login": login, "password": login, "phones": phones, "leads": leads})
        submit_for_the_head(env, [lead for salesman in salesmen for lead in salesman["leads"]])
        backend = env.ref("receivables.onec_backend_main")
        # scripts/load.sh starts the run's stand-in afresh from --onec-data:
        # its change numbers start again after that file's receipts, so the
        # cursor does too (as the demo sets it), or a later run's receipts
        # would fall behind the cursor of an earlier one.
        with open(args.onec_data) as handle:
            known = len(json.load(handle)["payments"])
        backend.write({"wsdl_url": "http://127.0.0.1:%d/buh/ws/Payments.1cws?wsdl" % args.onec_port,
                       "username": "Обмен", "password": "secret", "active": True, "cursor": str(known)})
        # The client whose new receipts 1C sends in the middle of the run.
        payer = env["res.partner"].search([("is_company", "=", True), ("vat", "!=", False)], limit=1)
        call_type = env["mail.activity.type"].search([("sales_touch_type", "=", "call")], limit=1)
        data = {
            "database": args.database, "salesmen": salesmen,
            "head": {"login": "head", "password": "head"},
            # The demo's integrations of the JSON webhooks (docs/telephony-webhooks.md).
            "pbx_token": "demo-pbx-token", "messenger_token": "demo-messenger-token",
            "call_activity_type": call_type.id, "backend": backend.id,
            "payer": {"inn": payer.vat, "name": payer.name},
            "onec_port": args.onec_port,
        }
        cr.commit()
    with open(args.out, "w") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    print("prepared %d salesmen with %d deals each in %s" % (args.salesmen, DEALS_PER_SALESMAN, args.database))


def submit_for_the_head(env, lead_ids):
    """Contracts of the load's deals submitted until WAITING_ON_HEAD wait on
    the head (each earlier approver of their route approves first), so that
    every run's head has something to approve from the kanban."""
    from odoo.addons.deal_approval.models.common import without_pdf_context
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from demo.deal_approval import contract_pdf  # pylint: disable=import-outside-toplevel
    head = env["res.users"].search([("login", "=", "head")])
    Request = env["deal.approval.request"].with_context(**without_pdf_context())
    waiting = Request.search_count([("state", "=", "waiting"), ("current_approver_id", "=", head.id)])
    for lead in env["crm.lead"].browse(lead_ids):
        if waiting >= WAITING_ON_HEAD:
            break
        if Request.search_count([("lead_id", "=", lead.id), ("state", "in", ("draft", "waiting"))]):
            continue
        request = Request.sudo(lead.user_id).create({
            "lead_id": lead.id, "document_type": "contract", "amount": 1350000.0,
            "contract_file": contract_pdf("Договор поставки %s" % lead.name, ["Покупатель: %s" % lead.partner_id.name]),
            "contract_filename": "dogovor-%d.pdf" % lead.id, "payment_terms": "100 % предоплата"})
        request.sudo(lead.user_id).action_submit()
        for _turn in range(6):
            approver = request.current_approver_id
            if request.state != "waiting" or not approver or approver == head:
                break
            request.sudo(approver).approve(comment="Согласовано")
        waiting += request.state == "waiting" and request.current_approver_id == head


if __name__ == "__main__":
    main()
