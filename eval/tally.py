"""Adding up blind judges' verdicts (the brief in docs/quality.md): per language, type and defect.

A judge writes, per document, a heading naming the document and a table
`| id | type | verdict | tags | reason |`. The packet's manifest.json (beside the judge's file or in a
folder above it, or given with --packet) says each document's language and each question's type and
answer, so a judge's own spelling of the type does not matter. Verdicts are read loosely ("AS IS",
"as-is", "Light edit"); a row without a known verdict is reported, not guessed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .packet import MANIFEST, Manifest, read_manifest

VERDICTS = ("as is", "light edit", "unusable")
_ROW = re.compile(r"^\|\s*\**\s*(q\d+)\b[^|]*\|([^|]*)\|([^|]*)\|([^|]*)\|", re.IGNORECASE)


@dataclass
class Verdict:
    document: str
    question: str
    verdict: str
    tags: list[str]


@dataclass
class Judged:
    judge: str
    verdicts: list[Verdict] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Lines of the judge's tables that named a question but no verdict this reader knows."""


def _verdict(cell: str) -> str | None:
    plain = re.sub(r"[^a-z]+", " ", cell.lower()).strip()
    for name in VERDICTS:
        if plain.startswith(name):
            return name
    return None


def read_judge(path: Path, documents: list[str]) -> Judged:
    """The verdicts of one judge's file; a table belongs to the last heading that named a document."""
    judged = Judged(path.stem)
    current = ""
    # Longest names first: "x-en" must not claim the heading of "x-en-2".
    names = sorted(documents, key=len, reverse=True)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            current = next((name for name in names if name in line), current)
            continue
        match = _ROW.match(line.strip())
        if not match or not current:
            continue
        qid, _, verdict_cell, tags_cell = match.groups()
        verdict = _verdict(verdict_cell)
        if verdict is None:
            judged.unread.append(line.strip()[:120])
            continue
        tags = [t.strip().lower() for t in re.split(r"[,;]", tags_cell) if t.strip().strip("—-–") and t.strip()]
        judged.verdicts.append(Verdict(current, qid.lower(), verdict, [t for t in tags if t not in {"—", "-", "–"}]))
    return judged


def find_manifest(start: Path) -> Path:
    for folder in [start.parent, *start.parents]:
        candidate = folder / MANIFEST
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no {MANIFEST} beside {start} or above it: give the packet with --packet DIR")


def _kind(manifest: Manifest, document: str, qid: str) -> str:
    for doc in manifest.documents:
        if doc.name == document:
            for question in doc.questions:
                if question.id == qid:
                    if question.type == "true_false":
                        return f"true_false ({question.answer})"
                    return question.type
    return "?"


def _share(counts: Counter[str]) -> str:
    total = sum(counts.values())
    if not total:
        return "| 0 | – | – | – |"
    cells = []
    for name in VERDICTS:
        cells.append(f"{counts[name]} ({100 * counts[name] / total:.0f} %)")
    usable = counts["as is"] + counts["light edit"]
    return f"| {total} | " + " | ".join(cells) + f" | {usable} ({100 * usable / total:.0f} %) |"


_HEAD = "| questions | as is | light edit | unusable | usable (as is + light edit) |"


def tally(judged: Judged, manifest: Manifest) -> str:
    """The judge's shares as Markdown: per language (held-out texts apart), per type, per document, per tag."""
    language = {d.name: d.language for d in manifest.documents}
    held_out = {d.name: d.held_out for d in manifest.documents}
    by_group: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_type: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_doc: defaultdict[str, Counter[str]] = defaultdict(Counter)
    tags: Counter[str] = Counter()
    for v in judged.verdicts:
        lang = language.get(v.document, "?")
        by_group[lang][v.verdict] += 1
        by_group["all"][v.verdict] += 1
        if held_out.get(v.document):
            by_group[f"{lang}, held out"][v.verdict] += 1
            by_group["all held out"][v.verdict] += 1
        by_type[_kind(manifest, v.document, v.question)][v.verdict] += 1
        by_doc[v.document][v.verdict] += 1
        tags.update(v.tags)
    out = [f"## {judged.judge}", "", "| group " + _HEAD, "|---" * 6 + "|"]
    out += [f"| {group} " + _share(counts) for group, counts in sorted(by_group.items())]
    out += ["", "| type " + _HEAD, "|---" * 6 + "|"]
    out += [f"| {kind} " + _share(counts) for kind, counts in sorted(by_type.items())]
    out += ["", "| document " + _HEAD, "|---" * 6 + "|"]
    for doc in manifest.documents:
        made = f"{len(doc.questions)} of {doc.asked}"
        out.append(
            f"| {doc.name} ({doc.language}{', held out' if doc.held_out else ''}, {made}) " + _share(by_doc[doc.name])
        )
    out += ["", "| defect | questions |", "|---|---|"]
    out += [f"| {tag} | {count} |" for tag, count in tags.most_common()]
    expected = sum(len(d.questions) for d in manifest.documents)
    if len(judged.verdicts) != expected or judged.unread:
        out += ["", f"Read {len(judged.verdicts)} verdicts of {expected} questions."]
        out += [f"- not understood: `{line}`" for line in judged.unread]
    return "\n".join(out) + "\n"


def tally_files(files: list[Path], packet: Path | None = None) -> str:
    parts = []
    for path in files:
        manifest = read_manifest(packet / MANIFEST if packet else find_manifest(path))
        parts.append(tally(read_judge(path, [d.name for d in manifest.documents]), manifest))
    return "\n".join(parts)
