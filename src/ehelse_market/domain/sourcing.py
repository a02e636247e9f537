"""Make, ally or buy: a sourcing decision aid built from the documents' own rules.

Seed 002 (Health2B workshop, lines 268-278) gives eight factors, each of which points to one of
three options: *anskaffe* (buy from the market), *utvikle* (build in-house) or *samskape*
(co-create with a supplier). Seed 000 (6.2, lines 3844-3848) gives the contract rule (contract risk
x in-house resources -> market contract, relational (hybrid) contract or in-house) and five
principles for using the market (6.2.4, lines 3851-3864; also seed 001 lines 105-133).

:func:`advise` takes a validated case (a pydantic model built by :func:`parse_case` from the
factor vocabulary in ``sourcing_factors.csv``: which option each factor points to, optionally the
contract risk and whether the resources exist in-house) and returns an :class:`Advice`: the option
each factor supports with the matrix text, the tally, a recommendation with its reasons (a tie is
reported as a tie, never broken), the contract rule's answer beside it (from
:func:`ehelse_market.domain.contracts.governance_rule`; "not covered by the report" passes through) and
the principles the choice engages. Which principles a choice engages is data
(``principles.csv``, column ``triggers``), as is everything else the advice says.

The core is pure. :func:`load_case` (reads a YAML file) is the only I/O here; the renderers
(:func:`render_text`, :func:`render_markdown`, :func:`render_html`) return strings.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import jinja2
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ehelse_market import __version__
from ehelse_market.domain import contracts
from ehelse_market.publishing import labels, markup
from ehelse_market.errors import UserError
from ehelse_market.domain.results import frame
from ehelse_market.inputs.schemas import PRINCIPLE_TRIGGERS as TRIGGERS  # conditions in principles.csv ``triggers``
from ehelse_market.inputs.schemas import SOURCING_OPTIONS as OPTIONS  # in the matrix's column order (seed 002 l. 270)

#: Contract-risk levels the rule knows (seed 000 lines 3844-3848).
RISK_LEVELS = contracts.RISK_LEVELS
#: Keys a case file may hold besides the eight factors.
CASE_KEYS = ("title", "description", "notes", "contract_risk", "in_house_resources", "contract_years", "need_years")
#: Tables this module reads (their sha256 goes into every decision record).
TABLES = ("sourcing_factors", "sourcing_options", "sourcing_matrix", "principles", "contract_rule")


class CaseError(UserError):
    """A case file that cannot be read or does not validate; the message names every bad key."""


# --------------------------------------------------------------------------- the case


class _CaseBase(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


@lru_cache(maxsize=4)
def _case_model(factors: tuple[str, ...]) -> type[BaseModel]:
    """The pydantic model of a case file for this factor vocabulary (from ``sourcing_factors.csv``)."""
    option = Literal[OPTIONS]  # type: ignore[valid-type]
    factor_name = Literal[factors]  # type: ignore[valid-type]
    years = Optional[Annotated[float, Field(gt=0, le=100)]]
    fields: dict[str, Any] = {
        "title": (str, ""),
        "description": (str, ""),
        "notes": (dict[factor_name, str], {}),  # type: ignore[valid-type]
        "contract_risk": (Optional[Literal[RISK_LEVELS]], None),  # type: ignore[valid-type]
        "in_house_resources": (Optional[bool], None),
        "contract_years": (years, None),
        "need_years": (years, None),
    }
    fields.update({f: (option, ...) for f in factors})
    return create_model("Case", __base__=_CaseBase, **fields)


def factor_names(inputs) -> tuple[str, ...]:
    """The factors' case-file names, in the matrix's order (seed 002 lines 214-230)."""
    t = inputs.table("sourcing_factors").sort_values("order")
    return tuple(t["factor"].astype(str))


def _describe(err: dict, factors: tuple[str, ...], data: Mapping) -> str:
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
    if key == "notes":
        if len(loc) >= 2 and loc[-1] == "[key]":
            bad = loc[1]
            return f"notes: unknown factor '{bad}': notes are keyed by the factors {', '.join(factors)}"
        if len(loc) >= 2:
            return f"notes.{loc[1]} = {err.get('input')!r}: must be text"
        return f"notes = {err.get('input')!r}: must be a mapping of factor name to text"
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


def parse_case(data: Any, inputs, origin: str = "case") -> BaseModel:
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
        return _case_model(factors).model_validate(data)
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


def read_case_text(text: str, inputs, origin: str = "case") -> BaseModel:
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


def load_case(path: Path | str, inputs) -> BaseModel:
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


# --------------------------------------------------------------------------- the advice


@dataclass(frozen=True)
class Advice:
    """What :func:`advise` returns; every text it shows comes from the data tables.

    * ``factors``: one row per factor (``factor, name_nb, name_en, option, text_nb, text_en,
      locator, case_note``).
    * ``tally``: factors per option, in the matrix's option order.
    * ``leading``: the option(s) with the most factors; ``recommendation`` is the single leading
      option, or ``None`` when two or more tie (``tie`` is then True).
    * ``rule``: :func:`contracts.governance_rule`'s answer (``None`` without ``contract_risk``);
      ``rule_option``: the option whose governance form the rule names; ``agreement``: one of
      ``agrees``, ``disagrees``, ``not_covered``, ``not_assessed``, ``tie``.
    * ``principles``: the engaged principles with ``fired`` (the triggers that engaged each).
    """

    case: BaseModel
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


def _rule_answer(inputs, risk: str | None, resources: bool | None) -> dict | None:
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


def advise(case: BaseModel, inputs) -> Advice:
    """Assessment -> option per factor, tally, recommendation, the rule's answer, engaged principles."""
    factors = inputs.table("sourcing_factors").sort_values("order")
    matrix = inputs.table("sourcing_matrix")
    options = inputs.table("sourcing_options").sort_values("order").reset_index(drop=True)
    chosen = pd.DataFrame(
        {
            "factor": factors["factor"].astype(str),
            "name_nb": factors["name_nb"].astype(str),
            "name_en": factors["name_en"].astype(str),
            "option": [getattr(case, f) for f in factors["factor"]],
        }
    )
    per_factor = chosen.merge(
        matrix[["factor", "option", "text_nb", "text_en", "locator"]], on=["factor", "option"], how="left", validate="1:1"
    )
    per_factor["case_note"] = [case.notes.get(f, "") for f in per_factor["factor"]]
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


