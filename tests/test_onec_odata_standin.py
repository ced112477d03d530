"""The 1C stand-in's standard OData interface (onec/odata.py) with plain
requests, as an OData client meets a 1C base published with "publish the
standard OData interface": entity sets, one object by key, the query options,
Cyrillic names URL-encoded, $metadata, the account 62 balance equal to SOAP's
GetSettlements on the same data, DataVersion, unpublished objects and the
fault modes. No Odoo needed: run with ``-p no:odoo``."""
import json
import uuid
from decimal import Decimal
from urllib.parse import quote

import pytest
import requests
from lxml import etree

USER, PASSWORD = "Обмен", "secret"
AUTH = (USER.encode("utf-8"), PASSWORD.encode("utf-8"))
EMPTY_REF = "00000000-0000-0000-0000-000000000000"
SOAP_NS = "http://tehnosnab.example/exchange/payments"
BANK, CASH = "Document_ПоступлениеНаРасчетныйСчет", "Document_ПриходныйКассовыйОрдер"


def g(n):
    return str(uuid.UUID(int=0x1C0000000000000000000000000000 + n))


ALPHA = {"CounterpartyGUID": g(901), "CounterpartyName": "ООО «Альфа»", "CounterpartyINN": "7701000011",
         "CounterpartyKPP": "770101001"}
BETA = {"CounterpartyGUID": g(902), "CounterpartyName": "ООО «Бета»", "CounterpartyINN": "7702000022",
        "CounterpartyKPP": ""}


def contract(n, number, party=ALPHA, currency="RUB", date="2026-10-01T00:00:00"):
    return dict(party, ContractGUID=g(n), ContractNumber=number, ContractDate=date, Currency=currency)


def receipt(n, lines, date="2026-11-02T00:00:00", party=ALPHA, **extra):
    doc = dict(party, GUID=g(n), DocumentType="ПоступлениеНаРасчетныйСчет", Number="ТС00-%06d" % n, Date=date,
               Currency="RUB", PaymentPurpose="Оплата по договорам",
               Lines=[{"LineKey": str(k), "ContractGUID": g(c), "Amount": amount}
                      for k, (c, amount) in enumerate(lines, 1)])
    doc.update(extra)
    return doc


def sale(n, c, amount, date="2026-10-15T00:00:00", **extra):
    return dict({"GUID": g(n), "DocumentType": "РеализацияТоваровУслуг", "Date": date, "ContractGUID": g(c),
                 "Amount": amount}, **extra)


DATA = {
    "contracts": [contract(1, "Д-1"), contract(2, "Д-2"), contract(3, "Д-3", party=BETA),
                  contract(4, "USD-1", currency="USD")],
    "sales": [sale(501, 1, "1000.00"), sale(502, 2, "300.00"), sale(503, 3, "200.00", date="2026-11-20T00:00:00"),
              sale(504, 4, "100.00", AmountRUB="9000.00")],
    "payments": [
        receipt(101, [(1, "400.00"), (2, "300.00")], date="2026-11-02T09:30:00"),
        receipt(102, [(1, "50.00")], date="2026-11-05T00:00:00", Posted=False),
        receipt(103, [(3, "250.00")], date="2026-11-06T00:00:00", party=BETA,
                PaymentPurpose="Оплата по счету № 5 от 01.11.2026 (аванс)"),
        dict(receipt(104, [], date="2026-11-03T00:00:00"), Lines=None, DocumentType="ПриходныйКассовыйОрдер",
             ContractGUID=g(2), ContractNumber="Д-2", ContractDate="2026-10-01T00:00:00", Amount="100.00",
             Number="КО00-000001"),
        receipt(105, [(4, "40.00")], date="2026-11-07T00:00:00", Currency="USD", Rate="95"),
        # Not a customer payment: the bank's interest, no contract.
        dict(receipt(106, [], date="2026-11-08T00:00:00", party=BETA), OperationKind="ПрочееПоступление",
             Lines=[{"LineKey": "1", "ContractGUID": "", "Amount": "12.34"}]),
    ],
}


