"""One typed, validated parameter set for every chapter.

Parameters are parsed once into a :class:`Scenario` (from a YAML file, CLI flags or papermill) and
passed down. The model is strict: a string where a number belongs is refused, not converted, and
an unknown key is refused, so a typo cannot silently fall back to a default. Values that are the
documents' own assumptions live in ``scenarios/baseline.yaml`` with their source in comments, not
here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ehelse_market import paths
from ehelse_market.errors import UserError

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
GrowthRate = Annotated[float, Field(gt=-1.0, le=1.0)]


class ScenarioError(UserError):
    """A scenario (file, flags or notebook parameters) that does not validate; lists every problem."""


class Scenario(BaseModel):
    """Assumptions for one run of every chapter. Rates and shares are fractions (0.02 = 2 %)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    #: what the scenario is for: one text, or one per report language ({nb: ..., en: ...})
    description: str | dict[Literal["nb", "en"], str] = ""
    #: annual labour-saving productivity growth rates to project, fractions (> -1)
    productivity_growth: list[GrowthRate] = Field(min_length=1)
    #: t0, the year the productivity paths start from (SSB's reference path starts in 2017)
    base_year: int = Field(ge=2017, le=2059)
    #: last projected year (SSB's reference path ends in 2060)
    horizon: int = Field(ge=2018, le=2060)
    #: share of e-health spend in relational contracts to re-allocate towards, fraction
    relational_target_share: Fraction
    #: ICT spend as a share of operating income to compare with, fraction
    ict_target_ratio: Annotated[float, Field(gt=0.0, lt=1.0)]
    #: gain rate applied to the societal bases of the 1 % example, fraction
    gain_rate: Fraction
    #: half-width of the rounding interval of a "ca" share, percentage points
    share_rounding_halfwidth: Annotated[float, Field(ge=0.0, le=5.0)]
    #: random seed for Monte Carlo runs: same seed, same numbers
    seed: int = Field(ge=0)
    #: Monte Carlo draws
    mc_samples: int = Field(ge=1, le=1_000_000)
    lang: Literal["nb", "en"]
    #: data version to load; None means the newest released
    data_version: str | None = None

    # --- uncertainty and sensitivity (issue 5); None = the value in the data version
    #: 2060 level of SSB's reference path, fte; None = the published level (workforce.ssb_reference.2060)
    reference_level_2060: Annotated[float, Field(gt=0.0)] | None = None
    #: [low, high] productivity growth, fractions/yr, for Monte Carlo and the tornado;
    #: None = [assumption.workforce.no_gains_productivity_growth, workforce.menon.no_resource_problem_growth]
    growth_range: Annotated[list[GrowthRate], Field(min_length=2, max_length=2)] | None = None
    #: relative half-range of the 2060 level, fraction; None = assumption.sensitivity.reference_2060_swing
    reference_level_2060_swing: Annotated[float, Field(ge=0.0, lt=1.0)] | None = None
    #: [first, last] base year t0 for the tornado; None = [assumption.workforce.base_year, assumption.sensitivity.base_year_high]
    base_year_range: Annotated[list[Annotated[int, Field(ge=2017, le=2059)]], Field(min_length=2, max_length=2)] | None = None

    @model_validator(mode="after")
    def _horizon_after_base(self) -> "Scenario":
        if self.horizon <= self.base_year:
            raise ValueError(f"horizon ({self.horizon}) must be after base_year ({self.base_year})")
        return self

    @field_validator("growth_range", "base_year_range")
    @classmethod
    def _ascending(cls, rng: list | None) -> list | None:
        if rng is not None and rng[0] > rng[1]:
            raise ValueError("must be [low, high] with low <= high")
        return rng

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_mapping(cls, data: Any, origin: str = "scenario") -> "Scenario":
        """Validate a mapping; raise ScenarioError naming each key, the value given and what is allowed."""
        if not isinstance(data, dict):
            raise ScenarioError(f"{origin}: expected a mapping of parameter names to values, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(f"{origin} is not a valid scenario:\n" + describe_errors(exc, data)) from None

    @classmethod
    def load(cls, path: Path | str) -> "Scenario":
        """Read and validate a scenario YAML file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(f"cannot read scenario file {path}: {exc.strerror}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError(f"scenario file {path} is not valid YAML: {exc}") from None
        return cls.from_mapping(data, origin=f"scenario file {path}")

    @classmethod
    def baseline(cls) -> "Scenario":
        """The documents' own assumptions, from ``scenarios/baseline.yaml``."""
        return cls.load(paths.SCENARIOS_DIR / "baseline.yaml")

    def with_updates(self, **changes: Any) -> "Scenario":
        """A copy with some parameters changed, validated again as a whole."""
        data = self.model_dump()
        data.update(changes)
        return type(self).from_mapping(data, origin="parameters")

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (falling back to the other language, then to "")."""
        return describe_in(self.description, lang)

    def canonical(self) -> dict:
        """Plain, key-sorted dict: what the cache key, the manifest and the provenance section record."""
        return dict(sorted(self.model_dump(mode="json").items()))


def describe_in(description, lang: str) -> str:
    """A scenario description (text or {lang: text}) in ``lang``, else in the other language."""
    if isinstance(description, dict):
        return description.get(lang) or next((t for t in description.values() if t), "")
    return description or ""


def describe_errors(exc: ValidationError, data: dict) -> str:
    """One line per problem: key, value given, what is allowed."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(scenario)"
        top = err["loc"][0] if err["loc"] else None
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(Scenario.model_fields)
            lines.append(f"  - unknown key '{loc}': allowed keys are {allowed}")
            continue
        if err["type"] == "missing":
            lines.append(f"  - missing key '{loc}'")
            continue
        if not err["loc"]:  # a rule across keys (e.g. horizon after base_year): its message names them
            lines.append(f"  - {allowed_text(err)}")
            continue
        given = err.get("input", data.get(top) if isinstance(top, str) else None)
        lines.append(f"  - '{loc}' = {given!r}: {allowed_text(err)}")
    return "\n".join(lines)


def allowed_text(err: dict) -> str:
    """What a scenario key allows, in words, from one pydantic error (e.g. ">= -0.05", "one of: nb, en")."""
    ctx = err.get("ctx") or {}
    t = err["type"]
    if t in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[t]
        bound = next(iter(ctx.values()))
        return f"must be {op} {bound}"
    if t in ("float_type", "int_type", "string_type", "list_type", "bool_type"):
        kind = {"float_type": "a number (not text)", "int_type": "a whole number", "string_type": "text", "list_type": "a list", "bool_type": "true or false"}[t]
        return f"must be {kind}"
    if t == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    return err["msg"].removeprefix("Value error, ")
