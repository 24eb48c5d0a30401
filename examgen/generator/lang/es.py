"""Spanish: "es un", "se llama", "se denomina" define; its own labels."""

from __future__ import annotations

import re

from .profile import DefinitionRule, Profile, pairs, words_of

LABELS = {
    "questions": "Preguntas",
    "answer_key": "Respuestas",
    "true": "Verdadero",
    "false": "Falso",
    "page": "p.",
    "name": "Nombre",
    "date": "Fecha",
    "mcq": "Elija la respuesta correcta.",
    "cloze": "Complete el espacio en blanco.",
    "true_false": "¿Verdadero o falso?",
    "source": "Fuente",
    "pages": "páginas",
    "questions_count": "preguntas",
    "explanation": "El texto dice ({page}): {text}",
    "fewer": "El documento permite {made} buenas preguntas de las {asked} pedidas: {why}.",
    "why_short": "es corto",
    "why_few_statements": "pocas de sus frases enuncian por sí solas una definición, propiedad, causa o contraste",
    "why_formulas": "faltan fórmulas en la capa de texto en {bad} de {pages} páginas",
    "why_little_text": "{bad} de {pages} páginas casi no tienen texto",
}

PROFILE = Profile(
    code="es",
    cjk=False,
    labels=LABELS,
    markers=words_of("el los las y es del que una por para con se al lo como"),
    stop=words_of(
        """
        a al algo como con de del el ella ellas ellos en entre era es esa ese eso esta este esto estos
        fue ha han hay la las le les lo los más me mi muy no nos o para pero por que qué se ser si sin
        sobre son su sus también te tu un una uno unos y ya
        """
    ),
    weak=words_of("ejemplo ejemplos caso casos parte partes capítulo sección figura tabla página pregunta"),
    abbreviations=words_of("p pp fig ej etc vol sr sra dr dra"),
    hedges=words_of(
        "frecuentemente normalmente generalmente habitualmente típicamente probablemente quizás raramente actualmente hoy etc"
    ),
    dangling_start=words_of("este esta estos estas ese esa él ella ellos pero así sin embargo entonces además luego"),
    pointers=re.compile(
        r"\b(?:este|esta|estos|estas|ese|esa|esos|esas|nosotros|nuestro\w*|anterior\w*|siguiente\w*)\b"
        r"|\b(?:figura|tabla|ecuación|sección|capítulo|ejemplo|ejercicio)\s*\d|\(\s*\d+(?:\.\d+)*\s*\)",
        re.IGNORECASE,
    ),
    meta=re.compile(r"^(?:Sea|Sean|Demuestre|Calcule|Ejemplo|Ejercicio|Nota|Demostración)\b"),
    definitions=(
        DefinitionRule(
            re.compile(
                r"^(?:El |La |Los |Las |Un |Una )?(?P<term>[\w-]+(?: [\w-]+){0,3}) (?:es|son|se denomina|se llama)"
                r" (?P<body>(?:un|una|el|la|los|las)\b.{12,})[.!]$"
            ),
            "es-un",
        ),
    ),
    contrasts=pairs("aumenta/disminuye mayor/menor positivo/negativo interno/externo directo/indirecto"),
    opposite_prefixes=("no ", "in", "im", "des", "anti"),
    generic_zipf=4.8,
    variant="Variante {}",
)
