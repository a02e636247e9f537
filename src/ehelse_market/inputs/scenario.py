"""One typed, validated parameter set for every entry point.

Every way of choosing parameters goes through :class:`Scenario`: scenario files
(:meth:`Scenario.load`), ``ehelse-market project`` and ``sweep`` flags, papermill parameters
(:meth:`Scenario.from_namespace`) and :meth:`Scenario.with_updates`. So every entry point has the
same bounds (:data:`BOUNDS`, one definition per parameter, also used by the vectorised checks of
the domain and the sweep), the same scalar-or-list rule (a single ``productivity_growth`` means a
list of one rate) and the same message: ``parameter 'NAME' = VALUE: allowed WHAT``.

The model is strict: a string where a number belongs is refused, not converted, and an unknown key
is refused, so a typo cannot silently fall back to a default. A scenario file gives only what it
changes: the rest comes from ``scenarios/baseline.yaml`` (the documents' own assumptions, with
their sources in comments) or from the file named by ``extends:``. Parameters that mirror a data
row are in no file: those of :data:`FROM_DATA` (base year, horizon, the 1 % gain rate, Gartner's
ICT ratio, the rounding half-width, the relational target) are read from the scenario's data
version when it is made; the SSB 2060 level and the growth and base-year ranges stay ``None`` and
are read by the models that use them.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ehelse_market import paths
from ehelse_market.errors import ParameterError, UserError
from ehelse_market.inputs.versions import resolve as resolve_version

#: the file every scenario file extends unless it names another with ``extends:``
BASELINE_FILE = "baseline.yaml"
#: the key of a scenario file naming the file it starts from (relative to itself)
EXTENDS = "extends"


# --------------------------------------------------------------------------- bounds


def _num(x: float) -> str:
    """A bound as written in messages: whole numbers without a decimal point."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


@dataclass(frozen=True)
class Bound:
    """The allowed range of one numeric parameter: finite, ``low <= x <= high``, optionally whole.

    ``what`` names the kind of value (with its unit) and ``example`` how to write it; both are
    part of every refusal, so the bound and its wording are defined once. ``kind`` says how a
    report writes the value (:data:`KINDS`), so a new parameter is described in this one place.
    """

    low: float
    high: float
    what: str
    example: str = ""
    whole: bool = False
    kind: str = "fraction"

    def text(self) -> str:
        """What is allowed, in words: 'a fraction per year from -0.05 to 0.1 (0.02 = 2 %/yr)'."""
        tail = f" ({self.example})" if self.example else ""
        return f"{self.what} from {_num(self.low)} to {_num(self.high)}{tail}"

    def holds(self, x: Any) -> bool:
        """True for a finite number (a whole one if ``whole``) within the bounds; never for bool or text."""
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            try:  # numpy scalars
                x = float(x)
            except (TypeError, ValueError):
                return False
        if not math.isfinite(x) or not self.low <= x <= self.high:
            return False
        return not self.whole or float(x).is_integer()


#: How a parameter's value reads in a report (``publishing.labels.parameter_value``): "fraction"
#: (0.02 -> "2 %"), "points" (percentage points), "year", "fte", "count" (grouped), "integer" (no
#: grouping: a seed), "text".
KINDS = ("fraction", "points", "year", "fte", "count", "integer", "text")


def _problem(name: str, value: Any, allowed: str) -> str:
    """The one wording of a refused parameter, as :class:`ParameterError` prints it."""
    return str(ParameterError(name, value, allowed))


#: a productivity growth rate, also the ends of ``growth_range``: labour-saving growth sustained
#: for four decades; -5 %/yr to +10 %/yr spans every rate the documents discuss (0, 0.5, 2 %/yr) widely
GROWTH = Bound(-0.05, 0.10, "a fraction per year", "0.02 = 2 %/yr", kind="fraction")
#: a base year t0, also the ends of ``base_year_range``: within SSB's reference path 2017-2060
BASE_YEAR = Bound(2017, 2059, "a whole year", whole=True, kind="year")

