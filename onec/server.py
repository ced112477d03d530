"""1C stand-in: serves ``Payments.wsdl`` and answers its operations.

    python -m onec.server --host 127.0.0.1 --port 8081 [--data FILE]
        [--publication buh] [--user Обмен] [--password secret]

It behaves like a 1C:Enterprise 8.3 web service published through the web
extension (see ../shared/ONEC.md and docs/1c-integration.md):

* ``GET /<publication>/ws/Payments.1cws?wsdl`` returns the published WSDL
  (``/ws/Payments?wsdl`` works too), behind HTTP Basic with a Cyrillic user
  name sent as UTF-8;
* ``POST`` to the same address answers the SOAP 1.1 or SOAP 1.2 operations
  ``GetPayments``, ``GetSettlements`` and ``Ping`` (document/literal wrapped);
  errors are HTTP 500 with a SOAP Fault carrying Russian text, like 1C's.

The payments come from a JSON file (``--data``, default
``.local/onec_demo.json``, written by the demo generator ``demo/receivables.py``)
and can be replaced at runtime. Every change of a document takes the next
change number; ``GetPayments`` returns documents with a change number above
the given ``Cursor``, like an exchange plan's message numbers.

The control endpoint ``/__control__`` (no authentication, loopback only) lets
tests switch fault modes at runtime::

    GET  /__control__                        -> the state as JSON
    POST /__control__  {"mode": "fault", "after": 1, "times": 2, "delay": 3}
    POST /__control__  {"payments": [...], "contracts": [...]}    (replace data)
    POST /__control__  {"upsert": [...]}     (add or change documents)
    POST /__control__  {"reset": true}       (mode normal, counters zero)

Modes: ``normal``, ``slow`` (sleep ``delay`` seconds, then answer),
``http500`` (HTML error page, status 500), ``http502`` (the web server's
HTML page, 502), ``fault`` (SOAP fault with 1C's Russian text),
``malformed`` (status 200, not XML), ``truncated`` (status 200, XML cut in
the middle), ``badauth`` (401 whatever the credentials), ``duplicate``
(every document twice in the answer). ``after`` lets that many SOAP calls
through normally first; ``times`` limits how many calls fail (-1: all).
"""
import argparse
import base64
import json
import os
import threading
import time
from decimal import Decimal
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
EMPTY_DATE = "0001-01-01T00:00:00"
MODES = ("normal", "slow", "http500", "http502", "fault", "malformed", "truncated", "badauth", "duplicate")
PAYMENT_FIELDS = (
    "GUID", "DocumentType", "Number", "Date", "Posted", "DeletionMark",
    "CounterpartyGUID", "CounterpartyName", "CounterpartyINN", "CounterpartyKPP",
    "ContractGUID", "ContractNumber", "ContractDate", "Amount", "Currency", "PaymentPurpose",
)
SETTLEMENT_FIELDS = (
    "CounterpartyGUID", "CounterpartyName", "CounterpartyINN", "CounterpartyKPP",
    "ContractGUID", "ContractNumber", "ContractDate", "Currency", "Balance",
)
FAULT_TEXT = ("{ОбщийМодуль.ОбменСCRM.Модуль(112)}: Ошибка при вызове метода контекста (Выполнить): "
              "Конфликт блокировок при выполнении транзакции: Превышено максимальное время ожидания "
              "предоставления блокировки")
HTML_500 = ("<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error"
            "</h1><p>Ошибка сервера 1С:Предприятия</p></body></html>")
HTML_502 = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
            "</center><hr><center>Apache/2.4</center></body></html>")


def xml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(str(value))


