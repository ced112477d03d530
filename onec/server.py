"""1C stand-in: serves ``Payments.wsdl`` (contract version 2) and answers its operations.

    python -m onec.server --host 127.0.0.1 --port 8081 [--data FILE]
        [--publication buh] [--user Обмен] [--password secret]

It behaves like a 1C:Enterprise 8.3 web service published through the web
extension (see ../shared/ONEC.md and docs/1c-integration.md):

* ``GET /<publication>/ws/Payments.1cws?wsdl`` returns the published WSDL
  (``/ws/Payments?wsdl`` works too), behind HTTP Basic with a Cyrillic user
  name sent as UTF-8;
* ``POST`` to the same address answers the SOAP 1.1 or SOAP 1.2 operations
  ``GetPayments``, ``GetSettlements`` and ``Ping`` (document/literal wrapped);
  errors are HTTP 500 with a SOAP Fault carrying Russian text, like 1C's
  (a SOAP 1.2 request gets a SOAP 1.2 fault);
* ``GET /<publication>/odata/standard.odata/...`` is the base's standard
  OData interface over the same infobase (onec/odata.py).

The infobase
------------
The data come from a JSON file (``--data``, default ``.local/onec_demo.json``,
written by the demo generator ``demo/receivables.py``) and can be replaced at
runtime. It holds three lists:

``payments``
    receipts (ПоступлениеНаРасчетныйСчет, ПриходныйКассовыйОрдер). A receipt
    carries its РасшифровкаПлатежа as ``Lines`` (``LineKey``, ``ContractGUID``,
    ``ContractNumber``, ``ContractDate``, ``Amount``, optional ``AmountRUB``);
    the document's ``Amount`` is the sum of its lines (computed when left
    out; a different one given is kept, as a written but unposted 1C
    document or a careless module may have it, for the client to refuse).
    A receipt stored in the old shape (document-level ``ContractGUID`` /
    ``ContractNumber`` / ``ContractDate``, no ``Lines``) is answered as it
    was stored: the document-level fields and no ``Lines`` element. Optional
    ``Rate`` (roubles per unit of the currency) converts to roubles. Optional
    ``OperationKind`` (ВидОперации; absent = ``ОплатаПокупателя``): a receipt
    of another kind (``ПрочееПоступление``) is not a customer payment, posts
    nothing to account 62 and is not answered by ``GetPayments``, as the kit's
    module registers customer payments only; one that was a customer payment
    and changes its kind is answered as unposted (it left the set). The
    standard OData interface (onec/odata.py) serves the same infobase.
``contracts``
    the catalog ДоговорыКонтрагентов (GUID, number, date, counterparty,
    ``Currency``); a line that names a contract by GUID only gets its number
    and date from here, as 1C dereferences a reference.
``sales``
    РеализацияТоваровУслуг (``GUID``, ``Date``, ``ContractGUID``, ``Amount``
    in the contract currency, optional ``AmountRUB`` / ``Rate``, ``Posted``,
    ``DeletionMark``): the debit of account 62.

Every change of a receipt takes the next change number; ``GetPayments``
returns receipts with a change number above the given ``Cursor``, like an
exchange plan's message numbers. Sales take no change number (they are not
exchanged, only counted in the settlements).

Settlements
-----------
``GetSettlements(Date, CounterpartyINN)`` answers what a 1C:Бухгалтерия 3.0
module reads from ``РегистрБухгалтерии.Хозрасчетный.Остатки`` for account 62
by the subconto Контрагенты / Договоры: per contract, debit (posted sales not
marked for deletion) minus credit (lines of posted receipts not marked for
deletion), of the documents dated on or before ``Date`` (a date at midnight
means the whole day, as ``КонецДня``; empty = now). ``Balance`` is in the
contract currency, ``BalanceRUB`` in roubles: each movement's ``AmountRUB``,
else its ``Amount`` times its document's ``Rate``, else its ``Amount`` when
the contract is in roubles; when a movement has none of these, ``BalanceRUB``
is left out. Only contracts with movements up to the date appear; a negative
balance is an advance. ``CounterpartyINN`` filters. Lines with no contract at
all (neither GUID nor number) post nowhere on account 62 by contract and are
not counted.

Control endpoint
----------------
``/__control__`` (no authentication, loopback only)::

    GET  /__control__                        -> the state as JSON
    POST /__control__  {"mode": "lock", "after": 1, "times": 2, "delay": 3}
    POST /__control__  {"style": "raw1c"}    (or "contract", the default)
    POST /__control__  {"payments": [...], "contracts": [...], "sales": [...]}
                                             (replace the infobase; a list left out is emptied)
    POST /__control__  {"upsert": [...]}     (add or change documents, see below)
    POST /__control__  {"reset": true}       (mode normal, style contract, counters zero)

``upsert`` takes a list of documents, or a dict ``{"payments": [...],
"sales": [...], "contracts": [...]}``. In a list, a document whose
``DocumentType`` is ``РеализацияТоваровУслуг`` is a sale, one with a
``ContractGUID`` and ``CounterpartyINN`` but no ``GUID`` a contract, any other
a receipt. A known GUID is changed the way an accountant changes it in 1C:
the fields given replace the stored ones (``{"GUID": g, "Posted": false}``
unposts, ``{"GUID": g, "DeletionMark": true}`` marks for deletion, new
``Lines`` move money between contracts, an ``Amount`` alone corrects a
one-line receipt and its line, a document-level contract without ``Lines``
turns it into the old shape), and the receipt takes a new change number.
Data the stand-in cannot hold (no GUID, a sale without a contract, a sum
that is not a number) is refused with 400.

Modes (each SOAP call counts; ``after`` lets that many calls through
normally first; ``times`` limits how many calls fail, -1: all):

``normal``; ``slow`` (sleep ``delay`` seconds, then answer); ``http500``
(HTML error page, 500); ``http502`` (the web server's HTML page, 502);
``lock`` (alias ``fault``: SOAP fault with 1C's lock-conflict text);
``rights`` (SOAP fault: 1C's "Нарушение прав доступа!"); ``busy`` (503 with
the web extension's text: the publication's session pool is exhausted);
``nolicense`` (503: no free licence); ``malformed`` (200, not XML);
``truncated`` (200, XML cut in the middle); ``badauth`` (401 whatever the
credentials); ``duplicate`` (every receipt twice in the answer).

Styles: ``contract`` answers as the contract's kit tells the 1C programmer
to (empty strings for empty references and values, ``0001-01-01T00:00:00``
for empty dates, letter currency codes, money with two decimals).
``raw1c`` answers as an unprepared 1C module would (XDTO serialising 1C
values as they are): the all-zero GUID for an empty reference,
``xsi:nil="true"`` for an empty value of a nillable element, the numeric
ОКВ currency code (``643``), money in 1C's shortest form (``1500``,
``99.5``) and, like ``Остатки``, no settlement rows with a zero balance.
"""
import argparse
import base64
import json
import os
import threading
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WSDL_PATH = os.path.join(HERE, "Payments.wsdl")
DEFAULT_DATA = os.path.join(ROOT, ".local", "onec_demo.json")
NS = "http://tehnosnab.example/exchange/payments"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EMPTY_DATE = "0001-01-01T00:00:00"
EMPTY_REF = "00000000-0000-0000-0000-000000000000"
SALE_TYPE = "РеализацияТоваровУслуг"
CUSTOMER_KINDS = ("", "ОплатаПокупателя", "ПоступлениеОплатыОтКлиента")
MODES = ("normal", "slow", "http500", "http502", "lock", "fault", "rights", "busy", "nolicense",
         "malformed", "truncated", "badauth", "duplicate")
