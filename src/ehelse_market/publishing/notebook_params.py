"""The parameters a notebook received, as a validated :class:`Scenario`, before anything is computed.

Every chapter notebook calls, in the first code cell after its ``parameters`` cell::

    scenario = notebook_params.validate(globals())

Papermill injects values without checking them; this picks the parameter-like names out of the
notebook's namespace and hands them to :meth:`Scenario.from_namespace`, which applies the same
rules, bounds and messages as a scenario file or a command-line flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehelse_market.inputs.scenario import SCENARIO_PATH, Scenario

#: names IPython itself puts in a notebook's namespace
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
#: the types papermill can inject (it writes Python literals)
_PLAIN = (type(None), bool, int, float, str, list, tuple, dict)


def parameter_names() -> tuple[str, ...]:
    """Every name a notebook accepts as a parameter: the Scenario fields and ``scenario_path``."""
    return (*Scenario.model_fields, SCENARIO_PATH)


def validate(namespace: Mapping[str, Any]) -> Scenario:
    """The validated Scenario from a notebook's ``globals()`` (plain values only, not modules or IPython's names)."""
    params = {k: v for k, v in namespace.items() if not k.startswith("_") and k not in _IPYTHON_NAMES and isinstance(v, _PLAIN)}
    return Scenario.from_namespace(params)
