"""1C stand-in: the standard OData interface (``standard.odata``) over the same infobase.

Routed from ``onec/server.py``'s ``StandIn`` under
``/<publication>/odata/standard.odata/``; it serves what a 1C:Enterprise 8.3
base publishes when the administrator ticks objects for the standard OData
interface (no programming), shaped as 1C's OData v3 JSON:

* ``<EntitySet>?$format=json`` -> ``{"odata.metadata": "<base>$metadata#<EntitySet>", "value": [...]}``;
  ``<EntitySet>(guid'<GUID>')`` -> the object itself with ``odata.metadata``;
* ``$metadata`` -> EDMX (namespace ``StandardODATA``), only the published objects;
* query options ``$select`` (tabular sections by name, ``Section/Field``,
  ``Navigation/Field`` with ``$expand``), ``$filter`` (``eq ne gt ge lt le and
  or not``, parentheses, ``guid'…'``, ``datetime'…'``, strings, numbers,
  ``true``/``false``, ``null``, ``Navigation/Field``), ``$orderby`` (fields,
  ``asc``/``desc``), ``$top``, ``$skip``, ``$expand``, ``$inlinecount=allpages``;
* the registers' virtual tables ``AccountingRegister_Хозрасчетный/Balance(Period=datetime'…',
  AccountCondition='…', Condition='…')`` (БП 3.0) and
  ``AccumulationRegister_РасчетыСКлиентами/Balance(Period=…, Condition='…')`` (УТ 11 / КА 2).

Data (the Store of onec/server.py, shared with SOAP)
----------------------------------------------------
* receipts -> ``Document_ПоступлениеНаРасчетныйСчет`` / ``Document_ПриходныйКассовыйОрдер``
  (УТ/КА: ``Document_ПоступлениеБезналичныхДенежныхСредств`` / ``Document_ПриходныйКассовыйОрдер``)
  by ``DocumentType``; ``Lines`` -> ``РасшифровкаПлатежа`` (a receipt stored in the old
  shape gets the one line 1C always has); ``OperationKind`` -> ``ВидОперации``
  (УТ/КА ``ХозяйственнаяОперация``), absent = a customer payment;
  ``DataVersion`` = the receipt's change number (changes on every upsert);
* counterparties (``CounterpartyGUID``/``Name``/``INN``/``KPP`` of receipts and
  contracts) -> ``Catalog_Контрагенты``; contracts (the catalog, plus any contract a
  receipt line names that the catalog lacks, as 1C always has the referenced
  item) -> ``Catalog_ДоговорыКонтрагентов``; currencies -> ``Catalog_Валюты``;
  account 62 and its sub-accounts -> ``ChartOfAccounts_Хозрасчетный``;
  a missing GUID (test data keyed by number and INN) is derived stably
  (uuid5), catalogs' ``DataVersion`` from their values;
* the Balance functions give the figures of SOAP's ``GetSettlements``
  (``Store.settlements``), per contract on 62.01 (debt, Dr) or 62.02
  (advance, Cr); ``Period`` is exclusive, as 1C's ``Остатки(&Дата)``: movements
  at that very second are not counted (ask for the next day's midnight to get a
  whole day); without ``Period``: everything.

Control (``/__control__``, see onec/server.py): ``{"configuration": "ut11"}``
(``bp30`` default, ``ka2`` = ``ut11`` names), ``{"unpublished": [names]}`` (those
answer 403 and leave ``$metadata``); the Store's fault modes apply per request,
in OData's shape (lock -> 500 JSON with 1C's text, rights -> 403 JSON, busy /
nolicense -> 503 HTML page, http500/http502 -> HTML, malformed -> 200 non-JSON,
truncated -> 200 cut JSON, badauth -> 401, slow, duplicate -> every entity twice).

The УТ 11 / КА 2 names (document, ХозяйственнаяОперация values, the line's
``ДоговорКонтрагента_Key``/``Сумма``, the simplified register
``РасчетыСКлиентами`` with ``Контрагент_Key``/``Договор_Key``/``СуммаBalance``/
``СуммаРеглBalance``) follow the team's spec and must be checked on a live base.
"""
import base64
import hashlib
import json
import re
import struct
import threading
import time
import uuid
from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, quote
from xml.sax.saxutils import escape, quoteattr

from onec import server as base

NAMESPACE = "StandardODATA"
EMPTY_REF = base.EMPTY_REF
EMPTY_DATE = base.EMPTY_DATE
GUID_NS = uuid.UUID("6f1c0d6e-3a57-4c1b-9d0e-1c0da7a5e001")
CONFIGURATIONS = ("bp30", "ut11", "ka2")
CUSTOMER_KINDS = ("", "ОплатаПокупателя", "ПоступлениеОплатыОтКлиента")
ORGANIZATION = "3d1f4a10-58e2-11e6-80c4-0cc47a7e7a31"

# Enum values per configuration and document kind (bank / cash) for the operation kinds.
KIND_NAMES = {
    "bp30": {"bank": {"customer": "ОплатаПокупателя", "ПрочееПоступление": "ПрочееПоступление"},
             "cash": {"customer": "ОплатаПокупателя", "ПрочееПоступление": "ПрочийПриход"}},
    "ut11": {"bank": {"customer": "ПоступлениеОплатыОтКлиента",
                      "ПрочееПоступление": "ПрочееПоступлениеДенежныхСредств"},
             "cash": {"customer": "ПоступлениеОплатыОтКлиента",
                      "ПрочееПоступление": "ПрочееПоступлениеДенежныхСредств"}},
}
CURRENCY_NAMES = {"RUB": "Российский рубль", "USD": "Доллар США", "EUR": "Евро", "CNY": "Китайский юань",
                  "KZT": "Казахстанский тенге", "BYN": "Белорусский рубль"}

ERROR_UNPUBLISHED = 'Не найден объект "%s" в составе стандартного интерфейса OData'
RIGHTS_TEXT = "Нарушение прав доступа!"
LOCK_TEXT = ("Конфликт блокировок при выполнении транзакции:\r\nПревышено максимальное время ожидания "
             "предоставления блокировки")


def html_page(title, text):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h1>%s</h1>"
            "<p>%s</p></body></html>" % (escape(title), escape(title), escape(text).replace("\r\n", "<br>")))


class ODataError(Exception):
    def __init__(self, status, code, message):
        Exception.__init__(self, message)
        self.status, self.code, self.message = status, code, message


def bad_request(message):
    return ODataError("400 Bad Request", "3", message)


def derived_guid(*parts):
    return str(uuid.uuid5(GUID_NS, "|".join(str(p) for p in parts)))