class Store(object):
    """The stand-in's infobase: documents with change numbers, the
    contracts' planned amounts, and the fault mode."""

    def __init__(self, data=None):
        self.lock = threading.Lock()
        self.payments = []          # in change-number order
        self.by_guid = {}
        self.contracts = []
        self.seq = 0
        self.mode = "normal"
        self.delay = 0.0
        self.after = 0
        self.times = -1
        self.calls = 0
        self.failures = 0
        if data:
            self.load(data)

    def load(self, data):
        with self.lock:
            self.payments, self.by_guid, self.seq = [], {}, 0
            self.contracts = list(data.get("contracts", []))
            self._upsert(data.get("payments", []))

    def upsert(self, payments):
        with self.lock:
            self._upsert(payments)

    def _upsert(self, payments):
        for payment in payments:
            doc = {field: payment.get(field) for field in PAYMENT_FIELDS}
            doc.setdefault("Posted", True)
            for flag, default in (("Posted", True), ("DeletionMark", False)):
                if doc[flag] is None:
                    doc[flag] = default
            for field in ("Date", "ContractDate"):
                doc[field] = doc[field] or EMPTY_DATE
            for field in PAYMENT_FIELDS:
                if doc[field] is None:
                    doc[field] = ""
            self.seq += 1
            doc["_seq"] = self.seq
            old = self.by_guid.get(doc["GUID"])
            if old is not None:
                self.payments.remove(old)
            self.payments.append(doc)
            self.by_guid[doc["GUID"]] = doc

    def configure(self, values):
        with self.lock:
            if values.get("reset"):
                self.mode, self.delay, self.after, self.times = "normal", 0.0, 0, -1
                self.calls = self.failures = 0
            if "mode" in values:
                if values["mode"] not in MODES:
                    raise ValueError("unknown mode %r" % values["mode"])
                self.mode = values["mode"]
                self.calls = self.failures = 0
            for key, cast in (("delay", float), ("after", int), ("times", int)):
                if key in values:
                    setattr(self, key, cast(values[key]))
        if "payments" in values or "contracts" in values:
            self.load(values)
        if "upsert" in values:
            self.upsert(values["upsert"])

    def state(self):
        return {"mode": self.mode, "delay": self.delay, "after": self.after, "times": self.times,
                "calls": self.calls, "failures": self.failures, "payments": len(self.payments),
                "cursor": str(self.seq)}

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

    def changes(self, cursor, date_from, date_to, limit):
        """Documents changed after ``cursor`` (a change number), in change
        order, optionally within a window of document dates."""
        with self.lock:
            rows = [p for p in self.payments if p["_seq"] > cursor]
        rows.sort(key=lambda p: p["_seq"])
        if date_from and date_from != EMPTY_DATE:
            rows = [p for p in rows if p["Date"] >= date_from]
        if date_to and date_to != EMPTY_DATE:
            rows = [p for p in rows if p["Date"] <= date_to]
        page = rows[:limit] if limit > 0 else rows
        last = page[-1]["_seq"] if page else cursor
        return page, last, len(rows) > len(page)

    def settlements(self, inn=""):
        """Per contract: its amount less what was paid under it (posted, not
        marked for deletion); payments are tied by contract GUID, or by
        contract number and INN when they carry no GUID."""
        by_guid, by_number = {}, {}
        with self.lock:
            for p in self.payments:
                if p["Posted"] and not p["DeletionMark"]:
                    amount = Decimal(str(p["Amount"] or 0))
                    if p["ContractGUID"]:
                        by_guid[p["ContractGUID"]] = by_guid.get(p["ContractGUID"], Decimal(0)) + amount
                    else:
                        key = (p["ContractNumber"], p["CounterpartyINN"])
                        by_number[key] = by_number.get(key, Decimal(0)) + amount
            contracts = list(self.contracts)
        result = []
        for c in contracts:
            if inn and c.get("CounterpartyINN") != inn:
                continue
            row = {field: c.get(field, "") for field in SETTLEMENT_FIELDS}
            row["ContractDate"] = row["ContractDate"] or EMPTY_DATE
            row["Currency"] = row["Currency"] or "RUB"
            paid = by_guid.get(c.get("ContractGUID"), Decimal(0)) if c.get("ContractGUID") else Decimal(0)
            paid += by_number.get((c.get("ContractNumber", ""), c.get("CounterpartyINN", "")), Decimal(0))
            row["Balance"] = Decimal(str(c.get("Amount", 0))) - paid
            result.append(row)
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
            except (ValueError, TypeError) as error:
                return self.respond(start_response, "400 Bad Request", str(error).encode(), "text/plain")
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
        elif mode == "fault":
            return self.fault(start_response, soap_ns, FAULT_TEXT)
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
        return ('<soap:Envelope xmlns:soap="%s"><soap:Body>%s</soap:Body></soap:Envelope>'
                % (soap_ns, body)).encode("utf-8")

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

    def op_Ping(self, request, duplicate=False):
        return "<m:return>1С:Бухгалтерия предприятия 3.0 (заглушка), ИБ %s</m:return>" % escape(self.publication)

    def op_GetPayments(self, request, duplicate=False):
        cursor_text = self.param(request, "Cursor")
        cursor = int(cursor_text) if cursor_text else 0
        limit = int(self.param(request, "Limit", "0") or 0)
        page, last, more = self.store.changes(cursor, self.param(request, "DateFrom"),
                                              self.param(request, "DateTo"), limit)
        parts = ["<m:return><m:Cursor>%d</m:Cursor><m:HasMore>%s</m:HasMore><m:Payments>" % (
            last, "true" if more else "false")]
        for doc in page:
            item = "<m:Payment>%s</m:Payment>" % "".join(
                "<m:%s>%s</m:%s>" % (field, xml_value(doc[field]), field) for field in PAYMENT_FIELDS)
            parts.append(item)
            if duplicate:
                parts.append(item)
        parts.append("</m:Payments></m:return>")
        return "".join(parts)

    def op_GetSettlements(self, request, duplicate=False):
        rows = self.store.settlements(self.param(request, "CounterpartyINN"))
        parts = ["<m:return>"]
        for row in rows:
            parts.append("<m:Settlement>%s</m:Settlement>" % "".join(
                "<m:%s>%s</m:%s>" % (field, xml_value(row[field]), field) for field in SETTLEMENT_FIELDS))
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
    print("1C stand-in: http://%s:%d/%s/ws/Payments.1cws?wsdl (user %s, %d payments)" % (
        args.host, httpd.server_port, args.publication, args.user, len(app.store.payments)), flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
