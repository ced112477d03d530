# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Client of 1C's *standard OData interface* (``…/odata/standard.odata``):
the second adapter beside the SOAP one (onec_client.py), with the same
outward API, for a 1C base whose administrator only ticked the objects to
publish (no 1C programming).

Plain ``requests`` on one keep-alive session: the exchange is a handful of
GET queries with ``$select``/``$filter``/``$orderby``/``$top``/``$skip`` on
1C's OData v3 JSON (``{"odata.metadata": …, "value": […]}``), which the
Python OData clients do not fit (pyodata speaks OData V2, python-odata V4
and reflects the whole ``$metadata`` first — megabytes for БП 3.0;
odata-query builds filters for SQLAlchemy/Django, it is not a client).

How it reads (OData has no change feed):

- receipts by a moving date window: ``Date ge <state − overlap days>``,
  listed light (Ref_Key, DataVersion, Date, the operation kind) page by
  page in (Date, Ref_Key) order; the ones whose DataVersion Odoo already
  has are skipped; the rest are fetched whole (header and
  РасшифровкаПлатежа) by Ref_Key in small chunks, or, when most of a page
  is new, by the page's date range; a page that was mostly new makes the
  next page be listed whole at once (the first sync: one request per page);
- catalogs (counterparties, contracts, currencies) through ``references``
  (kept by Odoo between syncs): their (Ref_Key, DataVersion) are listed and
  only new or changed items are read;
- settlements from the accounting register's virtual table
  ``Balance(Period=…, AccountCondition=…)`` on every 62.xx (БП 3.0), one
  row per contract after adding the sub-accounts up;
- every failure is the SOAP adapter's :class:`OneCError` with a kind and a
  Russian message that says what to do.

