"""Reading an article: bytes to text (HTML markup stripped), paragraphs and sentences with spans.

Spans are character offsets into :attr:`Document.text`, the text the rules read: the decoded
file itself for plain text, the visible text for an HTML page.

>>> doc = read_document("Japan will spend more. It said so.\\n\\nNew paragraph.".encode())
>>> [(s.text, s.paragraph) for s in doc.sentences]
[('Japan will spend more.', 0), ('It said so.', 0), ('New paragraph.', 1)]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from buildup.errors import InputError

__all__ = ["MAX_BYTES", "Document", "Sentence", "document_from_text", "read_document"]

MAX_BYTES = 2_000_000
"""The largest article read [bytes]: a long article is under 100 kB of text and a saved news
page (markup, inline scripts) under 2 MB; more is a mistake (a dump, an archive, a book) and is
refused before it is read rather than processed for minutes. Dense text reads at about
30 s/MB (benchmarks/), so the CLI shows progress on long inputs."""

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "title",
        "figcaption",
        "dd",
        "dt",
        "pre",
        "hr",
        "main",
        "aside",
        "nav",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "svg", "head", "template"})
_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|p|div|article|span|a|h[1-6]|br)\b", re.I)

# Words after which a full stop does not end a sentence (titles, initials of the US and UK,
# month abbreviations, "No." and "vs.").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "adm",
        "sen",
        "rep",
        "gov",
        "pres",
        "prof",
        "st",
        "no",
        "vs",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "co",
        "ltd",
        "corp",
        "approx",
        "est",
        "fig",
        "al",
    ]
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9¥$€£₩₹])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, its span in the document, and its paragraph's index."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Document:
    """The text the rules read and its sentences; ``html`` says whether markup was stripped."""

    text: str
    sentences: tuple[Sentence, ...]
    html: bool


class _TextOfPage(HTMLParser):
    """The visible text of an HTML page, blocks separated by blank lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _strip_markup(markup: str) -> str:
    parser = _TextOfPage()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise InputError(
            problem="not text (it holds NUL bytes, as a binary file does)",
            fix="give a plain-text or HTML article",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            problem=f"not UTF-8 text (byte {exc.start} cannot be decoded)",
            fix="save the article as UTF-8 plain text or HTML",
        ) from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise InputError(
            problem=f"not text ({controls} control characters)",
            fix="give a plain-text or HTML article",
        )
    return text


def read_document(data: bytes) -> Document:
    """Decode an article (UTF-8 plain text or HTML) and split it into sentences.

    Raises :class:`InputError` for binary data, text that is not UTF-8, or more than
    :data:`MAX_BYTES`; the caller, which knows where the bytes came from, attaches that
    (:func:`buildup.errors.located`).
    """
    if len(data) > MAX_BYTES:
        raise InputError(
            problem=f"{len(data) / 1e6:.1f} MB; pledges are read from articles of at most "
            f"{MAX_BYTES / 1e6:.0f} MB",
            fix="split the file, or give many articles one a line ({option:jsonl})",
        )
    return document_from_text(_decode(data))


def document_from_text(text: str) -> Document:
    """Split already decoded text (plain or HTML) into sentences."""
    is_html = bool(_HTML_HINT.search(text[:4096]))
    if is_html:
        text = _strip_markup(text)
    return Document(text=text, sentences=tuple(_sentences(text)), html=is_html)


def _spans(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for match in pattern.finditer(text, start, end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    return spans


def _sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(_spans(text, _PARAGRAPH, 0, len(text))):
        for l_start, l_end in _spans(text, _LINE, p_start, p_end):
            begin = l_start
            for match in _BOUNDARY.finditer(text, l_start, l_end):
                if _is_abbreviation(text, begin, match.start()):
                    continue
                stop = match.end() - len(match.group()) + len(match.group().rstrip())
                _add(sentences, text, begin, stop, index)
                begin = match.end()
            _add(sentences, text, begin, l_end, index)
    return sentences


def _is_abbreviation(text: str, begin: int, dot: int) -> bool:
    word = text[begin:dot].rsplit(None, 1)[-1] if text[begin:dot].strip() else ""
    word = word.lstrip("(\"'“‘").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end, paragraph))
