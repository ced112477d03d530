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


class Paired(object):
    """The result of :func:`interleaved`: each side's median time (s), the
    median of the per-pair ratios and their spread, and each side's last
    result. ``str()`` gives ``1.38x (1.31-1.45, 7 pairs)``."""

    def __init__(self, first_times, second_times, first_result, second_result):
        self.first_times, self.second_times = first_times, second_times
        self.first, self.second = statistics.median(first_times), statistics.median(second_times)
        self.ratios = sorted(a / b if b else float("inf") for a, b in zip(first_times, second_times))
        self.ratio = statistics.median(self.ratios)
        self.low, self.high = self.ratios[0], self.ratios[-1]
        # The interquartile range of the ratios (the middle half of the pairs).
        quarter = len(self.ratios) // 4
        self.q1, self.q3 = self.ratios[quarter], self.ratios[-1 - quarter]
        self.first_result, self.second_result = first_result, second_result

    def __iter__(self):
        """Unpacks as (first s, second s, ratio, low, high)."""
        return iter((self.first, self.second, self.ratio, self.low, self.high))

    def __str__(self):
        return "%.2fx (%.2f-%.2f, %d pairs)" % (self.ratio, self.low, self.high, len(self.ratios))


def interleaved(first, second, pairs=7, warmup=1):
    """Times first() and second() alternately (first, second, first, ...)
    after ``warmup`` pairs, so that the machine's noise (other processes on
    a shared machine, CPU frequency) falls on both sides of each pair alike;
    returns a :class:`Paired` whose ``ratio`` is the median of the per-pair
    ratios first/second, with their spread (``low``-``high``, ``q1``-``q3``)."""
    for _run in range(warmup):
        first(), second()
    first_times, second_times = [], []
    first_result = second_result = None
    for _run in range(max(1, pairs)):
        start = time.perf_counter()
        first_result = first()
        middle = time.perf_counter()
        second_result = second()
        end = time.perf_counter()
        first_times.append(middle - start)
        second_times.append(end - middle)
    return Paired(first_times, second_times, first_result, second_result)


def growth(small, large, small_size, large_size):
    """How a time grew between two data sizes: ``(time factor, size factor)``
    so that a report can say e.g. 3.8x for 4.0x the data (linear)."""
    return (large / small if small else float("inf"), float(large_size) / small_size if small_size else float("inf"))


def _measures(text):
    """{label: [numbers]} of a benchmark's output: each line's text before
    its first figure, and the figures (ms, s, ratios) on it."""
    import re
    measures = {}
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            numbers = [float(cell.rstrip("x")) for cell in cells[1:] if re.match(r"^\d+(\.\d+)?x?$", cell)]
            if numbers:
                # "pipeline (349 rows)" and "pipeline (1,396 rows)" are one measure
                measures.setdefault(re.sub(r"\s*\([\d,]+ [^)]*\)", "", cells[0]), numbers)
            continue
        numbers = re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)(?=\s*(?:ms|s\b|x\b))", line)
        label = re.split(r"\d", line, 1)[0].strip(" |:(")
        if numbers and label:
            measures.setdefault(label, [float(n) for n in numbers])
    return measures


def print_growth(small_file, large_file, small_size, large_size):
    """Prints, for each measure two runs of one benchmark share, how each of
    its times grew from the small data to the large (bench.sh)."""
    with open(small_file) as handle:
        small = _measures(handle.read())
    with open(large_file) as handle:
        large = _measures(handle.read())
    size = float(large_size) / float(small_size)
    print("| measure | times at scale %s | at scale %s | growth (data x%.1f) |" % (small_size, large_size, size))
    print("|---|---:|---:|---:|")
    for label, numbers in small.items():
        other = large.get(label)
        if not other or len(other) != len(numbers):
            continue
        print("| %s | %s | %s | %s |" % (
            label, " / ".join("%g" % n for n in numbers), " / ".join("%g" % n for n in other),
            " / ".join("%.2fx" % growth(a, b, 1, 1)[0] for a, b in zip(numbers, other))))


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 6 and sys.argv[1] == "growth":
        print_growth(*sys.argv[2:])
    else:
        sys.exit("usage: common.py growth SMALL_OUTPUT LARGE_OUTPUT SMALL_SCALE LARGE_SCALE")