BOUNDS: dict[str, Bound] = {
    "productivity_growth": GROWTH,
    "base_year": BASE_YEAR,
    "horizon": Bound(2018, 2060, "a whole year", "SSB's reference path ends in 2060", whole=True, kind="year"),
    "relational_target_share": Bound(0.0, 1.0, "a fraction of e-health spend", "0.2 = 20 %"),
    "ict_target_ratio": Bound(0.001, 0.25, "a fraction of operating income", "0.043 = 4.3 %"),
    "gain_rate": Bound(0.0, 1.0, "a fraction", "0.01 = 1 %"),
    "share_rounding_halfwidth": Bound(0.0, 5.0, "percentage points", "0.5 for a whole percent", kind="points"),
    "seed": Bound(0, 2**32 - 1, "a whole number", whole=True, kind="integer"),
    "mc_samples": Bound(1, 1_000_000, "a whole number of draws", whole=True, kind="count"),
    "reference_level_2060": Bound(100_000, 2_000_000, "a level in fte", "published: 618000", kind="fte"),
    "growth_range": GROWTH,
    "reference_level_2060_swing": Bound(0.0, 0.9, "a fraction", "0.1 = +/-10 %"),
    "base_year_range": BASE_YEAR,
}


def check_array(name: str, values: Any, bound: Bound | None = None) -> Any:
    """``values`` as a non-empty 1-d float array within ``BOUNDS[name]`` (vectorised, for sweeps and models).

    Raises :class:`ParameterError` naming ``name``, the first value out of range and the range:
    the same words as a scenario file, a flag or a notebook parameter get.
    """
    import numpy as np

    bound = bound or BOUNDS[name]
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ParameterError(name, values, bound.text()) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(name, values, f"one or more of: {bound.text()}")
    ok = np.isfinite(arr) & (arr >= bound.low) & (arr <= bound.high)
    if bound.whole:
        ok &= arr == np.round(arr)
    if not ok.all():
        bad = arr[~ok][0]
        raise ParameterError(name, int(bad) if bound.whole and float(bad).is_integer() else float(bad), bound.text())
    return arr


def check_value(name: str, value: Any) -> float:
    """One value of parameter ``name`` as a float within ``BOUNDS[name]``, else ParameterError in the shared words."""
    if not BOUNDS[name].holds(value):
        raise ParameterError(name, value, BOUNDS[name].text())
    return float(value)


# --------------------------------------------------------------------------- field types


def _bounded(name: str) -> AfterValidator:
    """An AfterValidator refusing values outside ``BOUNDS[name]`` with the bound's own words."""

    def check(x: Any) -> Any:
        if not BOUNDS[name].holds(x):
            raise PydanticCustomError("bound", "{allowed}", {"allowed": BOUNDS[name].text()})
        return x

    return AfterValidator(check)


def _number_or_list(x: Any) -> Any:
    """The scalar-or-list rule: a single number is a list of one; text (alone or in a list) is refused."""
    if isinstance(x, tuple):
        x = list(x)
    if isinstance(x, str) or (isinstance(x, list) and any(isinstance(v, str) for v in x)):
        raise PydanticCustomError("text", "{allowed}", {"allowed": "a number (fraction per year, e.g. 0.02) or a list of numbers, not text"})
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return [x]
    return x


def _pair(x: Any) -> Any:
    """A [low, high] range may also arrive as a tuple."""
    return list(x) if isinstance(x, tuple) else x


Growth = Annotated[float, _bounded("productivity_growth")]
Year = Annotated[int, _bounded("base_year")]
Horizon = Annotated[int, _bounded("horizon")]
RelationalShare = Annotated[float, _bounded("relational_target_share")]
IctRatio = Annotated[float, _bounded("ict_target_ratio")]
GainRate = Annotated[float, _bounded("gain_rate")]
Halfwidth = Annotated[float, _bounded("share_rounding_halfwidth")]
Seed = Annotated[int, _bounded("seed")]
Samples = Annotated[int, _bounded("mc_samples")]
Level2060 = Annotated[float, _bounded("reference_level_2060")]
Swing = Annotated[float, _bounded("reference_level_2060_swing")]


# --------------------------------------------------------------------------- values from the data version


@dataclass(frozen=True)
class DataRow:
    """Where a parameter is read in a data version: the value row ``key``, or (``latest_year_of``)
    the last ``year`` among the rows of that variable (the end of a published path)."""

    key: str = ""
    latest_year_of: str = ""

    def __str__(self) -> str:
        return self.key or f"the last year of '{self.latest_year_of}'"


