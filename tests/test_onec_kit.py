"""The kit for the 1C programmer (onec/kit/, docs/1c-integration.md) against
the contract (onec/Payments.wsdl) and the stand-in (onec/server.py).

* Payments.xsd, the XDTO package to import, holds exactly the WSDL's types;
* the curl requests are SOAP that the contract accepts and the stand-in
  answers, the sample answers fit the contract, and the curl commands of the
  doc, run as they are written, get the sample answers from the stand-in;
* the BSL modules pass a structural lint (blocks balanced, query texts only
  in ``Запрос.Текст``/``ТекстЗапроса`` literals, no parameterised ПЕРВЫЕ,
  query parameters set where they are used, the web service's functions and
  XDTO properties as the contract names them);
* the code blocks of the doc that name a kit file are that file.
"""
import copy
import json
import os
import re
import subprocess
import uuid
import warnings
from decimal import Decimal

import pytest
import requests
from lxml import etree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIT = os.path.join(ROOT, "onec", "kit")
CURL = os.path.join(KIT, "curl")
WSDL = os.path.join(ROOT, "onec", "Payments.wsdl")
XSD = os.path.join(KIT, "Payments.xsd")
DOC = os.path.join(ROOT, "docs", "1c-integration.md")
BSL_SERVICE = os.path.join(KIT, "Payments.bsl")
BSL_COMMON = os.path.join(KIT, "ОбменСCRM.bsl")

NS = "http://tehnosnab.example/exchange/payments"
XS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_BIND = "http://schemas.xmlsoap.org/wsdl/soap/"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
OPERATIONS = ("Ping", "GetPayments", "GetSettlements")
# How the doc's curl commands name the publication and the login; the test
# points them at the stand-in and its user.
DOC_URL = "https://srv-1c-buh.tehnosnab.local/buh/ws/Payments.1cws"
DOC_LOGIN = "crm_exchange:secret"
STANDIN_LOGIN = "Обмен:secret"


def read(path):
    with open(path, encoding="utf-8") as source:
        return source.read()


def q(name, ns=XS):
    return "{%s}%s" % (ns, name)


# -- the contract's schema -----------------------------------------------------

def wsdl_schema():
    return etree.parse(WSDL).getroot().find("%s/%s" % (q("types", WSDL_NS), q("schema")))


def xsd_schema():
    return etree.parse(XSD).getroot()


def contract_validator():
    """An XMLSchema of the WSDL's <types>: request and response elements."""
    return etree.XMLSchema(etree.ElementTree(copy.deepcopy(wsdl_schema())))


def type_shapes(schema):
    """{type name: shape} of the named top-level types of a schema: a
    complexType as its elements (name, type, nillable, minOccurs, maxOccurs) in
    order, a simpleType as its base and facets."""
    shapes = {}
    for node in schema.findall(q("complexType")):
        shapes[node.get("name")] = [
            (el.get("name"), el.get("type"), el.get("nillable", "false"), el.get("minOccurs", "1"),
             el.get("maxOccurs", "1"))
            for el in node.iter(q("element"))]
    for node in schema.findall(q("simpleType")):
        restriction = node.find(q("restriction"))
        shapes[node.get("name")] = (restriction.get("base"), sorted(
            (etree.QName(f).localname, f.get("value")) for f in restriction))
    return shapes


def elements_of(schema, type_name):
    node = schema.find("%s[@name='%s']" % (q("complexType"), type_name))
    return {el.get("name"): el for el in node.iter(q("element"))}


def test_xsd_is_a_valid_xml_schema_with_only_types():
    root = xsd_schema()
    etree.XMLSchema(etree.ElementTree(root))
    assert root.get("targetNamespace") == NS
    assert root.get("elementFormDefault") == "qualified"
    assert root.get("attributeFormDefault") == "unqualified"
    # Only types: the web service makes the operation elements itself.
    assert root.findall(q("element")) == [] and root.findall(q("import")) == []


