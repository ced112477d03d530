# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The OData adapter (services/onec_odata.py) against 1C's standard OData
interface as it answers.

A small threaded WSGI server on 127.0.0.1 (FakeOData) plays the web server
of a 1C base: entity sets of БП 3.0 (/bp/…) and УТ 11 (/ut/…) with the
query options the adapter uses ($select, $filter subset, $orderby, $top,
$skip), the accounting and accumulation registers' Balance, Basic auth with
a Cyrillic user, and 1C's failures under /fail/<mode>/… . It counts the
requests, so the tests see what travels.
"""
import base64
import json
import re
import socket
import threading
import time
from datetime import datetime
from decimal import Decimal
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from odoo.tests.common import TransactionCase

from ..services.onec_client import OneCError
from ..services.onec_odata import OneCODataClient

USER, PASSWORD = "Обмен", "secret"
ZERO = "00000000-0000-0000-0000-000000000000"
G1, G2, G3, G4 = ("7c1e5a3b-2f4d-11ef-8a6b-0050569f1a01", "7c1e5a3b-2f4d-11ef-8a6b-0050569f1a02",
                  "7c1e5a3b-2f4d-11ef-8a6b-0050569f1a03", "7c1e5a3b-2f4d-11ef-8a6b-0050569f1a04")
P1, P2 = "5b2c9d10-0e1f-11ee-8a6b-0050569f1a01", "5b2c9d10-0e1f-11ee-8a6b-0050569f1a02"
C15, C16, C17, C18 = ("9d7a0c21-b3e4-11ee-8a6b-0050569f1a15", "9d7a0c21-b3e4-11ee-8a6b-0050569f1a16",
                      "9d7a0c21-b3e4-11ee-8a6b-0050569f1a17", "9d7a0c21-b3e4-11ee-8a6b-0050569f1a18")
RUB, USD = "3d4e5f60-0000-11ee-8a6b-0050569f0643", "3d4e5f60-0000-11ee-8a6b-0050569f0840"
A6222 = "1a2b3c4d-0000-11ee-8a6b-000000006222"
A6201, A6202, A51 = ("1a2b3c4d-0000-11ee-8a6b-000000006201", "1a2b3c4d-0000-11ee-8a6b-000000006202",
                     "1a2b3c4d-0000-11ee-8a6b-000000000051")
PARTNER_TYPE = "StandardODATA.Catalog_Контрагенты"
BANK_BP, CASH, BANK_UT = ("Document_ПоступлениеНаРасчетныйСчет", "Document_ПриходныйКассовыйОрдер",
                          "Document_ПоступлениеБезналичныхДенежныхСредств")


def catalogs(contract_owner="Owner_Key"):
    return {
        "Catalog_Контрагенты": [
            {"Ref_Key": P1, "DataVersion": "AAAAAQAAAAA=", "DeletionMark": False, "IsFolder": False,
             "Description": "ООО «Ромашка»", "НаименованиеПолное": "Общество «Ромашка»", "ИНН": "7701234567",
             "КПП": "770101001"},
            {"Ref_Key": P2, "DataVersion": "AAAAAgAAAAA=", "DeletionMark": False, "IsFolder": False,
             "Description": "ИП Петров Пётр Петрович", "НаименованиеПолное": "", "ИНН": "500100732259",
             "КПП": ""}],
        "Catalog_ДоговорыКонтрагентов": [
            {"Ref_Key": key, "DataVersion": "AAAA%sAA=" % number[:2], "DeletionMark": False, contract_owner: owner,
             "Description": "Договор № %s" % number, "Номер": number, "Дата": day, "ВидДоговора": "СПокупателем",
             "ВалютаВзаиморасчетов_Key": currency}
            for key, number, day, owner, currency in (
                (C15, "15", "2026-01-15T00:00:00", P1, RUB), (C16, "16", "2026-02-01T00:00:00", P1, RUB),
                (C17, "17", "0001-01-01T00:00:00", P2, RUB), (C18, "18-USD", "2026-03-01T00:00:00", P2, USD))],
        "Catalog_Валюты": [
            {"Ref_Key": RUB, "DataVersion": "AAAAcgAAAAA=", "Code": "643", "Description": "руб."},
            {"Ref_Key": USD, "DataVersion": "AAAAdgAAAAA=", "Code": "840", "Description": "USD"}],
    }


def bp_data():
    def bank(guid, number, day, amount, lines, partner=P1, currency=RUB, posted=True, deleted=False,
             kind="ОплатаПокупателя", purpose="", version="AAAAAQ=="):
        return {"Ref_Key": guid, "DataVersion": version, "DeletionMark": deleted, "Number": number, "Date": day,
                "Posted": posted, "ВидОперации": kind, "Контрагент": partner or ZERO, "Контрагент_Type": PARTNER_TYPE,
                "ДоговорКонтрагента_Key": ZERO, "ВалютаДокумента_Key": currency, "СуммаДокумента": amount,
                "НазначениеПлатежа": purpose,
                "РасшифровкаПлатежа": [
                    {"Ref_Key": guid, "LineNumber": str(n), "ДоговорКонтрагента_Key": contract,
                     "СуммаПлатежа": value, "СуммаВзаиморасчетов": value, "КурсВзаиморасчетов": 1}
                    for n, (contract, value) in enumerate(lines, 1)]}
    data = catalogs()
    data[BANK_BP] = [
        bank(G1, "0000-000123", "2026-11-27T10:15:00", 150000, [(C15, 100000), (C16, 50000.0)],
             purpose="Оплата по договорам № 15 от 15.01.2026 и № 16 от 01.02.2026, в т.ч. НДС"),
        bank(G3, "0000-000124", "2026-11-29T00:00:00", 300, [(ZERO, 300)], partner="", currency=USD, posted=False,
             deleted=True, purpose="Возврат"),
        bank(G4, "0000-000125", "2026-11-30T09:00:00", 777.5, [], kind="ПрочееПоступление", purpose="Проценты"),
    ]
    data[CASH] = [{
        "Ref_Key": G2, "DataVersion": "AAAAAg==", "DeletionMark": False, "Number": "0000-000045",
        "Date": "2026-11-28T09:00:00", "Posted": True, "ВидОперации": "ОплатаПокупателя", "Контрагент": P2,
        "Контрагент_Type": PARTNER_TYPE, "ДоговорКонтрагента_Key": C17, "ВалютаДокумента_Key": RUB,
        "СуммаДокумента": 2500, "Основание": "", "РасшифровкаПлатежа": []}]
    data["ChartOfAccounts_Хозрасчетный"] = [
        {"Ref_Key": A6201, "Code": "62.01", "Description": "Расчеты с покупателями и заказчиками"},
        {"Ref_Key": A6202, "Code": "62.02", "Description": "Расчеты по авансам полученным"},
        {"Ref_Key": A6222, "Code": "62.22", "Description": "Расчеты по авансам полученным (в валюте)"},
        {"Ref_Key": A51, "Code": "51", "Description": "Расчетные счета"}]

    def balance(account, contract, partner, rub, cur=0, currency=RUB):
        return {"Account_Key": account, "ExtDimension1": partner, "ExtDimension1_Type": PARTNER_TYPE,
                "ExtDimension2": contract, "ExtDimension2_Type": "StandardODATA.Catalog_ДоговорыКонтрагентов",
                "Валюта_Key": currency, "СуммаBalance": rub, "СуммаBalanceDr": max(rub, 0),
                "СуммаBalanceCr": max(-rub, 0), "ВалютнаяСуммаBalance": cur}
    data["AccountingRegister_Хозрасчетный/Balance"] = [
        balance(A6201, C15, P1, 25000), balance(A6202, C15, P1, -5000),
        balance(A6222, C18, P2, -9045, -100, USD), balance(A6201, C16, P1, 5000),
        balance(A51, "", "", 1000000)]
    return data


def ut_data():
    data = catalogs("Контрагент_Key")
    data[BANK_UT] = [{
        "Ref_Key": G1, "DataVersion": "AAAAAQ==", "DeletionMark": False, "Number": "0000-000123",
        "Date": "2026-11-27T10:15:00", "Posted": True, "ХозяйственнаяОперация": "ПоступлениеОплатыОтКлиента",
        "Контрагент_Key": P1, "Валюта_Key": RUB, "СуммаДокумента": 150000, "НазначениеПлатежа": "Оплата",
        "РасшифровкаПлатежа": [
            {"LineNumber": "1", "ОбъектРасчетов_Key": C15, "Сумма": 100000},
            {"LineNumber": "2", "ДоговорКонтрагента_Key": C16, "ОбъектРасчетов_Key": C15, "Сумма": 50000}]}]
    data[CASH] = [{
        "Ref_Key": G2, "DataVersion": "AAAAAg==", "DeletionMark": False, "Number": "0000-000045",
        "Date": "2026-11-28T09:00:00", "Posted": True, "ХозяйственнаяОперация": "ПоступлениеОплатыОтКлиента",
        "Контрагент_Key": P2, "Валюта_Key": RUB, "СуммаДокумента": 2500, "Основание": "",
        "РасшифровкаПлатежа": []}]
    data["AccumulationRegister_РасчетыСКлиентами/Balance"] = [
        {"Контрагент_Key": P2, "Договор_Key": C18, "Валюта_Key": USD, "СуммаBalance": -100,
         "СуммаРеглBalance": -9045},
        {"Контрагент_Key": P1, "Договор_Key": C15, "Валюта_Key": RUB, "СуммаBalance": 20000,
         "СуммаРеглBalance": 20000}]
    return data


def expected_docs():
    return [
        {"guid": G1, "doc_type": "ПоступлениеНаРасчетныйСчет", "number": "0000-000123",
         "date": datetime(2026, 11, 27, 10, 15), "posted": True, "deletion_mark": False,
         "partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
         "amount": Decimal("150000"), "currency": "RUB", "version": "AAAAAQ==",
         "purpose": "Оплата по договорам № 15 от 15.01.2026 и № 16 от 01.02.2026, в т.ч. НДС",
         "lines": [
             {"key": "1", "contract_guid": C15, "contract_number": "15", "contract_date": datetime(2026, 1, 15),
              "amount": Decimal("100000")},
             {"key": "2", "contract_guid": C16, "contract_number": "16", "contract_date": datetime(2026, 2, 1),
              "amount": Decimal("50000")}]},
        # Unposted, marked for deletion, empty references.
        {"guid": G3, "doc_type": "ПоступлениеНаРасчетныйСчет", "number": "0000-000124",
         "date": datetime(2026, 11, 29), "posted": False, "deletion_mark": True,
         "partner_guid": "", "partner_name": "", "inn": "", "kpp": "", "version": "AAAAAQ==",
         "amount": Decimal("300"), "currency": "USD", "purpose": "Возврат",
         "lines": [{"key": "1", "contract_guid": "", "contract_number": "", "contract_date": None,
                    "amount": Decimal("300")}]},
        # A cash receipt in the old shape (no lines): one synthesised line.
        {"guid": G2, "doc_type": "ПриходныйКассовыйОрдер", "number": "0000-000045",
         "date": datetime(2026, 11, 28, 9, 0), "posted": True, "deletion_mark": False,
         "partner_guid": P2, "partner_name": "ИП Петров Пётр Петрович", "inn": "500100732259", "kpp": "",
         "amount": Decimal("2500"), "currency": "RUB", "purpose": "", "version": "AAAAAg==",
         "lines": [{"key": "", "contract_guid": C17, "contract_number": "17", "contract_date": None,
                    "amount": Decimal("2500")}]},
    ]


def exact(value):
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", value.normalize())
    return (type(value).__name__, value)


# -- a 1C web server with the standard OData interface -------------------------


def odata_error(code, text):
    return json.dumps({"odata.error": {"code": code, "message": {"lang": "ru", "value": text}}},
                      ensure_ascii=False)


HTML = "<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>"
FAILURES = {
    "unpublished": (403, "application/json", odata_error(
        "14", "Не найден объект Document_ПоступлениеНаРасчетныйСчет в составе стандартного интерфейса OData")),
    "rights": (403, "application/json", odata_error("9", "Нарушение прав доступа!")),
    "notfound": (404, "application/json", odata_error("5", "Не найден ресурс: Document_ПоступлениеНаРасчетныйСчет")),
    "nopublication": (404, "text/html", HTML % ("404 Not Found", "")),
    "lock": (500, "application/json", odata_error(
        "1", "Конфликт блокировок при выполнении транзакции: Превышено максимальное время ожидания "
             "предоставления блокировки")),
    "error": (500, "application/json", odata_error("1", "Деление на 0")),
    "http500": (500, "text/html", HTML % ("500 Internal Server Error", "")),
    "busy": (503, "text/html", HTML % ("503 Service Unavailable", "Превышено максимальное количество "
                                                                  "одновременных сеансов (pool)")),
    "badquery": (400, "application/json", odata_error("6", "Неправильное имя поля: ВидОперации")),
    "garbage": (200, "application/json", '{"odata.metadata": "x", "value": [{"Ref_Key": "7c1e'),
    "notjson": (200, "text/plain", "Сервис временно не работает"),
    "page": (200, "text/html", HTML % ("1С:Предприятие", "Вход в программу")),
    "novalue": (200, "application/json", '{"odata.metadata": "x"}'),
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


def _compare(row, field, op, value):
    have = row.get(field)
    if have is None:
        return False
    return {"eq": have == value, "ne": have != value, "ge": have >= value, "gt": have > value,
            "le": have <= value, "lt": have < value}[op]


def matches(row, where):
    """The $filter subset the adapter sends: clauses joined by or / and."""
    for alternative in where.split(" or "):
        ok = True
        for clause in alternative.split(" and "):
            found = re.match(r"^\(?(\w+) (eq|ne|ge|gt|le|lt) (?:datetime|guid)?'([^']*)'\)?$", clause.strip())
            if not found:
                raise ValueError(clause)
            if not _compare(row, found.group(1), found.group(2), found.group(3)):
                ok = False
                break
        if ok:
            return True
    return False


class FakeOData(object):
    """/<publication>/odata/standard.odata/<EntitySet>?… for publications
    'bp' and 'ut'; /fail/<mode>/…; /slow/… sleeps; 'unpublished' (a set of
    entity names) answer 403 as 1C does for objects not ticked."""

    def __init__(self):
        self.data = {"bp": bp_data(), "ut": ut_data()}
        self.unpublished = set()
        self.requests = []
        self.lock = threading.Lock()
        self.httpd = make_server("127.0.0.1", 0, self.app, server_class=_Server, handler_class=_QuietHandler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def base(self, publication="bp"):
        return "%s/%s/odata/standard.odata" % (self.url, publication)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        with self.lock:
            self.requests = []

    def paths(self):
        return [request["path"] for request in self.requests]

    @staticmethod
    def answer(start, status, content_type, body):
        reasons = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                   500: "Internal Server Error", 503: "Service Unavailable"}
        headers = [("Content-Type", content_type + "; charset=utf-8")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Basic realm="1C"'))
        start("%d %s" % (status, reasons.get(status, "Error")), headers)
        return [body.encode("utf-8") if isinstance(body, str) else body]

    def app(self, environ, start):
        raw_path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        expected = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii")
        if environ.get("HTTP_AUTHORIZATION") != expected:
            return self.answer(start, 401, "text/html", HTML % ("401", "Unauthorized"))
        parts = raw_path.strip("/").split("/")
        publication = parts[0]
        if publication == "fail":
            return self.answer(start, *FAILURES[parts[1]])
        if publication == "slow":
            time.sleep(2.5)
            publication = "bp"
            parts = parts[1:]
        data = self.data.get(publication)
        if data is None or parts[1:3] != ["odata", "standard.odata"] or len(parts) < 4:
            return self.answer(start, 404, "text/html", HTML % ("404 Not Found", ""))
        resource = "/".join(parts[3:])
        entity = resource.split("/")[0]
        with self.lock:
            self.requests.append({"path": resource, "query": query})
        if query.get("$format") != "json":
            return self.answer(start, 400, "application/json", odata_error("6", "$format"))
        if entity in self.unpublished:
            return self.answer(start, 403, "application/json", odata_error(
                "14", "Не найден объект %s в составе стандартного интерфейса OData" % entity))
        if "/Balance(" in resource:
            rows = data.get(entity + "/Balance")
            found = re.search(r"AccountCondition='(.*)'\)$", resource)
            if rows is not None and found:
                keys = re.findall(r"guid'([^']+)'", found.group(1))
                rows = [row for row in rows if row["Account_Key"] in keys]
        else:
            rows = data.get(entity)
        if rows is None:
            return self.answer(start, 404, "application/json", odata_error("5", "Не найден ресурс: " + entity))
        rows = list(rows)
        if query.get("$filter"):
            rows = [row for row in rows if matches(row, query["$filter"])]
        if query.get("$orderby"):
            fields = [field.strip() for field in query["$orderby"].split(",")]
            rows.sort(key=lambda row: tuple(row.get(field) or "" for field in fields))
        skip = int(query.get("$skip") or 0)
        rows = rows[skip:]
        if query.get("$top"):
            rows = rows[:int(query["$top"])]
        if query.get("$select"):
            fields = query["$select"].split(",")
            rows = [{field: row[field] for field in fields if field in row} for row in rows]
        body = {"odata.metadata": "%s/$metadata#%s" % (self.base(publication), entity), "value": rows}
        return self.answer(start, 200, "application/json", json.dumps(body, ensure_ascii=False))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingReferences(object):
    """A references store that records what the adapter puts."""

    def __init__(self):
        self.kinds = {}
        self.puts = []

    def get(self, kind):
        return dict(self.kinds.get(kind) or {})

    def put(self, kind, items):
        self.puts.append((kind, sorted(items)))
        # Stored as JSON, like Odoo's receivables.onec.reference.
        self.kinds.setdefault(kind, {}).update(json.loads(json.dumps(items)))


def read_all(client, state="", batch_size=100, overlap=30, known=None):
    pages = list(client.read_changes(state, batch_size, overlap, known))
    return pages, [doc for docs, __ in pages for doc in docs]


class TestOneCOData(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super(TestOneCOData, cls).setUpClass()
        cls.onec = FakeOData()

    @classmethod
    def tearDownClass(cls):
        cls.onec.stop()
        super(TestOneCOData, cls).tearDownClass()

    def setUp(self):
        super(TestOneCOData, self).setUp()
        self.onec.data = {"bp": bp_data(), "ut": ut_data()}
        self.onec.unpublished = set()
        self.onec.reset()

    def client(self, publication="bp", **kwargs):
        kwargs.setdefault("configuration", "ut11" if publication == "ut" else "bp30")
        return OneCODataClient(self.onec.base(publication) + "/", USER, PASSWORD, **kwargs)

    def assertFails(self, kind, call, *words):
        with self.assertRaises(OneCError) as caught:
            call()
        error = caught.exception
        self.assertEqual(error.kind, kind, str(error))
        text = str(error)
        self.assertRegex(text, "[А-Яа-яЁё]")
        for word in words:
            self.assertIn(word, text)
        for python in ("Traceback", "Exception", "Error(", "requests.", "HTTPConnectionPool", "NoneType"):
            self.assertNotIn(python, text)
        return text

    # -- receipts ----------------------------------------------------------------
    def test_documents_split_lines_old_shape_and_other_receipts(self):
        """Every receipt of БП 3.0 as the importer's doc dict: a split bank
        receipt, a deleted unposted one, an old-shape cash receipt; the
        other kinds of receipt are left out; the state is the latest date."""
        pages, docs = read_all(self.client())
        self.assertEqual(exact(docs), exact(expected_docs()))
        self.assertEqual(pages[-1][1], "2026-11-30T09:00:00")
        self.assertNotIn(G4, [doc["guid"] for doc in docs])
        # The first sync lists whole pages at once: one request per receipt type and catalog.
        self.assertEqual(sorted(self.onec.paths()), sorted([BANK_BP, CASH, "Catalog_Контрагенты",
                                                            "Catalog_ДоговорыКонтрагентов", "Catalog_Валюты"]))

    def test_no_longer_a_customer_payment_comes_back_unposted(self):
        """A receipt Odoo knows whose operation kind changed (e.g. to another
        income) comes back unposted; unknown ones stay out."""
        __, docs = read_all(self.client(), known=lambda guids: {G4: "old"} if G4 in guids else {})
        doc = next(doc for doc in docs if doc["guid"] == G4)
        self.assertFalse(doc["posted"])
        self.assertEqual(doc["amount"], Decimal("777.5"))
        self.assertEqual(doc["lines"][0]["key"], "")
        # Once Odoo has this version, it is skipped like any unchanged receipt.
        __, docs = read_all(self.client(), known=lambda guids: {G4: "AAAAAQ=="} if G4 in guids else {})
        self.assertNotIn(G4, [doc["guid"] for doc in docs])

    def test_known_versions_skip_and_changed_ones_by_key(self):
        versions = {G1: "AAAAAQ==", G2: "AAAAAg==", G3: "AAAAAQ=="}
        calls = []

        def known(guids):
            calls.append(list(guids))
            return {guid: versions[guid] for guid in guids if guid in versions}
        pages, docs = read_all(self.client(), state="2026-11-30T09:00:00", overlap=3, known=known)
        self.assertEqual(docs, [])
        self.assertEqual(pages, [([], "2026-11-30T09:00:00")])
        # Two light listings and nothing else (no catalog, no fetch).
        self.assertEqual(self.onec.paths(), [BANK_BP, CASH])
        listing = self.onec.requests[0]["query"]
        self.assertEqual(listing["$select"], "Ref_Key,DataVersion,Date,ВидОперации")
        self.assertEqual(listing["$filter"], "Date ge datetime'2026-11-27T00:00:00'")
        self.assertEqual(listing["$orderby"], "Date,Ref_Key")
        self.assertEqual(sorted(sum(calls, [])), sorted([G1, G3, G4, G2]))
        # G1 changed in 1C (moved to another contract): only it is fetched, by its key.
        bank = self.onec.data["bp"][BANK_BP][0]
        bank["DataVersion"] = "AAAABQ=="
        bank["РасшифровкаПлатежа"][1]["ДоговорКонтрагента_Key"] = C15
        self.onec.reset()
        __, docs = read_all(self.client(), state="2026-11-30T09:00:00", overlap=3, known=known)
        self.assertEqual([doc["guid"] for doc in docs], [G1])
        self.assertEqual(docs[0]["version"], "AAAABQ==")
        self.assertEqual([line["contract_guid"] for line in docs[0]["lines"]], [C15, C15])
        fetch = [r["query"] for r in self.onec.requests if r["path"] == BANK_BP][1]
        self.assertEqual(fetch["$filter"], "Ref_Key eq guid'%s'" % G1)
        self.assertIn("РасшифровкаПлатежа", fetch["$select"].split(","))

    def test_pages_state_and_window(self):
        """Many receipts: pages of at most batch_size docs, listings of
        page_size rows, the state moves on the last page only; a resync of an
        unchanged window is listings only."""
        rows = []
        for n in range(230):
            rows.append({"Ref_Key": "00000000-0000-4000-8000-%012d" % n, "DataVersion": "v%d" % n,
                         "DeletionMark": False, "Number": str(n), "Date": "2026-10-%02dT12:00:00" % (1 + n // 10),
                         "Posted": True, "ВидОперации": "ОплатаПокупателя", "Контрагент": P1,
                         "Контрагент_Type": PARTNER_TYPE, "ДоговорКонтрагента_Key": C15, "ВалютаДокумента_Key": RUB,
                         "СуммаДокумента": n + 0.5, "НазначениеПлатежа": "", "РасшифровкаПлатежа": []})
        self.onec.data["bp"][BANK_BP] = rows
        self.onec.data["bp"][CASH] = []
        client = self.client()
        client.page_size = 50
        pages, docs = read_all(client, batch_size=40)
        self.assertEqual(len(docs), 230)
        self.assertEqual(len({doc["guid"] for doc in docs}), 230)
        self.assertTrue(all(len(page) <= 40 for page, __ in pages))
        self.assertEqual([state for __, state in pages[:-1]], [""] * (len(pages) - 1))
        self.assertEqual(pages[-1][1], "2026-10-23T12:00:00")
        self.assertEqual(docs[5]["amount"], Decimal("5.5"))
        listings = [r for r in self.onec.requests if r["path"] == BANK_BP]
        self.assertEqual([r["query"].get("$skip") for r in listings], [None, "50", "100", "150", "200"])
        # A resync: Odoo has them all; the window starts 2 days before the state.
        versions = {row["Ref_Key"]: row["DataVersion"] for row in rows}
        self.onec.reset()
        client = self.client()
        client.page_size = 50
        pages, docs = read_all(client, state="2026-10-23T12:00:00", overlap=2,
                               known=lambda guids: {g: versions[g] for g in guids})
        self.assertEqual(docs, [])
        self.assertEqual(pages[-1][1], "2026-10-23T12:00:00")
        self.assertEqual(self.onec.requests[0]["query"]["$filter"], "Date ge datetime'2026-10-21T00:00:00'")
        self.assertEqual(self.onec.paths(), [BANK_BP, CASH])
        # Half of the window changed: fetched by its date range, not key by key.
        for row in rows[200:230]:
            row["DataVersion"] += "x"
        for row in rows[0:5]:
            row["DataVersion"] += "x"
        self.onec.reset()
        __, docs = read_all(client, state="2026-10-23T12:00:00", overlap=2,
                            known=lambda guids: {g: versions[g] for g in guids})
        self.assertEqual(len(docs), 30)
        fetch = [r["query"] for r in self.onec.requests if r["path"] == BANK_BP][1]
        self.assertEqual(fetch["$filter"], "Date ge datetime'2026-10-21T12:00:00' and "
                                           "Date le datetime'2026-10-23T12:00:00'")
        # Nothing in the window: the state stays.
        self.onec.data["bp"][BANK_BP] = []
        pages, docs = read_all(client, state="2026-10-23T12:00:00", overlap=2)
        self.assertEqual(pages, [([], "2026-10-23T12:00:00")])
        # A SOAP change number as the state: the whole history is read.
        self.onec.reset()
        pages, docs = read_all(self.client(), state="1234")
        self.assertEqual(pages, [([], "")])
        self.assertNotIn("$filter", self.onec.requests[0]["query"])

    # -- catalogs ----------------------------------------------------------------
    def test_references_read_once_then_only_changed_items(self):
        store = CountingReferences()
        read_all(self.client(references=store))
        self.assertEqual(sorted(kind for kind, __ in store.puts), ["contract", "currency", "partner"])
        self.assertEqual(dict(store.puts)["partner"], sorted([P1, P2]))
        # The next sync: the catalogs are listed light, nothing is read again.
        self.onec.reset()
        store.puts = []
        __, docs = read_all(self.client(references=store))
        self.assertEqual(exact(docs), exact(expected_docs()))
        self.assertEqual(store.puts, [])
        catalog = [r["query"] for r in self.onec.requests if r["path"].startswith("Catalog_")]
        self.assertEqual([q["$select"] for q in catalog], ["Ref_Key,DataVersion"] * 3)
        # A counterparty renamed in 1C: only it is read, by its key.
        partner = self.onec.data["bp"]["Catalog_Контрагенты"][0]
        partner.update({"DataVersion": "AAAACQAAAAA=", "Description": "ООО «Ромашка-М»"})
        self.onec.reset()
        __, docs = read_all(self.client(references=store))
        self.assertEqual(docs[0]["partner_name"], "ООО «Ромашка-М»")
        self.assertEqual(store.puts, [("partner", [P1])])
        partners = [r["query"] for r in self.onec.requests if r["path"] == "Catalog_Контрагенты"]
        self.assertEqual(len(partners), 2)
        self.assertEqual(partners[1]["$filter"], "Ref_Key eq guid'%s'" % P1)
        # Within one client a catalog is brought up to date once.
        client = self.client(references=store)
        self.onec.reset()
        read_all(client)
        client.get_settlements()
        self.assertEqual(self.onec.paths().count("Catalog_Контрагенты"), 1)

    # -- settlements -------------------------------------------------------------
    def test_settlements_bp30_account_62_by_contract(self):
        client = self.client()
        rows = client.get_settlements(datetime(2026, 11, 30))
        expected = [
            {"partner_guid": P2, "partner_name": "ИП Петров Пётр Петрович", "inn": "500100732259", "kpp": "",
             "contract_guid": C18, "contract_number": "18-USD", "contract_date": datetime(2026, 3, 1),
             "currency": "USD", "balance": Decimal("-100"), "balance_rub": Decimal("-9045")},
            {"partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
             "contract_guid": C15, "contract_number": "15", "contract_date": datetime(2026, 1, 15),
             "currency": "RUB", "balance": Decimal("20000"), "balance_rub": Decimal("20000")},
            {"partner_guid": P1, "partner_name": "ООО «Ромашка»", "inn": "7701234567", "kpp": "770101001",
             "contract_guid": C16, "contract_number": "16", "contract_date": datetime(2026, 2, 1),
             "currency": "RUB", "balance": Decimal("5000"), "balance_rub": Decimal("5000")},
        ]
        self.assertEqual(exact(rows), exact(sorted(expected, key=lambda r: (r["partner_name"],
                                                                            r["contract_date"]))))
        balance = [r["path"] for r in self.onec.requests if "/Balance(" in r["path"]][0]
        self.assertEqual(balance, "AccountingRegister_Хозрасчетный/Balance(Period=datetime'2026-12-01T00:00:00',"
                                  "AccountCondition='Account_Key eq guid''%s'' or Account_Key eq guid''%s'' or "
                                  "Account_Key eq guid''%s''')" % (A6201, A6202, A6222))
        # Every sub-account of 62 (the currency ones too), not account 51.
        chart = [r["query"] for r in self.onec.requests if r["path"] == "ChartOfAccounts_Хозрасчетный"][0]
        self.assertNotIn("$filter", chart)
        self.assertEqual([r["contract_guid"] for r in client.get_settlements(inn="7701234567")], [C15, C16])
        # No sub-account 62 in the chart: the wrong configuration, said so.
        self.onec.data["bp"]["ChartOfAccounts_Хозрасчетный"] = []
        self.assertFails("contract", self.client().get_settlements, "62.01", "конфигурац")

    def test_ut11_names(self):
        """УТ 11 (and КА 2): its own receipt document, operation kind, plain
        counterparty key, line contract and sum, and the register
        РасчетыСКлиентами."""
        for configuration in ("ut11", "ka2"):
            self.onec.reset()
            client = self.client("ut", configuration=configuration)
            pages, docs = read_all(client)
            self.assertEqual([doc["guid"] for doc in docs], [G1, G2])
            self.assertEqual(docs[0]["doc_type"], "ПоступлениеБезналичныхДенежныхСредств")
            self.assertEqual([(ln["contract_guid"], ln["contract_number"], ln["amount"]) for ln in docs[0]["lines"]],
                             [(C15, "15", Decimal("100000")), (C16, "16", Decimal("50000"))])
            self.assertEqual((docs[0]["partner_name"], docs[0]["inn"], docs[0]["purpose"]),
                             ("ООО «Ромашка»", "7701234567", "Оплата"))
            self.assertEqual(docs[1]["lines"], [{"key": "", "contract_guid": "", "contract_number": "",
                                                 "contract_date": None, "amount": Decimal("2500")}])
            self.assertEqual(self.onec.requests[0]["path"], BANK_UT)
            rows = client.get_settlements()
            self.assertEqual([(r["contract_number"], r["currency"], r["balance"], r["balance_rub"]) for r in rows],
                             [("18-USD", "USD", Decimal("-100"), Decimal("-9045")),
                              ("15", "RUB", Decimal("20000"), Decimal("20000"))])
            self.assertTrue(self.onec.requests[-1]["path"].startswith(
                "AccumulationRegister_РасчетыСКлиентами/Balance(Period=datetime'"))

    # -- connection check --------------------------------------------------------
    def test_ping_lists_the_objects_not_published(self):
        client = self.client()
        self.assertEqual(client.missing_objects(), [])
        self.assertIn("OData", client.ping())
        self.onec.unpublished = {CASH, "Catalog_Валюты", "AccountingRegister_Хозрасчетный"}
        self.assertEqual(client.missing_objects(), [CASH, "Catalog_Валюты", "AccountingRegister_Хозрасчетный"])
        text = self.assertFails("config", client.ping, CASH, "Catalog_Валюты", "AccountingRegister_Хозрасчетный",
                                "не опубликованы", "Настройка автоматического REST-сервиса")
        self.assertNotIn(BANK_BP, text)
        # The same object missing in the middle of a sync.
        self.assertFails("config", lambda: read_all(self.client()), CASH, "не опубликованы")
        # A wrong login fails the check, not a list of everything.
        bad = OneCODataClient(self.onec.base(), USER, "wrong")
        self.assertFails("auth", bad.ping, "HTTP 401", "пароль")

    def test_cyrillic_login(self):
        """The 1C user «Обмен» goes out UTF-8 encoded (the fake checks it)."""
        self.assertEqual(self.client().missing_objects(), [])
        latin = OneCODataClient(self.onec.base(), "Obmen", PASSWORD)
        self.assertFails("auth", latin.get_settlements, "HTTP 401")

    # -- failures ----------------------------------------------------------------
    def fail(self, mode, **kwargs):
        return OneCODataClient("%s/fail/%s/odata/standard.odata" % (self.onec.url, mode), USER, PASSWORD, **kwargs)

    def test_failures(self):
        sync = lambda client: lambda: read_all(client)  # noqa: E731
        self.assertFails("config", sync(self.fail("unpublished")), BANK_BP, "не опубликованы")
        self.assertFails("rights", sync(self.fail("rights")), "Нарушение прав доступа", "Обмен", "администратора")
        self.assertFails("config", sync(self.fail("notfound")), "HTTP 404", "конфигурац")
        self.assertFails("http", sync(self.fail("nopublication")), "HTTP 404", "Публиковать стандартный интерфейс")
        self.assertFails("lock", sync(self.fail("lock")), "блокировк", "Повторите позже")
        self.assertFails("fault", sync(self.fail("error")), "Деление на 0", "программисту 1С")
        self.assertFails("http", sync(self.fail("http500")), "HTTP 500")
        self.assertFails("busy", sync(self.fail("busy")), "HTTP 503", "пул сеансов")
        self.assertFails("contract", sync(self.fail("badquery")), "HTTP 400", "ВидОперации", "конфигурац")
        self.assertFails("garbage", sync(self.fail("garbage")), "не JSON")
        self.assertFails("garbage", sync(self.fail("notjson")), "не JSON")
        self.assertFails("garbage", sync(self.fail("page")), "веб-страницу", "standard.odata")
        self.assertFails("garbage", sync(self.fail("novalue")), "value")
        self.assertFails("lock", self.fail("lock").get_settlements, "взаиморасчётов")
        slow = OneCODataClient("%s/slow/odata/standard.odata" % self.onec.url, USER, PASSWORD, timeout=1)
        self.assertFails("timeout", sync(slow), "1 с", "тайм-аут")
        refused = OneCODataClient("http://127.0.0.1:%d/bp/odata/standard.odata" % free_port(), USER, PASSWORD)
        self.assertFails("unreachable", refused.ping, "соединение отклонено")
        self.assertFails("config", lambda: OneCODataClient("", USER, PASSWORD), "standard.odata")
        self.assertFails("config", lambda: OneCODataClient("сервер/база", USER, PASSWORD).ping(), "standard.odata")
        self.assertFails("config", lambda: OneCODataClient(self.onec.base(), USER, PASSWORD, configuration="upp"),
                         "БП 3.0")

    def test_bad_values_say_which_document(self):
        self.onec.data["bp"][BANK_BP][0]["СуммаДокумента"] = "сто пятьдесят тысяч"
        self.assertFails("contract", lambda: read_all(self.client()), "0000-000123", G1, "СуммаДокумента")


# -- the repository's stand-in (onec/server.py + onec/odata.py) -------------------

def store_data():
    """One infobase for both transports (SOAP JSON shape of onec/server.py)."""
    romashka = {"CounterpartyGUID": P1, "CounterpartyName": "ООО «Ромашка»", "CounterpartyINN": "7701234567",
                "CounterpartyKPP": "770101001"}
    petrov = {"CounterpartyGUID": P2, "CounterpartyName": "ИП Петров Пётр Петрович",
              "CounterpartyINN": "500100732259", "CounterpartyKPP": ""}
    contracts = [dict(romashka, ContractGUID=C15, ContractNumber="15", ContractDate="2026-01-15T00:00:00"),
                 dict(romashka, ContractGUID=C16, ContractNumber="16", ContractDate="2026-02-01T00:00:00"),
                 dict(petrov, ContractGUID=C17, ContractNumber="17", ContractDate="2026-02-10T00:00:00"),
                 dict(petrov, ContractGUID=C18, ContractNumber="18-USD", ContractDate="2026-03-01T00:00:00",
                      Currency="USD")]
    payments = [
        dict(romashka, GUID=G1, DocumentType="ПоступлениеНаРасчетныйСчет", Number="0000-000123",
             Date="2026-11-27T10:15:00", Currency="RUB", PaymentPurpose="Оплата по договорам № 15 и № 16",
             Lines=[{"LineKey": "1", "ContractGUID": C15, "Amount": "100000.00"},
                    {"LineKey": "2", "ContractGUID": C16, "Amount": "50000.00"}]),
        dict(petrov, GUID=G2, DocumentType="ПриходныйКассовыйОрдер", Number="0000-000045",
             Date="2026-11-28T09:00:00", Currency="RUB", ContractGUID=C17, ContractNumber="17",
             ContractDate="2026-02-10T00:00:00", Amount="2500.00", PaymentPurpose="Оплата по договору 17"),
        dict(petrov, GUID=G3, DocumentType="ПоступлениеНаРасчетныйСчет", Number="0000-000124",
             Date="2026-11-29T12:00:00", Currency="USD", PaymentPurpose="Payment",
             Lines=[{"LineKey": "1", "ContractGUID": C18, "Amount": "100.00", "AmountRUB": "9045.00"}]),
        dict(romashka, GUID=G4, DocumentType="ПоступлениеНаРасчетныйСчет", Number="0000-000125",
             Date="2026-11-30T09:00:00", Currency="RUB", OperationKind="ПрочееПоступление",
             PaymentPurpose="Проценты на остаток", Amount="777.50"),
    ]
    sales = [{"GUID": "b0000000-0000-4000-8000-000000000001", "Date": "2026-11-01T00:00:00", "ContractGUID": C15,
              "Amount": "125000.00"},
             {"GUID": "b0000000-0000-4000-8000-000000000002", "Date": "2026-11-02T00:00:00", "ContractGUID": C18,
              "Amount": "300.00", "AmountRUB": "27000.00"}]
    return {"payments": payments, "contracts": contracts, "sales": sales}


class TestOneCODataStandIn(TransactionCase):
    """The adapter against the stand-in's standard.odata: the same receipts
    and settlements as the SOAP adapter reads from the same infobase."""

    @classmethod
    def setUpClass(cls):
        super(TestOneCODataStandIn, cls).setUpClass()
        from .common import StandIn
        cls.stand_in = StandIn()

    @classmethod
    def tearDownClass(cls):
        cls.stand_in.stop()
        super(TestOneCODataStandIn, cls).tearDownClass()

    def setUp(self):
        super(TestOneCODataStandIn, self).setUp()
        self.stand_in.control(reset=True, configuration="bp30", unpublished=[], **store_data())

    def client(self, **kwargs):
        return OneCODataClient(self.stand_in.url + "/buh/odata/standard.odata", USER, PASSWORD, **kwargs)

    def test_same_receipts_and_settlements_as_soap(self):
        from ..services.onec_client import OneCClient
        soap = OneCClient(self.stand_in.wsdl, USER, PASSWORD)
        soap_docs, __, __ = soap.get_payments("0", 1000)
        client = self.client()
        pages, docs = read_all(client)
        self.assertEqual(pages[-1][1], "2026-11-30T09:00:00")
        self.assertTrue(all(doc.pop("version") for doc in docs))
        by_guid = {doc["guid"]: doc for doc in soap_docs}
        self.assertEqual(sorted(by_guid), sorted([G1, G2, G3]))
        # The stand-in serves an old-shape receipt (SOAP: no Lines, key "") with
        # the one РасшифровкаПлатежа row 1C always has: its key is "1".
        by_guid[G2]["lines"][0]["key"] = "1"
        self.maxDiff = None
        self.assertEqual(exact(docs), exact([by_guid[doc["guid"]] for doc in docs]))
        self.assertEqual([len(doc["lines"]) for doc in docs], [2, 1, 1])
        self.assertEqual(exact(client.get_settlements()), exact(soap.get_settlements()))
        day = datetime(2026, 11, 28)
        self.assertEqual(exact(client.get_settlements(day)), exact(soap.get_settlements(day)))
        self.assertEqual(exact(client.get_settlements(inn="500100732259")),
                         exact(soap.get_settlements(inn="500100732259")))

    def test_changes_resync_and_other_receipts(self):
        versions = {}

        def known(guids):
            return {guid: versions[guid] for guid in guids if guid in versions}
        pages, docs = read_all(self.client(), known=known)
        versions.update({doc["guid"]: doc["version"] for doc in docs})
        state = pages[-1][1]
        __, docs = read_all(self.client(), state=state, overlap=30, known=known)
        self.assertEqual(docs, [])
        # The accountant moves G1's second line to another contract and unposts G2.
        self.stand_in.control(upsert=[{"GUID": G1, "Lines": [
            {"LineKey": "1", "ContractGUID": C15, "Amount": "100000.00"},
            {"LineKey": "2", "ContractGUID": C15, "Amount": "50000.00"}]}, {"GUID": G2, "Posted": False}])
        __, docs = read_all(self.client(), state=state, overlap=30, known=known)
        self.assertEqual(sorted(doc["guid"] for doc in docs), sorted([G1, G2]))
        changed = {doc["guid"]: doc for doc in docs}
        self.assertEqual([line["contract_guid"] for line in changed[G1]["lines"]], [C15, C15])
        self.assertFalse(changed[G2]["posted"])
        self.assertNotEqual(changed[G1]["version"], versions[G1])
        # G1 turns into another kind of receipt: Odoo knows it, it comes back unposted.
        versions.update({doc["guid"]: doc["version"] for doc in docs})
        self.stand_in.control(upsert=[{"GUID": G1, "OperationKind": "ПрочееПоступление"}])
        __, docs = read_all(self.client(), state=state, overlap=30, known=known)
        self.assertEqual([(doc["guid"], doc["posted"]) for doc in docs], [(G1, False)])

    def test_ut11_and_unpublished_objects(self):
        self.stand_in.control(configuration="ut11")
        client = self.client(configuration="ut11")
        self.assertEqual(client.missing_objects(), [])
        __, docs = read_all(client)
        self.assertEqual(sorted(doc["guid"] for doc in docs), sorted([G1, G2, G3]))
        bank = next(doc for doc in docs if doc["guid"] == G1)
        self.assertEqual((bank["doc_type"], bank["inn"], [line["amount"] for line in bank["lines"]]),
                         ("ПоступлениеБезналичныхДенежныхСредств", "7701234567",
                          [Decimal("100000"), Decimal("50000")]))
        self.assertEqual({(row["contract_number"], row["balance"]) for row in client.get_settlements()},
                         {("15", Decimal("25000")), ("16", Decimal("-50000")), ("17", Decimal("-2500")),
                          ("18-USD", Decimal("200"))})
        self.stand_in.control(configuration="bp30", unpublished=[CASH, "AccountingRegister_Хозрасчетный"])
        client = self.client()
        self.assertEqual(client.missing_objects(), [CASH, "AccountingRegister_Хозрасчетный"])
        with self.assertRaises(OneCError) as caught:
            client.ping()
        self.assertEqual(caught.exception.kind, "config")
        self.assertIn("%s, AccountingRegister_Хозрасчетный" % CASH, str(caught.exception))

    def test_fault_modes(self):
        for mode, kind in (("lock", "lock"), ("rights", "rights"), ("busy", "busy"), ("nolicense", "busy"),
                           ("http500", "http"), ("http502", "http"), ("malformed", "garbage"),
                           ("truncated", "garbage"), ("badauth", "auth")):
            self.stand_in.control(mode=mode)
            with self.assertRaises(OneCError) as caught:
                read_all(self.client())
            self.assertEqual(caught.exception.kind, kind, "%s: %s" % (mode, caught.exception))
            self.assertRegex(str(caught.exception), "[А-Яа-я]")
        self.stand_in.control(mode="normal")
        self.assertEqual(len(read_all(self.client())[1]), 3)
