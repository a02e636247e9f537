"""Sourcing case files: read and validate the YAML a user writes for ``ehelse-market advise``.

A case says which of the three options (seed 002, lines 268-278: *anskaffe*, *utvikle*,
*samskape*) each of the eight factors points to, and optionally the contract risk, whether the
resources exist in-house and the contract and need horizons (years). The factor vocabulary is data
(``sourcing_factors.csv``), so the case model is built from the data version. A bad case is
refused with one message naming every bad key and what is allowed; a key given twice is refused
(PyYAML would silently keep the last). The advice itself is :mod:`ehelse_market.domain.sourcing`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ehelse_market.errors import UserError
from ehelse_market.inputs.codes import CONTRACT_RISKS as RISK_LEVELS  # seed 000 lines 3844-3848
from ehelse_market.inputs.codes import SOURCING_OPTIONS as OPTIONS  # in the matrix's column order (seed 002 l. 270)
from ehelse_market.inputs.loader import Inputs

#: Keys a case file may hold besides the eight factors.
CASE_KEYS = ("title", "description", "notes", "notes_en", "contract_risk", "in_house_resources", "contract_years", "need_years")


class CaseError(UserError):
    """A case file that cannot be read or does not validate; the message names every bad key."""


# --------------------------------------------------------------------------- the case


#: a horizon in years (contract or need)
Years = Annotated[float, Field(gt=0, le=100)]


class Case(BaseModel):
    """A validated case. The factor fields (factor name -> option) are added per data version by
    :func:`case_model`, which also narrows ``notes`` to the factors and ``contract_risk`` to the rule's levels."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str = ""
    description: str = ""
    #: the case officer's note per factor (factor name -> text)
    notes: dict[str, str] = {}
    #: the notes in English (factor name -> text), for English reports and records
    notes_en: dict[str, str] = {}
    #: contract risk: one of :data:`RISK_LEVELS`, or None when not assessed
    contract_risk: str | None = None
    in_house_resources: bool | None = None
    contract_years: Years | None = None
    need_years: Years | None = None

    def option(self, factor: str) -> str:
        """The option (one of :data:`OPTIONS`) the case gives for ``factor``."""
        return str(getattr(self, factor))


@lru_cache(maxsize=4)
def case_model(factors: tuple[str, ...]) -> type[Case]:
    """The pydantic model of a case file for this factor vocabulary (from ``sourcing_factors.csv``)."""
    option = Literal[OPTIONS]  # type: ignore[valid-type]
    factor_name = Literal[factors]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        "notes": (dict[factor_name, str], {}),
        "notes_en": (dict[factor_name, str], {}),  # the notes translated, for English reports and records
        "contract_risk": (Literal[RISK_LEVELS] | None, None),
    }
    fields.update({f: (option, ...) for f in factors})
    return create_model("Case", __base__=Case, **fields)


def factor_names(inputs: Inputs) -> tuple[str, ...]:
    """The factors' case-file names, in the matrix's order (seed 002 lines 214-230)."""
    t = inputs.table("sourcing_factors").sort_values("order")
    return tuple(t["factor"].astype(str))


def _describe(err: Mapping[str, Any], factors: tuple[str, ...], data: Mapping[str, Any]) -> str:
    loc = [str(p) for p in err["loc"]]
    key = loc[0] if loc else "(case)"
    options = ", ".join(OPTIONS)
    t = err["type"]
    if t == "extra_forbidden":
        near = difflib.get_close_matches(key, factors + CASE_KEYS, n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        return (
            f"unknown key '{key}'{hint}: the factors are {', '.join(factors)}; "
            f"other allowed keys are {', '.join(CASE_KEYS)}"
        )
    if t == "missing":
        return f"missing factor '{key}': give it one of {options}"
    if key in factors:
        return f"factor '{key}' = {data.get(key)!r}: allowed options are {options}"
    if key in ("notes", "notes_en"):
        if len(loc) >= 2 and loc[-1] == "[key]":
            bad = loc[1]
            return f"{key}: unknown factor '{bad}': {key} are keyed by the factors {', '.join(factors)}"
        if len(loc) >= 2:
            return f"{key}.{loc[1]} = {err.get('input')!r}: must be text"
        return f"{key} = {err.get('input')!r}: must be a mapping of factor name to text"
    given = data.get(key)
    if key == "contract_risk":
        return f"contract_risk = {given!r}: allowed {', '.join(RISK_LEVELS)} (or leave it out)"
    if key == "in_house_resources":
        return f"in_house_resources = {given!r}: allowed true or false (or leave it out)"
    if key in ("contract_years", "need_years"):
        return f"{key} = {given!r}: allowed a number of years > 0 and <= 100 (or leave it out)"
    if key in ("title", "description"):
        return f"{key} = {given!r}: must be text"
    return f"'{'.'.join(loc)}' = {err.get('input')!r}: {err['msg']}"


def parse_case(data: Any, inputs: Inputs, origin: str = "case") -> Case:
    """Validate a case mapping; raise :class:`CaseError` naming every bad key and what is allowed."""
    factors = factor_names(inputs)
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise CaseError(
            f"{origin}: expected a mapping of factor names to options ({', '.join(OPTIONS)}), got {got}"
        )
    bad = sorted(k for k in data if not isinstance(k, str))
    if bad:
        raise CaseError(f"{origin}: keys must be text, got {', '.join(repr(k) for k in bad)}")
    try:
        return case_model(factors).model_validate(data)
    except ValidationError as exc:
        lines = sorted({_describe(e, factors, data) for e in exc.errors(include_url=False)})
        raise CaseError(f"{origin} is not a valid case:\n" + "\n".join(f"  - {x}" for x in lines)) from None


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice (PyYAML would silently keep the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_case_text(text: str, inputs: Inputs, origin: str = "case") -> Case:
    """Parse and validate the YAML text of a case file."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        context = getattr(exc, "context", None)
        raise CaseError(
            f"{origin} is not valid YAML: {where}{problem}" + (f" ({context})" if context else "")
            + "; write one 'factor: option' pair per line"
        ) from None
    return parse_case(data, inputs, origin)


def load_case(path: Path | str, inputs: Inputs) -> Case:
    """Read and validate a case YAML file (the module's only file I/O)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseError(f"case file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise CaseError(f"case file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CaseError(f"cannot read case file {path}: {exc.strerror}") from None
    return read_case_text(text, inputs, origin=f"case file {path}")