def test_xsd_types_equal_wsdl_types():
    wsdl, xsd = wsdl_schema(), xsd_schema()
    assert xsd.get("targetNamespace") == wsdl.get("targetNamespace")
    assert xsd.get("elementFormDefault") == wsdl.get("elementFormDefault")
    wsdl_types, xsd_types = type_shapes(wsdl), type_shapes(xsd)
    assert sorted(xsd_types) == sorted(wsdl_types)
    for name in wsdl_types:
        assert xsd_types[name] == wsdl_types[name], name
    # Contract version 2 is what the kit describes.
    assert "Lines" in elements_of(xsd, "Payment") and "BalanceRUB" in elements_of(xsd, "Settlement")


# -- curl requests and sample answers ------------------------------------------

def soap_body_child(tree):
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    assert root.tag == q("Envelope", SOAP11), root.tag
    body = root.find(q("Body", SOAP11))
    children = list(body)
    assert len(children) == 1
    return children[0]


def validate(validator, element):
    doc = etree.ElementTree(copy.deepcopy(element))
    assert validator.validate(doc), validator.error_log


@pytest.mark.parametrize("operation", OPERATIONS)
def test_curl_request_is_contract_soap(operation):
    request = soap_body_child(etree.parse(os.path.join(CURL, "%s.xml" % operation)))
    assert request.tag == q(operation, NS)
    validate(contract_validator(), request)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_sample_answer_fits_the_contract(operation):
    answer = soap_body_child(etree.parse(os.path.join(CURL, "%s.response.xml" % operation)))
    assert answer.tag == q(operation + "Response", NS)
    assert [etree.QName(child).localname for child in answer] == ["return"]
    validate(contract_validator(), answer)


def sample(operation):
    return soap_body_child(etree.parse(os.path.join(CURL, "%s.response.xml" % operation)))[0]


def text(node, name):
    child = node.find(q(name, NS))
    return None if child is None else (child.text or "")


def doc_curl_commands():
    """{operation: shell command} of the doc's ```sh blocks that call curl."""
    commands = {}
    for block in re.findall(r"```sh\n(.*?)```", read(DOC), re.S):
        if "curl " not in block or "@onec/kit/curl/" not in block:
            continue
        operation = re.search(r"@onec/kit/curl/(\w+)\.xml", block).group(1)
        commands[operation] = block.strip()
    return commands


def test_doc_has_one_curl_command_per_operation_with_the_contract_soap_action():
    actions = {op.getparent().get("name"): op.get("soapAction")
               for op in etree.parse(WSDL).getroot().iter(q("operation", SOAP_BIND))}
    commands = doc_curl_commands()
    assert sorted(commands) == sorted(OPERATIONS)
    for operation, command in commands.items():
        assert "SOAPAction: \"%s\"" % actions[operation] in command, operation
        assert DOC_URL in command and "-u '%s'" % DOC_LOGIN in command
        assert "Content-Type: text/xml; charset=utf-8" in command


def standin_data():
    """The stand-in's documents, contracts and sales made from the sample
    answers: its answers to the doc's requests must then be those samples."""
    payments = []
    paid = {}
    for node in sample("GetPayments").find(q("Payments", NS)):
        payment = {name: text(node, name) for name in (
            "GUID", "DocumentType", "Number", "Date", "CounterpartyGUID", "CounterpartyName", "CounterpartyINN",
            "CounterpartyKPP", "Amount", "Currency", "PaymentPurpose")}
        payment["Posted"] = text(node, "Posted") == "true"
        payment["DeletionMark"] = text(node, "DeletionMark") == "true"
        payment["Lines"] = []
        for line in node.find(q("Lines", NS)):
            payment["Lines"].append({name: text(line, name) for name in (
                "LineKey", "ContractGUID", "ContractNumber", "ContractDate", "Amount")})
            paid[text(line, "ContractGUID")] = paid.get(text(line, "ContractGUID"), 0) + Decimal(text(line, "Amount"))
        payments.append(payment)
    contracts, sales = [], []
    for node in sample("GetSettlements"):
        contract = {name: text(node, name) for name in (
            "ContractGUID", "ContractNumber", "ContractDate", "CounterpartyGUID", "CounterpartyName",
            "CounterpartyINN", "CounterpartyKPP", "Currency")}
        contracts.append(contract)
        # Debit 62 (a sale) such that debit minus the credits above is the sample's balance.
        amount = Decimal(text(node, "Balance")) + paid.get(contract["ContractGUID"], 0)
        sales.append({"GUID": str(uuid.uuid5(uuid.NAMESPACE_URL, contract["ContractGUID"])),
                      "Date": "2026-10-20T00:00:00", "ContractGUID": contract["ContractGUID"],
                      "Amount": str(amount), "AmountRUB": str(amount), "Posted": True})
    return {"payments": payments, "contracts": contracts, "sales": sales}


