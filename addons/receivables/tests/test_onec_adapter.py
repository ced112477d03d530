# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SOAP adapter (services/onec_client.py) against 1C as it comes.

A small threaded WSGI server on 127.0.0.1 serves the WSDL and canned answers
of each variant in tests/onec_variants (in the style 1C emits: see each
variant's README), checks HTTP Basic auth with a Cyrillic 1C user, and the
real OneCClient runs against it. Every variant encodes the same 1C data, so
every variant must give exactly the same dicts. Then one test per failure
kind: the kind, and a Russian message that says what to do.
"""
import base64
import os
import re
import socket
import threading
import time
import unittest
from datetime import datetime
from decimal import Decimal
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree

from odoo.tests.common import TransactionCase

from ..services.onec_client import OneCClient, OneCError

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = os.path.join(HERE, "onec_variants")
USER, PASSWORD = "Обмен", "secret"

G1, G2, G3 = ("7c1e5a3b-2f4d-11ef-8a6b-0050569f1a01", "7c1e5a3b-2f4d-11ef-8a6b-0050569f1a02",
              "7c1e5a3b-2f4d-11ef-8a6b-0050569f1a03")
P1, P2 = "5b2c9d10-0e1f-11ee-8a6b-0050569f1a01", "5b2c9d10-0e1f-11ee-8a6b-0050569f1a02"
C15, C16, C17, C18 = ("9d7a0c21-b3e4-11ee-8a6b-0050569f1a15", "9d7a0c21-b3e4-11ee-8a6b-0050569f1a16",
                      "9d7a0c21-b3e4-11ee-8a6b-0050569f1a17", "9d7a0c21-b3e4-11ee-8a6b-0050569f1a18")


def expected_docs():
    return [
        {"guid": G1, "doc_type": "ПоступлениеНаРасчетныйСчет", "number": "0000-000123",
         "date": datetime(2026, 11, 27, 10, 15), "posted": True, "deletion_mark": False,
         "partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
         "amount": Decimal("150000"), "currency": "RUB",
         "purpose": "Оплата по договорам № 15 от 15.01.2026 и № 16 от 01.02.2026, в т.ч. НДС",
         "lines": [
             {"key": "1", "contract_guid": C15, "contract_number": "15", "contract_date": datetime(2026, 1, 15),
              "amount": Decimal("100000")},
             {"key": "2", "contract_guid": C16, "contract_number": "16", "contract_date": datetime(2026, 2, 1),
              "amount": Decimal("50000")}]},
        # A cash receipt in the old shape (no Lines): one synthesised line.
        {"guid": G2, "doc_type": "ПриходныйКассовыйОрдер", "number": "0000-000045",
         "date": datetime(2026, 11, 28, 9, 0), "posted": True, "deletion_mark": False,
         "partner_guid": P2, "partner_name": "ИП Петров Пётр Петрович", "inn": "500100732259", "kpp": "",
         "amount": Decimal("2500"), "currency": "RUB", "purpose": "",
         "lines": [{"key": "", "contract_guid": C17, "contract_number": "17", "contract_date": None,
                    "amount": Decimal("2500")}]},
        # Unposted, marked for deletion, empty references.
        {"guid": G3, "doc_type": "ПоступлениеНаРасчетныйСчет", "number": "0000-000124",
         "date": datetime(2026, 11, 29), "posted": False, "deletion_mark": True,
         "partner_guid": "", "partner_name": "", "inn": "", "kpp": "",
         "amount": Decimal("300"), "currency": "USD", "purpose": "Возврат",
         "lines": [{"key": "1", "contract_guid": "", "contract_number": "", "contract_date": None,
                    "amount": Decimal("300")}]},
    ]


def expected_rows():
    return [
        {"partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
         "contract_guid": C15, "contract_number": "15", "contract_date": datetime(2026, 1, 15), "currency": "RUB",
         "balance": Decimal("20000"), "balance_rub": Decimal("20000")},
        {"partner_guid": P2, "partner_name": "ИП Петров Пётр Петрович", "inn": "500100732259", "kpp": "",
         "contract_guid": C18, "contract_number": "18-USD", "contract_date": datetime(2026, 3, 1),
         "currency": "USD", "balance": Decimal("-100"), "balance_rub": Decimal("-9045")},
        {"partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
         "contract_guid": C16, "contract_number": "16", "contract_date": datetime(2026, 2, 1), "currency": "RUB",
         "balance": Decimal("5000"), "balance_rub": None},
    ]


def exact(value):
    """Decimals with their exponent, so that 2500 and 2500.00 both equal
    Decimal('2500') but a type slip (float, str, int) does not."""
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", value.normalize())
    return (type(value).__name__, value)


def read(*parts):
    with open(os.path.join(VARIANTS, *parts), "rb") as handle:
        return handle.read()


SOAP11_FAULT = """<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <soap:Fault>
      <faultcode>soap:Server</faultcode>
      <faultstring>%s</faultstring>
    </soap:Fault>
  </soap:Body>
</soap:Envelope>"""
SOAP12_FAULT = """<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
  <soap:Body>
    <soap:Fault>
      <soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>
      <soap:Reason><soap:Text xml:lang="ru">%s</soap:Text></soap:Reason>
    </soap:Fault>
  </soap:Body>
</soap:Envelope>"""
HTML_PAGE = ("<!DOCTYPE html><html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p></body></html>")

# mode -> (status, content type, body) of every POST to /fail/<mode>/...
FAILURES = {
    "fault": (500, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "{ОбщийМодуль.ОбменСCRM.Модуль(42)}: Ошибка при вызове метода контекста (Выполнить): "
        "Поле объекта не обнаружено (СуммаДокумента)")),
    "rights": (500, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "{ОбщийМодуль.ОбменСCRM.Модуль(15)}: Нарушение прав доступа!")),
    "rights2": (500, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "Недостаточно прав для выполнения операции над базой данных")),
    "lock": (500, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "{ОбщийМодуль.ОбменСCRM.Модуль(88)}: Ошибка блокировки объекта. Конфликт блокировок при выполнении "
        "транзакции: Превышено максимальное время ожидания предоставления блокировки")),
    "lock2": (500, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "Конфликт блокировок при выполнении транзакции: Microsoft SQL Server Native Client 11.0: "
        "Lock request time out period exceeded.")),
    "pool": (503, "text/html; charset=utf-8", HTML_PAGE % (
        "503 Service Unavailable", "Service Unavailable",
        "Превышено максимальное количество одновременных сеансов веб-сервиса (pool)")),
    "licence": (503, "text/xml; charset=utf-8", SOAP11_FAULT % (
        "Не обнаружена свободная лицензия! Обнаружены следующие лицензии: ...")),
    "http500": (500, "text/html; charset=utf-8", HTML_PAGE % (
        "500 Internal Server Error", "Internal Server Error", "The server encountered an internal error")),
    "http502": (502, "text/html; charset=utf-8", HTML_PAGE % ("502 Bad Gateway", "Bad Gateway", "nginx")),
    "http404": (404, "text/html; charset=utf-8", HTML_PAGE % ("404 Not Found", "Not Found", "")),
    "garbage": (200, "text/xml; charset=utf-8", "Сервис временно не работает, зайдите позже"),
    "truncated": (200, "text/xml; charset=utf-8",
                  read("standard", "GetPayments.xml").decode("utf-8")[:1500]),
    "not_soap": (200, "text/xml; charset=utf-8", "<result><ok>true</ok></result>"),
    "empty": (200, "text/xml; charset=utf-8", ""),
    "no_cursor": (200, "text/xml; charset=utf-8", """<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<m:GetPaymentsResponse xmlns:m="http://tehnosnab.example/exchange/payments"><m:return>
<m:Result>ok</m:Result></m:return></m:GetPaymentsResponse></soap:Body></soap:Envelope>"""),
    "bad_amount": (200, "text/xml; charset=utf-8", read("standard", "GetPayments.xml").decode("utf-8").replace(
        "<m:Amount>150000.00</m:Amount>", "<m:Amount>сто пятьдесят тысяч</m:Amount>")),
}
# The same, for /soap12fail/<mode>/... (the SOAP 1.2-only publication).
FAILURES_12 = {
    "fault": (500, "application/soap+xml; charset=utf-8", SOAP12_FAULT % (
        "{ОбщийМодуль.ОбменСCRM.Модуль(7)}: Деление на 0")),
    "lock": (500, "application/soap+xml; charset=utf-8", SOAP12_FAULT % (
        "Конфликт блокировок при выполнении транзакции")),
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


class FakeOneC(object):
    """1C's web server: /<variant>/ws/Payments.1cws[?wsdl] (renamed:
    /renamed/ws/crm), /fail/<mode>/..., /soap12fail/<mode>/...,
    /slow/..., /html/..., /denied/..."""

    def __init__(self):
        self.requests = []
        self.httpd = make_server("127.0.0.1", 0, self.app, server_class=_Server, handler_class=_QuietHandler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def wsdl(self, variant):
        point = "crm" if variant == "renamed" else "Payments.1cws"
        return "%s/%s/ws/%s?wsdl" % (self.url, variant, point)

    @staticmethod
    def answer(start, status, content_type, body):
        reasons = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 415: "Unsupported",
                   500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        headers = [("Content-Type", content_type)]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Basic realm="1C"'))
        if isinstance(body, str):
            body = body.encode("utf-8")
        start("%d %s" % (status, reasons.get(status, "Error")), headers)
        return [body]

    def app(self, environ, start):
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        expected = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii")
        if environ.get("HTTP_AUTHORIZATION") != expected:
            return self.answer(start, 401, "text/html; charset=utf-8", HTML_PAGE % ("401", "Unauthorized", ""))
        parts = path.strip("/").split("/")
        variant = parts[0]
        if variant == "denied":
            return self.answer(start, 403, "text/html; charset=utf-8", HTML_PAGE % ("403 Forbidden", "", ""))
        if variant == "nolicence":
            return self.answer(start, *FAILURES["licence"])
        if variant == "cutwsdl":
            return self.answer(start, 200, "text/xml; charset=utf-8", read("standard", "service.wsdl")[:3000])
        if variant == "notwsdl":
            return self.answer(start, 200, "text/xml; charset=utf-8", "<result><ok>true</ok></result>")
        if variant == "html":
            return self.answer(start, 200, "text/html; charset=utf-8",
                               HTML_PAGE % ("1С:Предприятие", "Вход в программу", "Авторизация"))
        if variant in ("fail", "soap12fail", "slow"):
            mode, variant = (parts[1] if len(parts) > 1 else ""), ("soap12_only" if variant == "soap12fail"
                                                                   else "standard")
            table = FAILURES_12 if parts[0] == "soap12fail" else FAILURES
            if environ["REQUEST_METHOD"] == "POST" and parts[0] == "slow":
                time.sleep(2.5)
            elif environ["REQUEST_METHOD"] == "POST":
                return self.answer(start, *table[mode])
        if not os.path.isdir(os.path.join(VARIANTS, variant)) or not parts[-1] in ("Payments.1cws", "crm"):
            return self.answer(start, 404, "text/html; charset=utf-8", HTML_PAGE % ("404 Not Found", "", ""))
        if environ["REQUEST_METHOD"] == "GET":
            if query.lower() != "wsdl":
                return self.answer(start, 404, "text/html; charset=utf-8", HTML_PAGE % ("404", "", ""))
            return self.answer(start, 200, "text/xml; charset=utf-8", read(variant, "service.wsdl"))
        content_type = environ.get("CONTENT_TYPE", "")
        self.requests.append({"path": path, "variant": variant, "content_type": content_type,
                              "action": environ.get("HTTP_SOAPACTION", ""), "body": body})
        soap12 = variant == "soap12_only"
        if soap12 != content_type.startswith("application/soap+xml"):
            return self.answer(start, 415, "text/plain", "Unsupported SOAP version")
        try:
            envelope = etree.fromstring(body)
            operation = etree.QName(envelope.find("{*}Body")[0]).localname
        except Exception:  # pylint: disable=broad-except
            return self.answer(start, 500, "text/plain", "bad request")
        answer_type = "application/soap+xml; charset=utf-8" if soap12 else "text/xml; charset=utf-8"
        return self.answer(start, 200, answer_type, read(variant, operation + ".xml"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OneCCase(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super(OneCCase, cls).setUpClass()
        cls.onec = FakeOneC()

    @classmethod
    def tearDownClass(cls):
        cls.onec.stop()
        super(OneCCase, cls).tearDownClass()

    def client(self, variant="standard", **kwargs):
        kwargs.setdefault("timeout", 5)
        return OneCClient(self.onec.wsdl(variant), USER, PASSWORD, **kwargs)


class TestOneCVariants(OneCCase):
    """Every variant gives the same dicts."""

    def check_variant(self, variant, **kwargs):
        client = self.client(variant, **kwargs)
        self.assertIn("Бухгалтерия", client.ping())
        docs, cursor, more = client.get_payments("17", 100)
        self.assertEqual((cursor, more), ("42", True))
        self.assertEqual(exact(docs), exact(expected_docs()))
        self.assertEqual(exact(client.get_settlements()), exact(expected_rows()))
        return client

    def last_request(self, operation):
        for request in reversed(self.onec.requests):
            root = etree.fromstring(request["body"])
            if etree.QName(root.find("{*}Body")[0]).localname == operation:
                return request, root.find("{*}Body")[0]
        self.fail("no %s request" % operation)

    def test_standard(self):
        client = self.check_variant("standard")
        self.assertEqual((client.service_name, client.soap_version), ("Payments", "1.1"))
        # Bound to the WSDL address, not to the soap:address (1C's internal host).
        request, call = self.last_request("GetPayments")
        self.assertEqual(request["path"], "/standard/ws/Payments.1cws")
        self.assertEqual(request["action"].strip('"'),
                         "http://tehnosnab.example/exchange/payments#Payments:GetPayments")
        params = {etree.QName(child).localname: child.text for child in call}
        self.assertEqual(params, {"Cursor": "17", "DateFrom": "0001-01-01T00:00:00",
                                  "DateTo": "0001-01-01T00:00:00", "Limit": "100"})
        __, call = self.last_request("GetSettlements")
        self.assertEqual({etree.QName(child).localname: child.text or "" for child in call},
                         {"Date": "0001-01-01T00:00:00", "CounterpartyINN": ""})
        client.get_settlements(date=datetime(2026, 11, 30, 23, 59, 59), inn="7701234567")
        __, call = self.last_request("GetSettlements")
        self.assertEqual({etree.QName(child).localname: child.text for child in call},
                         {"Date": "2026-11-30T23:59:59", "CounterpartyINN": "7701234567"})
        # The zeep answer for the benchmark: transfer and zeep's own parse.
        raw = client.get_payments_raw("17", 100)
        self.assertEqual((raw.Cursor, raw.HasMore, len(raw.Payments.Payment)), ("42", True, 3))

    def test_standard_is_the_contract(self):
        """The standard variant is the repository's own onec/Payments.wsdl."""
        contract = os.path.join(HERE, "..", "..", "..", "onec", "Payments.wsdl")
        if not os.path.exists(contract):
            raise unittest.SkipTest("not in the repository checkout")
        with open(contract, "rb") as handle:
            self.assertEqual(handle.read(), read("standard", "service.wsdl"),
                             "onec/Payments.wsdl changed: copy it to tests/onec_variants/standard/service.wsdl "
                             "and update the answers")

    def test_endpoint_override(self):
        client = self.client("standard", endpoint=self.onec.url + "/bare_ns/ws/Payments.1cws")
        self.assertEqual(client.endpoint, self.onec.url + "/bare_ns/ws/Payments.1cws")
        # The standard WSDL's namespace against the bare_ns answers: still read by local names.
        self.assertEqual(exact(client.get_payments("0", 10)[0]), exact(expected_docs()))
        self.assertEqual(self.onec.requests[-1]["path"], "/bare_ns/ws/Payments.1cws")

    def test_soap12_only(self):
        client = self.check_variant("soap12_only")
        self.assertEqual(client.soap_version, "1.2")
        self.assertTrue(self.onec.requests[-1]["content_type"].startswith("application/soap+xml"))

    def test_bare_word_namespace(self):
        self.check_variant("bare_ns")
        __, call = self.last_request("GetPayments")
        self.assertEqual(etree.QName(call).namespace, "trade")

    def test_xdto_package_imported(self):
        self.check_variant("xdto_import")
        __, call = self.last_request("GetPayments")
        self.assertEqual(etree.QName(call).namespace, "http://tehnosnab.example/ws/crm-exchange")

    def test_nillable_and_nil_values(self):
        self.check_variant("nillable")

    def test_dates_with_zone(self):
        client = self.check_variant("date_zone")
        __, call = self.last_request("GetPayments")
        params = {etree.QName(child).localname: child.text for child in call}
        self.assertEqual((params["DateFrom"], params["DateTo"]), ("0001-01-01", "0001-01-01"))
        client.get_settlements(date=datetime(2026, 11, 30, 23, 59, 59))
        __, call = self.last_request("GetSettlements")
        self.assertEqual(call[0].text, "2026-11-30")

    def test_integer_amounts(self):
        self.check_variant("integer")

    def test_extra_elements(self):
        self.check_variant("extra")

    def test_out_parameters(self):
        self.check_variant("out_params")

    def test_service_with_another_name(self):
        client = self.check_variant("renamed")
        self.assertEqual(client.service_name, "CRMExchange")
        self.assertEqual(self.onec.requests[-1]["path"], "/renamed/ws/crm")
        self.assertEqual(self.client("renamed", service_name="crmexchange").service_name, "CRMExchange")
        with self.assertRaises(OneCError) as caught:
            self.client("renamed", service_name="Payments")
        self.assertEqual(caught.exception.kind, "config")
        self.assertIn("CRMExchange", str(caught.exception))

    def test_numeric_currency_and_zero_guids(self):
        self.check_variant("numeric_currency")

    def test_values(self):
        from ..services import onec_xdto
        self.assertEqual(onec_xdto.parse_date("2026-11-28+03:00"), datetime(2026, 11, 28))
        self.assertEqual(onec_xdto.parse_date("2026-11-28Z"), datetime(2026, 11, 28))
        self.assertEqual(onec_xdto.parse_date("2026-11-28T10:11:12.345+03:00"), datetime(2026, 11, 28, 10, 11, 12))
        self.assertIsNone(onec_xdto.parse_date("0001-01-01T00:00:00"))
        self.assertIsNone(onec_xdto.parse_date("0001-01-01"))
        # The counterparty as a nested object (Counterparty/GUID, Name, INN, KPP).
        nested = etree.fromstring(
            '<Payment xmlns="trade"><GUID>g</GUID><Date>2026-11-28</Date><Posted>1</Posted>'
            '<DeletionMark>0</DeletionMark><Counterparty><GUID>%s</GUID><Name>ООО «Ромашка»</Name>'
            '<INN>7701234567</INN><KPP/></Counterparty><Amount>10.5</Amount><Currency>978</Currency></Payment>'
            % P1)
        self.assertEqual(exact(onec_xdto.payment(nested)), exact({
            "guid": "g", "doc_type": "", "number": "", "date": datetime(2026, 11, 28), "posted": True,
            "deletion_mark": False, "partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567",
            "kpp": "", "amount": Decimal("10.5"), "currency": "EUR", "purpose": "",
            "lines": [{"key": "", "contract_guid": "", "contract_number": "", "contract_date": None,
                       "amount": Decimal("10.5")}]}))
        for code, letters in (("643", "RUB"), ("840", "USD"), ("978", "EUR"), ("156", "CNY"), ("398", "KZT"),
                              ("933", "BYN"), ("826", "GBP"), ("rub", "RUB"), ("руб.", "RUB")):
            node = etree.fromstring("<Currency>%s</Currency>" % code)
            self.assertEqual(onec_xdto.currency(node), letters)


