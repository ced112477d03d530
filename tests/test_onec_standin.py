"""The 1C stand-in (onec/) against its published contract (version 2),
through zeep and raw HTTP, as a real 1C publication would be met: split
receipts, settlements as account 62 at a date, 1C's faults and the raw 1C
style of values. No Odoo needed: run with ``-p no:odoo`` (pytest-odoo wants a
database otherwise) or inside the full run."""
import datetime
import json
import os

import pytest
import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.transports import Transport

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NS = "http://tehnosnab.example/exchange/payments"
USER, PASSWORD = "Обмен", "secret"
EMPTY = "0001-01-01T00:00:00"


def payment(guid, amount="100.00", **extra):
    values = {"GUID": guid, "Number": "ТС00-%s" % guid, "Date": "2026-11-02T00:00:00",
              "CounterpartyName": "ООО «Альфа»", "CounterpartyINN": "7701000011", "CounterpartyKPP": "770101001",
              "ContractNumber": "Д-1", "ContractDate": "2026-10-01T00:00:00", "Amount": amount,
              "Currency": "RUB", "PaymentPurpose": "Оплата по договору Д-1"}
    values.update(extra)
    return values


@pytest.fixture
def control(stand_in):
    def post(**values):
        answer = requests.post(stand_in + "/__control__", data=json.dumps(values), timeout=5)
        answer.raise_for_status()
        return answer.json()
    post(reset=True, payments=[], contracts=[], sales=[])
    return post


def make_service(stand_in, binding="PaymentsSoapBinding", timeout=5):
    session = requests.Session()
    session.auth = (USER.encode("utf-8"), PASSWORD.encode("utf-8"))
    client = zeep.Client(stand_in + "/buh/ws/Payments.1cws?wsdl",
                         transport=Transport(session=session, timeout=timeout, operation_timeout=timeout))
    return client.create_service("{%s}%s" % (NS, binding), stand_in + "/buh/ws/Payments.1cws")


def get_payments(service, cursor="", limit=100):
    return service.GetPayments(Cursor=cursor, DateFrom=EMPTY, DateTo=EMPTY, Limit=limit)


def test_wsdl_is_shaped_like_1c():
    tree = etree.parse(os.path.join(ROOT, "onec", "Payments.wsdl"))
    root = tree.getroot()
    wsdl = "http://schemas.xmlsoap.org/wsdl/"
    assert root.get("name") == "Payments" and root.get("targetNamespace") == NS
    assert root.nsmap["tns"] == root.nsmap["xsd1"] == NS
    schema = root.find("{%s}types/{http://www.w3.org/2001/XMLSchema}schema" % wsdl)
    assert schema.get("elementFormDefault") == "qualified"
    assert schema.get("attributeFormDefault") == "unqualified"
    bindings = [b.get("name") for b in root.findall("{%s}binding" % wsdl)]
    assert bindings == ["PaymentsSoapBinding", "PaymentsSoap12Binding"]
    actions = {op.get("soapAction") for op in root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}operation")}
    assert "%s#Payments:GetPayments" % NS in actions
    messages = [m.get("name") for m in root.findall("{%s}message" % wsdl)]
    assert "GetPaymentsRequestMessage" in messages and "GetPaymentsResponseMessage" in messages
    ports = root.findall("{%s}service/{%s}port" % (wsdl, wsdl))
    assert len(ports) == 2
    text = etree.tostring(root).decode()
    assert 'type="xs:date"' not in text and "Payments.1cws" in text
    response = schema.find("{http://www.w3.org/2001/XMLSchema}element[@name='GetPaymentsResponse']")
    assert response.find(".//{http://www.w3.org/2001/XMLSchema}element").get("name") == "return"


