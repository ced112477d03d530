"""Benchmark of the 1C import (a script, not a test).

    .venv/bin/python bench/bench_receivables.py -d DB [-n 20000] [--batch 1000] [--keep] [--transport odata]

Starts the 1C stand-in on a free loopback port with N new payments of the
database's own clients and contracts, then in one run measures:

1. zeep alone: fetching and parsing every page of GetPayments (the transfer);
2. the Odoo sync of the same pages (fetch + parse + match + store + commit
   per batch): payments per second, and its time over the transfer time;
3. a second sync with nothing changed, against the first.

``--transport odata`` measures the same receipts through the stand-in's
standard OData interface (a connection with transport "odata", БП 3.0):

1. the OData adapter alone (no Odoo) reads them once, and the URLs it GETs
   (the listings and the full fetches, with their $select/$top/$filter,
   the catalogs and the Balance) are recorded;
2. bare HTTP + JSON: plain ``requests`` + ``json.loads`` over those very
   URLs, before and after the Odoo sync (interleaved: the mean of the two);
3. the Odoo sync of the connection (its own fetch + parse time reported too),
   and its time over the bare transfer (goal <= 2);
4. a second sync with nothing changed (goal <= 10 % of the first).

By default the database is left as it was (the import is rolled back);
``--keep`` commits it.
"""
import json
import sys
import time
import uuid
from datetime import date, timedelta

import requests
from common import ROOT, argument_parser, odoo_registry

sys.path.insert(0, ROOT)

from onec import process as onec_process  # noqa: E402 (after the path)


