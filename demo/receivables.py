"""Demo of the receivables addon: contracts with payment schedules for the
won deals, and the 1C side of the same story.

The payments are made here once, from the seeded RNG, and written to
``.local/onec_demo.json``: the 1C stand-in (``python -m onec.server``) serves
that file, and the same documents are imported into Odoo through the
addon's own import code. The backend's cursor is set to the number of
documents, so a sync against the stand-in finds them all unchanged.
"""
import json
import os
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_FILE = os.path.join(ROOT, ".local", "onec_demo.json")
EMPTY_DATE = "0001-01-01T00:00:00"


def _guid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso(day):
    return day.strftime("%Y-%m-%dT00:00:00")


def _doc(rng, number, day, partner, contract, amount, purpose, cash=False):
    return {
        "GUID": _guid(rng),
        "DocumentType": "ПриходныйКассовыйОрдер" if cash else "ПоступлениеНаРасчетныйСчет",
        "Number": "%s-%06d" % ("ТС00" if not cash else "КО00", number),
        "Date": _iso(day),
        "Posted": True,
        "DeletionMark": False,
        "CounterpartyGUID": partner["guid"],
        "CounterpartyName": partner["name"],
        "CounterpartyINN": partner["inn"],
        "CounterpartyKPP": partner["kpp"],
        "ContractGUID": contract["ContractGUID"] if contract else "",
        "ContractNumber": contract["ContractNumber"] if contract else "",
        "ContractDate": contract["ContractDate"] if contract else EMPTY_DATE,
        "Amount": "%.2f" % amount,
        "Currency": "RUB",
        "PaymentPurpose": purpose,
    }


def doc_to_client_dict(doc):
    """A stand-in JSON document in the shape the zeep client returns."""
    def date(text):
        return None if not text or text.startswith("0001") else datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    return {
        "guid": doc["GUID"], "doc_type": doc["DocumentType"], "number": doc["Number"], "date": date(doc["Date"]),
        "posted": doc["Posted"], "deletion_mark": doc["DeletionMark"], "partner_guid": doc["CounterpartyGUID"],
        "partner_name": doc["CounterpartyName"], "inn": doc["CounterpartyINN"], "kpp": doc["CounterpartyKPP"],
        "contract_guid": doc["ContractGUID"], "contract_number": doc["ContractNumber"],
        "contract_date": date(doc["ContractDate"]), "amount": Decimal(doc["Amount"]),
        "currency": doc["Currency"], "purpose": doc["PaymentPurpose"],
    }


