# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the models of the addon share: the trusted-write guard, the PDF
switches of trusted code and the PDF merge."""
import io
from datetime import datetime, time, timedelta

import pytz
from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo.addons.sales_control.models.common import ContextMark

# The state machine writes its protected fields with this mark in the
# context: writing `state` from outside is always refused. The same holds
# for the PDF switches below: a client sending their keys with any plain
# value (True, "1", ...) changes nothing.
_TRUSTED = ContextMark("deal_approval_trusted")
_NO_PDF = ContextMark("deal_approval_no_pdf")
_FORCE_PDF = ContextMark("deal_approval_force_pdf")


def trusted(records):
    return _TRUSTED.on(records)


def is_trusted(records):
    return _TRUSTED.is_on(records)


def without_pdf_context():
    """Context entries of trusted code (unit tests, the demo generator) that
    make no approval PDF, to spare wkhtmltopdf: ``env(context=dict(ctx,
    **without_pdf_context()))``."""
    return _NO_PDF.context()


def without_pdf(records):
    return _NO_PDF.on(records)


def is_without_pdf(records):
    return _NO_PDF.is_on(records)


def forcing_pdf(records):
    """Under --test-enable Odoo renders reports as HTML: tests that need the
    real PDF ask for it with this."""
    return records.with_context(**dict(_FORCE_PDF.context(), **{_NO_PDF.key: None}))


def is_forcing_pdf(records):
    return _FORCE_PDF.is_on(records)


def merge_pdfs(contents):
    """One PDF made of the given PDFs (bytes), in order."""
    writer = PdfFileWriter()
    for content in contents:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        for page in range(reader.getNumPages()):
            writer.addPage(reader.getPage(page))
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def pdf_page_count(content):
    """The number of pages; raises when the bytes are not a readable PDF."""
    if not content.startswith(b"%PDF"):
        raise ValueError("not a PDF")
    return PdfFileReader(io.BytesIO(content), strict=False).getNumPages()


def working_hours(start, end, tz_name=None, day_start=9, day_end=18):
    """Working hours between two naive UTC datetimes: Monday to Friday,
    ``day_start`` to ``day_end`` o'clock in the time zone ``tz_name``
    (public holidays are not known here and count as working days)."""
    if not start or not end or end <= start:
        return 0.0
    zone = pytz.timezone(tz_name or "UTC")
    start = pytz.utc.localize(start).astimezone(zone)
    end = pytz.utc.localize(end).astimezone(zone)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            low = zone.localize(datetime.combine(day, time(day_start)))
            high = zone.localize(datetime.combine(day, time(day_end)))
            begin, finish = max(low, start), min(high, end)
            if finish > begin:
                total += (finish - begin).total_seconds() / 3600.0
        day += timedelta(days=1)
    return total
