# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SOAP client of the 1C web service "Payments" (onec/Payments.wsdl): the
adapter, the only code that speaks SOAP to 1C.

Plain Python (no ORM) so that the sync, the "Test connection" button and the
benchmark share it. It takes 1C as it comes:

- the service, its port and binding are found in the WSDL (``service_name``
  if given, else the service that has the contract's operations); the SOAP 1.1
  port is preferred, the SOAP 1.2 one used when it is the only one; the
  namespace is whatever the WSDL says;
- the call goes to ``endpoint`` or to the WSDL address without ``?wsdl``
  (the WSDL's own soap:address names 1C's internal host);
- parameters are filled by their local names and types; answers are read by
  local names from the SOAP envelope (``onec_xdto``), whatever zeep's typing
  makes of them;
- every failure is :class:`OneCError` with a ``kind`` and a Russian message
  a user can act on.
"""
import io
import logging
import re
import socket

from . import onec_xdto
from .onec_xdto import ShapeError

_logger = logging.getLogger(__name__)

try:
    import requests
    import zeep
    import zeep.exceptions
    from lxml import etree
    from zeep.plugins import Plugin
    from zeep.transports import Transport
    from zeep.wsdl.bindings.soap import Soap11Binding, Soap12Binding
    from zeep.xsd.types import builtins as xsd_builtins
except ImportError:  # pragma: no cover - the manifest lists zeep
    _logger.debug("zeep is not installed")
    zeep = None
    Plugin = object

OPERATIONS = ("GetPayments", "GetSettlements", "Ping")
EMPTY_DATETIME = "0001-01-01T00:00:00"
EMPTY_DATE = "0001-01-01"
KINDS = ("config", "unreachable", "timeout", "auth", "rights", "lock", "busy", "http", "fault", "garbage",
         "contract")

# 1C's own texts (match by substring, lower case: the codes and prefixes vary).
RIGHTS_TEXTS = ("нарушение прав доступа", "недостаточно прав", "access right", "access denied",
                "нет прав")
LOCK_TEXTS = ("конфликт блокировок", "время ожидания предоставления блокировки", "lock conflict",
              "deadlock", "блокировк")
BUSY_TEXTS = ("превышено максимальное количество", "не обнаружена свободная лицензия", "свободная лицензия",
              "лиценз", "licen", "pool", "пул ", "пула", "сеансов", "service unavailable", "перегруж")
ADVICE_1C = "Передайте этот текст программисту 1С."
WHAT = {"GetPayments": "получение поступлений, GetPayments", "GetSettlements": "получение взаиморасчётов, "
        "GetSettlements", "Ping": "проверка связи, Ping"}


class OneCError(Exception):
    """A failure of the exchange; ``kind`` is a short machine code (one of
    :data:`KINDS`), ``str()`` the Russian text for the log and the user."""

    def __init__(self, kind, message):
        super(OneCError, self).__init__(message)
        self.kind = kind
        self.message = message


class _Capture(Plugin):
    """Keeps the last answer's envelope: the answer is read from it by local
    names, and it survives zeep's typing errors."""

    def __init__(self):
        self.envelope = None

    def ingress(self, envelope, http_headers, operation):
        self.envelope = envelope
        return envelope, http_headers


def _short(value, limit=400):
    value = " ".join(str(value or "").split())
    return value if len(value) <= limit else value[:limit] + "…"


def _html_title(content):
    """A hint from an HTML error page (its title), or ''."""
    try:
        page = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content or "")
    except Exception:  # pragma: no cover
        return ""
    lower = page.lower()
    start = lower.find("<title>")
    if start < 0:
        return ""
    end = lower.find("</title>", start)
    return _short(page[start + 7:end if end > 0 else start + 200], 150)


def _classify_text(message):
    """rights / lock / busy / fault by 1C's text."""
    lower = (message or "").lower()
    if any(sign in lower for sign in RIGHTS_TEXTS):
        return "rights"
    if any(sign in lower for sign in LOCK_TEXTS):
        return "lock"
    if any(sign in lower for sign in BUSY_TEXTS):
        return "busy"
    return "fault"


