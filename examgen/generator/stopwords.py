"""Word lists for the Latin-script languages the generator understands (lower case).

STOP words never start or end a key phrase (function words). WEAK words are real words but poor
blanks on their own ("show", "example", "wichtig"): a question asking for them tests grammar, not
the course. MARKERS are the most frequent function words, used only to tell languages apart.
"""

from __future__ import annotations


def words_of(text: str) -> frozenset[str]:
    """A word list written as one string (one place for the split, which linters would expand)."""
    return frozenset(text.split())


STOP: dict[str, frozenset[str]] = {
    "en": words_of(
        """
        a about above across after afterwards again against all almost alone along already also although
        always am among amongst an and another any anybody anyone anything anyway anywhere are around as
        at be because been before beforehand behind being below beside besides between beyond both but by
        can cannot could did do does doing done down due during each either else elsewhere enough etc
        even ever every everyone everything everywhere except few for from further furthermore had has
        have having he hence her here hers herself him himself his how however i if in indeed into is it
        its itself just last least less let many may me meanwhile might more moreover most mostly much
        must my myself namely neither never nevertheless no nobody none nor not nothing now nowhere of
        off often on once one only onto or other others otherwise our ours ourselves out over own per
        perhaps please quite rather re really same several shall she should since so some somehow
        someone something sometimes somewhere still such than that the their theirs them themselves then
        thence there thereafter thereby therefore therein thereupon these they this those though through
        throughout thru thus to together too toward towards under unless until up upon us very via was
        we well were what whatever when whence whenever where whereas whereby wherein whereupon wherever
        whether which while whither who whoever whole whom whose why will with within without would yet
        you your yours yourself yourselves s t don't isn't aren't it's there's here's let's can't won't
        """
    ),
    "de": words_of(
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
    ),
    "fr": words_of(
        """
        a au aux avec ce ces cette dans de des du elle elles en est et été être il ils je la le les
        leur leurs lui mais me même mes ne nous on ont ou où par pas pour qu que qui sa se ses si son
        sont sur ta te tes toi ton tu un une vos votre vous y d l c n s qu
        """
    ),
    "es": words_of(
        """
        a al algo como con de del el ella ellas ellos en entre era es esa ese eso esta este esto estos
        fue ha han hay la las le les lo los más me mi muy no nos o para pero por que qué se ser si sin
        sobre son su sus también te tu un una uno unos y ya
        """
    ),
}

WEAK: dict[str, frozenset[str]] = {
    "en": words_of(
        """
        use used uses using make makes made making show shows shown showing get gets got give gives
        given giving take takes taken see seen seem seems need needs needed want wants include includes
        including included contain contains containing contained consider considered describe describes
        described call called calls allow allows allowed provide provides provided become becomes find
        found know known go goes went come comes like look looks put keep kept begin began follow
        follows following followed read write written say said tell told think thought mean means meant
        help helps try tries work works worked add added change changed create created define defined
        determine determined present presented represent represents based base note noted example
        examples case cases way ways thing things kind kinds lot lots fact order place part parts
        new old good bad great small large big little high low long short first second third next
        previous different various certain specific general particular possible important main major
        minor simple common real true false full able likely usually generally simply actually
        especially fairly nearly instead additionally also section chapter page figure table following
        above below today yesterday yes hello must will shall may might zero two three four five six
        seven eight nine ten hundred thousand million percent per cent
        """
    ),
    "de": words_of(
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
    ),
    "fr": frozenset(),
    "es": frozenset(),
}

MARKERS: dict[str, frozenset[str]] = {
    "en": words_of("the and of to is that with for are this be as on it was which by from"),
    "de": words_of("der die das und ist nicht mit von zu ein eine den auf sich dem für des wird"),
    "fr": words_of("le la les et est des du une dans que qui pour sur pas au aux"),
    "es": words_of("el los las y es del que una por para con se al lo como"),
}

