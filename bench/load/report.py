"""Prints the table of a load run from Locust's CSV files (scripts/load.sh):
per profile and action, requests, failures, throughput, p50/p95/p99.

    python bench/load/report.py PREFIX [PREFIX ...]   (PREFIX_stats.csv of locust --csv)
"""
import csv
import os
import sys


def rows(prefix):
    with open(prefix + "_stats.csv") as handle:
        return list(csv.DictReader(handle))


def main(prefixes):
    print("| profile | action | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for prefix in prefixes:
        profile = os.path.basename(prefix)
        for row in rows(prefix):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
            print("| %s | %s | %s | %s | %.1f | %s | %s | %s |" % (
                profile, name, row["Request Count"], row["Failure Count"], float(row["Requests/s"]),
                row["50%"], row["95%"], row["99%"]))


if __name__ == "__main__":
    main(sys.argv[1:])
