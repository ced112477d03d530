"""Issue 12, without Locust: call webhook events delivered twice at the same
moment against a node of the production profile, then the database.

Starts one node (scripts/node.sh, production profile, ``--workers`` workers)
on ``--db`` and ``--port`` (loopback only), posts ``--events`` call events,
each delivered twice concurrently, ``--pairs`` events at a time (missed
incoming calls, which schedule a call-back activity, and calls with an inlined
recording among them) and records every answer (status, touch_id,
duplicate, or the error that cut it). Then it checks the database:

- every acknowledged event (one delivery or both answered 2xx) has exactly
  one touch (``source = 'telephony' AND external_ref = call_id``);
- every ``touch_id`` answered exists, with that ``external_ref``;
- no event of the run has two touches (acknowledged or not);
- every missed incoming call recorded on a client has its call-back activity.

``--set option=value`` passes options of the profile to the node (e.g.
``--set limit_request=20 --set limit_time_real=3`` recycles the workers and
kills them in the middle of requests). Stops after ``--events`` events or
``--max-seconds``, whichever comes first. Prints the table of the run; exit
status 1 on any loss, double or wrong answer. Not part of make test:

    .venv/bin/python bench/load/webhook_race.py --db sales_race --port 18369 \
        --events 2000 --set limit_request=30 --set limit_time_real=4
"""
import argparse
import base64
import collections
import concurrent.futures
import configparser
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOOPBACK = "127.0.0.1"
PATH = "/sales_control/webhook/call"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sales_race")
    parser.add_argument("--port", type=int, default=18369)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=16, help="events delivered at a time (each twice)")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--timeout", type=float, default=120, help="seconds a delivery may wait for its answer")
    parser.add_argument("--missed", type=float, default=0.3, help="share of missed incoming calls")
    parser.add_argument("--recordings", type=float, default=0.1, help="share of calls with recording_base64")
    parser.add_argument("--clients", type=int, default=6, help="clients the calls come from (fewer: more contention)")
    parser.add_argument("--set", action="append", default=[], dest="sets", metavar="OPTION=VALUE")
    parser.add_argument("--token", default="demo-pbx-token")
    parser.add_argument("--node", default="race", help="scripts/node.sh name of the node")
    parser.add_argument("--no-node", action="store_true", help="post to a node already running on --port")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", help="write the run's answers and result here")
    parser.add_argument("--recheck", metavar="JSON", help="check the database again against the answers of a "
                        "former run (its --json file); posts nothing")
    return parser.parse_args()


def connect(database):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(os.path.join(ROOT, ".local", "odoo.conf"))
    options = conf["options"]
    return psycopg2.connect(dbname=database, host=options.get("db_host", LOOPBACK),
                            port=options.get("db_port", "55432"), user=options.get("db_user", "odoo"),
                            password=options.get("db_password") or None)


def clients(cnx, count):
    """(phone, salesperson's login) of clients with an open deal."""
    with cnx.cursor() as cr:
        cr.execute("""
            SELECT DISTINCT ON (p.id) p.phone, u.login
              FROM crm_lead l
              JOIN res_partner p ON p.id = l.partner_id
              JOIN res_users u ON u.id = l.user_id
             WHERE l.active AND l.type = 'opportunity' AND l.probability < 100
               AND p.phone IS NOT NULL AND p.phone != ''
             ORDER BY p.id
             LIMIT %s""", (count,))
        return cr.fetchall()


def node(action, args):
    command = ["bash", os.path.join(ROOT, "scripts", "node.sh"), action, args.node]
    if action == "start":
        command += ["--db", args.db, "--port", str(args.port), "--lp-port", str(args.port + 3),
                    "--workers", str(args.workers), "--no-runner"]
        for assignment in args.sets:
            command += ["--set", assignment]
    subprocess.run(command, check=True, cwd=ROOT)


def post(args, payload):
    """One delivery: (status, answer's JSON or None, error name or None)."""
    body = json.dumps(payload).encode("utf-8")
    connection = http.client.HTTPConnection(LOOPBACK, args.port, timeout=args.timeout)
    try:
        connection.request("POST", PATH, body=body, headers={
            "Content-Type": "application/json", "X-Sales-Token": args.token})
        response = connection.getresponse()
        text = response.read()
        try:
            answer = json.loads(text.decode("utf-8"))
        except ValueError:
            answer = None
        return response.status, answer, None
    except (OSError, http.client.HTTPException) as error:
        # RemoteDisconnected, ConnectionResetError, a timeout: the delivery was cut.
        return None, None, type(error).__name__
    finally:
        connection.close()


