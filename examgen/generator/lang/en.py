"""English: the most complete profile, and the one languages without their own fall back to."""

from __future__ import annotations

import re

from ..english import (
    can_be_noun,
    first_verb,
    is_plural,
    lemma,
    noun_not_adjective,
    only_verb_or_adverb,
    subject_first,
)
from .profile import DefinitionRule, Profile, pairs, words_of

LABELS = {
    "questions": "Questions",
    "answer_key": "Answer key",
    "true": "True",
    "false": "False",
    "page": "p.",
    "name": "Name",
    "date": "Date",
    "mcq": "Choose the one correct answer.",
    "cloze": "Fill in the blank.",
    "true_false": "True or false?",
    "source": "Source",
    "pages": "pages",
    "questions_count": "questions",
    "explanation": "The text says ({page}): {text}",
    "fewer": "The document supports {made} good questions of the {asked} asked: {why}.",
    "why_short": "it is short",
    "why_few_statements": "few of its sentences state a definition, property, cause or contrast on their own",
    "why_formulas": "formulas are missing from the text layer on {bad} of {pages} pages",
    "why_little_text": "{bad} of {pages} pages have almost no text",
}

STOP = words_of(
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
)

WEAK = words_of(
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
    seven eight nine ten hundred thousand million percent per cent result results term terms
    idea ideas concept concepts aspect aspects problem problems question questions answer answers
    numerous many several various multiple number numbers amount amounts variety range ranges type types
    """
)

ABBREVIATIONS = words_of(
    """
    e.g i.e cf vs viz approx ca dr mr mrs ms prof st jr sr fig figs eq eqs no nos vol vols pp p
    sec sect ch chap ref refs al ed eds resp incl esp dept univ corp inc ltd co nr
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)

DANGLING_START = words_of(
    """
    this that these those it its they them their he she his her him however therefore thus hence
    also but and or so then such let moreover furthermore consequently accordingly otherwise here
    there's similarly likewise instead still yet nevertheless nonetheless besides finally
    secondly thirdly lastly above below former latter both now again another other others each
    either neither next conversely alternatively meanwhile afterwards later earlier overall clearly
    obviously indeed recall remember note notice consider suppose assume imagine we our us you your
    i my in-fact specifically namely essentially basically
    """
)