def test_wsdl_needs_utf8_basic_auth(stand_in, control):
    url = stand_in + "/buh/ws/Payments.1cws?wsdl"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, auth=(USER.encode(), b"wrong"), timeout=5).status_code == 401
    with pytest.raises(UnicodeEncodeError):
        requests.get(url, auth=(USER, PASSWORD), timeout=5)  # requests' latin-1
    answer = requests.get(url, auth=(USER.encode("utf-8"), PASSWORD.encode("utf-8")), timeout=5)
    assert answer.status_code == 200 and b"PaymentsSoap12Binding" in answer.content
    assert requests.get(stand_in + "/buh/ws/Payments?wsdl", auth=(USER.encode(), PASSWORD.encode()),
                        timeout=5).status_code == 200


def test_both_bindings_and_cursor_paging(stand_in, control):
    control(payments=[payment("g%d" % i, amount="%d.50" % (i + 1)) for i in range(5)])
    for binding in ("PaymentsSoapBinding", "PaymentsSoap12Binding"):
        service = make_service(stand_in, binding)
        page = get_payments(service, "", 2)
        assert page.Cursor == "2" and page.HasMore is True
        assert [p.GUID for p in page.Payments.Payment] == ["g0", "g1"]
        first = page.Payments.Payment[0]
        assert str(first.Amount) == "1.50" and first.Date.year == 2026 and first.Date.tzinfo is None
        assert first.CounterpartyINN == "7701000011" and first.Posted is True and first.DeletionMark is False
        page = get_payments(service, "2", 10)
        assert page.Cursor == "5" and page.HasMore is False and len(page.Payments.Payment) == 3
        empty = get_payments(service, "5", 10)
        assert empty.Cursor == "5" and not empty.Payments
        assert "заглушка" in service.Ping()
    # A changed document comes again with a new change number.
    control(upsert=[payment("g1", amount="999.00", DeletionMark=True)])
    page = get_payments(make_service(stand_in), "5", 10)
    assert [(p.GUID, p.DeletionMark, str(p.Amount)) for p in page.Payments.Payment] == [("g1", True, "999.00")]


def test_empty_list_is_an_empty_wrapper(stand_in, control):
    body = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="%s"><soap:Body>'
            '<p:GetPayments><p:Cursor/><p:DateFrom>%s</p:DateFrom><p:DateTo>%s</p:DateTo><p:Limit>10</p:Limit>'
            '</p:GetPayments></soap:Body></soap:Envelope>') % (NS, EMPTY, EMPTY)
    answer = requests.post(stand_in + "/buh/ws/Payments.1cws", data=body.encode(),
                           auth=(USER.encode(), PASSWORD.encode()), timeout=5,
                           headers={"Content-Type": "text/xml; charset=utf-8",
                                    "SOAPAction": "%s#Payments:GetPayments" % NS})
    assert answer.status_code == 200
    assert b"<m:Payments></m:Payments>" in answer.content


# -- contract version 2: split receipts -------------------------------------

ALPHA = {"CounterpartyGUID": "cp-alpha", "CounterpartyName": "ООО «Альфа»", "CounterpartyINN": "7701000011",
         "CounterpartyKPP": "770101001"}
BETA = {"CounterpartyGUID": "cp-beta", "CounterpartyName": "АО «Бета»", "CounterpartyINN": "7702000022",
        "CounterpartyKPP": ""}


def contract(guid, number, party=ALPHA, currency="RUB", date="2026-09-01T00:00:00"):
    return dict(party, ContractGUID=guid, ContractNumber=number, ContractDate=date, Currency=currency)


def receipt(guid, lines, date="2026-11-02T00:00:00", party=ALPHA, **extra):
    values = dict(party, GUID=guid, DocumentType="ПоступлениеНаРасчетныйСчет", Number="ТС00-%s" % guid,
                  Date=date, Currency="RUB", PaymentPurpose="Оплата по счетам", Lines=[
                      dict(LineKey=str(k), ContractGUID=c, Amount=a) for k, (c, a) in enumerate(lines, 1)])
    values.update(extra)
    return values


def sale(guid, contract_guid, amount, date="2026-10-01T00:00:00", **extra):
    return dict(GUID=guid, DocumentType="РеализацияТоваровУслуг", Date=date, ContractGUID=contract_guid,
                Amount=amount, **extra)


