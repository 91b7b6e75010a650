"""The catalogue of editors' mistakes: each one stops the build with one line that says where and what to do.

Each case below makes one mistake in a tiny book. The line the build must print is not written
here but read from the catalogue in CONTRIBUTING.md, so the catalogue shows editors exactly what
they will see, and cannot drift from the book's real messages. Cases with the same ``book`` are
made together in one tiny book (each in its own page), which must print each of their lines once.
The build must print no traceback and end by repeating its first problem; a mistake in a data
file gives the same line (without the build's "WARNING:" and type) in ``studybook.commands.check``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest

from conftest import ROOT
from studybook.commands import check
from studybook.commands.problems import ProblemLog

GOOD_EVENT = "1926-general-strike,1926-05-04,1926-05-12,day,britain,General Strike,Nine days in May.,index,phillips1976general\n"
EVENTS_HEADER = "id,start,end,precision,theatre,title,description,page,sources\n"
PEOPLE_HEADER = "id,name,sort_name,born,died,roles,description,sources\n"
GLOSSARY = """(glossary)=
# Glossary

:::{glossary}
general strike
  A strike of all trades at once.

united front
  Joint action of Communist and other workers' parties.
:::
"""
# the entries cited only: formatting every entry of data/references.bib takes a second a build
BIBLIOGRAPHY = "(bibliography)=\n# Sources\n\n:::{bibliography}\n:cited:\n:::\n"
CONCORDANCE_HEADER = "chapter_paragraph,opening,page,paragraph\n"
TROTSKY = 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,1940,War commissar,A revolutionary.,deutscher1959unarmed\n'


def page(label: str, body: str) -> str:
    """A page whose body starts on line 4, after its label, title and a blank line."""
    return f"({label})=\n# {label.replace('-', ' ').title()}\n\n{body}\n"


def concordance_pages() -> dict[str, str]:
    """A part page with one labelled paragraph, and the Concordance that points into it."""
    return {
        "germany-1923": page("germany-1923", "(chemnitz)=\nThe conference met."),
        "concordance": page("concordance", ":::{concordance}\n:::"),
    }


def events(*rows: str) -> str:
    return EVENTS_HEADER + GOOD_EVENT + "".join(row + "\n" for row in rows)


@dataclass
class Mistake:
    name: str  # the first column of the catalogue in CONTRIBUTING.md
    pages: dict[str, str | bytes] = field(default_factory=dict)  # chapters/<name>.md, added to _toc.yml
    files: dict[str, str | bytes] = field(default_factory=dict)  # any other file, written as given
    book: str = ""  # cases with the same book are built together


MISTAKES = [
    # the role is on the paragraph's second line, line 5
    Mistake(
        "Unknown glossary term",
        book="term",
        pages={"britain-1926": page("britain-1926", "In May\nthe {term}`general stike` began.")},
    ),
    Mistake(
        "Unknown person",
        book="person",
        pages={"britain-1926": page("britain-1926", "In 1926\n{person}`trotksy` wrote about it.")},
    ),
    Mistake(
        "Unknown citation key",
        book="cite",
        pages={"britain-1926": page("britain-1926", "A study\n{cite:p}`phillips1976genral`.")},
    ),
    Mistake(
        "Link to a page that does not exist",
        book="links-pages",
        pages={"china-1925-27": page("china-1925-27", "See {doc}`britain`.")},
    ),
    Mistake(
        "Link to a label that does not exist",
        book="links-labels",
        pages={"china-1925-27": page("china-1925-27", "See {ref}`britian-1926`.")},
    ),
    Mistake(
        "Figure reference to a missing figure",
        book="numref",
        pages={"britain-1926": page("britain-1926", "As {numref}`fig-britain-timeline` shows.")},
    ),
    Mistake(
        "Label used twice",
        book="links-pages",
        pages={"germany-1923": page("germany-1923", "Text."), "germany-1923-notes": page("germany-1923", "More text.")},
    ),
    Mistake(
        "Unknown timeline option",
        book="fences",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:colour: red\nThe strike.\n:::")},
    ),
    Mistake(
        "Malformed timeline option",
        book="timeline-date",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:from: 1926-13-01\nThe strike.\n:::")},
    ),
    Mistake(
        "Unknown theatre in a timeline",
        book="timeline-theatre",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:theatres: france\nThe strike.\n:::")},
    ),
    Mistake(
        "Timeline that selects no event",
        book="timeline-pages",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:pages: britain-1926\nThe strike.\n:::")},
    ),
    Mistake(
        "Timeline without a caption", book="timeline-caption", pages={"britain-1926": page("britain-1926", ":::{timeline}\n:::")}
    ),
    Mistake(
        "Timeline whose table below is missing",
        book="timeline-table",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:table-below:\nThe strike.\n:::")},
    ),
    Mistake(
        "Unknown event",
        book="event",
        pages={"britain-1926": page("britain-1926", "The strike began. {event}`1926-general-strik`")},
    ),
    Mistake(
        "Event its page does not mark",
        book="event-unmarked",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,Nine days in May.,britain-1926,phillips1976general"
            )
        },
        pages={"britain-1926": page("britain-1926", "The strike began. {event}`1926-general-strike`")},
    ),
    Mistake(
        "Event with an impossible date",
        book="event-date",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-04-31,,day,britain,Miners locked out,The owners lock the miners out.,index,"
                "phillips1976general"
            )
        },
        pages={
            "britain-1926": page(  # no false "unknown label" for the timeline it breaks
                "britain-1926", ":::{timeline}\n:name: fig-strike\nThe strike.\n:::\n\nAs {numref}`fig-strike` shows."
            )
        },
    ),
    Mistake(
        "Event that ends before it starts",
        book="term",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,1926-04-01,day,britain,Miners locked out,The lockout.,index,phillips1976general"
            )
        },
    ),
    Mistake(
        "Event in an unknown theatre",
        book="person",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,uk,Miners locked out,The lockout.,index,phillips1976general"
            )
        },
    ),
    Mistake(
        "Event on an unknown page",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,britain,phillips1976general"
            )
        },
    ),
    Mistake(
        "Event id used twice",
        book="cite",
        files={
            "data/events.csv": events(
                "1926-general-strike,1926-05-01,,day,britain,Miners locked out,The lockout.,index,phillips1976general"
            )
        },
    ),
    Mistake(
        "Event without a source",
        book="numref",
        files={"data/events.csv": events("1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,")},
    ),
    Mistake(
        "Event with web addresses only",
        book="alt",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,https://example.org/lockout"
            )
        },
    ),
    Mistake(
        "Event with an unknown bibliography key",
        book="toc",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,phillips1976"
            )
        },
    ),
    Mistake(
        "Year out of range in the Who's who",
        book="event",
        files={
            "data/people.csv": (
                PEOPLE_HEADER
                + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,2040,War commissar,A revolutionary.,deutscher1959unarmed\n'
            )
        },
    ),
    Mistake(
        "Person without a source",
        book="event-unmarked",
        files={
            "data/people.csv": (
                PEOPLE_HEADER + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,1940,War commissar,A revolutionary.,\n'
            )
        },
    ),
    Mistake(
        "Person with web addresses only",
        book="event-date",
        files={
            "data/people.csv": (
                PEOPLE_HEADER + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,1940,War commissar,A revolutionary.,'
                "https://example.org/trotsky\n"
            )
        },
    ),
    Mistake(
        "Table not saved as UTF-8",
        book="heading",
        files={
            "data/events.csv": events(
                "1923-hamburg-rising,1923-10-23,,day,germany,Hamburg rising,Th\xe4lmann's city.,index,broue2005german"
            ).encode("latin-1")
        },
    ),
    Mistake(
        "Page not saved as UTF-8",
        book="links-labels",
        pages={"germany-1923": page("germany-1923", "Th\xe4lmann spoke.").encode("latin-1")},
    ),
    Mistake(
        "Image without alt text",
        book="alt",
        pages={"britain-1926": page("britain-1926", "![](/figures/strike.svg)")},
        files={"figures/strike.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'},
    ),
    Mistake("Page missing from _toc.yml", book="toc", files={"chapters/britain-1926.md": page("britain-1926", "Text.")}),
    Mistake(
        "_toc.yml names a missing page",
        book="data-only",
        files={
            "_toc.yml": (
                "format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n"
                "  - file: chapters/bibliography\n  - file: chapters/britain-1962\n"
            )
        },
    ),
    Mistake("Heading level skipped", book="heading", pages={"britain-1926": page("britain-1926", "### The strike\n\nText.")}),
    Mistake(
        "Misspelt directive", book="directive", pages={"britain-1926": page("britain-1926", ":::{margn} Baldwin\nText.\n:::")}
    ),
    Mistake("Misspelt role", book="role", pages={"britain-1926": page("britain-1926", "{persn}`baldwin` spoke.")}),
    Mistake(
        "Unknown event in a timeline",
        book="timeline-events",
        pages={"britain-1926": page("britain-1926", ":::{timeline}\n:events: 1926-general-stike\nThe strike.\n:::")},
    ),
    Mistake(
        "Comma in a table's text without quotes",
        book="directive",
        files={
            "data/events.csv": events(
                "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The owners, then the miners.,index,"
                "phillips1976general"
            )
        },
    ),
    Mistake(
        "Quote never closed in a table",
        book="role",
        files={
            "data/events.csv": events(
                '1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,"The lockout.,index,phillips1976general'
            )
        },
    ),
    Mistake(
        "Too few values in a row", book="data-only", files={"data/events.csv": events("1926-miners-lockout,1926-05-01,,day")}
    ),
    Mistake("Table saved with semicolons", book="people", files={"data/events.csv": events().replace(",", ";")}),
    Mistake(
        "Syntax error in the bibliography",
        files={
            "data/references.bib": (
                "@book{phillips1976general,\n  author = {Phillips, G. A.},\n  title = {The General Strike},\n"
                "  year = {1976}\n\n@book{carr1958socialism,\n  author = {Carr, E. H.},\n  title = {Socialism},\n"
                "  year = {1958}\n}\n"
            )
        },
        pages={"britain-1926": page("britain-1926", "A study {cite:p}`phillips1976general`.")},
    ),
    Mistake(
        "Person id used twice",
        book="people",
        files={"data/people.csv": PEOPLE_HEADER + TROTSKY + TROTSKY},
        pages={"britain-1926": page("britain-1926", "{person}`trotsky` wrote; {person}`trotsky` spoke.")},
    ),
    Mistake(
        "Glossary that defines no term",
        book="glossary",
        pages={
            "glossary": "(glossary)=\n# Glossary\n\nTo come.\n",
            "britain-1926": page("britain-1926", "The {term}`general strike` and the {term}`united front`."),
        },
    ),
    Mistake(
        "Margin note not closed before a heading",
        book="fences",
        pages={
            "margin-heading": page(
                "margin-heading", ":::{margin} Baldwin\nPrime Minister.\n\nThe strike began.\n\n## After the strike\n\nText."
            )
        },
    ),
    Mistake(
        "Margin note not closed before the next one",
        book="fences",
        pages={
            "margin-margin": page(
                "margin-margin", ":::{margin} Baldwin\nPrime Minister.\n\nText.\n\n:::{margin} Cook\nMiners' leader.\n:::\n"
            )
        },
    ),
    Mistake(
        "Block never closed",
        book="fences",
        pages={
            "admonition-end": page("admonition-end", ":::{admonition} Guidance\n:class: dropdown\nWhat to discuss.\n\nMore text.")
        },
    ),
    Mistake(
        "Fences of different lengths",
        book="fences",
        pages={"fence-lengths": page("fence-lengths", "::::{admonition} Guidance\n:::{note}\nA note.\n:::\n:::\n\nText.")},
    ),
    Mistake(
        "Event naming an unknown person",
        book="glossary",
        files={
            "data/events.csv": (EVENTS_HEADER.replace("sources\n", "sources,people\n") + GOOD_EVENT.replace("\n", ",baldwn\n"))
        },
    ),
    Mistake(
        "Paragraph reference to a missing label",
        pages={
            "germany-1923": page("germany-1923", "(chemnitz)=\nThe conference met."),
            "britain-1926": page("britain-1926", "Compare {para}`germany-1923:chemnits`."),
        },
    ),
    Mistake(
        "Concordance row naming a missing label",
        book="timeline-caption",
        pages=concordance_pages(),
        files={"data/concordance.csv": CONCORDANCE_HEADER + "1,Up until 1924,germany-1923,chemnits\n"},
    ),
    Mistake(
        "Concordance row naming a paragraph past the page's last",
        book="timeline-table",
        pages=concordance_pages(),
        files={"data/concordance.csv": CONCORDANCE_HEADER + "1,Up until 1924,germany-1923,5\n"},
    ),
]


def catalogue() -> dict[str, str]:
    """Mistake -> the line the build prints, from the table in CONTRIBUTING.md."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## When the build stops")[1].split("\n#")[0]
    return dict(re.findall(r"^\| (.+?) \| `(.+?)` \| .+ \|$", section, re.MULTILINE))


