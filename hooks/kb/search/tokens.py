"""Search tokens for Chinese text: overlapping character bigrams.

Pagefind 1.5 segments Chinese with a dictionary at index time, while the browser splits
the query with ``Intl.Segmenter``; the two disagree on many words of this domain
(Chromium splits 信访, 调研 and 整改 into single characters), and a dictionary word is
only found from its start (调研 is not found inside 大兴调研). So the index does not
use Pagefind's segmenter: every run of Han characters c1 c2 … cn becomes the words
``c1c2 c2c3 … c(n-1)cn cn`` (the last character alone, so a one-character query
finds every occurrence by prefix), other text stays as whitespace-separated words.
The search box (``docs/assets/search.js``) turns a query into bigrams the same way, and
Pagefind's "every word must match" semantics then finds any substring of two or more
characters, whatever a segmenter would have made of it.

The encoding is reversible: the first character of every Han word, in order, gives the
text back (:func:`decode`), which is how the browser shows excerpts and headings.
The JavaScript twin of this module lives in ``docs/assets/search.js``; keep the
character class :data:`kb.text.HAN` identical in both.
"""

from __future__ import annotations

import operator
import re

from kb.text import HAN, HAN_CHAR  # keep identical to the class in docs/assets/search.js

_RUN = re.compile(f"[{HAN}]+|[^\\s{HAN}]+")
# Pagefind takes U+200B in a record's content as its word separator.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Full-width digits and Latin letters (２０２３, ＧＢ) are indexed as ASCII, like the query.
_FULLWIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
              for c in range(r[0], r[1] + 1)}


def is_han(char: str) -> bool:
    return bool(HAN_CHAR.match(char))


def tokenize(text: str) -> list[str]:
    """Index words of ``text``: Han runs as bigrams plus their last character."""
    words: list[str] = []
    for run in _RUN.findall(_INVISIBLE.sub(" ", text)):
        if is_han(run[0]):
            words.extend(map(operator.add, run, run[1:]))  # c1c2 c2c3 …
            words.append(run[-1])
        else:
            words.append(run.translate(_FULLWIDTH))
    return words


def token_text(text: str) -> str:
    """``text`` as the space-separated index words that go into a record."""
    return " ".join(tokenize(text))


def decode(words: list[str]) -> str:
    """Readable text from index words (inverse of :func:`tokenize` up to spacing)."""
    out: list[str] = []
    previous_han = True
    for word in words:
        if not word:
            continue
        if is_han(word[0]):
            out.append(word[0])
            previous_han = True
        else:
            if not previous_han:
                out.append(" ")
            out.append(word)
            previous_han = False
    return "".join(out)
