"""The catalogue of editors' mistakes: each one stops the build with one line that says where and what to do.

Each case below makes one mistake in a tiny book. The line the build must print is not written
here but read from the catalogue in CONTRIBUTING.md, so the catalogue shows editors exactly what
they will see, and cannot drift from the book's real messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from conftest import ROOT

GOOD_EVENT = ("1926-general-strike,1926-05-04,1926-05-12,day,britain,General Strike,"
              "Nine days in May.,index,phillips1976general\n")
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
BIBLIOGRAPHY = "(bibliography)=\n# Sources\n\n:::{bibliography}\n:all:\n:::\n"


def page(label: str, body: str) -> str:
    """A page whose body starts on line 4, after its label, title and a blank line."""
    return f"({label})=\n# {label.replace('-', ' ').title()}\n\n{body}\n"


def events(*rows: str) -> str:
    return EVENTS_HEADER + GOOD_EVENT + "".join(row + "\n" for row in rows)


@dataclass
class Mistake:
    name: str  # the first column of the catalogue in CONTRIBUTING.md
    pages: dict[str, str | bytes] = field(default_factory=dict)  # chapters/<name>.md, added to _toc.yml
    files: dict[str, str | bytes] = field(default_factory=dict)  # any other file, written as given


MISTAKES = [
    Mistake("Unknown glossary term", pages={"britain-1926": page("britain-1926", "The {term}`general stike` began.")}),
    Mistake("Unknown person", pages={"britain-1926": page("britain-1926", "{person}`trotksy` wrote about it.")}),
    Mistake("Unknown citation key", pages={"britain-1926": page("britain-1926", "A study {cite:p}`phillips1976genral`.")}),
    Mistake("Link to a page that does not exist", pages={"china-1925-27": page("china-1925-27", "See {doc}`britain`.")}),
    Mistake("Link to a label that does not exist",
            pages={"china-1925-27": page("china-1925-27", "See {ref}`britian-1926`.")}),
    Mistake("Figure reference to a missing figure",
            pages={"britain-1926": page("britain-1926", "As {numref}`fig-britain-timeline` shows.")}),
    Mistake("Label used twice", pages={"germany-1923": page("germany-1923", "Text."),
                                       "germany-1923-notes": page("germany-1923", "More text.")}),
    Mistake("Unknown timeline option",
            pages={"britain-1926": page("britain-1926", ":::{timeline}\n:colour: red\nThe strike.\n:::")}),
    Mistake("Malformed timeline option",
            pages={"britain-1926": page("britain-1926", ":::{timeline}\n:from: 1926-13-01\nThe strike.\n:::")}),
    Mistake("Unknown theatre in a timeline",
            pages={"britain-1926": page("britain-1926", ":::{timeline}\n:theatres: france\nThe strike.\n:::")}),
    Mistake("Timeline that selects no event",
            pages={"britain-1926": page("britain-1926", ":::{timeline}\n:pages: britain-1926\nThe strike.\n:::")}),
    Mistake("Timeline without a caption", pages={"britain-1926": page("britain-1926", ":::{timeline}\n:::")}),
    Mistake("Unknown event", pages={"britain-1926": page("britain-1926", "The strike began. {event}`1926-general-strik`")}),
    Mistake("Event its page does not mark", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,Nine days in May.,britain-1926,phillips1976general")},
        pages={"britain-1926": page("britain-1926", "The strike began. {event}`1926-general-strike`")}),
    Mistake("Event with an impossible date", files={"data/events.csv": events(
        "1926-miners-lockout,1926-04-31,,day,britain,Miners locked out,The owners lock the miners out.,index,"
        "phillips1976general")}),
    Mistake("Event that ends before it starts", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,1926-04-01,day,britain,Miners locked out,The lockout.,index,"
        "phillips1976general")}),
    Mistake("Event in an unknown theatre", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,uk,Miners locked out,The lockout.,index,phillips1976general")}),
    Mistake("Event on an unknown page", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,britain,phillips1976general")}),
    Mistake("Event id used twice", files={"data/events.csv": events(
        "1926-general-strike,1926-05-01,,day,britain,Miners locked out,The lockout.,index,phillips1976general")}),
    Mistake("Event without a source", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,")}),
    Mistake("Event with web addresses only", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,https://example.org/lockout")}),
    Mistake("Event with an unknown bibliography key", files={"data/events.csv": events(
        "1926-miners-lockout,1926-05-01,,day,britain,Miners locked out,The lockout.,index,phillips1976")}),
    Mistake("Year out of range in the Who's who", files={"data/people.csv": (
        PEOPLE_HEADER + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,2040,War commissar,A revolutionary.,deutscher1959unarmed\n')}),
    Mistake("Person without a source", files={"data/people.csv": (
        PEOPLE_HEADER + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,1940,War commissar,A revolutionary.,\n')}),
    Mistake("Person with web addresses only", files={"data/people.csv": (
        PEOPLE_HEADER + 'trotsky,Leon Trotsky,"Trotsky, Leon",1879,1940,War commissar,A revolutionary.,'
        "https://example.org/trotsky\n")}),
    Mistake("Table not saved as UTF-8", files={"data/events.csv": events(
        "1923-hamburg-rising,1923-10-23,,day,germany,Hamburg rising,Th\xe4lmann's city.,index,broue2005german"
    ).encode("latin-1")}),
    Mistake("Page not saved as UTF-8", pages={"germany-1923": page("germany-1923", "Th\xe4lmann spoke.").encode("latin-1")}),
    Mistake("Image without alt text", pages={"britain-1926": page("britain-1926", "![](/figures/strike.svg)")},
            files={"figures/strike.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'}),
    Mistake("Page missing from _toc.yml", files={"chapters/britain-1926.md": page("britain-1926", "Text.")}),
    Mistake("_toc.yml names a missing page", files={"_toc.yml": (
        "format: jb-book\nroot: chapters/index\nchapters:\n  - file: chapters/glossary\n"
        "  - file: chapters/bibliography\n  - file: chapters/britain-1962\n")}),
    Mistake("Heading level skipped", pages={"britain-1926": page("britain-1926", "### The strike\n\nText.")}),
    Mistake("Misspelt directive", pages={"britain-1926": page("britain-1926", ":::{margn} Baldwin\nText.\n:::")}),
    Mistake("Misspelt role", pages={"britain-1926": page("britain-1926", "{persn}`baldwin` spoke.")}),
    Mistake("Paragraph reference to a missing label",
            pages={"germany-1923": page("germany-1923", "(chemnitz)=\nThe conference met."),
                   "britain-1926": page("britain-1926", "Compare {para}`germany-1923:chemnits`.")}),
]


def catalogue() -> dict[str, str]:
    """Mistake -> the line the build prints, from the table in CONTRIBUTING.md."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## When the build stops")[1].split("\n#")[0]
    return dict(re.findall(r"^\| (.+?) \| `(.+?)` \| .+ \|$", section, re.MULTILINE))