def generate(ctx):
    env = ctx.env
    rng = ctx.rng
    today = ctx.today
    Contract = env["receivables.contract"].with_context(tracking_disable=True, mail_create_nolog=True)
    won = [lead for lead in ctx.leads if ctx.deal_states.get(lead.id) == "won" and lead.partner_id]
    partners = {}
    contracts_json, docs = [], []
    number = 0
    for index, lead in enumerate(won):
        client = lead.partner_id.commercial_partner_id
        info = partners.setdefault(client.id, {"guid": _guid(rng), "name": client.name, "inn": client.vat or "",
                                               "kpp": getattr(client, "kpp", "") or ""})
        signed = datetime.strptime(lead.date_closed[:10], "%Y-%m-%d").date()
        total = max(30000.0, round(lead.planned_revenue or 100000.0, -3))
        parts = rng.choice([1, 2, 3, 4])
        step = rng.choice([30, 30, 45, 60])
        share = round(total / parts, 2)
        lines = []
        for k in range(parts):
            amount = share if k < parts - 1 else round(total - share * (parts - 1), 2)
            lines.append((0, 0, {"date": (signed + timedelta(days=10 + step * k)).strftime("%Y-%m-%d"),
                                 "amount": amount}))
        if rng.random() < 0.3:
            # A receipt planned for the rest of this month: "due" (yellow).
            month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            lines.append((0, 0, {"date": (today + timedelta(days=rng.randint(0, (month_end - today).days)))
                                 .strftime("%Y-%m-%d"), "amount": round(total * 0.2, 2)}))
        contract = Contract.create({
            "name": "Д-%s/%03d" % (signed.year, index + 1), "date": signed.strftime("%Y-%m-%d"),
            "partner_id": client.id, "lead_id": lead.id, "user_id": lead.user_id.id,
            "onec_guid": _guid(rng), "line_ids": lines,
        })
        cjson = {"ContractGUID": contract.onec_guid, "ContractNumber": contract.name,
                 "ContractDate": _iso(signed), "CounterpartyGUID": info["guid"], "CounterpartyName": info["name"],
                 "CounterpartyINN": info["inn"], "CounterpartyKPP": info["kpp"], "Currency": "RUB",
                 "Amount": "%.2f" % total}
        contracts_json.append(cjson)
        # How this client pays: on time, late and partly, or not at all.
        habit = rng.random()
        for line in contract.line_ids:
            planned = datetime.strptime(line.date, "%Y-%m-%d").date()
            if planned > today + timedelta(days=5):
                continue
            if habit < 0.55 or (today - planned).days > 120:
                paid, day = line.amount, planned + timedelta(days=rng.randint(-3, 5))
            elif habit < 0.85:
                paid, day = round(line.amount * rng.choice([0.3, 0.5, 0.7]), 2), planned + timedelta(
                    days=rng.randint(0, 20))
            else:
                continue
            day = min(day, today)
            number += 1
            docs.append(_doc(rng, number, day, info, cjson, paid,
                             "Оплата по договору № %s от %s. В т.ч. НДС 20%%" % (
                                 contract.name, signed.strftime("%d.%m.%Y")), cash=rng.random() < 0.05))
    # Something paid today, for the evening list.
    for cjson in contracts_json[:3]:
        number += 1
        info = {"guid": cjson["CounterpartyGUID"], "name": cjson["CounterpartyName"],
                "inn": cjson["CounterpartyINN"], "kpp": cjson["CounterpartyKPP"]}
        docs.append(_doc(rng, number, today, info, cjson, rng.choice([25000, 50000, 120000]),
                         "Оплата по договору № %s" % cjson["ContractNumber"]))
    # A payer unknown to the CRM waits in "Unmatched payments".
    stranger = {"guid": _guid(rng), "name": "ООО «Неизвестный плательщик»", "inn": "7701999990", "kpp": "770101001"}
    for k in range(2):
        number += 1
        docs.append(_doc(rng, number, today - timedelta(days=k * 3), stranger, None, 15000 + 5000 * k,
                         "Оплата по счету № %d" % (100 + k)))
    # A document marked for deletion in 1C.
    if docs:
        docs[0]["DeletionMark"] = True
    data = {"generated": today.strftime("%Y-%m-%d"), "payments": docs, "contracts": contracts_json}
    os.makedirs(os.path.dirname(DATA_FILE), exist_ok=True)
    with open(DATA_FILE, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)

    backend = env.ref("receivables.onec_backend_main")
    port = odoo.tools.config.get("onec_stand_in_port") or 8081
    backend.write({"wsdl_url": "http://127.0.0.1:%s/buh/ws/Payments.1cws?wsdl" % port,
                   "username": "Обмен", "password": "secret"})
    log = env["receivables.sync.log"].create({"backend_id": backend.id, "trigger": "manual", "cursor_from": "0"})
    Payment = env["receivables.payment"]
    batch = [doc_to_client_dict(d) for d in docs]
    counts = Payment._onec_import_batch(batch, log)
    log.add_counts(counts)
    backend.cursor = str(len(docs))
    log.write({"state": "done", "finished": odoo.fields.Datetime.now(), "cursor_to": backend.cursor,
               "details": (log.details or "") + "Демо: загружено из %s\n" % DATA_FILE})
