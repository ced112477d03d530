"""Speed of the merged approval PDF (deal_approval).

    .venv/bin/python bench/bench_approval_pdf.py -d DB [-c .local/odoo.conf] [--runs 20] [--report-url URL]

For one typical request (a waiting contract request of the demo), prints the
median over the runs of:

* merged PDF: the approval sheet rendered by QWeb and wkhtmltopdf, the
  contract read from the filestore and both merged with PyPDF2 (what
  "Send for approval" and "Open PDF" do, without writing the attachment);
* wkhtmltopdf alone: the same sheet's HTML, rendered once beforehand, given
  to wkhtmltopdf (Odoo's _run_wkhtmltopdf), in the same run.

Nothing is written to the database (the transaction is rolled back).
"""
import os
import statistics
import sys
import time

from common import ROOT, argument_parser, odoo_registry


def timed_pair(first, second, runs):
    """Both functions, interleaved run by run so that the machine's load
    weighs on both alike."""
    times = ([], [])
    result = None
    for _run in range(runs):
        for function, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            value = function()
            bucket.append(time.perf_counter() - start)
            result = result or value
    return times[0], times[1], result


def bench(env, runs):
    from odoo.addons.deal_approval.models.common import forcing_pdf, merge_pdfs
    Request = env["deal.approval.request"]
    request = Request.search([("state", "=", "waiting"), ("document_type", "=", "contract"),
                              ("contract_file", "!=", False)], order="id", limit=1)
    if not request:
        sys.exit("no waiting contract request in this database: run the demo generator first")
    report = env.ref("deal_approval.deal_approval_sheet_report")
    request = forcing_pdf(request)

    def merged():
        sheet = request._render_report_pdf("deal_approval.deal_approval_sheet_report", request)
        return merge_pdfs([sheet, request._document_pdf()])

    html = report.render_qweb_html(request.ids)[0].decode("utf-8")
    bodies, _ids, header, footer, args = report.with_context(debug=False)._prepare_html(html)

    def wkhtmltopdf_alone():
        return report._run_wkhtmltopdf(bodies, header=header, footer=footer, specific_paperformat_args=args)

    merged()  # warm-up: assets bundle, templates, fonts
    merged_times, alone_times, pdf = timed_pair(merged, wkhtmltopdf_alone, runs)
    return request, pdf, merged_times, alone_times


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--report-url", help="where wkhtmltopdf fetches the report's CSS (a running Odoo of "
                                             "this database); by default report.url or web.base.url")
    args = parser.parse_args()
    # Odoo compiles the report's .less assets with lessc (npm, in the checkout).
    os.environ["PATH"] = os.path.join(ROOT, "node_modules", ".bin") + os.pathsep + os.environ.get("PATH", "")
    registry = odoo_registry(args)
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU"})
        if args.report_url:
            # In this transaction only: it is rolled back at the end.
            env["ir.config_parameter"].set_param("report.url", args.report_url)
        base_url = env["ir.config_parameter"].get_param("report.url") or \
            env["ir.config_parameter"].get_param("web.base.url")
        request, pdf, merged_times, alone_times = bench(env, args.runs)
        cr.rollback()
    merged_median = statistics.median(merged_times)
    alone_median = statistics.median(alone_times)
    print("deal_approval merged PDF, request %s (%d bytes), %d runs, assets from %s"
          % (request.name, len(pdf), args.runs, base_url))
    print("| What | Median, s | Min, s | Max, s |")
    print("|---|---|---|---|")
    print("| merged PDF (sheet: QWeb + wkhtmltopdf, + contract, PyPDF2 merge) | %.3f | %.3f | %.3f |"
          % (merged_median, min(merged_times), max(merged_times)))
    print("| wkhtmltopdf alone on the same HTML | %.3f | %.3f | %.3f |"
          % (alone_median, min(alone_times), max(alone_times)))
    print("overhead of QWeb + merge over wkhtmltopdf alone: %.0f ms (x%.2f)"
          % ((merged_median - alone_median) * 1000, merged_median / alone_median))


if __name__ == "__main__":
    main()
