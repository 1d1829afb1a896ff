"""Make text safe for e-mail headers: nothing a person types may add or split a header.

Python's ``email`` package has let encoded newlines through when folding headers
(CVE-2024-6923), so every piece of user text is cleaned here before it reaches a header:
the sender's name in the Subject and the From display name, the Reply-To name and a validated
address, and file names. This is the one module that knows what a header may hold: subjects,
addresses, names, file names, MIME types, Message-IDs and reference numbers; composition and
the outbox only call it.
"""

from __future__ import annotations

import re
import unicodedata
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email

from bot.conversation.characters import remove_invisible

DEFAULT_MAX_LENGTH = 120
FILE_NAME_MAX_LENGTH = 150

# Characters that end a line somewhere (RFC 5322, Unicode, or a lenient mail client).
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# An RFC 2047 encoded word could smuggle "=0D=0A" past a client that decodes it.
_ENCODED_WORD_START = re.compile(r"=\s*\?")
_ENCODED_WORD_END = re.compile(r"\?\s*=")
_SPACES = re.compile(r"\s+")
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_SIMPLE_ADDR_SPEC = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*)$")
_FILE_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|]')
_ADDRESS_SPECIALS = re.compile(r'[<>@:;,()\[\]\\"]')
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_MESSAGE_ID = re.compile(r"^<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>$")
_NOT_REFERENCE = re.compile(r"[^A-Za-z0-9-]")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")