def version_of(values):
    digest = hashlib.sha1(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def seq_version(seq):
    return base64.b64encode(struct.pack(">Q", seq)).decode()


def guid_text(value):
    """A Store reference as 1C's GUID: an id that is not a GUID (test data such as
    "c-1") gets a stable derived one, as every 1C reference is a GUID."""
    if base.is_empty(value):
        return EMPTY_REF
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return derived_guid("id", value)


def date_text(value):
    return EMPTY_DATE if base.is_empty(value) else base.date_key(value)


def json_number(value):
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def to_json(value):
    if isinstance(value, dict):
        return OrderedDict((k, to_json(v)) for k, v in value.items())
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return json_number(value)


# -- the objects of each configuration -------------------------------------------------------------
# A definition: properties [(name, Edm type)], tabular sections {name: [(field, type)]},
# navigation {name: (property holding the GUID, target entity set)}, and per section its row navigation.

def definitions(configuration):
    ut = configuration != "bp30"
    doc_head = [("Ref_Key", "Edm.Guid"), ("DataVersion", "Edm.String"), ("DeletionMark", "Edm.Boolean"),
                ("Number", "Edm.String"), ("Date", "Edm.DateTime"), ("Posted", "Edm.Boolean")]
    catalog_head = [("Ref_Key", "Edm.Guid"), ("DataVersion", "Edm.String"), ("DeletionMark", "Edm.Boolean")]
    defs = OrderedDict()
    if not ut:
        bank, cash = "Document_ПоступлениеНаРасчетныйСчет", "Document_ПриходныйКассовыйОрдер"
        line = [("Ref_Key", "Edm.Guid"), ("LineNumber", "Edm.Int64"), ("ДоговорКонтрагента_Key", "Edm.Guid"),
                ("СуммаПлатежа", "Edm.Double"), ("СуммаВзаиморасчетов", "Edm.Double"),
                ("КурсВзаиморасчетов", "Edm.Double"), ("КратностьВзаиморасчетов", "Edm.Double"),
                ("СчетУчетаРасчетовСКонтрагентом_Key", "Edm.Guid"), ("СчетУчетаРасчетовПоАвансам_Key", "Edm.Guid")]
        line_nav = {"ДоговорКонтрагента": ("ДоговорКонтрагента_Key", "Catalog_ДоговорыКонтрагентов")}
        for name, text_field in ((bank, "НазначениеПлатежа"), (cash, "Основание")):
            defs[name] = {
                "kind": "document",
                "properties": doc_head + [
                    ("ВидОперации", "Edm.String"), ("Организация_Key", "Edm.Guid"),
                    ("Контрагент", "Edm.String"), ("Контрагент_Type", "Edm.String"),
                    ("ДоговорКонтрагента_Key", "Edm.Guid"), ("ВалютаДокумента_Key", "Edm.Guid"),
                    ("СуммаДокумента", "Edm.Double"), (text_field, "Edm.String"), ("Комментарий", "Edm.String")],
                "tabular": {"РасшифровкаПлатежа": line},
                "row_nav": {"РасшифровкаПлатежа": line_nav},
                # A composite attribute: the object inline in place of the GUID (the spec's choice).
                "nav": OrderedDict([("Контрагент", ("Контрагент", "Catalog_Контрагенты")),
                                    ("ДоговорКонтрагента", ("ДоговорКонтрагента_Key", "Catalog_ДоговорыКонтрагентов")),
                                    ("ВалютаДокумента", ("ВалютаДокумента_Key", "Catalog_Валюты"))]),
            }
        defs["Catalog_ДоговорыКонтрагентов"] = {
            "kind": "catalog",
            "properties": catalog_head + [
                ("Owner_Key", "Edm.Guid"), ("Parent_Key", "Edm.Guid"), ("IsFolder", "Edm.Boolean"),
                ("Code", "Edm.String"), ("Description", "Edm.String"), ("Номер", "Edm.String"),
                ("Дата", "Edm.DateTime"), ("ВидДоговора", "Edm.String"), ("ВалютаВзаиморасчетов_Key", "Edm.Guid"),
                ("Организация_Key", "Edm.Guid")],
            "nav": OrderedDict([("Owner", ("Owner_Key", "Catalog_Контрагенты")),
                                ("ВалютаВзаиморасчетов", ("ВалютаВзаиморасчетов_Key", "Catalog_Валюты"))]),
        }
    else:
        bank, cash = "Document_ПоступлениеБезналичныхДенежныхСредств", "Document_ПриходныйКассовыйОрдер"
        line = [("Ref_Key", "Edm.Guid"), ("LineNumber", "Edm.Int64"), ("ДоговорКонтрагента_Key", "Edm.Guid"),
                ("Сумма", "Edm.Double"), ("СуммаВзаиморасчетов", "Edm.Double")]
        line_nav = {"ДоговорКонтрагента": ("ДоговорКонтрагента_Key", "Catalog_ДоговорыКонтрагентов")}
        for name, text_field in ((bank, "НазначениеПлатежа"), (cash, "Основание")):
            defs[name] = {
                "kind": "document",
                "properties": doc_head + [
                    ("ХозяйственнаяОперация", "Edm.String"), ("Организация_Key", "Edm.Guid"),
                    ("Контрагент_Key", "Edm.Guid"), ("Валюта_Key", "Edm.Guid"),
                    ("СуммаДокумента", "Edm.Double"), (text_field, "Edm.String"), ("Комментарий", "Edm.String")],
                "tabular": {"РасшифровкаПлатежа": line},
                "row_nav": {"РасшифровкаПлатежа": line_nav},
                "nav": OrderedDict([("Контрагент", ("Контрагент_Key", "Catalog_Контрагенты")),
                                    ("Валюта", ("Валюта_Key", "Catalog_Валюты"))]),
            }
        defs["Catalog_ДоговорыКонтрагентов"] = {
            "kind": "catalog",
            "properties": catalog_head + [
                ("Parent_Key", "Edm.Guid"), ("IsFolder", "Edm.Boolean"), ("Code", "Edm.String"),
                ("Description", "Edm.String"), ("Номер", "Edm.String"), ("Дата", "Edm.DateTime"),
                ("Контрагент_Key", "Edm.Guid"), ("Организация_Key", "Edm.Guid"), ("ТипДоговора", "Edm.String"),
                ("ВалютаВзаиморасчетов_Key", "Edm.Guid")],
            "nav": OrderedDict([("Контрагент", ("Контрагент_Key", "Catalog_Контрагенты")),
                                ("ВалютаВзаиморасчетов", ("ВалютаВзаиморасчетов_Key", "Catalog_Валюты"))]),
        }
    defs["Catalog_Контрагенты"] = {
        "kind": "catalog",
        "properties": catalog_head + [
            ("Parent_Key", "Edm.Guid"), ("IsFolder", "Edm.Boolean"), ("Code", "Edm.String"),
            ("Description", "Edm.String"), ("НаименованиеПолное", "Edm.String"), ("ИНН", "Edm.String"),
            ("КПП", "Edm.String"), ("ЮридическоеФизическоеЛицо", "Edm.String")],
        "nav": OrderedDict(),
    }
    defs["Catalog_Валюты"] = {
        "kind": "catalog",
        "properties": catalog_head + [("Code", "Edm.String"), ("Description", "Edm.String"),
                                      ("НаименованиеПолное", "Edm.String")],
        "nav": OrderedDict(),
    }
    if not ut:
        defs["ChartOfAccounts_Хозрасчетный"] = {
            "kind": "catalog",
            "properties": catalog_head + [("Parent_Key", "Edm.Guid"), ("Code", "Edm.String"),
                                          ("Description", "Edm.String"), ("Order", "Edm.String"),
                                          ("Вид", "Edm.String"), ("Валютный", "Edm.Boolean"),
                                          ("Забалансовый", "Edm.Boolean"), ("PredefinedDataName", "Edm.String")],
            "nav": OrderedDict([("Parent", ("Parent_Key", "ChartOfAccounts_Хозрасчетный"))]),
        }
        defs["AccountingRegister_Хозрасчетный"] = {
            "kind": "register", "function": "Balance",
            "params": ("Period", "Condition", "AccountCondition", "ExtraDimensions"),
            "row_type": "AccountingRegister_Хозрасчетный_Balance",
            "properties": [("Account_Key", "Edm.Guid"), ("Организация_Key", "Edm.Guid"),
                           ("ExtDimension1", "Edm.String"), ("ExtDimension1_Type", "Edm.String"),
                           ("ExtDimension2", "Edm.String"), ("ExtDimension2_Type", "Edm.String"),
                           ("Валюта_Key", "Edm.Guid"),
                           ("СуммаBalance", "Edm.Double"), ("СуммаBalanceDr", "Edm.Double"),
                           ("СуммаBalanceCr", "Edm.Double"), ("ВалютнаяСуммаBalance", "Edm.Double"),
                           ("ВалютнаяСуммаBalanceDr", "Edm.Double"), ("ВалютнаяСуммаBalanceCr", "Edm.Double")],
            "nav": OrderedDict([("Account", ("Account_Key", "ChartOfAccounts_Хозрасчетный")),
                                ("Валюта", ("Валюта_Key", "Catalog_Валюты"))]),
        }
    else:
        defs["AccumulationRegister_РасчетыСКлиентами"] = {
            "kind": "register", "function": "Balance", "params": ("Period", "Condition", "Dimensions"),
            "row_type": "AccumulationRegister_РасчетыСКлиентами_Balance",
            "properties": [("Организация_Key", "Edm.Guid"), ("Контрагент_Key", "Edm.Guid"),
                           ("Договор_Key", "Edm.Guid"), ("Валюта_Key", "Edm.Guid"),
                           ("СуммаBalance", "Edm.Double"), ("СуммаРеглBalance", "Edm.Double")],
            "nav": OrderedDict([("Контрагент", ("Контрагент_Key", "Catalog_Контрагенты")),
                                ("Договор", ("Договор_Key", "Catalog_ДоговорыКонтрагентов")),
                                ("Валюта", ("Валюта_Key", "Catalog_Валюты"))]),
        }
    for name, definition in defs.items():
        definition["names"] = {p for p, _t in definition["properties"]}
    return defs


DEFINITIONS = {c: definitions(c) for c in ("bp30", "ut11")}


def names_of(configuration):
    return "bp30" if configuration == "bp30" else "ut11"


# -- the infobase as OData entities --------------------------------------------------------------

ACCOUNTS = [  # code, description, parent code, kind, currency, predefined name
    ("62", "Расчеты с покупателями и заказчиками", "", "АктивноПассивный", False, "РасчетыСПокупателями"),
    ("62.01", "Расчеты с покупателями и заказчиками", "62", "Активный", False, "РасчетыСПокупателями"),
    ("62.02", "Расчеты по авансам полученным", "62", "Пассивный", False, "РасчетыПоАвансамПолученным"),
    ("62.03", "Векселя полученные", "62", "Активный", False, "ВекселяПолученные"),
    ("51", "Расчетные счета", "", "Активный", False, "РасчетныеСчета"),
    ("50", "Касса", "", "Активный", False, "Касса"),
]


def account_guid(code):
    return derived_guid("account", code)


def currency_guid(letter):
    return derived_guid("currency", letter.upper())


class Infobase(object):
    """The Store's data as entity sets of one configuration (built once per data generation)."""

    def __init__(self, store, configuration):
        self.names = names_of(configuration)
        self.defs = DEFINITIONS[self.names]
        with store.lock:
            payments = [dict(p) for p in store.payments]
            contracts = [dict(c) for c in store.contracts]
        self.store = store
        self.sets = OrderedDict((name, []) for name, d in self.defs.items() if d["kind"] != "register")
        self.index = {name: {} for name in self.sets}
        self.currencies = OrderedDict()
        self.parties = OrderedDict()
        self.contracts = OrderedDict()
        self.contract_by_number = {}
        self.currency("RUB")
        for contract in contracts:
            self.add_contract(contract)
        for doc in payments:
            self.add_payment(doc)
        self.finish()

    # -- references
    def currency(self, letter):
        letter = (letter or "RUB").upper()
        if letter == "RUR":
            letter = "RUB"
        if letter not in self.currencies:
            self.currencies[letter] = currency_guid(letter)
        return self.currencies[letter]

    def party(self, values):
        inn = values.get("CounterpartyINN") or ""
        name = values.get("CounterpartyName") or ""
        guid = guid_text(values.get("CounterpartyGUID"))
        if guid == EMPTY_REF:
            if not inn and not name:
                return EMPTY_REF
            guid = derived_guid("counterparty", inn, name)
        old = self.parties.get(guid, {})
        self.parties[guid] = {"name": name or old.get("name", ""), "inn": inn or old.get("inn", ""),
                              "kpp": values.get("CounterpartyKPP") or old.get("kpp", "")}
        return guid

    def add_contract(self, contract, fallback_currency="RUB"):
        number = contract.get("ContractNumber") or ""
        inn = contract.get("CounterpartyINN") or ""
        guid = guid_text(contract.get("ContractGUID"))
        if guid == EMPTY_REF:
            guid = derived_guid("contract", number, inn)
        party = self.party(contract)
        self.contracts[guid] = {"number": number, "date": date_text(contract.get("ContractDate")),
                                "party": party, "currency": self.currency(contract.get("Currency")
                                                                          or fallback_currency)}
        self.contract_by_number.setdefault((number, inn), guid)
        return guid

    def line_contract(self, item, doc):
        """The contract a line (or an old-shape document) names, added to the catalog
        when the catalog lacks it, as 1C always has the referenced item."""
        guid, number = guid_text(item.get("ContractGUID")), item.get("ContractNumber") or ""
        inn = doc.get("CounterpartyINN") or ""
        if guid != EMPTY_REF:
            if guid not in self.contracts:
                self.add_contract(dict(doc, ContractGUID=guid, ContractNumber=number,
                                       ContractDate=item.get("ContractDate"), Currency=doc.get("Currency")))
            return guid
        if not number:
            return EMPTY_REF
        if (number, inn) in self.contract_by_number:
            return self.contract_by_number[(number, inn)]
        return self.add_contract(dict(doc, ContractGUID="", ContractNumber=number,
                                      ContractDate=item.get("ContractDate"), Currency=doc.get("Currency")))

    # -- documents
    def add_payment(self, doc):
        bp = self.names == "bp30"
        cash = doc.get("DocumentType") == "ПриходныйКассовыйОрдер"
        if bp:
            entity_set = "Document_ПриходныйКассовыйОрдер" if cash else "Document_ПоступлениеНаРасчетныйСчет"
        else:
            entity_set = "Document_ПриходныйКассовыйОрдер" if cash else "Document_ПоступлениеБезналичныхДенежныхСредств"
        kinds = KIND_NAMES[self.names]["cash" if cash else "bank"]
        kind = doc.get("OperationKind") or ""
        kind = kinds["customer"] if kind in CUSTOMER_KINDS else kinds.get(kind, kind)
        ref = guid_text(doc["GUID"])
        party = self.party(doc)
        currency = self.currency(doc.get("Currency"))
        if "Lines" in doc:
            items = doc["Lines"]
        else:
            items = [{"ContractGUID": doc.get("ContractGUID"), "ContractNumber": doc.get("ContractNumber"),
                      "ContractDate": doc.get("ContractDate"), "Amount": doc["Amount"],
                      "AmountRUB": doc.get("AmountRUB")}]
        lines = []
        for number, item in enumerate(items, 1):
            contract = self.line_contract(item, doc)
            amount = base.money(item.get("Amount"))
            rate = Decimal("1")
            if doc.get("Rate") not in (None, ""):
                rate = Decimal(str(doc["Rate"]))
            elif item.get("AmountRUB") not in (None, "") and amount:
                rate = (base.money(item["AmountRUB"]) / amount).quantize(Decimal("0.0001"))
            row = OrderedDict([("Ref_Key", ref), ("LineNumber", str(number)), ("ДоговорКонтрагента_Key", contract)])
            if bp:
                row["СуммаПлатежа"] = amount
                row["СуммаВзаиморасчетов"] = amount
                row["КурсВзаиморасчетов"] = rate
                row["КратностьВзаиморасчетов"] = Decimal("1")
                row["СчетУчетаРасчетовСКонтрагентом_Key"] = account_guid("62.01")
                row["СчетУчетаРасчетовПоАвансам_Key"] = account_guid("62.02")
            else:
                row["Сумма"] = amount
                row["СуммаВзаиморасчетов"] = amount
            lines.append(row)
        header_contracts = {row["ДоговорКонтрагента_Key"] for row in lines}
        header_contract = header_contracts.pop() if len(header_contracts) == 1 else EMPTY_REF
        entity = OrderedDict([
            ("Ref_Key", ref), ("DataVersion", seq_version(doc.get("_seq") or 0)),
            ("DeletionMark", bool(doc.get("DeletionMark"))), ("Number", doc.get("Number") or ""),
            ("Date", date_text(doc.get("Date"))), ("Posted", bool(doc.get("Posted"))),
        ])
        text_field = "Основание" if cash else "НазначениеПлатежа"
        if bp:
            entity["ВидОперации"] = kind
            entity["Организация_Key"] = ORGANIZATION
            entity["Контрагент"] = party
            entity["Контрагент_Type"] = "%s.Catalog_Контрагенты" % NAMESPACE
            entity["ДоговорКонтрагента_Key"] = header_contract
            entity["ВалютаДокумента_Key"] = currency
        else:
            entity["ХозяйственнаяОперация"] = kind
            entity["Организация_Key"] = ORGANIZATION
            entity["Контрагент_Key"] = party
            entity["Валюта_Key"] = currency
        entity["СуммаДокумента"] = base.money(doc.get("Amount"))
        entity[text_field] = doc.get("PaymentPurpose") or ""
        entity["Комментарий"] = ""
        entity["РасшифровкаПлатежа"] = lines
        self.put(entity_set, entity)

    def put(self, entity_set, entity):
        old = self.index[entity_set].get(entity["Ref_Key"])
        if old is not None:
            self.sets[entity_set].remove(old)
        self.sets[entity_set].append(entity)
        self.index[entity_set][entity["Ref_Key"]] = entity

    def finish(self):
        bp = self.names == "bp30"
        for guid, party in self.parties.items():
            values = OrderedDict([
                ("Ref_Key", guid), ("DataVersion", ""), ("DeletionMark", False), ("Parent_Key", EMPTY_REF),
                ("IsFolder", False), ("Code", "00-%06d" % (uuid.UUID(guid).int % 1000000)),
                ("Description", party["name"]), ("НаименованиеПолное", party["name"]), ("ИНН", party["inn"]),
                ("КПП", party["kpp"]),
                ("ЮридическоеФизическоеЛицо", "ЮридическоеЛицо" if party["kpp"] else "ФизическоеЛицо")])
            values["DataVersion"] = version_of(values)
            self.put("Catalog_Контрагенты", values)
        for guid, contract in self.contracts.items():
            date = contract["date"]
            description = contract["number"] or "Основной договор"
            if contract["number"] and date != EMPTY_DATE:
                description = "%s от %s" % (contract["number"], datetime.strptime(date, "%Y-%m-%dT%H:%M:%S")
                                            .strftime("%d.%m.%Y"))
            values = OrderedDict([("Ref_Key", guid), ("DataVersion", ""), ("DeletionMark", False)])
            if bp:
                values["Owner_Key"] = contract["party"]
            values.update([("Parent_Key", EMPTY_REF), ("IsFolder", False),
                           ("Code", "00-%06d" % (uuid.UUID(guid).int % 1000000)), ("Description", description),
                           ("Номер", contract["number"]), ("Дата", date)])
            if bp:
                values["ВидДоговора"] = "СПокупателем"
                values["ВалютаВзаиморасчетов_Key"] = contract["currency"]
                values["Организация_Key"] = ORGANIZATION
            else:
                values["Контрагент_Key"] = contract["party"]
                values["Организация_Key"] = ORGANIZATION
                values["ТипДоговора"] = "СКлиентом"
                values["ВалютаВзаиморасчетов_Key"] = contract["currency"]
            values["DataVersion"] = version_of(values)
            self.put("Catalog_ДоговорыКонтрагентов", values)
        for letter, guid in self.currencies.items():
            values = OrderedDict([("Ref_Key", guid), ("DataVersion", ""), ("DeletionMark", False),
                                  ("Code", base.NUMERIC_CURRENCY.get(letter, letter)), ("Description", letter),
                                  ("НаименованиеПолное", CURRENCY_NAMES.get(letter, letter))])
            values["DataVersion"] = version_of(values)
            self.put("Catalog_Валюты", values)
        if bp:
            for order, (code, description, parent, kind, currency, predefined) in enumerate(ACCOUNTS, 1):
                values = OrderedDict([("Ref_Key", account_guid(code)), ("DataVersion", ""), ("DeletionMark", False),
                                      ("Parent_Key", account_guid(parent) if parent else EMPTY_REF),
                                      ("Code", code), ("Description", description), ("Order", code),
                                      ("Вид", kind), ("Валютный", currency), ("Забалансовый", False),
                                      ("PredefinedDataName", predefined)])
                values["DataVersion"] = version_of(values)
                self.put("ChartOfAccounts_Хозрасчетный", values)
        # 1C lists a set in its own order (by reference), not by date: a client orders explicitly.
        for entity_set in self.sets:
            self.sets[entity_set].sort(key=lambda e: uuid.UUID(e["Ref_Key"]).bytes[::-1])

    # -- registers
    def balance(self, register, period):
        """The rows of the Balance virtual table at ``period`` (exclusive; None = everything)."""
        if period is None:
            bound = "9999-12-31T23:59:59"
        else:
            bound = (datetime.strptime(period, "%Y-%m-%dT%H:%M:%S") - timedelta(seconds=1)).strftime(
                "%Y-%m-%dT%H:%M:%S")
        rows = []
        for row in self.store.settlements(bound=bound):
            letter = (row.get("Currency") or "RUB").upper()
            letter = "RUB" if letter in ("RUR", "643") else letter
            foreign = letter != "RUB"
            amount = row["Balance"]
            rub = row["BalanceRUB"] if row["BalanceRUB"] is not None else amount
            if not amount and not rub:
                continue  # Остатки has no rows with nothing left
            party = guid_text(row.get("CounterpartyGUID"))
            if party == EMPTY_REF:
                party = derived_guid("counterparty", row.get("CounterpartyINN") or "",
                                     row.get("CounterpartyName") or "")
            contract = guid_text(row.get("ContractGUID"))
            if contract == EMPTY_REF:
                number_key = (row.get("ContractNumber") or "", row.get("CounterpartyINN") or "")
                contract = self.contract_by_number.get(number_key, derived_guid("contract", *number_key))
            currency = self.currency(letter)
            if register == "AccountingRegister_Хозрасчетный":
                debt = amount > 0 or (amount == 0 and rub > 0)
                values = OrderedDict([
                    ("Account_Key", account_guid("62.01" if debt else "62.02")), ("Организация_Key", ORGANIZATION),
                    ("ExtDimension1", party), ("ExtDimension1_Type", "%s.Catalog_Контрагенты" % NAMESPACE),
                    ("ExtDimension2", contract), ("ExtDimension2_Type", "%s.Catalog_ДоговорыКонтрагентов" % NAMESPACE),
                    ("Валюта_Key", currency if foreign else EMPTY_REF),
                    ("СуммаBalance", rub), ("СуммаBalanceDr", rub if debt else Decimal(0)),
                    ("СуммаBalanceCr", Decimal(0) if debt else -rub),
                    ("ВалютнаяСуммаBalance", amount if foreign else Decimal(0)),
                    ("ВалютнаяСуммаBalanceDr", amount if foreign and debt else Decimal(0)),
                    ("ВалютнаяСуммаBalanceCr", -amount if foreign and not debt else Decimal(0))])
            else:
                values = OrderedDict([
                    ("Организация_Key", ORGANIZATION), ("Контрагент_Key", party), ("Договор_Key", contract),
                    ("Валюта_Key", currency), ("СуммаBalance", amount), ("СуммаРеглBalance", rub)])
            rows.append(values)
        return rows


# -- $filter --------------------------------------------------------------------------------------

TOKEN = re.compile(r"""\s*(?:
    (?P<guid>guid'(?P<g>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})')|
    (?P<dt>datetime'(?P<d>[^']*)')|
    (?P<str>'(?P<s>(?:[^']|'')*)')|
    (?P<num>-?\d+(?:\.\d+)?)(?![\w])|
    (?P<lp>\()|(?P<rp>\))|
    (?P<name>[^\s()',]+)
)""", re.X | re.U)
COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}