# Wherever they stand: a lone sentence with these leans on text around it. ("it" and "its" often
# refer inside their own sentence, "rock that stores water and lets it flow": only early ones count,
# see EARLY_PRONOUNS.)
POINTERS = re.compile(
    r"\b(?:this|these|those|we|us|our|you|your"
    r"|former|latter|aforementioned|above-mentioned|abovementioned|hereafter|aforesaid|previously|earlier)\b"
    r"|\b(?:the|as|see|shown|given|listed|described|mentioned|discussed|defined) (?:above|below)\b"
    # An ordinal standing for something listed before: "The first is when ...", "the third cause".
    r"|\bthe (?:first|second|third|fourth|fifth|last|final|next|other|others|same|two|three|four|latter|former"
    r"|previous|following|preceding)(?= (?:is|are|was|were|has|have|can|may|ones?|of)\b|[,.;:]"
    r"| (?:cause|reason|type|step|case|way|method|kind|example|point|factor|part|stage|approach|problem|question"
    r"|aspect|group|category|class|option|solution|issue|rule|condition|one|item|phase|effect)s?\b"
    r"| (?:largest|biggest|most|smallest|highest|lowest|best|worst|main|major)\b)"
    r"|\b(?:another|such)\b(?! as\b)|\bin other\b|\bothers?\b(?=[,.]|$)"
    r"|\b(?:figure|fig|table|tab|equation|eq|eqs|section|sec|chapter|ch|appendix|example|exercise|theorem"
    r"|lemma|corollary|definition|proposition|problem|slide|lecture|part)\.?\s*(?:\d|[ivx]+\b|[A-Z]\b)"
    r"|\(\s*\d+(?:\.\d+)*[a-z]?\s*\)|\[\s*\d+(?:[,–-]\s*\d+)*\s*\]"
    r"|\b(?:here|now|then)\b(?=[,.]|$)|\bin (?:this|the next|the previous|the last) (?:case|way|example|section|chapter)\b"
    r"|\bthe (?:above|below|figure|table|diagram|graph|equation|formula|example|alternative|remaining)\b"
    # "… the representation of inner eye in the model": which model? Named ("in Baddeley's model",
    # "in the model of …") it stands alone.
    r"|\b(?:in|of|by|from|under|within) the (?:model|theory|framework|approach|study|experiment|scheme)\b(?! of\b)"
    # Connectives in the middle lean on the sentence before ("..., however, ..."); asides that cite
    # or talk to the reader ("(but see Guthrie, 2004)", "(should be)"); dashes of note-style lines.
    r"|\b(?:however|therefore|thus|hence|also|instead|again|likewise|similarly|otherwise|nevertheless|moreover"
    r"|furthermore|additionally|consequently|accordingly|meanwhile|in addition|as well|in contrast(?! to| with)"
    r"|by contrast|then"
    r"|in fact|in particular)\b|\((?:[^()]*\b(?:it|its|see|cf|e\.g|i\.e|should|we|you)\b[^()]*|[^()]*\d{4}[a-z]?)\)"
    r"|\bet al\b|\s[-–—]\s[A-Z]"
    # The book's framing, not the subject: "Goddard provides a case example of …".
    r"|\b(?:provides?|offers?|gives?|serves? as) (?:a|an|another) (?:case |good |classic )?example\b|\bcase example\b"
    # "… are similar." (to what?): a comparison without its other side.
    r"|\b(?:similar|analogous|identical|the same|different|alike|comparable)[.!]?$",
    re.IGNORECASE,
)
EARLY_PRONOUNS = words_of("it its")
ANAPHORS = {
    "plural": words_of("they them their theirs themselves"),
    "person": words_of("he she him his her hers himself herself"),
}

META = re.compile(
    r"^(?:let|suppose|assume|consider|recall|note|notice|show|prove|find|compute|calculate|derive|determine"
    r"|explain|describe|discuss|compare|list|name|give|write|draw|sketch|use|see|read|check|verify|try"
    r"|remember|imagine|think|look|click|open|run|install|download|example|exercise|problem|question"
    r"|solution|answer|hint|proof|figure|table|summary|chapter|section|lecture|note|notes)\b"
    r"|\b(?:in this (?:course|module|lecture|chapter|section|book|text|document|paper|note|unit|class)"
    r"|this (?:course|module|lecture|chapter|section|book|document|paper|unit|class)|these notes"
    r"|the (?:following|next) (?:section|chapter|lecture|example|figure|table)|we (?:will|shall|can|now|have|saw|see)"
    r"|as (?:shown|seen|follows|mentioned|discussed|noted)|take[- ]home message|for example|for instance"
    r"|e\.g\.|such as the following|homework|assignment|exam\b|midterm|lecturer|syllabus|slides?\b"
    r"|\b(?:chapter|lecture|course|textbook|module|notation|reader|readers|students?|teacher|authors?)\b"
    r"|\b(?:can|may) be (?:stated|written|expressed|formulated|summari[sz]ed|rewritten)\b)",
    re.IGNORECASE,
)

