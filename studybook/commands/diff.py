"""The book as readers see it, before and after: ``python -m studybook.commands.diff BASE`` (``make diff``).

Builds the web book at ``BASE`` (a commit or branch) and in the working tree, compares the two
(``compare.py``) and writes ``_build/diff/index.html``, with a plain-text summary on the terminal.

Both builds keep their output between runs (``_build/diff/base`` and ``_build/diff/head``), and
the source at BASE is kept in ``_build/diff/base-src``, where a file is written again only when its
content differs: Sphinx re-reads a page when its file is newer than its last reading, so a second
diff reads again only the pages that changed, on either side.

Each side is built by its own code (the build command runs from that side's folder), so a change to
the extension shows as what it does to the pages.
"""

from __future__ import annotations

import argparse
import filecmp
import html
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .compare import BookChanges, compare_books

STYLE = """
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; max-width: 72rem; margin: 0 auto;
  padding: 1rem 1.5rem; color: #1a1a1a; background: #fff; }
h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2.5rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; margin: 1rem 0;
  border-top: 1px solid #e3e3e3; padding-top: .6rem; }
.pair > div > p:first-child { font: .8rem system-ui, sans-serif; color: #555; margin: 0 0 .3rem; }
ins { background: #d4f4dd; color: #0b4a1c; text-decoration: underline; }
del { background: #fbe0e0; color: #7a0c0c; text-decoration: line-through; }
ins::before { content: "[+ "; font-size: .75em; } ins::after { content: " +]"; font-size: .75em; }
del::before { content: "[- "; font-size: .75em; } del::after { content: " -]"; font-size: .75em; }
.added { border-left: 4px solid #1a7f37; padding-left: .8rem; }
.removed { border-left: 4px solid #b91c1c; padding-left: .8rem; text-decoration: line-through; }
figure { margin: 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top;
  border-bottom: 1px solid #e3e3e3; padding: .3rem .5rem; }
@media (max-width: 40rem) { .pair { grid-template-columns: 1fr; } }
"""


class DiffError(Exception):
    """A problem the editor can fix, told in one line."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the commit or branch to compare the working tree with")
    parser.add_argument("--book", type=Path, default=Path.cwd(), help="the book's folder (default: here)")
    parser.add_argument("--output", type=Path, help="the report's folder (default: <book>/_build/diff)")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    output = (args.output or book / "_build" / "diff").resolve()
    try:
        commit = resolve_commit(book, args.base)
    except DiffError as error:
        print(f"make diff: {error}", file=sys.stderr)
        return 2
    base_src = output / "base-src"
    checkout(book, commit, base_src)
    for side, source in (("base", base_src), ("head", book)):
        print(f"Building the book {'at ' + args.base if side == 'base' else 'in the working tree'}...", flush=True)
        if build_side(source, output / side, commit_time(book, commit) if side == "base" else None):
            print(
                f"make diff: the book {'at ' + args.base if side == 'base' else 'in the working tree'} "
                "does not build (its warnings are above)",
                file=sys.stderr,
            )
            return 1
    changes = compare_books(
        output / "base" / "_build" / "html", output / "head" / "_build" / "html", base_src / "data", book / "data"
    )
    report = write_report(changes, output, args.base, commit)
    print(summary(changes, args.base))
    print(f"The report is at {report}")
    return 0


def resolve_commit(book: Path, base: str) -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], cwd=book, capture_output=True, text=True
    )
    if found.returncode or base.startswith("-"):
        raise DiffError(f"'{base}' is not a commit or branch of this repository")
    return found.stdout.strip()


def commit_time(book: Path, commit: str) -> str:
    return subprocess.run(
        ["git", "log", "-1", "--format=%ct", commit], cwd=book, capture_output=True, text=True, check=True
    ).stdout.strip()


def checkout(book: Path, commit: str, target: Path) -> None:
    """The tree at ``commit`` in ``target``, touching only files whose content differs (see above)."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=book, capture_output=True, check=True)
    with tempfile.TemporaryDirectory(dir=target.parent if target.parent.exists() else None) as fresh:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(fresh, filter="data")
        sync(Path(fresh), target)
    modules = target / "node_modules"  # the npm packages the web build copies: the working tree's
    if not modules.exists() and (book / "node_modules").exists():
        modules.symlink_to(book / "node_modules")


def sync(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source) for path in source.rglob("*")}
    for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
        relative = path.relative_to(target)
        if relative.parts[0] == "node_modules" or relative in wanted:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    for relative in sorted(wanted):
        new, old = source / relative, target / relative
        if new.is_dir():
            old.mkdir(parents=True, exist_ok=True)
        elif not old.is_file() or not filecmp.cmp(new, old, shallow=False):
            shutil.copy2(new, old)


