"""Every number in data/ can be found where its row says it was read.

In every table with ``locator`` and ``quote`` (or ``text_nb``) columns, for each row with a seed
locator (``<seed file>:<first>-<last>``) the quote must appear in those seed lines (whitespace
folded, line-break hyphenation tolerated, ``…`` separating fragments that appear in order), and
for value rows the value must appear in the quote in a Norwegian rendering ("13,6", "150 000",
"146.000", "57") or as a number word ("ni", "åtte", "halvparten", "én av tre").
Rows citing an external document are checked for the value in the quote only. A qualifier
written just before the number ("ca 57", "oppunder 26", "mer enn fire") must show in ``approx``
and ``bound``. The checker
functions are tested on known-bad input, so the data test cannot pass vacuously.

The seed texts are part of the repository (``seeds/``), so a missing seed file is a failure.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from ehelse_market.paths import DATA_DIR, SEEDS_DIR

VALUE_TABLES = ("market", "ict", "workforce", "gains", "digital_use", "informants", "international", "assumptions")
LOCATOR_RE = re.compile(r"^(?P<file>\d{3}_[0-9a-f]+\.txt):(?P<first>\d+)-(?P<last>\d+)$")

# Number words and phrases as the documents write them, with the value they stand for.
NUMBER_WORDS: dict[str, float] = {
    "én": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "sju": 7, "åtte": 8,
    "ni": 9, "ti": 10, "tolv": 12, "tjue": 20, "halvparten": 50, "dobling": 2, "doblet": 2,
    "én av tre": 100 / 3, "en av tre": 100 / 3, "hver tredje": 100 / 3, "hver åttende": 100 / 8,
}
# Words that may sit inside a longer word ("fordobling").
SUBSTRING_WORDS = {"dobling", "doblet", "halvparten"}


def fold(text: str) -> str:
    """Normalise for comparison: NFC, no soft hyphens, hyphen+line break joined, whitespace collapsed, lower case."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # "e-\nhelse" and "helse- og" fold the same way on both sides
    return text.strip().lower()


def quote_in_text(quote: str, text: str) -> bool:
    """True if every fragment of ``quote`` (split on … or ...) occurs in ``text``, in order."""
    hay = fold(text)
    pos = 0
    for frag in re.split(r"\s*(?:…|\.\.\.)\s*", quote):
        frag = fold(frag)
        if not frag:
            continue
        i = hay.find(frag, pos)
        if i < 0:
            return False
        pos = i + len(frag)
    return True


def renderings(value: float) -> list[str]:
    """Norwegian digit renderings of ``value``: 13,6 · 150 000 · 150.000 · 150000."""
    if math.isclose(value, round(value), abs_tol=1e-9):
        n = int(round(value))
        out = [str(n)]
        if abs(n) >= 1000:
            grouped = f"{n:,}"
            out += [grouped.replace(",", " "), grouped.replace(",", "."), grouped.replace(",", "\u00a0")]
        return out
    return [f"{value:.10g}".replace(".", ",")]


def value_in_quote(value: float, quote: str) -> bool:
    """True if ``quote`` shows ``value`` as digits (Norwegian style) or as a number word."""
    text = unicodedata.normalize("NFC", quote).replace("\u00a0", " ")
    for r in renderings(value):
        r = r.replace("\u00a0", " ")
        if re.search(r"(?<!\d)(?<!\d[,.])" + re.escape(r) + r"(?!\d)(?![,.]\d)", text):
            return True
    low = text.lower()
    for word, v in NUMBER_WORDS.items():
        if not math.isclose(value, v, rel_tol=1e-3):
            continue
        pattern = re.escape(word) if word in SUBSTRING_WORDS else r"(?<!\w)" + re.escape(word) + r"(?!\w)"
        if re.search(pattern, low):
            return True
    return False


# Qualifiers written just before a number, and the bound they imply (docs/data-format.md).
QUALIFIERS: dict[str, str] = {
    "ca": "eq", "ca.": "eq", "cirka": "eq", "anslagsvis": "eq", "anslått til": "eq", "om lag": "eq", "omtrent": "eq",
    "rundt": "eq", "i størrelsesorden": "eq", "vel": "lower", "mer enn": "lower", "over": "lower", "nesten": "upper",
    "oppunder": "upper", "i underkant av": "upper", "opp mot": "upper", "under": "upper",
}
EXACT_QUALIFIERS = {"under"}  # a bound, but not an approximation


