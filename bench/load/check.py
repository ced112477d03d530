"""After a load run: what the users sent and the server acknowledged
(LOAD_RECORD, written by locustfile.py) against the database. Every call and
message event is recorded exactly once, every call activity marked done has
its touch, every 1C document of the run is imported once. Exit status 1 on
any loss or double.

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


def check(cr, records):
    by_kind = collections.defaultdict(set)
    answers = {}
    for line in records:
        key = line.get("id") or line.get("summary") or line.get("guid")
        by_kind[line["kind"]].add(key)
        if line.get("answers"):
            answers[key] = line["answers"]
    problems = []
    report = []

    def verdict(name, found):
        lost = sorted(k for k, n in found.items() if n == 0)
        doubled = sorted(k for k, n in found.items() if n > 1)
        report.append("%-34s %6d sent, %6d lost, %6d doubled" % (name, len(found), len(lost), len(doubled)))
        if lost or doubled:
            problems.append("%s: lost %s, doubled %s" % (name, lost[:5], doubled[:5]))
            for key in lost[:5]:
                if key in answers:
                    # [touch id, duplicate] of each delivery the server answered 2xx
                    problems.append("  %s was answered %s" % (key, answers[key]))
    verdict("call webhook events (one touch)", counts(
        cr, "SELECT external_ref, count(*) FROM sales_touch WHERE source = 'telephony' AND external_ref = ANY(%s) "
            "GROUP BY external_ref", by_kind["call"]))
    verdict("messenger events (one touch)", counts(
        cr, "SELECT external_ref, count(*) FROM sales_touch WHERE source = 'messenger' AND external_ref = ANY(%s) "
            "GROUP BY external_ref", by_kind["message"]))
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
