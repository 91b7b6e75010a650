"""Fenced blocks that are never closed, or closed by a fence of another length.

A margin note, admonition or other directive opens with ``:::{name}`` (or backticks) and closes with
the same fence. Markdown does not complain when the closing fence is missing: the block swallows the
text up to the next fence of its length, or to the end of the page, so that a paragraph moves into
the margin and a heading disappears from the page's contents. This check reads each page's source
as Sphinx reads it, reports the block at the line where it *opens*, and closes it where the editor
most likely meant to, so that one mistake gives one message (not a cascade of nested-block errors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sphinx.application import Sphinx

from .catalogue import StudybookWarning, warn

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>:{3,}|`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
HEADING = re.compile(r"^#{1,6}(\s|$)")
DIRECTIVE = re.compile(r"^\{(?P<name>[^}\s]+)\}")
# Directives whose body is code or raw text, in which a '#' line or a fence is content, not Markdown.
LITERAL_DIRECTIVES = {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "raw", "math", "eval-rst"}


@dataclass
class Block:
    fence: str  # the opening fence, e.g. ':::' or '````'
    name: str  # '{margin}' or the code language
    line: int  # 1-based line of the opening fence
    literal: bool  # code: only a closing fence ends it

    def closes(self, fence: str, info: str) -> bool:
        return not info and fence[0] == self.fence[0] and len(fence) >= len(self.fence)


@dataclass
class FenceMistake:
    block: Block
    message: str
    fix_at: int  # the index of the line where the missing fence goes
    fix: str  # that fence


def check_fences(lines: list[str]) -> FenceMistake | None:
    """The first block that runs into a heading, another block or the end, or is closed by a shorter fence."""
    open_blocks: list[Block] = []
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        top = open_blocks[-1] if open_blocks else None
        if top and top.literal:
            if match and top.closes(match["fence"], match["info"]):
                open_blocks.pop()
            continue
        if match:
            fence, info = match["fence"], match["info"]
            if top and top.closes(fence, info):
                open_blocks.pop()
            elif top and not info and fence[0] == top.fence[0]:
                return FenceMistake(
                    top,
                    f"the {top.name} block that opens here with '{top.fence}' is closed on line "
                    f"{index + 1} with '{fence}': make the closing fence '{top.fence}' too",
                    index,
                    match["indent"] + top.fence,
                )
            elif top and fence[0] == top.fence[0] and len(fence) >= len(top.fence):
                directive = DIRECTIVE.match(info)
                return FenceMistake(
                    top,
                    f"the {top.name} block that opens here is not closed before the "
                    f"{directive[0] if directive else info or fence} block on line {index + 1}: add a "
                    f"line '{top.fence}' where it ends (to nest one block in another, open the outer "
                    f"one with more {'colons' if fence[0] == ':' else 'backticks'})",
                    *_close_before(lines, index, top),
                )
            elif info or fence[0] != ":":
                directive = DIRECTIVE.match(info)
                literal = not directive or directive["name"] in LITERAL_DIRECTIVES
                open_blocks.append(Block(fence, directive[0] if directive else (info or "code"), index + 1, literal))
            # a lone ':::' outside any block is left to Markdown (it is text)
        elif top and HEADING.match(line):
            return FenceMistake(
                top,
                f"the {top.name} block that opens here is not closed before the heading on "
                f"line {index + 1}: add a line '{top.fence}' where the block ends",
                *_close_before(lines, index, top),
            )
    if open_blocks:
        top = open_blocks[-1]
        return FenceMistake(
            top,
            f"the {top.name} block that opens here is never closed: add a line '{top.fence}' where the block ends",
            len(lines),
            top.fence,
        )
    return None


def _close_before(lines: list[str], index: int, block: Block) -> tuple[int, str]:
    """Close the block on the blank line before line ``index`` (so later line numbers stay true)."""
    return (index - 1 if index and not lines[index - 1].strip() else index), block.fence


def check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """On ``source-read``: report the first unclosed block of a page and close it for the parser."""
    lines = source[0].split("\n")
    mistake = check_fences(lines)
    if mistake:
        warn(StudybookWarning.FENCE, mistake.message, (docname, mistake.block.line))
        if mistake.fix_at < len(lines) and (not lines[mistake.fix_at].strip() or FENCE.match(lines[mistake.fix_at])):
            lines[mistake.fix_at] = mistake.fix
        else:
            lines.insert(mistake.fix_at, mistake.fix)
        source[0] = "\n".join(lines)


def setup_fences(app: Sphinx) -> None:
    app.connect("source-read", check_page)
