"""pandera schemas for every input table, keyed by CSV file stem.

The schemas are the executable contract of ``data/``: types, ranges, allowed units, unique keys,
year ranges and group rules (the shares of one split sum to 100 within rounding). Files are read
as text (see :mod:`ehelse_market.inputs`) and the schemas coerce them, so every failure, including a
value that is not a number, is reported at once with its row and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ehelse_market.inputs.codes import CONTRACT_RISKS, PRINCIPLE_TRIGGERS, SOURCING_OPTIONS, VALUE_TABLES  # the code lists live there (no pandera)

#: Units a value row may carry (see docs/data-format.md).
UNITS = (
    "NOK bn",
    "NOK m",
    "EUR bn",
    "EUR m",
    "percent",
    "percent/yr",
    "percentage points",
    "fte",
    "persons",
    "count",
    "multiple",
    "million logins",
    "million visits",
    "per day",
    "year",
    "ratio",
    "index",
)

#: Variables whose rows form a split of a whole: within one (variable, year) the values sum to 100.
SPLIT_VARIABLES = ("care_level_share", "contract_form_share", "export_share")

#: Tolerance of a split's sum, in percentage points per row: each published share is a whole
#: percent rounded to +/- 0.5 points, so n shares may sum to anything within 100 +/- 0.5 n.
SPLIT_ROUNDING_PER_ROW = 0.5

BOOL_TEXT = ("true", "false")
KEY_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"
NAME_PATTERN = r"^[a-z0-9_]+$"


def bool_column(nullable: bool = False) -> pa.Column:
    return pa.Column(
        str,
        pa.Check.isin(BOOL_TEXT, error="must be true or false"),
        nullable=nullable,
        metadata={"bool": True},
    )


def bool_columns(schema: pa.DataFrameSchema) -> list[str]:
    """Columns written as true/false text, to be turned into booleans after validation."""
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("bool")]


def _text(nullable: bool = True, **kw: Any) -> pa.Column:
    return pa.Column(str, nullable=nullable, **kw)


@dataclass(frozen=True)
class Problem:
    """A rule that one or more rows break together, worded with the figure that breaks it."""

    rows: tuple[int, ...]  # frame index labels (0 = first data row)
    column: str | None
    rule: str


#: What each unit allows: (lowest, highest, whole numbers only, why). ``None`` = no limit.
#: Variables named ``*share*`` in percent are parts of a whole (0..100); ``*growth*``/``*change*``
#: in percent may fall, but by no more than everything (>= -100).
UNIT_BOUNDS: dict[str, tuple[float | None, float | None, bool, str]] = {
    "NOK bn": (0, None, False, "an amount of money is not negative"),
    "NOK m": (0, None, False, "an amount of money is not negative"),
    "EUR bn": (0, None, False, "an amount of money is not negative"),
    "EUR m": (0, None, False, "an amount of money is not negative"),
    "percent": (0, None, False, "a percentage of something is not negative (growth and change may fall to -100)"),
    "percent/yr": (-100, None, False, "a yearly rate cannot fall by more than everything"),
    "percentage points": (-100, 100, False, "a difference of percentages lies within -100..100"),
    "fte": (0, None, False, "full-time equivalents are not negative"),
    "persons": (0, None, True, "people are counted in whole, non-negative numbers"),
    "count": (0, None, True, "a count is a whole, non-negative number"),
    "multiple": (0, None, False, "a multiple is not negative"),
    "million logins": (0, None, False, "a number of logins is not negative"),
    "million visits": (0, None, False, "a number of visits is not negative"),
    "per day": (0, None, False, "a number per day is not negative"),
    "year": (1900, 2100, True, "a year is a whole number within 1900..2100"),
    "ratio": (0, None, False, "a ratio of amounts is not negative"),
    "index": (None, None, False, "an index may take any finite value"),
}
SHARE_BOUNDS = (0.0, 100.0, "a share of a whole lies within 0..100")
CHANGE_BOUNDS = (-100.0, None, "a change cannot fall by more than everything (-100)")


def _allowed(low: float | None, high: float | None, whole: bool) -> str:
    parts = [f">= {low:g}" if low is not None else "", f"<= {high:g}" if high is not None else ""]
    text = " and ".join(p for p in parts if p) or "any finite number"
    return ("a whole number " if whole else "") + text


def unit_bounds(df: pd.DataFrame) -> list[Problem]:
    """One problem per value outside what its unit allows (:data:`UNIT_BOUNDS`), naming the rule."""
    value = pd.to_numeric(df["value"], errors="coerce")
    variable = df["variable"].astype("string").fillna("")
    problems = []
    for unit, (low, high, whole, why) in UNIT_BOUNDS.items():
        rows = (df["unit"] == unit) & value.notna()
        for idx in rows[rows].index:
            lo, hi, reason = low, high, why
            if unit == "percent" and "share" in variable[idx]:
                lo, hi, reason = SHARE_BOUNDS
            elif unit == "percent" and ("growth" in variable[idx] or "change" in variable[idx]):
                lo, hi, reason = CHANGE_BOUNDS
            v = float(value[idx])
            bad = (lo is not None and v < lo) or (hi is not None and v > hi) or (whole and not v.is_integer())
            if bad:
                problems.append(Problem((idx,), "value", f"{v:g} is out of range for unit '{unit}': allowed {_allowed(lo, hi, whole)} ({reason})"))
    return problems


def _keys(df: pd.DataFrame, index: Iterable[Any], limit: int = 4) -> str:
    keys = [str(k) for k in df.loc[list(index), "key"]] if "key" in df.columns else []
    return ", ".join(keys[:limit]) + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def split_sums(df: pd.DataFrame) -> list[Problem]:
    """One problem per split (variable, year) whose shares miss 100 beyond rounding, with the sum."""
    value = pd.to_numeric(df["value"], errors="coerce")
    in_split = df["variable"].isin(SPLIT_VARIABLES) & value.notna()
    year = df["year"].astype("string").fillna("")
    groups = pd.DataFrame({"variable": df["variable"], "year": year, "value": value})[in_split]
    problems = []
    for (variable, yr), g in groups.groupby(["variable", "year"], sort=True):
        total, slack = g["value"].sum(), SPLIT_ROUNDING_PER_ROW * len(g)
        if abs(total - 100.0) > slack + 1e-9:
            when = f" in {yr}" if yr else ""
            problems.append(Problem(tuple(g.index), "value", (
                f"the shares of split '{variable}'{when} sum to {total:g}, not 100 (allowed 100 ± {slack:g}: "
                f"±{SPLIT_ROUNDING_PER_ROW:g} point for each of {len(g)} rounded shares); rows {_keys(df, g.index)}"
            )))
    return problems


def parts_sum_to_total(df: pd.DataFrame) -> list[Problem]:
    """One problem per count split with a ``total`` segment whose other segments do not sum to it."""
    value = pd.to_numeric(df["value"], errors="coerce")
    problems = []
    for variable in sorted(df[df["segment"] == "total"]["variable"].dropna().unique()):
        rows = df["variable"] == variable
        total = value[rows & (df["segment"] == "total")].sum()
        parts = value[rows & (df["segment"] != "total")]
        if abs(parts.sum() - total) > 1e-9:
            problems.append(Problem(tuple(df.index[rows]), "value", (
                f"the parts of '{variable}' sum to {parts.sum():g}, but its 'total' row says {total:g}; rows {_keys(df, parts.index)}"
            )))
    return problems


def _quote_unless_assumption(df: pd.DataFrame) -> pd.Series:
    """A published number needs its verbatim quote; an assumption may go without one."""
    return (df["status"] == "assumption") | df["quote"].notna()


VALUE_SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, pa.Check.str_matches(KEY_PATTERN, error="dotted lower-case id such as market.spend_total"), unique=True),
        "variable": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="lower-case name such as care_level_share")),
        "segment": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="lower-case code such as primary_care"), nullable=True),
        "year": pa.Column("Int64", pa.Check.in_range(1900, 2100, error="year must be 1900..2100"), coerce=True, nullable=True),
        "value": pa.Column(float, pa.Check(lambda s: s.notna() & ~s.isin([float("inf"), float("-inf")]), error="must be a finite number"), coerce=True),
        "unit": pa.Column(str, pa.Check.isin(UNITS, error="unit must be one of: " + ", ".join(UNITS))),
        "approx": bool_column(),
        "bound": pa.Column(str, pa.Check.isin(("eq", "lower", "upper"), error="bound must be eq, lower or upper")),
        "status": pa.Column(str, pa.Check.isin(("published", "assumption"), error="status must be published or assumption")),
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as dir2021")),
        "locator": pa.Column(str),
        "quote": _text(),
        "note": _text(),
    },
    checks=[
        pa.Check(_quote_unless_assumption, error="a published value needs its verbatim quote"),
    ],
    strict=True,
    ordered=False,
    name="value table",
)

SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as dir2021"), unique=True),
        "title": pa.Column(str),
        "publisher": pa.Column(str),
        "year": pa.Column("Int64", pa.Check.in_range(1900, 2100, error="year must be 1900..2100"), coerce=True, nullable=True),
        "url": _text(),
        "kind": pa.Column(str, pa.Check.isin(("seed", "external", "project"), error="kind must be seed, external or project")),
        "file": _text(),
        "note": _text(),
    },
    strict=True,
    ordered=False,
    name="sources",
)

#: Every CSV a data version may hold, by file stem. A file without a schema fails validation.
TABLE_SCHEMAS: dict[str, pa.DataFrameSchema] = {name: VALUE_SCHEMA for name in VALUE_TABLES}

#: Rules over several rows or worded with a computed figure (the sum is 97), run after the schema
#: by the loader on the rows as read; each needs the columns it reads (checked by the schema).
TABLE_RULES: dict[str, tuple] = {name: (unit_bounds, split_sums, parts_sum_to_total) for name in VALUE_TABLES}
RULE_COLUMNS = {unit_bounds: ("value", "unit", "variable"), split_sums: ("value", "variable", "year", "key"),
                parts_sum_to_total: ("value", "variable", "segment", "key")}
TABLE_SCHEMAS["sources"] = SOURCES_SCHEMA

# ---- further tables: each owner registers its schema below, one block per table ----

# ---- williamson_attributes, contract_rule, figure7_grid (owner: data transcription; see data/README.md) ----

FORMS_WILLIAMSON = ("market", "hybrid", "hierarchy")
FORMS_CONTRACT = ("in_house", "relational", "project", "market")
SEED_LOCATOR = r"^\d{3}_[0-9a-f]+\.txt:\d+-\d+$"


def _unique_together(*cols: str) -> pa.Check:
    """One row per combination of ``cols`` (a grid has no duplicate cells)."""
    return pa.Check(lambda df: ~df.duplicated(list(cols), keep=False), error="one row per " + " x ".join(cols))


def _full_grid(*cols_and_levels: tuple[str, tuple]) -> pa.Check:
    """Every combination of the levels is present (the grid is complete, gaps are explicit rows)."""
    import itertools

    cols = [c for c, _ in cols_and_levels]
    wanted = set(itertools.product(*[levels for _, levels in cols_and_levels]))

    def check(df: pd.DataFrame) -> bool:
        return wanted <= set(map(tuple, df[cols].astype(str).itertuples(index=False)))

    return pa.Check(check, error="every combination of " + " x ".join(cols) + " has a row")


TABLE_SCHEMAS["williamson_attributes"] = pa.DataFrameSchema(
    {
        "attribute": pa.Column(str, pa.Check.isin(("incentive_intensity", "administrative_control", "adaptation_autonomous",
                                                   "adaptation_cooperative", "contract_law"))),
        "form": pa.Column(str, pa.Check.isin(FORMS_WILLIAMSON)),
        "rating": pa.Column("Int64", pa.Check.isin([0, 1, 2], error="rating is 0, 1 or 2"), coerce=True),
        "symbol": pa.Column(str, pa.Check.isin(("0", "+", "++"))),
        "text_nb": pa.Column(str),
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN)),
        "locator": pa.Column(str, pa.Check.str_matches(SEED_LOCATOR, error="seed locator file:first-last")),
        "note": _text(),
    },
    checks=[
        _unique_together("attribute", "form"),
        pa.Check(lambda df: df["symbol"] == df["rating"].astype("Int64").map({0: "0", 1: "+", 2: "++"}),
                 error="symbol matches rating (0 -> 0, 1 -> +, 2 -> ++)"),
    ],
    strict=True,
    ordered=False,
    name="williamson_attributes",
)

TABLE_SCHEMAS["contract_rule"] = pa.DataFrameSchema(
    {
        "contract_risk": pa.Column(str, pa.Check.isin(CONTRACT_RISKS)),
        "in_house_resources": bool_column(),
        "form": pa.Column(str, pa.Check.isin(FORMS_CONTRACT + ("not_covered",))),
        "covered": bool_column(),
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN)),
        "locator": pa.Column(str),
        "quote": _text(),
        "note": _text(),
    },
    checks=[
        _unique_together("contract_risk", "in_house_resources"),
        _full_grid(("contract_risk", CONTRACT_RISKS), ("in_house_resources", ("true", "false"))),
        pa.Check(lambda df: (df["covered"] == "true") == (df["form"] != "not_covered"),
                 error="covered is false exactly when form is not_covered"),
        pa.Check(lambda df: (df["covered"] == "false") | df["quote"].notna(), error="a covered cell needs its quote"),
    ],
    strict=True,
    ordered=False,
    name="contract_rule",
)

TABLE_SCHEMAS["figure7_grid"] = pa.DataFrameSchema(
    {
        "frequency": pa.Column(str, pa.Check.isin(("one_off", "recurrent"))),
        "adaptation": pa.Column(str, pa.Check.isin(("low", "medium_high", "very_high"))),
        "form": pa.Column(str, pa.Check.isin(FORMS_CONTRACT)),
        "condition": _text(),
        "status": pa.Column(str, pa.Check.isin(("published", "assumption"))),
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN)),
        "locator": pa.Column(str),
        "quote": _text(),
        "note": _text(),
    },
    checks=[
        _unique_together("frequency", "adaptation"),
        _full_grid(("frequency", ("one_off", "recurrent")), ("adaptation", ("low", "medium_high", "very_high"))),
        pa.Check(lambda df: (df["status"] == "assumption") | df["quote"].notna(), error="a published cell needs its quote"),
    ],
    strict=True,
    ordered=False,
    name="figure7_grid",
)

# ---- sourcing decision aid (issue 6; owner: sourcing): sourcing_factors, sourcing_options,
# ---- sourcing_matrix, principles. Seed locators are file:first-last lines.
SEED_LOCATOR_PATTERN = r"^\d{3}_[0-9a-f]{16}\.txt:\d+-\d+$"


def _seed_locator(nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(SEED_LOCATOR_PATTERN, error="seed locator such as 002_40eece00415a1e1f.txt:271-271"), nullable=nullable)


def _source_id() -> pa.Column:
    """The ``source_id`` column of the sourcing tables: an id of the source registry."""
    return pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as seed002"))


def _known_triggers(s: pd.Series) -> pd.Series:
    return s.map(lambda v: bool(str(v).split()) and all(t in PRINCIPLE_TRIGGERS for t in str(v).split()))


def _full_matrix(df: pd.DataFrame) -> bool:
    """Every factor has exactly one cell for each of the three options."""
    counts = df.groupby("factor")["option"].agg(lambda s: tuple(sorted(s)))
    return bool((counts == tuple(sorted(SOURCING_OPTIONS))).all())


_ORDER = pa.Column(int, pa.Check.ge(1), coerce=True, unique=True)

TABLE_SCHEMAS["sourcing_factors"] = pa.DataFrameSchema(
    {
        "factor": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="lower-case Norwegian factor name such as spesifisitet"), unique=True),
        "order": _ORDER,
        "name_nb": pa.Column(str),
        "name_en": pa.Column(str),
        "source_id": _source_id(),
        "locator": _seed_locator(),
        "quote": pa.Column(str),
        "note": _text(),
    },
    strict=True,
    ordered=False,
    name="sourcing_factors",
)

TABLE_SCHEMAS["sourcing_options"] = pa.DataFrameSchema(
    {
        "option": pa.Column(str, pa.Check.isin(SOURCING_OPTIONS, error="option must be anskaffe, utvikle or samskape"), unique=True),
        "order": _ORDER,
        "name_nb": pa.Column(str),
        "name_en": pa.Column(str),
        "source_id": _source_id(),
        "locator": _seed_locator(),
        "quote": pa.Column(str),
        "case_alternative_nb": pa.Column(str),
        "case_locator": _seed_locator(),
        "governance_form": pa.Column(
            str, pa.Check.str_matches(NAME_PATTERN, error="a form of contract_rule.csv such as market, relational, in_house"), unique=True
        ),
        "governance_status": pa.Column(str, pa.Check.isin(("published", "assumption"), error="status must be published or assumption")),
        "note": _text(),
    },
    checks=[pa.Check(lambda df: set(df["option"]) == set(SOURCING_OPTIONS), error="all three options anskaffe, utvikle, samskape are listed")],
    strict=True,
    ordered=False,
    name="sourcing_options",
)

TABLE_SCHEMAS["sourcing_matrix"] = pa.DataFrameSchema(
    {
        "factor": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="lower-case Norwegian factor name such as spesifisitet")),
        "option": pa.Column(str, pa.Check.isin(SOURCING_OPTIONS, error="option must be anskaffe, utvikle or samskape")),
        "text_nb": pa.Column(str),
        "text_en": pa.Column(str),
        "source_id": _source_id(),
        "locator": _seed_locator(),
        "text_nb_slide": pa.Column(str),
        "locator_slide": _seed_locator(),
        "differs": bool_column(),
        "note": _text(),
    },
    checks=[pa.Check(_full_matrix, error="each factor has exactly one cell per option (anskaffe, utvikle, samskape)")],
    unique=["factor", "option"],
    strict=True,
    ordered=False,
    name="sourcing_matrix",
)

TABLE_SCHEMAS["principles"] = pa.DataFrameSchema(
    {
        "principle": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="lower-case ascii id such as kontraktsvalg"), unique=True),
        "order": _ORDER,
        "name_nb": pa.Column(str),
        "name_en": pa.Column(str),
        "text_nb": pa.Column(str),
        "text_en": pa.Column(str),
        "source_id": _source_id(),
        "locator": _seed_locator(),
        "text_nb_consultation": pa.Column(str),
        "source_id_consultation": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as seed001")),
        "locator_consultation": _seed_locator(),
        "guidance_locator": _seed_locator(),
        "triggers": pa.Column(str, pa.Check(_known_triggers, element_wise=False, error="space-separated triggers from: " + ", ".join(PRINCIPLE_TRIGGERS))),
        "asks_nb": pa.Column(str),
        "asks_en": pa.Column(str),
        "asks_locator": _seed_locator(),
        "asks_quote": pa.Column(str),
        "triggers_status": pa.Column(str, pa.Check.isin(("published", "assumption"), error="status must be published or assumption")),
        "note": _text(),
    },
    strict=True,
    ordered=False,
    name="principles",
)
# ---- end sourcing

# ---- claims register (issue 3, 14; owner: domain): data/<version>/claims.csv, checked by `ehelse-market verify`
CLAIM_TOPICS = ("market", "contracts", "ict", "workforce", "gains", "exports", "digital_use", "informants", "international", "demography")
#: How a claim is checked; what the register expects of it (see analysis/claims.py).
CLAIM_KINDS = ("model", "arithmetic", "restatement", "external")
CLAIM_EXPECTED = ("reproduced", "inconsistent", "contradicted", "not_checkable")
#: Columns of the register since data 2026-11-28 (issue 14). A register without them (2026-11-22)
#: has one English ``explanation`` column and stays loadable.
CLAIM_COLUMNS_V2 = ("kind", "inputs", "explanation_nb", "explanation_en", "counter_source_id", "counter_locator")


def _claims_one_format(df: pd.DataFrame) -> bool:
    """Either every column of the current register or none of them (the 2026-11-22 format)."""
    present = [c for c in CLAIM_COLUMNS_V2 if c in df.columns]
    return len(present) in (0, len(CLAIM_COLUMNS_V2)) and (bool(present) != ("explanation" in df.columns))


def _claim_rules(df: pd.DataFrame) -> pd.Series:
    """Per row: what each expected status needs.

    * every status but ``reproduced`` needs an explanation (both languages in the current format);
    * a checked claim needs a reproducer, and in the current format its input keys and a kind;
    * ``not_checkable`` has no reproducer and no inputs: nothing is recomputed;
    * ``inconsistent`` and ``contradicted`` cite the other statement (counter source and locator).
    """
    status = df["expected_status"]
    checked = status != "not_checkable"
    has = lambda col: df[col].notna() if col in df.columns else pd.Series(False, index=df.index)  # noqa: E731
    if "kind" not in df.columns:
        return (status.isin(("reproduced", "inconsistent"))) & (has("reproducer")) & ((status == "reproduced") | has("explanation"))
    explained = has("explanation_nb") & has("explanation_en")
    ok = has("kind") & explained
    ok &= (checked & has("reproducer") & has("inputs")) | (~checked & ~has("reproducer") & ~has("inputs"))
    cites = has("counter_source_id") & has("counter_locator")
    ok &= ~status.isin(("inconsistent", "contradicted")) | cites
    return ok


TABLE_SCHEMAS["claims"] = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(KEY_PATTERN, error="dotted lower-case id such as workforce.extra_fte_150000"), unique=True),
        "topic": pa.Column(str, pa.Check.isin(CLAIM_TOPICS, error="topic must be one of: " + ", ".join(CLAIM_TOPICS))),
        "kind": pa.Column(str, pa.Check.isin(CLAIM_KINDS, error="kind must be one of: " + ", ".join(CLAIM_KINDS)), required=False),
        "source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as seed004")),
        "locator": pa.Column(str),
        "quote": pa.Column(str),
        "published_value": pa.Column(float, coerce=True),
        "unit": pa.Column(str, pa.Check.isin(UNITS, error="unit must be one of: " + ", ".join(UNITS))),
        "bound": pa.Column(str, pa.Check.isin(("eq", "lower", "upper"), error="bound must be eq, lower or upper")),
        "tolerance": pa.Column(float, pa.Check.ge(0, error="tolerance must be >= 0"), coerce=True),
        "reproducer": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$", error="registered reproducer id"), nullable=True),
        "inputs": pa.Column(
            str, pa.Check.str_matches(r"^[a-z0-9_]+(\.[a-z0-9_]+)+( [a-z0-9_]+(\.[a-z0-9_]+)+)*$", error="data keys separated by single spaces"),
            nullable=True, required=False,
        ),
        "expected_status": pa.Column(str, pa.Check.isin(CLAIM_EXPECTED, error="expected_status must be one of: " + ", ".join(CLAIM_EXPECTED))),
        "explained_by": pa.Column(str, pa.Check.str_matches(KEY_PATTERN, error="registered reproducer id"), nullable=True),
        "counter_source_id": pa.Column(str, pa.Check.str_matches(NAME_PATTERN, error="source id such as ssb_gledesbarn"), nullable=True, required=False),
        "counter_locator": _text(required=False),
        "explanation": _text(required=False),
        "explanation_nb": _text(required=False),
        "explanation_en": _text(required=False),
        "note": _text(),
    },
    checks=[
        pa.Check(
            _claims_one_format,
            error="the register has either all of kind, inputs, explanation_nb, explanation_en, counter_source_id, counter_locator "
            "(and no 'explanation') or none of them",
        ),
        pa.Check(
            _claim_rules,
            error="row breaks the register's rules: a checked claim needs kind, reproducer and inputs; not_checkable has neither reproducer nor inputs; "
            "every claim needs explanation_nb and explanation_en; inconsistent and contradicted need counter_source_id and counter_locator",
        ),
    ],
    strict=True,
    ordered=False,
    name="claims",
)
# ---- end claims