def parse_datetime(text):
    text = text.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%dT%H:%M:%S")
        except ValueError:
            continue
    raise bad_request("Неверный формат даты: %s" % text)


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise bad_request("Ошибка разбора выражения $filter в позиции %d: %s" % (pos, text[pos:pos + 20]))
        pos = match.end()
        if match.group("guid"):
            tokens.append(("lit", match.group("g").lower()))
        elif match.group("dt") is not None and match.group("dt"):
            tokens.append(("lit", parse_datetime(match.group("d"))))
        elif match.group("str") is not None and match.group("str"):
            tokens.append(("lit", match.group("s").replace("''", "'")))
        elif match.group("num"):
            tokens.append(("lit", Decimal(match.group("num"))))
        elif match.group("lp"):
            tokens.append(("(", None))
        elif match.group("rp"):
            tokens.append((")", None))
        elif match.group("name"):
            word = match.group("name")
            if word in ("true", "false"):
                tokens.append(("lit", word == "true"))
            elif word == "null":
                tokens.append(("lit", None))
            elif word in COMPARISONS or word in ("and", "or", "not"):
                tokens.append(("op", word))
            elif word.startswith(("guid'", "datetime'")):
                raise bad_request("Неверный литерал в $filter: %s" % word)
            else:
                tokens.append(("name", word))
    return tokens


