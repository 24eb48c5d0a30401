"""Character classes and the per-line normalisation every later stage relies on."""

from __future__ import annotations

import re
import unicodedata

# Ideographs, kana and CJK punctuation: text in these scripts is written without spaces.
_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation 。、「」
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms ，！？（）
    (0x20000, 0x2FFFF),  # extensions B and later
)
_IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


_CJK_CHAR = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES) + "]")


def is_cjk(ch: str) -> bool:
    # A character class rather than a loop over the ranges: called for every blank edge of every
    # candidate, it was a tenth of a big document's time.
    return _CJK_CHAR.match(ch) is not None


def count_cjk(text: str) -> int:
    """How many CJK characters the text holds (none, at once, for ASCII)."""
    return 0 if text.isascii() else len(_CJK_CHAR.findall(text))


def is_ideograph(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _IDEOGRAPH_RANGES)


IDEOGRAPHS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Typographic ligatures from TeX and Office fonts come out as single code points ("ﬁ"); a reader
# searching "definition" must find them. Full NFKC would also turn Chinese full-width punctuation
# into ASCII, so only these characters are decomposed.
_TRANSLATE: dict[int, str] = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_TRANSLATE.update(
    {
        0x00AD: "",  # soft hyphen: only marks a possible break
        0x200B: "",  # zero-width space
        0x200C: "",
        0x200D: "",
        0xFEFF: "",
        0x00A0: " ",  # no-break spaces
        0x202F: " ",
        0x2007: " ",
        0x2009: " ",
        0x3000: " ",  # ideographic space
        0x0009: " ",
        0xF0B7: "•",  # Symbol-font bullets land in the private use area
        0xF0A7: "•",
        0xF0D8: "•",
        0x25AA: "•",
        0x25CF: "•",
        0x2219: "•",
    }
)
# Control characters (pypdf emits NULs for glyphs without a Unicode mapping) mean nothing to a reader.
_TRANSLATE.update({code: "" for code in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]})
_SPACES = re.compile(r" {2,}")
# "geometry.The Metadata": some producers drop the space after a full stop.
_GLUED_STOP = re.compile(r"(?<=[a-z]{4})\.(?=[A-Z][a-z])")


# Bullets that Symbol and Wingdings fonts map to letters or private-use code points: "Ì CART – ...".
_GLYPH_BULLET = re.compile(r"^[ÌÏ§¥ØÜ■►▶❖➢➤✓✔➔](?=\s)")
# TeX sets an accent as a glyph of its own before the letter ("co¨ordinate", "Schr¨odinger"): the
# spacing accent becomes the combining one after its letter, and NFC makes them one character. The
# grave accent is left alone: a backtick before a letter is far more often code ("`ls`").
_SPACING_ACCENT = re.compile("([\u00a8\u00b4\u02c6\u02dc\u02da\u00b8\u02c7\u02d8])([^\\W\\d_])")
_COMBINING = {"\u00a8": "\u0308", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u02da": "\u030a"}
_COMBINING.update({"\u00b8": "\u0327", "\u02c7": "\u030c", "\u02d8": "\u0306"})


def _accented(match: re.Match[str]) -> str:
    # TeX accents a dotless i ("na¨ıve"); with the accent on it, it is the plain letter (ï, í).
    letter = "i" if match.group(2) == "ı" else match.group(2)
    return unicodedata.normalize("NFC", letter + _COMBINING[match.group(1)])


def normalize_line(line: str) -> str:
    line = line.translate(_TRANSLATE)
    line = _GLYPH_BULLET.sub("•", line.lstrip())
    if _SPACING_ACCENT.search(line):
        line = _SPACING_ACCENT.sub(_accented, line)
    line = _GLUED_STOP.sub(". ", line)
    return _SPACES.sub(" ", line).strip()


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())