def _value_position(value: float, quote: str) -> int | None:
    text = unicodedata.normalize("NFC", quote).replace("\u00a0", " ")
    for r in renderings(value):
        m = re.search(r"(?<!\d)(?<!\d[,.])" + re.escape(r.replace("\u00a0", " ")) + r"(?!\d)(?![,.]\d)", text)
        if m:
            return m.start()
    for word, v in NUMBER_WORDS.items():
        m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text.lower()) if math.isclose(value, v, rel_tol=1e-3) else None
        if m:
            return m.start()
    return None


def qualifier_problems(row: dict) -> list[str]:
    """A qualifier right before the number ("ca 57", "oppunder 26") must show in ``approx`` and ``bound``."""
    quote = row.get("quote") or ""
    pos = _value_position(float(row["value"]), quote) if quote else None
    if pos is None:
        return []
    before = quote[:pos].lower().rstrip()
    for word in sorted(QUALIFIERS, key=len, reverse=True):
        if re.search(r"(?<!\w)" + re.escape(word) + r"$", before):
            want_approx = "false" if word in EXACT_QUALIFIERS else "true"
            problems = []
            if row.get("approx") != want_approx:
                problems.append(f"'{word}' before the value: approx should be {want_approx}, is {row.get('approx')}")
            if row.get("bound") != QUALIFIERS[word]:
                problems.append(f"'{word}' before the value: bound should be {QUALIFIERS[word]}, is {row.get('bound')}")
            return problems
    return []


@cache
def seed_lines(seed_dir: Path, file: str) -> tuple[str, ...]:
    return tuple((seed_dir / file).read_text(encoding="utf-8").splitlines())


def locator_problems(row: dict, seed_dir: Path | None, is_value_row: bool) -> list[str]:
    """Everything wrong with one row's locator, quote and value; empty list if it checks out."""
    problems = []
    quote = row.get("quote") or row.get("text_nb") or ""
    if is_value_row:
        if row.get("status") == "published" and not quote:
            problems.append("published row without a quote")
        if quote and not value_in_quote(float(row["value"]), quote):
            problems.append(f"value {row['value']} not found in quote {quote!r} (Norwegian rendering: {renderings(float(row['value']))})")
    m = LOCATOR_RE.match(row.get("locator") or "")
    if not m:
        return problems
    first, last = int(m["first"]), int(m["last"])
    if first < 1 or last < first:
        return problems + [f"bad line range {first}-{last}"]
    if seed_dir is None:
        return problems
    path = seed_dir / m["file"]
    if not path.exists():
        return problems + [f"seed file {m['file']} not found"]
    lines = seed_lines(seed_dir, m["file"])
    if last > len(lines):
        return problems + [f"line {last} beyond end of {m['file']} ({len(lines)} lines)"]
    if quote and not quote_in_text(quote, "\n".join(lines[first - 1:last])):
        problems.append(f"quote {quote!r} not in {m['file']} lines {first}-{last}")
    return problems


def _version_dirs() -> list[Path]:
    return sorted(p for p in DATA_DIR.iterdir() if p.is_dir() and (p / "sources.csv").exists()) if DATA_DIR.is_dir() else []


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _rows() -> list:
    params = []
    for vdir in _version_dirs():
        for csv_path in sorted(vdir.glob("*.csv")):
            rows = _read(csv_path)
            if not rows or "locator" not in rows[0] or not {"quote", "text_nb"} & set(rows[0]):
                continue
            is_value = csv_path.stem in VALUE_TABLES
            for i, row in enumerate(rows, start=2):
                rid = row.get("key") or f"row{i}"
                params.append(pytest.param(row, is_value, id=f"{vdir.name}/{csv_path.stem}/{rid}"))
    return params


SEED_DIR = SEEDS_DIR
ROWS = _rows()


@pytest.mark.parametrize(("row", "is_value"), ROWS)
def test_row_quote_and_value_match_locator(row, is_value):
    assert locator_problems(row, SEED_DIR, is_value) == []


@pytest.mark.parametrize(("row", "is_value"), [p for p in ROWS if p.values[1]])
def test_qualifier_before_value_matches_approx_and_bound(row, is_value):
    assert qualifier_problems(row) == []


def test_there_are_rows_to_check():
    assert len(ROWS) > 50


@pytest.mark.parametrize("vdir", _version_dirs(), ids=lambda p: p.name)
def test_source_ids_and_seed_files_are_registered(vdir):
    sources = {s["source_id"]: s for s in _read(vdir / "sources.csv")}
    problems = []
    for csv_path in sorted(vdir.glob("*.csv")):
        for i, row in enumerate(_read(csv_path), start=2):
            sid = row.get("source_id")
            if sid is None:
                continue
            if sid not in sources:
                problems.append(f"{csv_path.name}:{i} source_id {sid!r} not in sources.csv")
                continue
            m = LOCATOR_RE.match(row.get("locator") or "")
            if m and sources[sid]["kind"] == "seed" and sources[sid]["file"] != m["file"]:
                problems.append(f"{csv_path.name}:{i} locator file {m['file']} is not {sid}'s file {sources[sid]['file']}")
    assert problems == []


