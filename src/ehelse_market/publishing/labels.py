"""Report language: Norwegian (bokmål, default) and English labels and number formats.

Numbers in reports follow the reader's convention: Norwegian uses a decimal comma and a narrow
no-break space between thousands ("13,6", "150 000"); English uses "13.6" and "150,000".
Labels for data codes (segments, contract forms, units) live here so the plotting code and the
notebooks never spell them out. A code without a label is shown as the code itself.
"""

from __future__ import annotations

import math

from ehelse_market.errors import ParameterError

LANGS = ("nb", "en")

THOUSANDS = {"nb": "\u202f", "en": ","}  # narrow no-break space in Norwegian, comma in English
DECIMAL = {"nb": ",", "en": "."}

UNITS = {
    "NOK bn": {"nb": "mrd. kr", "en": "NOK bn"},
    "NOK m": {"nb": "mill. kr", "en": "NOK m"},
    "EUR bn": {"nb": "mrd. euro", "en": "EUR bn"},
    "percent": {"nb": "prosent", "en": "percent"},
    "percent/yr": {"nb": "prosent per år", "en": "percent per year"},
    "percentage points": {"nb": "prosentpoeng", "en": "percentage points"},
    "fte": {"nb": "årsverk", "en": "FTE"},
    "persons": {"nb": "personer", "en": "persons"},
    "count": {"nb": "antall", "en": "count"},
    "multiple": {"nb": "ganger", "en": "times"},
    "million logins": {"nb": "mill. innlogginger", "en": "million logins"},
    "million visits": {"nb": "mill. besøk", "en": "million visits"},
    "per day": {"nb": "per dag", "en": "per day"},
    "year": {"nb": "år", "en": "year"},
    "ratio": {"nb": "forhold", "en": "ratio"},
    "index": {"nb": "indeks", "en": "index"},
}