@pytest.fixture
def control(stand_in):
    def post(**values):
        answer = requests.post(stand_in + "/__control__", data=json.dumps(values).encode("utf-8"), timeout=5)
        assert answer.status_code == 200, answer.text
        return answer.json()
    post(reset=True, **DATA)
    return post


@pytest.fixture
def odata(stand_in):
    base = stand_in + "/buh/odata/standard.odata/"

    def get(resource, raw=False, auth=AUTH, **params):
        params.setdefault("$format", "json")
        answer = requests.get(base + resource, params=params, auth=auth, timeout=10)
        if raw:
            return answer
        assert answer.status_code == 200, answer.text
        return answer.json(parse_float=Decimal)
    get.base = base
    return get


def accounts(odata):
    return {row["Code"]: row["Ref_Key"] for row in odata("ChartOfAccounts_Хозрасчетный")["value"]}


# -- entity sets -----------------------------------------------------------------------------------

def test_documents_are_shaped_like_1c(control, odata):
    answer = odata(BANK)
    assert answer["odata.metadata"] == odata.base + "$metadata#" + BANK
    docs = {doc["Ref_Key"]: doc for doc in answer["value"]}
    assert set(docs) == {g(101), g(102), g(103), g(105), g(106)}
    doc = docs[g(101)]
    assert doc["Number"] == "ТС00-000101" and doc["Date"] == "2026-11-02T09:30:00"
    assert doc["Posted"] is True and doc["DeletionMark"] is False
    assert doc["ВидОперации"] == "ОплатаПокупателя"
    assert doc["Контрагент"] == g(901) and doc["Контрагент_Type"] == "StandardODATA.Catalog_Контрагенты"
    assert doc["ДоговорКонтрагента_Key"] == EMPTY_REF  # two contracts: the header leaves it empty
    assert doc["СуммаДокумента"] == 700 and doc["НазначениеПлатежа"] == "Оплата по договорам"
    assert isinstance(doc["DataVersion"], str) and doc["DataVersion"]
    lines = doc["РасшифровкаПлатежа"]
    assert [(ln["LineNumber"], ln["ДоговорКонтрагента_Key"], ln["СуммаПлатежа"]) for ln in lines] == [
        ("1", g(1), 400), ("2", g(2), 300)]
    assert all(ln["Ref_Key"] == g(101) for ln in lines)
    assert docs[g(102)]["Posted"] is False
    assert docs[g(103)]["ДоговорКонтрагента_Key"] == g(3)
    assert docs[g(106)]["ВидОперации"] == "ПрочееПоступление"
    assert docs[g(106)]["РасшифровкаПлатежа"][0]["ДоговорКонтрагента_Key"] == EMPTY_REF
    currencies = {row["Ref_Key"]: row for row in odata("Catalog_Валюты")["value"]}
    usd = currencies[docs[g(105)]["ВалютаДокумента_Key"]]
    assert (usd["Code"], usd["Description"]) == ("840", "USD")
    assert currencies[doc["ВалютаДокумента_Key"]]["Code"] == "643"
    # The cash receipt stored in the old shape has the one line 1C always has; Основание holds the text.
    cash = odata(CASH)["value"]
    assert [d["Ref_Key"] for d in cash] == [g(104)]
    assert cash[0]["ДоговорКонтрагента_Key"] == g(2) and "Основание" in cash[0]
    assert [(ln["LineNumber"], ln["ДоговорКонтрагента_Key"], ln["СуммаПлатежа"])
            for ln in cash[0]["РасшифровкаПлатежа"]] == [("1", g(2), 100)]


