# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real 1C stand-in (onec/server.py of the repository) in a subprocess on
a free loopback port, and the records the tests share."""
import json
import os
import socket
import subprocess
import sys
import time
import unittest
from datetime import date, timedelta

import requests

from odoo.tests.common import SavepointCase

from ..models.common import without_commit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EMPTY = "0001-01-01T00:00:00"


class StandIn(object):
    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.wsdl = self.url + "/buh/ws/Payments.1cws?wsdl"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "onec.server", "--host", "127.0.0.1", "--port", str(self.port),
             "--data", os.path.join(ROOT, "no-such-file.json")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                requests.get(self.url + "/__control__", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the 1C stand-in did not start")

    def control(self, **values):
        answer = requests.post(self.url + "/__control__", data=json.dumps(values), timeout=5)
        answer.raise_for_status()
        return answer.json()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def counterparty_guid(inn):
    """The counterparty's reference in the stand-in's 1C (a GUID, as 1C's)."""
    return "c0a7e000-0000-4000-8000-%012d" % int(inn or 0)


def doc(guid, inn, amount, day=None, number="1", kpp="", contract=None, **extra):
    values = {
        "GUID": guid, "DocumentType": "ПоступлениеНаРасчетныйСчет", "Number": number,
        "Date": (day or date.today()).strftime("%Y-%m-%dT00:00:00"), "Posted": True, "DeletionMark": False,
        "CounterpartyGUID": counterparty_guid(inn), "CounterpartyName": "Контрагент " + inn,
        "CounterpartyINN": inn, "CounterpartyKPP": kpp,
        "ContractGUID": "", "ContractNumber": contract.name if contract else "",
        "ContractDate": (contract.date + "T00:00:00") if contract else EMPTY,
        "Amount": "%.2f" % amount, "Currency": "RUB", "PaymentPurpose": "Оплата по договору",
    }
    values.update(extra)
    return values


def split(guid, inn, parts, day=None, number="1", **extra):
    """A receipt that pays several contracts: ``parts`` are (line key,
    contract, amount); the document's amount is their sum."""
    lines = [{"LineKey": key, "ContractGUID": contract.onec_guid or "", "ContractNumber": contract.name,
              "ContractDate": contract.date + "T00:00:00", "Amount": "%.2f" % amount}
             for key, contract, amount in parts]
    values = doc(guid, inn, sum(amount for _k, _c, amount in parts), day=day, number=number, **extra)
    values.update({"ContractNumber": "", "ContractDate": EMPTY, "Lines": lines})
    values.update(extra)
    return values


def sale(guid, contract, amount, day=None, amount_rub=None, **extra):
    """A sale in 1C (РеализацияТоваровУслуг): the debit of account 62."""
    values = {"GUID": guid, "Date": (day or date.today()).strftime("%Y-%m-%dT00:00:00"),
              "ContractGUID": contract.onec_guid, "Amount": "%.2f" % amount, "Posted": True}
    if amount_rub is not None:
        values["AmountRUB"] = "%.2f" % amount_rub
    values.update(extra)
    return values


def contract_json(contract, currency="RUB"):
    """The contract as the stand-in's infobase knows it."""
    partner = contract.partner_id.commercial_partner_id
    return {"ContractGUID": contract.onec_guid, "ContractNumber": contract.name,
            "ContractDate": contract.date + "T00:00:00", "CounterpartyGUID": counterparty_guid(partner.vat),
            "CounterpartyName": partner.name, "CounterpartyINN": partner.vat or "",
            "CounterpartyKPP": partner.kpp or "", "Currency": currency}


def rouble_company(env):
    """The tests are those of a company that keeps its books in roubles, as
    1C does (contracts, receipts and 1C's balances in roubles). On a
    database whose company keeps them in another currency (Odoo's demo
    data), the company is switched to roubles within the test's transaction,
    which rolls it back: through SQL, as the ORM refuses it once journal
    items exist (Odoo's demo ones, which no test here reads)."""
    company = env.user.company_id
    rub = env.ref("base.RUB")
    if company.currency_id == rub:
        return
    rub.active = True
    env.cr.execute("UPDATE res_company SET currency_id = %s WHERE id = %s", (rub.id, company.id))
    env.cr.execute("UPDATE account_journal SET currency_id = NULL WHERE company_id = %s AND currency_id = %s",
                   (company.id, rub.id))
    env.cache.invalidate()


class ReceivablesCase(SavepointCase):
    @classmethod
    def setUpClass(cls):
        super(ReceivablesCase, cls).setUpClass()
        cls.stand_in = None
        try:
            cls.set_up_records()
        except BaseException:
            # unittest skips tearDownClass when setUpClass fails: without this
            # the class's open transaction would block the next class.
            cls.tearDownClass()
            raise

    @classmethod
    def set_up_records(cls):
        if not os.path.exists(os.path.join(ROOT, "onec", "server.py")):
            raise unittest.SkipTest("the 1C stand-in is not in this checkout")
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True, lang="en_US"))
        rouble_company(cls.env)
        Users = cls.env["res.users"]
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        cls.team_a = cls.env["crm.team"].create({"name": "Команда А"})
        cls.team_b = cls.env["crm.team"].create({"name": "Команда Б"})
        cls.leader = Users.create({"name": "Лидер", "login": "rcv_leader", "groups_id": [(6, 0, [salesman.id])],
                                   "sale_team_id": cls.team_a.id})
        cls.team_a.user_id = cls.leader
        cls.manager_a = Users.create({"name": "Менеджер А", "login": "rcv_man_a",
                                      "groups_id": [(6, 0, [salesman.id])], "sale_team_id": cls.team_a.id})
        cls.manager_b = Users.create({"name": "Менеджер Б", "login": "rcv_man_b",
                                      "groups_id": [(6, 0, [salesman.id])], "sale_team_id": cls.team_b.id})
        cls.head = Users.create({"name": "Руководитель", "login": "rcv_head",
                                 "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])]})
        cls.accountant = Users.create({"name": "Бухгалтер", "login": "rcv_acc",
                                       "groups_id": [(6, 0, [cls.env.ref("account.group_account_invoice").id])]})
        Partner = cls.env["res.partner"]
        cls.client_a = Partner.create({"name": "ООО «Альфа»", "is_company": True, "vat": "7701000011",
                                       "kpp": "770101001"})
        cls.client_b = Partner.create({"name": "ООО «Бета»", "is_company": True, "vat": "7701000022",
                                       "kpp": "770101001"})
        today = date.today()
        cls.today = today
        Contract = cls.env["receivables.contract"]
        cls.contract_a = Contract.create({
            "name": "RCV-A/1", "date": (today - timedelta(days=90)).strftime("%Y-%m-%d"),
            "partner_id": cls.client_a.id, "user_id": cls.manager_a.id,
            "line_ids": [(0, 0, {"date": (today - timedelta(days=60)).strftime("%Y-%m-%d"), "amount": 100000}),
                         (0, 0, {"date": (today - timedelta(days=30)).strftime("%Y-%m-%d"), "amount": 100000}),
                         (0, 0, {"date": (today + timedelta(days=400)).strftime("%Y-%m-%d"), "amount": 50000})],
        })
        cls.contract_b = Contract.create({
            "name": "RCV-B/1", "date": (today - timedelta(days=10)).strftime("%Y-%m-%d"),
            "partner_id": cls.client_b.id, "user_id": cls.manager_b.id,
            "line_ids": [(0, 0, {"date": (today + timedelta(days=200)).strftime("%Y-%m-%d"), "amount": 70000})],
        })
        cls.stand_in = StandIn()
        cls.backend = cls.env.ref("receivables.onec_backend_main")
        cls.backend.write({"wsdl_url": cls.stand_in.wsdl, "username": "Обмен", "password": "secret",
                           "timeout": 5, "cursor": False, "batch_size": 500})

    @classmethod
    def tearDownClass(cls):
        if cls.stand_in:
            cls.stand_in.stop()
        super(ReceivablesCase, cls).tearDownClass()

    def setUp(self):
        super(ReceivablesCase, self).setUp()
        self.stand_in.control(reset=True, payments=[], contracts=[], sales=[])

    def sync(self, backend=None):
        return without_commit(backend or self.backend)._run_sync()

    def payments(self, **domain):
        return self.env["receivables.payment"].search([(k, "=", v) for k, v in domain.items()])
