"""The 1C stand-in (onec/) against its published contract, through zeep
and raw HTTP, as a real 1C publication would be met."""
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
    post(reset=True, payments=[], contracts=[])
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


def test_settlements(stand_in, control):
    control(payments=[payment("s1", amount="400.00", ContractGUID="c-1")],
            contracts=[{"ContractGUID": "c-1", "ContractNumber": "Д-1", "CounterpartyINN": "7701000011",
                        "Amount": "1000.00"}])
    rows = make_service(stand_in).GetSettlements(Date=EMPTY, CounterpartyINN="7701000011")
    assert [(r.ContractNumber, str(r.Balance)) for r in rows] == [("Д-1", "600.00")]


@pytest.mark.parametrize("mode,error,text", [
    ("fault", zeep.exceptions.Fault, "Конфликт блокировок"),
    ("http500", zeep.exceptions.Fault, "Unknown fault"),
    ("http502", zeep.exceptions.TransportError, "502"),
    ("malformed", zeep.exceptions.TransportError, "invalid XML"),
    ("truncated", Exception, ""),
])
def test_fault_modes(stand_in, control, mode, error, text):
    control(payments=[payment("f1")])
    service = make_service(stand_in)
    control(mode=mode)
    with pytest.raises(error) as raised:
        get_payments(service)
    assert text in str(raised.value)
    control(reset=True)
    assert get_payments(service).Cursor == "1"


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