STYLES = ("contract", "raw1c")
# ОКВ codes, as 1C's catalog Валюты holds them (Код).
NUMERIC_CURRENCY = {"RUB": "643", "RUR": "643", "USD": "840", "EUR": "978", "CNY": "156", "KZT": "398",
                    "BYN": "933", "GBP": "826", "CHF": "756", "JPY": "392", "TRY": "949", "UAH": "980"}
HEADER_FIELDS = (
    "GUID", "DocumentType", "Number", "Date", "Posted", "DeletionMark",
    "CounterpartyGUID", "CounterpartyName", "CounterpartyINN", "CounterpartyKPP",
)
DOC_CONTRACT_FIELDS = ("ContractGUID", "ContractNumber", "ContractDate")
LINE_FIELDS = ("LineKey", "ContractGUID", "ContractNumber", "ContractDate", "Amount")
CONTRACT_FIELDS = ("ContractGUID", "ContractNumber", "ContractDate", "CounterpartyGUID", "CounterpartyName",
                   "CounterpartyINN", "CounterpartyKPP", "Currency")
SETTLEMENT_FIELDS = (
    "CounterpartyGUID", "CounterpartyName", "CounterpartyINN", "CounterpartyKPP",
    "ContractGUID", "ContractNumber", "ContractDate", "Currency", "Balance", "BalanceRUB",
)
# Kind of each element of the answer, for the style: a reference (GUID), a
# date, money, a currency, a nillable value; the rest are plain values.
REFERENCES = {"CounterpartyGUID", "ContractGUID"}
DATES = {"Date", "ContractDate"}
MONEY = {"Amount", "Balance", "BalanceRUB"}
NILLABLE = {"CounterpartyKPP", "PaymentPurpose", "ContractDate", "ContractNumber", "ContractGUID"}
# Doc-level contract fields are nillable, a line's and a settlement's GUID and number are not.
NILLABLE_LINE = {"ContractDate"}
NILLABLE_SETTLEMENT = {"CounterpartyKPP", "ContractDate"}