def test_catalogs(control, odata):
    parties = {p["Ref_Key"]: p for p in odata("Catalog_Контрагенты")["value"]}
    assert parties[g(901)]["ИНН"] == "7701000011" and parties[g(901)]["КПП"] == "770101001"
    assert parties[g(901)]["Description"] == "ООО «Альфа»" and parties[g(901)]["IsFolder"] is False
    contracts = {c["Ref_Key"]: c for c in odata("Catalog_ДоговорыКонтрагентов")["value"]}
    assert set(contracts) == {g(1), g(2), g(3), g(4)}
    c3 = contracts[g(3)]
    assert (c3["Owner_Key"], c3["Номер"], c3["Дата"], c3["ВидДоговора"]) == (
        g(902), "Д-3", "2026-10-01T00:00:00", "СПокупателем")
    codes = accounts(odata)
    assert {"62", "62.01", "62.02"} <= set(codes)
    chart = {a["Code"]: a for a in odata("ChartOfAccounts_Хозрасчетный")["value"]}
    assert chart["62.01"]["Parent_Key"] == codes["62"]


def test_a_line_names_a_contract_the_catalog_lacks(control, odata):
    control(upsert=[dict(receipt(107, [], date="2026-11-09T00:00:00"),
                         Lines=[{"LineKey": "1", "ContractNumber": "Б/Н-7", "ContractDate": "2026-01-15T00:00:00",
                                 "Amount": "10.00"}])])
    line = odata(BANK + "(guid'%s')" % g(107))["РасшифровкаПлатежа"][0]
    item = odata("Catalog_ДоговорыКонтрагентов(guid'%s')" % line["ДоговорКонтрагента_Key"])
    assert (item["Номер"], item["Дата"], item["Owner_Key"]) == ("Б/Н-7", "2026-01-15T00:00:00", g(901))


def test_one_object_by_key(control, odata):
    doc = odata(BANK + "(guid'%s')" % g(103))
    assert doc["Ref_Key"] == g(103) and doc["odata.metadata"].startswith(odata.base + "$metadata#" + BANK)
    assert "value" not in doc
    missing = odata(BANK + "(guid'%s')" % g(999), raw=True)
    assert missing.status_code == 404 and "odata.error" in missing.json()
    unknown = odata("Document_НетТакого", raw=True)
    assert unknown.status_code == 404
    assert unknown.json()["odata.error"]["message"]["lang"] == "ru"


def test_cyrillic_names_percent_encoded_by_hand(stand_in, control):
    url = (stand_in + "/buh/odata/standard.odata/" + quote(BANK) + "?$format=json&$filter="
           + quote("НазначениеПлатежа eq 'Оплата по счету № 5 от 01.11.2026 (аванс)'") + "&$select="
           + quote("Ref_Key,НазначениеПлатежа"))
    answer = requests.get(url, auth=AUTH, timeout=5)
    assert answer.status_code == 200, answer.text
    assert answer.json()["value"] == [
        {"Ref_Key": g(103), "НазначениеПлатежа": "Оплата по счету № 5 от 01.11.2026 (аванс)"}]
    # A Cyrillic login goes out as UTF-8; a wrong one is refused (plain 401).
    assert requests.get(url, auth=("Обмен".encode("utf-8"), b"x"), timeout=5).status_code == 401
    assert requests.get(url, timeout=5).status_code == 401


# -- query options ---------------------------------------------------------------------------------

def test_select(control, odata):
    rows = odata(BANK, **{"$select": "Ref_Key,DataVersion,Date"})["value"]
    assert all(set(row) == {"Ref_Key", "DataVersion", "Date"} for row in rows)
    rows = odata(BANK, **{"$select": "Ref_Key,Контрагент,РасшифровкаПлатежа"})["value"]
    row = [r for r in rows if r["Ref_Key"] == g(101)][0]
    assert set(row) == {"Ref_Key", "Контрагент", "Контрагент_Type", "РасшифровкаПлатежа"}
    assert len(row["РасшифровкаПлатежа"]) == 2
    rows = odata(BANK, **{"$select": "Ref_Key,РасшифровкаПлатежа/СуммаПлатежа"})["value"]
    line = [r for r in rows if r["Ref_Key"] == g(101)][0]["РасшифровкаПлатежа"][0]
    assert set(line) == {"Ref_Key", "LineNumber", "СуммаПлатежа"}
    assert odata(BANK, raw=True, **{"$select": "Ref_Key,НетТакогоПоля"}).status_code == 400


