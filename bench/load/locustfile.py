"""The load benchmark's users (Locust, run by scripts/load.sh; not a test).

Salesmen open the pipeline, a deal and its Communications tab, log a call
activity as done and send a message; the head opens the dashboard, the
touches pivot, plan against actual, the payment schedule and approves from
the kanban; the PBX posts bursts of call webhooks, each event delivered
twice at the same moment, and the messenger gateway posts messages; one
user asks 1C for a sync in the middle of the run. People think 2-10 s
between actions.

Only loopback addresses are accepted; the run stops by itself after
LOAD_MAX_REQUESTS requests (and Locust's own --run-time). What was sent and
acknowledged is written to LOAD_RECORD (JSON lines) for check.py: every
webhook event sent, with what each of its two deliveries was answered (a
delivery cut by a worker is status 0, not an acknowledgement).
"""
import itertools
import json
import os
import random
import threading
import time
import uuid
from urllib.parse import urlparse

import gevent
from locust import HttpUser, between, events, task

DATA = json.load(open(os.environ["LOAD_DATA"]))
NODES = [url.rstrip("/") for url in os.environ.get("LOAD_NODES", "http://127.0.0.1:8069").split(",")]
for _node in NODES:
    if urlparse(_node).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load benchmark sends traffic to this machine's loopback only: %s" % _node)
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
RUN = os.environ.get("LOAD_RUN", uuid.uuid4().hex[:8])
SYNC_AFTER = float(os.environ.get("LOAD_SYNC_AFTER", "60"))
RECORD = open(os.environ["LOAD_RECORD"], "a")
_record_lock = threading.Lock()
_salesmen = itertools.cycle(DATA["salesmen"])
_sequence = itertools.count(1)
_requests = itertools.count(1)


def record(kind, **values):
    """One line for check.py: a webhook event sent (with its answers), or an
    activity, a 1C document, an approval the server acknowledged."""
    with _record_lock:
        RECORD.write(json.dumps(dict(values, kind=kind, run=RUN)) + "\n")
        RECORD.flush()


def node():
    """Any node for any request: nothing is sticky (the sessions are in the
    shared data_dir)."""
    return random.choice(NODES)


FAILED = object()  # what rpc() answers for a failed call (None is a method's answer)
ENVIRONMENT = []


@events.init.add_listener
def _keep_environment(environment, **_kwargs):
    ENVIRONMENT.append(environment)


@events.request.add_listener
def _bounded(**_kwargs):
    if next(_requests) == MAX_REQUESTS and ENVIRONMENT:
        gevent.spawn(ENVIRONMENT[0].runner.quit)


