"""Demo of the receivables addon: contracts with payment schedules for the
won deals, and the 1C side of the same story.

The 1C side is made here once, from the seeded RNG, and written to
``.local/onec_demo.json``: the 1C stand-in (``python -m onec.server``) serves
that file (contract version 2, see onec/server.py), and the same receipts are
imported into Odoo through the addon's importer. The backend's cursor is set
to the number of receipts, so a sync against the stand-in finds them all
unchanged.

What 1C holds, as a Russian department's accountant would have it:

* the catalog of contracts (ДоговорыКонтрагентов), one per won deal, one of
  them in US dollars;
* shipments (РеализацияТоваровУслуг) per contract: mostly shipped before
  the planned receipt (the client owes until he pays), some contracts paid
  in advance (the money comes first: a negative balance on account 62);
* bank receipts (ПоступлениеНаРасчетныйСчет) with their РасшифровкаПлатежа
  lines; a client with several contracts often pays two or three invoices
  under different contracts with one payment order (one receipt, one line
  per contract); the dollar contract's lines carry their rouble amounts;
* cash receipts (ПриходныйКассовыйОрдер) in the old shape: the contract on
  the document, no lines;
* a payer unknown to the CRM (with his own "Основной договор"), a receipt
  marked for deletion;
* a bank receipt that is not a customer payment (ВидОперации
  ПрочееПоступление: the bank's interest, no contract): 1C's SOAP module does
  not send it, a client of the standard OData interface has to skip it.
"""
import json
import math
import os
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_FILE = os.path.join(ROOT, ".local", "onec_demo.json")
EMPTY_DATE = "0001-01-01T00:00:00"
BANK, CASH, SALE = "ПоступлениеНаРасчетныйСчет", "ПриходныйКассовыйОрдер", "РеализацияТоваровУслуг"
VAT = "В т.ч. НДС 20%"


def _guid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso(day):
    return day.strftime("%Y-%m-%dT00:00:00")


def _ru(day):
    return day.strftime("%d.%m.%Y")


def usd_rate(day):
    """The Bank of Russia's dollar rate of a day, as the demo has it (roubles per dollar)."""
    return round(91.0 + 3.5 * math.sin(day.toordinal() / 23.0) + (day.toordinal() % 7) * 0.11, 4)


def _money(amount):
    return "%.2f" % amount


def _line(key, cjson, amount, amount_rub=None):
    line = {"LineKey": str(key), "ContractGUID": cjson["ContractGUID"], "ContractNumber": cjson["ContractNumber"],
            "ContractDate": cjson["ContractDate"], "Amount": _money(amount)}
    if amount_rub is not None:
        line["AmountRUB"] = _money(amount_rub)
    return line


def _receipt(rng, day, party, items, purpose, cash=False):
    """One 1C receipt of ``items`` [(contract json, amount)]: a bank receipt
    with one line per contract, or a cash receipt in the old shape."""
    currency = items[0][0]["Currency"]
    doc = {
        "GUID": _guid(rng), "DocumentType": CASH if cash else BANK, "Number": "", "Date": _iso(day),
        "Posted": True, "DeletionMark": False,
        "CounterpartyGUID": party["guid"], "CounterpartyName": party["name"],
        "CounterpartyINN": party["inn"], "CounterpartyKPP": party["kpp"],
        "Amount": _money(sum(amount for _c, amount in items)), "Currency": currency, "PaymentPurpose": purpose,
    }
    if cash:
        cjson = items[0][0]
        doc.update(ContractGUID=cjson["ContractGUID"], ContractNumber=cjson["ContractNumber"],
                   ContractDate=cjson["ContractDate"])
    else:
        rate = usd_rate(day) if currency == "USD" else None
        doc["Lines"] = [_line(k, cjson, amount, None if rate is None else amount * rate)
                        for k, (cjson, amount) in enumerate(items, 1)]
        if rate is not None:
            doc["Rate"] = rate
    return doc