def test_filter(control, odata):
    def refs(expression, resource=BANK):
        return sorted(r["Ref_Key"] for r in odata(resource, **{"$filter": expression, "$select": "Ref_Key"})["value"])
    assert refs("Date ge datetime'2026-11-05T00:00:00'") == [g(102), g(103), g(105), g(106)]
    assert refs("Date gt datetime'2026-11-05T00:00:00' and Date lt datetime'2026-11-08T00:00:00'") == [g(103), g(105)]
    assert refs("Ref_Key eq guid'%s' or Ref_Key eq guid'%s'" % (g(101), g(103))) == [g(101), g(103)]
    assert refs("(Ref_Key eq guid'%s' or Ref_Key eq guid'%s') and Posted eq true" % (g(101), g(102))) == [g(101)]
    assert refs("ВидОперации eq 'ОплатаПокупателя' and DeletionMark eq false and Posted ne false") == [
        g(101), g(103), g(105)]
    assert refs("not (ВидОперации eq 'ОплатаПокупателя')") == [g(106)]
    assert refs("СуммаДокумента gt 250 and СуммаДокумента le 700") == [g(101)]
    assert refs("Контрагент eq guid'%s'" % g(902)) == [g(103), g(106)]
    assert refs("ИНН eq '7702000022'", "Catalog_Контрагенты") == [g(902)]
    assert refs("Owner_Key eq guid'%s'" % g(901), "Catalog_ДоговорыКонтрагентов") == [g(1), g(2), g(4)]
    assert refs("Контрагент/ИНН eq '7702000022'") == [g(103), g(106)]
    for bad in ("Date ge", "Date ge datetime'2026-13-45T00:00:00'", "НетПоля eq 1", "(Posted eq true",
                "Ref_Key eq guid'xyz'"):
        assert odata(BANK, raw=True, **{"$filter": bad}).status_code == 400, bad


def test_orderby_top_skip_inlinecount(control, odata):
    pages, skip = [], 0
    while True:
        page = odata(BANK, **{"$select": "Ref_Key,Date", "$orderby": "Date,Ref_Key", "$top": "2",
                              "$skip": str(skip)})["value"]
        if not page:
            break
        pages.append(page)
        skip += 2
    assert [len(p) for p in pages] == [2, 2, 1]
    dates = [row["Date"] for page in pages for row in page]
    assert dates == sorted(dates)
    desc = odata(BANK, **{"$select": "Ref_Key,Date", "$orderby": "Date desc"})["value"]
    assert [r["Date"] for r in desc] == sorted(dates, reverse=True)
    counted = odata(BANK, **{"$top": "1", "$inlinecount": "allpages", "$filter": "Posted eq true"})
    assert counted["odata.count"] == "4" and len(counted["value"]) == 1
    assert odata(BANK, raw=True, **{"$top": "-1"}).status_code == 400
    assert odata(BANK, raw=True, **{"$orderby": "НетПоля"}).status_code == 400


def test_expand(control, odata):
    doc = odata(BANK + "(guid'%s')" % g(103), **{"$expand": "Контрагент,ДоговорКонтрагента"})
    assert doc["Контрагент"]["ИНН"] == "7702000022" and doc["Контрагент_Type"].endswith("Catalog_Контрагенты")
    assert doc["ДоговорКонтрагента"]["Номер"] == "Д-3"
    rows = odata(BANK, **{"$expand": "Контрагент", "$select": "Ref_Key,Контрагент/ИНН,Контрагент/КПП",
                          "$filter": "Ref_Key eq guid'%s'" % g(101)})["value"]
    assert rows == [{"Ref_Key": g(101), "Контрагент": {"ИНН": "7701000011", "КПП": "770101001"}}]
    lines = odata(BANK + "(guid'%s')" % g(101), **{"$expand": "РасшифровкаПлатежа/ДоговорКонтрагента"})
    assert [ln["ДоговорКонтрагента"]["Номер"] for ln in lines["РасшифровкаПлатежа"]] == ["Д-1", "Д-2"]
    contracts = odata("Catalog_ДоговорыКонтрагентов", **{"$expand": "Owner", "$filter": "Номер eq 'Д-3'"})["value"]
    assert contracts[0]["Owner"]["Description"] == "ООО «Бета»"
    assert odata(BANK, raw=True, **{"$expand": "НетТакого"}).status_code == 400


