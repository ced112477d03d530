"""After a load run: what the users sent and the server acknowledged
(LOAD_RECORD, written by locustfile.py) against the database. Every call and
message event that the server acknowledged (a delivery answered 2xx) has
exactly one touch, and the touch_id it was answered is that touch; no event
sent has two; every call activity marked done has its touch, every 1C
document of the run is imported once. An event whose two deliveries were
both cut or refused was not acknowledged (the PBX delivers it again): it is
counted apart, not as lost. Exit status 1 on any loss, double or wrong
answer.

    python bench/load/check.py -d DB --record FILE [--run RUN]
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import argument_parser, odoo_registry  # noqa: E402  pylint: disable=wrong-import-position


def counts(cr, sql, keys):
    """{key: number of rows} for every key (0 when missing)."""
    result = dict.fromkeys(keys, 0)
    if keys:
        cr.execute(sql, (list(keys),))
        result.update(dict(cr.fetchall()))
    return result


def acknowledged(line):
    """The answers of an event's deliveries that acknowledged it (2xx with
    the touch), or None for a line of the first locustfile, which recorded
    no answers and counted a cut delivery (Locust's status 0) as taken."""
    answers = line.get("answers")
    if answers is None:
        return None
    taken = []
    for answer in answers:
        if isinstance(answer, list):
            # [touch id, duplicate]: the locustfile of 2026-12-01 03:00 kept the 2xx answers only.
            taken.append({"status": 200, "touch_id": answer[0], "duplicate": answer[1]})
        elif answer and 200 <= (answer.get("status") or 0) < 300:
            taken.append(answer)
    return taken


def check_events(cr, name, source, lines):
    """Webhook events against their touches: (report lines, problems).
    Lost is an event the server acknowledged (a delivery answered 2xx) that
    has no touch; an event whose deliveries were all cut or refused was not
    acknowledged (the PBX delivers it again), whether or not its first
    delivery's transaction committed before the cut."""
    events = {}
    for line in lines:
        events.setdefault(line["id"], []).append(line)
    touches = {}
    if events:
        cr.execute("SELECT external_ref, array_agg(id ORDER BY id) FROM sales_touch "
                   "WHERE source = %s AND external_ref = ANY(%s) GROUP BY external_ref", (source, list(events)))
        touches = dict(cr.fetchall())
    answered_ids = [answer["touch_id"] for key_lines in events.values() for line in key_lines
                    for answer in (acknowledged(line) or []) if answer.get("touch_id")]
    touch_refs = {}
    if answered_ids:
        cr.execute("SELECT id, external_ref FROM sales_touch WHERE source = %s AND id = ANY(%s)",
                   (source, answered_ids))
        touch_refs = dict(cr.fetchall())
    counts = collections.Counter()
    lost, doubled, wrong, problems = [], [], [], []
    for key, key_lines in sorted(events.items()):
        found = touches.get(key, [])
        answers = [acknowledged(line) for line in key_lines]
        counts["sent"] += 1
        if len(found) > 1:
            doubled.append(key)
        if any(taken is None for taken in answers):
            counts["old record"] += 1
            counts["old record, no touch"] += not found
            continue
        taken = [answer for each in answers for answer in each]
        if not taken:
            counts["not acknowledged"] += 1
            counts["not acknowledged, recorded"] += bool(found)
            continue
        counts["acknowledged"] += 1
        if not found:
            lost.append(key)
            problems.append("  %s was answered %s" % (key, [line.get("answers") for line in key_lines]))
        for answer in taken:
            if touch_refs.get(answer.get("touch_id")) != key:
                wrong.append(key)
                problems.append("  %s was answered touch %s, which is not its touch %s"
                                % (key, answer.get("touch_id"), found))
    report = ["%-34s %6d sent, %6d acknowledged, %6d lost, %6d doubled" % (
        name, counts["sent"], counts["acknowledged"], len(lost), len(doubled))]
    report.append("%-34s %6d not acknowledged (every delivery cut or refused; %d of them recorded all the same)"
                  % ("", counts["not acknowledged"], counts["not acknowledged, recorded"]))
    if counts["old record"]:
        report.append("%-34s %6d recorded without answers by an older locustfile (a cut delivery counted as "
                      "acknowledged): %d of them without a touch, not counted as lost"
                      % ("", counts["old record"], counts["old record, no touch"]))
    if wrong:
        report.append("%-34s %6d answered a touch_id that is not the event's touch" % ("", len(set(wrong))))
    if lost or doubled or wrong:
        problems.insert(0, "%s: lost %s, doubled %s, wrong touch_id %s" % (
            name, lost[:5], doubled[:5], sorted(set(wrong))[:5]))
    return report, problems[:12]


def check(cr, records):
    by_kind = collections.defaultdict(set)
    lines_of = collections.defaultdict(list)
    for line in records:
        key = line.get("id") or line.get("summary") or line.get("guid")
        by_kind[line["kind"]].add(key)
        lines_of[line["kind"]].append(line)
    problems = []
    report = []

    def verdict(name, found):
        lost = sorted(k for k, n in found.items() if n == 0)
        doubled = sorted(k for k, n in found.items() if n > 1)
        report.append("%-34s %6d sent, %6d lost, %6d doubled" % (name, len(found), len(lost), len(doubled)))
        if lost or doubled:
            problems.append("%s: lost %s, doubled %s" % (name, lost[:5], doubled[:5]))
    for name, kind, source in (("call webhook events (one touch)", "call", "telephony"),
                               ("messenger events (one touch)", "message", "messenger")):
        lines, found = check_events(cr, name, source, lines_of[kind])
        report.extend(lines)
        problems.extend(found)
    verdict("call activities done (one touch)", counts(
        cr, "SELECT summary, count(*) FROM sales_touch WHERE source = 'activity' AND summary = ANY(%s) "
            "GROUP BY summary", by_kind["activity"]))
    if by_kind["onec_log"]:
        verdict("1C documents (one payment)", counts(
            cr, "SELECT onec_guid, count(*) FROM receivables_payment WHERE onec_guid = ANY(%s) GROUP BY onec_guid",
            by_kind["onec"]))
    elif by_kind["onec"]:
        problems.append("the 1C sync of the run did not answer")
    cr.execute("SELECT state, count(*) FROM receivables_sync_log WHERE id = ANY(%s) GROUP BY state",
               ([int(i) for i in by_kind["onec_log"]],))
    report.append("1C sync logs of the run: %s" % dict(cr.fetchall()))
    report.append("approvals made by the head: %d" % len(by_kind["approval"]))
    # Doubles of any kind in the whole database, not only of this run.
    cr.execute("SELECT count(*) FROM (SELECT 1 FROM receivables_payment WHERE onec_guid IS NOT NULL "
               "GROUP BY backend_id, onec_guid, onec_line_key HAVING count(*) > 1) d")
    doubled = cr.fetchone()[0]
    if doubled:
        problems.append("%d 1C documents imported twice in the database" % doubled)
    return report, problems


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--record", required=True)
    parser.add_argument("--run")
    args = parser.parse_args()
    with open(args.record) as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if args.run:
        records = [line for line in records if line.get("run") == args.run]
    if not records:
        # Nothing sent is not "nothing lost": the load did not run.
        print("FAILED: no record of run %s in %s: the load did not run" % (args.run or "any", args.record))
        return 1
    registry = odoo_registry(args)
    with registry.cursor() as cr:
        report, problems = check(cr, records)
    print("\n".join(report))
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    print("database check: nothing lost, nothing doubled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