#: Parameters that mirror a data row. Left out of a scenario (or null), each is read from the data
#: version the scenario uses (``data_version``, else the newest released), in the parameter's unit
#: (a percent row becomes a fraction): a new data version changes them without touching a YAML
#: file. A scenario file, ``with_updates``, a flag or a notebook parameter still sets them, within
#: the same bounds.
FROM_DATA: dict[str, DataRow] = {
    # t0 of SSB Rapporter 2019/12's reference path (an assumption row: seed 004 never states it)
    "base_year": DataRow("assumption.workforce.base_year"),
    # the end of SSB's reference path (2060)
    "horizon": DataRow(latest_year_of="fte_demand_reference"),
    # ASSUMPTION row: the report argues 12 % relational contracts is too low but gives no target
    "relational_target_share": DataRow("assumption.contracts.relational_target_share"),
    # Gartner's international average, 4.3 % of operating income (seed 000 l.1536-1537)
    "ict_target_ratio": DataRow("ict.gartner_average.2019"),
    # the 1 % example (seed 004 l.598-612)
    "gain_rate": DataRow("gains.example_rate"),
    # a "ca" share printed as a whole percent is known to +/- 0.5 point (assumption row)
    "share_rounding_halfwidth": DataRow("assumption.share_rounding_halfwidth"),
}

#: the data row units each parameter kind reads, each with its divisor to the parameter's unit
#: (percent / 100 = fraction, as ``domain.results.to_fraction``)
_ROW_UNITS: dict[str, dict[str, float]] = {
    "fraction": {"percent": 100.0, "ratio": 1.0},
    "points": {"percentage points": 1.0},
    "year": {"year": 1.0},
}


def _value_rows(vdir: Path) -> dict[str, dict[str, str]]:
    """The value rows (tables with ``key`` and ``value`` columns) of one version folder, by key."""
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(vdir.glob("*.csv")))
    return _read_value_rows(vdir, stamp)


