"""The claims register: verification logic (with planted failures), the CSV's provenance, the CLIs."""

import dataclasses
import re

import pandas as pd
import pytest

from ehelse_market import paths
from ehelse_market.analysis import claims
from ehelse_market.cli import main
from ehelse_market.inputs import load_inputs

SEEDS = paths.SEEDS_DIR


def with_value(inputs, key, value):
    values = inputs.values.copy()
    assert (values.key == key).any(), key
    values.loc[values.key == key, "value"] = value
    return dataclasses.replace(inputs, values=values)


def with_claims(inputs, rows):
    tables = dict(inputs.tables)
    tables["claims"] = pd.DataFrame(rows)
    return dataclasses.replace(inputs, tables=tables)


def claim(**kw):
    base = dict(claim_id="t.c", topic="gains", kind="arithmetic", source_id="seed004", locator="x", quote="q", published_value=14.0,
                unit="NOK bn", bound="eq", tolerance=0.05, reproducer="gains.example.disease_burden",
                inputs="gains.base.disease_burden gains.example_rate", expected_status="reproduced", explained_by=None,
                counter_source_id=None, counter_locator=None, explanation_nb="nb", explanation_en="en", note=None)
    base.update(kw)
    return base


def status(data, **kw):
    return claims.verify_claims(with_claims(data, [claim(**kw)]))["status"].iloc[0]


def test_reproduced_and_not_reproduced(inputs):
    assert status(inputs) == claims.REPRODUCED
    assert status(inputs, published_value=15.0) == claims.NOT_REPRODUCED


def test_changed_input_breaks_a_backtest(inputs):
    """A planted error in the data (1400 -> 1500 bn) makes the 14 bn claim fail."""
    bad = with_value(inputs, "gains.base.disease_burden", 1500.0)
    t = claims.verify_claims(bad).set_index("claim_id")
    assert t.loc["gains.example_14", "status"] == claims.NOT_REPRODUCED
    bad = with_value(inputs, "workforce.ssb_reference.2060", 700_000.0)
    t = claims.verify_claims(bad).set_index("claim_id")
    assert t.loc["workforce.extra_fte_150000", "status"] == claims.NOT_REPRODUCED


def test_inconsistent_must_show_the_discrepancy(inputs):
    ok = dict(published_value=20.0, tolerance=0.5, reproducer="gains.ambition.on_disease_burden", expected_status="inconsistent",
              explained_by="gains.ambition.on_total_societal_costs", explanation_en="two bases",
              counter_source_id="seed004", counter_locator="004_ac44b77b82f6acfa.txt:598-600")
    assert status(inputs, **ok) == claims.INCONSISTENT
    # marked inconsistent but the numbers agree: a failure, not a hiding place
    assert status(inputs, **{**ok, "reproducer": "gains.ambition.on_total_societal_costs"}) == claims.UNCONFIRMED
    # the stated reading does not give the published number either
    assert status(inputs, **{**ok, "explained_by": "gains.example.health_budget"}) == claims.UNCONFIRMED


def test_contradiction_needs_an_external_source_among_the_inputs(inputs):
    ok = dict(kind="external", published_value=2027.0, tolerance=0.0, unit="year", reproducer="workforce.record_cohort_turns_80",
              inputs="workforce.ssb.record_birth_cohort.1946", expected_status="contradicted",
              counter_source_id="ssb_gledesbarn", counter_locator="article text")
    assert status(inputs, **ok) == claims.CONTRADICTED
    # the numbers agree: nothing is contradicted
    assert status(inputs, **{**ok, "published_value": 2026.0}) == claims.UNCONFIRMED
    # a source that is not in the registry, a seed, or one the recomputation does not read
    assert status(inputs, **{**ok, "counter_source_id": "nobody_2020"}) == claims.UNCONFIRMED
    assert status(inputs, **{**ok, "counter_source_id": "seed004"}) == claims.UNCONFIRMED
    assert status(inputs, **{**ok, "counter_source_id": "ssb_rapporter_2019_12"}) == claims.UNCONFIRMED


def test_not_checkable_is_not_recomputed(inputs):
    t = claims.verify_claims(with_claims(inputs, [claim(expected_status="not_checkable", reproducer=None, inputs=None)]))
    assert t["status"].iloc[0] == claims.NOT_CHECKABLE and t["recomputed"].isna().all()


def test_generic_reproducers_read_exactly_their_inputs(inputs):
    assert status(inputs, reproducer="value", inputs="gains.example.disease_burden") == claims.REPRODUCED
    assert status(inputs, reproducer="value", inputs="gains.base.disease_burden gains.example_rate") == claims.ERROR
    assert status(inputs, reproducer="sum", inputs="gains.example.disease_burden") == claims.ERROR
    assert status(inputs, reproducer="value", inputs="no.such_key") == claims.ERROR