CODES = {
    # care levels (seed 000, 4.4)
    "specialist_care": {"nb": "Spesialisthelsetjenesten", "en": "Specialist care"},
    "primary_care": {"nb": "Kommunal helse- og omsorgstjeneste", "en": "Primary and municipal care"},
    "national_actors": {"nb": "Nasjonale aktører", "en": "National actors"},
    # contract forms (seed 000, 4.5)
    "in_house": {"nb": "Egenregi", "en": "In-house"},
    "project": {"nb": "Prosjektkontrakter", "en": "Project contracts"},
    "open_market": {"nb": "Åpent marked", "en": "Open market"},
    "relational": {"nb": "Relasjonskontrakter", "en": "Relational contracts"},
    "market": {"nb": "Marked", "en": "Market"},
    "hybrid": {"nb": "Hybrid", "en": "Hybrid"},
    "hierarchy": {"nb": "Hierarki", "en": "Hierarchy"},
    "not_covered": {"nb": "Ikke dekket av rapporten", "en": "Not covered by the report"},
    # Figur 7 axes
    "one_off": {"nb": "Enkeltkjøp", "en": "One-off"},
    "recurrent": {"nb": "Gjentakende", "en": "Recurrent"},
    "low": {"nb": "Lavt", "en": "Low"},
    "medium": {"nb": "Middels", "en": "Medium"},
    "medium_high": {"nb": "Middels til høyt", "en": "Medium to high"},
    "high": {"nb": "Høyt", "en": "High"},
    "very_high": {"nb": "Svært høyt", "en": "Very high"},
    # Williamson attributes (Tabell 1)
    "incentive_intensity": {"nb": "Insentivintensitet", "en": "Incentive intensity"},
    "administrative_control": {"nb": "Administrativ kontroll", "en": "Administrative control"},
    "adaptation_autonomous": {"nb": "Autonom tilpasning", "en": "Autonomous adaptation"},
    "adaptation_cooperative": {"nb": "Koordinert tilpasning", "en": "Cooperative adaptation"},
    "contract_law": {"nb": "Kontraktsrett", "en": "Contract law"},
    # ICT comparison
    "norway_health_regions": {"nb": "Helseregionene", "en": "Norway's health regions"},
    "rhf_share": {"nb": "Helseregionene", "en": "Norway's health regions"},
    "gartner_average": {"nb": "Gartners gjennomsnitt", "en": "Gartner average"},
    "global_average": {"nb": "Globalt gjennomsnitt", "en": "Global average"},
    "norway_minus_gartner": {"nb": "Helseregionene minus Gartner", "en": "Health regions minus Gartner"},
    "norway_over_gartner": {"nb": "Helseregionene delt på Gartner", "en": "Health regions over Gartner"},
    "at_target": {"nb": "Ved målandel", "en": "At target share"},
    "published": {"nb": "Publisert", "en": "Published"},
    "publicly_financed_health_care": {"nb": "Offentlig finansiert helse og omsorg", "en": "Publicly financed health and care"},
    "health": {"nb": "Helse", "en": "Health"},
    "other_industries": {"nb": "Andre næringer", "en": "Other industries"},
    "banking_finance": {"nb": "Bank og finans", "en": "Banking and finance"},
    "media": {"nb": "Media", "en": "Media"},
    # gains (seed 004, 2)
    "disease_burden": {"nb": "Pasient/innbygger", "en": "Patients/citizens"},
    "health_budget": {"nb": "Helsetjenesten", "en": "Health service"},
    "value_added": {"nb": "Helsenæringen", "en": "Health industry"},
    # exports (seed 004, 2.3)
    "pharma": {"nb": "Legemidler", "en": "Pharmaceuticals"},
    "pharma_residual": {"nb": "Legemidler (resten)", "en": "Pharmaceuticals (remainder)"},
    "medical_equipment": {"nb": "Medisinsk utstyr", "en": "Medical equipment"},
    "digital_health": {"nb": "Digital helse", "en": "Digital health"},
    "total": {"nb": "Totalt", "en": "Total"},
    "basis": {"nb": "SSBs basisbane", "en": "SSB reference path"},
    # claim statuses (claims.verify_claims)
    "reproduced": {"nb": "gjengitt", "en": "reproduced"},
    "not reproduced": {"nb": "ikke gjengitt", "en": "not reproduced"},
    "inconsistent in the source": {"nb": "inkonsistent i kilden", "en": "inconsistent in the source"},
    "inconsistency not shown": {"nb": "inkonsistens ikke påvist", "en": "inconsistency not shown"},
    "error": {"nb": "feil ved beregning", "en": "error"},
    # result variables (the 'variable' column of tidy results)
    "fte_demand": {"nb": "Behov for årsverk", "en": "Demand for FTEs"},
    "fte_demand_reference": {"nb": "SSBs referansebane", "en": "SSB reference path"},
    "fte_vs_basis": {"nb": "Årsverk mer enn referansebanen", "en": "FTEs above the reference path"},
    "share_of_employment": {"nb": "Andel av sysselsettingen", "en": "Share of employment"},
    "total_employment": {"nb": "Sysselsetting i alt", "en": "Total employment"},
    "governance_cost": {"nb": "Styringskostnad", "en": "Governance cost"},
    "attribute_rating": {"nb": "Vurdering", "en": "Rating"},
    "switch_point": {"nb": "Skiftepunkt", "en": "Switch point"},
    "optimal_form": {"nb": "Beste styringsform", "en": "Optimal form"},
    "share": {"nb": "Andel", "en": "Share"},
    "difference": {"nb": "Differanse", "en": "Difference"},
    "ratio": {"nb": "Forhold", "en": "Ratio"},
    "spend": {"nb": "Utgift", "en": "Spend"},
    "spend_low": {"nb": "Utgift, nedre", "en": "Spend, low"},
    "spend_high": {"nb": "Utgift, øvre", "en": "Spend, high"},
    "share_low": {"nb": "Andel, nedre", "en": "Share, low"},
    "share_high": {"nb": "Andel, øvre", "en": "Share, high"},
    "share_before": {"nb": "Andel før", "en": "Share before"},
    "share_after": {"nb": "Andel etter", "en": "Share after"},
    "spend_before": {"nb": "Utgift før", "en": "Spend before"},
    "spend_after": {"nb": "Utgift etter", "en": "Spend after"},
    "spend_change": {"nb": "Endring i utgift", "en": "Change in spend"},
    "spend_moved": {"nb": "Flyttet utgift", "en": "Spend moved"},
    "target_share": {"nb": "Målandel", "en": "Target share"},
    "share_published": {"nb": "Publisert andel", "en": "Published share"},
    "share_published_sum": {"nb": "Sum publiserte andeler", "en": "Sum of published shares"},
    "share_computed": {"nb": "Beregnet andel", "en": "Computed share"},
    "ict_share_of_operating_income": {"nb": "IKT-andel av driftsinntektene", "en": "ICT share of operating income"},
    "ict_opex_share_of_total_cost": {"nb": "IKT-driftskostnad som andel av totale kostnader", "en": "ICT operating cost as share of total cost"},
    "ict_multiple_vs_health": {"nb": "IKT-andel i forhold til helse", "en": "ICT share relative to health"},
    "ict_spend": {"nb": "IKT-utgifter", "en": "ICT spend"},
    "ict_spend_change": {"nb": "Endring i IKT-utgifter", "en": "Change in ICT spend"},
    "operating_income_implied": {"nb": "Implisitte driftsinntekter", "en": "Implied operating income"},
    "societal_cost_base": {"nb": "Samfunnskostnad (grunnlag)", "en": "Societal cost base"},
    "annual_saving": {"nb": "Årlig besparelse", "en": "Annual saving"},
}