LOCK_TEXT = ("{ОбщийМодуль.ОбменСCRM.Модуль(112)}: Ошибка при вызове метода контекста (Выполнить): "
             "Конфликт блокировок при выполнении транзакции: Превышено максимальное время ожидания "
             "предоставления блокировки")
FAULT_TEXT = LOCK_TEXT  # the old name
RIGHTS_TEXT = ("{ОбщийМодуль.ОбменСCRM.Модуль(15)}: Нарушение прав доступа! "
               "(Документ.ПоступлениеНаРасчетныйСчет: Чтение)")
BUSY_TEXT = ("Ошибка при выполнении операции с информационной базой\r\n"
             "Превышено максимальное количество соединений с информационной базой "
             "(пул сеансов публикации buh/ws/Payments исчерпан: poolSize)")
NOLICENSE_TEXT = ("Ошибка при выполнении операции с информационной базой\r\n"
                  "Не обнаружена свободная лицензия!\r\nНе найдена лицензия. Не обнаружен ключ защиты "
                  "программы или полученная программная лицензия!")
HTML_500 = ("<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error"
            "</h1><p>Ошибка сервера 1С:Предприятия</p></body></html>")
HTML_502 = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
            "</center><hr><center>Apache/2.4</center></body></html>")
CENT = Decimal("0.01")


def xml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(str(value))


def money(value, field="Amount"):
    """A sum from JSON (number or string) as a Decimal with two decimals."""
    if value is None or value == "":
        return Decimal("0.00")
    try:
        return Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise ValueError("%s: не число: %r" % (field, value))