def warning_lines(output: str, book_folder) -> list[str]:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output).replace(f"{book_folder}/", "")
    return [line for line in plain.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]


def test_every_catalogue_row_has_a_case():
    assert sorted(catalogue()) == sorted(m.name for m in MISTAKES)
    assert len(MISTAKES) >= 15


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistake_stops_the_build_with_one_clear_line(tiny_book, mistake):
    tiny_book.page("glossary", GLOSSARY)
    tiny_book.page("bibliography", BIBLIOGRAPHY)
    for name, text in mistake.pages.items():
        tiny_book.page(name, text)
    for relative, text in mistake.files.items():
        tiny_book.write(relative, text)
    result = tiny_book.build()
    assert result.returncode != 0, "the build must stop"
    lines = warning_lines(result.stdout + result.stderr, tiny_book.folder)
    assert lines == [catalogue()[mistake.name]]


def test_the_tiny_book_builds_without_mistakes(tiny_book):
    """The cases differ from this book by their mistake only."""
    tiny_book.page("glossary", GLOSSARY)
    tiny_book.page("bibliography", BIBLIOGRAPHY)
    tiny_book.write("data/events.csv", events())
    tiny_book.page("britain-1926", page("britain-1926", "The {term}`general strike` {cite:p}`phillips1976general`."))
    result = tiny_book.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert not warning_lines(result.stdout + result.stderr, tiny_book.folder)