@pytest.fixture(scope="module")
def loaded_stand_in(stand_in):
    answer = requests.post(stand_in + "/__control__", timeout=5,
                           data=json.dumps(dict(standin_data(), reset=True)))
    answer.raise_for_status()
    return stand_in


def run_doc_curl(stand_in, operation):
    command = doc_curl_commands()[operation]
    command = command.replace(DOC_URL, stand_in + "/buh/ws/Payments.1cws").replace(DOC_LOGIN, STANDIN_LOGIN)
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=30)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    answer = soap_body_child(etree.fromstring(result.stdout))
    assert answer.tag == q(operation + "Response", NS), result.stdout[:500]
    validate(contract_validator(), answer)
    return answer[0]


def lags(what):
    warnings.warn("the stand-in does not answer contract v2 yet (%s): only what it sends is compared" % what)


def same_value(expected, got):
    try:
        return Decimal(expected) == Decimal(got)
    except ArithmeticError:
        return expected == got


def compare_leaves(expected, got, where, allow_missing=()):
    """Every child of the sample is in the answer with the same value (the
    answer may carry more: optional elements of the contract)."""
    for child in expected:
        name = etree.QName(child).localname
        other = got.find(q(name, NS))
        if other is None:
            assert name in allow_missing, "%s: the stand-in does not send %s" % (where, name)
            lags("%s without %s" % (where, name))
            continue
        if len(child):
            continue  # lists are compared by the caller
        assert same_value(child.text or "", other.text or ""), "%s.%s: %r != %r" % (
            where, name, child.text, other.text)


def test_doc_curl_ping_answers(loaded_stand_in):
    answer = run_doc_curl(loaded_stand_in, "Ping")
    assert (answer.text or "").strip()


def test_doc_curl_get_payments_answers_the_sample(loaded_stand_in):
    answer = run_doc_curl(loaded_stand_in, "GetPayments")
    expected = sample("GetPayments")
    assert text(answer, "Cursor") == text(expected, "Cursor")
    assert text(answer, "HasMore") == text(expected, "HasMore")
    got = {text(p, "GUID"): p for p in answer.find(q("Payments", NS))}
    wanted = list(expected.find(q("Payments", NS)))
    assert list(got) == [text(p, "GUID") for p in wanted]
    schema = elements_of(wsdl_schema(), "Payment")
    for payment in wanted:
        guid = text(payment, "GUID")
        compare_leaves(payment, got[guid], guid, allow_missing=("Lines",))
        for extra in got[guid]:
            name = etree.QName(extra).localname
            assert name in schema, name
            if payment.find(q(name, NS)) is None:
                assert schema[name].get("minOccurs") == "0", "%s: %s is not in the sample" % (guid, name)
        lines = got[guid].find(q("Lines", NS))
        if lines is not None:
            answer_lines = {text(line, "LineKey"): line for line in lines}
            sample_lines = list(payment.find(q("Lines", NS)))
            assert sorted(answer_lines) == sorted(text(line, "LineKey") for line in sample_lines)
            for line in sample_lines:
                compare_leaves(line, answer_lines[text(line, "LineKey")], "%s/%s" % (guid, text(line, "LineKey")))


