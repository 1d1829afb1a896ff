"""«Like innspill»: template letters with people's edits group together, distinct letters not."""

from __future__ import annotations

import random

import pytest

from bot.staff.grouping import group_similar
from tests.staff.letters import CAMPAIGNS, campaign_letter, labelled_letters, pair_scores


@pytest.mark.parametrize("seed", [21, 5, 1905])
def test_labelled_letters_group_with_precision_and_recall_of_at_least_95_percent(
    seed: int,
) -> None:
    letters = labelled_letters(seed=seed)
    groups = group_similar([letter.text for letter in letters])
    precision, recall = pair_scores(letters, groups)
    print(f"seed {seed}: precision {precision:.4f}, recall {recall:.4f}, {len(groups)} groups")
    assert precision >= 0.95
    assert recall >= 0.95
    campaigns = {letter.campaign for letter in letters if letter.campaign is not None}
    assert len(groups) >= len(campaigns), "no campaign is lost"


def test_a_town_name_a_sentence_of_ones_own_and_a_typo_stay_in_the_group() -> None:
    template = CAMPAIGNS[1]
    base = template.format(by="Harstad")
    edited = (
        template.format(by="Narvik").replace("Billettprisene", "Bilettprisene")
        + " Selv pendler jeg hver dag, og det merkes."
    )
    other = CAMPAIGNS[2].format(by="Harstad")
    assert group_similar([base, other, edited]) == [[0, 2]]


def test_short_answers_that_happen_to_be_equal_are_not_a_campaign() -> None:
    assert group_similar(["Enig i forslaget.", "Enig i forslaget.", "Flere busser."]) == []


def test_every_sender_of_one_template_lands_in_one_group() -> None:
    rng = random.Random(3)
    texts = [campaign_letter(rng, CAMPAIGNS[0]) for _ in range(5)]
    assert group_similar(texts) == [[0, 1, 2, 3, 4]]
