"""A labelled set of letters for «Like innspill»: campaigns with realistic edits beside
distinct letters on the same themes.

Campaign members take a template letter and change it the way people do: their own town in
it, a greeting and a signature, a sentence or two of their own, a dropped sentence, a word
swapped for another, typos. Distinct letters are written from the same themes' phrases (the
words and two-word phrases that campaign letters use too), so only whole-text likeness, not
the topic, can tell them apart. Seeded, so a failure can be reproduced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TOWNS = (
    "Harstad", "Narvik", "Alta", "Hammerfest", "Mo i Rana", "Mosjøen", "Sandnessjøen",
    "Brønnøysund", "Steinkjer", "Namsos", "Levanger", "Kristiansund", "Molde", "Ørsta",
    "Førde", "Florø", "Stord", "Odda", "Voss", "Egersund", "Flekkefjord", "Mandal",
    "Arendal", "Grimstad", "Notodden", "Kongsberg", "Hønefoss", "Gjøvik", "Lillehammer",
    "Elverum", "Kongsvinger", "Tynset", "Røros", "Finnsnes", "Vadsø", "Kirkenes", "Lyngdal",
    "Tvedestrand", "Risør", "Halden", "Raufoss", "Fagernes", "Orkanger", "Brekstad",
    "Sortland", "Svolvær", "Leknes", "Bodø", "Fauske", "Tromsø",
)  # fmt: skip
NAMES = (
    "Kari Nordmann", "Ola Hansen", "Ingrid Berg", "Per Olsen", "Anne Johansen", "Lars Lie",
    "Marit Dahl", "Jon Eriksen", "Sigrid Moe", "Nils Bakken", "Hilde Strand", "Arne Lund",
    "Eva Haugen", "Tor Solberg", "Liv Aas", "Geir Holm", "Randi Vik", "Knut Sæther",
)  # fmt: skip

CAMPAIGNS = (
    """Vi som bor i {by} ber departementet sikre akuttberedskapen ved sykehuset vårt. \
Dagens forslag om å flytte fødeavdelingen vil gi mange kvinner over to timers reisevei. \
Om vinteren er veiene ofte stengt, og ambulanseflyet kan ikke alltid lande. \
Et levende sentrum i {by} trenger et sykehus med døgnåpen akuttmottak og kirurgi. \
Sykehuset er også en av de største arbeidsplassene i regionen. \
Når fagfolk forsvinner, flytter familiene etter. \
Vi ber derfor om at strategien slår fast at lokalsykehusene i småbyene skal bestå, \
og at staten tar ansvar for rekrutteringen av leger og sykepleiere.""",
    """Toget er livsnerven for {by}. Vi ber om at strategien for småbyer sikrer flere \
avganger, også tidlig om morgenen og sent om kvelden, slik at det går an å pendle til \
jobb og studier. I dag går siste tog for tidlig til at folk kan bruke det til kultur og \
fritid. Billettprisene må ned, og ungdom under tjuefem bør reise gratis. \
Bussene i distriktet må kobles til togtidene, så ingen blir stående og vente i en time. \
Et godt kollektivtilbud gjør at flere kan bo i bygdene rundt {by} og jobbe i byen.""",
    """Staten må flytte flere arbeidsplasser ut av Oslo. Vi foreslår at nye statlige \
virksomheter legges til småbyer som {by}, der husprisene er lave og livskvaliteten høy. \
Kompetansearbeidsplasser gir ringvirkninger for handel, kultur og idrett. \
Unge som tar utdanning, må kunne flytte hjem igjen og få en jobb som passer. \
Hjemmekontor og kontorfellesskap bør være et reelt tilbud for alle statsansatte. \
Vi ber departementet sette et mål for hvor mange statlige stillinger som skal være \
utenfor de store byene innen 2030.""",
    """Studiestedet i {by} må ikke legges ned. Høgskolen utdanner sykepleiere, lærere og \
ingeniører som regionen trenger, og de fleste blir boende etter studiene. \
Hvis studiestedet stenger, mister vi både ungdommen og fagmiljøene. \
Vi ber om at strategien gir høgskolene et særlig ansvar for desentralisert utdanning, \
med samlinger i byen og undervisning på nett. Voksne som vil ta mer utdanning, \
må kunne gjøre det uten å flytte. Næringslivet i {by} står klare til å samarbeide om \
praksisplasser og oppgaver for studentene.""",
    """Sentrum i {by} dør sakte. Butikkene flytter ut til kjøpesenteret ved riksveien, \