# Each body must say more than a word or two: "X is a major obstacle" evaluates, it does not define.
_TERM = r"(?P<term>(?:[A-Z][\w'’-]*|[a-z][\w'’-]*)(?: [\w'’-]+){0,5}?(?: \((?P<abbr>[A-Za-z][\w-]{1,11})\))?)"
_EVALUATIVE = (
    r"(?!(?:very |most |quite |rather |single |only |first |second |main |key )*(?:major|important|key|main|big|serious"
    r"|good|bad|great|greatest|huge|common|useful|problem|issue|way|thing|reason|result|case|example|same)\b)"
)
_TAIL = r"(?:that|which|who|whose|where|when|in which|by which|of|for|in|on|to|from|with|by|between|among|within|used|made|formed|consisting|containing|responsible|able|capable)"
DEFINITIONS = (
    DefinitionRule(
        re.compile(
            rf"^{_TERM},?(?: (?:also|sometimes|often) (?:called|known as|termed) [^,]{{2,60}},)? "
            rf"(?:is|are) (?:defined as |called |known as |the name (?:given )?(?:to|for) )?"
            rf"(?:an?|the|one of the|any) {_EVALUATIVE}(?P<body>[\w'’-]+(?: [^ ;]+){{2,}}?"
            rf" {_TAIL}\b[^;]+)[.!]$"
        ),
        "is-a",
    ),
    DefinitionRule(
        re.compile(
            rf"^{_TERM} are (?!\w+(?:ed|en)\b){_EVALUATIVE}(?P<body>[\w'’-]+(?: [\w'’-]+){{0,3}}"
            rf" (?:that|which|who|whose)\b[^;]{{8,}})[.!]$"
        ),
        "are-plural",
    ),
    DefinitionRule(
        re.compile(
            rf"^{_TERM} (?:is|are) (?!\w+(?:ed|en)\b){_EVALUATIVE}(?P<body>[\w'’-]+(?: [\w'’-]+){{0,2}}"
            rf" (?:that|which|who|whose|where|in which)\b[^;]{{8,}})[.!]$"
        ),
        "is-noun-that",
    ),
    DefinitionRule(
        re.compile(
            rf"^{_TERM} (?:refers to|denotes|is defined as|is the term for|stands for|describes how|describes the way)"
            rf" (?P<body>.{{12,}})[.!]$"
        ),
        "refers-to",
    ),
    DefinitionRule(
        re.compile(
            r"^(?P<body>[A-Z].{12,}?),? (?:is|are) (?:(?:usually|often|commonly|also|sometimes|generally) )?"
            r"(?:called|known as|termed|referred to as|named) "
            r"(?:an? |the )?(?P<term>[\w'’-]+(?: [\w'’-]+){0,4}(?: \((?P<abbr>[A-Za-z][\w-]{1,11})\))?)[.!]$"
        ),
        "called",
    ),
    DefinitionRule(
        re.compile(
            r"^(?P<term>[A-Z][\w'’-]*(?: [\w'’-]+){0,4}(?: \((?P<abbr>[A-Za-z][\w-]{1,11})\))?):\s+"
            r"(?P<body>(?:an?|the)\s[\w'’-]+(?: [^ ;]+){3,}[.!])$"
        ),
        "colon",
    ),
)
# Head nouns that evaluate or point rather than name a concept ("an exciting discovery is that ...").
NOT_TERMS = words_of(
    """
    fact facts discovery alternative difference differences feature features problem problems advantage
    advantages disadvantage disadvantages point points goal goals aim aims issue issues question questions
    message thing things way ways reason reasons result results conclusion conclusions approach idea ideas
    example examples case cases answer part parts aspect aspects step steps note notes remark summary
    option options solution solutions challenge challenges benefit benefits drawback drawbacks lesson
    workaround workarounds trick tricks method methods technique techniques strategy strategies remnant remnants
    """
)