def deliver_twice(args, payload):
    """The event delivered twice at the same moment (a PBX retrying)."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def one(index):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        results[index] = post(args, payload)

    twin = threading.Thread(target=one, args=(1,))
    twin.start()
    one(0)
    twin.join()
    return results


def make_event(args, run, number, rng, phones):
    phone, login = rng.choice(phones)
    kind = rng.random()
    payload = {"call_id": "race-%s-%05d" % (run, number), "to": "+7 (495) 120-45-00",
               "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "manager_login": login}
    if kind < args.missed:
        payload.update({"direction": "in", "from": phone, "duration": 0, "answered": False, "manager_login": ""})
        kind = "missed"
    else:
        payload.update({"direction": rng.choice(["in", "out"]), "from": phone, "duration": rng.randint(5, 600)})
        if payload["direction"] == "out":
            payload["from"], payload["to"] = payload["to"], payload["from"]
        kind = "answered"
        if rng.random() < args.recordings / (1 - args.missed):
            payload["recording_base64"] = base64.b64encode(os.urandom(rng.randint(2000, 60000))).decode()
            payload["recording_filename"] = "race-%05d.mp3" % number
            kind = "recording"
    return kind, payload


def classify(result):
    status, answer, error = result
    if error:
        return "cut (%s)" % error
    if 200 <= status < 300:
        return "2xx duplicate" if (answer or {}).get("duplicate") else "2xx new"
    return "%d %s" % (status, ((answer or {}).get("error") or "")[:40])


def check(cnx, run, events):
    """The database against the answers: (table rows, problems)."""
    with cnx.cursor() as cr:
        cr.execute("""SELECT external_ref, array_agg(id ORDER BY id), array_agg(lead_id ORDER BY id),
                             array_agg(partner_id ORDER BY id), array_agg(user_id ORDER BY id)
                        FROM sales_touch
                       WHERE source = 'telephony' AND external_ref LIKE %s
                       GROUP BY external_ref""", ("race-%s-%%" % run,))
        touches = {ref: (ids, leads, partners, users) for ref, ids, leads, partners, users in cr.fetchall()}
        answered_ids = sorted({answer["touch_id"] for event in events for _s, answer, _e in event["results"]
                               if answer and answer.get("touch_id")})
        cr.execute("SELECT id, external_ref, source FROM sales_touch WHERE id = ANY(%s)", (answered_ids,))
        by_id = {row[0]: row[1:] for row in cr.fetchall()}
        # The call-back activity of a missed call is made in the touch's
        # transaction: the same create_date (the transaction's now()), on the
        # touch's deal, else its client. Exact per touch, whatever else runs
        # on the database at the same time.
        cr.execute("""SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
                        FROM (SELECT (SELECT count(*) FROM mail_activity a
                                       WHERE a.activity_type_id = (
                                             SELECT res_id FROM ir_model_data
                                              WHERE module = 'sales_control' AND name = 'mail_activity_type_call')
                                         AND a.create_date = t.create_date
                                         AND ((a.res_model = 'crm.lead' AND a.res_id = t.lead_id)
                                              OR (a.res_model = 'res.partner' AND a.res_id = t.partner_id
                                                  AND t.lead_id IS NULL))) AS n
                                FROM sales_touch t
                               WHERE t.source = 'telephony' AND t.external_ref LIKE %s
                                 AND t.direction = 'in' AND NOT t.answered) per_touch""",
                   ("race-%s-%%" % run,))
        activities, doubled_activities = cr.fetchone()
    counts = collections.Counter()
    problems = []
    missed_recorded = 0
    for event in events:
        ref = event["payload"]["call_id"]
        found = touches.get(ref, ([], [], [], []))
        acknowledged = [answer for status, answer, _e in event["results"] if status and 200 <= status < 300]
        counts["events"] += 1
        counts["acknowledged"] += bool(acknowledged)
        counts["acknowledged by both"] += len(acknowledged) == 2
        counts["not acknowledged, recorded"] += (not acknowledged and len(found[0]) == 1)
        counts["not acknowledged, not recorded"] += (not acknowledged and not found[0])
        if acknowledged and not found[0]:
            counts["LOST (2xx, no touch)"] += 1
            problems.append("lost %s (%s): answered %s" % (ref, event["kind"], event["results"]))
        if len(found[0]) > 1:
            counts["DOUBLED"] += 1
            problems.append("doubled %s: touches %s" % (ref, found[0]))
        for answer in acknowledged:
            touch_id = (answer or {}).get("touch_id")
            row = by_id.get(touch_id)
            if not row or row[0] != ref or row[1] != "telephony":
                counts["WRONG touch_id answered"] += 1
                problems.append("%s answered touch %s, which is %s" % (ref, touch_id, row))
        if event["kind"] == "missed" and found[0] and (found[1][0] or found[2][0]) and found[3][0]:
            missed_recorded += 1
    counts["missed calls on a client recorded"] = missed_recorded
    counts["call-back activities made"] = activities
    counts["CALL-BACKS DOUBLED"] = doubled_activities
    if activities != missed_recorded or doubled_activities:
        problems.append("%d missed calls on a client recorded, %d with their call-back activity, %d with two"
                        % (missed_recorded, activities, doubled_activities))
    return counts, problems


def worker_events(log_path, offset):
    """What the node's log says about its workers during the run."""
    found = collections.Counter()
    if not os.path.exists(log_path):
        return found
    with open(log_path, "rb") as handle:
        handle.seek(offset)
        for line in handle:
            text = line.decode("utf-8", "replace")
            if "max request" in text:
                found["workers recycled (limit_request)"] += 1
            elif "timeout after" in text:
                found["workers killed (limit_time_real)"] += 1
            elif "virtual memory" in text and "Worker" in text:
                found["workers recycled (memory)"] += 1
            elif "CPU time limit" in text:
                found["CPU time limit"] += 1
            elif " ERROR " in text or "Traceback" in text:
                found["ERROR lines in the log"] += 1
    return found