def short_money(value):
    """1C's XMLСтрока of a number: no trailing zeros, no exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def is_empty(value):
    return value is None or value == "" or value == EMPTY_DATE or value == EMPTY_REF


def date_key(text):
    """A stored date as a comparable 'YYYY-MM-DDTHH:MM:SS' string."""
    if is_empty(text):
        return EMPTY_DATE
    text = str(text)
    return text[:19] if len(text) >= 19 else text[:10] + "T00:00:00"


def settlement_bound(text, now=None):
    """The last moment counted for ``Date``: now when empty, the end of the
    day for a date at midnight (КонецДня), the moment itself otherwise."""
    if is_empty(text):
        return (now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")
    key = date_key(text.strip())
    datetime.strptime(key, "%Y-%m-%dT%H:%M:%S")  # ValueError for a wrong date
    if key.endswith("T00:00:00"):
        return key[:10] + "T23:59:59"
    return key


def is_customer_payment(doc):
    """A receipt whose ``OperationKind`` (ВидОперации; absent = a customer
    payment) is a customer payment: others (``ПрочееПоступление``: interest,
    a loan, a refund from a supplier) do not touch account 62."""
    return (doc.get("OperationKind") or "") in CUSTOMER_KINDS


def contract_key(contract):
    """A contract of the catalog: by its GUID, else by number and INN."""
    if contract.get("ContractGUID"):
        return contract["ContractGUID"]
    return (contract.get("ContractNumber") or "", contract.get("CounterpartyINN") or "")


class Store(object):
    """The stand-in's infobase: receipts with change numbers, the contracts
    catalog, sales, and the fault mode and answer style."""

    def __init__(self, data=None):
        self.lock = threading.Lock()
        self.payments = []          # in change-number order
        self.by_guid = {}
        self.contracts = []
        self.sales = []
        self.seq = 0
        self.mode = "normal"
        self.style = "contract"
        self.delay = 0.0
        self.after = 0
        self.times = -1
        self.calls = 0
        self.failures = 0
        self.configuration = "bp30"   # the OData object names (onec/odata.py): bp30, ut11, ka2
        self.unpublished = []         # OData objects left out of the published set (403)
        self.generation = 0           # bumped by every change of the data (OData's cache)
        if data:
            self.load(data)

    # -- data ---------------------------------------------------------------
    def load(self, data):
        contracts = [self._contract(c, None) for c in data.get("contracts") or []]
        sales = {}
        for sale in data.get("sales") or []:
            sale = self._sale(sale, sales.get(sale.get("GUID")))
            sales[sale["GUID"]] = sale
        payments, by_guid = [], {}
        for raw in data.get("payments") or []:
            doc = self._payment(raw, by_guid.get(raw.get("GUID")))
            if doc["GUID"] in by_guid:
                payments.remove(by_guid[doc["GUID"]])
            payments.append(doc)
            by_guid[doc["GUID"]] = doc
        with self.lock:
            self.contracts, self.sales = contracts, list(sales.values())
            self.payments, self.by_guid, self.seq = [], {}, 0
            for doc in payments:
                self._store_payment(doc)
            self.generation += 1

    def upsert(self, values):
        if isinstance(values, dict):
            groups = {key: list(values.get(key) or []) for key in ("payments", "sales", "contracts")}
        else:
            groups = {"payments": [], "sales": [], "contracts": []}
            for item in values or []:
                if not isinstance(item, dict):
                    raise ValueError("upsert: a document is a JSON object")
                if item.get("DocumentType") == SALE_TYPE:
                    groups["sales"].append(item)
                elif "GUID" not in item and item.get("ContractGUID") and "CounterpartyINN" in item:
                    groups["contracts"].append(item)
                else:
                    groups["payments"].append(item)
        with self.lock:
            contracts = {contract_key(c): c for c in self.contracts}
            for raw in groups["contracts"]:
                contract = self._contract(raw, contracts.get(contract_key(raw)))
                contracts[contract_key(contract)] = contract
            sales = {s["GUID"]: s for s in self.sales}
            for raw in groups["sales"]:
                sale = self._sale(raw, sales.get(raw.get("GUID")))
                sales[sale["GUID"]] = sale
            staged = {}
            docs = []
            for raw in groups["payments"]:
                guid = raw.get("GUID")
                doc = self._payment(raw, staged.get(guid) or self.by_guid.get(guid))
                staged[doc["GUID"]] = doc
                docs.append(doc)
            # Everything checked: apply.
            self.contracts = list(contracts.values())
            self.sales = list(sales.values())
            for doc in docs:
                self._store_payment(doc)
            self.generation += 1

    def _store_payment(self, doc):
        self.seq += 1
        doc["_seq"] = self.seq
        # The kit's module registers customer payments only, and keeps a receipt it
        # once registered when its operation kind changes (answered as unposted).
        doc["_registered"] = bool(doc.get("_registered")) or is_customer_payment(doc)
        old = self.by_guid.get(doc["GUID"])
        if old is not None:
            self.payments.remove(old)
        self.payments.append(doc)
        self.by_guid[doc["GUID"]] = doc

    @staticmethod
    def _contract(raw, old):
        contract = dict(old or {})
        contract.update(raw)
        if not contract.get("ContractGUID") and not contract.get("ContractNumber"):
            raise ValueError("contracts: ContractGUID or ContractNumber is required")
        # 1C has a GUID for every contract; a test may leave it out (then
        # receipts find the contract by its number and the payer's INN).
        contract["ContractGUID"] = contract.get("ContractGUID") or ""
        contract["ContractNumber"] = contract.get("ContractNumber") or ""
        contract["CounterpartyINN"] = contract.get("CounterpartyINN") or ""
        contract["ContractDate"] = contract.get("ContractDate") or EMPTY_DATE
        contract["Currency"] = (contract.get("Currency") or "RUB").upper()
        return contract

    @staticmethod
    def _sale(raw, old):
        if not raw.get("GUID"):
            raise ValueError("sales: GUID is required")
        sale = dict(old or {"Posted": True, "DeletionMark": False})
        sale.update(raw)
        if not sale.get("ContractGUID"):
            raise ValueError("sales %s: ContractGUID is required" % sale["GUID"])
        sale["DocumentType"] = SALE_TYPE
        sale["Date"] = date_key(sale.get("Date"))
        sale["Amount"] = money(sale.get("Amount"), "sales %s Amount" % sale["GUID"])
        for flag, default in (("Posted", True), ("DeletionMark", False)):
            if sale.get(flag) is None:
                sale[flag] = default
        return sale

    @staticmethod
    def _payment(raw, old):
        """A receipt as stored: the header, the lines (or the old-shape
        document-level contract), the document total = the sum of the lines."""
        guid = raw.get("GUID")
        if not guid:
            raise ValueError("payments: GUID is required")
        doc = dict(old) if old else {}
        doc.pop("_seq", None)
        doc.update(raw)
        if old is not None and "Lines" in raw and raw["Lines"] is not None:
            # New lines replace the document-level contract unless it is given again.
            for field in DOC_CONTRACT_FIELDS:
                if field not in raw:
                    doc.pop(field, None)
        elif old is not None and "Lines" not in raw and any(field in raw for field in DOC_CONTRACT_FIELDS):
            # The document given again in the old shape: no lines any more.
            doc.pop("Lines", None)
        for flag, default in (("Posted", True), ("DeletionMark", False)):
            if doc.get(flag) is None:
                doc[flag] = default
        doc["DocumentType"] = doc.get("DocumentType") or "ПоступлениеНаРасчетныйСчет"
        doc["Date"] = date_key(doc.get("Date"))
        doc["Currency"] = (doc.get("Currency") or "RUB").upper()
        for field in ("Number", "CounterpartyGUID", "CounterpartyName", "CounterpartyINN", "CounterpartyKPP",
                      "PaymentPurpose"):
            if doc.get(field) is None:
                doc[field] = ""
        lines = doc.get("Lines")
        if lines is None:
            doc.pop("Lines", None)
            doc["Amount"] = money(doc.get("Amount"), "%s Amount" % guid)
            if any(field in doc for field in DOC_CONTRACT_FIELDS):
                for field in DOC_CONTRACT_FIELDS:
                    doc[field] = doc.get(field) or ""
            return doc
        if not isinstance(lines, list):
            raise ValueError("%s: Lines is a list" % guid)
        if old is not None and "Amount" in raw and "Lines" not in raw and len(lines) == 1:
            # The accountant corrects the sum of a one-line receipt: the line follows.
            lines = [dict(lines[0], Amount=raw["Amount"])]
            lines[0].pop("AmountRUB", None)
        stored = []
        for number, line in enumerate(lines, 1):
            line = dict(line)
            line["LineKey"] = str(line.get("LineKey") or number)
            line["Amount"] = money(line.get("Amount"), "%s line %s Amount" % (guid, line["LineKey"]))
            for field in ("ContractGUID", "ContractNumber"):
                line[field] = line.get(field) or ""
            line["ContractDate"] = line.get("ContractDate") or ""
            stored.append(line)
        doc["Lines"] = stored
        total = sum((line["Amount"] for line in stored), Decimal("0.00"))
        given = raw.get("Amount")
        if given is None or given == "" or (old is not None and "Lines" not in raw and len(lines) == 1):
            doc["Amount"] = total
        else:
            # Stored as given, even when it is not the lines' sum: 1C writes
            # (without posting) such a document, and a module may send it.
            doc["Amount"] = money(given, "%s Amount" % guid)
        return doc

    # -- control ------------------------------------------------------------
    def configure(self, values):
        if not isinstance(values, dict):
            raise ValueError("a JSON object expected")
        if "mode" in values and values["mode"] not in MODES:
            raise ValueError("unknown mode %r" % values["mode"])
        if "style" in values and values["style"] not in STYLES:
            raise ValueError("unknown style %r" % values["style"])
        if "configuration" in values and values["configuration"] not in ("bp30", "ut11", "ka2"):
            raise ValueError("unknown configuration %r" % values["configuration"])
        if "unpublished" in values and not isinstance(values["unpublished"], list):
            raise ValueError("unpublished: a list of OData object names")
        with self.lock:
            if values.get("reset"):
                self.mode, self.style, self.delay, self.after, self.times = "normal", "contract", 0.0, 0, -1
                self.calls = self.failures = 0
                self.configuration, self.unpublished = "bp30", []
            if "configuration" in values:
                self.configuration = values["configuration"]
            if "unpublished" in values:
                self.unpublished = [str(name) for name in values["unpublished"]]
            if "mode" in values:
                self.mode = values["mode"]
                self.calls = self.failures = 0
            if "style" in values:
                self.style = values["style"]
            for key, cast in (("delay", float), ("after", int), ("times", int)):
                if key in values:
                    setattr(self, key, cast(values[key]))
        if any(key in values for key in ("payments", "contracts", "sales")):
            self.load(values)
        if "upsert" in values:
            self.upsert(values["upsert"])

    def state(self):
        return {"mode": self.mode, "style": self.style, "delay": self.delay, "after": self.after,
                "times": self.times, "calls": self.calls, "failures": self.failures,
                "payments": len(self.payments), "contracts": len(self.contracts), "sales": len(self.sales),
                "cursor": str(self.seq), "configuration": self.configuration,
                "unpublished": list(self.unpublished)}

    def fault_mode(self):
        """The mode that applies to this SOAP call (and counts it)."""
        with self.lock:
            self.calls += 1
            if self.mode == "normal" or self.calls <= self.after:
                return "normal"
            if self.times >= 0 and self.failures >= self.times:
                return "normal"
            self.failures += 1
            return self.mode

    # -- queries ------------------------------------------------------------
    def changes(self, cursor, date_from, date_to, limit):
        """Receipts changed after ``cursor`` (a change number), in change
        order, optionally within a window of document dates; each as
        (document, its lines or None for the old shape, with contract
        numbers and dates taken from the catalog when only the GUID is known)."""
        with self.lock:
            rows = [p for p in self.payments if p["_seq"] > cursor and p.get("_registered", True)]
            contracts = {c["ContractGUID"]: c for c in self.contracts if c["ContractGUID"]}
        rows.sort(key=lambda p: p["_seq"])
        if date_from and not is_empty(date_from):
            rows = [p for p in rows if p["Date"] >= date_key(date_from)]
        if date_to and not is_empty(date_to):
            rows = [p for p in rows if p["Date"] <= date_key(date_to)]
        page = rows[:limit] if limit > 0 else rows
        last = page[-1]["_seq"] if page else cursor
        return [self._dereference(p, contracts) for p in page], last, len(rows) > len(page)

    @staticmethod
    def _dereference(doc, contracts):
        def fill(item):
            contract = contracts.get(item.get("ContractGUID") or "")
            if contract:
                if not item.get("ContractNumber"):
                    item["ContractNumber"] = contract.get("ContractNumber", "")
                if is_empty(item.get("ContractDate")):
                    item["ContractDate"] = contract.get("ContractDate", "")
            return item
        doc = dict(doc)
        if not is_customer_payment(doc):
            doc["Posted"] = False  # no longer a customer payment: it left the set
        if "Lines" in doc:
            doc["Lines"] = [fill(dict(line)) for line in doc["Lines"]]
        elif "ContractGUID" in doc:
            fill(doc)
        return doc

    def settlements(self, date="", inn="", now=None, bound=None):
        """Account 62 by counterparty and contract at ``date`` (see the module
        docstring): a list of dicts with the Settlement fields (money as
        Decimal, BalanceRUB None when unknown). ``bound`` (the last moment
        counted, as is) replaces ``date`` for OData's Balance."""
        bound = bound or settlement_bound(date, now)
        with self.lock:
            catalog = list(self.contracts)
            payments = list(self.payments)
            sales = list(self.sales)
        by_guid = {c["ContractGUID"]: c for c in catalog if c["ContractGUID"]}
        by_number = {(c.get("ContractNumber", ""), c.get("CounterpartyINN", "")): c for c in catalog}
        rows = {}

        def account(key, info, amount, amount_rub, sign):
            row = rows.get(key)
            if row is None:
                row = rows[key] = dict(info, Balance=Decimal("0.00"), BalanceRUB=Decimal("0.00"))
            row["Balance"] += sign * amount
            if row["BalanceRUB"] is not None:
                row["BalanceRUB"] = None if amount_rub is None else row["BalanceRUB"] + sign * amount_rub

        def contract_info(contract, fallback):
            info = {}
            for field in SETTLEMENT_FIELDS[:8]:
                value = (contract or {}).get(field)
                info[field] = value if not is_empty(value) else fallback.get(field, "")
            info["ContractDate"] = date_key(info["ContractDate"]) if not is_empty(info["ContractDate"]) else ""
            info["Currency"] = (info["Currency"] or "RUB").upper()
            return info

        def in_rub(item, doc, currency):
            if item.get("AmountRUB") not in (None, ""):
                return money(item["AmountRUB"])
            if doc.get("Rate") not in (None, ""):
                return (item["Amount"] * Decimal(str(doc["Rate"]))).quantize(CENT)
            if currency in ("RUB", "RUR", "643"):
                return item["Amount"]
            return None

        for sale in sales:
            if not sale["Posted"] or sale["DeletionMark"] or sale["Date"] > bound:
                continue
            contract = by_guid.get(sale["ContractGUID"])
            info = contract_info(contract, dict(sale, Currency=sale.get("Currency") or "RUB"))
            account(("g", sale["ContractGUID"]), info, sale["Amount"], in_rub(sale, sale, info["Currency"]), 1)
        for doc in payments:
            if not doc["Posted"] or doc["DeletionMark"] or doc["Date"] > bound or not is_customer_payment(doc):
                continue
            if "Lines" in doc:
                lines = doc["Lines"]
            else:
                lines = [{"ContractGUID": doc.get("ContractGUID", ""), "ContractNumber": doc.get("ContractNumber", ""),
                          "ContractDate": doc.get("ContractDate", ""), "Amount": doc["Amount"],
                          "AmountRUB": doc.get("AmountRUB")}]
            for line in lines:
                guid, number = line.get("ContractGUID") or "", line.get("ContractNumber") or ""
                if is_empty(guid) and not number:
                    continue
                contract = by_guid.get(guid) if not is_empty(guid) else by_number.get(
                    (number, doc["CounterpartyINN"]))
                fallback = dict(doc, ContractGUID=guid, ContractNumber=number,
                                ContractDate=line.get("ContractDate") or "")
                info = contract_info(contract, fallback)
                key = ("g", info["ContractGUID"]) if info["ContractGUID"] else ("n", number, doc["CounterpartyINN"])
                account(key, info, line["Amount"], in_rub(line, doc, info["Currency"]), -1)
        result = [row for row in rows.values() if not inn or row["CounterpartyINN"] == inn]
        result.sort(key=lambda r: (r["CounterpartyName"], r["CounterpartyINN"], r["ContractDate"],
                                   r["ContractNumber"]))
        return result


