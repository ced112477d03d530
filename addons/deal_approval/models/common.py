# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the models of the addon share: the trusted-write guard and the PDF
merge."""
import io

from PyPDF2 import PdfFileReader, PdfFileWriter

# The state machine writes its protected fields with this object in the
# context. A context sent over XML-RPC or JSON-RPC holds only plain data, so
# no client can forge it: writing `state` from outside is always refused.
_TRUSTED = object()
_KEY = "deal_approval_trusted"


def trusted(records):
    return records.with_context(**{_KEY: _TRUSTED})


def is_trusted(records):
    return records.env.context.get(_KEY) is _TRUSTED


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