def doc_to_client_dict(doc):
    """A stand-in JSON receipt in the shape the 1C client (the adapter)
    returns: the spec's dict with "lines"; a receipt without lines gets one
    synthesised line with key "" from its document-level contract."""
    def date(text):
        return None if not text or text.startswith("0001") else datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    if doc.get("Lines") is not None:
        lines = [{"key": line["LineKey"], "contract_guid": line.get("ContractGUID") or "",
                  "contract_number": line.get("ContractNumber") or "", "contract_date": date(line.get("ContractDate")),
                  "amount": Decimal(line["Amount"])} for line in doc["Lines"]]
    else:
        lines = [{"key": "", "contract_guid": doc.get("ContractGUID") or "",
                  "contract_number": doc.get("ContractNumber") or "", "contract_date": date(doc.get("ContractDate")),
                  "amount": Decimal(doc["Amount"])}]
    return {
        "guid": doc["GUID"], "doc_type": doc["DocumentType"], "number": doc["Number"], "date": date(doc["Date"]),
        "posted": doc["Posted"], "deletion_mark": doc["DeletionMark"], "partner_guid": doc["CounterpartyGUID"],
        "partner_name": doc["CounterpartyName"], "inn": doc["CounterpartyINN"], "kpp": doc["CounterpartyKPP"],
        "amount": Decimal(doc["Amount"]), "currency": doc["Currency"].upper(), "purpose": doc["PaymentPurpose"],
        "lines": lines,
    }


def _purpose(items):
    if len(items) == 1:
        cjson = items[0][0]
        return "Оплата по договору № %s от %s. %s" % (cjson["ContractNumber"], _ru(cjson["_date"]), VAT)
    return "Оплата по договорам %s. %s" % (", ".join(
        "№ %s от %s" % (c["ContractNumber"], _ru(c["_date"])) for c, _a in items), VAT)


def _party(cjson):
    """The counterparty of a contract, as its receipts carry it."""
    return {"guid": cjson["CounterpartyGUID"], "name": cjson["CounterpartyName"], "inn": cjson["CounterpartyINN"],
            "kpp": cjson["CounterpartyKPP"]}


def _group_receipts(rng, items, today):
    """Payments of one client planned close together often go out as one
    payment order over their contracts: [(day, party, [(cjson, amount)], cash)]."""
    receipts = []
    by_client = {}
    for item in items:
        by_client.setdefault(item["client"], []).append(item)
    for client_items in by_client.values():
        client_items.sort(key=lambda i: (i["day"], i["cjson"]["ContractNumber"]))
        used = set()
        for n, item in enumerate(client_items):
            if n in used:
                continue
            used.add(n)
            group = [item]
            if not item["cash"] and item["cjson"]["Currency"] == "RUB" and rng.random() < 0.7:
                for m in range(n + 1, len(client_items)):
                    other = client_items[m]
                    if (m in used or other["cash"] or other["cjson"]["Currency"] != "RUB"
                            or (other["day"] - item["day"]).days > 45
                            or any(g["cjson"] is other["cjson"] for g in group)):
                        continue
                    group.append(other)
                    used.add(m)
                    if len(group) == 3 or rng.random() < 0.5:
                        break
            day = min(max(g["day"] for g in group), today)
            receipts.append((day, item["party"], [(g["cjson"], g["amount"]) for g in group], item["cash"]))
    return receipts