The names per configuration are in onec_odata_mapping.py.
"""
import json
import logging
from datetime import date as date_type, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from . import onec_odata_mapping as mapping_module
from .onec_client import ADVICE_1C, OneCClient, OneCError, _html_title, _short
from .onec_xdto import CURRENCY_ALIASES, OKV, ShapeError, parse_date

_logger = logging.getLogger(__name__)

try:
    import requests
except ImportError:  # pragma: no cover - a dependency of Odoo itself
    requests = None

ZERO_GUID = mapping_module.ZERO_GUID
STATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# 1C's texts of an object left out of the published set (HTTP 403 / 404).
UNPUBLISHED_TEXTS = ("не найден объект", "стандартного интерфейса", "составе стандартного", "not found in",
                     "не опубликован")
# The values a catalog item is remembered by (JSON-safe: Odoo stores them).
REFERENCE_KINDS = ("partner", "contract", "currency")


def _guid(value):
    value = (value or "").strip() if isinstance(value, str) else ""
    return "" if value == ZERO_GUID else value


def _text(value):
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _money(value, name):
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise ShapeError("значение %s «%s» не является числом" % (name, value))
    try:
        result = Decimal(value) if isinstance(value, (int, str)) else Decimal(repr(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ShapeError("значение %s «%s» не является числом" % (name, _short(value, 40)))
    if not result.is_finite():
        raise ShapeError("значение %s «%s» не является числом" % (name, _short(value, 40)))
    return result


def _flag(value, name):
    if value in (True, False):
        return value
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ShapeError("значение %s «%s» не является булевым" % (name, _short(value, 40)))


def _date(value, name):
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ShapeError("значение %s «%s» не является датой" % (name, _short(value, 40)))
    return parse_date(value, name)


def _currency_code(code, description):
    """The letter code of a Catalog_Валюты item (Code is the numeric ОКВ
    code in 1C, Description the letter code)."""
    code, description = _text(code), _text(description).upper()
    if code.isdigit() and code.zfill(3) in OKV:
        return OKV[code.zfill(3)]
    if description:
        return CURRENCY_ALIASES.get(description, description)
    return code.upper()


class _MemoryReferences(object):
    """The references store when Odoo gives none: lives with the client."""

    def __init__(self):
        self.kinds = {}

    def get(self, kind):
        return dict(self.kinds.get(kind) or {})

    def put(self, kind, items):
        self.kinds.setdefault(kind, {}).update(items)


class OneCODataClient(object):
    """Reads receipts, catalogs and settlements from 1C's standard OData
    interface at ``base_url`` (``<server>/<publication>/odata/standard.odata``)."""

    page_size = 1000        # rows per listing request ($top)
    key_chunk = 20          # Ref_Keys per "Ref_Key eq guid'…' or …" request (IIS: maxQueryString 2048)
    catalog_page = 1000

    def __init__(self, base_url, user, password, timeout=30, configuration="bp30", references=None):
        if requests is None:  # pragma: no cover
            raise OneCError("config", "На сервере Odoo не установлена библиотека requests: попросите "
                                      "администратора Odoo установить зависимости модуля receivables.")
        base_url = (base_url or "").strip()
        if not base_url:
            raise OneCError("config", "Не задан адрес стандартного интерфейса OData 1С: укажите веб-сервер и "
                                      "публикацию в настройках подключения (адрес вида "
                                      "http://сервер/база/odata/standard.odata).")
        self.mapping = mapping_module.configuration(configuration)
        if self.mapping is None:
            raise OneCError("config", "Конфигурация 1С «%s» не поддерживается для обмена через OData: выберите "
                                      "в настройках подключения БП 3.0, УТ 11 или КА 2." % configuration)
        self.configuration = (configuration or "bp30").strip().lower()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or 30
        self.user = user or ""
        self.references = references if references is not None else _MemoryReferences()
        self.request_count = 0
        self.last_url = None
        self._refs = {}             # kind -> {guid: (version, values)}, refreshed once per client
        self._accounts = None
        session = requests.Session()
        # requests encodes str credentials as latin-1; 1C user names are
        # often Cyrillic, so they go out as UTF-8 bytes (what 1C expects).
        session.auth = (self.user.encode("utf-8"), (password or "").encode("utf-8"))
        session.headers.update({"Accept": "application/json"})
        self.session = session

    # -- HTTP ----------------------------------------------------------------------
    def _url(self, path, params):
        query = "&".join("%s=%s" % (key, quote(str(value), safe="',()=:*")) for key, value in params)
        return "%s/%s?%s" % (self.base_url, quote(path, safe="/(),='"), query)

    def _get(self, path, params, what, entity):
        """The JSON answer of a GET on ``path`` (a dict)."""
        url = self._url(path, list(params) + [("$format", "json")])
        self.last_url = url
        self.request_count += 1
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise self._network_error(error, what)
        if response.status_code != 200:
            raise self._answer_error(response, what, entity)
        content = response.content or b""
        if not content.strip():
            raise OneCError("garbage", "1С вернула пустой ответ (%s). Повторите позже; если так повторяется, "
                                       "попросите администратора 1С проверить публикацию." % what)
        try:
            answer = json.loads(content)
        except RecursionError:
            raise OneCError("garbage", "1С вернула некорректный ответ (%s): JSON слишком глубокой вложенности. "
                                       "Проверьте публикацию 1С и прокси между Odoo и 1С." % what)
        except ValueError:
            hint = _html_title(content)
            if hint or content.lstrip()[:1] == b"<":
                raise OneCError("garbage", "По адресу %s 1С вернула веб-страницу%s вместо ответа OData (%s). "
                                           "Проверьте адрес публикации в настройках подключения: он должен вести "
                                           "на …/odata/standard.odata." % (self.base_url, " «%s»" % hint if hint
                                                                           else "", what))
            raise OneCError("garbage", "1С вернула некорректный ответ (%s): не JSON или ответ обрезан. Повторите "
                                       "позже; если так повторяется, проверьте публикацию 1С и прокси между Odoo "
                                       "и 1С." % what)
        if not isinstance(answer, dict):
            raise OneCError("garbage", "1С вернула ответ не в формате OData (%s): ожидался объект JSON. Проверьте "
                                       "адрес публикации в настройках подключения." % what)
        return answer

    def _list(self, entity, select=None, where=None, orderby=None, top=None, skip=0, what=None, path=None):
        params = []
        if select:
            params.append(("$select", ",".join(select)))
        if where:
            params.append(("$filter", where))
        if orderby:
            params.append(("$orderby", orderby))
        if top:
            params.append(("$top", top))
        if skip:
            params.append(("$skip", skip))
        answer = self._get(path or entity, params, what, entity)
        rows = answer.get("value")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise OneCError("garbage", "1С вернула ответ не в формате OData (%s): нет списка value. Проверьте "
                                       "адрес публикации в настройках подключения." % what)
        return rows

    def _pages(self, entity, select, where, orderby, what, page=None):
        """All rows of a query, $top/$skip page by page (a generator of pages)."""
        page = page or self.page_size
        skip = 0
        previous = None
        while True:
            rows = self._list(entity, select, where, orderby, page, skip, what)
            previous = self._check_progress(rows, previous, what)
            if rows:
                yield rows
            if len(rows) < page:
                return
            skip += len(rows)

    @staticmethod
    def _check_progress(rows, previous, what):
        """The page's ends; refuses a page that repeats the one before (a
        server or proxy that ignores $skip would keep the sync going
        forever)."""
        ends = (rows[0], rows[-1]) if rows else None
        if ends is not None and ends == previous:
            raise OneCError("garbage", "1С вернула ту же страницу ещё раз (%s): публикация или прокси перед ней не "
                                       "выполняет $skip. Проверьте публикацию 1С." % what)
        return ends

    # -- errors --------------------------------------------------------------------
    # The SOAP adapter's wording is reused as is (the same kinds and sentences).
    _connection_reason = staticmethod(OneCClient._connection_reason)
    _busy_reason = staticmethod(OneCClient._busy_reason)

    def _network_error(self, error, what):
        if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                              requests.exceptions.InvalidSchema)):
            return OneCError("config", "Адрес 1С «%s» неверен (%s): укажите полный адрес, например "
                                       "http://сервер/база/odata/standard.odata." % (self.base_url, what))
        return OneCClient._network_error(self, error, what, self.base_url)

    @staticmethod
    def _odata_message(content):
        """1C's text from an ``odata.error`` answer, or None."""
        try:
            answer = json.loads(content or b"")
        except (ValueError, RecursionError):
            return None
        if not isinstance(answer, dict):
            return None
        error = answer.get("odata.error") or answer.get("error")
        if not isinstance(error, dict):
            return None
        message = error.get("message")
        if isinstance(message, dict):
            message = message.get("value")
        return _text(message) or _text(error.get("code")) or ""

    def _answer_error(self, response, what, entity):
        status = response.status_code
        content = response.content or b""
        message = self._odata_message(content)
        lower = (message or "").lower()
        if status == 401:
            return OneCError("auth", "1С отклонила имя пользователя или пароль (HTTP 401, %s). Проверьте логин и "
                                     "пароль пользователя 1С в настройках подключения; пользователь должен быть в "
                                     "базе 1С с аутентификацией 1С:Предприятия." % what)
        if status == 403 and any(sign in lower for sign in UNPUBLISHED_TEXTS):
            return self._unpublished_error([entity], what)
        if status == 403:
            answer = " Ответ 1С: %s" % _short(message) if message else ""
            return OneCError("rights", "1С запретила доступ (HTTP 403, %s): у пользователя «%s» нет права читать "
                                       "%s. Попросите администратора 1С дать пользователю роль только для чтения "
                                       "этих объектов (docs/1c-integration.md).%s" % (what, self.user, entity, answer))
        if status == 404 and message is not None:
            return OneCError("config", "В стандартном интерфейсе OData 1С нет объекта %s (HTTP 404, %s). Проверьте, "
                                       "что в настройках подключения выбрана конфигурация вашей базы (сейчас: %s) и "
                                       "что администратор 1С отметил этот объект в составе стандартного интерфейса "
                                       "OData." % (entity, what, self.mapping["title"]))
        if status == 404:
            return OneCError("http", "Стандартный интерфейс OData 1С не найден по адресу %s (HTTP 404, %s). "
                                     "Проверьте адрес: имя публикации базы, и что при публикации на веб-сервере "
                                     "отмечен флажок «Публиковать стандартный интерфейс OData»."
                             % (self.base_url, what))
        if status == 400:
            return OneCError("contract", "1С не приняла запрос к %s (HTTP 400, %s)%s. Проверьте, что в настройках "
                                         "подключения выбрана конфигурация вашей базы (сейчас: %s): имена полей "
                                         "в конфигурациях различаются. %s"
                             % (entity, what, ": %s" % _short(message) if message else "", self.mapping["title"],
                                ADVICE_1C))
        if message and status >= 500:
            return OneCClient._fault_error(self, message, what)
        if status == 500:
            return OneCError("http", "Веб-сервер 1С ответил внутренней ошибкой (HTTP 500, %s) без ответа OData. "
                                     "Повторите позже; если ошибка повторяется, попросите администратора 1С "
                                     "проверить публикацию и журнал регистрации 1С." % what)
        if status < 500 and message:
            return OneCError("fault", "1С вернула ошибку (HTTP %s, %s): %s. %s"
                             % (status, what, _short(message), ADVICE_1C))
        return OneCClient._http_error(self, status, content, what, self.base_url)

    def _unpublished_error(self, entities, what=None):
        return OneCError("config", "В стандартном интерфейсе OData 1С не опубликованы: %s%s. Администратор 1С "
                                   "должен отметить эти объекты в обработке «Настройка автоматического "
                                   "REST-сервиса» (или УстановитьСоставСтандартногоИнтерфейсаOData), см. "
                                   "docs/1c-integration.md." % (", ".join(entities), " (%s)" % what if what else ""))

    def _contract_error(self, what, detail):
        return OneCError("contract", "Ответ 1С (%s) не соответствует ожидаемому: %s. %s" % (what, detail, ADVICE_1C))

    # -- connection check ----------------------------------------------------------
    def missing_objects(self):
        """The needed entity sets the publication does not serve (403 "not in
        the standard interface" or 404 of OData); other failures raise."""
        missing = []
        now = datetime.now().strftime(STATE_FORMAT)
        for entity in mapping_module.needed_objects(self.mapping):
            what = "проверка связи, %s" % entity
            if "Register_" in entity:
                path, params = "%s/Balance(Period=datetime'%s')" % (entity, now), [("$top", 1)]
            else:
                path, params = entity, [("$top", 1), ("$select", "Ref_Key")]
            try:
                self._get(path, params, what, entity)
            except OneCError as error:
                if error.kind == "config":
                    missing.append(entity)
                    continue
                raise
        return missing

    def ping(self):
        """A short Russian description of the connection; OneCError
        (config) naming the objects not published yet."""
        missing = self.missing_objects()
        if missing:
            raise self._unpublished_error(missing)
        count = len(mapping_module.needed_objects(self.mapping))
        return ("стандартный интерфейс OData доступен (%s), опубликованы все нужные объекты (%d)"
                % (self.mapping["title"], count))

    # -- catalogs ------------------------------------------------------------------
    def _reference(self, kind):
        """{guid: (version, values)} of a catalog, brought up to date once per
        client: its (Ref_Key, DataVersion) listed, new or changed items read."""
        refs = self._refs.get(kind)
        if refs is not None:
            return refs
        catalog = self.mapping["catalogs"][kind]
        entity = catalog["entity"]
        what = "чтение справочника %s" % entity
        cached = dict(self.references.get(kind) or {})
        changed = {}
        if not cached:
            # Nothing known yet: the catalog is read whole at once.
            for rows in self._pages(entity, catalog["fields"], None, "Ref_Key", what, self.catalog_page):
                for row in rows:
                    changed[_text(row.get("Ref_Key"))] = (_text(row.get("DataVersion")), self._values(kind, row))
        else:
            stale = []
            for rows in self._pages(entity, ("Ref_Key", "DataVersion"), None, "Ref_Key", what, self.catalog_page):
                for row in rows:
                    guid, version = _text(row.get("Ref_Key")), _text(row.get("DataVersion"))
                    known = cached.get(guid)
                    if known is None or known[0] != version or not version:
                        stale.append(guid)
            for row in self._fetch_keys(entity, catalog["fields"], stale, what):
                changed[_text(row.get("Ref_Key"))] = (_text(row.get("DataVersion")), self._values(kind, row))
        changed.pop("", None)
        if changed:
            self.references.put(kind, changed)
            cached.update(changed)
        self._refs[kind] = cached
        return cached

    def _values(self, kind, row):
        """What is remembered of a catalog item (JSON-safe)."""
        if kind == "partner":
            return {"name": _text(row.get("Description")) or _text(row.get("НаименованиеПолное")),
                    "inn": _text(row.get("ИНН")), "kpp": _text(row.get("КПП"))}
        if kind == "contract":
            owner = self.mapping["catalogs"]["contract"]["owner"]
            return {"number": _text(row.get("Номер")) or _text(row.get("Description")),
                    "date": _text(row.get("Дата")), "owner": _guid(row.get(owner)),
                    "currency": _guid(row.get("ВалютаВзаиморасчетов_Key"))}
        return {"code": _currency_code(row.get("Code"), row.get("Description"))}

    def _fetch_keys(self, entity, select, keys, what):
        """The objects with these Ref_Keys, in chunks of ``key_chunk``."""
        rows = []
        for start in range(0, len(keys), self.key_chunk):
            chunk = keys[start:start + self.key_chunk]
            where = " or ".join("Ref_Key eq guid'%s'" % key for key in chunk)
            rows.extend(self._list(entity, select, where, None, None, 0, what))
        return rows

    def _partner(self, guid):
        if not guid:
            return {}
        item = self._reference("partner").get(guid)
        return item[1] if item else {}

    def _contract(self, guid):
        if not guid:
            return {}
        item = self._reference("contract").get(guid)
        return item[1] if item else {}

    def _currency(self, guid):
        if not guid:
            return "RUB"  # an empty currency in 1C's accounting is the national one
        item = self._reference("currency").get(guid)
        if item and item[1].get("code"):
            return item[1]["code"]
        # Not in the catalog: a code the importer refuses, never roubles.
        return "?" + guid[:6]

    # -- receipts ------------------------------------------------------------------
    def read_changes(self, state, batch_size, overlap, known_versions=None):
        """Receipts of the window that starts ``overlap`` days before
        ``state`` (the ISO date of the latest receipt seen; "" = all), page by
        page: a generator of (docs, new state). Receipts whose DataVersion
        ``known_versions(guids)`` already has are skipped; a receipt that is no
        longer a customer payment comes back unposted when Odoo knows it. The
        state only moves on the last page (to the latest date seen): a sync
        broken in the middle reads the same window again."""
        batch_size = max(1, int(batch_size or 500))
        previous = self._parse_state(state)
        start = None
        if previous is not None:
            start = (previous - timedelta(days=max(0, overlap or 0))).replace(hour=0, minute=0, second=0)
        known_versions = known_versions or (lambda guids: {})
        latest = previous
        kept = (state or "") if previous is not None else ""
        buffer = []
        for receipt in self.mapping["receipts"]:
            for docs, seen in self._receipts(receipt, start, known_versions, whole=previous is None):
                if seen is not None and (latest is None or seen > latest):
                    latest = seen
                buffer.extend(docs)
                while len(buffer) >= batch_size:
                    page, buffer = buffer[:batch_size], buffer[batch_size:]
                    yield page, kept
        yield buffer, latest.strftime(STATE_FORMAT) if latest is not None else kept

    @staticmethod
    def _parse_state(state):
        state = (state or "").strip()
        if not state:
            return None
        try:
            return parse_date(state, "state")
        except ShapeError:
            # e.g. a SOAP change number left from the other transport: read all.
            _logger.info("OData state %r is not a date: the whole history is read", state)
            return None

    def _receipts(self, receipt, start, known_versions, whole):
        """(docs, latest date listed) per listing page of one document type."""
        entity = receipt["entity"]
        what = "получение поступлений, %s" % entity
        full_fields = mapping_module.header_fields(receipt)
        light_fields = mapping_module.listing_fields(receipt)
        where = "Date ge datetime'%s'" % start.strftime(STATE_FORMAT) if start is not None else None
        operation, customer = receipt["operation"], receipt["customer"]
        skip = 0
        previous = None
        while True:
            rows = self._list(entity, full_fields if whole else light_fields, where, "Date,Ref_Key",
                              self.page_size, skip, what)
            if not rows:
                return
            previous = self._check_progress(rows, previous, what)
            guids = [_text(row.get("Ref_Key")) for row in rows]
            known = known_versions(guids) or {}
            wanted = []
            latest = None
            for guid, row in zip(guids, rows):
                try:
                    day = _date(row.get("Date"), "Date")
                except ShapeError as error:
                    raise self._contract_error(what, "%s (документ %s)" % (error, guid))
                if day is not None and (latest is None or day > latest):
                    latest = day
                version = _text(row.get("DataVersion"))
                if not guid or (version and known.get(guid) == version):
                    continue
                if _text(row.get(operation)) in customer or guid in known:
                    wanted.append(guid)
            docs = []
            if wanted:
                if whole:
                    objects = {_text(row.get("Ref_Key")): row for row in rows}
                else:
                    objects = self._fetch_receipts(receipt, full_fields, wanted, rows, what)
                for guid in wanted:
                    obj = objects.get(guid)
                    if obj is None:
                        continue  # deleted between the listing and the fetch
                    if _text(obj.get(operation)) not in customer and guid not in known:
                        continue
                    docs.append(self._doc(receipt, obj, what))
            yield docs, latest
            if len(rows) < self.page_size:
                return
            skip += len(rows)
            # Mostly new: the next page is listed whole at once.
            whole = len(wanted) * 2 > len(rows)

    def _fetch_receipts(self, receipt, fields, wanted, rows, what):
        """{guid: object} of the wanted receipts: by Ref_Key in chunks when
        they are few, else by the date range they span."""
        entity = receipt["entity"]
        if len(wanted) <= 2 * self.key_chunk:
            found = self._fetch_keys(entity, fields, wanted, what)
        else:
            wanted_set = set(wanted)
            days = [row.get("Date") for row in rows if _text(row.get("Ref_Key")) in wanted_set]
            where = "Date ge datetime'%s' and Date le datetime'%s'" % (min(days)[:19], max(days)[:19])
            found = [row for rows_page in self._pages(entity, fields, where, "Date,Ref_Key", what)
                     for row in rows_page if _text(row.get("Ref_Key")) in wanted_set]
        return {_text(row.get("Ref_Key")): row for row in found}

    def _doc(self, receipt, obj, what):
        guid = _text(obj.get("Ref_Key"))
        try:
            return self._map_doc(receipt, obj)
        except ShapeError as error:
            number = _text(obj.get("Number")) or "?"
            raise self._contract_error(what, "%s (документ № %s, GUID %s)" % (error, number, guid or "?"))

    def _map_doc(self, receipt, obj):
        """A receipt object -> the importer's doc dict (SOAP's shape plus
        "version")."""
        customer = _text(obj.get(receipt["operation"])) in receipt["customer"]
        partner_guid = ""
        if receipt["partner_type"]:
            kind = _text(obj.get(receipt["partner_type"]))
            if not kind or kind == mapping_module.PARTNER_TYPE:
                partner_guid = _guid(obj.get(receipt["partner"]))
        else:
            partner_guid = _guid(obj.get(receipt["partner"]))
        partner = self._partner(partner_guid)
        amount = _money(obj.get(receipt["amount"]), receipt["amount"])
        lines = []
        table = obj.get(receipt["lines"]) or []
        if not isinstance(table, list):
            raise ShapeError("табличная часть %s не является списком" % receipt["lines"])
        for line in table:
            if not isinstance(line, dict):
                raise ShapeError("строка табличной части %s не является объектом" % receipt["lines"])
            contract_guid = ""
            for field in receipt["line_contract"]:
                if field in line:
                    contract_guid = _guid(line.get(field))
                    break
            line_amount = Decimal(0)
            for field in receipt["line_amount"]:
                if field in line:
                    line_amount = _money(line.get(field), field)
                    break
            contract = self._contract(contract_guid)
            lines.append({"key": _text(line.get("LineNumber")), "contract_guid": contract_guid,
                          "contract_number": contract.get("number", ""),
                          "contract_date": _date(contract.get("date"), "Дата"), "amount": line_amount})
        if not lines:
            # The old shape: the header contract and the document total.
            contract_guid = _guid(obj.get(receipt["contract"])) if receipt["contract"] else ""
            contract = self._contract(contract_guid)
            lines.append({"key": "", "contract_guid": contract_guid, "contract_number": contract.get("number", ""),
                          "contract_date": _date(contract.get("date"), "Дата"), "amount": amount})
        return {
            "guid": _text(obj.get("Ref_Key")),
            "doc_type": receipt["doc_type"],
            "number": _text(obj.get("Number")),
            "date": _date(obj.get("Date"), "Date"),
            "posted": _flag(obj.get("Posted"), "Posted") and customer,
            "deletion_mark": _flag(obj.get("DeletionMark"), "DeletionMark"),
            "partner_guid": partner_guid,
            "partner_name": partner.get("name", ""),
            "inn": partner.get("inn", ""),
            "kpp": partner.get("kpp", ""),
            "amount": amount,
            "currency": self._currency(_guid(obj.get(receipt["currency"]))),
            "purpose": _text(obj.get(receipt["purpose"])) if receipt["purpose"] else "",
            "version": _text(obj.get("DataVersion")),
            "lines": lines,
        }

    # -- settlements ---------------------------------------------------------------
    def get_settlements(self, date=None, inn=""):
        """Balances of account 62 (БП 3.0: its sub-accounts added up) or of the
        register РасчетыСКлиентами (УТ 11 / КА 2) by counterparty and
        contract at ``date`` (None = now; a date = the whole day): rows shaped as
        the SOAP adapter's."""
        settings = self.mapping["settlements"]
        entity = settings["entity"]
        what = "получение взаиморасчётов, %s" % entity
        period = self._period(date)
        if settings["kind"] == "accounting":
            accounts = self._account_keys(settings, what)
            condition = " or ".join("Account_Key eq guid'%s'" % key for key in accounts)
            # A string literal inside the parameter: its quotes are doubled (OData's escape).
            path = "%s/Balance(Period=datetime'%s',AccountCondition='%s')" % (
                entity, period, condition.replace("'", "''"))
        else:
            path = "%s/Balance(Period=datetime'%s')" % (entity, period)
        rows = self._list(entity, what=what, path=path)
        totals = {}
        try:
            for row in rows:
                partner_guid = _guid(row.get(settings["partner"]))
                contract_guid = _guid(row.get(settings["contract"]))
                key = (partner_guid, contract_guid)
                total = totals.get(key)
                if total is None:
                    total = totals[key] = {"currency": _guid(row.get(settings["currency"])),
                                           "rub": Decimal(0), "cur": Decimal(0)}
                total["rub"] += _money(row.get(settings["balance_rub"]), settings["balance_rub"])
                total["cur"] += _money(row.get(settings["balance_currency"]), settings["balance_currency"])
                total["currency"] = total["currency"] or _guid(row.get(settings["currency"]))
            result = []
            for (partner_guid, contract_guid), total in totals.items():
                partner = self._partner(partner_guid)
                contract = self._contract(contract_guid)
                currency = self._currency(contract.get("currency") or total["currency"])
                if settings["kind"] == "accounting":
                    balance = total["rub"] if currency == "RUB" else total["cur"]
                else:
                    balance = total["cur"]
                result.append({
                    "partner_guid": partner_guid, "partner_name": partner.get("name", ""),
                    "inn": partner.get("inn", ""), "kpp": partner.get("kpp", ""),
                    "contract_guid": contract_guid, "contract_number": contract.get("number", ""),
                    "contract_date": _date(contract.get("date"), "Дата"), "currency": currency,
                    "balance": balance, "balance_rub": total["rub"],
                })
        except ShapeError as error:
            raise self._contract_error(what, error)
        if inn:
            result = [row for row in result if row["inn"] == inn]
        result.sort(key=lambda row: (row["partner_name"], row["inn"], row["contract_date"] or datetime.min,
                                     row["contract_number"]))
        return result

    @staticmethod
    def _period(value):
        """The ``Period`` of a balance. 1C's Остатки(&Период) leaves out the
        movements of that very moment, so a date asks for the next midnight
        (the whole day, as SOAP's GetSettlements counts it), a moment for the
        next second; None is now."""
        if isinstance(value, str):
            value = parse_date(value, "Date") if value.strip() else None
        if value is None:
            moment = datetime.now()
        elif isinstance(value, datetime):
            moment = value + (timedelta(days=1) if value.time() == datetime.min.time() else timedelta(seconds=1))
        elif isinstance(value, date_type):
            moment = datetime(value.year, value.month, value.day) + timedelta(days=1)
        else:
            moment = datetime.now()
        return moment.strftime(STATE_FORMAT)

    def _account_keys(self, settings, what):
        """Ref_Keys of every sub-account of 62 in the chart of accounts
        (62.01/62.02 in roubles, 62.21/62.22 in currency, 62.31/62.32 in
        conventional units...), read once per client: the same account 62
        SOAP's query reads in hierarchy."""
        if self._accounts is None:
            chart = settings["accounts"]
            prefix = settings["account_prefix"]
            rows = self._list(chart, ("Ref_Key", "Code"), None, None, None, 0, "%s, %s" % (what, chart))
            codes = {_guid(row.get("Ref_Key")): (row.get("Code") or "").strip() for row in rows}
            keys = [key for key, code in codes.items() if key and code.startswith(prefix + ".")] or [
                key for key, code in codes.items() if key and code == prefix]
            if not keys:
                codes = prefix
                raise OneCError("contract", "В плане счетов 1С (%s) нет счетов %s: взаиморасчёты по счёту 62 не "
                                            "прочитать. Проверьте, что в настройках подключения выбрана конфигурация "
                                            "вашей базы (сейчас: %s)." % (chart, codes, self.mapping["title"]))
            self._accounts = keys
        return self._accounts
