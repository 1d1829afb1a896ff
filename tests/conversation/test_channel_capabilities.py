"""Each channel says how a document is sent there, and the engine's hints name that way."""

from __future__ import annotations

import pytest

from bot.consultation.model import Consultation
from bot.conversation.capabilities import ChannelCapabilities, DocumentWay
from bot.conversation.context import Limits
from bot.conversation.names import Pick
from tests.conversation.talk import Talk

HOW = {
    # (way, lang): what the quick path's prompt says about documents
    (DocumentWay.COMMAND, "nb"): "skriv /vedlegg og filstien",
    (DocumentWay.COMMAND, "nn"): "skriv /vedlegg og filstien",
    (DocumentWay.COMMAND, "en"): "type /attach and the file path",
    (DocumentWay.SEND_FILE, "nb"): "send det som fil med 📎",
    (DocumentWay.SEND_FILE, "nn"): "send det som fil med 📎",
    (DocumentWay.SEND_FILE, "en"): "send it as a file with 📎",
    (DocumentWay.CHOOSE_FILE, "nb"): "eller velg en fil",
    (DocumentWay.CHOOSE_FILE, "nn"): "eller vel ei fil",
    (DocumentWay.CHOOSE_FILE, "en"): "or choose a file",
    (DocumentWay.ANY, "nb"): "send det som dokument",
    (DocumentWay.ANY, "nn"): "send det som dokument",
    (DocumentWay.ANY, "en"): "send it as a document",
}


def channel(way: DocumentWay) -> Limits:
    return Limits(channel=ChannelCapabilities(documents=way))


def at_the_quick_input(c: Consultation, lang: str, way: DocumentWay) -> Talk:
    t = Talk(c, lang, limits=channel(way))
    t.command("start", "rask")
    t.press(t.buttons().step or "", "privatperson")
    t.send("Kari Nordmann")
    t.send("Bodø")
    return t


@pytest.mark.parametrize(("way", "lang"), list(HOW))
def test_the_quick_path_says_how_to_send_a_document_in_this_channel(
    c: Consultation, way: DocumentWay, lang: str
) -> None:
    t = at_the_quick_input(c, lang, way)
    assert HOW[way, lang] in t.text
    others = [HOW[other, lang] for other in DocumentWay if other != way]
    assert not any(other in t.text for other in others), "only this channel's way"


def test_the_way_follows_the_event_not_the_draft(c: Consultation) -> None:
    # The same draft, continued from another channel: the hint follows the channel in use.
    t = at_the_quick_input(c, "nb", DocumentWay.SEND_FILE)
    t.limits = channel(DocumentWay.COMMAND)
    t.command("help")
    assert "/vedlegg FIL" in t.text
    assert "skriv /vedlegg og filstien" in t.text


@pytest.mark.parametrize(
    ("way", "says"),
    [
        (DocumentWay.SEND_FILE, "Send dokumentet som fil med 📎"),
        (DocumentWay.CHOOSE_FILE, "Velg en fil, så legger jeg den ved innspillet."),
        (DocumentWay.ANY, "Send dokumentet som en fil"),
    ],
)
def test_vedlegg_where_the_channel_does_not_take_it_says_this_channels_way(
    c: Consultation, way: DocumentWay, says: str
) -> None:
    t = at_the_quick_input(c, "nb", way)
    t.send("/vedlegg innspill.pdf")
    assert says in t.text


@pytest.mark.parametrize("way", [DocumentWay.SEND_FILE, DocumentWay.CHOOSE_FILE])
def test_only_the_terminal_lists_vedlegg_in_help(c: Consultation, way: DocumentWay) -> None:
    t = Talk(c, limits=channel(way))
    t.command("start")
    t.press(t.buttons().step or "", Pick.GUIDED)
    t.command("help")
    assert "/vedlegg" not in t.text
    t.limits = channel(DocumentWay.COMMAND)
    t.command("help")
    assert "/vedlegg FIL – send en fil fra maskinen" in t.text
