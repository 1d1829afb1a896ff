"""Uploads are judged by content: real documents pass, disguised or unreadable files do not."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.service.file_types import (
    MAX_FILE_NAME_BYTES,
    MIME_TYPES,
    AcceptedKind,
    Sniffed,
    safe_file_name,
    sniff_document,
)

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48)
NORWEGIAN_TEXT = "Innspill fra Søre Ål vel: vi ønsker bedre ferjetilbud til øyene. Blåbær!\n"


def _zip(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


def _docx(*extra: tuple[str, bytes]) -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
            ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
            ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
            *extra,
        ]
    )


def _odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return _zip(
        [
            ("mimetype", mimetype),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
            ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
        ],
        stored_first=True,
    )


def _xlsx() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
            ("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>'),
        ]
    )


@pytest.mark.parametrize(
    ("data", "file_name", "kind"),
    [
        pytest.param(MINIMAL_PDF, "innspill.pdf", "pdf", id="pdf"),
        pytest.param(MINIMAL_PDF, "innspill.txt", "pdf", id="pdf-renamed-txt"),
        pytest.param(MINIMAL_PDF, "innspill", "pdf", id="pdf-without-extension"),
        pytest.param(b"\xef\xbb\xbf" + MINIMAL_PDF, "a.pdf", "pdf", id="pdf-after-bom"),
        pytest.param(
            b"Content-Type: application/pdf\r\n\r\n" + MINIMAL_PDF,
            "a.pdf",
            "pdf",
            id="pdf-after-mail-junk",
        ),
        pytest.param(_docx(), "innspill.docx", "docx", id="docx"),
        pytest.param(_docx(), "innspill.pdf", "docx", id="docx-renamed-pdf"),
        pytest.param(_odt(), "innspill.odt", "odt", id="odt"),
        pytest.param(NORWEGIAN_TEXT.encode("utf-8"), "innspill.txt", "txt", id="utf8-txt"),
        pytest.param(NORWEGIAN_TEXT.encode("utf-8-sig"), "innspill.txt", "txt", id="utf8-bom"),
        pytest.param(b"# Innspill\n\n- punkt 1\n", "innspill.md", "txt", id="markdown"),
        pytest.param(NORWEGIAN_TEXT.encode("utf-8"), "innspill", "txt", id="text-no-extension"),
        pytest.param(NORWEGIAN_TEXT.encode("utf-8"), "notat.doc", "txt", id="utf8-any-name"),
        pytest.param(NORWEGIAN_TEXT.encode("cp1252"), "innspill.txt", "txt", id="windows-1252"),
    ],
)
def test_accepted_documents_are_recognised_by_content(
    data: bytes, file_name: str, kind: AcceptedKind
) -> None:
    assert sniff_document(data, file_name) == Sniffed(kind=kind, mime_type=MIME_TYPES[kind])


def test_canonical_mime_types() -> None:
    assert MIME_TYPES == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
        "txt": "text/plain",
    }


@pytest.mark.parametrize(
    ("data", "file_name"),
    [
        pytest.param(b"", "innspill.pdf", id="empty"),
        pytest.param(b" \r\n\t\n", "innspill.txt", id="only-whitespace"),
        pytest.param(PNG_HEADER + bytes(64), "innspill.pdf", id="png-renamed-pdf"),
        pytest.param(JPEG_HEADER + bytes(64), "bilde.txt", id="jpeg-renamed-txt"),
        pytest.param(ELF_HEADER + bytes(64), "innspill.pdf", id="elf-executable"),
        pytest.param(WINDOWS_EXE, "innspill.docx", id="windows-executable"),
        pytest.param(_zip([("bilde.jpg", b"\xff\xd8\xff")]), "innspill.docx", id="random-zip"),
        pytest.param(_xlsx(), "regneark.docx", id="xlsx-renamed-docx"),
        pytest.param(
            _docx(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")), "makro.docx", id="docm-macros"
        ),
        pytest.param(
            _zip([("word/document.xml", b"<w:document/>")]), "halv.docx", id="docx-no-types"
        ),
        pytest.param(
            _odt(b"application/vnd.oasis.opendocument.spreadsheet"), "ark.odt", id="ods-as-odt"
        ),
        pytest.param(_odt(b"application/epub+zip"), "bok.odt", id="epub-as-odt"),
        pytest.param(
            _zip(
                [("content.xml", b"<x/>"), ("mimetype", b"application/vnd.oasis.opendocument.text")]
            ),
            "feil.odt",
            id="odt-mimetype-not-first",
        ),
        pytest.param(_docx()[:40], "avkuttet.docx", id="truncated-zip"),
        pytest.param(b"PK\x05\x06" + bytes(18), "tom.docx", id="empty-zip"),
        pytest.param(b"tekst\x00med\x00null", "innspill.txt", id="binary-with-nul"),
        pytest.param(bytes(range(1, 32)) * 20, "innspill.txt", id="control-characters"),
        pytest.param(
            NORWEGIAN_TEXT.encode("cp1252"), "innspill.bin", id="windows-1252-with-binary-name"
        ),
        pytest.param(b"{\\rtf1\\ansi Innspill}", "innspill.rtf", id="rtf"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\r" + MINIMAL_PDF, "polyglot.pdf", id="pdf-hidden-in-png"
        ),
    ],
)
def test_other_files_are_refused(data: bytes, file_name: str) -> None:
    assert sniff_document(data, file_name) is None


def test_text_mentioning_a_pdf_header_is_text_not_pdf() -> None:
    data = b"Om filformatet: %PDF-1.7 er versjonen vi bruker.\n"
    assert sniff_document(data, "notat.pdf") == Sniffed("txt", "text/plain")


def test_zip_bomb_is_judged_without_decompressing() -> None:
    # 100 MB of zeros compresses to about 100 kB; sniffing must only read the directory.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(100):
                member.write(chunk)
    assert sniff_document(buffer.getvalue(), "bombe.docx") == Sniffed("docx", MIME_TYPES["docx"])


def test_odt_with_oversized_mimetype_member_is_refused_unread() -> None:
    huge = b"application/vnd.oasis.opendocument.text" + bytes(20 << 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", huge)
    assert sniff_document(buffer.getvalue(), "bombe.odt") is None


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        pytest.param("Innspill fra Harstad.pdf", "pdf", "Innspill fra Harstad.pdf", id="kept"),
        pytest.param("Rapport.PDF", "pdf", "Rapport.PDF", id="extension-case-kept"),
        pytest.param("Høringsinnspill v2.1", "pdf", "Høringsinnspill v2.1.pdf", id="appended"),
        pytest.param("regneark.xlsx", "docx", "regneark.xlsx.docx", id="other-ext-kept-visible"),
        pytest.param("notat.md", "txt", "notat.md.txt", id="markdown-as-txt"),
        pytest.param("/home/ola/Dokumenter/innspill.odt", "odt", "innspill.odt", id="unix-path"),
        pytest.param("C:\\Users\\Ola\\innspill.docx", "docx", "innspill.docx", id="windows-path"),
        pytest.param("../../etc/passwd", "txt", "passwd.txt", id="traversal"),
        pytest.param("inn\r\nBcc: x@y.no.pdf", "pdf", "inn Bcc_ x@y.no.pdf", id="crlf-injection"),
        pytest.param("inn\x00spill.pdf", "pdf", "inn spill.pdf", id="nul"),
        pytest.param("inn\u2028spill\u2029.pdf", "pdf", "inn spill.pdf", id="line-separators"),
        pytest.param("innspill\u202efdp.exe", "pdf", "innspillfdp.exe.pdf", id="rtl-override"),
        pytest.param('a<b>c:d"e|f?g*h.txt', "txt", "a_b_c_d_e_f_g_h.txt", id="windows-forbidden"),
        pytest.param(".pdf", "pdf", "vedlegg.pdf", id="only-extension"),
        pytest.param("", "odt", "vedlegg.odt", id="empty"),
        pytest.param("...", "txt", "vedlegg.txt", id="only-dots"),
        pytest.param("\r\n\x00", "docx", "vedlegg.docx", id="only-control"),
        pytest.param(".skjult.pdf", "pdf", "skjult.pdf", id="hidden-file"),
        pytest.param("rapport .pdf", "pdf", "rapport.pdf", id="space-before-extension"),
        pytest.param("CON.pdf", "pdf", "vedlegg.pdf", id="windows-reserved"),
        pytest.param("A\u030angstrøm.pdf", "pdf", "\u00c5ngstrøm.pdf", id="nfc"),
    ],
)
def test_safe_file_name(name: str, kind: AcceptedKind, expected: str) -> None:
    assert safe_file_name(name, kind) == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [("x" * 500 + ".pdf", "pdf"), ("æ" * 300 + ".docx", "docx"), ("€" * 300, "txt")],
)
def test_long_file_names_are_shortened_keeping_the_extension(name: str, kind: AcceptedKind) -> None:
    safe = safe_file_name(name, kind)
    assert len(safe.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    assert safe.endswith(f".{kind}")
    assert safe[0] == name[0]