class _Odoo(HttpUser):
    """A user of the web client over JSON-RPC, as the browser calls it."""
    abstract = True
    host = NODES[0]
    wait_time = between(2, 10)

    def rpc(self, name, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(_sequence), "params": params}
        with self.client.post(node() + path, json=payload, name=name, catch_response=True) as answer:
            try:
                body = answer.json()
            except ValueError:
                answer.failure("HTTP %s, not JSON" % answer.status_code)
                return FAILED
            if answer.status_code != 200 or body.get("error"):
                error = body.get("error") or {}
                answer.failure("%s %s" % (answer.status_code, (error.get("data") or {}).get("message")
                                          or error.get("message")))
                return FAILED
            return body.get("result")

    def call(self, name, model, method, *args, **kwargs):
        return self.rpc(name, "/web/dataset/call_kw/%s/%s" % (model, method),
                        {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def login(self, login, password):
        result = self.rpc("login", "/web/session/authenticate",
                          {"db": DATA["database"], "login": login, "password": password})
        result = result if isinstance(result, dict) else {}
        self.uid = result.get("uid")
        self.user_context = result.get("user_context") or {}


class Salesman(_Odoo):
    weight = 50

    def on_start(self):
        self.me = next(_salesmen)
        self.login(self.me["login"], self.me["password"])

    @task(3)
    def pipeline(self):
        domain = [["type", "=", "opportunity"], ["user_id", "=", self.uid]]
        self.call("salesman: pipeline", "crm.lead", "read_group", domain, ["planned_revenue", "stage_id"], ["stage_id"],
                  lazy=True, context=self.user_context)
        self.call("salesman: pipeline", "crm.lead", "search_read", domain,
                  ["name", "partner_id", "planned_revenue", "stage_id", "user_id", "activity_state"],
                  limit=80, context=self.user_context)

    @task(3)
    def deal_and_communications(self):
        lead = random.choice(self.me["leads"])
        self.call("salesman: deal", "crm.lead", "read", [lead],
                  ["name", "partner_id", "stage_id", "planned_revenue", "probability", "user_id", "team_id",
                   "message_ids", "activity_ids"], context=self.user_context)
        self.call("salesman: communications tab", "crm.lead", "read", [lead], ["communication_timeline"],
                  context=self.user_context)

    @task(2)
    def log_call_done(self):
        lead = random.choice(self.me["leads"])
        summary = "load %s call %d" % (RUN, next(_sequence))
        model = self.call("salesman: log call done", "ir.model", "search", [["model", "=", "crm.lead"]],
                          context=self.user_context)
        if model is FAILED or not model:
            return
        activity = self.call("salesman: log call done", "mail.activity", "create", {
            "res_model_id": model[0], "res_model": "crm.lead", "res_id": lead,
            "activity_type_id": DATA["call_activity_type"], "summary": summary,
            "date_deadline": time.strftime("%Y-%m-%d"), "user_id": self.uid}, context=self.user_context)
        if activity is FAILED:
            return
        done = self.call("salesman: log call done", "mail.activity", "action_feedback", [activity],
                         feedback="Договорились о встрече", context=self.user_context)
        if done is not FAILED:
            record("activity", summary=summary, lead=lead, login=self.me["login"])

    @task(1)
    def send_message(self):
        lead = random.choice(self.me["leads"])
        self.call("salesman: send message", "crm.lead", "message_post", [lead],
                  body="Нагрузка %s: письмо клиенту %d" % (RUN, next(_sequence)), message_type="comment",
                  subtype="mail.mt_comment", context=self.user_context)


class Head(_Odoo):
    weight = 1
    fixed_count = 1

    def on_start(self):
        self.login(DATA["head"]["login"], DATA["head"]["password"])

    @task(2)
    def dashboard(self):
        self.rpc("head: dashboard", "/web/action/load", {"action_id": "sales_control.head_dashboard_action"})
        self.call("head: dashboard", "sales.touch", "read_group", [], ["duration", "user_id"], ["user_id"], lazy=False,
                  context=self.user_context)

    @task(2)
    def touches_pivot(self):
        self.call("head: touches pivot", "sales.touch", "read_group", [], ["duration", "user_id", "date"],
                  ["user_id", "date:day"], lazy=False, context=self.user_context)

    @task(2)
    def plan_vs_actual(self):
        self.call("head: plan vs actual", "sales.plan.report", "read_group", [],
                  ["plan_amount", "actual_amount", "user_id", "date_range_id"], ["user_id", "date_range_id"],
                  lazy=False, context=self.user_context)

    @task(1)
    def payment_schedule(self):
        self.call("head: payment schedule", "receivables.schedule.line", "read_group", [],
                  ["amount", "allocated", "date"], ["date:month"], lazy=False, context=self.user_context)

    @task(1)
    def approve_from_kanban(self):
        waiting = self.call("head: approvals kanban", "deal.approval.request", "search_read",
                            [["state", "=", "waiting"], ["is_my_turn", "=", True]], ["name", "state", "lead_id"],
                            limit=40,
                            context=self.user_context)
        if waiting is not FAILED and waiting:
            request = random.choice(waiting)
            if self.call("head: approve", "deal.approval.request", "action_approve", [request["id"]],
                         context=self.user_context) is not FAILED:
                record("approval", id=request["id"])


class Pbx(HttpUser):
    """The PBX and the messenger gateway: bursts of events, each delivered
    twice at the same moment (a PBX retrying before its first delivery was
    answered)."""
    weight = 1
    fixed_count = 1
    host = NODES[0]
    wait_time = between(2, 10)
    burst = int(os.environ.get("LOAD_BURST", "10"))

    def _post(self, path, token, payload, name):
        """What the server answered this delivery: ``{"status": HTTP status,
        "touch_id", "duplicate"}``; status 0 with ``error`` when the delivery
        was cut (Locust answers a ``RemoteDisconnected`` or a
        ``ConnectionResetError`` with status 0, which is not an
        acknowledgement)."""
        with self.client.post(node() + path, json=payload, name=name, catch_response=True,
                              headers={"X-Sales-Token": token}) as answer:
            status = answer.status_code or 0
            if not status:
                error = type(getattr(answer, "error", None)).__name__
                answer.failure("cut: %s" % error)
                return {"status": 0, "error": error}
            try:
                body = answer.json()
            except ValueError:
                body = None
            if not 200 <= status < 300 or not isinstance(body, dict) or body.get("status") != "ok":
                answer.failure("HTTP %s %s" % (status, answer.text[:200]))
                return {"status": status, "error": (body or {}).get("error") if isinstance(body, dict) else "not JSON"}
            return {"status": status, "touch_id": body.get("touch_id"), "duplicate": body.get("duplicate")}

    def _twice(self, path, token, payload, name, kind, key):
        """Both deliveries, then one line for check.py with what each was
        answered: every event sent is recorded, acknowledged or not, once
        both answers are in (check.py decides what was acknowledged)."""
        results = []
        greenlets = [gevent.spawn(lambda: results.append(self._post(path, token, payload, name)))
                     for _copy in range(2)]
        gevent.joinall(greenlets)
        record(kind, id=payload[key], answers=results)

    @task(2)
    def call_burst(self):
        salesmen = random.sample(DATA["salesmen"], min(self.burst, len(DATA["salesmen"])))
        jobs = []
        for salesman in salesmen:
            payload = {"call_id": "load-%s-%d" % (RUN, next(_sequence)), "direction": random.choice(["in", "out"]),
                       "from": random.choice(salesman["phones"]), "to": "+7 (495) 120-45-00",
                       "start": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
                       "duration": random.randint(0, 600), "manager_login": salesman["login"]}
            if payload["direction"] == "out":
                payload["from"], payload["to"] = payload["to"], payload["from"]
            jobs.append(gevent.spawn(self._twice, "/sales_control/webhook/call", DATA["pbx_token"], payload,
                                     "pbx: call webhook", "call", "call_id"))
        gevent.joinall(jobs)

    @task(1)
    def messages(self):
        jobs = []
        for salesman in random.sample(DATA["salesmen"], min(3, len(DATA["salesmen"]))):
            payload = {"message_id": "load-%s-m%d" % (RUN, next(_sequence)), "channel": "Telegram",
                       "direction": "in", "phone": random.choice(salesman["phones"]),
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "text": "Добрый день! Пришлите КП", "manager_login": salesman["login"]}
            jobs.append(gevent.spawn(self._twice, "/sales_control/webhook/message", DATA["messenger_token"],
                                     payload, "messenger: message webhook", "message", "message_id"))
        gevent.joinall(jobs)


class OneC(_Odoo):
    """1C gets new receipts and the accountant's side syncs once, in the
    middle of the run (run_sync: the sync in this request, as a cron would)."""
    weight = 1
    fixed_count = 1
    wait_time = between(5, 10)
    documents = int(os.environ.get("LOAD_ONEC_DOCS", "200"))

    def on_start(self):
        self.started = time.time()
        self.done = False
        self.login(DATA["head"]["login"], DATA["head"]["password"])

    @task
    def sync_in_the_middle(self):
        if self.done or time.time() - self.started < SYNC_AFTER:
            return
        self.done = True
        payer = DATA["payer"]
        docs = [{"GUID": "load-%s-%05d" % (RUN, n), "DocumentType": "ПоступлениеНаРасчетныйСчет",
                 "Number": "НГ-%05d" % n, "Date": time.strftime("%Y-%m-%dT00:00:00"), "Posted": True,
                 "DeletionMark": False, "CounterpartyGUID": "c0a7e000-0000-4000-8000-%012d" % int(payer["inn"]),
                 "CounterpartyName": payer["name"],
                 "CounterpartyINN": payer["inn"], "CounterpartyKPP": "", "ContractGUID": "", "ContractNumber": "",
                 "ContractDate": "0001-01-01T00:00:00", "Amount": "%.2f" % (1000 + n), "Currency": "RUB",
                 "PaymentPurpose": "Оплата (нагрузка)"} for n in range(self.documents)]
        control = "http://127.0.0.1:%d/__control__" % DATA["onec_port"]
        self.client.post(control, data=json.dumps({"upsert": docs}), name="1C: new receipts")
        for doc in docs:
            record("onec", guid=doc["GUID"])
        log = self.call("1C: sync", "receivables.onec.backend", "run_sync", [DATA["backend"]],
                        context=self.user_context)
        if log is not FAILED:
            record("onec_log", id=log)