def test_without_format_json_1c_answers_atom(control, odata):
    answer = requests.get(odata.base + BANK, auth=AUTH, timeout=5)
    assert answer.status_code == 200 and "atom" in answer.headers["Content-Type"]


# -- $metadata -------------------------------------------------------------------------------------

def test_metadata_parses(control, odata):
    answer = odata("$metadata", raw=True)
    assert answer.status_code == 200
    root = etree.fromstring(answer.content)
    edm = "{http://schemas.microsoft.com/ado/2009/11/edm}"
    schema = root.find(".//%sSchema" % edm)
    assert schema.get("Namespace") == "StandardODATA"
    types = {t.get("Name"): t for t in schema.findall(edm + "EntityType")}
    assert {BANK, CASH, "Catalog_Контрагенты", "Catalog_ДоговорыКонтрагентов", "Catalog_Валюты",
            "ChartOfAccounts_Хозрасчетный", "AccountingRegister_Хозрасчетный_Balance"} <= set(types)
    props = {p.get("Name"): p.get("Type") for p in types[BANK].findall(edm + "Property")}
    assert props["Ref_Key"] == "Edm.Guid" and props["Date"] == "Edm.DateTime"
    assert props["РасшифровкаПлатежа"].startswith("Collection(StandardODATA.")
    complex_types = {t.get("Name") for t in schema.findall(edm + "ComplexType")}
    assert BANK + "_РасшифровкаПлатежа_RowType" in complex_types
    sets = {s.get("Name") for s in schema.iter(edm + "EntitySet")}
    assert BANK in sets and "Catalog_Контрагенты" in sets
    # An object left out of the published set leaves $metadata too.
    control(unpublished=[CASH])
    root = etree.fromstring(odata("$metadata", raw=True).content)
    assert CASH not in {s.get("Name") for s in root.iter(edm + "EntitySet")}
    service = odata("")
    assert BANK in [item["name"] for item in service["value"]] and CASH not in [
        item["name"] for item in service["value"]]


def test_unpublished_objects_answer_403(control, odata):
    control(unpublished=[CASH, "AccountingRegister_Хозрасчетный"])
    answer = odata(CASH, raw=True)
    assert answer.status_code == 403
    error = answer.json()["odata.error"]
    assert CASH in error["message"]["value"] and "стандартного интерфейса OData" in error["message"]["value"]
    assert odata("AccountingRegister_Хозрасчетный/Balance()", raw=True).status_code == 403
    assert odata(BANK, raw=True).status_code == 200
    control(unpublished=[])
    assert odata(CASH, raw=True).status_code == 200


# -- DataVersion ------------------------------------------------------------------------------------

def test_dataversion_changes_on_every_write(control, odata):
    def versions(resource):
        return {r["Ref_Key"]: r["DataVersion"] for r in odata(resource, **{"$select": "Ref_Key,DataVersion"})["value"]}
    before, contracts = versions(BANK), versions("Catalog_ДоговорыКонтрагентов")
    assert versions(BANK) == before  # reading does not change anything
    control(upsert=[{"GUID": g(101), "Posted": False}])
    after = versions(BANK)
    assert after[g(101)] != before[g(101)]
    assert {k: v for k, v in after.items() if k != g(101)} == {k: v for k, v in before.items() if k != g(101)}
    doc = odata(BANK + "(guid'%s')" % g(101))
    assert doc["Posted"] is False and doc["DataVersion"] == after[g(101)]
    control(upsert=[{"GUID": g(101), "Posted": True}])
    assert versions(BANK)[g(101)] not in (before[g(101)], after[g(101)])
    # A catalog item changes its version when its values change.
    control(upsert={"contracts": [dict(contract(2, "Д-2/1"))]})
    changed = versions("Catalog_ДоговорыКонтрагентов")
    assert changed[g(2)] != contracts[g(2)] and changed[g(1)] == contracts[g(1)]