class StandIn(object):
    """The WSGI application."""

    def __init__(self, store, publication="buh", user="Обмен", password="secret"):
        self.store = store
        self.publication = publication
        self.user = user
        self.password = password
        with open(WSDL_PATH, "rb") as wsdl:
            self.wsdl = wsdl.read()

    # -- HTTP -------------------------------------------------------------
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/__control__":
            return self.control(environ, start_response)
        odata_prefix = "/%s/odata/standard.odata" % self.publication
        if path == odata_prefix or path.startswith(odata_prefix + "/"):
            from onec import odata  # the standard OData interface over the same Store
            return odata.handle(self, environ, start_response, odata_prefix)
        service_paths = ("/%s/ws/Payments.1cws" % self.publication, "/%s/ws/Payments" % self.publication)
        if path not in service_paths:
            return self.respond(start_response, "404 Not Found", b"Not found", "text/plain")
        if self.store.mode == "badauth" or not self.authorized(environ):
            start_response("401 Unauthorized", [
                ("WWW-Authenticate", 'Basic realm="1C:Enterprise"'), ("Content-Type", "text/plain")])
            return [b"Unauthorized"]
        if environ["REQUEST_METHOD"] == "GET":
            if "wsdl" in environ.get("QUERY_STRING", "").lower():
                return self.respond(start_response, "200 OK", self.wsdl, "text/xml; charset=utf-8")
            return self.respond(start_response, "400 Bad Request", b"?wsdl expected", "text/plain")
        if environ["REQUEST_METHOD"] != "POST":
            return self.respond(start_response, "405 Method Not Allowed", b"", "text/plain")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        return self.soap(body, start_response)

    def authorized(self, environ):
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Basic "):
            return False
        try:
            raw = base64.b64decode(header[6:].strip())
        except ValueError:
            return False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        user, _sep, password = text.partition(":")
        return user == self.user and password == self.password

    @staticmethod
    def respond(start_response, status, body, content_type):
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                self.store.configure(json.loads(environ["wsgi.input"].read(length).decode("utf-8") or "{}"))
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                return self.respond(start_response, "400 Bad Request", str(error).encode("utf-8"),
                                    "text/plain; charset=utf-8")
        body = json.dumps(self.store.state()).encode()
        return self.respond(start_response, "200 OK", body, "application/json")

    # -- SOAP -------------------------------------------------------------
    def soap(self, body, start_response):
        try:
            envelope = etree.fromstring(body)
        except etree.XMLSyntaxError:
            return self.fault(start_response, SOAP11, "Ошибка разбора XML запроса")
        soap_ns = etree.QName(envelope).namespace
        if soap_ns not in (SOAP11, SOAP12):
            return self.fault(start_response, SOAP11, "Неизвестная версия SOAP")
        request = envelope.find("{%s}Body/*" % soap_ns)
        if request is None:
            return self.fault(start_response, soap_ns, "Пустое тело SOAP запроса")
        operation = etree.QName(request).localname
        mode = self.store.fault_mode()
        if mode == "slow":
            time.sleep(self.store.delay)
        elif mode == "http500":
            return self.respond(start_response, "500 Internal Server Error", HTML_500.encode(), "text/html")
        elif mode == "http502":
            return self.respond(start_response, "502 Bad Gateway", HTML_502.encode(), "text/html")
        elif mode in ("busy", "nolicense"):
            text = BUSY_TEXT if mode == "busy" else NOLICENSE_TEXT
            return self.respond(start_response, "503 Service Unavailable", text.encode("utf-8"),
                                "text/plain; charset=utf-8")
        elif mode in ("lock", "fault"):
            return self.fault(start_response, soap_ns, LOCK_TEXT)
        elif mode == "rights":
            return self.fault(start_response, soap_ns, RIGHTS_TEXT)
        elif mode == "malformed":
            return self.respond(start_response, "200 OK", "Ошибка: сеанс 1С завершён\x00<<".encode(),
                                "text/xml; charset=utf-8")
        handler = getattr(self, "op_%s" % operation, None)
        if handler is None:
            return self.fault(start_response, soap_ns, "Метод %s не найден в веб-сервисе Payments" % operation)
        try:
            result = handler(request, duplicate=(mode == "duplicate"))
        except (ValueError, TypeError) as error:
            return self.fault(start_response, soap_ns, "Неверные параметры вызова %s: %s" % (operation, error))
        answer = self.envelope(soap_ns, "<m:%sResponse xmlns:m=\"%s\">%s</m:%sResponse>" % (
            operation, NS, result, operation))
        if mode == "truncated":
            answer = answer[:len(answer) // 2]
        ctype = "text/xml; charset=utf-8" if soap_ns == SOAP11 else "application/soap+xml; charset=utf-8"
        return self.respond(start_response, "200 OK", answer, ctype)

    @staticmethod
    def envelope(soap_ns, body):
        return ('<soap:Envelope xmlns:soap="%s" xmlns:xsi="%s"><soap:Body>%s</soap:Body></soap:Envelope>'
                % (soap_ns, XSI, body)).encode("utf-8")

    def fault(self, start_response, soap_ns, text):
        if soap_ns == SOAP12:
            body = ('<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>'
                    '<soap:Reason><soap:Text xml:lang="ru">%s</soap:Text></soap:Reason></soap:Fault>') % escape(text)
            ctype = "application/soap+xml; charset=utf-8"
        else:
            body = ("<soap:Fault><faultcode>soap:Server</faultcode><faultstring>%s</faultstring>"
                    "</soap:Fault>") % escape(text)
            ctype = "text/xml; charset=utf-8"
        return self.respond(start_response, "500 Internal Server Error", self.envelope(soap_ns, body), ctype)

    @staticmethod
    def param(request, name, default=""):
        node = request.find("{%s}%s" % (NS, name))
        return default if node is None or node.text is None else node.text.strip()

    # -- values in the answer's style ---------------------------------------
    def element(self, name, value, nillable=False, raw=False):
        """``<m:Name>value</m:Name>`` in the current style."""
        if name in MONEY:
            text = short_money(value) if raw else "%.2f" % value
        elif name == "Currency":
            text = NUMERIC_CURRENCY.get(value, value) if raw else value
        elif name in REFERENCES and is_empty(value):
            text = EMPTY_REF if raw else ""
        elif name in DATES and is_empty(value):
            if raw and nillable:
                return '<m:%s xsi:nil="true"/>' % name
            text = EMPTY_DATE
        elif raw and nillable and (value is None or value == ""):
            return '<m:%s xsi:nil="true"/>' % name
        else:
            text = value
        return "<m:%s>%s</m:%s>" % (name, xml_value(text), name)

    def payment_xml(self, doc, raw):
        parts = [self.element(field, doc.get(field), raw=raw) for field in HEADER_FIELDS]
        parts[HEADER_FIELDS.index("CounterpartyKPP")] = self.element(
            "CounterpartyKPP", doc.get("CounterpartyKPP"), nillable=True, raw=raw)
        if "ContractGUID" in doc or "ContractNumber" in doc:
            parts.extend(self.element(field, doc.get(field), nillable=True, raw=raw)
                         for field in DOC_CONTRACT_FIELDS)
        parts.append(self.element("Amount", doc["Amount"], raw=raw))
        parts.append(self.element("Currency", doc["Currency"], raw=raw))
        parts.append(self.element("PaymentPurpose", doc.get("PaymentPurpose"), nillable=True, raw=raw))
        if "Lines" in doc:
            parts.append("<m:Lines>")
            for line in doc["Lines"]:
                parts.append("<m:Line>%s</m:Line>" % "".join(
                    self.element(field, line.get(field), nillable=field in NILLABLE_LINE, raw=raw)
                    for field in LINE_FIELDS))
            parts.append("</m:Lines>")
        return "<m:Payment>%s</m:Payment>" % "".join(parts)

    def op_Ping(self, request, duplicate=False):
        return "<m:return>1С:Бухгалтерия предприятия 3.0 (заглушка), ИБ %s</m:return>" % escape(self.publication)

    def op_GetPayments(self, request, duplicate=False):
        cursor_text = self.param(request, "Cursor")
        cursor = int(cursor_text) if cursor_text else 0
        limit = int(self.param(request, "Limit", "0") or 0)
        page, last, more = self.store.changes(cursor, self.param(request, "DateFrom"),
                                              self.param(request, "DateTo"), limit)
        raw = self.store.style == "raw1c"
        parts = ["<m:return><m:Cursor>%d</m:Cursor><m:HasMore>%s</m:HasMore><m:Payments>" % (
            last, "true" if more else "false")]
        for doc in page:
            item = self.payment_xml(doc, raw)
            parts.append(item)
            if duplicate:
                parts.append(item)
        parts.append("</m:Payments></m:return>")
        return "".join(parts)

    def op_GetSettlements(self, request, duplicate=False):
        raw = self.store.style == "raw1c"
        rows = self.store.settlements(self.param(request, "Date"), self.param(request, "CounterpartyINN"))
        parts = ["<m:return>"]
        for row in rows:
            if raw and not row["Balance"] and not row["BalanceRUB"]:
                continue  # Остатки has no rows with nothing left
            fields = []
            for field in SETTLEMENT_FIELDS:
                if field == "BalanceRUB" and row[field] is None:
                    continue
                fields.append(self.element(field, row[field], nillable=field in NILLABLE_SETTLEMENT, raw=raw))
            parts.append("<m:Settlement>%s</m:Settlement>" % "".join(fields))
        parts.append("</m:return>")
        return "".join(parts)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, fmt, *args):  # noqa: D401 - the stand-in logs nothing per request
        pass


def load_data(path):
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as data:
            return json.load(data)
    return {}


def make_app(data_path=None, **kwargs):
    return StandIn(Store(load_data(data_path)), **kwargs)


def serve(host, port, data_path=None, **kwargs):
    app = make_app(data_path, **kwargs)
    httpd = make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    return httpd, app


def main():
    parser = argparse.ArgumentParser(description="1C stand-in: the web service Payments")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--data", default=os.environ.get("ONEC_DATA", DEFAULT_DATA))
    parser.add_argument("--publication", default=os.environ.get("ONEC_PUBLICATION", "buh"))
    parser.add_argument("--user", default=os.environ.get("ONEC_USER", "Обмен"))
    parser.add_argument("--password", default=os.environ.get("ONEC_PASSWORD", "secret"))
    args = parser.parse_args()
    httpd, app = serve(args.host, args.port, args.data, publication=args.publication,
                       user=args.user, password=args.password)
    print("1C stand-in: http://%s:%d/%s/ws/Payments.1cws?wsdl (user %s, %d payments, %d sales)" % (
        args.host, httpd.server_port, args.publication, args.user, len(app.store.payments),
        len(app.store.sales)), flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