def soap_call(stand_in, operation, params, soap_ns="http://schemas.xmlsoap.org/soap/envelope/"):
    """A hand-made request (the way curl checks a publication); returns the answer."""
    inner = "".join("<p:%s>%s</p:%s>" % (k, v, k) for k, v in params)
    body = ('<soap:Envelope xmlns:soap="%s" xmlns:p="%s"><soap:Body><p:%s>%s</p:%s></soap:Body></soap:Envelope>'
            % (soap_ns, NS, operation, inner, operation))
    if soap_ns.endswith("soap-envelope"):
        ctype = 'application/soap+xml; charset=utf-8; action="%s#Payments:%s"' % (NS, operation)
        headers = {"Content-Type": ctype}
    else:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": "%s#Payments:%s" % (NS, operation)}
    return requests.post(stand_in + "/buh/ws/Payments.1cws", data=body.encode(), headers=headers,
                         auth=(USER.encode(), PASSWORD.encode()), timeout=5)


def raw_payments(stand_in, cursor=""):
    return soap_call(stand_in, "GetPayments", [("Cursor", cursor), ("DateFrom", EMPTY), ("DateTo", EMPTY),
                                               ("Limit", "100")])


def raw_settlements(stand_in, date=EMPTY, inn=""):
    return soap_call(stand_in, "GetSettlements", [("Date", date), ("CounterpartyINN", inn)])


def wsdl_schema():
    """The WSDL's xs:schema as an lxml validator of the operations' elements."""
    root = etree.parse(os.path.join(ROOT, "onec", "Payments.wsdl")).getroot()
    schema = root.find("{http://schemas.xmlsoap.org/wsdl/}types/{http://www.w3.org/2001/XMLSchema}schema")
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema)))


def assert_valid(answer):
    assert answer.status_code == 200, answer.text
    envelope = etree.fromstring(answer.content)
    body = envelope[0]
    response = etree.fromstring(etree.tostring(body[0]))
    schema = wsdl_schema()
    assert schema.validate(response), schema.error_log
    return response


def children(node, name):
    return node.findall(".//{%s}%s" % (NS, name))


def test_split_receipt_round_trip(stand_in, control):
    control(contracts=[contract("c-1", "Д-1"), contract("c-2", "Д-2", date="2026-10-05T00:00:00")],
            payments=[receipt("r1", [("c-1", "700.00"), ("c-2", 300.5)])])
    for binding in ("PaymentsSoapBinding", "PaymentsSoap12Binding"):
        page = get_payments(make_service(stand_in, binding))
        doc = page.Payments.Payment[0]
        # The document total is the sum of its lines.
        assert str(doc.Amount) == "1000.50" and doc.DocumentType == "ПоступлениеНаРасчетныйСчет"
        lines = doc.Lines.Line
        # The contracts' numbers and dates come from the catalog, as 1C dereferences them.
        assert [(line.LineKey, line.ContractGUID, line.ContractNumber, line.ContractDate.day, str(line.Amount))
                for line in lines] == [("1", "c-1", "Д-1", 1, "700.00"), ("2", "c-2", "Д-2", 5, "300.50")]
        assert doc.ContractGUID is None and doc.ContractNumber is None  # a split receipt has none
    response = assert_valid(raw_payments(stand_in))
    assert len(children(response, "Line")) == 2


def test_old_shape_is_answered_as_stored(stand_in, control):
    control(payments=[payment("o1", ContractGUID="c-9"), payment("o2", ContractNumber="", ContractDate=EMPTY)])
    response = assert_valid(raw_payments(stand_in))
    assert not children(response, "Lines")
    first, second = get_payments(make_service(stand_in)).Payments.Payment
    assert first.Lines is None and first.ContractGUID == "c-9" and first.ContractNumber == "Д-1"
    assert first.ContractDate.year == 2026 and str(first.Amount) == "100.00"
    # Empty strings reach zeep as None; the empty date as year 1.
    assert not second.ContractGUID and not second.ContractNumber and second.ContractDate.year == 1
    # Lines and the old shape side by side, in both styles, fit the WSDL.
    control(upsert=[receipt("r2", [("c-9", "5")])])
    for style in ("contract", "raw1c"):
        control(style=style)
        assert len(children(assert_valid(raw_payments(stand_in)), "Payment")) == 3


