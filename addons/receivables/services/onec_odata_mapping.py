# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Names of 1C's standard OData interface per configuration: the one place
that knows which document, catalog, register and field the OData adapter
(onec_odata.py) reads in Бухгалтерия предприятия 3.0 ("bp30"), Управление
торговлей 11 ("ut11") and Комплексная автоматизация 2 ("ka2").

The БП 3.0 names are the ones integrators use every day. The УТ 11 / КА 2
names (ПоступлениеБезналичныхДенежныхСредств, ХозяйственнаяОперация, the
lines' ``ОбъектРасчетов_Key`` / ``ДоговорКонтрагента_Key``, the register
РасчетыСКлиентами with ``АналитикаУчетаПоПартнерам``) differ between
releases: CHECK THEM ON A LIVE BASE (``…/standard.odata/$metadata``) before
promising that configuration to a customer; the stand-in serves a
simplified register (Контрагент_Key, Договор_Key, Валюта_Key, СуммаBalance,
СуммаРеглBalance).

Each receipt entry:

``entity``           the entity set (``Document_…``);
``doc_type``         the doc dict's ``doc_type`` (the name without prefix);
``operation``        the field holding the operation kind, and
``customer``         its values that mean "payment from a customer";
``partner``          the counterparty field; ``partner_type`` its ``_Type``
                     companion for a composite attribute (None: a plain
                     ``…_Key`` reference);
``currency``         the document currency reference;
``amount``           the document total; ``purpose`` the payment purpose
                     (None: the document has none);
``contract``         the header contract (None: none in the header);
``lines``            the tabular section; ``line_contract`` the contract
                     fields of a line, first present wins; ``line_amount``
                     the line sum fields, first present wins.
