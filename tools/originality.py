"""Find word sequences that the book shares with the source chapter: ``make originality CHAPTER=<file>``.

The study edition is written in its own words. Quoting a primary source
(Stalin, Trotsky, Lenin, a Comintern resolution) is fine when the words stand
inside quotation marks or a block quote and are attributed. Anything else that
repeats the source chapter word for word is a copying defect.

Usage:
    python -m tools.originality --chapter FILE [--min-words N] [--max-quoted N] [PATH ...]

FILE is your own copy of the chapter as plain text (the chapter's text is not ours to ship, so it
is not in this repository). PATH defaults to chapters/ and data/. Exit status is 1 when an
unquoted shared run of at least N words exists, or when the quoted material taken from the
chapter exceeds --max-quoted words.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
TEXT_SUFFIXES = {".md", ".markdown", ".rst", ".txt", ".csv", ".yml", ".yaml", ".bib", ".ipynb", ".py"}


def words(text: str) -> list[tuple[str, int]]:
    """Lower-cased words with their character offsets."""
    return [(m.group().lower().replace("’", "'"), m.start()) for m in WORD.finditer(text)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges that are quotations: “…”, "…" within a paragraph, and > block quotes."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”", text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r'"[^"\n]*(?:\n(?!\n)[^"\n]*)*"', text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"(?m)^[ \t]*>.*$", text)]
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def runs(project: list[tuple[str, int]], grams: set[tuple[str, ...]], n: int):
    """Maximal runs of project words covered by n-grams that also occur in the source."""
    covered = [False] * len(project)
    tokens = [w for w, _ in project]
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) in grams:
            for j in range(i, i + n):
                covered[j] = True
    i = 0
    while i < len(covered):
        if covered[i]:
            j = i
            while j < len(covered) and covered[j]:
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def files(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += [
                f
                for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix in TEXT_SUFFIXES and not any(part.startswith(("_build", ".")) for part in f.parts)
            ]
        elif p.is_file():
            out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=["chapters", "data"])
    ap.add_argument("--chapter", required=True, type=Path, help="the chapter as a plain-text file")
    ap.add_argument("--min-words", type=int, default=10)
    ap.add_argument("--max-quoted", type=int, default=700)
    args = ap.parse_args()

    src = [w for w, _ in words(args.chapter.read_text(encoding="utf-8"))]
    n = args.min_words
    grams = {tuple(src[i : i + n]) for i in range(len(src) - n + 1)}

    unquoted, quoted_words = [], 0
    for f in files(args.paths):
        text = f.read_text(encoding="utf-8", errors="replace")
        toks = words(text)
        spans = quoted_spans(text)
        for a, b in runs(toks, grams, n):
            start, end = toks[a][1], toks[b - 1][1]
            phrase = " ".join(w for w, _ in toks[a:b])
            if inside(start, spans) and inside(end, spans):
                quoted_words += b - a
            else:
                line = text.count("\n", 0, start) + 1
                unquoted.append(f"{f}:{line}: {b - a} words copied from the source: {phrase[:160]}")

    for row in unquoted:
        print(row)
    print(f"quoted words shared with the source: {quoted_words} (limit {args.max_quoted})")
    print(f"unquoted runs of {n}+ words shared with the source: {len(unquoted)}")
    return 1 if unquoted or quoted_words > args.max_quoted else 0


if __name__ == "__main__":
    sys.exit(main())