class OneCClient(object):
    """Loads the WSDL through an authenticated session, finds the service and
    binds its SOAP port to ``endpoint`` (or the WSDL address)."""

    def __init__(self, wsdl_url, user, password, endpoint=None, timeout=30, service_name=None):
        if zeep is None:
            raise OneCError("config", "На сервере Odoo не установлена библиотека zeep: попросите администратора "
                                      "Odoo установить зависимости модуля receivables.")
        if not wsdl_url or not str(wsdl_url).strip():
            raise OneCError("config", "Не задан адрес WSDL веб-сервиса 1С: укажите его в настройках подключения "
                                      "(например, http://сервер/база/ws/Payments.1cws?wsdl).")
        self.wsdl_url = wsdl_url.strip()
        self.timeout = timeout or 30
        self.user = user or ""
        self.endpoint = (endpoint or "").strip() or self.wsdl_url.split("?")[0]
        self.last_response = None
        self._payments_envelope = None
        self._capture = _Capture()
        session = requests.Session()
        session.hooks["response"].append(self._remember)
        # requests encodes str credentials as latin-1; 1C user names are
        # Cyrillic, so they go out as UTF-8 bytes.
        session.auth = (self.user.encode("utf-8"), (password or "").encode("utf-8"))
        self.session = session
        self.transport = Transport(session=session, timeout=self.timeout, operation_timeout=self.timeout)
        self.settings = zeep.Settings(strict=False, xml_huge_tree=True)
        content = self._load_wsdl()
        try:
            self.client = zeep.Client(io.BytesIO(content), transport=self.transport, settings=self.settings,
                                      plugins=[self._capture])
        except (zeep.exceptions.Error, etree.LxmlError, ValueError, KeyError, AttributeError, TypeError,
                IndexError) as error:
            _logger.info("1C WSDL %s is not usable: %r", self.wsdl_url, error)
            raise OneCError("config", "Описание веб-сервиса (WSDL) по адресу %s не удалось разобрать (%s). "
                                      "Проверьте адрес WSDL в настройках подключения: он должен вести на "
                                      "…/ws/ИмяСервиса.1cws?wsdl опубликованной базы 1С."
                            % (self.wsdl_url, _short(error.message, 200) if isinstance(error, zeep.exceptions.Error)
                               else "ошибка в схеме типов"))
        # Lenient while reading 1C's schema, strict for the answers: a
        # truncated answer must fail, not be "recovered" into half a page.
        self.settings.strict = True
        self.service_name, self.binding = self._discover(service_name)
        self.soap_version = "1.2" if isinstance(self.binding, Soap12Binding) else "1.1"
        self.service = self.client.create_service(self.binding.name, self.endpoint)

    # -- discovery -------------------------------------------------------------
    def _remember(self, response, *args, **kwargs):
        self.last_response = response

    def _load_wsdl(self):
        """The WSDL's bytes, fetched through the authenticated session (1C
        puts the WSDL behind the same Basic auth as the service)."""
        what = "загрузка WSDL"
        self.last_response = None
        try:
            response = self.session.get(self.wsdl_url, timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise self._network_error(error, what, self.wsdl_url)
        if response.status_code != 200:
            raise self._answer_error(what, response, self.wsdl_url)
        content = response.content or b""
        try:
            root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                                    huge_tree=True))
        except (etree.XMLSyntaxError, ValueError):
            hint = _html_title(content)
            raise OneCError("config", "По адресу %s нет описания веб-сервиса (WSDL): ответ не является XML%s. "
                                      "Проверьте адрес WSDL в настройках подключения: он должен вести на "
                                      "…/ws/ИмяСервиса.1cws?wsdl опубликованной базы 1С."
                            % (self.wsdl_url, " (страница «%s»)" % hint if hint else ""))
        if onec_xdto.local(root.tag).lower() == "html":
            hint = _html_title(content)
            raise OneCError("config", "По адресу %s нет описания веб-сервиса (WSDL): ответ не является XML-описанием, "
                                      "это веб-страница%s. Проверьте адрес WSDL в настройках подключения: он "
                                      "должен вести на …/ws/ИмяСервиса.1cws?wsdl опубликованной базы 1С."
                            % (self.wsdl_url, " «%s»" % hint if hint else ""))
        if onec_xdto.local(root.tag) != "definitions":
            raise OneCError("config", "По адресу %s не описание веб-сервиса (WSDL), а XML-документ <%s>. "
                                      "Проверьте адрес WSDL в настройках подключения: он должен вести на "
                                      "…/ws/ИмяСервиса.1cws?wsdl." % (self.wsdl_url, onec_xdto.local(root.tag)))
        return content

    @staticmethod
    def _soap_bindings(service):
        """(SOAP 1.1 bindings, SOAP 1.2 bindings) of a zeep service's ports."""
        soap11, soap12 = [], []
        for port in service.ports.values():
            binding = port.binding
            if isinstance(binding, Soap12Binding):
                soap12.append(binding)
            elif isinstance(binding, Soap11Binding):
                soap11.append(binding)
        return soap11, soap12

    @staticmethod
    def _missing(binding):
        names = set(binding._operations)
        return [op for op in OPERATIONS if op not in names]

    def _discover(self, service_name):
        services = self.client.wsdl.services
        if not services:
            raise OneCError("config", "В описании веб-сервиса (WSDL) по адресу %s нет ни одного сервиса. "
                                      "Проверьте адрес WSDL в настройках подключения." % self.wsdl_url)
        if service_name:
            wanted = service_name.strip()
            found = services.get(wanted) or next(
                (service for name, service in services.items() if name.lower() == wanted.lower()), None)
            if found is None:
                raise OneCError("config", "В WSDL по адресу %s нет веб-сервиса «%s»; есть: %s. Исправьте имя "
                                          "сервиса в настройках подключения."
                                % (self.wsdl_url, wanted, ", ".join(services)))
            candidates = [found]
        else:
            # The service that has the contract's operations, else the first.
            candidates = sorted(services.values(), key=lambda service: min(
                [len(self._missing(b)) for b in sum(self._soap_bindings(service), [])] or [99]))
        service = candidates[0]
        soap11, soap12 = self._soap_bindings(service)
        bindings = soap11 or soap12
        if not bindings:
            raise OneCError("config", "У веб-сервиса «%s» в WSDL нет SOAP-привязки (SOAP 1.1 или 1.2). "
                                      "Попросите программиста 1С опубликовать его как веб-сервис 1С."
                            % service.name)
        binding = min(bindings, key=lambda b: len(self._missing(b)))
        missing = self._missing(binding)
        if missing:
            raise OneCError("contract", "Веб-сервис 1С «%s» не содержит операций %s, описанных в контракте "
                                        "обмена. Проверьте адрес WSDL (это тот сервис?) или попросите "
                                        "программиста 1С опубликовать сервис по контракту "
                                        "(docs/1c-integration.md)." % (service.name, ", ".join(missing)))
        return service.name, binding

    # -- parameters --------------------------------------------------------------
    def _params(self, operation, values):
        """Keyword arguments for ``operation`` from ``values`` ({lower-case
        local name: python value}), shaped by each parameter's XSD type."""
        op = self.binding._operations[operation]
        try:
            elements = op.input.body.type.elements
        except AttributeError:
            return {}
        kwargs = {}
        for name, element in elements:
            key = name.lower()
            if key in values:
                kwargs[name] = self._value(element, values[key])
            elif element.nillable:
                kwargs[name] = None
            elif not element.is_optional:
                kwargs[name] = self._value(element, None)
        return kwargs

    @staticmethod
    def _value(element, value):
        kind = element.type
        if isinstance(kind, xsd_builtins.DateTime):
            return value.strftime("%Y-%m-%dT%H:%M:%S") if value else EMPTY_DATETIME
        if isinstance(kind, xsd_builtins.Date):
            return value.strftime("%Y-%m-%d") if value else EMPTY_DATE
        if isinstance(kind, xsd_builtins.Boolean):
            return bool(value)
        if isinstance(kind, xsd_builtins.Integer):
            return int(value or 0)
        if isinstance(kind, (xsd_builtins.Decimal, xsd_builtins.Float, xsd_builtins.Double)):
            return value if value not in (None, "") else 0
        return "" if value is None else str(value)

    # -- errors ------------------------------------------------------------------
    def _network_error(self, error, what, url):
        if isinstance(error, requests.exceptions.Timeout):
            return OneCError("timeout", "1С не ответила за %s с (%s). Повторите позже; если 1С отвечает долго "
                                        "постоянно, увеличьте тайм-аут или уменьшите размер пакета в настройках "
                                        "подключения." % (self.timeout, what))
        if isinstance(error, requests.exceptions.SSLError):
            return OneCError("unreachable", "Не удалось установить защищённое соединение (HTTPS) с 1С по адресу "
                                            "%s (%s): сертификат сервера не принят. Проверьте адрес и сертификат "
                                            "веб-сервера 1С." % (url, what))
        if isinstance(error, requests.exceptions.ConnectionError):
            reason = self._connection_reason(error)
            return OneCError("unreachable", "1С недоступна по адресу %s (%s): %s. Проверьте адрес в настройках "
                                            "подключения и что веб-сервер 1С запущен; повторите позже."
                             % (url, what, reason))
        if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                              requests.exceptions.InvalidSchema)):
            return OneCError("config", "Адрес 1С «%s» неверен (%s): укажите полный адрес, например "
                                       "http://сервер/база/ws/Payments.1cws?wsdl." % (url, what))
        return OneCError("unreachable", "Ошибка связи с 1С по адресу %s (%s). Проверьте адрес и сеть; повторите "
                                        "позже." % (url, what))

    @staticmethod
    def _connection_reason(error):
        seen, chain = set(), [error]
        while chain:
            item = chain.pop()
            if item is None or id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, ConnectionRefusedError):
                return "соединение отклонено (на этом адресе и порту ничего не слушает)"
            if isinstance(item, socket.gaierror):
                return "имя сервера не найдено (DNS)"
            if isinstance(item, (socket.timeout, TimeoutError)):
                return "сервер не отвечает"
            if isinstance(item, ConnectionResetError):
                return "соединение разорвано сервером"
            chain.extend([getattr(item, "__cause__", None), getattr(item, "__context__", None),
                          getattr(item, "reason", None)])
            chain.extend(arg for arg in getattr(item, "args", ()) if isinstance(arg, BaseException))
        text = str(error).lower()
        if "refused" in text:
            return "соединение отклонено (на этом адресе и порту ничего не слушает)"
        if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
            return "имя сервера не найдено (DNS)"
        if "reset" in text or "aborted" in text or "remotedisconnected" in text:
            return "соединение разорвано сервером"
        return "нет соединения с сервером"

    def _http_error(self, status, content, what, url):
        hint = _html_title(content)
        # The page's title, unless it is only the status line in English.
        page = " (страница «%s»)" % hint if hint and not re.search(r"error|\d{3}", hint, re.I) else ""
        body = (content or b"")[:20000].decode("utf-8", "replace") if isinstance(content, bytes) else ""
        if status == 401:
            return OneCError("auth", "1С отклонила имя пользователя или пароль (HTTP 401, %s). Проверьте логин и "
                                     "пароль пользователя 1С в настройках подключения; пользователь должен "
                                     "быть в базе 1С с аутентификацией 1С:Предприятия." % what)
        if status == 403:
            return OneCError("rights", "1С запретила доступ (HTTP 403, %s): у пользователя «%s» нет права на "
                                       "этот веб-сервис. Попросите администратора 1С дать пользователю права "
                                       "на обмен." % (what, self.user))
        if status == 404:
            return OneCError("http", "Публикация 1С не найдена по адресу %s (HTTP 404, %s). Проверьте адрес: имя "
                                     "публикации базы и имя веб-сервиса (…/ws/Payments.1cws)." % (url, what))
        if status == 503 or _classify_text(body) == "busy" and status >= 500:
            reason = self._busy_reason(body)
            return OneCError("busy", "1С сейчас перегружена: %s (HTTP %s, %s). Повторите позже; если так "
                                     "повторяется, попросите администратора 1С увеличить пул сеансов "
                                     "публикации (default.vrd) или число лицензий." % (reason, status, what))
        if status in (502, 504):
            return OneCError("http", "Веб-сервер 1С не получил ответа от сервера 1С:Предприятия (HTTP %s, %s). "
                                     "Повторите позже; если ошибка повторяется, попросите администратора 1С "
                                     "проверить, что сервер 1С запущен." % (status, what))
        if status == 500:
            return OneCError("http", "Веб-сервер 1С ответил внутренней ошибкой (HTTP 500, %s) без SOAP-ответа. "
                                     "Повторите позже; если ошибка повторяется, попросите администратора 1С "
                                     "проверить публикацию и журнал регистрации 1С." % what)
        if status in (301, 302, 303, 307, 308):
            return OneCError("http", "Веб-сервер 1С перенаправил запрос (HTTP %s, %s): проверьте адрес в "
                                     "настройках подключения (http или https, имя публикации)." % (status, what))
        return OneCError("http", "Веб-сервер 1С ответил ошибкой HTTP %s (%s)%s. Проверьте адрес в настройках "
                                 "подключения; повторите позже." % (status, what, page))

    @staticmethod
    def _busy_reason(text):
        lower = (text or "").lower()
        if "лиценз" in lower or "licen" in lower:
            return "нет свободной лицензии 1С"
        if "превышено максимальное количество" in lower or "pool" in lower or "пул" in lower:
            return "исчерпан пул сеансов веб-сервиса"
        return "сервис временно недоступен"

    def _fault_error(self, message, what):
        kind = _classify_text(message)
        text = _short(message) or "текст ошибки не передан"
        if kind == "rights":
            return OneCError("rights", "У пользователя 1С «%s» недостаточно прав для обмена (%s). Попросите "
                                       "администратора 1С дать ему права на чтение документов поступления, "
                                       "договоров и контрагентов. Ответ 1С: %s" % (self.user, what, text))
        if kind == "lock":
            return OneCError("lock", "1С не выдала данные из-за блокировки (%s): документы сейчас изменяют другие "
                                     "пользователи или регламентные задания. Повторите позже. Ответ 1С: %s"
                             % (what, text))
        if kind == "busy":
            return OneCError("busy", "1С сейчас перегружена: %s (%s). Повторите позже; если так повторяется, "
                                     "попросите администратора 1С увеличить пул сеансов публикации или число "
                                     "лицензий. Ответ 1С: %s" % (self._busy_reason(message), what, text))
        return OneCError("fault", "1С вернула ошибку (%s): %s. %s" % (what, text, ADVICE_1C))

    def _answer_error(self, what, response=None, url=None):
        """Classifies a failed call by the HTTP answer that came back (a SOAP
        fault by its text, else the HTTP status, else the body); None when
        the answer is a good SOAP envelope."""
        response = response if response is not None else self.last_response
        status = response.status_code
        content = response.content or b""
        envelope = None
        if content.strip():
            try:
                envelope = etree.fromstring(content, parser=etree.XMLParser(
                    resolve_entities=False, no_network=True, huge_tree=True))
            except (etree.XMLSyntaxError, ValueError):
                envelope = None
        fault = onec_xdto.fault_text(envelope) if envelope is not None else None
        if fault is not None:
            return self._fault_error(fault, what)
        if status != 200:
            return self._http_error(status, content, what, url or self.endpoint)
        if not content.strip():
            return OneCError("garbage", "1С вернула пустой ответ (%s). Повторите позже; если так повторяется, "
                                        "попросите администратора 1С проверить публикацию." % what)
        if envelope is None:
            return OneCError("garbage", "1С вернула некорректный ответ (%s): не XML или ответ обрезан. Повторите "
                                        "позже; если так повторяется, проверьте публикацию 1С и прокси между "
                                        "Odoo и 1С." % what)
        if onec_xdto.local(envelope.tag) != "Envelope":
            return OneCError("garbage", "1С вернула XML, который не является SOAP-ответом (%s, <%s>). Проверьте "
                                        "адрес сервиса в настройках подключения."
                             % (what, onec_xdto.local(envelope.tag)))
        return None

    def _contract_error(self, what, detail):
        return OneCError("contract", "Ответ 1С (%s) не соответствует контракту обмена: %s. %s"
                         % (what, detail, ADVICE_1C))

    # -- calls -------------------------------------------------------------------
    def _call(self, operation, values):
        """Calls ``operation``: (zeep's typed answer or None when zeep cannot
        type it, the answer's envelope)."""
        what = WHAT.get(operation, operation)
        try:
            kwargs = self._params(operation, values)
        except (AttributeError, TypeError, ValueError) as error:
            _logger.info("1C call %s: parameters %r do not fit the WSDL: %r", operation, values, error)
            raise OneCError("contract", "Параметры запроса %s не подходят к их типам в WSDL 1С. %s"
                            % (operation, ADVICE_1C))
        self.last_response = None
        self._capture.envelope = None
        try:
            result = self.service[operation](**kwargs)
        except requests.exceptions.RequestException as error:
            raise self._network_error(error, what, self.endpoint)
        except Exception as error:  # zeep: transport, fault, typing of the answer
            if self.last_response is None:
                _logger.info("1C call %s failed before an answer: %r", operation, error)
                detail = " (%s)" % _short(error.message, 200) if isinstance(error, zeep.exceptions.Error) else ""
                raise OneCError("contract", "Запрос %s не удалось составить по WSDL 1С%s. %s"
                                % (operation, detail, ADVICE_1C))
            failure = self._answer_error(what)
            if failure is not None:
                raise failure
            # A good envelope that zeep could not type: it is read by names.
            _logger.debug("zeep could not type the answer to %s: %r", operation, error)
            result = None
        envelope = self._capture.envelope
        if envelope is None:
            if self.last_response is not None:
                failure = self._answer_error(what)
                if failure is not None:
                    raise failure
            raise OneCError("garbage", "1С вернула пустой ответ (%s). Повторите позже; если так повторяется, "
                                       "попросите администратора 1С проверить публикацию." % what)
        if self.last_response is not None and self.last_response.status_code != 200:
            raise self._answer_error(what) or self._http_error(self.last_response.status_code, b"", what,
                                                               self.endpoint)
        return result, envelope

    def _read(self, operation, reader, envelope):
        try:
            return reader(envelope)
        except ShapeError as error:
            raise self._contract_error(WHAT.get(operation, operation), error)
        except Exception:  # foreign data: whatever it breaks, the user gets a sentence
            _logger.exception("1C answer to %s could not be read", operation)
            raise self._contract_error(WHAT.get(operation, operation), "ответ не удалось прочитать")

    def ping(self):
        """1C's answer to Ping (a short text)."""
        __, envelope = self._call("Ping", {})
        return self._read("Ping", onec_xdto.ping, envelope)

    def get_payments_raw(self, cursor, limit, date_from=None, date_to=None):
        """The zeep answer of GetPayments: transfer and zeep's parse (for the
        benchmark); None when zeep cannot type the answer. The envelope is
        kept for :meth:`get_payments`."""
        result, self._payments_envelope = self._call("GetPayments", {
            "cursor": cursor or "", "datefrom": date_from, "dateto": date_to, "limit": limit})
        return result

    def get_payments(self, cursor, limit, date_from=None, date_to=None):
        """Documents changed after ``cursor``: (list of doc dicts, next cursor,
        more?). See onec_xdto for the shapes."""
        self._payments_envelope = None
        self.get_payments_raw(cursor, limit, date_from, date_to)
        envelope, self._payments_envelope = self._payments_envelope, None
        return self._read("GetPayments", onec_xdto.payments, envelope)

    def get_settlements(self, date=None, inn=""):
        """Balances of account 62 by counterparty and contract at ``date``
        (None = now): list of row dicts."""
        __, envelope = self._call("GetSettlements", {"date": date, "counterpartyinn": inn or "",
                                                     "inn": inn or ""})
        return self._read("GetSettlements", onec_xdto.settlements, envelope)

    def read_changes(self, state, batch_size, overlap, known_versions=None):
        """The documents changed since ``state`` (the committed change
        number), page by page: a generator of (docs, new state). ``overlap``
        change numbers before it are read again, for documents 1C committed
        late (unchanged ones are skipped by the importer). The state only
        grows; the caller stores it with the page."""
        committed = self._cursor_number(state or "0")
        start = max(0, committed - max(0, overlap))
        while True:
            docs, next_cursor, more = self.get_payments(str(start), batch_size)
            reached = self._cursor_number(next_cursor or "0")
            committed = max(committed, reached)
            yield docs, str(committed)
            if not more or not docs or reached <= start:
                return
            start = reached

    @staticmethod
    def _cursor_number(cursor):
        if not str(cursor).isdigit():
            raise OneCError("garbage", "1С вернула нечисловой курсор обмена %r: обработчик GetPayments должен "
                                       "возвращать номер изменения (см. docs/1c-integration.md)" % (cursor,))
        return int(cursor)
