"""German: capitalised nouns head terms, determiners fix gender and number, "heißt"/"nennt man" define."""

from __future__ import annotations

import re

from .profile import DefinitionRule, Profile, pairs, words_of

LABELS = {
    "questions": "Fragen",
    "answer_key": "Lösungen",
    "true": "Wahr",
    "false": "Falsch",
    "page": "S.",
    "name": "Name",
    "date": "Datum",
    "mcq": "Wählen Sie die richtige Antwort.",
    "cloze": "Ergänzen Sie die Lücke.",
    "true_false": "Wahr oder falsch?",
    "source": "Quelle",
    "pages": "Seiten",
    "questions_count": "Fragen",
    "explanation": "Im Text ({page}): {text}",
    "fewer": "Das Dokument trägt {made} gute Fragen von {asked} verlangten: {why}.",
    "why_short": "es ist kurz",
    "why_few_statements": "wenige Sätze nennen für sich allein eine Definition, Eigenschaft, Ursache oder einen Gegensatz",
    "why_formulas": "auf {bad} von {pages} Seiten fehlen Formeln in der Textebene",
    "why_little_text": "{bad} von {pages} Seiten haben kaum Text",
}

STOP = words_of(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anders auch auf aus bei beide beiden beim bereits bin bis bist bzw da dabei dadurch dafür
    dagegen daher dahin damals damit danach dann daran darauf daraus darin darum darunter das dass
    daß dasselbe davon davor dazu dein deine dem demnach den denen denn dennoch der deren derer des
    deshalb dessen desto dich die dies diese diesem diesen dieser dieses dir doch dort du durch eben
    ebenfalls ebenso ein eine einem einen einer eines einige einigen einiger einiges einmal er es
    etwa etwas euch euer eure falls für gegen gegenüber gerade gewesen hab habe haben hat hatte
    hätte hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem ins
    ist ja je jede jedem jeden jeder jedes jedoch jene jenem jenen jener jenes jetzt kann kaum kein
    keine keinem keinen keiner keines können könnte man manche manchem manchen mancher manches mehr
    mein meine meist mich mir mit muss musste müssen nach nachdem nein nicht nichts noch nun nur ob
    oder ohne schon sehr sei seien sein seine seinem seinen seiner seines seit selbst sich sie sind
    so sodass solche solchem solchen solcher solches soll sollen sollte sondern sonst sowie sowohl
    über um und uns unser unsere unter viel viele vom von vor während war waren warum was weil
    weiter welche welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird
    wirst wo wobei wodurch woher wohin wollen worden wurde wurden zu zum zur zwar zwischen gilt
    gelten heißt heißen gibt geben wäre wären würde würden z.b d.h u.a vgl ggf bzw usw
    """
)

WEAK = words_of(
    """
    beispiel beispiele bemerkung definition satz lemma beweis folgt genau ganz gleich gleiche
    gleichen neue neuen erste ersten zweite zweiten dritte weitere weiteren folgende folgenden
    gegeben gegebenen sogenannte sogenannten wichtig wichtige wichtigen verschiedene verschiedenen
    allgemein allgemeinen insbesondere fall falle fälle art weise teil teile abschnitt kapitel
    seite abbildung tabelle aufgabe aufgaben lösung lösungen folgendes gilt gelten sei seien
    heißt heißen nennt nennen genannt betrachte betrachten zeigen zeigt gezeigt damit somit also
    stets jeweils direkt wirklich einfach einfache einfachen natürlich ebenfalls eigentlich
    zunächst schließlich außerdem tatsächlich daher hierbei dabei siehe beh vor def bsp
    möglich möglichen ähnlich ähnliche nötig notwendig richtig falsch klar leicht schwer gut
    schlecht groß große großen klein kleine kleinen lang kurz hoch neu alt eigen eigene bestimmt
    bestimmte bestimmten beliebig beliebige beliebigen null eins zwei drei vier fünf sechs sieben
    acht neun zehn hundert tausend teilweise anschaulich offensichtlich übungsaufgabe
    übungsaufgaben übung übungen vorlesung skript prozent
    """
)

DANGLING_START = words_of(
    """
    dies diese dieser dieses diesem diesen er sie ihr ihre sei seien ihrem ihren ihrer sein seine seinem
    seinen jedoch daher deshalb deswegen somit also aber und oder dann damit außerdem ebenso
    hierbei dabei dort hier dazu davon darauf dadurch trotzdem dennoch zudem ferner letztere
    erstere beide denn folglich demnach hieraus analog entsprechend insbesondere nun zunächst schließlich
    """
)

POINTERS = re.compile(
    r"\b(?:dies|diese|dieser|dieses|diesem|diesen|obig\w*|vorig\w*|letzter\w*|ersterer?|folgend\w*|nachfolgend\w*"
    r"|oben|unten|hier|wir|uns|unser\w*|ihr|euch|sie|also|daher|somit|jedoch|dann|deshalb|ebenfalls|auch|nun)\b"
    r"|\b(?:Abbildung|Abb|Tabelle|Tab|Gleichung|Abschnitt|Kapitel|Satz|Lemma|Beispiel|Bemerkung|Definition"
    r"|Aufgabe|Korollar|Proposition|Seite)\.?\s*\d|§|\(\s*\d+(?:\.\d+)*\s*\)",
)

META = re.compile(
    r"^(?:Sei|Seien|Es sei|Gegeben sei|Betrachte|Man betrachte|Zeige|Zeigen Sie|Beweise|Beweis|Berechne|Bestimme"
    r"|Beispiel|Bemerkung|Aufgabe|Lösung|Hinweis|Übung|Anschaulich)\b|\b(?:in dieser Vorlesung|in diesem Kapitel"
    r"|in diesem Abschnitt|wie folgt|im Folgenden|siehe|Skript|Vorlesung|Tutori\w*|Übungsblatt|Klausur|Dank\w*"
    r"|Student\w*|Professor\w*|Dozent\w*)\b"
    # "Das ist …", "Die Aussage ist richtig …", "Die beiden markierten Dreiecke …": a pronoun, a claim
    # made before, or a figure.
    r"|^(?:Das|Dies|Der|Die) (?:ist|sind|war|gilt|heißt)\b|\b(?:Aussage|Behauptung|markiert\w*|beiden|obig\w*"
    r"|genannt\w*|gezeigt\w*|dargestellt\w*|Manchmal)\b"
)

DEFINITIONS = (
    DefinitionRule(
        re.compile(
            r"^(?:Ein|Eine|Der|Die|Das)?\s?(?P<term>[A-ZÄÖÜ][\wäöüß-]+(?: [A-ZÄÖÜ]?[\wäöüß-]+){0,3})"
            r" (?:ist|sind|heißt|heißen|bezeichnet|nennt man) (?P<body>(?:ein|eine|der|die|das)\b.{12,})[.!]$"
        ),
        "ist-ein",
    ),
    DefinitionRule(
        re.compile(
            r"^(?P<body>.{12,}?) (?:heißt|heißen|nennt man|bezeichnet man als|wird als|werden als) "
            r"(?P<term>[\wäöüßÄÖÜ-]+(?: [\wäöüßÄÖÜ-]+){0,3}?)(?: bezeichnet| genannt)?(?:, (?:wenn|falls|sofern) .{6,})?[.!]$"
        ),
        "heisst",
    ),
    DefinitionRule(
        re.compile(
            r"^Unter (?:einem |einer |einem |dem |der )?(?P<term>[\wäöüßÄÖÜ-]+(?: [\wäöüßÄÖÜ-]+){0,3}) versteht man (?P<body>.{12,})[.!]$"
        ),
        "versteht-man",
    ),
)

CONTRASTS = pairs(
    """
    offen/abgeschlossen offene/abgeschlossene offenen/abgeschlossenen zusammenhängend/unzusammenhängend
    kompakt/nichtkompakt stetig/unstetig endlich/unendlich gerade/ungerade positiv/negativ innen/außen
    innere/äußere inneren/äußeren größer/kleiner höher/niedriger maximal/minimal Maximum/Minimum
    steigt/fällt zunimmt/abnimmt Zunahme/Abnahme direkt/indirekt aktiv/passiv linear/nichtlinear
    homogen/heterogen symmetrisch/antisymmetrisch notwendig/hinreichend konvex/konkav injektiv/surjektiv
    """
)

PROFILE = Profile(
    code="de",
    cjk=False,
    labels=LABELS,
    markers=words_of("der die das und ist nicht mit von zu ein eine den auf sich dem für des wird"),
    stop=STOP,
    weak=WEAK,
    abbreviations=words_of(
        """
        bzw bzgl vgl z.b d.h u.a o.ä s.o s.u ggf evtl sog inkl bspw insb hr fr dipl ing mio mrd jh beh bem
        prop korr nr abb bsp def jan feb mär apr jun jul aug sep sept okt nov dez ca dr prof st
        """
    ),
    hedges=words_of(
        "meist meistens oft häufig manchmal gewöhnlich normalerweise typischerweise wahrscheinlich vielleicht möglicherweise selten überwiegend derzeit heute usw"
    ),
    dangling_start=DANGLING_START,
    pointers=POINTERS,
    meta=META,
    definitions=DEFINITIONS,
    contrasts=CONTRASTS,
    opposite_prefixes=("un", "nicht", "in", "a", "anti"),
    generic_zipf=4.8,
    nouns_capitalised=True,
    determiners=words_of(
        """
        der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins kein keine
        jeder jede jedes jedem jeden dieser diese dieses diesem diesen beide beiden alle allen aller
        """
    ),
    number_context=words_of(
        """
        beispiel bemerkung satz lemma abbildung abb kapitel seite aufgabe schritt theorem korollar gleichung nr
        tabelle proposition anhang definition
        """
    ),
    variant="Variante {}",
    extras={
        "adjective_endings": (
            "ig",
            "lich",
            "isch",
            "sch",
            "bar",
            "sam",
            "haft",
            "los",
            "end",
            "iv",
            "al",
            "ell",
            "är",
            "ös",
            "ant",
            "ent",
            "kt",
            "ossen",
            "iert",
        ),
        "months": words_of("januar februar märz april mai juni juli august september oktober november dezember"),
    },
)
