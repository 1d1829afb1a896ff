"""A fødselsnummer hidden in an uploaded document is found, whatever the document's format."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from odf.opendocument import OpenDocumentText
from odf.text import H, P
from pypdf import PdfReader, PdfWriter
from stdnum.no import fodselsnummer

from bot.service.document_text import MAX_CHARS, DocumentText, extract_text, read_document

FNR = "13097248022"  # A valid test number (check digits hold), not a real person's.
SENTENCE = f"Jeg heter Åse Ødegård og fødselsnummeret mitt er {FNR}."


def test_the_test_number_is_a_valid_fodselsnummer() -> None:
    assert fodselsnummer.is_valid(FNR)


def test_utf8_text_file() -> None:
    assert extract_text(SENTENCE.encode("utf-8"), "txt") == SENTENCE


def test_utf8_with_byte_order_mark_from_notepad() -> None:
    assert extract_text(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "text/plain") == SENTENCE


def test_windows_text_file_keeps_the_norwegian_letters() -> None:
    text = SENTENCE + " Prisen er 10 € – «sånn»."
    assert extract_text(text.encode("cp1252"), ".txt") == text


def test_latin1_text_file() -> None:
    assert extract_text(SENTENCE.encode("latin-1"), "txt") == SENTENCE


def _docx(*paragraphs: str, table_cell: str | None = None) -> bytes:
    document = Document()
    document.add_heading("Innspill til strategi for småbyer", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table_cell is not None:
        document.add_table(rows=1, cols=1).cell(0, 0).text = table_cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_document() -> None:
    text = extract_text(_docx("Vi trenger bedre buss.", SENTENCE), "docx")
    assert text is not None
    assert SENTENCE in text
    assert text.index("Vi trenger bedre buss.") < text.index(SENTENCE)


def test_word_document_with_the_number_in_a_table() -> None:
    text = extract_text(_docx("Se tabellen.", table_cell=f"Fødselsnummer: {FNR}"), "docx")
    assert text is not None
    assert FNR in text


def _odt(*paragraphs: str) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Innspill til strategi for småbyer"))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def test_opendocument_text() -> None:
    text = extract_text(_odt("Vi trenger bedre buss.", SENTENCE), "odt")
    assert text is not None
    assert text.splitlines() == [
        "Innspill til strategi for småbyer",
        "Vi trenger bedre buss.",
        SENTENCE,
    ]


def _pdf(*lines: str) -> bytes:
    """A minimal valid PDF with one page of text in Helvetica (WinAnsi, so æøå work)."""
    content = b"BT /F1 12 Tf 72 720 Td 14 TL\n"
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content += b"(" + escaped.encode("cp1252") + b") Tj T*\n"
    content += b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf() -> None:
    text = extract_text(_pdf("Vi trenger bedre buss.", SENTENCE), "application/pdf")
    assert text is not None
    assert FNR in text
    assert "Ødegård" in text


@pytest.mark.parametrize("kind", ["pdf", "docx", "odt"])
def test_a_broken_file_is_unread_not_an_error(kind: str) -> None:
    assert extract_text(b"this is not a " + kind.encode() + b" file", kind) is None


@pytest.mark.parametrize("kind", ["pdf", "docx", "odt"])
def test_a_truncated_file_is_unread_not_an_error(kind: str) -> None:
    whole = {"pdf": _pdf(SENTENCE), "docx": _docx(SENTENCE), "odt": _odt(SENTENCE)}[kind]
    assert extract_text(whole[: len(whole) // 2], kind) in (None, "")


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_zip_bomb_is_not_unpacked(kind: str) -> None:
    # A real document with one more part that unpacks from kilobytes to 70 MB.
    whole = {"docx": _docx(SENTENCE), "odt": _odt(SENTENCE)}[kind]
    out = io.BytesIO(whole)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("media/bomb.bin", bytes(70_000_000), compresslevel=1)
    assert len(out.getvalue()) < len(whole) + 1_000_000
    assert extract_text(out.getvalue(), kind) is None


def test_a_huge_xml_part_is_not_parsed() -> None:
    out = io.BytesIO(_docx(SENTENCE))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/huge.xml", b"<a>" + b" " * 11_000_000 + b"</a>")
    assert extract_text(out.getvalue(), "docx") is None


def test_an_unknown_kind_is_unread() -> None:
    assert extract_text(SENTENCE.encode(), "jpg") is None


def test_a_huge_text_is_cut_at_the_cap() -> None:
    text = extract_text(("x" * 99 + "\n").encode() * 10_000, "txt")
    assert text is not None
    assert len(text) == MAX_CHARS


def test_a_password_protected_pdf_is_unread_not_clean() -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_pdf(SENTENCE))))
    writer.encrypt(user_password="hemmelig", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert extract_text(out.getvalue(), "pdf") is None


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_pdf(SENTENCE))))
    writer.encrypt(user_password="", owner_password="eier", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert FNR in (extract_text(out.getvalue(), "pdf") or "")


def test_a_scanned_pdf_without_a_text_layer_says_so() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    found = read_document(out.getvalue(), "pdf")
    assert found == DocumentText(None, "empty"), "read, and no text in it: not «unreadable»"
    assert extract_text(out.getvalue(), "pdf") == ""


def test_the_kept_text_says_whether_it_is_whole_or_cut() -> None:
    assert read_document(SENTENCE.encode(), "txt") == DocumentText(SENTENCE, "read")
    long = read_document(("x" * 99 + "\n").encode() * 10_000, "txt")
    assert long.state == "cut"
    assert long.text is not None
    assert len(long.text) == MAX_CHARS
    assert read_document(b"not a pdf", "pdf") == DocumentText(None, "unreadable")


def test_a_cut_utf8_text_keeps_its_letters() -> None:
    text = read_document(("æøå" * MAX_CHARS).encode(), "txt")
    assert text.state == "cut"
    assert text.text is not None
    assert set(text.text) == {"æ", "ø", "å"}, "not read as cp1252"