def generate(ctx):
    env = ctx.env
    rng = ctx.rng
    today = ctx.today
    Contract = env["receivables.contract"].with_context(tracking_disable=True, mail_create_nolog=True)
    won = [lead for lead in ctx.leads if ctx.deal_states.get(lead.id) == "won" and lead.partner_id]
    usd = env.ref("base.USD")
    # The one dollar contract: a deal in the middle of the list (the demo's import-export client).
    usd_index = len(won) // 2 if len(won) > 2 else -1
    if usd_index >= 0:
        usd.active = True
        company = env.user.company_id
        Rate = env["res.currency.rate"]
        for back in range(0, 400, 7):
            day = today - timedelta(days=back)
            Rate.create({"name": day.strftime("%Y-%m-%d"), "currency_id": usd.id, "company_id": company.id,
                         "rate": round(1.0 / usd_rate(day), 8)})
    partners = {}
    contracts_json, sales, items = [], [], []
    for index, lead in enumerate(won):
        client = lead.partner_id.commercial_partner_id
        info = partners.setdefault(client.id, {"guid": _guid(rng), "name": client.name, "inn": client.vat or "",
                                               "kpp": getattr(client, "kpp", "") or ""})
        signed = datetime.strptime(lead.date_closed[:10], "%Y-%m-%d").date()
        in_usd = index == usd_index
        total = max(30000.0, round(lead.planned_revenue or 100000.0, -3))
        if in_usd:
            total = max(1000.0, round(total / usd_rate(signed), -2))
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
        values = {"name": "Д-%s/%03d" % (signed.year, index + 1), "date": signed.strftime("%Y-%m-%d"),
                  "partner_id": client.id, "lead_id": lead.id, "user_id": lead.user_id.id,
                  "onec_guid": _guid(rng), "line_ids": lines}
        if in_usd:
            values.update(name="Д-%s/%03d-USD" % (signed.year, index + 1), currency_id=usd.id)
        contract = Contract.create(values)
        cjson = {"ContractGUID": contract.onec_guid, "ContractNumber": contract.name,
                 "ContractDate": _iso(signed), "CounterpartyGUID": info["guid"], "CounterpartyName": info["name"],
                 "CounterpartyINN": info["inn"], "CounterpartyKPP": info["kpp"],
                 "Currency": "USD" if in_usd else "RUB", "_date": signed}
        contracts_json.append(cjson)
        # How the goods go: after the contract's schedule (shipped, then paid)
        # or, for some clients, paid in advance and shipped later.
        prepaid = rng.random() < 0.2
        for line in contract.line_ids:
            planned = datetime.strptime(line.date, "%Y-%m-%d").date()
            shipped = planned + timedelta(days=rng.randint(3, 30)) if prepaid else \
                planned - timedelta(days=rng.randint(5, 25))
            shipped = max(shipped, signed)
            if shipped > today:
                continue
            sale = {"GUID": _guid(rng), "DocumentType": SALE, "Number": "РТ00-%06d" % (len(sales) + 1),
                    "Date": _iso(shipped), "ContractGUID": cjson["ContractGUID"], "Amount": _money(line.amount),
                    "Posted": True, "DeletionMark": False}
            if in_usd:
                sale["AmountRUB"] = _money(line.amount * usd_rate(shipped))
            sales.append(sale)
        # How this client pays: on time, late and partly, or not at all
        # (the dollar client is late: his debt shows in dollars and roubles).
        habit = rng.random() if not in_usd else 0.6
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
            items.append({"client": client.id, "party": info, "cjson": cjson, "amount": paid,
                          "day": min(day, today), "cash": not in_usd and rng.random() < 0.08})
    receipts = _group_receipts(rng, items, today)
    # Something paid today, for the evening list.
    for cjson in contracts_json[:3]:
        party = _party(cjson)
        amount = rng.choice([25000, 50000, 120000]) if cjson["Currency"] == "RUB" else 500
        receipts.append((today, party, [(cjson, amount)], False))
    # One payment order over three contracts of the client who has most of them.
    by_client = {}
    for cjson in contracts_json:
        if cjson["Currency"] == "RUB":
            by_client.setdefault(cjson["CounterpartyGUID"], []).append(cjson)
    biggest = max(by_client.values(), key=len) if by_client else []
    if len(biggest) >= 2:
        group = [(cjson, rng.choice([15000, 30000, 45000])) for cjson in biggest[:3]]
        receipts.append((today - timedelta(days=1), _party(biggest[0]), group, False))
    # The dollar client got a further shipment last week and has not paid it yet.
    for cjson in contracts_json:
        if cjson["Currency"] == "USD":
            shipped = today - timedelta(days=6)
            amount = 1500.0
            sales.append({"GUID": _guid(rng), "DocumentType": SALE, "Number": "РТ00-%06d" % (len(sales) + 1),
                          "Date": _iso(shipped), "ContractGUID": cjson["ContractGUID"], "Amount": _money(amount),
                          "AmountRUB": _money(amount * usd_rate(shipped)), "Posted": True, "DeletionMark": False})
    # A payer unknown to the CRM waits in "Unmatched payments": 1C has his contract, the CRM has not.
    stranger = {"guid": _guid(rng), "name": "ООО «Неизвестный плательщик»", "inn": "7701999990", "kpp": "770101001"}
    stranger_contract = {"ContractGUID": _guid(rng), "ContractNumber": "Основной договор", "ContractDate": EMPTY_DATE,
                         "CounterpartyGUID": stranger["guid"], "CounterpartyName": stranger["name"],
                         "CounterpartyINN": stranger["inn"], "CounterpartyKPP": stranger["kpp"], "Currency": "RUB",
                         "_date": today}
    for k in range(2):
        day = today - timedelta(days=k * 3)
        receipts.append((day, stranger, [(stranger_contract, 15000 + 5000 * k)], k == 1))
    receipts.sort(key=lambda r: r[0])
    docs = []
    counters = {BANK: 0, CASH: 0}
    for day, party, group, cash in receipts:
        doc = _receipt(rng, day, party, group, _purpose(group) if party is not stranger
                       else "Оплата по счету № %d" % (100 + len(docs) % 7), cash=cash)
        counters[doc["DocumentType"]] += 1
        doc["Number"] = "%s-%06d" % ("КО00" if cash else "ТС00", counters[doc["DocumentType"]])
        docs.append(doc)
    # A receipt marked for deletion in 1C.
    if docs:
        docs[0]["DeletionMark"] = True
    # Not a customer payment: the bank's interest on the balance (no contract, not on account 62).
    bank = {"guid": _guid(rng), "name": "ПАО «Банк Развитие»", "inn": "7702000406", "kpp": "775001001"}
    counters[BANK] += 1
    docs.append({
        "GUID": _guid(rng), "DocumentType": BANK, "OperationKind": "ПрочееПоступление",
        "Number": "ТС00-%06d" % counters[BANK], "Date": _iso(today - timedelta(days=1)), "Posted": True,
        "DeletionMark": False, "CounterpartyGUID": bank["guid"], "CounterpartyName": bank["name"],
        "CounterpartyINN": bank["inn"], "CounterpartyKPP": bank["kpp"], "Amount": _money(1234.56),
        "Currency": "RUB", "PaymentPurpose": "Проценты на остаток денежных средств на счете",
        "Lines": [{"LineKey": "1", "ContractGUID": "", "ContractNumber": "", "ContractDate": "",
                   "Amount": _money(1234.56)}]})
    catalog = [{k: v for k, v in c.items() if not k.startswith("_")} for c in contracts_json + [stranger_contract]]
    data = {"generated": today.strftime("%Y-%m-%d"), "payments": docs, "contracts": catalog, "sales": sales}
    os.makedirs(os.path.dirname(DATA_FILE), exist_ok=True)
    with open(DATA_FILE, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)

    backend = env.ref("receivables.onec_backend_main")
    port = odoo.tools.config.get("onec_stand_in_port") or 8081
    backend.write({"wsdl_url": "http://127.0.0.1:%s/buh/ws/Payments.1cws?wsdl" % port,
                   "username": "Обмен", "password": "secret"})
    log = env["receivables.sync.log"].create({"backend_id": backend.id, "trigger": "manual", "cursor_from": "0"})
    batch = [doc_to_client_dict(d) for d in docs if not d.get("OperationKind")]  # customer payments only
    counts = env["receivables.onec.importer"]._import_batch(backend, batch, log)
    log.add_counts(counts)
    backend.cursor = str(len(docs))
    log.write({"state": "done", "finished": odoo.fields.Datetime.now(), "cursor_to": backend.cursor,
               "details": (log.details or "") + "Демо: загружено из %s\n" % DATA_FILE})