SUMMARY = "The build stopped on "  # the failed build's last lines (studybook/commands/problems.py)


def warning_lines(output: str, book_folder) -> list[str]:
    """The problems a build printed (not counting their repetition at its end)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output).replace(f"{book_folder}/", "")
    lines = plain.splitlines()
    if len(lines) > 1 and lines[-2].startswith(SUMMARY):
        lines = lines[:-1]
    return [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]


def books() -> dict[str, list[Mistake]]:
    """Cases by tiny book: those with a ``book`` share one (a build takes seconds), the others have their own."""
    grouped: dict[str, list[Mistake]] = {}
    for mistake in MISTAKES:
        grouped.setdefault(mistake.book or mistake.name, []).append(mistake)
    return grouped


def test_every_catalogue_row_has_a_case():
    assert sorted(catalogue()) == sorted(m.name for m in MISTAKES)
    assert len(MISTAKES) >= 15


def test_cases_that_share_a_book_write_different_files():
    """Otherwise one case would overwrite another's mistake."""
    for book, mistakes in books().items():
        files = [f"chapters/{name}.md" for m in mistakes for name in m.pages] + [f for m in mistakes for f in m.files]
        assert len(files) == len(set(files)), book


@pytest.mark.parametrize("mistakes", books().values(), ids=[" + ".join(m.name for m in group) for group in books().values()])
def test_mistake_stops_the_build_with_one_clear_line(tiny_book, mistakes):
    tiny_book.page("glossary", GLOSSARY)
    tiny_book.page("bibliography", BIBLIOGRAPHY)
    for mistake in mistakes:
        for name, text in mistake.pages.items():
            tiny_book.page(name, text)
        for relative, text in mistake.files.items():
            tiny_book.write(relative, text)
    result = tiny_book.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the build must stop"
    assert "Traceback" not in output
    expected = [catalogue()[mistake.name] for mistake in mistakes]
    lines = warning_lines(output, tiny_book.folder)
    assert sorted(lines) == sorted(expected)
    last_lines = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).replace(f"{tiny_book.folder}/", "").splitlines()[-2:]
    assert last_lines[0].startswith(SUMMARY) and last_lines[1] == lines[0], "the build must end with its first problem"
    data_lines = [line for line in expected if line.endswith("[studybook.data]")]
    if data_lines:  # the pre-commit check says the same, from the same loader
        errors = check.check(tiny_book.folder)
        assert sorted(str(error) for error in errors) == sorted(
            re.sub(r"(: WARNING)|( \[studybook\.data\]$)", "", line) for line in data_lines
        )


