"""Self-checks drawn from the data, at the end of each part page.

Three short exercises, chosen from what the page itself marks and links: put five or six of its
events in order ({event} markers, dates from events.csv), match definitions to the glossary terms
it uses ({term}), and say who did what among the people it names ({person}, roles from
people.csv). The choice is seeded by the page's name, so every build of one text asks the same
questions.

The web page gets plain HTML, questions and an answer key folded in a ``<details>``, which
``static/selfcheck.js`` turns into selects with a "Check" button and feedback that links to the
paragraph, the glossary entry or the Who's who entry that explains each answer. The PDF and the
EPUB print the questions in place and the answer keys at the back of the book.

A part page is a page with a "Discussion questions" section. What each page offers is recorded
as it is read, in the book's Domain, because the answer keys at the back need every page's.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..domain import book_domain
from ..people import person_label, reading_order
from ..print import marks as print_marks
from ..state import book_data
from ..tables.extension import loaded, page_docname
from ..timelines.figure import date_label
from ..timelines.markers import event_marker, event_page_ref, paragraph_anchor
from ..titles import title_nodes
from ..web.assets import copy_static

STATIC = Path(__file__).parent / "static"
SECTION_ID = "check-yourself"
ANSWERS_TITLE = "Answers to the self-checks"
GLOSSARY = "glossary"
WHOS_WHO = "people"
EVENTS_TO_ORDER, TERMS_TO_MATCH, PEOPLE_TO_NAME = 6, 4, 4
ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th"]
SENTENCE_END = re.compile(r"(?<=[a-z0-9)’”][.!?])\s+(?=[A-Z“])")


class self_check(nodes.General, nodes.Element):  # noqa: N801
    """Where a part page's exercises go; filled once every page has been read."""


class answer_key(nodes.General, nodes.Element):  # noqa: N801
    """The web page's answers, folded."""


@dataclass
class Prompt:
    text: str  # what the reader answers
    answer: int  # 1-based: the option (or the position, for events in order)
    key: list[nodes.Node]  # the answer as the key gives it, with where to read more


@dataclass
class Exercise:
    kind: str  # order, terms or people
    instruction: str
    options: list[str]  # empty for events in order: the options are positions
    prompts: list[Prompt]


def is_part_page(doctree: nodes.document) -> bool:
    return any("discussion-questions" in section["ids"] for section in doctree.findall(nodes.section))


def note_offer(app: Sphinx, doctree: nodes.document) -> None:
    """What the page marks, links and names, recorded for its exercises; and where they go."""
    env = app.env
    if not is_part_page(doctree):
        return
    events = [marker["event_id"] for marker in doctree.findall(event_marker)]
    terms = [ref["reftarget"] for ref in doctree.findall(addnodes.pending_xref) if ref.get("reftype") == "term"]
    people = [
        ref["reftarget"].removeprefix("person-")
        for ref in doctree.findall(addnodes.pending_xref)
        if ref.get("reftype") == "ref" and ref.get("reftarget", "").startswith("person-")
    ]
    book_domain(env).note_self_check(env.docname, dict.fromkeys(events), dict.fromkeys(terms), dict.fromkeys(people))
    top = next(iter(doctree.findall(nodes.section)))
    top += self_check(docname=env.docname)


def is_citation(node: nodes.Node) -> bool:
    return isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite"


def glossary_definitions(env: BuildEnvironment) -> dict[str, tuple[str, str, str]]:
    """lower-case term, as a {term} role names it -> (term, anchor, first sentence of its definition),
    from the glossary page. Roles name a term as its source line writes it (workers' government),
    the page shows it with typographic quotes (workers’ government): Sphinx's standard domain has both."""
    docname = page_docname(env, GLOSSARY)
    if docname not in env.all_docs:
        return {}
    role_names = {
        anchor: name.lower()
        for name, _, kind, page, anchor, _ in env.get_domain("std").get_objects()
        if kind == "term" and page == docname
    }
    entries = {}
    for item in env.get_doctree(docname).findall(nodes.definition_list_item):
        term = next(iter(item.findall(nodes.term)), None)
        definition = next(iter(item.findall(nodes.paragraph)), None)
        if term is None or definition is None or not term["ids"]:
            continue
        name = term.astext().strip()
        definition = definition.deepcopy()
        for citation in list(definition.findall(is_citation)):  # "(Carr 1958)" reads as its key before resolution
            citation.parent.remove(citation)
        text = re.sub(r"\s+([.,;:])", r"\1", " ".join(definition.astext().split()))
        entries[role_names.get(term["ids"][0], name.lower())] = (name, term["ids"][0], SENTENCE_END.split(text)[0])
    return entries