def comparable(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    return str(value)


def compare(op, left, right):
    left, right = comparable(left), comparable(right)
    if isinstance(left, str) and isinstance(right, str) and len(left) == 36 and len(right) == 36:
        left, right = left.lower(), right.lower()
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None or isinstance(left, bool) != isinstance(right, bool):
        return False
    if isinstance(left, Decimal) != isinstance(right, Decimal):
        return False
    try:
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    except TypeError:
        return False


class FilterParser(object):
    """Compiles a $filter into a predicate(entity, resolve) where resolve(entity, path) gives a value."""

    def __init__(self, text, check_name):
        self.tokens = tokenize(text)
        self.pos = 0
        self.check_name = check_name
        if not self.tokens:
            raise bad_request("Пустое выражение $filter")
        self.predicate = self.expr()
        if self.pos != len(self.tokens):
            raise bad_request("Ошибка разбора выражения $filter: лишнее после позиции %d" % self.pos)

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def expr(self):
        left = self.and_expr()
        while self.peek() == ("op", "or"):
            self.take()
            right = self.and_expr()
            left = (lambda a, b: lambda e, r: a(e, r) or b(e, r))(left, right)
        return left

    def and_expr(self):
        left = self.unary()
        while self.peek() == ("op", "and"):
            self.take()
            right = self.unary()
            left = (lambda a, b: lambda e, r: a(e, r) and b(e, r))(left, right)
        return left

    def unary(self):
        if self.peek() == ("op", "not"):
            self.take()
            inner = self.unary()
            return lambda e, r: not inner(e, r)
        return self.comparison()

    def operand(self):
        kind, value = self.take()
        if kind == "lit":
            return lambda e, r: value
        if kind == "name":
            self.check_name(value)
            return lambda e, r: r(e, value)
        if kind == "(":
            inner = self.expr()
            if self.take()[0] != ")":
                raise bad_request("Ошибка разбора выражения $filter: нет закрывающей скобки")
            return inner
        raise bad_request("Ошибка разбора выражения $filter: неожиданное %s" % (value or kind))

    def comparison(self):
        left = self.operand()
        kind, op = self.peek()
        if kind == "op" and op in COMPARISONS:
            self.take()
            right = self.operand()
            return lambda e, r: compare(op, left(e, r), right(e, r))
        return lambda e, r: bool(left(e, r))


# -- the request ----------------------------------------------------------------------------------

_cache = {}
_cache_lock = threading.Lock()


def infobase(store):
    configuration = getattr(store, "configuration", "bp30")
    key = (id(store), getattr(store, "generation", None), names_of(configuration))
    with _cache_lock:
        cached = _cache.get("infobase")
        if cached and cached[0] == key:
            return cached[1]
    built = Infobase(store, configuration)
    with _cache_lock:
        _cache["infobase"] = (key, built)
    return built


PARAM = re.compile(r"\s*([A-Za-z]\w*)\s*=\s*")


def parse_function_params(text):
    """``Period=datetime'…', AccountCondition='… guid'…' …'`` -> {name: raw value}; a quoted
    value ends at the quote followed by a comma and the next parameter, or by the end (1C does
    not double the inner quotes of a condition)."""
    params = {}
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = PARAM.match(text, pos)
        if not match:
            raise bad_request("Неверные параметры виртуальной таблицы: %s" % text[pos:pos + 30])
        name = match.group(1)
        pos = match.end()
        nxt = re.compile(r"\s*,\s*[A-Za-z]\w*\s*=")
        if text.startswith("'", pos):
            end = None
            for candidate in re.finditer(r"'", text[pos + 1:]):
                at = pos + 1 + candidate.start()
                rest = text[at + 1:]
                if rest.strip() == "" or nxt.match(rest):
                    end = at
                    break
            if end is None:
                raise bad_request("Неверные параметры виртуальной таблицы: нет закрывающей кавычки")
            value = text[pos + 1:end].replace("''", "'")
            params[name] = ("str", value)
            pos = end + 1
        else:
            found = nxt.search(text, pos)
            stop = found.start() if found else len(text)
            params[name] = ("raw", text[pos:stop].strip())
            pos = stop
        comma = re.compile(r"\s*,").match(text, pos)
        if comma:
            pos = comma.end()
    return params


class Request(object):
    def __init__(self, store, base_url, path, query):
        self.store = store
        self.base_url = base_url
        self.path = path
        self.query = query
        self.configuration = getattr(store, "configuration", "bp30")
        self.unpublished = set(getattr(store, "unpublished", ()) or ())
        self.db = infobase(store)
        self.defs = self.db.defs

    def published(self, name):
        return name in self.defs and name not in self.unpublished

    def check_object(self, name):
        if name in self.defs and name in self.unpublished:
            raise ODataError("403 Forbidden", "6", ERROR_UNPUBLISHED % name)
        if name not in self.defs:
            raise ODataError("404 Not Found", "6", 'Не найден объект "%s"' % name)

    # -- dispatch
    def answer(self):
        path = self.path.strip("/")
        if path == "":
            return self.service_document()
        if path == "$metadata":
            return "xml", metadata(self.defs, self.unpublished)
        match = re.match(r"^([^/(]+)(?:\((.*)\))?(?:/(.*))?$", path, re.S)
        if not match:
            raise ODataError("404 Not Found", "6", 'Не найден ресурс "%s"' % path)
        name, key, tail = match.group(1), match.group(2), match.group(3)
        self.check_object(name)
        definition = self.defs[name]
        if definition["kind"] == "register":
            func = re.match(r"^(\w+)(?:\((.*)\))?$", tail or "", re.S)
            if key is not None or not func or func.group(1) != definition["function"]:
                raise ODataError("400 Bad Request", "3", "Для %s поддерживается только виртуальная таблица %s()"
                                 % (name, definition["function"]))
            return "json", self.register(name, definition, func.group(2) or "")
        if tail:
            raise ODataError("400 Bad Request", "3", "Неподдерживаемый путь ресурса: %s" % tail)
        if key is not None:
            key_match = re.match(r"^\s*guid'([0-9a-fA-F-]{36})'\s*$", key)
            if not key_match:
                raise bad_request("Неверный ключ сущности: %s" % key)
            entity = self.db.index[name].get(key_match.group(1).lower())
            if entity is None:
                raise ODataError("404 Not Found", "9", "Не найден экземпляр сущности %s(guid'%s')"
                                 % (name, key_match.group(1)))
            expand = self.expand_list(definition)
            select = self.select_tree(definition, expand)
            body = OrderedDict([("odata.metadata", "%s$metadata#%s/@Element" % (self.base_url, name))])
            body.update(self.shape(name, definition, entity, select, expand))
            return "json", body
        return "json", self.collection(name, definition, self.db.sets[name])

    def service_document(self):
        value = [OrderedDict([("name", name), ("url", name)]) for name, d in self.defs.items()
                 if self.published(name)]
        return "json", OrderedDict([("odata.metadata", self.base_url + "$metadata"), ("value", value)])

    # -- query options
    def option(self, name):
        return self.query.get(name)

    def int_option(self, name):
        text = self.option(name)
        if text is None or text == "":
            return None
        try:
            value = int(text)
        except ValueError:
            raise bad_request("Неверное значение параметра %s: %s" % (name, text))
        if value < 0:
            raise bad_request("Неверное значение параметра %s: %s" % (name, text))
        return value

    def expand_list(self, definition):
        text = self.option("$expand") or ""
        expand = {}
        for item in [p.strip() for p in text.split(",") if p.strip()]:
            head, _sep, sub = item.partition("/")
            if head in definition["nav"]:
                target = definition["nav"][head][1]
                self.check_object(target)
                expand.setdefault(head, set())
            elif head in definition.get("row_nav", {}) and sub in definition["row_nav"][head]:
                target = definition["row_nav"][head][sub][1]
                self.check_object(target)
                expand.setdefault(head, set()).add(sub)
            else:
                raise bad_request("Неверное навигационное свойство в $expand: %s" % item)
        return expand

    def select_tree(self, definition, expand):
        text = self.option("$select")
        if not text or text.strip() == "*":
            return None
        tree = OrderedDict()
        for item in [p.strip() for p in text.split(",") if p.strip()]:
            head, _sep, sub = item.partition("/")
            if sub and head in definition["nav"] and head in expand:
                target = self.defs[definition["nav"][head][1]]
                if sub not in target["names"]:
                    raise bad_request("Неверное имя поля в $select: %s" % item)
                if tree.get(head, ()) is not None:
                    tree.setdefault(head, set()).add(sub)
            elif head in definition["names"] or head in definition.get("tabular", {}):
                if sub and head in definition.get("tabular", {}):
                    fields = {f for f, _t in definition["tabular"][head]}
                    if sub not in fields:
                        raise bad_request("Неверное имя поля в $select: %s" % item)
                    tree.setdefault(head, set()).add(sub)
                elif sub:
                    raise bad_request("Неверное имя поля в $select: %s" % item)
                else:
                    tree[head] = None
            elif head in definition["nav"] and head in expand:
                if sub:
                    target = self.defs[definition["nav"][head][1]]
                    if sub not in target["names"]:
                        raise bad_request("Неверное имя поля в $select: %s" % item)
                    if tree.get(head, ()) is not None:
                        tree.setdefault(head, set()).add(sub)
                else:
                    tree[head] = None
            else:
                raise bad_request("Неверное имя поля в $select: %s" % item)
        return tree

    def check_filter_name(self, definition):
        def check(name):
            head, _sep, sub = name.partition("/")
            if not sub and head in definition["names"]:
                return
            if sub and head in definition["nav"] and sub in self.defs[definition["nav"][head][1]]["names"]:
                return
            raise bad_request("Неверное имя поля в $filter: %s" % name)
        return check

    def resolver(self, definition):
        def resolve(entity, name):
            if name in entity:
                return entity[name]
            head, _sep, sub = name.partition("/")
            field, target = definition["nav"][head]
            other = self.db.index.get(target, {}).get(entity.get(field))
            return other.get(sub) if other else None
        return resolve

    def order_keys(self, definition):
        text = self.option("$orderby")
        if not text:
            return []
        keys = []
        for item in [p.strip() for p in text.split(",") if p.strip()]:
            parts = item.split()
            if len(parts) > 2 or (len(parts) == 2 and parts[1] not in ("asc", "desc")) or \
                    parts[0] not in definition["names"]:
                raise bad_request("Неверное выражение $orderby: %s" % item)
            keys.append((parts[0], len(parts) == 2 and parts[1] == "desc"))
        return keys

    def collection(self, name, definition, rows, metadata_name=None):
        expand = self.expand_list(definition)
        select = self.select_tree(definition, expand)
        rows = list(rows)
        text = self.option("$filter")
        if text:
            keys = key_disjunction(text)
            if keys is not None and name in self.db.index:
                # Ref_Key eq guid'…' or …: by the index (what 1C's SQL does with the key), same answer.
                index = self.db.index[name]
                rows = [row for row in rows if row["Ref_Key"] in keys] if len(keys) > len(index) // 4 else \
                    sorted((index[key] for key in keys if key in index), key=rows.index)
            else:
                predicate = FilterParser(text, self.check_filter_name(definition)).predicate
                resolve = self.resolver(definition)
                rows = [row for row in rows if predicate(row, resolve)]
        for field, descending in reversed(self.order_keys(definition)):
            rows.sort(key=lambda row: sort_key(row.get(field)), reverse=descending)
        count = len(rows)
        skip, top = self.int_option("$skip"), self.int_option("$top")
        if skip:
            rows = rows[skip:]
        if top is not None:
            rows = rows[:top]
        value = [self.shape(name, definition, row, select, expand) for row in rows]
        if self.store_mode == "duplicate":
            value = [item for row in value for item in (row, row)]
        body = OrderedDict([("odata.metadata", "%s$metadata#%s" % (self.base_url, metadata_name or name))])
        inline = self.option("$inlinecount")
        if inline == "allpages":
            body["odata.count"] = str(count)
        elif inline not in (None, "", "none"):
            raise bad_request("Неверное значение параметра $inlinecount: %s" % inline)
        body["value"] = value
        return body

    store_mode = "normal"

    def shape(self, name, definition, entity, select, expand):
        out = OrderedDict()
        for key, value in entity.items():
            if select is not None and key not in select and not (
                    key.endswith("_Type") and key[:-5] in select and select[key[:-5]] is None):
                continue
            if isinstance(value, list):
                fields = select.get(key) if select is not None else None
                nav = definition.get("row_nav", {}).get(key, {})
                rows = []
                for row in value:
                    row_out = OrderedDict((f, v) for f, v in row.items() if not fields or f in fields
                                          or f in ("Ref_Key", "LineNumber"))
                    for sub in expand.get(key, ()):
                        field, target = nav[sub]
                        row_out[sub] = self.db.index[target].get(row.get(field))
                    rows.append(row_out)
                out[key] = rows
            else:
                out[key] = value
        for nav_name in expand:
            if nav_name not in definition["nav"]:
                continue
            if select is not None and nav_name not in select:
                continue
            field, target = definition["nav"][nav_name]
            other = self.db.index[target].get(entity.get(field))
            if other is not None and select is not None and select.get(nav_name):
                other = OrderedDict((k, v) for k, v in other.items() if k in select[nav_name])
            out[nav_name] = other
        return out

    def register(self, name, definition, params_text):
        params = parse_function_params(params_text)
        for param in params:
            if param not in definition["params"]:
                raise bad_request("Неизвестный параметр виртуальной таблицы %s: %s" % (definition["function"], param))
        period = None
        if "Period" in params:
            kind, raw = params["Period"]
            match = re.match(r"^datetime'([^']*)'$", raw) if kind == "raw" else None
            if not match:
                raise bad_request("Неверное значение параметра Period: %s" % raw)
            period = parse_datetime(match.group(1))
        rows = self.db.balance(name, period)
        row_def = {"names": definition["names"], "nav": definition["nav"]}
        for param, field_check in (("AccountCondition", {"Account_Key"}), ("Condition", None)):
            if param not in params:
                continue
            kind, text = params[param]
            if kind != "str":
                raise bad_request("Параметр %s задается строкой" % param)
            allowed = field_check or definition["names"]

            def check(field, allowed=allowed, param=param):
                if field not in allowed:
                    raise bad_request("Неверное имя поля в параметре %s: %s" % (param, field))
            predicate = FilterParser(text, check).predicate
            rows = [row for row in rows if predicate(row, lambda e, f: e.get(f))]
        return self.collection(name, row_def, rows, metadata_name=definition["row_type"])


KEY_TERM = re.compile(r"\s*Ref_Key\s+eq\s+guid'([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                      r"[0-9a-fA-F]{12})'\s*")


def key_disjunction(text):
    """The set of GUIDs when a $filter is only ``Ref_Key eq guid'…' or …`` (in
    parentheses or not), else None."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    keys = set()
    for term in re.split(r"\s+or\s+", text):
        match = KEY_TERM.fullmatch(term)
        if not match:
            return None
        keys.add(match.group(1).lower())
    return keys


def sort_key(value):
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, (int, float, Decimal)):
        return (2, Decimal(str(value)))
    return (3, str(value))


# -- $metadata ------------------------------------------------------------------------------------

def metadata(defs, unpublished=()):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">',
             '<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
             'm:DataServiceVersion="3.0">',
             '<Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="%s">' % NAMESPACE]
    published = [(name, d) for name, d in defs.items() if name not in unpublished]
    associations = []
    for name, definition in published:
        type_name = definition.get("row_type", name)
        parts.append('<EntityType Name=%s>' % quoteattr(type_name))
        if definition["kind"] != "register":
            parts.append('<Key><PropertyRef Name="Ref_Key"/></Key>')
        for prop, edm in definition["properties"]:
            nullable = "false" if prop == "Ref_Key" else "true"
            parts.append('<Property Name=%s Type="%s" Nullable="%s"/>' % (quoteattr(prop), edm, nullable))
        for section in definition.get("tabular", {}):
            parts.append('<Property Name=%s Type="Collection(%s.%s_%s_RowType)" Nullable="false"/>'
                         % (quoteattr(section), NAMESPACE, name, section))
        for nav, (_field, target) in definition["nav"].items():
            if target in unpublished:
                continue
            relation = "%s_%s" % (type_name, nav)
            associations.append((relation, type_name, target))
            parts.append('<NavigationProperty Name=%s Relationship=%s FromRole="Begin" ToRole="End"/>'
                         % (quoteattr(nav), quoteattr("%s.%s" % (NAMESPACE, relation))))
        parts.append('</EntityType>')
        for section, fields in definition.get("tabular", {}).items():
            parts.append('<ComplexType Name=%s>' % quoteattr("%s_%s_RowType" % (name, section)))
            for prop, edm in fields:
                parts.append('<Property Name=%s Type="%s" Nullable="%s"/>' % (
                    quoteattr(prop), edm, "false" if prop in ("Ref_Key", "LineNumber") else "true"))
            parts.append('</ComplexType>')
    for relation, source, target in associations:
        parts.append('<Association Name=%s><End Role="Begin" Type=%s Multiplicity="*"/>'
                     '<End Role="End" Type=%s Multiplicity="0..1"/></Association>'
                     % (quoteattr(relation), quoteattr("%s.%s" % (NAMESPACE, source)),
                        quoteattr("%s.%s" % (NAMESPACE, target))))
    parts.append('<EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">')
    for name, definition in published:
        if definition["kind"] == "register":
            continue
        parts.append('<EntitySet Name=%s EntityType=%s/>' % (quoteattr(name), quoteattr("%s.%s" % (NAMESPACE, name))))
    for name, definition in published:
        if definition["kind"] != "register":
            continue
        parts.append('<EntitySet Name=%s EntityType=%s/>' % (
            quoteattr(definition["row_type"]), quoteattr("%s.%s" % (NAMESPACE, definition["row_type"]))))
        parts.append('<FunctionImport Name=%s ReturnType=%s EntitySet=%s IsBindable="true" '
                     'm:IsAlwaysBindable="true">' % (
                         quoteattr(definition["function"]),
                         quoteattr("Collection(%s.%s)" % (NAMESPACE, definition["row_type"])),
                         quoteattr(definition["row_type"])))
        parts.append('<Parameter Name="bindingParameter" Type=%s/>' % quoteattr("Collection(%s.%s)" % (
            NAMESPACE, name)))
        for param in definition["params"]:
            edm = "Edm.DateTime" if param == "Period" else "Edm.String"
            parts.append('<Parameter Name="%s" Type="%s" Nullable="true"/>' % (param, edm))
        parts.append('</FunctionImport>')
    parts.append('</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>')
    return "".join(parts)


# -- WSGI ---------------------------------------------------------------------------------------

def wsgi_text(value):
    """PATH_INFO / QUERY_STRING as WSGI gives them (latin-1 of the bytes) -> text."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def respond(start_response, status, body, content_type, extra=()):
    if isinstance(body, str):
        body = body.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))] + list(extra))
    return [body]


