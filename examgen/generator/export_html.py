"""A printable exam: questions first, then the answer key on a page of its own.

`key` picks the copy: "include" (both, the default), "none" (the student copy, no answers) or
"only" (the answer key alone, for the teacher).

Every value from the exam (title, prompts, options, file name) goes through Jinja2's autoescaping,
so a title like "<script>" prints as text. The page declares UTF-8 so Chinese renders.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from jinja2 import Environment

from .exam import Exam
from .labels import labels, page_label
from .printable import answer_text, variant_label
from .question_types import BLANK, TrueFalse

_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="examgen {{ exam.generator }}">
<title>{{ exam.title }}</title>
<style>
  body { font-family: "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
         system-ui, sans-serif; line-height: 1.5; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  header { border-bottom: 1px solid #999; margin-bottom: 1.5rem; }
  .meta { color: #555; font-size: .9rem; }
  .fields span { display: inline-block; min-width: 14rem; margin-right: 2rem; }
  ol.questions > li { margin: 0 0 1.3rem; break-inside: avoid; page-break-inside: avoid; }
  .instruction { color: #555; font-size: .85rem; font-style: italic; margin: 0; }
  .prompt { margin: .2rem 0; }
  .blank { letter-spacing: .1em; }
  ol.options { list-style-type: upper-alpha; margin: .2rem 0; }
  .tf { margin: .2rem 0 0 1.5rem; }
  .tf span { margin-right: 2rem; }
  section.answer-key { break-before: page; page-break-before: always; }
  .answer-key .source, .answer-key .explanation { color: #555; font-size: .85rem; }
  @media print { body { margin: 0 auto; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
<header>
  <h1>{{ exam.title }}</h1>
  <p class="meta">{{ words.source }}: {{ exam.source.filename }} · {{ exam.source.pages }} {{ words.pages }}
    · {{ exam.questions | length }} {{ words.questions_count }}
    {%- if variant_word %} · <span class="variant">{{ variant_word }}</span>{% endif %}</p>
  <p class="fields"><span>{{ words.name }}: ____________________</span><span>{{ words.date }}: __________</span></p>
</header>
{%- if key != "only" %}
<section class="exam">
<h2>{{ words.questions }}</h2>
<ol class="questions">
{%- for q in questions %}
  <li id="{{ q.id }}" class="{{ q.type }}">
    <p class="instruction">{{ words[q.type] }}</p>
    <p class="prompt">
      {%- for part in q.parts -%}
        {% if not loop.first %}<span class="blank">_____</span>{% endif %}{{ part }}
      {%- endfor -%}
    </p>
    {%- if q.type == "mcq" %}
    <ol class="options">{% for option in q.options %}<li>{{ option }}</li>{% endfor %}</ol>
    {%- elif q.type == "true_false" %}
    <p class="tf"><span>☐ {{ words.true }}</span><span>☐ {{ words.false }}</span></p>
    {%- endif %}
  </li>
{%- endfor %}
</ol>
</section>
{%- endif %}
{%- if key != "none" %}
<section class="answer-key">
<h2>{{ words.answer_key }}</h2>
<ol>
{%- for q in questions %}
  <li><strong>{{ q.key }}</strong> <span class="source">({{ q.page_label }})</span>
  {%- if q.explanation %}<br><span class="explanation">{{ q.explanation }}</span>{% endif %}</li>
{%- endfor %}
</ol>
</section>
{%- endif %}
</body>
</html>
"""

# The page's one inline style, allowed by its hash: the download is served with a CSP that forbids
# every other inline style and all scripts (api/jobs.py).
_STYLE = re.search(r"<style>(.*?)</style>", _TEMPLATE, re.DOTALL).group(1)  # type: ignore[union-attr]
STYLE_SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode() + "'"
_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_COMPILED = _ENV.from_string(_TEMPLATE)


def render_html(exam: Exam, key: str = "include") -> str:
    lang = exam.language or "en"
    words = labels(lang)
    # What the template shows of each question, besides its own fields.
    questions: list[dict[str, Any]] = [
        {
            "id": q.id,
            "type": q.type,
            "options": q.options,
            "explanation": q.explanation,
            "parts": [q.prompt] if isinstance(q, TrueFalse) else q.prompt.split(BLANK),
            "key": answer_text(q, words),
            "page_label": page_label(lang, q.source_page),
        }
        for q in exam.questions
    ]
    return _COMPILED.render(
        exam=exam, questions=questions, words=words, lang=lang, key=key, variant_word=variant_label(exam)
    )
