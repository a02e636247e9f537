"""Report language: Norwegian (bokmål, default) and English labels and number formats.

Every word a reader sees that is not data text comes from one catalogue per language,
``words/<lang>.yaml`` (units, category names, headings and table headers, statuses, the decision
record's sentences); figure titles and captions live beside each chapter's figures. Numbers are
formatted with Babel's locale data: Norwegian "13,6" and "150 000", English "13.6" and
"150,000". A data code without a label is shown as the code itself; a missing fixed word raises.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehelse_market.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd
    from babel import Locale
    from babel.numbers import NumberPattern
    from matplotlib.ticker import FuncFormatter

#: the catalogues: one YAML file per report language, the same keys in each (tests/test_words.py)
WORDS_DIR = Path(__file__).resolve().parent / "words"
#: report languages, default first: a language is a catalogue file here plus its Babel locale
LANGS = ("nb", "en")
#: catalogue sections: units (unit codes), categories (data codes), words (headings, headers, statuses,
#: links), parameters (scenario parameters by field name), decision_record and principle_triggers
#: (the sourcing decision record)
SECTIONS = ("units", "categories", "words", "parameters", "decision_record", "principle_triggers")
#: Babel locale per report language
LOCALES = {"nb": "nb_NO", "en": "en_GB"}
MINUS = "\u2212"  # the typographic minus sign (U+2212) in both languages (reader standard)


@functools.cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The reader words of ``lang``: {section: {key: text}}, read once from ``words/<lang>.yaml``."""
    import yaml

    check_lang(lang)
    # libyaml's safe loader where PyYAML has it (10x faster: a no-op build reads both catalogues)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((WORDS_DIR / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    return {sec: {str(k): str(v) for k, v in (data.get(sec) or {}).items()} for sec in SECTIONS}


def lookup(section: str, key: str, lang: str, **fields: Any) -> str:
    """The catalogue text of ``key`` in ``section``; KeyError names key, section and language."""
    try:
        text = catalogue(lang)[section][key]
    except KeyError:
        raise KeyError(f"no {lang} word for '{key}' in section '{section}' of words/{lang}.yaml") from None
    return text.format(**fields) if fields else text


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise :class:`ParameterError`."""
    if lang not in LANGS:
        raise ParameterError("lang", lang, "one of " + ", ".join(repr(x) for x in LANGS))
    return lang


def _pick(section: str, code: str, lang: str) -> str:
    check_lang(lang)
    return catalogue(lang)[section].get(code, str(code))


def unit(code: str, lang: str = "nb") -> str:
    """Reader-facing unit label ("mrd. kr" for ``NOK bn`` in Norwegian)."""
    return _pick("units", code, lang)


def label(code: str, lang: str = "nb") -> str:
    """Reader-facing label of a data code (segment, form, attribute); the code itself if unknown."""
    return _pick("categories", code, lang)


def header(name: str, lang: str = "nb") -> str:
    """A table column header: the word for it if there is one, else the column name."""
    return _pick("words", name, lang)


def word(name: str, lang: str = "nb") -> str:
    """A fixed report word (headings, table columns, links); KeyError if the catalogue lacks it."""
    return lookup("words", name, lang)


@functools.cache
def _pattern(places: int, fixed: bool, group: bool) -> NumberPattern:
    """A parsed Babel number pattern: grouping or not, ``places`` decimals, fixed or at most."""
    from babel.numbers import parse_pattern

    frac = ("0" if fixed else "#") * places
    return parse_pattern(("#,##0" if group else "0") + ("." + frac if places else ""))


@functools.cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES[check_lang(lang)])


def number(value: float | None, decimals: int | None = None, lang: str = "nb", group: bool = True) -> str:
    """Format a number with the locale's symbols (Babel): ``number(13.6) == "13,6"``, ``number(150000)``
    is "150 000" with a no-break space in Norwegian and "150,000" in English.

    ``decimals=None`` keeps up to two decimals (four below 1, so that growth rates such as 0.015
    and 0.005 stay apart) and drops trailing zeros. Missing values give "–"; negatives carry the
    minus sign U+2212. ``group=False`` leaves out the thousands separator (years: "2017").
    """
    check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _number(float(value), decimals, lang, group)


@functools.lru_cache(maxsize=4096)
def _number(v: float, decimals: int | None, lang: str, group: bool) -> str:
    """:func:`number` of a float, remembered: a figure's tick labels are formatted at every layout
    pass and draw."""
    places = decimals if decimals is not None else (4 if abs(v) < 1 else 2)
    text = _pattern(places, decimals is not None, group).apply(v, _locale(lang))
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # no "-0"
    return text.replace("-", MINUS)


@functools.cache
def _percent_suffix(lang: str) -> str:
    """What follows the number in the locale's percent format: " %" (no-break space) in nb, "%" in en."""
    pattern = _locale(lang).percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1 :]