WORDS = {
    "figure": {"nb": "Figur", "en": "Figure"},
    "source": {"nb": "Kilde", "en": "Source"},
    "unit": {"nb": "Enhet", "en": "Unit"},
    "year": {"nb": "År", "en": "Year"},
    "value": {"nb": "Verdi", "en": "Value"},
    "segment": {"nb": "Segment", "en": "Segment"},
    "variable": {"nb": "Variabel", "en": "Variable"},
    "key": {"nb": "Nøkkel", "en": "Key"},
    "locator": {"nb": "Sted i kilden", "en": "Locator"},
    "quote": {"nb": "Sitat", "en": "Quote"},
    "status": {"nb": "Status", "en": "Status"},
    "note": {"nb": "Merknad", "en": "Note"},
    "plotted_numbers": {"nb": "Tallene i figuren", "en": "Numbers in the figure"},
    "provenance": {"nb": "Proveniens", "en": "Provenance"},
    "data_version": {"nb": "Dataversjon", "en": "Data version"},
    "package_version": {"nb": "Pakkeversjon", "en": "Package version"},
    "input_hashes": {"nb": "Inndatafiler (sha256)", "en": "Input files (sha256)"},
    "parameters": {"nb": "Parametere", "en": "Parameters"},
    "figure_sources": {"nb": "Kilder per figur", "en": "Sources per figure"},
    "file": {"nb": "Fil", "en": "File"},
    "parameter": {"nb": "Parameter", "en": "Parameter"},
    "approx": {"nb": "ca.", "en": "approx."},
    "lower_bound": {"nb": "nedre grense", "en": "lower bound"},
    "upper_bound": {"nb": "øvre grense", "en": "upper bound"},
    "assumption": {"nb": "antakelse", "en": "assumption"},
    "reports": {"nb": "Rapporter", "en": "Reports"},
    "with_code": {"nb": "med kode", "en": "with code"},
    "notebook": {"nb": "notatbok", "en": "notebook"},
    "scenario": {"nb": "Scenario", "en": "Scenario"},
    "language": {"nb": "Språk", "en": "Language"},
    "figures": {"nb": "Figurer", "en": "Figures"},
    "claim_id": {"nb": "Påstand", "en": "Claim"},
    "topic": {"nb": "Tema", "en": "Topic"},
    "published": {"nb": "Publisert", "en": "Published"},
    "recomputed": {"nb": "Regnet ut", "en": "Recomputed"},
    "difference": {"nb": "Differanse", "en": "Difference"},
    "tolerance": {"nb": "Toleranse", "en": "Tolerance"},
    "explanation": {"nb": "Forklaring", "en": "Explanation"},
    "count": {"nb": "Antall", "en": "Count"},
    "productivity_growth": {"nb": "Produktivitetsvekst", "en": "Productivity growth"},
    "source_id": {"nb": "Kilde", "en": "Source"},
    "asset_specificity": {"nb": "Eiendelsspesifisitet (k)", "en": "Asset specificity (k)"},
    "contract_risk": {"nb": "Kontraktsrisiko", "en": "Contract risk"},
    "in_house_resources": {"nb": "Ressurser i egen virksomhet", "en": "Resources in-house"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise :class:`ParameterError`."""
    if lang not in LANGS:
        raise ParameterError("lang", lang, "one of " + ", ".join(repr(x) for x in LANGS))
    return lang


def _pick(table: dict, code: str, lang: str) -> str:
    check_lang(lang)
    entry = table.get(code)
    return entry[lang] if entry else str(code)


def unit(code: str, lang: str = "nb") -> str:
    """Reader-facing unit label ("mrd. kr" for ``NOK bn`` in Norwegian)."""
    return _pick(UNITS, code, lang)


def label(code: str, lang: str = "nb") -> str:
    """Reader-facing label of a data code (segment, form, attribute); the code itself if unknown."""
    return _pick(CODES, code, lang)


def header(name: str, lang: str = "nb") -> str:
    """A table column header: the word for it if there is one, else the column name."""
    return word(name, lang) if name in WORDS else name


def word(name: str, lang: str = "nb") -> str:
    """A fixed report word (headings, table columns)."""
    return _pick(WORDS, name, lang)


def number(value: float, decimals: int | None = None, lang: str = "nb", group: bool = True) -> str:
    """Format a number for the reader: ``number(13.6) == "13,6"``, ``number(150000) == "150 000"``.

    ``decimals=None`` keeps up to two decimals (four below 1, so that growth rates such as 0.015
    and 0.005 stay apart) and drops trailing zeros. Missing values give "–".
    ``group=False`` leaves out the thousands separator (years: "2017").
    """
    check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        places = 4 if abs(float(value)) < 1 else 2
        text = f"{float(value):,.{places}f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):,.{decimals}f}"
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    text = text.replace(",", "\x00").replace(".", DECIMAL[lang]).replace("\x00", THOUSANDS[lang] if group else "")
    return text.replace("-", "\u2212") if lang == "nb" else text


#: Units counted in whole items: tables show them without decimals (453 981 årsverk, not 453 980,51).
WHOLE_UNITS = ("fte", "persons", "count")


def value_text(value: float, unit_code: str, lang: str = "nb") -> str:
    """A table value in its unit's convention: years without a thousands separator, whole units
    (årsverk, persons, counts) without decimals."""
    return number(value, 0 if unit_code in WHOLE_UNITS else None, lang, group=unit_code != "year")


def quantity(value: float, unit_code: str, decimals: int | None = None, lang: str = "nb") -> str:
    """A number with its unit: ``quantity(13.6, "NOK bn") == "13,6 mrd. kr"``; percent as "57 %"."""
    if unit_code == "percent":
        return f"{number(value, decimals, lang)}\u00a0%"
    return f"{number(value, decimals, lang)}\u00a0{unit(unit_code, lang)}"


def tick_formatter(lang: str = "nb", decimals: int | None = None):
    """A matplotlib tick formatter writing numbers in the report language."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: number(x, decimals, lang))
