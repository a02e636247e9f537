"""Make, ally or buy: a sourcing decision aid built from the documents' own rules.

Seed 002 (Health2B workshop, lines 268-278) gives eight factors, each of which points to one of
three options: *anskaffe* (buy from the market), *utvikle* (build in-house) or *samskape*
(co-create with a supplier). Seed 000 (6.2, lines 3844-3848) gives the contract rule (contract risk
x in-house resources -> market contract, relational (hybrid) contract or in-house) and five
principles for using the market (6.2.4, lines 3851-3864; also seed 001 lines 105-133).

:func:`advise` takes a validated case (built by :func:`ehelse_market.inputs.cases.parse_case`
from the factor vocabulary in ``sourcing_factors.csv``) and returns an :class:`Advice`: the option
each factor supports with the matrix text, the tally, a recommendation with its reasons (a tie is
reported as a tie, never broken), the contract rule's answer beside it (from
:func:`ehelse_market.domain.contracts.governance_rule`; "not covered by the report" passes through)
and the principles the choice engages. Which principles a choice engages is data
(``principles.csv``, column ``triggers``), as is everything else the advice says.

Pure: no file I/O and no reader words. Reading cases is :mod:`ehelse_market.inputs.cases`; the
decision record (text, Markdown, HTML, display tables) is
:mod:`ehelse_market.publishing.decision_record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ehelse_market.domain import contracts
from ehelse_market.domain.results import frame
from ehelse_market.inputs import Inputs
from ehelse_market.inputs.cases import Case
from ehelse_market.inputs.codes import PRINCIPLE_TRIGGERS as TRIGGERS  # conditions in principles.csv ``triggers``
from ehelse_market.inputs.codes import SOURCING_OPTIONS as OPTIONS  # in the matrix's column order (seed 002 l. 270)

#: Contract-risk levels the rule knows (seed 000 lines 3844-3848).
RISK_LEVELS = contracts.RISK_LEVELS
#: Tables this module reads (their sha256 goes into every decision record).
TABLES = ("sourcing_factors", "sourcing_options", "sourcing_matrix", "principles", "contract_rule")

__all__ = ["OPTIONS", "RISK_LEVELS", "TABLES", "TRIGGERS", "Advice", "advise", "engaged_principles"]


# --------------------------------------------------------------------------- the advice


@dataclass(frozen=True)
class Advice:
    """What :func:`advise` returns; every text it shows comes from the data tables.

    * ``factors``: one row per factor (``factor, name_nb, name_en, option, text_nb, text_en,
      locator, case_note, case_note_en``).
    * ``tally``: factors per option, in the matrix's option order.
    * ``leading``: the option(s) with the most factors; ``recommendation`` is the single leading
      option, or ``None`` when two or more tie (``tie`` is then True).
    * ``rule``: :func:`contracts.governance_rule`'s answer (``None`` without ``contract_risk``);
      ``rule_option``: the option whose governance form the rule names; ``agreement``: one of
      ``agrees``, ``disagrees``, ``not_covered``, ``not_assessed``, ``tie``.
    * ``principles``: the engaged principles with ``fired`` (the triggers that engaged each).
    """

    case: Case
    factors: pd.DataFrame
    tally: dict[str, int]
    leading: tuple[str, ...]
    recommendation: str | None
    rule: dict | None
    rule_option: str | None
    agreement: str
    principles: pd.DataFrame
    options: pd.DataFrame
    contract_shorter_than_need: bool | None
    data_version: str
    file_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def tie(self) -> bool:
        return len(self.leading) > 1

    @property
    def reasons(self) -> pd.DataFrame:
        """The factors behind the recommendation (behind every tied option in a tie), with the
        matrix text and locator that make each one a reason."""
        return self.factors[self.factors["option"].isin(self.leading)]

    def supporting(self, option: str) -> pd.DataFrame:
        """The factors pointing to ``option``."""
        return self.factors[self.factors["option"] == option]

    def tidy(self) -> pd.DataFrame:
        """The tally as a tidy result frame (variable ``factor_count``, segment = option, unit count)."""
        name = self.case.title or "case"
        rows = [{"variable": "factor_count", "segment": o, "unit": "count", "value": n} for o, n in self.tally.items()]
        return frame(rows, scenario=name)


def _rule_answer(inputs: Inputs, risk: str | None, resources: bool | None) -> dict | None:
    """The contract rule's answer; when the resources are not given it is asked both ways and
    used only where both agree (at low risk the report's rule does not depend on them)."""
    if risk is None:
        return None
    if resources is not None:
        return contracts.governance_rule(inputs, risk, resources)
    both = [contracts.governance_rule(inputs, risk, r) for r in (True, False)]
    if both[0]["form"] == both[1]["form"] and both[0]["covered"]:
        return {**both[0], "in_house_resources": None}
    return {
        "form": "needs_resources",
        "covered": False,
        "contract_risk": risk,
        "in_house_resources": None,
        "locator": both[0]["locator"],
        "quote": both[0]["quote"],
        "note": "the answer depends on in_house_resources, which the case does not give",
        "source_id": both[0]["source_id"],
    }


def engaged_principles(principles: pd.DataFrame, fired: set[str]) -> pd.DataFrame:
    """The principles whose ``triggers`` (space-separated, see :data:`TRIGGERS`) include a fired one."""
    rows = []
    for _, p in principles.sort_values("order").iterrows():
        hits = [t for t in str(p["triggers"]).split() if t in fired]
        if hits:
            rows.append({**p.to_dict(), "fired": " ".join(hits)})
    cols = list(principles.columns) + ["fired"]
    return pd.DataFrame(rows, columns=cols).reset_index(drop=True)


def advise(case: Case, inputs: Inputs) -> Advice:
    """Assessment -> option per factor, tally, recommendation, the rule's answer, engaged principles."""
    factors = inputs.table("sourcing_factors").sort_values("order")
    matrix = inputs.table("sourcing_matrix")
    options = inputs.table("sourcing_options").sort_values("order").reset_index(drop=True)
    chosen = pd.DataFrame(
        {
            "factor": factors["factor"].astype(str),
            "name_nb": factors["name_nb"].astype(str),
            "name_en": factors["name_en"].astype(str),
            "option": [case.option(f) for f in factors["factor"]],
        }
    )
    per_factor = chosen.merge(
        matrix[["factor", "option", "text_nb", "text_en", "locator"]], on=["factor", "option"], how="left", validate="1:1"
    )
    per_factor["case_note"] = [case.notes.get(f, "") for f in per_factor["factor"]]
    per_factor["case_note_en"] = [case.notes_en.get(f, "") for f in per_factor["factor"]]
    tally = {o: int((per_factor["option"] == o).sum()) for o in options["option"]}
    top = max(tally.values())
    leading = tuple(o for o, n in tally.items() if n == top)
    recommendation = leading[0] if len(leading) == 1 else None

    rule = _rule_answer(inputs, case.contract_risk, case.in_house_resources)
    form_to_option = dict(zip(options["governance_form"], options["option"]))
    rule_option = form_to_option.get(rule["form"]) if rule and rule["covered"] else None
    if rule is None:
        agreement = "not_assessed"
    elif not rule["covered"]:
        agreement = "not_covered"
    elif recommendation is None:
        agreement = "tie"
    else:
        agreement = "agrees" if rule_option == recommendation else "disagrees"

    shorter = None
    if case.contract_years is not None and case.need_years is not None:
        shorter = case.contract_years < case.need_years
    fired = {f"option:{o}" for o in leading}
    if shorter:
        fired.add("contract_shorter_than_need")
    if agreement == "disagrees":
        fired.add("rule_disagrees")
    principles = engaged_principles(inputs.table("principles"), fired)
    hashes = {f"{t}.csv": inputs.file_hashes.get(f"{t}.csv", "") for t in TABLES}
    return Advice(
        case=case,
        factors=per_factor,
        tally=tally,
        leading=leading,
        recommendation=recommendation,
        rule=rule,
        rule_option=rule_option,
        agreement=agreement,
        principles=principles,
        options=options,
        contract_shorter_than_need=shorter,
        data_version=inputs.version,
        file_hashes=hashes,
    )