def _is_invisible(char: str) -> bool:
    """Control, separator or unassigned characters (format characters are removed before)."""
    return unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean_header_text(value: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Fold ``value`` into one short, plain line that cannot inject a header.

    Invisible formatting characters are removed (see :mod:`bot.conversation.characters`);
    line breaks (CR, LF, NUL, U+0085, U+2028, U+2029, …) and every other control character
    become spaces; encoded-word markers (``=?`` and ``?=``)
    are broken up so a client cannot decode a newline out of them; runs of white space
    collapse to one space. The result is stripped and cut to ``max_length`` characters.
    """
    text = remove_invisible(unicodedata.normalize("NFC", value))
    text = "".join(" " if char in _LINE_BREAKS or _is_invisible(char) else char for char in text)
    text = _ENCODED_WORD_START.sub("= ", text)
    text = _ENCODED_WORD_END.sub("? ", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def require_header_safe(value: str, what: str) -> str:
    """Return ``value`` unchanged, or raise if it could split a header.

    For texts that must arrive exactly as written (the ministry's subject line), where
    silently changing them would be worse than refusing to send.
    """
    if _HEADER_UNSAFE.search(value) or _ENCODED_WORD_START.search(value):
        raise ValueError(f"{what} is not a single plain line and cannot be used in a header")
    return value


def clean_file_name(value: str, *, fallback: str = "vedlegg") -> str:
    """A file name that is safe in a Content-Disposition header and on the reader's disk.

    Keeps the extension when the name has to be shortened, removes path separators and
    characters that Windows refuses, and never returns an empty or hidden name.
    """
    name = clean_header_text(value, max_length=10_000)
    name = _FILE_NAME_UNSAFE.sub("_", name).strip(" .")
    if not name:
        return fallback
    if len(name) > FILE_NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            keep = FILE_NAME_MAX_LENGTH - len(extension) - 1
            name = f"{stem[:keep].rstrip(' .')}.{extension}"
        else:
            name = name[:FILE_NAME_MAX_LENGTH].rstrip(" .")
    return name


def safe_address(addr: str | None) -> str | None:
    """A validated, normalised ASCII e-mail address, or ``None`` if it is not one.

    Uses email-validator without DNS. The domain comes back in its IDNA (ASCII) form; an
    address whose local part needs SMTPUTF8 is refused, since most servers would bounce it.
    """
    if not addr:
        return None
    candidate = addr.strip()
    if _HEADER_UNSAFE.search(candidate) or len(candidate) > 254:
        return None
    try:
        result = validate_email(candidate, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return None
    return result.ascii_email


def mailbox(value: str) -> Address:
    """Parse an operator-configured mailbox such as ``innspill <innspill@example.no>``.

    This is our own configuration (``MAIL_FROM``), so local names like ``localhost`` are
    allowed; the display name is still cleaned and the address must be plain ASCII.
    """
    if _HEADER_UNSAFE.search(value):
        raise ValueError(f"not a usable e-mail address: {value!r}")
    header = policy.default.header_factory("From", value)
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    if header.defects or len(addresses) != 1:
        raise ValueError(f"not a single usable e-mail address: {value!r}")
    parsed: Address = addresses[0]
    addr_spec = parsed.addr_spec
    if not _SIMPLE_ADDR_SPEC.match(addr_spec) or ".." in addr_spec:
        raise ValueError(f"not a usable e-mail address: {value!r}")
    return Address(
        display_name=clean_header_text(parsed.display_name),
        username=parsed.username,
        domain=parsed.domain,
    )


def address_domain(value: str) -> str:
    """The domain of a configured mailbox, used to build stable Message-IDs."""
    return mailbox(value).domain.lower()


def display_name(value: str) -> str:
    """A person's name for the Reply-To header: one line, no address syntax at all."""
    plain = _ADDRESS_SPECIALS.sub(" ", clean_header_text(value, max_length=200))
    return clean_header_text(plain, max_length=78)


def mime_type(value: str) -> tuple[str, str]:
    """A MIME type we can put in a header; anything odd becomes application/octet-stream."""
    candidate = value.strip().lower()
    if _MIME_TYPE.match(candidate):
        maintype, subtype = candidate.split("/", 1)
        if maintype not in {"multipart", "message"}:
            return maintype, subtype
    return "application", "octet-stream"


def reference_token(reference: str) -> str:
    """A reference number reduced to letters, digits and hyphens (for headers and names)."""
    return _NOT_REFERENCE.sub("", reference)


def message_id_for(reference: str, kind: str, domain: str) -> str:
    """The fixed Message-ID of one outbox message, e.g. ``<SMB-ABCD-EFGH.ministry@example.no>``.

    It depends only on the submission and the kind of message, so a resend after a crash
    carries the same id and the recipient's system can recognise it as the same mail.
    """
    ref = reference_token(reference)
    kind_part = reference_token(kind)
    host = domain.strip().lower()
    if not ref or not kind_part or not _DOMAIN.match(host):
        raise ValueError(f"cannot build a Message-ID from {reference!r}, {kind!r}, {domain!r}")
    return f"<{ref}.{kind_part}@{host}>"


def require_message_id(value: str) -> str:
    """Return ``value`` if it is a plain ``<local@domain>`` Message-ID, else raise."""
    if not _MESSAGE_ID.match(value):
        raise ValueError(f"not a valid Message-ID: {value!r}")
    return value


SENDER_MAX_LENGTH = 80
"""The part of a subject or From name that a person typed; the marking itself is never cut."""


def sender_text(value: str) -> str:
    """Who a submission is from, as it may appear in a header: one short plain line."""
    return clean_header_text(value, max_length=SENDER_MAX_LENGTH)


def subject_line(template: str, *, subject: str, case_number: str, title: str, sender: str) -> str:
    """The inbox subject: the ministry's marking kept exactly, then who the input is from.

    The consultation's own texts must already be single lines (they are refused, not
    changed, otherwise); the sender is typed by a person and is cleaned and shortened here.
    Placeholders in the sender are not expanded: it is inserted, never formatted.

    Raises:
        ValueError: the template or a consultation text could split a header.
    """
    for what, value in (
        ("the subject template", template),
        ("the consultation's subject", subject),
        ("the case number", case_number),
        ("the title", title),
    ):
        require_header_safe(value, what)
    who = sender_text(sender)
    line = template.format(subject=subject, case_number=case_number, title=title, sender=who)
    if not who:  # nothing usable was typed: drop the dangling separator
        line = line.rstrip(" –-:(")
    return require_header_safe(" ".join(line.split()), "the subject")


def sender_mailbox(mail_from: str, sender: str) -> Address:
    """Our address with the sender in the display name: ``Harstad Byforening via innspill``.

    The address stays ours (``MAIL_FROM``), so SPF and DKIM hold and nobody can send as
    someone else; only the name tells the clerk who it is from.
    """
    ours = mailbox(mail_from)
    service = ours.display_name or ours.username
    who = display_name(sender_text(sender))
    name = f"{who} via {service}" if who else service
    return Address(
        display_name=clean_header_text(name, max_length=SENDER_MAX_LENGTH + 30),
        username=ours.username,
        domain=ours.domain,
    )


HEADER_LINE = 76
"""Encoded header lines stay within 78 characters, so no generator folds them again."""


def set_header(message: EmailMessage, name: str, value: str | Address) -> None:
    """Write a header that may hold non-ASCII letters without losing or adding a space.

    Python's header folding (seen on 3.11) can put the space between a plain word and an
    RFC 2047 encoded word into the fold, where decoders drop it («Harstad– Hárstták»), or
    split a word across two encoded words with a space («P orsáŋgu»). ASCII values take the
    usual path; others are encoded here with every space inside an encoded word, and an
    address on its own folded line after its display name.
    """
    text = value.display_name if isinstance(value, Address) else value
    if text.isascii():
        message[name] = value
        return
    encoded = Header(text, "utf-8", maxlinelen=HEADER_LINE, header_name=name).encode("\r\n")
    if isinstance(value, Address):
        encoded += f"\r\n <{value.addr_spec}>"
    message.set_raw(name, encoded)