def matrix_table(inputs, lang: str = "nb") -> pd.DataFrame:
    """The eight-factor matrix as published (nb) or translated (en): factors x options, with locators."""
    labels.check_lang(lang)
    factors = inputs.table("sourcing_factors").sort_values("order")
    options = inputs.table("sourcing_options").sort_values("order")
    m = inputs.table("sourcing_matrix")
    text = m.pivot(index="factor", columns="option", values=f"text_{lang}")
    out = text.loc[factors["factor"], list(options["option"])]
    out.index = list(factors[f"name_{lang}"])
    out.columns = list(options[f"name_{lang}"])
    out.index.name = _w("factor", lang)
    return out


# --------------------------------------------------------------------------- words and rendering

def _w(key: str, lang: str, **kw) -> str:
    """A decision-record sentence from the reader-word catalogue, fields filled in."""
    return labels.lookup("decision_record", key, lang, **kw)


def option_name(advice: Advice, option: str, lang: str) -> str:
    row = advice.options[advice.options["option"] == option]
    return str(row[f"name_{lang}"].iloc[0]) if len(row) else option


def _years(x: float, lang: str) -> str:
    return labels.number(x, None, lang)


def record_context(advice: Advice, lang: str = "nb", case_sha256: str | None = None) -> dict:
    """Everything a decision record shows, as plain values in the report language."""
    labels.check_lang(lang)
    total = len(advice.factors)
    name = lambda o: option_name(advice, o, lang)  # noqa: E731
    if advice.recommendation:
        n = advice.tally[advice.recommendation]
        headline = _w("recommend", lang, option=name(advice.recommendation), n=n, total=total)
    else:
        joined = (" og " if lang == "nb" else " and ").join(name(o) for o in advice.leading)
        headline = _w("tie", lang, options=joined, n=advice.tally[advice.leading[0]])
    factors = [
        {
            "name": r[f"name_{lang}"],
            "option": name(r["option"]),
            "text": r[f"text_{lang}"],
            "locator": r["locator"],
            "note": r["case_note"],
            "leading": r["option"] in advice.leading,
        }
        for _, r in advice.factors.iterrows()
    ]
    rule = None
    if advice.rule is not None:
        r = advice.rule
        res = r["in_house_resources"]
        res_text = _w("unknown" if res is None else ("yes" if res else "no"), lang)
        form = r["form"]
        form_text = labels.label(form, lang) if form != "needs_resources" else _w("unknown", lang)
        if advice.rule_option:
            form_text += _w("rule_option", lang, option=name(advice.rule_option))
        rule = {
            "input": _w("rule_input", lang, risk=_w(r["contract_risk"], lang), res=res_text),
            "answer": _w("rule_answer", lang, form=form_text),
            "locator": r["locator"],
            "quote": r["quote"],
            "note": r["note"],
        }
    agreement = {
        "agrees": _w("agrees", lang),
        "disagrees": _w("disagrees", lang),
        "not_covered": _w("needs_resources" if advice.rule and advice.rule["form"] == "needs_resources" else "not_covered", lang),
        "not_assessed": _w("not_assessed", lang),
        "tie": _w("tie_rule", lang),
    }[advice.agreement]
    principles = [
        {
            "name": p[f"name_{lang}"],
            "text": p[f"text_{lang}"],
            "asks": p[f"asks_{lang}"],
            "because": "; ".join(labels.lookup("principle_triggers", t, lang) for t in p["fired"].split()),
            "locator": p["locator"],
            "locator_consultation": p["locator_consultation"],
            "asks_locator": p["asks_locator"],
        }
        for _, p in advice.principles.iterrows()
    ]
    contract = None
    if advice.case.contract_years is not None and advice.case.need_years is not None:
        contract = _w("contract", lang, c=_years(advice.case.contract_years, lang), n=_years(advice.case.need_years, lang))
    return {
        "lang": lang,
        "w": labels.catalogue(lang)["decision_record"],
        "title": advice.case.title,
        "description": advice.case.description,
        "headline": headline,
        "tie": advice.tie,
        "factors": factors,
        "has_notes": any(f["note"] for f in factors),
        "tally": [{"option": name(o), "n": n, "of": _w("factors_of", lang, n=n, total=total)} for o, n in advice.tally.items()],
        "rule": rule,
        "agreement": agreement,
        "contract": contract,
        "principles": principles,
        "data_version": advice.data_version,
        "package_version": __version__,
        "file_hashes": sorted(advice.file_hashes.items()),
        "case_sha256": case_sha256,
    }