def build_side(source: Path, output: Path, source_date_epoch: str | None) -> int:
    """The strict web build of one side, by that side's own build command and extension."""
    env = dict(os.environ)
    if source_date_epoch:
        env["SOURCE_DATE_EPOCH"] = source_date_epoch
    result = subprocess.run(
        [sys.executable, "-m", "studybook.commands.build", "html", "--book", str(source), "--output", str(output)],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
    return result.returncode


def summary(changes: BookChanges, base: str) -> str:
    if changes.empty:
        return f"No changes for readers between {base} and the working tree."
    lines = [f"Changes for readers between {base} and the working tree:"]
    lines += [f"  page {page.title} ({page.page}): {page.summary()}" for page in changes.pages]
    lines += [f"  figure {figure.figure_id} on {figure.page}: {figure_verb(figure)}" for figure in changes.figures]
    lines += [f"  {entry.line()}" for entry in changes.entries]
    if changes.unchanged_pages:
        lines.append(f"  unchanged pages: {len(changes.unchanged_pages)}")
    return "\n".join(lines)


def figure_verb(figure) -> str:
    return "added" if figure.before is None else "removed" if figure.after is None else "changed"


def write_report(changes: BookChanges, output: Path, base: str, commit: str) -> Path:
    images = output / "figures"
    shutil.rmtree(images, ignore_errors=True)
    images.mkdir(parents=True)
    title = f"What changes for readers: {base} → working tree"
    parts = [
        f"<p>Compared with <code>{html.escape(base)}</code> (commit <code>{commit[:12]}</code>). "
        "Words taken out are <del>struck through</del>, words put in are <ins>underlined</ins>.</p>"
    ]
    if changes.empty:
        parts.append("<p>No changes: readers see the same book.</p>")
    for page in changes.pages:
        parts.append(page_section(page))
    if changes.figures:
        parts.append("<h2>Figures</h2>")
        parts += [figure_section(figure, images, number) for number, figure in enumerate(changes.figures)]
    if changes.entries:
        parts.append(entries_section(changes.entries))
    if changes.unchanged_pages:
        parts.append(f"<h2>Unchanged pages</h2><p>{html.escape('; '.join(changes.unchanged_pages))}</p>")
    report = output / "index.html"
    report.write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body><main><h1>{html.escape(title)}</h1>
{chr(10).join(parts)}
</main></body></html>
""",
        encoding="utf-8",
    )
    return report


def page_section(page) -> str:
    parts = [f"<h2>{html.escape(page.title)} <small>({html.escape(page.page)}): {page.summary()}</small></h2>"]
    for change in page.changed:
        parts.append(pair("Before", f"<p>{change.before}</p>", "After", f"<p>{change.after}</p>"))
    parts += [f'<div class="added"><p><strong>Added:</strong></p><p>{text}</p></div>' for text in page.added]
    parts += [f'<div class="removed"><p><strong>Removed:</strong></p><p>{text}</p></div>' for text in page.removed]
    if page.renumbered:
        moves = "; ".join(f"¶{old} is now ¶{new}" for old, new in page.renumbered)
        parts.append(f"<p><strong>Paragraph numbers that moved:</strong> {moves}.</p>")
    return "\n".join(parts)


def pair(left_label: str, left: str, right_label: str, right: str) -> str:
    return f'<div class="pair"><div><p>{left_label}</p>{left}</div><div><p>{right_label}</p>{right}</div></div>'


def figure_section(figure, images: Path, number: int) -> str:
    def preview(image: Path | None, side: str) -> str:
        if image is None:
            return "<p>(no figure)</p>"
        copy = images / f"{number}-{side}{image.suffix}"
        shutil.copyfile(image, copy)
        alt = f"{figure.caption or figure.figure_id}, {side}"
        return f'<figure><img src="figures/{copy.name}" alt="{html.escape(alt)}"/></figure>'

    heading = (
        f"<h3>{html.escape(figure.caption or figure.figure_id)} <small>({html.escape(figure.page)}, "
        f"{figure.figure_id}): {figure_verb(figure)}</small></h3>"
    )
    return heading + pair("Before", preview(figure.before, "before"), "After", preview(figure.after, "after"))


def entries_section(entries) -> str:
    rows = []
    for entry in entries:
        detail = (
            pair("Before", f"<p>{entry.before}</p>", "After", f"<p>{entry.after}</p>")
            if entry.before and entry.after
            else f"<p>{entry.before or entry.after}</p>"
            if entry.before or entry.after
            else ""
        )
        rows.append(
            f"<tr><td>{html.escape(entry.kind)}</td><td>{html.escape(entry.key)}</td>"
            f"<td>{html.escape(entry.words)}{detail}</td></tr>"
        )
    return (
        "<h2>Glossary, people and events</h2><table><caption>Changed entries, in words</caption>"
        '<thead><tr><th scope="col">Kind</th><th scope="col">Entry</th><th scope="col">What changed</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


if __name__ == "__main__":
    sys.exit(main())
