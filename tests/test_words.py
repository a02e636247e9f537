"""The reader-word catalogues: one per language, the same keys and fields in each, every code covered."""

from __future__ import annotations

import string

import pytest

from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.schemas import UNITS
from ehelse_market.publishing import labels


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", labels.LANGS)
def test_every_key_in_every_language(lang):
    """A key present in any catalogue must be in this one, non-empty, with the same {fields}."""
    missing = []
    for other in labels.LANGS:
        for section, words in labels.catalogue(other).items():
            mine = labels.catalogue(lang)[section]
            for key, text in words.items():
                if not mine.get(key, "").strip():
                    missing.append(f"{section}.{key} has no {lang} text (words/{lang}.yaml)")
                elif fields(mine[key]) != fields(text):
                    missing.append(f"{section}.{key}: fields {sorted(fields(mine[key]))} in {lang}, {sorted(fields(text))} in {other}")
    assert not missing, "\n".join(sorted(set(missing)))


@pytest.mark.parametrize("lang", labels.LANGS)
def test_every_unit_and_data_code_has_a_word(lang):
    """Units and the segment codes of the value tables are shown to readers: each needs a word."""
    inputs = load_inputs()
    codes = set(inputs.values["segment"].dropna()) - {""}
    missing = sorted(f"categories.{c}" for c in codes if c not in labels.catalogue(lang)["categories"])
    missing += sorted(f"units.{u}" for u in UNITS if u not in labels.catalogue(lang)["units"])
    assert not missing, f"no {lang} word for: " + ", ".join(missing)


def test_missing_fixed_word_names_key_and_language():
    with pytest.raises(KeyError, match="no en word for 'no_such_word'.*words/en.yaml"):
        labels.word("no_such_word", "en")


@pytest.mark.parametrize(
    ("value", "kw", "nb", "en"),
    [
        (13.6, {}, "13,6", "13.6"),
        (150000, {}, "150\u00a0000", "150,000"),
        (-147824.28, {"decimals": 0}, "\u2212147\u00a0824", "\u2212147,824"),
        (0.015, {}, "0,015", "0.015"),
        (2017, {"group": False}, "2017", "2017"),
        (-0.0001, {"decimals": 2}, "0,00", "0.00"),
    ],
)
def test_numbers_use_the_locale(value, kw, nb, en):
    assert labels.number(value, lang="nb", **kw) == nb
    assert labels.number(value, lang="en", **kw) == en


def test_percent_follows_the_locale():
    assert labels.quantity(57, "percent", lang="nb") == "57\u00a0%"
    assert labels.quantity(57, "percent", lang="en") == "57%"


def _texts_in(node, lang):
    """Every text under a ``lang`` key of a chapter's YAML (titles, captions, alt text, words)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield value
            else:
                yield from _texts_in(value, lang)
    elif isinstance(node, list):
        for value in node:
            yield from _texts_in(value, lang)


def test_english_names_statistics_norway_as_its_citation_does():
    """English prose cites "Statistics Norway (2019)"; a legend, caption, parameter or table word
    saying "SSB's" names the same publisher twice over. Norwegian keeps "SSB", as its prose does."""
    import yaml

    name = labels.publisher("Statistisk sentralbyrå", "en")
    assert name == "Statistics Norway"
    texts = [t for section in labels.catalogue("en").values() for t in section.values()]
    for path in sorted((labels.WORDS_DIR.parent / "chapters").glob("*.yaml")):
        texts += list(_texts_in(yaml.safe_load(path.read_text(encoding="utf-8")), "en"))
    assert len(texts) > 300
    assert [t for t in texts if "SSB" in t] == []
    assert labels.label("fte_demand_reference", "en") == f"{name}'s reference path"