def render_text(advice: Advice, lang: str = "nb") -> str:
    """The decision as a few plain-text lines for the terminal."""
    c = record_context(advice, lang)
    lines = [c["w"]["recommendation"] + ": " + c["headline"]]
    lines.append(c["w"]["tally"] + ": " + ", ".join(f"{t['option']} {t['n']}" for t in c["tally"]))
    if c["rule"]:
        lines.append(f"{c['w']['rule']}: {c['rule']['input']} {c['rule']['answer']}")
    lines.append(c["agreement"])
    if c["principles"]:
        lines.append(c["w"]["principles"] + ": " + ", ".join(p["name"] for p in c["principles"]))
    else:
        lines.append(c["w"]["no_principles"])
    return "\n".join(lines) + "\n"


def factor_table(advice: Advice, lang: str = "nb") -> pd.DataFrame:
    """One row per factor for display: factor, the option it points to, the matrix text, the
    case's note and the seed locator; headers in the report language."""
    c = record_context(advice, lang)
    w = c["w"]
    return pd.DataFrame(
        [(f["name"], f["option"], f["text"], f["note"], f["locator"]) for f in c["factors"]],
        columns=[w["factor"], w["option"], w["matrix_text"], w["case_note"], w["sources"]],
    )


def tally_table(advice: Advice, lang: str = "nb") -> pd.DataFrame:
    """The tally for display: option and number of factors (count) pointing to it."""
    c = record_context(advice, lang)
    head = {"nb": "Antall faktorer", "en": "Number of factors"}[lang]
    return pd.DataFrame([(t["option"], t["n"]) for t in c["tally"]], columns=[c["w"]["tally"], head])