def error_body(code, message):
    return json.dumps({"odata.error": OrderedDict([
        ("code", code), ("message", OrderedDict([("lang", "ru"), ("value", message)]))])}, ensure_ascii=False)


def respond_error(start_response, status, code, message):
    return respond(start_response, status, error_body(code, message), "application/json;charset=utf-8")


def handle(app, environ, start_response, prefix):
    """Answers one request under ``prefix`` (``/<publication>/odata/standard.odata``)."""
    store = app.store
    if store.mode == "badauth" or not app.authorized(environ):
        return respond(start_response, "401 Unauthorized", b"Unauthorized", "text/plain",
                       [("WWW-Authenticate", 'Basic realm="1C:Enterprise"')])
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return respond_error(start_response, "405 Method Not Allowed", "4",
                             "Метод не поддерживается заглушкой (только чтение)")
    path = wsgi_text(environ.get("PATH_INFO", ""))[len(prefix):]
    query = OrderedDict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True, encoding="utf-8"))
    mode = store.fault_mode()
    if mode == "slow":
        time.sleep(store.delay)
    elif mode == "http500":
        return respond(start_response, "500 Internal Server Error", base.HTML_500, "text/html")
    elif mode == "http502":
        return respond(start_response, "502 Bad Gateway", base.HTML_502, "text/html")
    elif mode in ("busy", "nolicense"):
        text = base.BUSY_TEXT if mode == "busy" else base.NOLICENSE_TEXT
        text = text.replace("buh/ws/Payments", "%s/odata" % app.publication)
        return respond(start_response, "503 Service Unavailable", html_page("503 Service Unavailable", text),
                       "text/html; charset=utf-8")
    elif mode in ("lock", "fault"):
        return respond_error(start_response, "500 Internal Server Error", "-1", LOCK_TEXT)
    elif mode == "rights":
        return respond_error(start_response, "403 Forbidden", "-1", RIGHTS_TEXT)
    elif mode == "malformed":
        return respond(start_response, "200 OK", "Ошибка: сеанс 1С завершён\x00<<".encode(),
                       "application/json;charset=utf-8")
    host = environ.get("HTTP_HOST") or "%s:%s" % (environ.get("SERVER_NAME", "localhost"),
                                                  environ.get("SERVER_PORT", "80"))
    base_url = "http://%s%s/" % (host, quote(prefix))
    try:
        request = Request(store, base_url, path, query)
        request.store_mode = mode
        fmt = query.get("$format", "")
        kind, body = request.answer()
    except ODataError as error:
        return respond_error(start_response, error.status, error.code, error.message)
    if kind == "xml":
        return respond(start_response, "200 OK", body, "application/xml;charset=utf-8")
    if "json" not in fmt:
        # 1C answers Atom XML without $format=json; the stand-in only hints at it.
        atom = ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                'xml:base=%s><title type="text">%s</title></feed>' % (quoteattr(base_url), escape(path.strip("/"))))
        return respond(start_response, "200 OK", atom, "application/atom+xml;charset=utf-8")
    text = json.dumps(to_json(body), ensure_ascii=False)
    data = text.encode("utf-8")
    if mode == "truncated":
        data = data[:len(data) // 2]
    return respond(start_response, "200 OK", data, "application/json;charset=utf-8")
