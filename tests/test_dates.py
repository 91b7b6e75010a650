"""Every full date written in a part page is an event of the chronology, or data/date-exceptions.csv says why not."""

import csv
import datetime as dt
import re

from conftest import ROOT

PART_PAGES = ("germany-1923", "socialism-in-one-country", "britain-1926", "china-1925-27", "conclusions")
MONTHS = ("January February March April May June July August September October November December").split()
# "4 May 1926", "18–31 December 1925" (the first day counts), "25 October (7 November) 1917" (the Gregorian day counts)
_MONTH = "|".join(MONTHS)
FULL_DATE = re.compile(rf"\b(\d{{1,2}})(?:[–-]\d{{1,2}})? ({_MONTH})(?: \((\d{{1,2}}) ({_MONTH})\))? (1[89]\d\d)\b")


def _day_events() -> list[tuple[dt.date, dt.date]]:
    with open(ROOT / "data" / "events.csv", encoding="utf-8") as table:
        rows = [row for row in csv.DictReader(table) if row["precision"] == "day"]
    return [(dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"] or r["start"])) for r in rows]


def _exceptions() -> set[tuple[str, str]]:
    with open(ROOT / "data" / "date-exceptions.csv", encoding="utf-8") as table:
        return {(row["page"], row["date"]) for row in csv.DictReader(table) if row["reason"].strip()}


def full_dates(text: str):
    for match in FULL_DATE.finditer(text):
        day, month = (match.group(3), match.group(4)) if match.group(3) else (match.group(1), match.group(2))
        yield dt.date(int(match.group(5)), MONTHS.index(month) + 1, int(day))


def test_full_dates_in_part_pages_are_chronology_events():
    events, exceptions = _day_events(), _exceptions()
    missing = []
    for page in PART_PAGES:
        for number, line in enumerate((ROOT / "chapters" / f"{page}.md").read_text(encoding="utf-8").splitlines(), 1):
            for day in full_dates(line):
                if not any(start <= day <= end for start, end in events) and (page, day.isoformat()) not in exceptions:
                    missing.append(f"chapters/{page}.md:{number}: {day.isoformat()}")
    assert not missing, (
        "dates with no day-precision row in data/events.csv; add the event, "
        "or say why not in data/date-exceptions.csv:\n" + "\n".join(missing)
    )


def test_the_date_pattern_reads_julian_and_ranges():
    assert list(full_dates("on 25 October (7 November) 1917 and 18–31 December 1925")) == [
        dt.date(1917, 11, 7),
        dt.date(1925, 12, 18),
    ]
