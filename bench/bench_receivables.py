"""Benchmark of the 1C import (a script, not a test).

    .venv/bin/python bench/bench_receivables.py -d DB [-n 20000] [--batch 1000] [--keep]

Starts the 1C stand-in on a free loopback port with N new payments of the
database's own clients and contracts, then in one run measures:

1. zeep alone: fetching and parsing every page of GetPayments (the transfer);
2. the Odoo sync of the same pages (fetch + parse + match + store + commit
   per batch): payments per second, and its time over the transfer time;
3. a second sync with nothing changed, against the first.

By default the database is left as it was (the import is rolled back);
``--keep`` commits it.
"""
import sys
import time
import uuid
from datetime import date, timedelta

from common import ROOT, argument_parser, odoo_registry

sys.path.insert(0, ROOT)

from onec import process as onec_process  # noqa: E402 (after the path)


def make_docs(env, count, split_every=5):
    """``count`` new receipts of the database's own clients and contracts, in
    contract version 2: each with its РасшифровкаПлатежа lines; every
    ``split_every``-th one pays two contracts of the same client (two lines),
    as one payment order over two invoices does. Contracts are named by
    number (no GUID), so the import matches them as it does an unbound one."""
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
            "GUID": "bench-%s-%06d" % (run, i), "DocumentType": "ПоступлениеНаРасчетныйСчет",
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
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