# -- failures ----------------------------------------------------------------------
CLASS_NAMES = re.compile(r"Error\b|Exception|Traceback|zeep|urllib3|requests\.|lxml|HTTPConnection|NoneType|"
                         r"Internal error|<class|Fault\(|object at 0x")


class TestOneCFailures(OneCCase):

    def check(self, kind, call, *words):
        with self.assertRaises(OneCError) as caught:
            call()
        error = caught.exception
        message = str(error)
        self.assertEqual(error.kind, kind, message)
        self.assertRegex(message, "[а-яА-Я]{4,}")
        self.assertFalse(CLASS_NAMES.search(message), message)
        for word in words:
            self.assertIn(word, message)
        return message

    def client_for(self, mode, prefix="fail"):
        return OneCClient("%s/%s/%s/ws/Payments.1cws?wsdl" % (self.onec.url, prefix, mode), USER, PASSWORD,
                          timeout=5)

    # - the WSDL
    def test_wsdl_unreachable(self):
        url = "http://127.0.0.1:%d/buh/ws/Payments.1cws?wsdl" % free_port()
        self.check("unreachable", lambda: OneCClient(url, USER, PASSWORD, timeout=5),
                   "соединение отклонено", "Проверьте адрес")

    def test_wsdl_not_xml(self):
        self.check("config", lambda: OneCClient(self.onec.url + "/html/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "не является XML", "1С:Предприятие", "?wsdl")
        self.check("config", lambda: OneCClient(self.onec.url + "/cutwsdl/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "не является XML", "?wsdl")

    def test_wsdl_not_a_wsdl(self):
        self.check("config", lambda: OneCClient(self.onec.url + "/notwsdl/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "не описание веб-сервиса", "<result>")

    def test_wsdl_without_operations(self):
        self.check("contract", lambda: self.client("no_operations"), "GetPayments", "GetSettlements",
                   "программиста 1С")

    def test_wsdl_404(self):
        self.check("http", lambda: OneCClient(self.onec.url + "/nobase/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "HTTP 404", "Проверьте адрес")

    def test_wrong_password(self):
        self.check("auth", lambda: OneCClient(self.onec.wsdl("standard"), USER, "wrong"), "HTTP 401", "пароль")

    def test_forbidden(self):
        self.check("rights", lambda: OneCClient(self.onec.url + "/denied/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "HTTP 403", "администратора 1С", USER)

    # - the calls
    def test_http_errors(self):
        self.check("http", lambda: self.client_for("http500").get_payments("0", 10), "HTTP 500", "Повторите")
        self.check("http", lambda: self.client_for("http502").ping(), "HTTP 502", "Повторите")
        self.check("http", lambda: self.client_for("http404").ping(), "HTTP 404", "Проверьте адрес")

    def test_soap11_fault(self):
        message = self.check("fault", lambda: self.client_for("fault").get_payments("0", 10),
                             "Поле объекта не обнаружено", "программисту 1С")
        self.assertIn("GetPayments", message)

    def test_soap12_fault(self):
        self.check("fault", lambda: self.client_for("fault", "soap12fail").ping(), "Деление на 0")
        self.check("lock", lambda: self.client_for("lock", "soap12fail").get_settlements(), "Повторите позже")

    def test_rights_fault(self):
        self.check("rights", lambda: self.client_for("rights").get_payments("0", 10), "Нарушение прав доступа",
                   "администратора 1С")
        self.check("rights", lambda: self.client_for("rights2").get_settlements(), "Недостаточно прав")

    def test_lock_fault(self):
        self.check("lock", lambda: self.client_for("lock").get_payments("0", 10), "Повторите позже",
                   "Превышено максимальное время ожидания предоставления блокировки")
        self.check("lock", lambda: self.client_for("lock2").get_payments("0", 10), "Конфликт блокировок")

    def test_busy(self):
        self.check("busy", lambda: self.client_for("pool").get_payments("0", 10), "HTTP 503",
                   "пул сеансов", "Повторите позже")
        self.check("busy", lambda: self.client_for("licence").ping(), "лиценз", "Повторите позже")
        self.check("busy", lambda: OneCClient(self.onec.url + "/nolicence/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "лиценз", "загрузка WSDL")

    def test_timeout(self):
        client = OneCClient(self.onec.url + "/slow/x/ws/Payments.1cws?wsdl", USER, PASSWORD, timeout=1)
        self.check("timeout", lambda: client.get_payments("0", 10), "1 с", "тайм-аут")

    def test_connection_refused(self):
        client = self.client("standard", endpoint="http://127.0.0.1:%d/buh/ws/Payments.1cws" % free_port())
        self.check("unreachable", client.ping, "соединение отклонено")

    def test_garbage(self):
        self.check("garbage", lambda: self.client_for("garbage").get_payments("0", 10), "не XML")
        self.check("garbage", lambda: self.client_for("truncated").get_payments("0", 10), "обрезан")
        self.check("garbage", lambda: self.client_for("not_soap").ping(), "SOAP")
        self.check("garbage", lambda: self.client_for("empty").ping(), "пустой ответ")

    def test_contract(self):
        self.check("contract", lambda: self.client_for("no_cursor").get_payments("0", 10), "Payments",
                   "программисту 1С")
        self.check("contract", lambda: self.client_for("bad_amount").get_payments("0", 10), "Amount",
                   "не является числом")

    def test_bad_address(self):
        self.check("config", lambda: OneCClient("", USER, PASSWORD), "адрес WSDL")
        self.check("config", lambda: OneCClient("srv-1c/buh/ws/Payments.1cws?wsdl", USER, PASSWORD),
                   "полный адрес")