def test_doc_curl_get_settlements_answers_the_sample(loaded_stand_in):
    answer = run_doc_curl(loaded_stand_in, "GetSettlements")
    got = {text(s, "ContractGUID"): s for s in answer}
    for settlement in sample("GetSettlements"):
        guid = text(settlement, "ContractGUID")
        assert guid in got, guid
        if got[guid].find(q("BalanceRUB", NS)) is None:
            # Contract v1 settlements (contract amount less payments): the
            # balances mean something else; the identity is still compared.
            lags("settlements without BalanceRUB")
            for name in ("CounterpartyGUID", "CounterpartyINN", "ContractNumber", "ContractDate", "Currency"):
                assert same_value(text(settlement, name), text(got[guid], name)), name
        else:
            compare_leaves(settlement, got[guid], guid)


# -- the doc's copies of kit files ---------------------------------------------

def doc_file_blocks():
    """[(path, block text)] of the doc's fenced blocks introduced by
    ``<!-- file: onec/kit/... -->``."""
    return re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```", read(DOC), re.S)


def test_doc_blocks_are_the_kit_files():
    blocks = doc_file_blocks()
    named = {path for path, _block in blocks}
    for operation in OPERATIONS:
        assert "onec/kit/curl/%s.xml" % operation in named
        assert "onec/kit/curl/%s.response.xml" % operation in named
    assert "onec/kit/default.vrd" in named and "onec/kit/apache-1c.conf" in named
    for path, block in blocks:
        assert block == read(os.path.join(ROOT, path)), "the doc's copy of %s differs from the file" % path


def test_doc_names_every_kit_file():
    doc = read(DOC)
    for name in sorted(os.listdir(KIT)):
        if os.path.isfile(os.path.join(KIT, name)):
            assert "onec/kit/%s" % name in doc, name


# -- BSL lint ------------------------------------------------------------------

BLOCKS = {"процедура": "конецпроцедуры", "функция": "конецфункции", "если": "конецесли", "для": "конеццикла",
          "пока": "конеццикла", "попытка": "конецпопытки", "#область": "#конецобласти"}
CLOSERS = set(BLOCKS.values())
WORD = re.compile(r"#?[^\W\d]\w*")


class Module(object):
    """A BSL module split into code (string literals and comments blanked
    out, offsets kept) and its string literals."""

    def __init__(self, path):
        self.path = path
        self.text = read(path)
        self.literals = []  # (start offset, value)
        code = list(self.text)
        i, n = 0, len(self.text)
        while i < n:
            if self.text.startswith("//", i):
                end = self.text.find("\n", i)
                end = n if end < 0 else end
                code[i:end] = " " * (end - i)
                i = end
            elif self.text[i] == '"':
                start, j, value = i, i + 1, []
                while True:
                    assert j < n, "%s: a string literal is not closed (line %d)" % (path, self.line(start))
                    char = self.text[j]
                    if char == '"' and self.text.startswith('""', j):
                        value.append('"')
                        j += 2
                    elif char == '"':
                        break
                    elif char == "\n":
                        k = j + 1
                        while k < n and self.text[k] in " \t":
                            k += 1
                        assert k < n and self.text[k] == "|", \
                            "%s: line %d of a multi-line literal does not start with |" % (path, self.line(k))
                        value.append("\n")
                        j = k + 1
                    else:
                        value.append(char)
                        j += 1
                for pos in range(start + 1, j):
                    if code[pos] != "\n":
                        code[pos] = " "
                self.literals.append((start, "".join(value)))
                i = j + 1
            else:
                i += 1
        self.code = "".join(code)

    def line(self, offset):
        return self.text.count("\n", 0, offset) + 1

    def words(self):
        return [(m.start(), m.group(0).lower()) for m in WORD.finditer(self.code)]

    def routines(self):
        """[(name, parameters, start, end)] of its procedures and functions."""
        found = []
        for match in re.finditer(r"(?im)^\s*(Процедура|Функция)\s+(\w+)\s*\(([^)]*)\)", self.code):
            closer = "КонецПроцедуры" if match.group(1).lower() == "процедура" else "КонецФункции"
            end = re.compile(r"\b%s\b" % closer, re.I).search(self.code, match.end())
            params = [p.strip().split("=")[0].replace("Знач ", "").strip()
                      for p in match.group(3).split(",") if p.strip()]
            found.append((match.group(2), params, match.start(), end.end()))
        return found

    def queries(self):
        return [(start, value) for start, value in self.literals if "ВЫБРАТЬ" in value.upper()]


MODULES = [BSL_SERVICE, BSL_COMMON]


@pytest.mark.parametrize("path", MODULES, ids=os.path.basename)
def test_bsl_blocks_are_balanced(path):
    module = Module(path)
    stack = []
    counts = {}
    for offset, word in module.words():
        counts[word] = counts.get(word, 0) + 1
        if word in BLOCKS:
            if word in ("процедура", "функция"):
                assert not any(w in ("процедура", "функция") for w, _o in stack), \
                    "%s:%d: a routine inside a routine" % (path, module.line(offset))
            stack.append((word, offset))
        elif word in CLOSERS:
            assert stack, "%s:%d: %s closes nothing" % (path, module.line(offset), word)
            opener, at = stack.pop()
            assert BLOCKS[opener] == word, "%s:%d: %s (line %d) closed by %s" % (
                path, module.line(offset), opener, module.line(at), word)
        elif word in ("исключение", "иначеесли", "иначе"):
            assert stack and stack[-1][0] == ("попытка" if word == "исключение" else "если"), \
                "%s:%d: %s outside its block" % (path, module.line(offset), word)
    assert not stack, "%s: not closed: %s" % (path, [(w, module.line(o)) for w, o in stack])
    assert counts.get("цикл", 0) == counts.get("для", 0) + counts.get("пока", 0)
    assert counts.get("тогда", 0) == counts.get("если", 0) + counts.get("иначеесли", 0)
    assert counts.get("исключение", 0) == counts.get("попытка", 0)
    assert module.code.count("(") == module.code.count(")")


@pytest.mark.parametrize("path", MODULES, ids=os.path.basename)
def test_bsl_query_texts(path):
    module = Module(path)
    queries = module.queries()
    assert queries
    # Query words outside a string literal (the method .Выбрать() aside).
    assert not re.search(r"(?<![.\w])ВЫБРАТЬ\b", module.code, re.I), "query words outside a string literal"
    for start, query in queries:
        where = "%s:%d" % (os.path.basename(path), module.line(start))
        before = module.code[:start].rstrip()
        assert re.search(r"(Запрос\.Текст|ТекстЗапроса)\s*=$", before), "%s: a query text outside " \
            "Запрос.Текст = / ТекстЗапроса =" % where
        assert not re.search(r"ПЕРВЫЕ\s+&", query, re.I), "%s: ВЫБРАТЬ ПЕРВЫЕ takes a literal" % where
        for count in re.findall(r"ПЕРВЫЕ\s+(\S+)", query, re.I):
            assert count.isdigit(), "%s: ПЕРВЫЕ %s" % (where, count)
        assert query.count("(") == query.count(")"), where
        assert query.count('"') % 2 == 0, where
        words = [w.upper() for w in re.findall(r"\w+", query)]
        assert words.count("ВЫБОР") == words.count("КОНЕЦ"), where
        assert "ИЗ" in words, where


@pytest.mark.parametrize("path", MODULES, ids=os.path.basename)
def test_bsl_query_parameters_are_set_where_used(path):
    module = Module(path)
    for name, _params, start, end in module.routines():
        used = set()
        for offset, query in module.queries():
            if start <= offset < end:
                used |= set(re.findall(r"&(\w+)", query))
        set_here = set(re.findall(r'УстановитьПараметр\("(\w+)"', module.text[start:end]))
        assert used == set_here, "%s: used %s, set %s" % (name, sorted(used), sorted(set_here))


def test_bsl_web_service_functions_are_the_operations():
    schema = wsdl_schema()
    routines = {name: params for name, params, _s, _e in Module(BSL_SERVICE).routines()}
    for operation in OPERATIONS:
        request = schema.find("%s[@name='%s']" % (q("element"), operation))
        expected = [el.get("name") for el in request.iter(q("element")) if el is not request]
        assert routines.get(operation) == expected, operation


def test_bsl_fills_the_contract_xdto_types():
    """Each XDTO object the module creates gets only properties of its type,
    and every required one (lists are filled with .Добавить)."""
    module = Module(BSL_SERVICE)
    schema = xsd_schema()
    types = {}
    for var, type_name in re.findall(r'([\w.]+)\s*=\s*ФабрикаXDTO\.Создать\(ТипXDTO\("(\w+)"\)\)', module.text):
        types.setdefault(var, set()).add(type_name)
    assert {t for names in types.values() for t in names} >= {
        "PaymentPackage", "PaymentList", "Payment", "PaymentLineList", "PaymentLine", "SettlementList", "Settlement"}
    for var, names in types.items():
        assert len(names) == 1, var
        elements = elements_of(schema, names.pop())
        assigned = set(re.findall(r"(?m)^\s*%s\.([A-Za-z]\w*)\s*=" % re.escape(var), module.code))
        added = set(re.findall(r"%s\.([A-Za-z]\w*)\.Добавить\(" % re.escape(var), module.code))
        assert assigned | added <= set(elements), (var, sorted((assigned | added) - set(elements)))
        for name in added:
            assert elements[name].get("maxOccurs") == "unbounded", (var, name)
        required = {n for n, el in elements.items() if el.get("minOccurs", "1") != "0"}
        assert required <= assigned, (var, sorted(required - assigned))


def test_bsl_takes_the_accounting_specifics():
    service, common = read(BSL_SERVICE), read(BSL_COMMON)
    # The page is bounded by a literal and the cursor, the literal one above the maximum.
    first = int(re.search(r"ВЫБРАТЬ ПЕРВЫЕ (\d+)", service).group(1))
    maximum = int(re.search(r"Функция МаксимумДокументовВПакете\(\).*?Возврат (\d+);", service, re.S).group(1))
    assert first == maximum + 1
    for text_ in (service, common):
        assert "ЗНАЧЕНИЕ(Перечисление.ВидыОперацийПоступлениеДенежныхСредств.ОплатаПокупателя)" in text_
        assert "ЗНАЧЕНИЕ(Перечисление.ВидыОперацийПКО.ОплатаПокупателя)" in text_
    assert "КАК Справочник.Контрагенты)" in service
    assert "Счет В ИЕРАРХИИ (&Счет62)" in service and "РегистрБухгалтерии.Хозрасчетный.Остатки(" in service
    assert "ВидыСубконтоХозрасчетные.Контрагенты" in service and "ВидыСубконтоХозрасчетные.Договоры" in service
    assert "СуммаОстатокДт" in service and "СуммаОстатокКт" in service and "ВалютнаяСуммаОстаток" in service
    assert "РасшифровкаПлатежа" in service and "СуммаПлатежа" in service
    assert "Валюты.Наименование" in service
    assert 'Блокировка.Добавить("Константа.НомерИзмененияОплатCRM")' in common
    assert "РежимБлокировкиДанных.Исключительный" in common
    # Empty references go out as "", not as the zero GUID.
    assert re.search(r"Если Не ЗначениеЗаполнено\(Ссылка\) Тогда\s+Возврат \"\";", service)
    assert "00000000-0000" not in Module(BSL_SERVICE).code
