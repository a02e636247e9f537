"""Validate the parameters a notebook received, before anything is computed.

Papermill injects values into a notebook without checking them: ``-p productivity_growth "0.02"``
arrives as a string, ``-p typo 5`` only logs a warning, and ``-p base_year 2017.5`` is a float.
Every chapter notebook therefore calls :func:`validate` in the first code cell after its
``parameters`` cell::

    scenario = notebook_params.validate(globals())

The notebook's parameters are the fields of :class:`~ehelse_market.inputs.scenario.Scenario` plus
``scenario_path`` (a YAML scenario file to start from instead of ``scenarios/baseline.yaml``). A
parameter left at ``None`` keeps the scenario's value. Anything else raises one
:class:`~ehelse_market.errors.ParameterError` naming the parameter, the value given and what is
allowed; nothing is converted (a string is never read as a number).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ehelse_market.errors import ParameterError
from ehelse_market.inputs.scenario import Scenario, ScenarioError, allowed_text

#: names IPython itself puts in a notebook's namespace
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
#: the extra, non-Scenario parameter a notebook accepts
SCENARIO_PATH = "scenario_path"


def parameter_names() -> tuple[str, ...]:
    """Every name a notebook accepts as a parameter: the Scenario fields and ``scenario_path``."""
    return (*Scenario.model_fields, SCENARIO_PATH)


#: the types papermill can inject (it writes Python literals)
_PLAIN = (type(None), bool, int, float, str, list, tuple, dict)


def _is_parameter_like(name: str, value: Any) -> bool:
    """True for plain values a papermill run could have injected (not modules, objects or IPython names)."""
    if name.startswith("_") or name in _IPYTHON_NAMES:
        return False
    return isinstance(value, _PLAIN)


def collect(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter-like names of a notebook namespace; unknown names raise ParameterError."""
    allowed = parameter_names()
    found = {k: v for k, v in namespace.items() if _is_parameter_like(k, v)}
    for name in sorted(found):
        if name not in allowed:
            raise ParameterError(name, found[name], "only the notebook parameters " + ", ".join(allowed))
    return found


def validate(namespace: Mapping[str, Any]) -> Scenario:
    """Build the validated :class:`Scenario` from a notebook's ``globals()``.

    Starts from ``scenario_path`` (or the baseline scenario) and applies every parameter that is
    not ``None``. A single number given for ``productivity_growth`` means a list of one rate.
    Raises :class:`ParameterError` for an unknown name, a wrong type or an out-of-range value.
    """
    params = collect(namespace)
    path = params.pop(SCENARIO_PATH, None)
    if path is not None and not isinstance(path, str):
        raise ParameterError(SCENARIO_PATH, path, "a path to a scenario YAML file (text) or None")
    base = Scenario.load(path) if path else Scenario.baseline()
    updates = {k: v for k, v in params.items() if v is not None}
    pg = updates.get("productivity_growth")
    if isinstance(pg, (int, float)) and not isinstance(pg, bool):
        updates["productivity_growth"] = [pg]
    elif isinstance(pg, str):
        raise ParameterError("productivity_growth", pg, "a number (fraction per year, e.g. 0.02) or a list of numbers, not text")
    data = base.model_dump()
    data.update(updates)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        err = errors[0]
        loc = err["loc"]
        name = str(loc[0]) if loc else "scenario"
        given = params.get(name, data.get(name)) if loc else data
        allowed = allowed_text(err)
        if len(loc) > 1:  # an element of a list, e.g. productivity_growth[0]
            allowed = f"each element {allowed} (element {loc[1]} = {err.get('input')!r})"
        if len(errors) > 1:
            allowed += f" (and {len(errors) - 1} more problem(s))"
        raise ParameterError(name, given, allowed) from None
    except ScenarioError as exc:  # pragma: no cover - model_validate raises ValidationError
        raise ParameterError("scenario", data, str(exc)) from None