def test_accountant_changes_take_new_change_numbers(stand_in, control):
    control(contracts=[contract("c-1", "Д-1"), contract("c-2", "Д-2")],
            payments=[receipt("r1", [("c-1", "1000")]), receipt("r2", [("c-1", "600"), ("c-2", "400")])])
    service = make_service(stand_in)
    assert get_payments(service).Cursor == "2"
    # A line moved to another contract.
    control(upsert=[{"GUID": "r1", "Lines": [{"LineKey": "1", "ContractGUID": "c-2", "Amount": "1000"}]}])
    page = get_payments(service, "2")
    assert page.Cursor == "3"
    lines = page.Payments.Payment[0].Lines.Line
    assert [(line.ContractGUID, line.ContractNumber) for line in lines] == [("c-2", "Д-2")]
    # The amount of a one-line receipt corrected: its line follows.
    control(upsert=[{"GUID": "r1", "Amount": "950.00"}])
    doc = get_payments(service, "3").Payments.Payment[0]
    assert str(doc.Amount) == "950.00" and str(doc.Lines.Line[0].Amount) == "950.00"
    # A split receipt's total that is not its lines' sum is kept as given (1C
    # writes such a document unposted; the client is the one to refuse it).
    control(upsert=[{"GUID": "r2", "Amount": "1"}])
    doc = get_payments(service, "4").Payments.Payment[0]
    assert str(doc.Amount) == "1.00" and [str(line.Amount) for line in doc.Lines.Line] == ["600.00", "400.00"]
    control(upsert=[{"GUID": "r2", "Amount": "1000.00"}])
    # Unposted, then marked for deletion: each a new change number, the rest kept.
    control(upsert=[{"GUID": "r2", "Posted": False}])
    control(upsert=[{"GUID": "r2", "DeletionMark": True}])
    page = get_payments(service, "6")
    assert page.Cursor == "8" and len(page.Payments.Payment) == 1
    doc = page.Payments.Payment[0]
    assert (doc.GUID, doc.Posted, doc.DeletionMark, str(doc.Amount), len(doc.Lines.Line)) == (
        "r2", False, True, "1000.00", 2)
    assert control()["cursor"] == "8"
    # Given again in the old shape (contract on the document), then with lines again.
    control(upsert=[{"GUID": "r1", "ContractGUID": "c-1", "ContractNumber": "Д-1", "Amount": "950.00"}])
    doc = get_payments(service, "8").Payments.Payment[0]
    assert doc.Lines is None and doc.ContractGUID == "c-1" and str(doc.Amount) == "950.00"
    control(upsert=[{"GUID": "r1", "Lines": [{"LineKey": "1", "ContractGUID": "c-2", "Amount": "950.00"}]}])
    doc = get_payments(service, "9").Payments.Payment[0]
    assert doc.ContractGUID is None and [line.ContractGUID for line in doc.Lines.Line] == ["c-2"]


# -- settlements: account 62 ------------------------------------------------

def settlement_rows(stand_in, date=EMPTY, inn=""):
    rows = make_service(stand_in).GetSettlements(Date=date, CounterpartyINN=inn) or []
    return {r.ContractNumber: (str(r.Balance), None if r.BalanceRUB is None else str(r.BalanceRUB)) for r in rows}


