"""The decision record of a sourcing advice: terminal text, display tables, Markdown and HTML.

Renders an :class:`~ehelse_market.domain.sourcing.Advice` in the reader's language. Every word
comes from the reader-word catalogue (section ``decision_record`` of
``publishing/words/<lang>.yaml``); every data and case text goes through
:mod:`ehelse_market.publishing.markup`, the one escaping path (the Jinja environments escape every
``{{ value }}``). The page layouts are templates beside the report's:
``templates/decision_record.md.j2`` and ``templates/decision_record.html.j2``.
"""

from __future__ import annotations

from typing import Any

import jinja2
import pandas as pd

from ehelse_market import __version__
from ehelse_market.domain import contracts
from ehelse_market.domain.sourcing import Advice
from ehelse_market.inputs.loader import Inputs
from ehelse_market.publishing import labels, markup


def _w(key: str, lang: str, **kw: Any) -> str:
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
    words = labels.catalogue(lang)["decision_record"]
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
            "note": (lang == "en" and r.get("case_note_en")) or r["case_note"],
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
        "w": {**words, "rule": labels.cite_text(words["rule"], labels.sources_of(advice.data_version), lang)},
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
    """One row per factor for a report: factor, the option it points to, the matrix text and the
    case's note (in English the case's ``notes_en`` where given); headers in the report language.
    Exact locators are the decision record's and the report's sources appendix's, not a reader's."""
    c = record_context(advice, lang)
    w = c["w"]
    return pd.DataFrame(
        [(f["name"], f["option"], f["text"], f["note"]) for f in c["factors"]],
        columns=[w["factor"], w["option"], w["matrix_text"], w["case_note"]],
    )


def tally_table(advice: Advice, lang: str = "nb") -> pd.DataFrame:
    """The tally for display: option and number of factors (count) pointing to it."""
    c = record_context(advice, lang)
    return pd.DataFrame([(t["option"], t["n"]) for t in c["tally"]], columns=[c["w"]["tally"], c["w"]["factor_count"]])


def principles_table(advice: Advice, lang: str = "nb") -> pd.DataFrame:
    """The engaged principles for a report: name, what it asks for, why it is engaged."""
    c = record_context(advice, lang)
    w = c["w"]
    return pd.DataFrame(
        [(p["name"], p["asks"], p["because"]) for p in c["principles"]],
        columns=[w["principles"], w["asks"], w["because"]],
    )


def rule_table(inputs: Inputs, lang: str = "nb") -> pd.DataFrame:
    """Every (contract risk, in-house resources) combination of the contract rule for a report:
    the rule's answer (or "not covered by the report") and the option it corresponds to."""
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
            )
        )
    head = ("contract_risk", "resources_in_house", "rule_says", "corresponds_to")
    return pd.DataFrame(rows, columns=[_w(k, lang) for k in head])


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
_TEMPLATES = jinja2.PackageLoader("ehelse_market.publishing", "templates")
_ENV_HTML = markup.environment("html", loader=_TEMPLATES)
_ENV_MD = markup.environment("markdown", loader=_TEMPLATES)


def render_markdown(advice: Advice, lang: str = "nb", case_sha256: str | None = None) -> str:
    """A one-page decision record in Markdown, citing the documents' lines; case text is escaped."""
    return _ENV_MD.get_template("decision_record.md.j2").render(**record_context(advice, lang, case_sha256))


def render_html(advice: Advice, lang: str = "nb", case_sha256: str | None = None) -> str:
    """The same record as a standalone HTML page (no external resources); all text is escaped."""
    return _ENV_HTML.get_template("decision_record.html.j2").render(**record_context(advice, lang, case_sha256))


def matrix_table(inputs: Inputs, lang: str = "nb") -> pd.DataFrame:
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


