# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Values and answers of the 1C web service as 1C's XDTO writes them.

The answers are read from the SOAP envelope with lxml by *local names*: the
namespace is whatever the 1C programmer typed (a URL or a bare word), the
XDTO package may live in a namespace of its own, and 1C adds elements the
contract does not know. Only names and values matter here.

Shapes accepted (see tests/onec_variants):

- dates as ``xs:dateTime`` or ``xs:date``, with or without a zone (the wall
  time 1C wrote is kept, the zone dropped: 1C's dates are local);
  ``0001-01-01`` (1C's empty date) and nil are ``None``;
- strings: nil or absent -> ``""``; the all-zero GUID -> ``""``;
- numbers as ``xs:decimal`` (any facets) or ``xs:integer`` -> ``Decimal``;
- booleans ``true``/``1``;
- currency as the letter code or the numeric ОКВ code (``643``) -> letter code;
- GetPayments: the package as ``return`` (Cursor, HasMore, Payments) or the
  payments as ``return`` with Cursor/HasMore as output parameters beside it;
- a receipt without Lines (or with an empty Lines) -> one line from the
  document-level contract and the document amount, with key ``""``.
"""
from datetime import datetime
from decimal import Decimal, InvalidOperation

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"

# ОКВ (Общероссийский классификатор валют): 1C's Валюты.Код.
OKV = {
    "643": "RUB", "810": "RUB", "840": "USD", "978": "EUR", "156": "CNY", "398": "KZT", "933": "BYN",
    "826": "GBP", "980": "UAH", "756": "CHF", "392": "JPY", "949": "TRY", "051": "AMD", "417": "KGS",
    "860": "UZS", "972": "TJS", "944": "AZN", "981": "GEL", "498": "MDL", "784": "AED", "356": "INR",
    "985": "PLN", "203": "CZK", "941": "RSD", "344": "HKD", "702": "SGD", "410": "KRW", "764": "THB",
    "704": "VND", "496": "MNT", "934": "TMT", "124": "CAD", "036": "AUD", "752": "SEK", "578": "NOK",
    "208": "DKK", "348": "HUF", "946": "RON", "975": "BGN", "364": "IRR", "818": "EGP", "986": "BRL",
}
# Old ruble names still met in 1C bases ("руб." as Наименование, RUR).
CURRENCY_ALIASES = {"РУБ": "RUB", "РУБ.": "RUB", "RUR": "RUB", "РУБЛЬ": "RUB"}


class ShapeError(ValueError):
    """The answer does not fit the contract (the client turns it into
    OneCError("contract", ...))."""


def local(tag):
    """Local name of an lxml tag ('{ns}Name' -> 'Name'); '' for comments."""
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1:]


def children(element):
    """{local name: first child element} of an element."""
    result = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = tag[tag.rfind("}") + 1:]
        if name not in result:
            result[name] = child
    return result


def is_nil(element):
    return element is None or element.get(XSI_NIL) in ("true", "1")


def text(element):
    """The element's text ('' when absent, nil or empty), stripped."""
    if element is None or element.get(XSI_NIL) in ("true", "1"):
        return ""
    value = element.text
    return value.strip() if value else ""


def guid(element):
    value = text(element)
    return "" if value == ZERO_GUID else value


def boolean(element, name):
    value = text(element)
    if value in ("true", "1"):
        return True
    if value in ("false", "0", ""):
        return False
    raise ShapeError("значение %s «%s» не является булевым (true/false)" % (name, value[:40]))


def parse_date(value, name="дата"):
    """xs:dateTime or xs:date, with or without zone / fraction -> naive
    datetime of the wall time written; empty or 0001-01-01 -> None."""
    value = value.strip()
    if not value:
        return None
    try:
        year, month, day = int(value[0:4]), int(value[5:7]), int(value[8:10])
        if value[4] != "-" or value[7] != "-":
            raise ValueError(value)
        if year <= 1:
            return None
        if len(value) > 10 and value[10] in "T ":
            hour, minute, second = int(value[11:13]), int(value[14:16]), int(value[17:19])
            return datetime(year, month, day, hour, minute, second)
        if len(value) > 10 and value[10] not in "Z+-":
            raise ValueError(value)
        return datetime(year, month, day)
    except (ValueError, IndexError):
        raise ShapeError("значение %s «%s» не является датой" % (name, value[:40]))


def date(element, name):
    if element is None or element.get(XSI_NIL) in ("true", "1") or not element.text:
        return None
    return parse_date(element.text, name)


def number(element, name, default=Decimal(0)):
    value = text(element)
    if not value:
        return default
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ShapeError("значение %s «%s» не является числом" % (name, value[:40]))
    if not result.is_finite():
        raise ShapeError("значение %s «%s» не является числом" % (name, value[:40]))
    return result


def currency(element):
    """Letter code, upper case; a numeric ОКВ code is translated."""
    value = text(element).upper()
    if value.isdigit():
        return OKV.get(value.zfill(3), value)
    return CURRENCY_ALIASES.get(value, value)


# -- the envelope ---------------------------------------------------------------


def body_answer(envelope, operation):
    """The operation's response element (``OpResponse``) in the SOAP Body."""
    if envelope is None or local(envelope.tag) != "Envelope":
        raise ShapeError("ответ не является SOAP-конвертом")
    body = children(envelope).get("Body")
    if body is None:
        raise ShapeError("в SOAP-конверте нет Body")
    for child in body:
        if isinstance(child.tag, str):
            return child
    raise ShapeError("ответ на %s пуст" % operation)


def ping(envelope):
    answer = body_answer(envelope, "Ping")
    kids = children(answer)
    if "return" in kids:
        return text(kids["return"])
    if not len(answer):
        return text(answer)
    raise ShapeError("в ответе на Ping нет элемента return")


def _items(container, wrapper, item):
    """The ``item`` children of ``container``, under its ``wrapper`` child
    when there is one. None when neither is there."""
    kids = children(container)
    if wrapper in kids:
        node = kids[wrapper]
        if is_nil(node):
            return []
        found = [child for child in node if local(child.tag) == item]
        if found or not len(node):
            return found
        nested = children(node).get(wrapper)  # 1C's "return" holding the list
        if nested is not None:
            return [child for child in nested if local(child.tag) == item]
        return found
    if item in kids:
        return [child for child in container if local(child.tag) == item]
    return None


def payments(envelope):
    """(docs, cursor, more) from a GetPayments answer."""
    answer = body_answer(envelope, "GetPayments")
    kids = children(answer)
    ret = kids.get("return")
    scopes = [ret, answer] if ret is not None and not is_nil(ret) else [answer]
    cursor = more = items = None
    for scope in scopes:
        scope_kids = children(scope)
        if cursor is None and "Cursor" in scope_kids:
            cursor = text(scope_kids["Cursor"])
        if more is None and "HasMore" in scope_kids:
            more = boolean(scope_kids["HasMore"], "HasMore")
        if items is None:
            items = _items(scope, "Payments", "Payment")
    if items is None:
        if ret is not None and not len(ret):
            items = []  # an empty (or nil) list as the return value
        else:
            raise ShapeError("в ответе на GetPayments нет списка Payments")
    if cursor is None:
        raise ShapeError("в ответе на GetPayments нет курсора Cursor")
    docs = []
    for item in items:
        try:
            docs.append(payment(item))
        except ShapeError as error:
            kids = children(item)
            raise ShapeError("%s (документ № %s, GUID %s)" % (error, text(kids.get("Number")) or "?",
                                                              text(kids.get("GUID")) or "?"))
    return docs, cursor, bool(more)


def _counterparty(kids):
    """Counterparty fields, flat (CounterpartyINN) or nested
    (Counterparty/INN), as the partner_* / inn / kpp keys of a dict."""
    nested = kids.get("Counterparty")
    if nested is not None and len(nested):
        sub = children(nested)
        ref = sub.get("GUID") if "GUID" in sub else sub.get("Ref")
        name, inn, kpp = sub.get("Name"), sub.get("INN"), sub.get("KPP")
    else:
        ref, name, inn, kpp = (kids.get("CounterpartyGUID"), kids.get("CounterpartyName"),
                               kids.get("CounterpartyINN"), kids.get("CounterpartyKPP"))
    return {"partner_guid": guid(ref), "partner_name": text(name), "inn": text(inn), "kpp": text(kpp)}


def payment(element):
    kids = children(element)
    doc_guid = guid(kids.get("GUID"))
    if not doc_guid:
        raise ShapeError("у документа оплаты нет GUID")
    amount = number(kids.get("Amount"), "Amount")
    lines = []
    lines_node = kids.get("Lines")
    if lines_node is not None and not is_nil(lines_node):
        for line in lines_node:
            if not isinstance(line.tag, str):
                continue
            sub = children(line)
            lines.append({
                "key": text(sub.get("LineKey")),
                "contract_guid": guid(sub.get("ContractGUID")),
                "contract_number": text(sub.get("ContractNumber")),
                "contract_date": date(sub.get("ContractDate"), "ContractDate"),
                "amount": number(sub.get("Amount"), "Amount"),
            })
    if not lines:
        lines.append({
            "key": "",
            "contract_guid": guid(kids.get("ContractGUID")),
            "contract_number": text(kids.get("ContractNumber")),
            "contract_date": date(kids.get("ContractDate"), "ContractDate"),
            "amount": amount,
        })
    doc = {
        "guid": doc_guid,
        "doc_type": text(kids.get("DocumentType")),
        "number": text(kids.get("Number")),
        "date": date(kids.get("Date"), "Date"),
        "posted": boolean(kids.get("Posted"), "Posted"),
        "deletion_mark": boolean(kids.get("DeletionMark"), "DeletionMark"),
        "amount": amount,
        "currency": currency(kids.get("Currency")),
        "purpose": text(kids.get("PaymentPurpose")),
        "lines": lines,
    }
    doc.update(_counterparty(kids))
    return doc


def settlements(envelope):
    """Rows from a GetSettlements answer (the list as ``return``, or the
    rows beside it)."""
    answer = body_answer(envelope, "GetSettlements")
    kids = children(answer)
    ret = kids.get("return")
    items = None
    if ret is not None:
        if is_nil(ret):
            items = []
        else:
            items = _items(ret, "Settlements", "Settlement")
            if items is None and not len(ret):
                items = []
    if items is None:
        items = _items(answer, "Settlements", "Settlement")
    if items is None:
        raise ShapeError("в ответе на GetSettlements нет списка Settlement")
    return [settlement(item) for item in items]


def settlement(element):
    kids = children(element)
    row = _counterparty(kids)
    row.update({
        "contract_guid": guid(kids.get("ContractGUID")),
        "contract_number": text(kids.get("ContractNumber")),
        "contract_date": date(kids.get("ContractDate"), "ContractDate"),
        "currency": currency(kids.get("Currency")),
        "balance": number(kids.get("Balance"), "Balance"),
        "balance_rub": number(kids.get("BalanceRUB"), "BalanceRUB", default=None),
    })
    return row


def fault_text(envelope):
    """The text of a SOAP 1.1 or 1.2 Fault in the envelope, or None."""
    if envelope is None or local(envelope.tag) != "Envelope":
        return None
    body = children(envelope).get("Body")
    if body is None:
        return None
    fault = children(body).get("Fault")
    if fault is None:
        return None
    kids = children(fault)
    if "faultstring" in kids:  # SOAP 1.1
        message = text(kids["faultstring"])
    elif "Reason" in kids:  # SOAP 1.2
        message = " ".join(text(node) for node in kids["Reason"] if isinstance(node.tag, str))
    else:
        message = ""
    if not message and "detail" in kids:
        message = " ".join(" ".join(kids["detail"].itertext()).split())
    return message.strip()