def principles_table(advice: Advice, lang: str = "nb") -> pd.DataFrame:
    """The engaged principles for display: name, what it asks for, why it is engaged, locators."""
    c = record_context(advice, lang)
    w = c["w"]
    return pd.DataFrame(
        [(p["name"], p["asks"], p["because"], f"{p['locator']}; {p['locator_consultation']}") for p in c["principles"]],
        columns=[w["principles"], w["asks"], w["because"], w["sources"]],
    )


def rule_table(inputs, lang: str = "nb") -> pd.DataFrame:
    """Every (contract risk, in-house resources) combination of the contract rule for display:
    the rule's answer (or "not covered by the report"), the option it corresponds to, the locator."""
    labels.check_lang(lang)
    options = inputs.table("sourcing_options").set_index("governance_form")[f"name_{lang}"]
    rows = []
    for r in contracts.governance_rule_table(inputs).itertuples(index=False):
        rows.append(
            (
                _w(r.contract_risk, lang),
                _w("yes" if r.in_house_resources else "no", lang),
                labels.label(r.form, lang),
                options.get(r.form, "") if r.covered else "",
                r.locator,
            )
        )
    head = {
        "nb": ["Kontraktsrisiko", "Ressurser internt", "Regelens svar", "Tilsvarer", "Sted i kilden"],
        "en": ["Contract risk", "Resources in-house", "The rule's answer", "Corresponds to", "Locator"],
    }[lang]
    return pd.DataFrame(rows, columns=head)


def summary_markdown(advice: Advice, lang: str = "nb") -> markup.Markdown:
    """The recommendation, the rule's answer and the agreement as a short Markdown paragraph
    (data text escaped through :mod:`markup`)."""
    c = record_context(advice, lang)
    md = markup.md
    parts = [f"**{md(c['w']['recommendation'])}:** {md(c['headline'])}"]
    if c["rule"]:
        parts.append(f"**{md(c['w']['rule'])}:** {md(c['rule']['input'])} {md(c['rule']['answer'])}.")
    parts.append(md(c["agreement"]))
    return markup.Markdown("\n\n".join(parts))


#: Every ``{{ value }}`` is escaped for its format (:func:`markup.environment`).
_ENV_HTML = markup.environment("html")
_ENV_MD = markup.environment("markdown")

_MD = """\
# {{ w.title }}
{% if title %}
**{{ w.case }}:** {{ title | md }}
{% endif %}{% if description %}
{{ description | md }}
{% endif %}
## {{ w.recommendation }}

**{{ headline }}**

| {{ w.tally }} | |
|---|---|
{% for t in tally %}| {{ t.option }} | {{ t.of }} |
{% endfor %}
## {{ w.reasons }}

| {{ w.factor }} | {{ w.option }} | {{ w.matrix_text }} |{% if has_notes %} {{ w.case_note }} |{% endif %} {{ w.sources }} |
|---|---|---|{% if has_notes %}---|{% endif %}---|
{% for f in factors %}| {{ f.name }} | {% if f.leading %}**{{ f.option }}**{% else %}{{ f.option }}{% endif %} | {{ f.text | md }} |{% if has_notes %} {{ f.note | md }} |{% endif %} {{ f.locator | code }} |
{% endfor %}
## {{ w.rule }}

{% if rule %}{{ rule.input }} {{ rule.answer }}

{% if rule.quote %}> {{ rule.quote | md }} ({{ rule.locator | code }})
{% else %}({{ w.rule_open }}: {{ rule.locator | code }})
{% endif %}{% if rule.note %}
{{ w.rule_note }}: {{ rule.note | md }}
{% endif %}
{% endif %}{{ agreement }}

## {{ w.principles }}
{% if contract %}
{{ contract }}
{% endif %}{% for p in principles %}
### {{ p.name }}

> {{ p.text | md }} ({{ p.locator | code }}; {{ p.locator_consultation | code }})

- **{{ w.asks }}:** {{ p.asks | md }} ({{ p.asks_locator | code }})
- **{{ w.because }}:** {{ p.because }}
{% else %}
{{ w.no_principles }}
{% endfor %}
## {{ w.provenance }}

{{ w.assumption_note }}

- data: {{ data_version | code }}, ehelse-market {{ package_version }}
{% for f, h in file_hashes %}- {{ f | code }} sha256 {{ h | code }}
{% endfor %}{% if case_sha256 %}- {{ w.case_file }}: `{{ case_sha256 }}`
{% endif %}"""