#: Units counted in whole items: tables show them without decimals (453 981 årsverk, not 453 980,51).
WHOLE_UNITS = ("fte", "persons", "count")


def _rounded(value: float, unit_code: str) -> float:
    """A computed value below 1 to three significant digits (every such value in the data has at most three)."""
    if unit_code not in WHOLE_UNITS and isinstance(value, (int, float)) and 0 < abs(value) < 1:
        return round(float(value), 2 - math.floor(math.log10(abs(value))))
    return value


def _missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA (a table cell without a number)."""
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def value_places(value: float | None, unit_code: str) -> int:
    """The decimals a table value needs on its own in its unit's convention: none for whole units
    (årsverk, persons, counts) and years, else those of the value rounded to two decimals (three
    significant digits below 1: "0,442"), trailing zeros left out (13.6 needs one, 57.0 none)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    if value is None or _missing(value) or unit_code in WHOLE_UNITS or unit_code == "year" or math.isinf(float(value)):
        return 0
    v = float(_rounded(value, unit_code))
    places = 4 if abs(v) < 1 else 2  # as number() rounds it: Babel's half-even on the decimal text
    exponent = Decimal(str(v)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def value_text(value: float, unit_code: str, lang: str = "nb", decimals: int | None = None) -> str:
    """A table value in its unit's convention: years without a thousands separator, whole units
    (årsverk, persons, counts) without decimals, a computed value below 1 to three significant
    digits ("0,442", "−0,618"); ``decimals`` (the column's, :func:`value_texts`) fixes the
    decimals shown, "3,20" beside "3,33". Alone, a value shows the decimals it needs
    (:func:`value_places`): a data row as its source writes it."""
    value = _rounded(value, unit_code)
    places = 0 if unit_code in WHOLE_UNITS else decimals
    return number(value, places, lang, group=unit_code != "year")


def value_texts(values: Iterable[float | None], units: Iterable[str], lang: str = "nb") -> list[str]:
    """One table column's values as text, by the one rule for every table: numbers of one unit in
    a column share their precision, the decimals the most precise of them needs up to two (the
    source's decimals where the column holds them), so "3,20" stands beside "3,33" and the total
    "13,60" beside "7,75"; a value below 1 keeps its three significant digits ("0,442" beside
    "30,00"). Missing values give ""."""
    cells = [(None if _missing(v) else v, str(u)) for v, u in zip(values, units)]
    shared: dict[str, int] = {}
    for v, u in cells:
        if v is not None:
            shared[u] = max(shared.get(u, 0), min(2, value_places(v, u)))
    return ["" if v is None else value_text(v, u, lang, max(shared[u], value_places(v, u))) for v, u in cells]


def quantity(value: float, unit_code: str, decimals: int | None = None, lang: str = "nb") -> str:
    """A number with its unit: ``quantity(13.6, "NOK bn") == "13,6 mrd. kr"``; percent as "57 %"."""
    if unit_code == "percent":
        return number(value, decimals, lang) + _percent_suffix(lang)
    return f"{number(value, decimals, lang)}\u00a0{unit(unit_code, lang)}"


def parameter(name: str, lang: str = "nb") -> str:
    """A scenario parameter's name in reader words ("Produktivitetsvekst per år")."""
    return lookup("parameters", name, lang)


def parameter_value(name: str, value: Any, lang: str = "nb") -> str:
    """A scenario parameter's value as the report writes numbers: fractions as percent ("0,5 %"),
    years without separators, a list joined ("0 %, 0,5 % og 2 %"), a range as "0–2 %"; ``None``
    (the value in the data version) as the catalogue's words for that. How the value reads
    ("fraction", "year", ...) is the scenario model's :func:`~ehelse_market.inputs.scenario.parameter_kind`."""
    from ehelse_market.inputs.scenario import parameter_kind

    kind = parameter_kind(name)
    if value is None:
        return word("from_data", lang)
    if isinstance(value, (list, tuple)):
        parts = [parameter_value(name, v, lang) for v in value]
        if name.endswith("_range") and len(parts) == 2:
            suffix = _percent_suffix(lang) if kind == "fraction" else ""
            if suffix and parts[0].endswith(suffix):
                parts[0] = parts[0][: -len(suffix)]
            return f"{parts[0]}\u2013{parts[1]}"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {word('and', lang)} " + parts[-1]
    if kind == "fraction":
        return quantity(100 * float(value), "percent", None, lang)
    if kind == "points":
        return quantity(float(value), "percentage points", None, lang)
    if kind == "year":
        return str(int(value))
    if kind == "fte":
        return quantity(float(value), "fte", 0, lang)
    if kind == "count":
        return number(value, 0, lang)
    if kind == "integer":
        return str(int(value))
    return str(value)


def publisher(name: str, lang: str = "nb") -> str:
    """A publisher as readers name it, in the report language where the catalogue names it
    ("Norwegian Directorate of eHealth"); authors in brackets are left to the sources appendix."""
    name = str(name or "").split(" (")[0].strip()
    return _pick("categories", name, lang) if name else name


#: the source id of the project's own assumptions: cited as "prosjektets antakelser", never by year
PROJECT_SOURCE = "project"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _rows(sources: pd.DataFrame) -> tuple[tuple[str, str, str], ...]:
    """(source_id, publisher, year text) of each row of a sources table, in table order."""
    n = len(sources)
    column = {c: sources[c].tolist() if c in sources.columns else [None] * n for c in ("publisher", "title", "year")}
    out = []
    for sid, pub, title, year in zip(sources["source_id"].tolist(), column["publisher"], column["title"], column["year"]):
        try:
            y = str(int(float(year)))
        except (TypeError, ValueError):
            y = ""
        out.append((str(sid), str(pub or title or ""), y))
    return tuple(out)


def citation_keys(sources: pd.DataFrame, lang: str = "nb") -> dict[str, tuple[str, str]]:
    """Every source id of a data version's sources table mapped to (publisher, year label), the
    parts of its one citation: "2021a" and "2021b" when two documents of one publisher share a year
    (letters in table order, so the same in every place and every build), "u.å." / "n.d." without
    a year ("u.å.-a" when there are two). The one place documents get their reader label."""
    return dict(_citation_keys(_rows(sources), lang))


@functools.lru_cache(maxsize=16)
def _citation_keys(rows: tuple[tuple[str, str, str], ...], lang: str) -> dict[str, tuple[str, str]]:
    """:func:`citation_keys` of a sources table's rows, kept: figures and pages cite one table
    hundreds of times."""
    keys = [(sid, publisher(pub, lang) or sid, y or word("no_year", lang))
            for sid, pub, y in rows if sid != PROJECT_SOURCE]
    count: dict[tuple[str, str], int] = {}
    for _, pub, y in keys:
        count[(pub, y)] = count.get((pub, y), 0) + 1
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for sid, pub, y in keys:
        if count[(pub, y)] > 1:
            n = seen.get((pub, y), 0)
            seen[(pub, y)] = n + 1
            y += ("" if y[-1:].isdigit() else "-") + _LETTERS[n]  # "2021a"; "u.å.-a" (APA)
        out[sid] = (pub, y)
    return out


def citations(sources: pd.DataFrame, lang: str = "nb") -> dict[str, str]:
    """Every source id mapped to its reader citation, "Menon Economics (2022)",
    "Direktoratet for e-helse (2021a)" (see :func:`citation_keys`)."""
    out = {sid: f"{pub} ({y})" for sid, (pub, y) in citation_keys(sources, lang).items()}
    if PROJECT_SOURCE in set(sources["source_id"]):  # the project's own assumptions: no document, no year
        out[PROJECT_SOURCE] = word("project_assumption", lang)
    return out


def cite(sources: pd.DataFrame, items: Iterable[str | tuple[str, ...]], lang: str = "nb",
         parenthetical: bool = False) -> str:
    """Documents as running text or a source line cites them, from the sources table.

    ``items``: source ids or ``(source_id, where, prefix)`` tuples (``where``: page, figure or
    section, "figur 2"; ``prefix``: words before the document, "gjengitt i"). Documents of one
    publisher are grouped: "Direktoratet for e-helse (2019; 2021a, figur 5)"; the project's own
    assumptions come last as words. ``parenthetical`` gives the form that sits inside brackets
    written around it: "Direktoratet for e-helse, 2021a, kapittel 4.5". An unknown source id
    raises :class:`ParameterError`.
    """
    keys = citation_keys(sources, lang)
    groups: dict[tuple[str, str], list[str]] = {}
    project = False
    for item in items:
        sid, where, prefix = (item, "", "") if isinstance(item, str) else (tuple(item) + ("", ""))[:3]
        if sid == PROJECT_SOURCE:
            project = True
            continue
        if sid not in keys:
            raise ParameterError("source_id", sid, "a source_id of the data version's sources.csv")
        pub, y = keys[sid]
        part = f"{y}, {where}" if where else y
        group = groups.setdefault((str(prefix), pub), [])
        if part not in group:
            group.append(part)
    texts = []
    for (prefix, pub), parts in groups.items():
        parts = sorted(parts)
        joined = ("; " if any(", " in p for p in parts) else ", ").join(parts)
        text = f"{pub}, {joined}" if parenthetical else f"{pub} ({joined})"
        texts.append(f"{prefix} {text}" if prefix else text)
    if project:
        texts.append(word("project_assumptions", lang))
    return "; ".join(texts)


#: a citation in narrative written as pandoc does: ``[@seed000, kapittel 4.5; @seed001]`` (in
#: brackets: "(Direktoratet for e-helse, 2021a, kapittel 4.5; 2022)"), ``@seed004 [figur 2]``
#: (narrative: "Menon Economics (2022, figur 2)") or ``@seed004`` ("Menon Economics (2022)");
#: words before the ``@`` inside brackets are kept ("[gjengitt i @seed000]"), and so is a part
#: without a citation ("[@williamson_1991; rapportens kapittel 3.1.2]")
CITATION = re.compile(r"\[(?P<group>[^\[\]]*@[A-Za-z][\w-]*[^\[\]]*)\]|(?<![\w@.])@(?P<id>[A-Za-z][A-Za-z0-9_]*)(?: \[(?P<where>[^\[\]]+)\])?")
_ITEM = re.compile(r"^(?P<prefix>.*?)@(?P<id>[A-Za-z][A-Za-z0-9_]*)(?:,\s*(?P<where>.+))?$")


def sources_of(data_version: str | None = None) -> pd.DataFrame:
    """The sources table of a data version (the newest without one), for citing outside a chapter
    (the builder's markdown cells, the decision record): ``sources.csv`` as written."""
    import pandas as pd

    from ehelse_market.inputs import resolve_version_dir

    return pd.read_csv(resolve_version_dir(data_version) / "sources.csv", dtype={"source_id": str})


def cite_text(text: str, sources: pd.DataFrame, lang: str = "nb", escape: Callable[[str], str] = str,
              cited: list[str] | None = None) -> str:
    """``text`` with its :data:`CITATION` marks replaced by the documents' citations (:func:`cite`).
    ``escape`` turns each citation into the target markup (publisher names are data text);
    ``cited`` (a list) gets the source ids named, for the sources appendix."""

    def sub(m: re.Match) -> str:
        if m.group("id"):
            items = [(m.group("id"), m.group("where") or "", "")]
            if cited is not None and items[0][0] not in cited:
                cited.append(items[0][0])
            return escape(cite(sources, items, lang))
        segments: list[str] = []  # runs of citations, and parts without one kept as written
        run: list[tuple[str, str, str]] = []
        for part in m.group("group").split(";"):
            im = _ITEM.match(part.strip())
            if im is None:
                if run:
                    segments.append(escape(cite(sources, run, lang, parenthetical=True)))
                    run = []
                segments.append(part.strip())
                continue
            run.append((im.group("id"), (im.group("where") or "").strip(), im.group("prefix").strip()))
            if cited is not None and im.group("id") not in cited:
                cited.append(im.group("id"))
        if run:
            segments.append(escape(cite(sources, run, lang, parenthetical=True)))
        return f"({'; '.join(segments)})"

    return CITATION.sub(sub, text)


def prose_quantity(value: float, unit_code: str, decimals: int | None = None, lang: str = "nb") -> str:
    """A number with its unit as running text writes it: the catalogue's ``prose_<unit>`` pattern
    where there is one ("NOK 13.6 billion" in English, "13,6 mrd. kr" in Norwegian), else
    :func:`quantity`. Tables and charts keep the compact form ("13.6 NOK bn")."""
    pattern = catalogue(lang)["words"].get(f"prose_{unit_code}")
    if pattern is None:
        return quantity(value, unit_code, decimals, lang)
    return pattern.format(n=number(value, decimals, lang))


def tick_formatter(lang: str = "nb", decimals: int | None = None) -> FuncFormatter:
    """A matplotlib tick formatter writing numbers in the report language."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: number(x, decimals, lang))
