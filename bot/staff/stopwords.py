"""Words too common to say what a text is about, in bokmål and nynorsk (our own list).

Function words (pronouns, prepositions, conjunctions, auxiliary verbs, common adverbs) in
both written standards, and the words every answer to a consultation about small towns
uses («by», «kommune», «viktig»), which would stand out nowhere. Kept short on purpose: a
word missing here at worst shows up among the distinctive words; one too many hides a topic.
"""

from __future__ import annotations

_FUNCTION_WORDS = """
    alle alt andre annan anna anne at av bak bare berre bli blei blir blitt bort både da dag
    dagens de deg dei deira deim deires dem den denne dere deres dersom det dette di din dine
    ditt du då eg ein eit eitt eller elles en enn er et ett etter for fordi fra frå før først
    ganske gjennom gjer gjere gjøre gjør gjort god godt ha hadde han hans har hatt hennar
    henne hennes her hjå ho hoss hun hva hvem hver hvert hvilke hvilken hvis hvor hvordan
    hvorfor i ikke ikkje ingen inn inni ja jeg kan kanskje kom kommer korleis korso kva kvar
    kvarhelst kven kvifor kunne kunna kva man mange me med medan meg meget mellom men mer
    mest meir mykje mye må måtte ned nei noe noen noka noko nokon nokre nokor nor nå når og
    også om opp oss over på rundt sa samme same seg selv sia sidan siden sin sine sitt sjøl
    sjølv skal skulle slik slikt som store stor stort så sånn til tilbake uten utan ut vi
    via vil ville vore vors vår våre vårt var vart vere verte vi vil være vært å ca bl.a osv
    f.eks dvs the and of
"""

_TOPIC_WORDS = """
    by byen byer byane byar byene småby småbyen småbyer småbyane småbyar småbyene kommune
    kommunen kommuner kommunane kommunar kommunene viktig viktige viktigare viktigere
    trenger treng trengs trengst må bør burde kunne få folk ting mer meir flere fleire
    bedre betre godt gode bra stor større mindre liten lite små også blant annet tenker
    tenkjer mener meiner synes synest ønsker ønskjer innspill innspel
    altfor litt helt veldig svært særlig ganske mye mykje heilt svært
    hei hilsen helsing mvh vennlig venleg takk departementet departementa regjeringen
"""

STOP_WORDS: frozenset[str] = frozenset((_FUNCTION_WORDS + _TOPIC_WORDS).split())
"""Every stop word, lower case."""