CONTRASTS = pairs(
    """
    increase/decrease increases/decreases increased/decreased increasing/decreasing higher/lower
    larger/smaller greater/smaller maximum/minimum maximal/minimal positive/negative
    active/passive direct/indirect directly/indirectly inner/outer internal/external input/output
    inputs/outputs absorb/emit absorbs/emits absorbed/emitted absorption/emission oxidation/reduction
    oxidised/reduced oxidized/reduced faster/slower stronger/weaker longer/shorter wider/narrower
    heavier/lighter heating/cooling warm/cold warmer/colder attract/repel attracts/repels
    attractive/repulsive convergent/divergent converges/diverges horizontal/vertical parallel/perpendicular
    clockwise/anticlockwise clockwise/counterclockwise even/odd necessary/sufficient homogeneous/heterogeneous
    hydrophobic/hydrophilic endothermic/exothermic static/dynamic explicit/implicit analog/digital
    analogue/digital early/late earlier/later before/after rise/fall rises/falls gain/loss gains/losses
    profit/loss surplus/deficit inflation/deflation import/export imports/exports supply/demand
    majority/minority public/private symmetric/antisymmetric upstream/downstream upper/lower
    north/south east/west northern/southern eastern/western acidic/alkaline acid/base anode/cathode
    cation/anion donor/acceptor sender/receiver encryption/decryption encrypt/decrypt serial/parallel
    series/parallel continuous/discrete qualitative/quantitative objective/subjective absolute/relative
    primary/secondary dominant/recessive haploid/diploid prokaryotic/eukaryotic prokaryote/eukaryote
    aerobic/anaerobic synthesis/degradation activation/inhibition activates/inhibits agonist/antagonist
    sympathetic/parasympathetic innate/acquired nature/nurture inductive/deductive induction/deduction
    rational/empirical rationalism/empiricism conservative/liberal federal/unitary presidential/parliamentary
    """
)

# Common English verbs, only those that are mostly verbs ("results" or "measures" are often nouns):
# without a tagger their inflected forms would glue a subject to its object in one candidate phrase
# ("Evaporation turns liquid water").
VERB_BASES = words_of(
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


VERBS = frozenset(
    {form for base in VERB_BASES for form in _inflect(base)}
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

PROFILE = Profile(
    code="en",
    cjk=False,
    labels=LABELS,
    markers=words_of("the and of to is that with for are this be as on it was which by from"),
    stop=STOP,
    weak=WEAK,
    abbreviations=ABBREVIATIONS,
    hedges=words_of(
        "typically usually often sometimes generally normally mostly frequently occasionally rarely seldom probably possibly perhaps likely unlikely tend tends tended may might most many some several few currently recently nowadays today etc should ought"
    ),
    opinions=words_of(
        "unfortunately fortunately arguably obviously undoubtedly surely remarkably interestingly sadly importantly"
        " famously brilliant terrible excellent wonderful awful admirable shameful praiseworthy"
        # Degree words that make a claim a matter of degree: "deeply impacted public policy" is
        # one no student marks false, "greatly decreased" one every student does.
        " deeply substantially greatly strongly profoundly heavily hugely enormously tremendously vastly"
    ),
    negations=words_of("not never cannot neither nor isn aren wasn weren doesn don didn hasn haven won"),
    dangling_start=DANGLING_START,
    reader=re.compile(r"\b(?:we|our|us|ourselves)\b", re.IGNORECASE),
    pointers=POINTERS,
    early_pronouns=EARLY_PRONOUNS,
    anaphors=ANAPHORS,
    meta=META,
    definitions=DEFINITIONS,
    contrasts=CONTRASTS,
    opposite_prefixes=("non-", "non", "un", "in", "im", "ir", "il", "dis", "an", "a", "anti", "counter"),
    generic_zipf=4.6,
    is_noun=can_be_noun,
    verb_or_adverb=only_verb_or_adverb,
    declarative=subject_first,
    verb_at=first_verb,
    noun_key=noun_not_adjective,
    is_plural=is_plural,
    lemma=lemma,
    adverb_suffixes=("ly",),
    participle_suffixes=("ed", "ing"),
    not_terms=NOT_TERMS,
    verbs=VERBS,
    number_context=words_of(
        """
        figure fig table section sec chapter page p pp definition edition version level exercise step theorem
        corollary example note footnote equation eq no number proposition appendix lecture slide part
        """
    ),
    variant="Variant {}",
)