def test_settlements_are_account_62_at_a_date(stand_in, control):
    control(contracts=[contract("c-1", "Д-1"), contract("c-2", "Д-2"), contract("c-3", "Д-3"),
                       contract("c-4", "Д-4"), contract("b-1", "Б-1", party=BETA)],
            sales=[sale("s1", "c-1", "1000.00", "2026-10-01T10:00:00"),
                   sale("s2", "c-1", "500.00", "2026-11-10T12:00:00"),
                   sale("s3", "c-2", "300.00"),
                   sale("s4", "c-2", "999.00", Posted=False),
                   sale("s5", "b-1", "200.00"),
                   sale("s6", "c-4", "100.00")],
            payments=[
                # One bank payment over two contracts.
                receipt("r1", [("c-1", "400.00"), ("c-2", "300.00")], date="2026-11-02T09:30:00"),
                # An advance under a contract nothing was shipped on yet.
                receipt("r2", [("c-3", "250.00")], date="2026-11-05T00:00:00"),
                receipt("r3", [("c-1", "50.00")], date="2026-11-05T00:00:00", Posted=False),
                receipt("r4", [("c-1", "60.00")], date="2026-11-05T00:00:00", DeletionMark=True),
                # The old shape, tied by the contract's number and the payer's INN.
                dict(payment("o1", amount="100.00", ContractNumber="Д-4", DocumentType="ПриходныйКассовыйОрдер"),
                     Date="2026-11-03T00:00:00"),
                # No contract at all: nothing on account 62 by contract.
                payment("o2", ContractNumber="", ContractDate=EMPTY)])
    # Now: debit minus credit; Д-2 is settled (a zero row: it had movements), Д-3 is an advance.
    assert settlement_rows(stand_in) == {
        "Д-1": ("1100.00", "1100.00"), "Д-2": ("0.00", "0.00"), "Д-3": ("-250.00", "-250.00"),
        "Д-4": ("0.00", "0.00"), "Б-1": ("200.00", "200.00")}
    # At a date: a date at midnight counts its whole day (КонецДня).
    at = settlement_rows(stand_in, datetime.datetime(2026, 11, 2))
    assert at["Д-1"] == ("600.00", "600.00") and at["Д-2"] == ("0.00", "0.00") and "Д-3" not in at
    at = settlement_rows(stand_in, datetime.datetime(2026, 11, 2, 9, 0))
    assert at["Д-1"] == ("1000.00", "1000.00") and at["Д-2"] == ("300.00", "300.00")
    assert settlement_rows(stand_in, datetime.datetime(2026, 9, 1)) == {}
    # The INN filters; contracts without movements do not appear.
    assert settlement_rows(stand_in, inn="7702000022") == {"Б-1": ("200.00", "200.00")}
    control(upsert=[contract("c-5", "Д-5")])
    assert "Д-5" not in settlement_rows(stand_in)
    # Sales are upserted like receipts; a deletion mark takes a sale out.
    control(upsert=[sale("s7", "c-5", "70.00"), dict(sale("s5", "b-1", "200.00"), DeletionMark=True)])
    rows = settlement_rows(stand_in)
    assert rows["Д-5"] == ("70.00", "70.00") and "Б-1" not in rows
    assert control()["sales"] == 7 and control()["cursor"] == "6"  # sales take no change numbers


def test_settlements_in_a_foreign_currency(stand_in, control):
    control(contracts=[contract("u-1", "USD-1", currency="USD"), contract("u-2", "USD-2", currency="USD")],
            sales=[sale("s1", "u-1", "1000.00", AmountRUB="92000.00"),
                   sale("s2", "u-2", "10.00", Rate="90")],
            payments=[receipt("r1", [("u-1", "400.00")], Currency="USD", Rate="95.5"),
                      dict(receipt("r2", [("u-1", "100.00")], Currency="USD"),
                           Lines=[{"LineKey": "1", "ContractGUID": "u-1", "Amount": "100.00", "AmountRUB": "9000"}]),
                      receipt("r3", [("u-2", "1.00")], Currency="USD")])
    rows = settlement_rows(stand_in)
    # 1000 - 400 - 100 dollars; 92000 - 400 * 95.5 - 9000 roubles.
    assert rows["USD-1"] == ("500.00", "44800.00")
    # A movement with no rouble amount and no rate: the roubles are unknown, BalanceRUB is left out.
    assert rows["USD-2"] == ("9.00", None)
    response = assert_valid(raw_settlements(stand_in))
    currencies = [c.text for c in children(response, "Currency")]
    assert currencies == ["USD", "USD"]