# -- Balance = SOAP GetSettlements ----------------------------------------------------------------------

def soap_settlements(stand_in, date=""):
    body = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="%s"><soap:Body>'
            '<m:GetSettlements><m:Date>%s</m:Date><m:CounterpartyINN></m:CounterpartyINN></m:GetSettlements>'
            '</soap:Body></soap:Envelope>' % (SOAP_NS, date or "0001-01-01T00:00:00"))
    answer = requests.post(stand_in + "/buh/ws/Payments.1cws", data=body.encode("utf-8"), auth=AUTH, timeout=5,
                           headers={"Content-Type": "text/xml; charset=utf-8"})
    assert answer.status_code == 200, answer.text
    rows = {}
    for item in etree.fromstring(answer.content).iter("{%s}Settlement" % SOAP_NS):
        value = {child.tag.split("}")[1]: child.text or "" for child in item}
        balance, rub = Decimal(value["Balance"]), Decimal(value.get("BalanceRUB") or value["Balance"])
        if balance or rub:
            rows[value["ContractGUID"]] = (balance, rub)
    return rows


def odata_balance_bp30(odata, period=None):
    codes = accounts(odata)
    params = ["AccountCondition='Account_Key eq guid'%s' or Account_Key eq guid'%s''" % (
        codes["62.01"], codes["62.02"])]
    if period:
        params.insert(0, "Period=datetime'%s'" % period)
    rows = odata("AccountingRegister_Хозрасчетный/Balance(%s)" % ",".join(params))["value"]
    totals = {}
    for row in rows:
        assert row["Account_Key"] in (codes["62.01"], codes["62.02"])
        assert row["ExtDimension1_Type"] == "StandardODATA.Catalog_Контрагенты"
        assert row["ExtDimension2_Type"] == "StandardODATA.Catalog_ДоговорыКонтрагентов"
        assert row["СуммаBalance"] == row["СуммаBalanceDr"] - row["СуммаBalanceCr"]
        currency_amount = row["ВалютнаяСуммаBalance"] if row["Валюта_Key"] != EMPTY_REF else row["СуммаBalance"]
        old = totals.get(row["ExtDimension2"], (0, 0))
        totals[row["ExtDimension2"]] = (old[0] + currency_amount, old[1] + row["СуммаBalance"])
    return totals


