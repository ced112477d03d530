# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SOAP client of the 1C web service "Payments" (onec/Payments.wsdl).

Plain Python (no ORM) so that the sync, the "Test connection" button and the
benchmark share it. Every failure comes out as :class:`OneCError` with a
Russian message a user can act on.
"""
import logging
from datetime import datetime
from decimal import Decimal

_logger = logging.getLogger(__name__)

try:
    import requests
    import zeep
    import zeep.exceptions
    from lxml import etree
    from zeep.transports import Transport
except ImportError:  # pragma: no cover - the manifest lists zeep
    _logger.debug("zeep is not installed")
    zeep = None

NS = "http://tehnosnab.example/exchange/payments"
BINDING_SOAP11 = "{%s}PaymentsSoapBinding" % NS
EMPTY_DATE = datetime(1, 1, 1)


class OneCError(Exception):
    """A failure of the exchange; ``kind`` is a short machine code
    (unreachable, timeout, auth, http, fault, garbage), ``str()`` the
    Russian text for the log."""

    def __init__(self, kind, message):
        super(OneCError, self).__init__(message)
        self.kind = kind


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _date(value):
    if not value or value == EMPTY_DATE or value.year <= 1:
        return None
    return value


def payment_to_dict(item):
    """A zeep Payment object as a plain dict (empty strings for absent
    values, None for the empty date)."""
    return {
        "guid": _text(item.GUID),
        "doc_type": _text(item.DocumentType),
        "number": _text(item.Number),
        "date": _date(item.Date),
        "posted": bool(item.Posted),
        "deletion_mark": bool(item.DeletionMark),
        "partner_guid": _text(item.CounterpartyGUID),
        "partner_name": _text(item.CounterpartyName),
        "inn": _text(item.CounterpartyINN),
        "kpp": _text(item.CounterpartyKPP),
        "contract_guid": _text(item.ContractGUID),
        "contract_number": _text(item.ContractNumber),
        "contract_date": _date(item.ContractDate),
        "amount": item.Amount if item.Amount is not None else Decimal(0),
        "currency": _text(item.Currency).upper(),
        "purpose": _text(item.PaymentPurpose),
    }


class OneCClient(object):
    """Loads the WSDL through an authenticated session and binds the SOAP 1.1
    port to ``endpoint`` (the WSDL's own address names 1C's internal host)."""

    def __init__(self, wsdl_url, user, password, endpoint=None, timeout=30):
        if zeep is None:
            raise OneCError("config", "Библиотека zeep не установлена на сервере Odoo")
        self.timeout = timeout
        self.endpoint = endpoint or wsdl_url.split("?")[0]
        session = requests.Session()
        self.last_status = None
        session.hooks["response"].append(self._remember_status)
        # requests encodes str credentials as latin-1; 1C user names are
        # Cyrillic, so they go out as UTF-8 bytes.
        session.auth = ((user or "").encode("utf-8"), (password or "").encode("utf-8"))
        transport = Transport(session=session, timeout=timeout, operation_timeout=timeout)
        settings = zeep.Settings(xml_huge_tree=True)
        self.client = self._guard(lambda: zeep.Client(wsdl_url, transport=transport, settings=settings),
                                  "загрузка WSDL")
        self.service = self.client.create_service(BINDING_SOAP11, self.endpoint)

    def _remember_status(self, response, *args, **kwargs):
        self.last_status = response.status_code

    def _guard(self, call, what):
        try:
            return call()
        except requests.exceptions.Timeout:
            raise OneCError("timeout", "1С не ответила за %s с (%s)" % (self.timeout, what))
        except requests.exceptions.ConnectionError as error:
            raise OneCError("unreachable", "1С недоступна (%s): нет соединения с сервером: %s" % (what, error))
        except requests.exceptions.HTTPError as error:
            status = error.response.status_code if error.response is not None else "?"
            if status == 401:
                raise OneCError("auth", "1С отклонила имя пользователя или пароль (HTTP 401, %s)" % what)
            if status == 404:
                raise OneCError("http", "Публикация 1С не найдена по этому адресу (HTTP 404, %s)" % what)
            raise OneCError("http", "Веб-сервер 1С ответил ошибкой HTTP %s (%s)" % (status, what))
        except zeep.exceptions.Fault as error:
            if error.message == "Unknown fault occured":
                # An XML page without a SOAP Fault: the web server's error page.
                raise OneCError("http", "Веб-сервер 1С ответил ошибкой HTTP %s вместо SOAP (%s)"
                                % (self.last_status, what))
            raise OneCError("fault", "1С вернула ошибку (%s): %s" % (what, error.message))
        except zeep.exceptions.TransportError as error:
            if error.status_code == 401:
                raise OneCError("auth", "1С отклонила имя пользователя или пароль (HTTP 401, %s)" % what)
            if error.status_code == 200:
                raise OneCError("garbage", "1С вернула некорректный ответ (не XML) (%s): %s" % (what, error))
            raise OneCError("http", "Веб-сервер 1С ответил ошибкой HTTP %s вместо SOAP (%s)"
                            % (error.status_code, what))
        except (etree.XMLSyntaxError, zeep.exceptions.XMLSyntaxError, zeep.exceptions.XMLParseError) as error:
            raise OneCError("garbage", "1С вернула некорректный ответ (не XML или обрезан) (%s): %s"
                            % (what, error))
        except zeep.exceptions.Error as error:
            raise OneCError("garbage", "Ответ 1С не соответствует контракту (%s): %s" % (what, error))
        except requests.exceptions.RequestException as error:
            raise OneCError("unreachable", "Ошибка связи с 1С (%s): %s" % (what, error))

    def ping(self):
        return self._guard(lambda: self.service.Ping(), "Ping")

    def get_payments_raw(self, cursor, limit, date_from=None, date_to=None):
        """The zeep answer of GetPayments (for the benchmark)."""
        return self._guard(lambda: self.service.GetPayments(
            Cursor=cursor or "", DateFrom=date_from or EMPTY_DATE, DateTo=date_to or EMPTY_DATE,
            Limit=limit), "GetPayments")

    def get_payments(self, cursor, limit, date_from=None, date_to=None):
        """Documents changed after ``cursor``: (list of dicts, next cursor, more?)."""
        answer = self.get_payments_raw(cursor, limit, date_from, date_to)
        if answer is None:
            raise OneCError("garbage", "1С вернула пустой ответ на GetPayments")
        items = answer.Payments.Payment if answer.Payments is not None else []
        return [payment_to_dict(item) for item in items or []], _text(answer.Cursor), bool(answer.HasMore)

    def get_settlements(self, inn=""):
        answer = self._guard(lambda: self.service.GetSettlements(Date=EMPTY_DATE, CounterpartyINN=inn or ""),
                             "GetSettlements")
        rows = []
        if answer is not None and not isinstance(answer, list):
            answer = answer.Settlement
        for item in answer or []:
            rows.append({
                "inn": _text(item.CounterpartyINN), "kpp": _text(item.CounterpartyKPP),
                "contract_guid": _text(item.ContractGUID), "contract_number": _text(item.ContractNumber),
                "contract_date": _date(item.ContractDate), "currency": _text(item.Currency),
                "balance": item.Balance or Decimal(0),
            })
        return rows