# --- the checker itself fails on bad input ---------------------------------------------------

@pytest.mark.parametrize(("value", "quote"), [
    (13.6, "bruker 13,6 milliard kroner"), (150000, "behov for 150 000 årsverk"), (146000, "ca 146.000 årsverk"),
    (57, "ca 57 prosent"), (9, "ni virksomheter"), (8, "åtte interesseorganisasjoner"), (50, "Halvparten av budsjettene"),
    (2, "en fordobling av verdiskapingen"), (33.33, "opp mot én av tre må jobbe"), (0.5, "0,5 prosent"), (1, "1% reduksjon"),
])
def test_value_in_quote_accepts_norwegian_renderings(value, quote):
    assert value_in_quote(value, quote)


@pytest.mark.parametrize(("value", "quote"), [
    (13.7, "bruker 13,6 milliard kroner"), (5, "5,2 prosent"), (57, "ca 570 prosent"), (2, "12 prosent"),
    (9, "nivå"), (150000, "15 000 årsverk"), (4, "4,3 prosent"),
])
def test_value_in_quote_rejects_other_numbers(value, quote):
    assert not value_in_quote(value, quote)


def test_quote_folding_tolerates_line_breaks_and_hyphenation():
    text = "På e-\nhelsefeltet er utgiftene   til e-helse\ni Norge noe over"
    assert quote_in_text("På e-helsefeltet er utgiftene til e-helse i Norge", text)
    assert quote_in_text("På e-helsefeltet … i Norge", text)
    assert not quote_in_text("i Norge … På e-helsefeltet", text)
    assert not quote_in_text("utgiftene til IKT", text)


def test_locator_problems_reports_a_wrong_line_range(tmp_path):
    (tmp_path / "000_abc.txt").write_text("første linje\nbruker 13,6 milliard kroner\n", encoding="utf-8")
    good = {"value": "13.6", "status": "published", "quote": "bruker 13,6 milliard", "locator": "000_abc.txt:2-2"}
    assert locator_problems(good, tmp_path, True) == []
    assert locator_problems({**good, "locator": "000_abc.txt:1-1"}, tmp_path, True)
    assert locator_problems({**good, "locator": "000_abc.txt:2-9"}, tmp_path, True)
    assert locator_problems({**good, "value": "13.5"}, tmp_path, True)
    assert locator_problems({**good, "quote": ""}, tmp_path, True)


def test_qualifier_problems_catches_a_missing_flag():
    row = {"value": "26", "quote": "en samlet eksport på oppunder 26 milliarder", "approx": "true", "bound": "upper"}
    assert qualifier_problems(row) == []
    assert qualifier_problems({**row, "bound": "eq"})
    assert qualifier_problems({**row, "approx": "false"})
    assert qualifier_problems({"value": "5", "quote": "på under fem prosent", "approx": "false", "bound": "upper"}) == []
    assert qualifier_problems({"value": "57", "quote": "står for ca 57 prosent", "approx": "false", "bound": "eq"})


# --- the keys other modules code against exist, with the published value and unit -----------