def make_docs(env, count, split_every=5, guids=False):
    """``count`` new receipts of the database's own clients and contracts, in
    contract version 2: each with its РасшифровкаПлатежа lines; every
    ``split_every``-th one pays two contracts of the same client (two lines),
    as one payment order over two invoices does. Contracts are named by
    number (no GUID), so the import matches them as it does an unbound one.
    ``guids``: documents keyed by real GUIDs (OData filters on
    ``Ref_Key eq guid'…'``)."""
    contracts = env["receivables.contract"].search([])
    if not contracts:
        raise SystemExit("the database has no contracts: make it with scripts/db.sh first")
    by_partner = {}
    for contract in contracts:
        by_partner.setdefault(contract.partner_id.id, []).append(contract)
    pairs = [(group[k], group[k + 1]) for group in by_partner.values() for k in range(len(group) - 1)]
    run = uuid.uuid4().hex[:8]
    today = date.today()
    docs = []

    def line(key, contract, amount):
        return {"LineKey": key, "ContractGUID": "", "ContractNumber": contract.name,
                "ContractDate": contract.date + "T00:00:00", "Amount": "%d.00" % amount}

    for i in range(count):
        amount = 1000 + i % 9000
        if split_every and i % split_every == 0 and pairs:
            first, second = pairs[(i // split_every) % len(pairs)]
            lines = [line("1", first, amount - amount // 3), line("2", second, amount // 3)]
            purpose = "Оплата по договорам № %s, № %s" % (first.name, second.name)
        else:
            first = contracts[i % len(contracts)]
            lines = [line("1", first, amount)]
            purpose = "Оплата по договору № %s" % first.name
        partner = first.partner_id
        docs.append({
            "GUID": str(uuid.uuid4()) if guids else "bench-%s-%06d" % (run, i),
            "DocumentType": "ПоступлениеНаРасчетныйСчет",
            "Number": "Б-%06d" % i, "Date": (today - timedelta(days=i % 300)).strftime("%Y-%m-%dT00:00:00"),
            "Posted": True, "DeletionMark": i % 50 == 0, "CounterpartyGUID": "cp-%d" % partner.id,
            "CounterpartyName": partner.name, "CounterpartyINN": partner.vat or "",
            "CounterpartyKPP": partner.kpp or "", "Amount": "%d.00" % amount,
            "Currency": "RUB", "PaymentPurpose": purpose, "Lines": lines,
        })
    return docs


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("-n", "--count", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="commit the imported payments")
    parser.add_argument("--transport", choices=("soap", "odata"), default="soap",
                        help="the 1C web service (default) or the standard OData interface")
    args = parser.parse_args()
    if args.transport == "odata":
        return bench_odata(args)

    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api
    from odoo.addons.receivables.models.common import without_commit
    from odoo.addons.receivables.services.onec_client import OneCClient

    process, url = onec_process.start()
    wsdl = url + "/buh/ws/Payments.1cws?wsdl"
    try:
        with api.Environment.manage(), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            docs = make_docs(env, args.count)
            split = sum(1 for doc in docs if len(doc["Lines"]) > 1)
            lines = sum(len(doc["Lines"]) for doc in docs)
            onec_process.control(url, payments=docs)

            # 1. zeep alone: every page, fetched and parsed.
            client = OneCClient(wsdl, "Обмен", "secret", timeout=120)
            started = time.time()
            cursor, fetched = "0", 0
            while True:
                answer = client.get_payments_raw(cursor, args.batch)
                items = answer.Payments.Payment if answer.Payments is not None else []
                fetched += len(items)
                if not answer.HasMore or not items:
                    break
                cursor = answer.Cursor
            zeep_time = time.time() - started

            # 2. the Odoo sync of the same documents (its own fetch time too).
            fetch_time = [0.0]
            original = OneCClient.get_payments_raw

            def timed(self, *a, **kw):
                begin = time.time()
                try:
                    return original(self, *a, **kw)
                finally:
                    fetch_time[0] += time.time() - begin
            OneCClient.get_payments_raw = timed
            backend = env.ref("receivables.onec_backend_main")
            # Rolled back at the end unless --keep: the sync commits per batch otherwise.
            backend = backend if args.keep else without_commit(backend)
            backend.write({"wsdl_url": wsdl, "endpoint": False, "password": "secret", "cursor": "0",
                           "batch_size": args.batch, "timeout": 120})
            started = time.time()
            log = backend._run_sync(trigger="manual")
            first = time.time() - started
            in_sync_fetch = fetch_time[0]
            # 3. again, nothing changed.
            started = time.time()
            log2 = backend._run_sync(trigger="manual")
            second = time.time() - started
            summary = dict(fetched=log.fetched, created=log.created, cancelled=log.cancelled, failed=log.failed,
                           state=log.state, error=log.error, second_unchanged=log2.unchanged,
                           second_created=log2.created)
            if not args.keep:
                cr.rollback()
    finally:
        onec_process.stop(process)

    print("receivables bench on %s: %d payments, batch %d" % (args.database, args.count, args.batch))
    print("  receipts split over two contracts: %d (%.0f %%), payment lines: %d"
          % (split, 100.0 * split / max(args.count, 1), lines))
    print("  log of the first sync: %s" % summary)
    print("  zeep alone (fetch + parse):      %7.2f s  %8.0f payments/s" % (zeep_time, fetched / zeep_time))
    print("  Odoo sync, first (all new):      %7.2f s  %8.0f payments/s" % (first, args.count / first))
    print("    of which fetch + parse by zeep: %6.2f s" % in_sync_fetch)
    print("  Odoo side on top of the transfer: %6.2f x  (goal <= 2; vs zeep alone)" % ((first - zeep_time) / zeep_time))
    print("  Odoo side on top of the transfer: %6.2f x  (same, vs the sync's own fetch)"
          % ((first - in_sync_fetch) / in_sync_fetch))
    print("  second sync, nothing changed:    %7.2f s  = %.1f %% of the first (goal <= 10 %%)"
          % (second, 100.0 * second / first))


def replay(urls, user="Обмен", password="secret"):
    """Bare HTTP + JSON: GET each URL with plain requests on one keep-alive
    session (UTF-8 Basic credentials, as the adapter sends them) and parse it
    with json.loads. Returns (seconds, rows)."""
    session = requests.Session()
    session.auth = (user.encode("utf-8"), password.encode("utf-8"))
    session.headers.update({"Accept": "application/json", "Accept-Encoding": "gzip, deflate"})
    rows = 0
    started = time.time()
    for url in urls:
        answer = session.get(url, timeout=120)
        answer.raise_for_status()
        rows += len(json.loads(answer.content).get("value") or ())
    return time.time() - started, rows


def bench_odata(args):
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api
    from odoo.addons.receivables.models.common import without_commit
    from odoo.addons.receivables.services.onec_odata import OneCODataClient

    process, url = onec_process.start()
    endpoint = url + "/buh/odata/standard.odata"
    recorded, fetch_time = [], [0.0]
    original_get = OneCODataClient._get

    def recording_get(self, *a, **kw):
        begin = time.time()
        try:
            return original_get(self, *a, **kw)
        finally:
            fetch_time[0] += time.time() - begin
            recorded.append(self.last_url)
    OneCODataClient._get = recording_get
    try:
        with api.Environment.manage(), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            docs = make_docs(env, args.count, guids=True)
            split = sum(1 for doc in docs if len(doc["Lines"]) > 1)
            lines = sum(len(doc["Lines"]) for doc in docs)
            onec_process.control(url, reset=True, configuration="bp30", payments=docs)

            # 1. The adapter alone (no Odoo): what it reads, recorded.
            client = OneCODataClient(endpoint, "Обмен", "secret", timeout=120, configuration="bp30")
            started = time.time()
            adapter_docs = sum(len(page) for page, _state in client.read_changes("", args.batch, 30, None))
            client.get_settlements()
            adapter_time = time.time() - started
            urls = list(recorded)

            # 2. Bare HTTP + JSON over the same URLs, then 3. the Odoo sync, then 2 again.
            bare1, bare_rows = replay(urls)
            backend = env.ref("receivables.onec_backend_main")
            backend = backend if args.keep else without_commit(backend)
            backend.write({"transport": "odata", "configuration": "bp30", "endpoint": endpoint,
                           "username": "Обмен", "password": "secret", "cursor": "", "batch_size": args.batch,
                           "timeout": 120, "overlap_days": 30})
            del recorded[:]
            fetch_time[0] = 0.0
            started = time.time()
            log = backend._run_sync(trigger="manual")
            first = time.time() - started
            in_sync_fetch, in_sync_requests = fetch_time[0], len(recorded)
            bare2, _rows = replay(urls)
            bare = (bare1 + bare2) / 2
            # 4. Again, nothing changed.
            del recorded[:]
            started = time.time()
            log2 = backend._run_sync(trigger="manual")
            second = time.time() - started
            second_requests = len(recorded)
            summary = dict(fetched=log.fetched, created=log.created, cancelled=log.cancelled, failed=log.failed,
                           state=log.state, error=log.error, second_unchanged=log2.unchanged,
                           second_created=log2.created, second_fetched=log2.fetched, cursor=backend.cursor)
            if not args.keep:
                cr.rollback()
    finally:
        OneCODataClient._get = original_get
        onec_process.stop(process)

    print("receivables bench (OData) on %s: %d payments, batch %d" % (args.database, args.count, args.batch))
    print("  receipts split over two contracts: %d (%.0f %%), payment lines: %d"
          % (split, 100.0 * split / max(args.count, 1), lines))
    print("  log of the first sync: %s" % summary)
    print("  adapter alone (no Odoo):          %7.2f s  %8.0f payments/s  (%d requests, %d docs)"
          % (adapter_time, adapter_docs / adapter_time, len(urls), adapter_docs))
    print("  bare HTTP + json.loads, same URLs: %6.2f s  (before the sync %.2f s, after %.2f s; %d rows)"
          % (bare, bare1, bare2, bare_rows))
    print("  Odoo sync, first (all new):      %7.2f s  %8.0f payments/s  (%d requests)"
          % (first, args.count / first, in_sync_requests))
    print("    of which the adapter's HTTP + JSON: %6.2f s" % in_sync_fetch)
    print("  Odoo side on top of the transfer: %6.2f x  (goal <= 2; vs bare HTTP + JSON)" % ((first - bare) / bare))
    print("  Odoo side on top of the transfer: %6.2f x  (same, vs the sync's own HTTP + JSON)"
          % ((first - in_sync_fetch) / in_sync_fetch))
    print("  second sync, nothing changed:    %7.2f s  = %.1f %% of the first (goal <= 10 %%; %d requests)"
          % (second, 100.0 * second / first, second_requests))


if __name__ == "__main__":
    main()