def test_the_tiny_book_builds_without_mistakes(tiny_book):
    """The cases differ from this book by their mistake only."""
    tiny_book.page("glossary", GLOSSARY)
    tiny_book.page("bibliography", BIBLIOGRAPHY)
    tiny_book.write("data/events.csv", events())
    tiny_book.page("britain-1926", page("britain-1926", "The {term}`general strike` {cite:p}`phillips1976general`."))
    for edit in ("", "More text."):  # a first build, then one after an edit: both quiet
        if edit:
            tiny_book.page("britain-1926", page("britain-1926", edit))
        result = tiny_book.build()
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-4000:]
        assert not warning_lines(output, tiny_book.folder)
        assert not re.findall(r".*(?:will overwrite data|\[etoc\] Excluded).*", output), "false alarms"


def test_a_failed_build_counts_errors_apart_from_warnings():
    """Sphinx sums up an ERROR as "1 warning"; the build's last lines count each kind and repeat the first."""
    log = ProblemLog(io.StringIO(), "/book")
    log.write('reading sources...\n/book/chapters/a.md:7: ERROR: The "margin" directive may not be used ')
    log.write("within a sidebar element. [docutils]\ndata/events.csv:3: WARNING: one [studybook.data]\n")
    assert log.summary() == [
        "The build stopped on 1 error and 1 warning; each must be fixed. The first:",
        'chapters/a.md:7: ERROR: The "margin" directive may not be used within a sidebar element. [docutils]',
    ]