def test_unknown_or_failing_reproducer_is_an_error(inputs):
    assert status(inputs, reproducer="no.such.thing") == claims.ERROR
    broken = dataclasses.replace(inputs, values=inputs.values[inputs.values.key != "gains.base.health_budget"])
    t = claims.verify_claims(broken).set_index("claim_id")
    assert t.loc["gains.example_3_4", "status"] == claims.ERROR


@pytest.mark.parametrize("bound, published, expected", [("lower", 13.0, claims.REPRODUCED), ("lower", 15.0, claims.NOT_REPRODUCED),
                                                        ("upper", 15.0, claims.REPRODUCED), ("upper", 13.0, claims.NOT_REPRODUCED)])
def test_bounds(inputs, bound, published, expected):
    assert status(inputs, bound=bound, published_value=published, tolerance=0.0) == expected


def test_every_reproducer_in_the_register_exists(inputs):
    c = inputs.table("claims")
    named = set(c["reproducer"].dropna()) | set(c["explained_by"].dropna())
    assert named <= set(claims.REPRODUCERS)


def test_every_input_key_is_in_the_data(inputs):
    keys = set(inputs.values["key"])
    for c in inputs.table("claims").itertuples(index=False):
        missing = set(claims.input_keys(c.inputs)) - keys
        assert not missing, f"{c.claim_id}: {missing}"


def test_register_kinds_and_statuses(inputs):
    t = claims.verify_claims(inputs)
    recomputed = t[t["status"] != claims.NOT_CHECKABLE]
    assert len(recomputed) >= 45
    assert set(t["kind"]) == set(claims.KINDS)
    assert {claims.REPRODUCED, claims.INCONSISTENT, claims.CONTRADICTED, claims.NOT_CHECKABLE} <= set(t["status"])
    # the five circular claims of the first register are gone or rebuilt
    ids = set(t["claim_id"])
    assert not {"market.total_13_6", "contracts.figure3_two_switch_points", "contracts.four_generic_forms"} & ids
    rebuilt = t.set_index("claim_id").loc[["market.summary_total_13_6", "contracts.in_house_half"]]
    assert (rebuilt["kind"] == "restatement").all()


def test_counter_sources_are_registered(inputs):
    c = inputs.table("claims")
    cited = c.dropna(subset=["counter_source_id"])
    assert set(cited["counter_source_id"]) <= set(inputs.sources["source_id"])
    ext = cited[cited["expected_status"] == "contradicted"]
    assert (inputs.sources.set_index("source_id").loc[ext["counter_source_id"], "kind"] == "external").all()


def _overlap(a: str, b: str) -> bool:
    ma = re.match(r"^(\S+):(\d+)-(\d+)$", a)
    mb = re.match(r"^(\S+):(\d+)-(\d+)$", b)
    if not (ma and mb):
        return a == b
    return ma.group(1) == mb.group(1) and int(ma.group(2)) <= int(mb.group(3)) and int(mb.group(2)) <= int(ma.group(3))


def test_bounds_read_the_same_way_in_every_table(inputs):
    """A claim and the data row transcribing the same statement ('opp mot', 'nesten', 'over') agree on the bound."""
    v = inputs.values
    checked = 0
    for c in inputs.table("claims").itertuples(index=False):
        same = v[(v["source_id"] == c.source_id) & (v["value"] == c.published_value)]
        for _, row in same.iterrows():
            if _overlap(c.locator, row["locator"]):
                assert row["bound"] == c.bound, f"{c.claim_id} reads '{c.quote}' as {c.bound}, {row['key']} as {row['bound']}"
                checked += 1
    assert checked >= 10


def _fold(text):
    text = re.sub(r"-\s*\n\s*", "", text)  # hyphenation across lines
    return re.sub(r"\s+", " ", text).strip()


def test_claim_quotes_are_in_their_seed_lines(inputs):
    c = inputs.table("claims")
    checked = 0
    for r in c.itertuples(index=False):
        m = re.match(r"^(\d{3}_[0-9a-f]{16}\.txt):(\d+)-(\d+)$", r.locator)
        if not m:
            continue
        lines = (SEEDS / m.group(1)).read_text(encoding="utf-8").splitlines()
        text = _fold("\n".join(lines[int(m.group(2)) - 1 : int(m.group(3))]))
        assert _fold(r.quote) in text, f"{r.claim_id}: quote not in {r.locator}"
        checked += 1
    assert checked >= 25


def test_claim_sources_registered(inputs):
    assert set(inputs.table("claims")["source_id"]) <= set(inputs.sources["source_id"])


# --------------------------------------------------------------------------- command line


def test_verify_cli(capsys):
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "reproduced" in out and "inconsistent within the source" in out and "contradicted by an external source" in out
    assert "0 failing" in out


