# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the models of the addon share: the trusted-write guard, the PDF
switches of trusted code and the PDF merge."""
import io

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