# -- faults ---------------------------------------------------------------------

@pytest.mark.parametrize("mode,status,text", [
    ("lock", 500, "Конфликт блокировок"),
    ("fault", 500, "Конфликт блокировок"),
    ("rights", 500, "Нарушение прав доступа!"),
    ("busy", 503, "Превышено максимальное количество соединений"),
    ("nolicense", 503, "Не обнаружена свободная лицензия"),
    ("http500", 500, "Ошибка сервера"),
    ("http502", 502, "Bad Gateway"),
])
def test_fault_status_and_text(stand_in, control, mode, status, text):
    control(mode=mode)
    answer = raw_payments(stand_in)
    assert answer.status_code == status and text in answer.content.decode("utf-8")
    if status == 500 and mode not in ("http500",):
        fault = etree.fromstring(answer.content).find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")
        assert fault.find("faultcode").text == "soap:Server" and text in fault.find("faultstring").text
        assert answer.headers["Content-Type"].startswith("text/xml")


@pytest.mark.parametrize("mode,error,text", [
    ("rights", zeep.exceptions.Fault, "Нарушение прав доступа"),
    ("lock", zeep.exceptions.Fault, "Конфликт блокировок"),
    ("busy", zeep.exceptions.TransportError, ""),
    ("nolicense", zeep.exceptions.TransportError, ""),
])
def test_new_fault_modes_through_zeep(stand_in, control, mode, error, text):
    control(payments=[payment("f1")])
    service = make_service(stand_in)
    control(mode=mode, times=1)
    with pytest.raises(error) as raised:
        get_payments(service)
    if error is zeep.exceptions.TransportError:
        # Not XML: the web extension's plain text, for the client to show.
        assert raised.value.status_code == 503
        assert "информационной базой" in raised.value.content.decode("utf-8")
    else:
        assert text in raised.value.message
    assert get_payments(service).Cursor == "1"  # times=1: the next call passes


def test_soap12_request_gets_a_soap12_fault(stand_in, control):
    control(mode="rights")
    soap12 = "http://www.w3.org/2003/05/soap-envelope"
    answer = soap_call(stand_in, "GetPayments", [("Cursor", ""), ("DateFrom", EMPTY), ("DateTo", EMPTY),
                                                 ("Limit", "1")], soap_ns=soap12)
    assert answer.status_code == 500 and answer.headers["Content-Type"].startswith("application/soap+xml")
    fault = etree.fromstring(answer.content).find(".//{%s}Fault" % soap12)
    assert fault.find("{%s}Code/{%s}Value" % (soap12, soap12)).text == "soap:Receiver"
    reason = fault.find("{%s}Reason/{%s}Text" % (soap12, soap12))
    assert "Нарушение прав доступа!" in reason.text
    assert reason.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    control(mode="lock")
    with pytest.raises(zeep.exceptions.Fault) as raised:
        get_payments(make_service(stand_in, "PaymentsSoap12Binding"))
    assert "Конфликт блокировок" in raised.value.message


# -- the raw 1C style ---------------------------------------------------------------