def test_balance_equals_soap_bp30(stand_in, control, odata):
    soap = soap_settlements(stand_in)
    # Д-1: 1000 - 400; Д-2: 300 - 300 - 100 = advance 100; Д-3: 200 - 250; USD-1: 100 - 40 dollars.
    assert soap == {g(1): (Decimal("600.00"), Decimal("600.00")), g(2): (Decimal("-100.00"), Decimal("-100.00")),
                    g(3): (Decimal("-50.00"), Decimal("-50.00")), g(4): (Decimal("60.00"), Decimal("5200.00"))}
    assert odata_balance_bp30(odata) == soap
    codes = accounts(odata)
    rows = odata("AccountingRegister_Хозрасчетный/Balance()")["value"]
    by_contract = {row["ExtDimension2"]: row for row in rows}
    assert by_contract[g(1)]["Account_Key"] == codes["62.01"] and by_contract[g(1)]["СуммаBalanceDr"] == 600
    assert by_contract[g(2)]["Account_Key"] == codes["62.02"] and by_contract[g(2)]["СуммаBalanceCr"] == 100
    assert by_contract[g(4)]["ВалютнаяСуммаBalance"] == 60 and by_contract[g(1)]["ВалютнаяСуммаBalance"] == 0
    assert by_contract[g(1)]["ExtDimension1"] == g(901)
    # Period is exclusive, as 1C's Остатки(&Дата): the next midnight counts the whole of 2026-11-05.
    assert odata_balance_bp30(odata, "2026-11-06T00:00:00") == soap_settlements(stand_in, "2026-11-05T00:00:00")
    at = odata_balance_bp30(odata, "2026-11-02T09:30:00")  # the receipt of 09:30 is not counted yet
    assert at[g(1)] == (1000, 1000) and at[g(2)] == (300, 300)
    # Condition on the dimensions; the register's rows filtered further by $filter.
    beta = odata("AccountingRegister_Хозрасчетный/Balance(Condition='ExtDimension1 eq guid'%s'')" % g(902))["value"]
    assert [r["ExtDimension2"] for r in beta] == [g(3)]
    assert odata("AccountingRegister_Хозрасчетный/Balance()", raw=True,
                 **{"$filter": "СуммаBalance lt 0"}).json()["value"][0]["СуммаBalance"] < 0
    assert odata("AccountingRegister_Хозрасчетный/Balance(Period=datetime'xx')", raw=True).status_code == 400
    assert odata("AccountingRegister_Хозрасчетный/Остатки()", raw=True).status_code == 400


def test_balance_equals_soap_ut11(stand_in, control, odata):
    for configuration in ("ut11", "ka2"):
        control(configuration=configuration)
        rows = odata("AccumulationRegister_РасчетыСКлиентами/Balance()")["value"]
        totals = {}
        for row in rows:
            old = totals.get(row["Договор_Key"], (0, 0))
            totals[row["Договор_Key"]] = (old[0] + row["СуммаBalance"], old[1] + row["СуммаРеглBalance"])
        assert totals == soap_settlements(stand_in)
        period = odata("AccumulationRegister_РасчетыСКлиентами/Balance(Period=datetime'2026-11-06T00:00:00')")
        assert {r["Договор_Key"] for r in period["value"]} == set(soap_settlements(stand_in, "2026-11-05T00:00:00"))
        assert odata("AccountingRegister_Хозрасчетный/Balance()", raw=True).status_code == 404


def test_ut11_names(control, odata):
    control(configuration="ut11")
    bank = "Document_ПоступлениеБезналичныхДенежныхСредств"
    docs = {d["Ref_Key"]: d for d in odata(bank)["value"]}
    doc = docs[g(101)]
    assert doc["ХозяйственнаяОперация"] == "ПоступлениеОплатыОтКлиента"
    assert doc["Контрагент_Key"] == g(901) and "Валюта_Key" in doc and doc["СуммаДокумента"] == 700
    assert [(ln["ДоговорКонтрагента_Key"], ln["Сумма"]) for ln in doc["РасшифровкаПлатежа"]] == [
        (g(1), 400), (g(2), 300)]
    assert docs[g(106)]["ХозяйственнаяОперация"] != "ПоступлениеОплатыОтКлиента"
    contract_item = odata("Catalog_ДоговорыКонтрагентов(guid'%s')" % g(3))
    assert contract_item["Контрагент_Key"] == g(902) and contract_item["Номер"] == "Д-3"
    assert odata(BANK, raw=True).status_code == 404
    assert odata(CASH)["value"][0]["ХозяйственнаяОперация"] == "ПоступлениеОплатыОтКлиента"
    control(reset=True)
    assert odata(BANK)["value"]