def test_verify_cli_csv(capsys):
    assert main(["verify", "--format", "csv"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(df.columns[:8]) == ["claim", "kind", "status", "published", "recomputed", "unit", "bound", "inputs"]
    assert len(df) >= 45
    row = df.set_index("claim").loc["informants.forord_total_88"]
    assert row["inputs"].split() == [f"informants.forord.{p}" for p in ("business", "health_care", "research", "interest_orgs", "individuals")]


def test_verify_cli_fails_on_a_broken_claim(tmp_path, capsys):
    """Copy the data version, plant a wrong published number, re-freeze: verify must exit 1."""
    import shutil

    from ehelse_market.inputs import freeze

    src = load_inputs().path
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    text = (dst / "claims.csv").read_text(encoding="utf-8")
    planted = text.replace(",14 mrd. i gevinst for pasient/innbygger,14,", ",14 mrd. i gevinst for pasient/innbygger,15,")
    assert planted != text
    text = planted
    (dst / "claims.csv").write_text(text, encoding="utf-8")
    freeze(dst)
    assert main(["verify", str(dst)]) == 1
    assert "not reproduced" in capsys.readouterr().out


def test_verify_names_a_register_from_before_kinds(capsys):
    """Data 2026-11-22 still loads; verifying its register (no kinds, no inputs) is refused in one line."""
    assert main(["verify", "--version", "2026-11-22"]) != 0
    err = capsys.readouterr().err
    assert "2026-11-22" in err and "2026-11-28" in err and "Traceback" not in err


def test_project_cli_csv(capsys):
    assert main(["project", "--productivity", "0", "0.005", "0.02", "--format", "csv"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(df.columns) == ["scenario", "variable", "segment", "unit", "year", "value", "productivity_growth"]
    assert len(df) == 3 * 44 * 2
    end = df[df.year == 2060].pivot(index="productivity_growth", columns="variable", values="value")
    assert end.loc[0.0, "fte_vs_basis"] == pytest.approx(147_824.3, abs=0.1)
    assert end.loc[0.005, "fte_demand"] == pytest.approx(618_000)
    assert end.loc[0.02, "fte_demand"] == pytest.approx(326_829.9, abs=0.1)


@pytest.mark.parametrize("arg", ["2%", "abc"])
def test_project_cli_bad_growth(arg, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["project", "--productivity", arg])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--productivity" in err and "0.02" in err and "Traceback" not in err


@pytest.mark.parametrize("arg", ["-1", "-1.5", "1e308", "nan", "inf"])
def test_project_cli_growth_out_of_range(arg, capsys):
    """A number out of range is refused by the Scenario's bound (tests/test_scenario_files.py pins the words)."""
    assert main(["project", "--productivity", arg]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: parameter 'productivity_growth' = ") and "from -0.05 to 0.1" in err and "Traceback" not in err


def test_project_cli_bad_year(capsys):
    assert main(["project", "-g", "0.01", "--to", "2070"]) == 1
    assert "2060" in capsys.readouterr().err


def test_every_claim_status_has_a_label_in_both_languages():
    """A failing status must read as a word in the report, not fall through as a code."""
    from ehelse_market.publishing import labels

    for code in (*claims.STATUSES, *claims.KINDS):
        assert all(code in labels.catalogue(lang)["categories"] for lang in labels.LANGS), code
        assert labels.label(code, "nb") != code, code


# --------------------------------------------------------------------------- coverage document

_NUMBER_WORDS = ("én", "to", "tre", "fire", "fem", "seks", "syv", "sju", "åtte", "ni", "ti", "elleve", "tolv", "tjue", "tretti",
                 "hundre", "tusen", "halvparten", "dobling", "doblet", "fordobling", "tredjedel", "fjerdedel", "tredje", "åttende")
_NUMERIC = re.compile(r"\d|(?<![\wæøåÆØÅ-])(" + "|".join(_NUMBER_WORDS) + r")(?![\wæøåÆØÅ-])", re.I)


def test_coverage_lists_every_numeric_line_and_claim(inputs):
    """docs/claims-coverage.md accounts for every line of the seeds holding a digit or a number word,
    and names every claim of the register."""
    doc = (paths.ROOT / "docs" / "claims-coverage.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", doc, flags=re.M)
    for seed in sorted(SEEDS.glob("*.txt")):
        section = next((s for s in sections if s.startswith("Seed") and f"`{seed.name}`" in s), None)
        assert section is not None, f"no section for {seed.name}"
        covered = set()
        for a, b in re.findall(r"^\| (\d+)(?:-(\d+))? \|", section, flags=re.M):
            covered |= set(range(int(a), int(b or a) + 1))
        lines = seed.read_text(encoding="utf-8").splitlines()
        missing = [n for n, line in enumerate(lines, 1) if _NUMERIC.search(line) and n not in covered]
        assert not missing, f"{seed.name}: numeric lines not in the coverage document: {missing[:20]}"
    named = set(re.findall(r"`([a-z_]+(?:\.[a-z0-9_]+)+)`", doc))
    absent = set(inputs.table("claims")["claim_id"]) - named
    assert not absent, f"claims not in the coverage document: {sorted(absent)}"