"""

ZERO_GUID = "00000000-0000-0000-0000-000000000000"
PARTNER_TYPE = "StandardODATA.Catalog_Контрагенты"

CATALOGS_BP = {
    "partner": {"entity": "Catalog_Контрагенты",
                "fields": ("Ref_Key", "DataVersion", "Description", "НаименованиеПолное", "ИНН", "КПП")},
    "contract": {"entity": "Catalog_ДоговорыКонтрагентов",
                 "fields": ("Ref_Key", "DataVersion", "Owner_Key", "Description", "Номер", "Дата",
                            "ВалютаВзаиморасчетов_Key"),
                 "owner": "Owner_Key"},
    "currency": {"entity": "Catalog_Валюты", "fields": ("Ref_Key", "DataVersion", "Code", "Description")},
}
CATALOGS_UT = {
    "partner": CATALOGS_BP["partner"],
    "contract": {"entity": "Catalog_ДоговорыКонтрагентов",
                 "fields": ("Ref_Key", "DataVersion", "Контрагент_Key", "Description", "Номер", "Дата",
                            "ВалютаВзаиморасчетов_Key"),
                 "owner": "Контрагент_Key"},
    "currency": CATALOGS_BP["currency"],
}

BP30 = {
    "title": "1С:Бухгалтерия предприятия 3.0",
    "receipts": (
        {"entity": "Document_ПоступлениеНаРасчетныйСчет", "doc_type": "ПоступлениеНаРасчетныйСчет",
         "operation": "ВидОперации", "customer": ("ОплатаПокупателя",),
         "partner": "Контрагент", "partner_type": "Контрагент_Type", "currency": "ВалютаДокумента_Key",
         "amount": "СуммаДокумента", "purpose": "НазначениеПлатежа", "contract": "ДоговорКонтрагента_Key",
         "lines": "РасшифровкаПлатежа", "line_contract": ("ДоговорКонтрагента_Key",),
         "line_amount": ("СуммаПлатежа",)},
        {"entity": "Document_ПриходныйКассовыйОрдер", "doc_type": "ПриходныйКассовыйОрдер",
         "operation": "ВидОперации", "customer": ("ОплатаПокупателя",),
         "partner": "Контрагент", "partner_type": "Контрагент_Type", "currency": "ВалютаДокумента_Key",
         "amount": "СуммаДокумента", "purpose": "Основание", "contract": "ДоговорКонтрагента_Key",
         "lines": "РасшифровкаПлатежа", "line_contract": ("ДоговорКонтрагента_Key",),
         "line_amount": ("СуммаПлатежа",)},
    ),
    "catalogs": CATALOGS_BP,
    "settlements": {
        "kind": "accounting", "entity": "AccountingRegister_Хозрасчетный",
        "accounts": "ChartOfAccounts_Хозрасчетный", "account_prefix": "62",
        "partner": "ExtDimension1", "contract": "ExtDimension2", "currency": "Валюта_Key",
        "balance_rub": "СуммаBalance", "balance_currency": "ВалютнаяСуммаBalance",
    },
}

UT11 = {
    "title": "1С:Управление торговлей 11",
    "receipts": (
        # Names to be checked on a live УТ 11 / КА 2 base (see the module docstring).
        {"entity": "Document_ПоступлениеБезналичныхДенежныхСредств",
         "doc_type": "ПоступлениеБезналичныхДенежныхСредств",
         "operation": "ХозяйственнаяОперация", "customer": ("ПоступлениеОплатыОтКлиента",),
         "partner": "Контрагент_Key", "partner_type": None, "currency": "Валюта_Key",
         "amount": "СуммаДокумента", "purpose": "НазначениеПлатежа", "contract": None,
         "lines": "РасшифровкаПлатежа", "line_contract": ("ДоговорКонтрагента_Key", "ОбъектРасчетов_Key"),
         "line_amount": ("Сумма", "СуммаПлатежа")},
        {"entity": "Document_ПриходныйКассовыйОрдер", "doc_type": "ПриходныйКассовыйОрдер",
         "operation": "ХозяйственнаяОперация", "customer": ("ПоступлениеОплатыОтКлиента",),
         "partner": "Контрагент_Key", "partner_type": None, "currency": "Валюта_Key",
         "amount": "СуммаДокумента", "purpose": "Основание", "contract": None,
         "lines": "РасшифровкаПлатежа", "line_contract": ("ДоговорКонтрагента_Key", "ОбъектРасчетов_Key"),
         "line_amount": ("Сумма", "СуммаПлатежа")},
    ),
    "catalogs": CATALOGS_UT,
    "settlements": {
        # Simplified for the stand-in; a live base keys it by АналитикаУчетаПоПартнерам_Key.
        "kind": "accumulation", "entity": "AccumulationRegister_РасчетыСКлиентами",
        "partner": "Контрагент_Key", "contract": "Договор_Key", "currency": "Валюта_Key",
        "balance_currency": "СуммаBalance", "balance_rub": "СуммаРеглBalance",
    },
}

KA2 = dict(UT11, title="1С:Комплексная автоматизация 2")

CONFIGURATIONS = {"bp30": BP30, "ut11": UT11, "ka2": KA2}


def configuration(name):
    """The mapping of a configuration code; None when unknown."""
    return CONFIGURATIONS.get((name or "bp30").strip().lower())


def header_fields(receipt):
    """The fields a receipt is read with ($select), the tabular section
    included."""
    names = ["Ref_Key", "DataVersion", "DeletionMark", "Number", "Date", "Posted", receipt["operation"],
             receipt["partner"]]
    for key in ("partner_type", "currency", "amount", "purpose", "contract", "lines"):
        if receipt.get(key):
            names.append(receipt[key])
    return names


def listing_fields(receipt):
    """The fields of the light listing (what decides whether to fetch)."""
    return ["Ref_Key", "DataVersion", "Date", receipt["operation"]]


def needed_objects(mapping):
    """The entity sets a configuration's exchange reads, in the order a
    missing one is reported."""
    names = [receipt["entity"] for receipt in mapping["receipts"]]
    names += [mapping["catalogs"][kind]["entity"] for kind in ("partner", "contract", "currency")]
    settlements = mapping["settlements"]
    if settlements.get("accounts"):
        names.append(settlements["accounts"])
    names.append(settlements["entity"])
    return names