# Words that point back to something the reader of a lone sentence cannot see.
DANGLING_START: dict[str, frozenset[str]] = {
    "en": words_of(
        """
        this that these those it its they them their he she his her him however therefore thus hence
        also but and or so then such let moreover furthermore consequently accordingly otherwise here
        there's similarly likewise instead still yet nevertheless nonetheless besides finally
        secondly thirdly lastly above below former latter both
        """
    ),
    "de": words_of(
        """
        dies diese dieser dieses diesem diesen er sie ihr ihre sei seien ihrem ihren ihrer sein seine seinem
        seinen jedoch daher deshalb deswegen somit also aber und oder dann damit außerdem ebenso
        hierbei dabei dort hier dazu davon darauf dadurch trotzdem dennoch zudem ferner letztere
        erstere beide denn folglich demnach hieraus
        """
    ),
    "fr": words_of("ce cette ces il elle ils elles cela ceci mais donc ainsi cependant"),
    "es": words_of("este esta estos estas ese esa él ella ellos pero así sin"),
    # Chinese is matched as a prefix of the sentence, having no spaces.
    "zh": words_of(
        """
        这 那 它 他 她 其 此 该 但 然而 因此 所以 而且 并且 同时 另外
        于是 因而 从而 也 还 上述 以上 前者 后者 不过 总之
        """
    ),
}

FIRST_PERSON: dict[str, frozenset[str]] = {
    "en": words_of("i me my mine i'm i've"),
    "de": words_of("ich mir mich mein meine meinem meinen meiner"),
    "fr": words_of("je moi mon ma mes"),
    "es": words_of("yo mi mis conmigo"),
}

# Common English verbs, only those that are mostly verbs ("results" or "measures" are often nouns):
# without a tagger their inflected forms would glue a subject to its object in one candidate phrase
# ("Evaporation turns liquid water").
VERB_BASES_EN = words_of(
    """
    turn return move fill flow carry reduce cause produce contain describe include consist represent provide define
    require allow enable ensure divide connect separate convert combine receive send hold bring begin become
    remain seem appear follow apply belong correspond extend serve help keep lead take make give show mean refer
    depend determine indicate involve generate create occur exist explain develop break agree inform affect
    influence absorb emit grow spread reach raise pass decide learn understand prevent protect destroy enter
    leave lose gain launch shrink divert evaporate condense freeze melt dissolve transform replace remove add
    obtain observe consider find relate locate derive compose discover invent publish propose introduce
    establish improve say tell think know want try ask feel put hear live believe happen sit stand meet sell get
    go come see read write constitute associate contribute maintain operate perform achieve assume compare
    contrast continue deliver detect emerge enhance examine express identify illustrate imply interact occupy
    predict prove react recognise recognize regulate rely reveal select settle suggest surround tend vary
    """
)


def _inflect(base: str) -> set[str]:
    if base.endswith("e"):
        return {base, base + "s", base + "d"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied"}
    plural = base + ("es" if base.endswith(("s", "sh", "ch", "x", "o")) else "s")
    return {base, plural, base + "ed"}


VERBS_EN = frozenset(
    {form for base in VERB_BASES_EN for form in _inflect(base)}
    | words_of(
        """
        is are was were be been has have had do does did can could will would shall should may might must
        made given shown known found based named took taken got gone came seen felt kept led held brought
        began begun became ran wrote written told thought sent lost won said paid met sold stood grew
        grown rose risen fell fallen shrank shrunk called used named based related referenced released
        presented supported measured stored designed linked needed started
        """
    )
)
# German adjective and participle endings (before inflection): a lower-case German word without one
# is usually a verb or an adverb, which makes a poor blank.
ADJECTIVE_ENDINGS_DE = (
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
)

# Words that can stand right before a German noun phrase and fix its gender, number and case.
DETERMINERS_DE = words_of(
    """
    der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins kein keine
    jeder jede jedes jedem jeden dieser diese dieses diesem diesen beide beiden alle allen aller
    """
)
# A number right after these is a label ("Figure 3", "Definition 12"), not a fact worth asking.
NUMBER_CONTEXT = words_of(
    """
    figure fig table section sec chapter page p pp definition beispiel bemerkung satz lemma abbildung
    abb kapitel seite edition version level aufgabe exercise step schritt theorem korollar corollary
    example note footnote equation eq gleichung nr no number tabelle proposition appendix anhang
    """
)