def test_raw1c_style(stand_in, control):
    control(contracts=[contract("c-1", "Д-1"), contract("b-1", "Б-1", party=BETA, date=EMPTY)],
            sales=[sale("s1", "c-1", "1500.00"), sale("s2", "b-1", "99.50")],
            payments=[payment("o1", ContractNumber="", ContractDate=EMPTY, CounterpartyKPP="", PaymentPurpose="",
                              CounterpartyGUID=""),
                      receipt("r1", [("c-1", "1500")], party=BETA),
                      dict(receipt("r2", [("", "20.5")], party=BETA),
                           Lines=[{"LineKey": "1", "ContractNumber": "Б-1", "Amount": "20.5"}])],
            style="raw1c")
    response = assert_valid(raw_payments(stand_in))
    zero = "00000000-0000-0000-0000-000000000000"
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    old = children(response, "Payment")[0]
    assert old.find("{%s}CounterpartyGUID" % NS).text == zero and old.find("{%s}ContractGUID" % NS).text == zero
    for field in ("CounterpartyKPP", "PaymentPurpose", "ContractNumber", "ContractDate"):
        assert old.find("{%s}%s" % (NS, field)).get(nil) == "true", field
    assert old.find("{%s}Currency" % NS).text == "643" and old.find("{%s}Amount" % NS).text == "100"
    assert children(response, "Payment")[1].find("{%s}Amount" % NS).text == "1500"
    line = children(response, "Line")[1]
    assert line.find("{%s}ContractGUID" % NS).text == zero and line.find("{%s}Amount" % NS).text == "20.5"
    # zeep takes it: nil is None, the zero GUID and 643 come as they are (the client maps them).
    docs = get_payments(make_service(stand_in)).Payments.Payment
    assert docs[0].CounterpartyKPP is None and docs[0].PaymentPurpose is None and docs[0].ContractDate is None
    assert docs[0].ContractGUID == zero and docs[0].Currency == "643" and str(docs[0].Amount) == "100"
    assert docs[1].CounterpartyKPP is None and str(docs[1].Lines.Line[0].Amount) == "1500"
    # Settlements: Остатки has no zero rows; empty nillable values are nil.
    response = assert_valid(raw_settlements(stand_in))
    rows = children(response, "Settlement")
    assert [r.find("{%s}ContractNumber" % NS).text for r in rows] == ["Б-1"]
    assert rows[0].find("{%s}Balance" % NS).text == "79"
    assert rows[0].find("{%s}CounterpartyKPP" % NS).get(nil) == "true"
    assert rows[0].find("{%s}ContractDate" % NS).get(nil) == "true"
    assert rows[0].find("{%s}Currency" % NS).text == "643"
    # The contract style again after a reset.
    control(reset=True)
    assert control()["style"] == "contract"
    old = children(assert_valid(raw_payments(stand_in)), "Payment")[0]
    assert old.find("{%s}CounterpartyGUID" % NS).text is None and old.find("{%s}Currency" % NS).text == "RUB"
    assert old.find("{%s}ContractDate" % NS).text == EMPTY and old.find("{%s}Amount" % NS).text == "100.00"


def test_control_refuses_what_1c_would_not_hold(stand_in, control):
    for values in ({"mode": "nonsense"}, {"style": "odata"}, {"upsert": [{"Amount": "1"}]},
                   {"sales": [{"GUID": "s1", "Amount": "1"}]},
                   {"payments": [receipt("r1", [("c-1", "десять")])]}):
        answer = requests.post(stand_in + "/__control__", data=json.dumps(values), timeout=5)
        assert answer.status_code == 400, values
    assert control()["payments"] == 0 and control()["mode"] == "normal"


def test_bad_credentials_slow_duplicate_and_fail_after(stand_in, control):
    control(payments=[payment("d1"), payment("d2")])
    service = make_service(stand_in, timeout=1)
    control(mode="badauth")
    with pytest.raises(zeep.exceptions.TransportError) as raised:
        get_payments(service)
    assert raised.value.status_code == 401
    control(mode="slow", delay=2)
    with pytest.raises(requests.exceptions.Timeout):
        get_payments(service)
    control(mode="duplicate")
    assert [p.GUID for p in get_payments(service).Payments.Payment] == ["d1", "d1", "d2", "d2"]
    control(mode="fault", after=1, times=1)
    assert get_payments(service).Cursor == "2"
    with pytest.raises(zeep.exceptions.Fault):
        get_payments(service)
    assert get_payments(service).Cursor == "2"
    assert control()["failures"] == 1