def main():
    args = parse_args()
    run = uuid.uuid4().hex[:6]
    rng = random.Random(args.seed)
    log_path = os.path.join(ROOT, ".local", "log", "odoo-%s.log" % args.node)
    cnx = connect(args.db)
    cnx.autocommit = True
    if args.recheck:
        with open(args.recheck) as handle:
            former = json.load(handle)
        counts, problems = check(cnx, former["run"], former["events"])
        print("webhook race %s (%s), checked again:" % (former["run"], " ".join(former["sets"]) or "profile"))
        for name, number in sorted(counts.items()):
            print("  %-42s %8d" % (name, number))
        print("FAILED:\n  " + "\n  ".join(problems[:20]) if problems else "check: as it should be")
        return 1 if problems else 0
    phones = clients(cnx, args.clients)
    if not phones:
        raise SystemExit("no client with an open deal and a phone in %s" % args.db)
    if not args.no_node:
        node("start", args)
    offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    events = []
    deadline = time.time() + args.max_seconds
    begin = time.time()
    try:
        with concurrent.futures.ThreadPoolExecutor(args.pairs) as pool:
            futures = {}
            for number in range(args.events):
                kind, payload = make_event(args, run, number, rng, phones)
                event = {"kind": kind, "payload": payload}
                events.append(event)
                futures[pool.submit(deliver_twice, args, payload)] = event
                # Bounded in time as well: stop handing out events after the deadline.
                while len(futures) - sum(f.done() for f in futures) >= args.pairs * 2:
                    time.sleep(0.01)
                if time.time() > deadline:
                    break
            for future, event in futures.items():
                event["results"] = future.result()
    finally:
        seconds = time.time() - begin
        if not args.no_node:
            node("stop", args)
    # The node is stopped: nothing is still being written.
    counts, problems = check(cnx, run, events)
    answers = collections.Counter(classify(result) for event in events for result in event["results"])
    counts.update(worker_events(log_path, offset))
    kinds = collections.Counter(event["kind"] for event in events)
    print("\nwebhook race %s on %s: %d workers, %s; %d events (%s) in %.0f s, each twice, %d at a time" % (
        run, args.db, args.workers, " ".join(args.sets) or "the profile's limits", len(events),
        ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items())), seconds, args.pairs))
    print("%-44s %8s" % ("deliveries answered", "count"))
    for name, number in sorted(answers.items()):
        print("  %-42s %8d" % (name, number))
    print("%-44s %8s" % ("events", "count"))
    for name in ("events", "acknowledged", "acknowledged by both", "not acknowledged, recorded",
                 "not acknowledged, not recorded", "LOST (2xx, no touch)", "DOUBLED", "WRONG touch_id answered",
                 "missed calls on a client recorded", "call-back activities made", "CALL-BACKS DOUBLED"):
        print("  %-42s %8d" % (name, counts.get(name, 0)))
    for name, number in sorted(counts.items()):
        if name.startswith(("workers", "CPU", "ERROR")):
            print("  %-42s %8d" % (name, number))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"run": run, "sets": args.sets, "counts": counts, "answers": answers, "problems": problems,
                       "events": events}, handle, default=str)
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems[:20]))
        return 1
    print("check: every acknowledged event exactly one touch, every answered touch_id right")
    return 0


if __name__ == "__main__":
    socket.setdefaulttimeout(180)
    sys.exit(main())
