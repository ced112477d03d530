"""What the benchmarks share: their command line, Odoo's start and the timer."""
import argparse
import os
import statistics
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def argument_parser(doc):
    """The options every benchmark takes: the database and Odoo's config."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=os.path.join(ROOT, ".local", "odoo.conf"))
    return parser


def odoo_registry(args):
    """Odoo configured from the options, quiet, and the database's registry."""
    import odoo
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo.netsvc.init_logger()
    return odoo.registry(args.database)


def median_time(function, runs):
    """Median wall time of function() in seconds, after one warm-up run
    (caches, query plans); and the last result."""
    result = function()
    samples = []
    for _run in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result