def glossary_entries(env: BuildEnvironment) -> dict[str, tuple[str, str, str]]:
    """As ``glossary_definitions``, with the term blanked out of its definition ("…"), for matching."""
    return {
        key: (name, anchor, re.sub(re.escape(name), "…", sentence, flags=re.IGNORECASE))
        for key, (name, anchor, sentence) in glossary_definitions(env).items()
    }


def link(app: Sphinx, fromdoc: str, todoc: str, anchor: str, text: str) -> nodes.Node:
    if app.builder.format == "latex":
        return nodes.Text("")
    uri = "" if fromdoc == todoc else app.builder.get_relative_uri(fromdoc, todoc)
    return nodes.reference("", text, internal=True, refuri=f"{uri}#{anchor}")


def exercises(app: Sphinx, docname: str, fromdoc: str) -> list[Exercise]:
    """The page's three exercises; ``fromdoc`` is the page their links start from."""
    env, offer = app.env, book_domain(app.env).self_check_offer(docname)
    chooser = random.Random(docname)  # a string seed is stable across runs and machines
    found: list[Exercise] = []

    events = loaded(book_data(env).events).set_index("id")
    candidates = [event_id for event_id in offer["events"] if event_id in events.index]
    by_date = {events.loc[event_id, "start_date"]: event_id for event_id in reversed(candidates)}
    if len(by_date) >= 4:
        chosen = sorted(chooser.sample(sorted(by_date), min(EVENTS_TO_ORDER, len(by_date))))
        in_order = [by_date[date] for date in chosen]
        shown = chooser.sample(in_order, len(in_order))
        prompts = []
        for event_id in shown:
            event, position = events.loc[event_id], in_order.index(event_id) + 1
            key = [
                nodes.Text(f"{event['label']}: {ORDINALS[position - 1]}, {date_label(event)}. "),
                link(app, fromdoc, docname, paragraph_anchor(event_id), "Read the paragraph"),
            ]
            if app.builder.format == "latex":
                key = [
                    nodes.Text(f"{event['label']}: {ORDINALS[position - 1]}, {date_label(event)}"),
                    event_page_ref(event_id=event_id),
                    nodes.Text("."),
                ]
            prompts.append(Prompt(event["label"], position, key))
        found.append(Exercise("order", "Put these events in order: give each its place, 1st for the earliest.", [], prompts))

    glossary = glossary_entries(env)
    # Looked up by the key the page used, not by the entry's name: smart quotes turn "workers' state"
    # into "workers’ state" in the name. Listed in the order of the names, which the sample draws from.
    keys = sorted({term.lower() for term in offer["terms"] if term.lower() in glossary}, key=lambda key: glossary[key][0].lower())
    if len(keys) >= 3:
        found.append(
            matching(
                app,
                chooser,
                fromdoc,
                "terms",
                "Match each definition to its term.",
                [
                    (glossary[key][2], glossary[key][0], page_docname(env, GLOSSARY), glossary[key][1])
                    for key in chooser.sample(keys, min(TERMS_TO_MATCH, len(keys)))
                ],
            )
        )

    people = loaded(book_data(env).people)
    named = sorted(person for person in offer["people"] if person in people.index)
    if len(named) >= 3:
        rows = []
        for person_id in chooser.sample(named, min(PEOPLE_TO_NAME, len(named))):
            person = people.loc[person_id]
            rows.append(
                (
                    person["roles"].split(";")[0].strip(),
                    f"{person['name']} ({person['born']}–{person['died']})",
                    page_docname(env, WHOS_WHO),
                    person_label(person_id),
                )
            )
        found.append(matching(app, chooser, fromdoc, "people", "Who did what? Name the person for each description.", rows))
    return found


def matching(
    app: Sphinx, chooser: random.Random, fromdoc: str, kind: str, instruction: str, rows: list[tuple[str, str, str, str]]
) -> Exercise:
    """rows: (prompt, answer, page that explains it, anchor there)."""
    options = chooser.sample([answer for _, answer, _, _ in rows], len(rows))
    prompts = []
    for text, answer, page, anchor in chooser.sample(rows, len(rows)):
        where = "the Glossary" if kind == "terms" else "the Who's who"
        key: list[nodes.Node] = [nodes.Text(f"{answer}. ")]
        key.append(link(app, fromdoc, page, anchor, f"Read the entry in {where}"))
        if app.builder.format == "latex":
            key = [nodes.Text(f"{answer}; see {where}.")]
        prompts.append(Prompt(text, options.index(answer) + 1, key))
    return Exercise(kind, instruction, options, prompts)


def question_nodes(exercise: Exercise, number: int) -> nodes.Element:
    box = nodes.container(classes=["self-check-exercise", exercise.kind])
    box += nodes.paragraph("", f"{number}. {exercise.instruction}", classes=["self-check-instruction"])
    if exercise.options:
        options = nodes.enumerated_list(enumtype="upperalpha", prefix="", suffix=".", classes=["self-check-options"])
        options.extend(nodes.list_item("", nodes.paragraph("", option)) for option in exercise.options)
        box += options
    prompts = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["self-check-prompts"])
    for prompt in exercise.prompts:
        prompts += nodes.list_item("", nodes.paragraph("", prompt.text), classes=[f"answer-{prompt.answer}"])
    box += prompts
    return box