def test_a_non_customer_receipt_is_served_by_odata_only(stand_in, control, odata):
    assert odata(BANK + "(guid'%s')" % g(106))["ВидОперации"] == "ПрочееПоступление"
    body = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="%s"><soap:Body>'
            '<m:GetPayments><m:Cursor>0</m:Cursor><m:DateFrom>0001-01-01T00:00:00</m:DateFrom>'
            '<m:DateTo>0001-01-01T00:00:00</m:DateTo><m:Limit>100</m:Limit></m:GetPayments></soap:Body>'
            '</soap:Envelope>' % SOAP_NS)

    def soap_guids():
        answer = requests.post(stand_in + "/buh/ws/Payments.1cws", data=body.encode(), auth=AUTH, timeout=5,
                               headers={"Content-Type": "text/xml; charset=utf-8"})
        return {p.findtext("{%s}GUID" % SOAP_NS): p.findtext("{%s}Posted" % SOAP_NS)
                for p in etree.fromstring(answer.content).iter("{%s}Payment" % SOAP_NS)}
    assert g(106) not in soap_guids() and g(101) in soap_guids()
    # A customer payment whose kind the accountant changes leaves the set: SOAP answers it unposted.
    control(upsert=[{"GUID": g(103), "OperationKind": "ПрочееПоступление"}])
    assert soap_guids()[g(103)] == "false"
    assert odata(BANK + "(guid'%s')" % g(103))["ВидОперации"] == "ПрочееПоступление"
    assert soap_settlements(stand_in)[g(3)] == (200, 200)  # it no longer credits account 62
    assert odata_balance_bp30(odata)[g(3)] == (200, 200)


# -- faults -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode,status,kind,text", [
    ("lock", 500, "json", "Конфликт блокировок"),
    ("fault", 500, "json", "Конфликт блокировок"),
    ("rights", 403, "json", "Нарушение прав доступа!"),
    ("busy", 503, "html", "Превышено максимальное количество соединений"),
    ("nolicense", 503, "html", "Не обнаружена свободная лицензия"),
    ("http500", 500, "html", "Ошибка сервера"),
    ("http502", 502, "html", "Bad Gateway"),
    ("badauth", 401, "plain", "Unauthorized"),
    ("malformed", 200, "garbage", ""),
    ("truncated", 200, "garbage", ""),
])
def test_fault_modes(control, odata, mode, status, kind, text):
    control(mode=mode, times=1)
    answer = odata(BANK, raw=True)
    assert answer.status_code == status
    body = answer.content.decode("utf-8", "replace")
    assert text in body
    if kind == "json":
        error = answer.json()["odata.error"]
        assert error["message"]["lang"] == "ru" and text in error["message"]["value"] and error["code"]
    elif kind == "html":
        assert "html" in answer.headers["Content-Type"]
    elif kind == "garbage":
        with pytest.raises(json.JSONDecodeError) as raised:
            json.loads(body)
    # times=1: the next request goes through (badauth, as in SOAP, holds until the mode changes).
    if mode == "badauth":
        control(mode="normal")
    whole = odata(BANK, raw=True)
    assert whole.status_code == 200
    if mode == "truncated":
        # Exactly the first half of the answer that follows, which parses:
        # cut, not garbled.
        assert answer.content == whole.content[:len(whole.content) // 2]
        assert whole.json()["value"]
    elif mode == "malformed":
        assert raised.value.pos == 0 and body.startswith("Ошибка: сеанс 1С завершён")


def test_slow_duplicate_and_after(control, odata):
    control(mode="slow", delay=0.5)
    with pytest.raises(requests.Timeout):
        requests.get(odata.base + BANK, params={"$format": "json"}, auth=AUTH, timeout=0.2)
    control(mode="duplicate")
    assert len(odata(BANK)["value"]) == 10
    control(mode="lock", after=1)
    assert odata(BANK, raw=True).status_code == 200
    assert odata(BANK, raw=True).status_code == 500
    control(reset=True)
    assert odata(BANK, raw=True).status_code == 200


def test_control_refuses_an_unknown_configuration(stand_in, control):
    answer = requests.post(stand_in + "/__control__", data=json.dumps({"configuration": "ut10"}), timeout=5)
    assert answer.status_code == 400
    state = control(configuration="ka2", unpublished=[CASH])
    assert state["configuration"] == "ka2" and state["unpublished"] == [CASH]