@functools.lru_cache(maxsize=8)
def _read_value_rows(vdir: Path, stamp: tuple[Any, ...]) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(vdir.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if {"key", "value", "unit"} <= set(reader.fieldnames or ()):
                for row in reader:
                    rows.setdefault(str(row.get("key")), row)
    return rows


def _from_row(name: str, where: DataRow, rows: Mapping[str, Mapping[str, str]]) -> Any:
    """Parameter ``name`` read from one data version's value rows, in the parameter's unit."""
    if where.latest_year_of:
        years = [r.get("year") or "" for r in rows.values() if r.get("variable") == where.latest_year_of]
        years = [y for y in years if y.strip()]
        if not years:
            raise ValueError(f"it has no '{where.latest_year_of}' row with a year")
        return int(max(float(y) for y in years))
    row = rows.get(where.key)
    if row is None:
        raise ValueError(f"it has no row '{where.key}'")
    kind = BOUNDS[name].kind
    divisor = _ROW_UNITS.get(kind, {}).get(str(row.get("unit")))
    if divisor is None:
        raise ValueError(f"row '{where.key}' is in {row.get('unit')!r}, not in {' or '.join(_ROW_UNITS.get(kind, {}))}")
    value = float(str(row.get("value")))
    if kind == "year":
        return int(value) if value.is_integer() else value  # a fractional year is refused by the bound
    return value / divisor


def fill_from_data(data: dict[str, Any], origin: str | None = None) -> frozenset[str]:
    """Fill each :data:`FROM_DATA` parameter that ``data`` leaves out (or gives as None) from its data
    row in the version ``data["data_version"]`` names; return the names filled. A version that
    cannot be read, or lacks the row, is a ScenarioError naming the parameter and the row."""
    missing = [k for k in FROM_DATA if data.get(k) is None]
    version = data.get("data_version")
    if not missing or not (version is None or isinstance(version, str)):
        return frozenset()  # a bad data_version is refused by the model, naming it
    problems: list[str] = []
    try:
        rows = _value_rows(resolve_version(version, paths.DATA_DIR))
    except (OSError, UserError, ValueError, csv.Error) as exc:
        problems = [f"{exc}; a scenario that leaves out {', '.join(missing)} reads them from its data version"]
    else:
        for k in missing:
            try:
                data[k] = _from_row(k, FROM_DATA[k], rows)
            except ValueError as exc:
                problems.append(f"parameter '{k}' is left out, so it is read from data row {FROM_DATA[k]}, but the data version: {exc}")
    if problems:
        raise ScenarioError(problems, origin, (missing[0], None, f"a value, or a data version with {FROM_DATA[missing[0]]}"))
    return frozenset(missing)


class ScenarioError(ParameterError):
    """A scenario (file, flags or notebook parameters) that does not validate; lists every problem.

    ``problems`` holds one line per problem; ``name``, ``value`` and ``allowed`` are the first
    problem's. With one problem and no file, the message is that line alone, exactly as
    :class:`ParameterError` words it.
    """

    def __init__(self, problems: Sequence[str], origin: str | None = None, first: tuple[str, Any, str] | None = None):
        self.problems = list(problems)
        self.origin = origin
        self.name, self.value, self.allowed = first or ("scenario", None, "")
        if origin is None and len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{origin or 'parameters'} is not a valid scenario:\n" + "\n".join(f"  - {p}" for p in self.problems)
        Exception.__init__(self, message)


#: a scenario's name names its report folder: at most 80 letters, digits, '.', '_' or '-'
NAME_LENGTH = 80
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


class Scenario(BaseModel):
    """Assumptions for one run of every chapter. Rates and shares are fractions (0.02 = 2 %)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    #: the :data:`FROM_DATA` parameters this scenario read from its data version (none given)
    _from_data: frozenset[str] = PrivateAttr(default=frozenset())

    name: str = Field(min_length=1, max_length=NAME_LENGTH, pattern=NAME_PATTERN.pattern)
    #: what the scenario is for: one text, or one per report language ({nb: ..., en: ...})
    description: str | dict[Literal["nb", "en"], str] = ""
    #: annual labour-saving productivity growth rates to project, fractions; a single number is a list of one
    productivity_growth: Annotated[list[Growth], BeforeValidator(_number_or_list), Field(min_length=1, max_length=50)]
    # --- left out of a file: read from the data version (FROM_DATA names the row)
    #: t0, the year the productivity paths start from (SSB's reference path starts in 2017)
    base_year: Year
    #: last projected year (SSB's reference path ends in 2060)
    horizon: Horizon
    #: share of e-health spend in relational contracts to re-allocate towards, fraction
    relational_target_share: RelationalShare
    #: ICT spend as a share of operating income to compare with, fraction
    ict_target_ratio: IctRatio
    #: gain rate applied to the societal bases of the 1 % example, fraction
    gain_rate: GainRate
    #: half-width of the rounding interval of a "ca" share, percentage points
    share_rounding_halfwidth: Halfwidth
    #: random seed for Monte Carlo runs: same seed, same numbers
    seed: Seed
    #: Monte Carlo draws
    mc_samples: Samples
    lang: Literal["nb", "en"]
    #: data version to load; None means the newest released
    data_version: str | None = None

    # --- uncertainty and sensitivity; None = the value in the data version
    #: 2060 level of SSB's reference path, fte; None = the published level (workforce.ssb_reference.2060)
    reference_level_2060: Level2060 | None = None
    #: [low, high] productivity growth, fractions/yr, for Monte Carlo and the tornado;
    #: None = [assumption.workforce.no_gains_productivity_growth, workforce.menon.no_resource_problem_growth]
    growth_range: Annotated[list[Growth], BeforeValidator(_pair), Field(min_length=2, max_length=2)] | None = None
    #: relative half-range of the 2060 level, fraction; None = assumption.sensitivity.reference_2060_swing
    reference_level_2060_swing: Swing | None = None
    #: [first, last] base year t0 for the tornado; None = [assumption.workforce.base_year, assumption.sensitivity.base_year_high]
    base_year_range: Annotated[list[Year], BeforeValidator(_pair), Field(min_length=2, max_length=2)] | None = None

    @model_validator(mode="after")
    def _horizon_after_base(self) -> Scenario:
        if self.horizon <= self.base_year:
            raise PydanticCustomError(
                "horizon_after_base", "{allowed}", {"allowed": f"a year after base_year ({self.base_year})", "name": "horizon", "value": self.horizon}
            )
        return self

    @field_validator("growth_range", "base_year_range")
    @classmethod
    def _ascending(cls, rng: list | None) -> list | None:
        if rng is not None and rng[0] > rng[1]:
            raise PydanticCustomError("ascending", "{allowed}", {"allowed": "a range [low, high] with low <= high"})
        return rng

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_mapping(cls, data: Any, origin: str | None = None) -> Scenario:
        """Validate a complete mapping, the :data:`FROM_DATA` parameters it leaves out read from its
        data version; ScenarioError names each key, the value given and what is allowed."""
        if not isinstance(data, Mapping):
            raise ScenarioError([f"expected a mapping of parameter names to values, got {type(data).__name__}"], origin or "scenario")
        data = dict(data)
        from_data = fill_from_data(data, origin)
        try:
            scenario = cls.model_validate(data)
        except ValidationError as exc:
            raise scenario_error(exc, data, origin) from None
        scenario._from_data = from_data
        return scenario

    @classmethod
    def load(cls, path: Path | str) -> Scenario:
        """Read and validate a scenario YAML file, filled in from the file it extends (default: the baseline)."""
        path = Path(path)
        return cls.from_mapping(merged_file(path), origin=f"scenario file {path}")

    @classmethod
    def baseline(cls) -> Scenario:
        """The documents' own assumptions, from ``scenarios/baseline.yaml``."""
        return cls.load(paths.SCENARIOS_DIR / BASELINE_FILE)

    def with_updates(self, **changes: Any) -> Scenario:
        """A copy with some parameters changed, validated again as a whole (same rules as a file).

        Parameters read from the data version stay so: they are read again from the copy's
        data version (which ``changes`` may name)."""
        data = self.model_dump(exclude=set(self._from_data))
        data.update(changes)
        return type(self).from_mapping(data)

    @classmethod
    def from_namespace(cls, namespace: Mapping[str, Any]) -> Scenario:
        """The scenario a notebook was given: ``scenario_path`` (or the baseline) with every parameter not None applied.

        ``namespace`` holds the parameter-like names of a notebook (see
        :mod:`ehelse_market.publishing.notebook_params`); any other name is refused.
        """
        params = dict(namespace)
        path = params.pop(SCENARIO_PATH, None)
        if path is not None and not isinstance(path, str):
            raise ScenarioError([_problem(SCENARIO_PATH, path, "a path to a scenario YAML file (text) or None")], first=(SCENARIO_PATH, path, "a path"))
        unknown = sorted(k for k in params if k not in cls.model_fields)
        if unknown:
            allowed = "only the parameters " + ", ".join((*cls.model_fields, SCENARIO_PATH))
            raise ScenarioError([_problem(unknown[0], params[unknown[0]], allowed)], first=(unknown[0], params[unknown[0]], allowed))
        base = cls.load(path) if path else cls.baseline()
        return base.with_updates(**{k: v for k, v in params.items() if v is not None})

    def named_from(self, base: Scenario, name: str | None = None) -> Scenario:
        """This scenario, made from ``base`` by flags, under ``name`` or else a name saying what it
        changes: ``<base>-<parameter>-<value>[_<value>...]`` per changed parameter, e.g.
        ``baseline-productivity_growth-0.0175`` (the parameters alone, then the first 80
        characters, if that is too long); ``base``'s own name when nothing changed. So results
        carry a scenario's name, and "baseline" only the baseline's."""
        if name is not None:
            return self.with_updates(name=name)
        changed = [k for k in PARAMETERS if getattr(self, k) != getattr(base, k)]
        if not changed:
            return self.with_updates(name=base.name)

        def text(value: Any) -> str:
            values = value if isinstance(value, list) else [value]
            return "_".join(format(v, "g") if isinstance(v, float) else str(v) for v in values)

        derived = "-".join([base.name, *(f"{k}-{text(getattr(self, k))}" for k in changed)])
        if len(derived) > NAME_LENGTH or not NAME_PATTERN.fullmatch(derived):
            derived = "-".join([base.name, *changed])[:NAME_LENGTH]
        return self.with_updates(name=derived)

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (falling back to the other language, then to "")."""
        return describe_in(self.description, lang)

    def canonical(self) -> dict[str, Any]:
        """Plain, key-sorted dict: what the cache key, the manifest and the provenance section record."""
        return dict(sorted(self.model_dump(mode="json").items()))


#: the fields a report lists as the scenario's parameters: all but its name, description and language
PARAMETERS: tuple[str, ...] = tuple(k for k in Scenario.model_fields if k not in ("name", "description", "lang"))


def parameter_kind(name: str) -> str:
    """How parameter ``name`` reads in a report (one of :data:`KINDS`): its bound's kind, "text"
    for a parameter without a bound (``data_version``)."""
    return BOUNDS[name].kind if name in BOUNDS else "text"


#: the one notebook parameter that is not a Scenario field: a scenario file to start from
SCENARIO_PATH = "scenario_path"


# --------------------------------------------------------------------------- files


def read_file(path: Path) -> dict[str, Any]:
    """The mapping in one scenario YAML file, or ScenarioError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([f"cannot read it: {exc.strerror}"], f"cannot read scenario file {path}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([str(exc)], f"scenario file {path} is not valid YAML") from None
    if not isinstance(data, dict):
        raise ScenarioError([f"expected a mapping of parameter names to values, got {type(data).__name__}"], f"scenario file {path}")
    return data


def merged_file(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A scenario file's keys over those of the file it extends (``extends:``, else the baseline), recursively.

    ``name`` defaults to the file's stem and ``description`` is never inherited (it describes its
    own file). A cycle of ``extends:`` is refused, naming the files.
    """
    here = path.resolve()
    if here in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, here))
        raise ScenarioError([f"'{EXTENDS}' files form a cycle: {cycle}"], f"scenario file {_chain[0]}")
    data = read_file(path)
    parent = data.pop(EXTENDS, None)
    baseline = (paths.SCENARIOS_DIR / BASELINE_FILE).resolve()
    if parent is None:
        if here == baseline:
            return data
        parent_path = baseline
    elif isinstance(parent, str) and parent:
        parent_path = path.parent / parent
    else:
        raise ScenarioError([_problem(EXTENDS, parent, "a scenario file name, relative to this file")], f"scenario file {path}")
    merged = merged_file(parent_path, (*_chain, here))
    merged.pop("description", None)
    merged["name"] = path.stem
    merged.update(data)
    return merged


# --------------------------------------------------------------------------- messages


def describe_in(description: Any, lang: str) -> str:
    """A scenario description (text or {lang: text}) in ``lang``, else in the other language."""
    if isinstance(description, dict):
        return description.get(lang) or next((t for t in description.values() if t), "")
    return description or ""


_KINDS = {
    "float_type": "a number (not text)",
    "int_type": "a whole number",
    "string_type": "text",
    "list_type": "a list",
    "bool_type": "true or false",
    "dict_type": "a mapping",
}


def allowed_text(err: Mapping[str, Any]) -> str:
    """What a key allows, in words, from one pydantic error: the bound's own words where there is one."""
    ctx = err.get("ctx") or {}
    if "allowed" in ctx:
        return str(ctx["allowed"])
    top = err["loc"][0] if err["loc"] else None
    if top in BOUNDS and err["type"] in ("float_type", "int_type", "list_type", "float_parsing", "int_from_float"):
        return BOUNDS[top].text()
    if err["type"] in _KINDS:
        return _KINDS[err["type"]]
    if err["type"] == "literal_error":
        return f"one of {ctx.get('expected')}"
    if err["type"] == "string_pattern_mismatch":
        return "letters, digits, '.', '_' or '-' (it names the report folder)"
    if err["type"] in ("too_short", "too_long"):
        each = f", each {BOUNDS[top].text()}" if top in BOUNDS else ""
        if top in ("growth_range", "base_year_range"):
            return f"a pair [low, high]{each}"
        return f"one or more values{each}" if err["type"] == "too_short" else f"at most {ctx.get('max_length')} values{each}"
    return str(err["msg"]).removeprefix("Value error, ")


def scenario_error(exc: ValidationError, data: Mapping[str, Any], origin: str | None) -> ScenarioError:
    """One line per problem (parameter, value given, what is allowed) from a pydantic error."""
    lines: list[str] = []
    first: tuple[str, Any, str] | None = None
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        top = str(loc[0]) if loc else None
        if err["type"] == "extra_forbidden":
            allowed = "the scenario keys " + ", ".join(Scenario.model_fields)
            lines.append(f"unknown key '{top}': allowed are {', '.join(Scenario.model_fields)}")
            first = first or (str(top), data.get(str(top)), allowed)
            continue
        if err["type"] == "missing" and top in FROM_DATA:
            continue  # not read because data_version is refused: that line says why
        if err["type"] == "missing":
            lines.append(f"missing key '{top}' (the baseline scenario must give every key)")
            first = first or (str(top), None, "a value")
            continue
        ctx = err.get("ctx") or {}
        name = str(ctx.get("name", top or "scenario"))
        value = ctx.get("value", err.get("input"))
        allowed = allowed_text(err)
        lines.append(_problem(name, value, allowed))
        first = first or (name, value, allowed)
    return ScenarioError(lines, origin, first)