def key_nodes(exercise: Exercise, number: int) -> nodes.Element:
    keys = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["self-check-key"])
    for prompt in exercise.prompts:
        answer = chr(ord("A") + prompt.answer - 1) + ". " if exercise.options else ""
        keys += nodes.list_item("", nodes.paragraph("", "", nodes.Text(answer), *prompt.key))
    return nodes.container(
        "", nodes.paragraph("", f"Exercise {number}", classes=["self-check-key-title"]), keys, classes=["self-check-answer"]
    )


def title_of(env: BuildEnvironment, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def next_section_number(env, page: str) -> list[int]:
    """The number the section takes after the page's last numbered one ("3.9" after "3.8"), as LaTeX
    counts it in print. Added after Sphinx numbered the page's sections, it has none of its own, and
    the web would show the chapter's number alone."""
    numbers = [number for number in env.toc_secnumbers.get(page, {}).values() if len(number) == 2]
    return [*max(numbers)[:1], max(numbers)[1] + 1] if numbers else []


def fill_self_checks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each page's exercises where its placeholder is; the answers folded under them on the web, at
    the back of the book (after the last page) in the PDF and the EPUB."""
    env = app.env
    on_the_web = app.builder.format == "html" and app.builder.name != "epub"
    for placeholder in list(doctree.findall(self_check)):
        page = placeholder["docname"]
        found = exercises(app, page, docname if app.builder.format != "latex" else page)
        if not found:
            placeholder.parent.remove(placeholder)
            continue
        section = nodes.section(ids=[SECTION_ID], names=[SECTION_ID], classes=["self-check"])
        section += nodes.title("", "Check yourself", secnumber=next_section_number(env, page))
        count = ["One short exercise", "Two short exercises", "Three short exercises"][len(found) - 1]
        section += nodes.paragraph(
            "",
            f"{count} on this part, drawn from its events, terms and people. "
            + (
                "Choose your answers and check them; the answers are also below."
                if on_the_web
                else "The answers are at the back of the book."
            ),
        )
        section.extend(question_nodes(exercise, number) for number, exercise in enumerate(found, 1))
        if on_the_web:
            section += answer_key("", *(key_nodes(exercise, number) for number, exercise in enumerate(found, 1)))
        placeholder.replace_self(section)
    order = reading_order(env)
    pages = sorted(book_domain(env).self_check_pages(), key=lambda page: order.get(page, len(order)))
    last_page = max(order, key=lambda page: order[page]) if order else None
    if not on_the_web and pages and (app.builder.format == "latex" or docname == last_page):
        doctree += answers_at_the_back(app, pages, docname)


def answers_at_the_back(app: Sphinx, pages: list[str], docname: str) -> nodes.section:
    section = nodes.section(ids=["self-check-answers"], names=["self-check-answers"], classes=["self-check-answers"])
    section += nodes.title("", ANSWERS_TITLE)
    for page in pages:
        found = exercises(app, page, docname if app.builder.format != "latex" else page)
        if found:
            part = nodes.section(ids=[f"answers-{page.rsplit('/', 1)[-1]}"])
            part += nodes.title("", "", *title_nodes(app.env, page))
            if app.builder.format == "latex":  # where the part's PDF finds its answers
                part += nodes.raw("", print_marks.mark(print_marks.ANSWERS, page), format="latex")
            part.extend(key_nodes(exercise, number) for number, exercise in enumerate(found, 1))
            section += part
    return section


def visit_answer_key(self, node: answer_key) -> None:
    self.body.append('<details class="self-check-answers"><summary>Answers</summary>')


def depart_answer_key(self, node: answer_key) -> None:
    self.body.append("</details>")


def skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name == "html" and doctree is not None and next(doctree.findall(answer_key), None):
        app.add_js_file("studybook-teaching/selfcheck.js", loading_method="defer")
        app.add_css_file("studybook-teaching/selfcheck.css")


def copy_assets(app: Sphinx) -> None:
    copy_static(app, STATIC, "studybook-teaching")


def setup_self_checks(app: Sphinx) -> None:
    others: dict[str, Any] = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(self_check, html=(skip, None), **others)
    app.add_node(answer_key, html=(visit_answer_key, depart_answer_key), **others)
    app.connect("doctree-read", note_offer)
    app.connect("doctree-resolved", fill_self_checks, priority=400)  # before the event links are resolved
    app.connect("html-page-context", add_script, priority=800)  # before web.assets defers scripts (900)
    app.connect("builder-inited", copy_assets)