REQUIRED = {
    "market.spend_total": (13.6, "NOK bn"),
    "market.care_level.specialist_care": (57, "percent"), "market.care_level.primary_care": (24, "percent"),
    "market.care_level.national_actors": (19, "percent"),
    "market.contract_form.in_house": (50, "percent"), "market.contract_form.project": (20, "percent"),
    "market.contract_form.open_market": (18, "percent"), "market.contract_form.relational": (12, "percent"),
    "ict.rhf_share.2019": (5.2, "percent"), "ict.gartner_average.2019": (4.3, "percent"), "ict.oecd_health_share": (5, "percent"),
    "ict.multiple.other_industries": (4, "multiple"), "ict.multiple.banking_finance": (10, "multiple"),
    "ict.multiple.media": (7, "multiple"), "ict.rhf_share.2020": (5.4, "percent"), "ict.gartner_average.2020": (4.2, "percent"),
    "ict.rhf_share.2017": (4.9, "percent"), "ict.global_average.2017": (4.6, "percent"),
    "ict.rhf_spend.2019": (8.4, "NOK bn"), "ict.rhf_spend.2020": (8.9, "NOK bn"),
    "workforce.ssb_reference.2017": (310000, "fte"), "workforce.ssb_reference.2035": (415000, "fte"),
    "workforce.ssb_reference.2060": (618000, "fte"), "workforce.ssb_reference.productivity_growth": (0.5, "percent/yr"),
    "workforce.menon.basis_productivity_growth": (0.5, "percent/yr"), "workforce.ssb_reference.standard_growth": (1, "percent/yr"),
    "workforce.ssb_reference.share_of_all_fte.2017": (13, "percent"), "workforce.count.care_services.2020": (146000, "fte"),
    "workforce.count.specialist_care.2020": (117000, "fte"), "workforce.count.gps.2020": (5000, "persons"),
    "workforce.menon.extra_fte_without_productivity": (150000, "fte"), "workforce.menon.no_resource_problem_growth": (2, "percent/yr"),
    "workforce.menon.demand_multiple_2060": (2, "multiple"), "workforce.menon.share_of_workers_2060": (33.33, "percent"),
    "workforce.perspektiv.extra_fte.2035": (110000, "fte"), "workforce.perspektiv.extra_fte.2060": (260000, "fte"),
    "gains.base.disease_burden": (1400, "NOK bn"), "gains.base.health_budget": (340, "NOK bn"), "gains.base.value_added": (50, "NOK bn"),
    "gains.example_rate": (1, "percent"), "gains.example.disease_burden": (14, "NOK bn"),
    "gains.example.health_budget": (3.4, "NOK bn"), "gains.example.value_added": (0.5, "NOK bn"),
    "gains.ambition.annual_saving": (20, "NOK bn"), "gains.ambition.societal_cost_base": (2000, "NOK bn"),
    "gains.ambition.saving_rate": (1, "percent"), "gains.ambition.doubling_start_year": (2022, "year"),
    "gains.ambition.doubling_end_year": (2030, "year"), "gains.ambition.doubling_multiple": (2, "multiple"),
    "exports.total.2020": (26, "NOK bn"), "exports.pharma_share.2020": (70, "percent"),
    "exports.medical_equipment.2020": (7.8, "NOK bn"), "exports.medical_equipment_share.2020": (30, "percent"),
    "exports.digital_health.2020": (115, "NOK m"), "exports.digital_health_share.2020": (0.4, "percent"),
    "digital.helsenorge_logins.2019": (20.5, "million logins"), "digital.helsenorge_logins.2020": (43.5, "million logins"),
    "digital.prescription_visits.2019": (6.4, "million visits"), "digital.prescription_visits.2020": (8.5, "million visits"),
    "digital.record_visits.2019": (2.8, "million visits"), "digital.record_visits.2020": (4.9, "million visits"),
    "digital.gp_video_share.2018": (8, "percent"), "digital.consultations_per_day.2020": (20000, "per day"),
    "digital.consultation_growth.2020": (300, "percent"),
    "informants.forord.research": (9, "count"), "informants.forord.interest_orgs": (8, "count"),
    "informants.method.research": (8, "count"), "informants.method.interest_orgs": (9, "count"),
    "informants.summary.research": (8, "count"), "informants.summary.interest_orgs": (9, "count"),
    "assumption.governance.market_intercept": (1, "index"), "assumption.governance.market_slope": (3, "index"),
    "assumption.governance.hybrid_intercept": (2, "index"), "assumption.governance.hybrid_slope": (1.5, "index"),
    "assumption.governance.hierarchy_intercept": (4, "index"), "assumption.governance.hierarchy_slope": (0.5, "index"),
    "assumption.share_rounding_halfwidth": (0.5, "percentage points"), "assumption.workforce.base_year": (2017, "year"),
    "assumption.workforce.total_employment_growth": (0, "percent/yr"),
}


@pytest.mark.parametrize("vdir", _version_dirs(), ids=lambda p: p.name)
def test_required_keys_hold_the_published_values(vdir):
    rows = {r["key"]: r for name in VALUE_TABLES if (vdir / f"{name}.csv").exists() for r in _read(vdir / f"{name}.csv")}
    problems = [f"{k}: missing" for k in REQUIRED if k not in rows]
    problems += [f"{k}: {rows[k]['value']} {rows[k]['unit']}, published {v} {u}" for k, (v, u) in REQUIRED.items()
                 if k in rows and not (math.isclose(float(rows[k]["value"]), v) and rows[k]["unit"] == u)]
    assert problems == []


@pytest.mark.parametrize("vdir", _version_dirs(), ids=lambda p: p.name)
def test_informant_variants_each_sum_to_88(vdir):
    rows = _read(vdir / "informants.csv")
    for variant in ("forord", "method", "summary"):
        parts = [float(r["value"]) for r in rows if r["variable"] == f"informants_{variant}" and r["segment"] != "total"]
        total = [float(r["value"]) for r in rows if r["variable"] == f"informants_{variant}" and r["segment"] == "total"]
        assert (sum(parts), total) == (88, [88]), variant
