"""French: "est un", "on appelle", "désigne" define; its own labels."""

from __future__ import annotations

import re

from .profile import DefinitionRule, Profile, pairs, words_of

LABELS = {
    "questions": "Questions",
    "answer_key": "Corrigé",
    "true": "Vrai",
    "false": "Faux",
    "page": "p.",
    "name": "Nom",
    "date": "Date",
    "mcq": "Choisissez la bonne réponse.",
    "cloze": "Complétez le texte.",
    "true_false": "Vrai ou faux ?",
    "source": "Source",
    "pages": "pages",
    "questions_count": "questions",
    "explanation": "Le texte dit ({page}) : {text}",
    "fewer": "Le document permet {made} bonnes questions sur les {asked} demandées : {why}.",
    "why_short": "il est court",
    "why_few_statements": "peu de ses phrases énoncent seules une définition, une propriété, une cause ou un contraste",
    "why_formulas": "des formules manquent dans la couche de texte sur {bad} pages sur {pages}",
    "why_little_text": "{bad} pages sur {pages} n'ont presque pas de texte",
}

PROFILE = Profile(
    code="fr",
    cjk=False,
    labels=LABELS,
    markers=words_of("le la les et est des du une dans que qui pour sur pas au aux"),
    stop=words_of(
        """
        a au aux avec ce ces cette dans de des du elle elles en est et été être il ils je la le les
        leur leurs lui mais me même mes ne nous on ont ou où par pas pour qu que qui sa se ses si son
        sont sur ta te tes toi ton tu un une vos votre vous y d l c n s qu
        """
    ),
    weak=words_of("exemple exemples cas partie parties chapitre section figure tableau page question questions"),
    abbreviations=words_of("cf etc p pp fig éd vol n° env ex mme mlle m"),
    hedges=words_of(
        "souvent parfois généralement habituellement normalement typiquement probablement peut-être rarement fréquemment actuellement aujourd etc"
    ),
    dangling_start=words_of(
        "ce cette ces cela ceci il elle ils elles mais donc ainsi cependant alors puis ensuite enfin"
    ),
    pointers=re.compile(
        r"\b(?:ce|cette|ces|ceci|cela|celui|celle|ceux|nous|vous|notre|nos|votre|vos|ci-dessus|ci-dessous"
        r"|précédent\w*|suivant\w*)\b|\b(?:figure|tableau|équation|section|chapitre|exemple|exercice)\s*\d"
        r"|\(\s*\d+(?:\.\d+)*\s*\)",
        re.IGNORECASE,
    ),
    meta=re.compile(r"^(?:Soit|Soient|Montrer|Calculer|Exemple|Exercice|Remarque|Preuve|Démonstration)\b"),
    definitions=(
        DefinitionRule(
            re.compile(
                r"^(?:Le |La |Les |L['’]|Un |Une )?(?P<term>[\w'’-]+(?: [\w'’-]+){0,3}) (?:est|sont|désigne|désignent)"
                r" (?P<body>(?:un|une|le|la|les|l['’]|des)\b.{12,})[.!]$"
            ),
            "est-un",
        ),
        DefinitionRule(
            re.compile(r"^On (?:appelle|nomme) (?P<term>[\w'’-]+(?: [\w'’-]+){0,3}) (?P<body>.{12,})[.!]$"),
            "on-appelle",
        ),
    ),
    contrasts=pairs(
        "augmente/diminue hausse/baisse supérieur/inférieur positif/négatif interne/externe direct/indirect"
    ),
    opposite_prefixes=("non-", "in", "im", "dé", "anti"),
    generic_zipf=4.8,
    variant="Variante {}",
)