_HTML = """\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
{{ csp_meta }}
<meta name="generator" content="ehelse-market">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ w.title }}{% if title %}: {{ title }}{% endif %}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; font-size: 0.92rem; color: #1a1a1a; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; margin-top: 1.2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1rem; margin: 0.8rem 0 0.2rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
th { background: #f2f2f2; } .lead { font-weight: 600; } .headline { font-size: 1.05rem; font-weight: 600; padding: 0.5rem; background: #eef4fb; border-left: 4px solid #2b6cb0; }
.tie { background: #fff6e0; border-left-color: #b7791f; } code { font-size: 0.8rem; color: #444; } blockquote { margin: 0.3rem 0 0.3rem 1rem; color: #333; font-style: italic; }
@media print { body { font-size: 8.5pt; margin: 0; max-width: none; } h2 { margin-top: 0.6rem; } }
</style>
</head>
<body>
<h1>{{ w.title }}</h1>
{% if title %}<p><strong>{{ w.case }}:</strong> {{ title }}</p>{% endif %}
{% if description %}<p>{{ description }}</p>{% endif %}
<h2>{{ w.recommendation }}</h2>
<p class="headline{% if tie %} tie{% endif %}">{{ headline }}</p>
<table><tr><th>{{ w.tally }}</th><th></th></tr>
{% for t in tally %}<tr><td>{{ t.option }}</td><td>{{ t.of }}</td></tr>
{% endfor %}</table>
<h2>{{ w.reasons }}</h2>
<table>
<tr><th>{{ w.factor }}</th><th>{{ w.option }}</th><th>{{ w.matrix_text }}</th>{% if has_notes %}<th>{{ w.case_note }}</th>{% endif %}<th>{{ w.sources }}</th></tr>
{% for f in factors %}<tr><td>{{ f.name }}</td><td{% if f.leading %} class="lead"{% endif %}>{{ f.option }}</td><td>{{ f.text }}</td>{% if has_notes %}<td>{{ f.note }}</td>{% endif %}<td><code>{{ f.locator }}</code></td></tr>
{% endfor %}</table>
<h2>{{ w.rule }}</h2>
{% if rule %}<p>{{ rule.input }} {{ rule.answer }}</p>
{% if rule.quote %}<blockquote>{{ rule.quote }} <code>{{ rule.locator }}</code></blockquote>
{% else %}<p>({{ w.rule_open }}: <code>{{ rule.locator }}</code>)</p>{% endif %}
{% if rule.note %}<p><small>{{ w.rule_note }}: {{ rule.note }}</small></p>{% endif %}
{% endif %}<p><strong>{{ w.agreement }}:</strong> {{ agreement }}</p>
<h2>{{ w.principles }}</h2>
{% if contract %}<p>{{ contract }}</p>{% endif %}
{% for p in principles %}<h3>{{ p.name }}</h3>
<blockquote>{{ p.text }} <code>{{ p.locator }}</code>; <code>{{ p.locator_consultation }}</code></blockquote>
<ul><li><strong>{{ w.asks }}:</strong> {{ p.asks }} <code>{{ p.asks_locator }}</code></li>
<li><strong>{{ w.because }}:</strong> {{ p.because }}</li></ul>
{% else %}<p>{{ w.no_principles }}</p>
{% endfor %}<h2>{{ w.provenance }}</h2>
<p>{{ w.assumption_note }}</p>
<ul><li>data <code>{{ data_version }}</code>, ehelse-market {{ package_version }}</li>
{% for f, h in file_hashes %}<li><code>{{ f }}</code> sha256 <code>{{ h }}</code></li>
{% endfor %}{% if case_sha256 %}<li>{{ w.case_file }}: <code>{{ case_sha256 }}</code></li>{% endif %}
</ul>
</body>
</html>
"""


def render_markdown(advice: Advice, lang: str = "nb", case_sha256: str | None = None) -> str:
    """A one-page decision record in Markdown, citing the documents' lines; case text is escaped."""
    return _ENV_MD.from_string(_MD).render(**record_context(advice, lang, case_sha256))


def render_html(advice: Advice, lang: str = "nb", case_sha256: str | None = None) -> str:
    """The same record as a standalone HTML page (no external resources); all text is escaped."""
    return _ENV_HTML.from_string(_HTML).render(**record_context(advice, lang, case_sha256))