og i hovedgata står lokalene tomme. Vi ber om at strategien gir kommunene bedre \
verktøy til å stoppe nye kjøpesentre utenfor sentrum. Det må bli lettere å bygge \
boliger i sentrum, over butikkene og i gamle næringsbygg. Møteplasser som bibliotek, \
kafeer og kino må ligge der folk går. Parkering bør ikke være gratis bare ved senteret. \
Et levende sentrum er det første besøkende ser av {by}.""",
    """Fergesambandet til {by} er for dårlig. Fergen går for sjelden, er ofte innstilt, \
og kø om sommeren gjør at folk kommer for sent på jobb. Næringslivet taper penger når \
varer blir stående. Vi ber om at strategien prioriterer fast vegforbindelse og at \
fergetilbudet styrkes til det er bygd. Det må gå ferge hver halvtime i rushtiden og \
minst én avgang etter klokken elleve om kvelden. Ferjefri kyststamvei vil knytte \
{by} til regionen og gjøre byen til et sterkere senter.""",
)

THEME_PHRASES = (
    (  # health and services
        "Sykehuset i {by} betyr {x} for oss som bor her.",
        "Vi trenger {x} legevakt som er åpen hele døgnet.",
        "Det er {x} langt til nærmeste fødeavdeling.",
        "Eldre i distriktet må få {x} hjemmetjenester.",
        "Ambulansen bruker {x} lang tid om vinteren.",
        "Fastlegene i kommunen har {x} mange pasienter.",
        "Nav-kontoret burde ha {x} åpningstider.",
        "Jeg ønsker meg {x} samarbeid mellom kommunene om helse.",
    ),
    (  # transport
        "Bussen til {by} går {x} sjelden.",
        "Toget er {x} viktig for pendlere.",
        "Veien mot {by} er {x} dårlig vedlikeholdt.",
        "Flyrutene bør bli {x} billigere.",
        "Det trengs {x} sykkelveier mellom bygdene og byen.",
        "Fergen er {x} ofte innstilt.",
        "Kollektivtilbudet om kvelden er {x} dårlig.",
        "Vi trenger {x} bedre mobildekning langs veiene.",
    ),
    (  # jobs and skills
        "Staten bør legge {x} arbeidsplasser til {by}.",
        "Unge flytter fordi det er {x} få jobber.",
        "Høgskolen i regionen er {x} viktig.",
        "Næringslivet trenger {x} flere fagarbeidere.",
        "Det bør bli {x} lettere å starte bedrift.",
        "Kontorfellesskap i sentrum vil gjøre det {x} enklere å jobbe hjemmefra.",
        "Vi må ta {x} vare på fagmiljøene vi har.",
        "Reiselivet kan gi {x} mange arbeidsplasser.",
    ),
    (  # town centre
        "Sentrum i {by} har {x} mange tomme lokaler.",
        "Kjøpesenteret har gjort hovedgata {x} stille.",
        "Vi savner {x} gode møteplasser for ungdom.",
        "Biblioteket er {x} viktig for byen.",
        "Det bør bygges {x} flere boliger i sentrum.",
        "Kulturlivet i {by} er {x} rikt.",
        "Parkene trenger {x} bedre vedlikehold.",
        "Torget kunne vært {x} mer levende.",
    ),
)
ENDINGS = (
    "for oss som bor her", "i hverdagen", "om vinteren", "for barnefamilier", "for de eldre",
    "i helgene", "etter min mening", "slik det er nå", "sammenlignet med før", "for ungdommen",
    "i hele regionen", "for næringslivet", "og det merker alle", "uten at noen gjør noe",
)  # fmt: skip
INTENSIFIERS = ("svært", "veldig", "altfor", "ganske", "mye", "særlig", "helt", "litt")
OWN_SENTENCES = (
    "Jeg har bodd i {by} hele livet og ser hvordan det har endret seg.",
    "Selv pendler jeg hver dag, og det merkes.",
    "Min mor måtte kjøre tre timer for å føde.",
    "Barna mine vil gjerne flytte hjem når de er ferdige med studiene.",
    "Vi driver en liten bedrift og merker dette godt.",
    "Dette er det viktigste for meg som pensjonist.",
    "Jeg er sykepleier og ser konsekvensene hver uke.",
    "Som ungdom føler jeg at ingen hører på oss.",
    "Naboen min har allerede flyttet på grunn av dette.",
    "Takk for at dere spør oss som bor her.",
    "Jeg håper dere lytter til oss denne gangen.",
    "Det handler om framtiden til hele regionen.",
)
GREETINGS = ("", "Hei.", "Til Kommunal- og distriktsdepartementet.", "Hei departementet!")
SIGNATURES = ("", "Hilsen {name}", "Mvh {name}, {by}", "Vennlig hilsen {name}")
SWAPS = (
    ("ber", "oppfordrer"), ("må", "bør"), ("viktig", "avgjørende"), ("flere", "mange flere"),
    ("sikre", "trygge"), ("departementet", "regjeringen"), ("byen", "byen vår"),
)  # fmt: skip


@dataclass(frozen=True)
class Letter:
    """A generated letter and its true group (``None`` for a distinct letter)."""

    text: str
    campaign: int | None


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 3:
        j = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("swap", "drop", "double"))
        if kind == "swap":
            word = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
        elif kind == "drop":
            word = word[:j] + word[j + 1 :]
        else:
            word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def campaign_letter(rng: random.Random, template: str) -> str:
    """The template as one sender changed it."""
    town = rng.choice(TOWNS)
    name = rng.choice(NAMES)
    sentences = [s.strip() for s in template.format(by=town).split(". ") if s.strip()]
    if rng.random() < 0.3 and len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences))]
    for _ in range(rng.choice((0, 1, 1, 2))):
        own = rng.choice(OWN_SENTENCES).format(by=town).rstrip(".")
        sentences.insert(rng.randrange(len(sentences) + 1), own)
    text = ". ".join(s.rstrip(".") for s in sentences) + "."
    if rng.random() < 0.4:
        old, new = rng.choice(SWAPS)
        text = text.replace(f" {old} ", f" {new} ", 1)
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        text = _typo(rng, text)
    greeting = rng.choice(GREETINGS)
    signature = rng.choice(SIGNATURES).format(name=name, by=town)
    return "\n\n".join(part for part in (greeting, text, signature) if part)


def _vary(rng: random.Random, sentence: str) -> str:
    """People say the same thing in their own words: an ending of their own, often."""
    if rng.random() < 0.6:
        return f"{sentence.rstrip('.')} {rng.choice(ENDINGS)}."
    return sentence


def distinct_letter(rng: random.Random) -> str:
    """A letter of one's own, on one or two of the same themes."""
    town = rng.choice(TOWNS)
    themes = rng.sample(range(len(THEME_PHRASES)), rng.choice((1, 2)))
    pool = [p for t in themes for p in THEME_PHRASES[t]]
    chosen = rng.sample(pool, min(len(pool), rng.randint(4, 7)))
    chosen += rng.sample(OWN_SENTENCES, rng.randint(0, 2))
    body = " ".join(_vary(rng, s.format(by=town, x=rng.choice(INTENSIFIERS))) for s in chosen)
    signature = rng.choice(SIGNATURES).format(name=rng.choice(NAMES), by=town)
    return "\n\n".join(part for part in (rng.choice(GREETINGS), body, signature) if part)


def labelled_letters(
    seed: int = 21, campaign_sizes: tuple[int, ...] = (12, 25, 8, 40, 5, 15), distinct: int = 150
) -> list[Letter]:
    """Campaign members (one campaign per size, each on its own template) and distinct
    letters, shuffled together as they would arrive."""
    if len(campaign_sizes) > len(CAMPAIGNS):
        raise ValueError(f"at most {len(CAMPAIGNS)} campaigns: one per template")
    rng = random.Random(seed)
    letters = [
        Letter(campaign_letter(rng, CAMPAIGNS[number]), number)
        for number, size in enumerate(campaign_sizes)
        for _ in range(size)
    ]
    letters += [Letter(distinct_letter(rng), None) for _ in range(distinct)]
    rng.shuffle(letters)
    return letters


def pair_scores(letters: list[Letter], groups: list[list[int]]) -> tuple[float, float]:
    """Pairwise precision and recall of ``groups`` against the letters' true campaigns."""
    found = {(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1 :]}
    true = {
        (a, b)
        for a in range(len(letters))
        for b in range(a + 1, len(letters))
        if letters[a].campaign is not None and letters[a].campaign == letters[b].campaign
    }
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    return precision, recall
