"""The claims register: verification logic (with planted failures), the CSV's provenance, the CLIs."""

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market.analysis import claims
from ehelse_market import paths
from ehelse_market.cli import main
from ehelse_market.inputs import load_inputs



SEEDS = paths.SEEDS_DIR


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


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
    base = dict(claim_id="t.c", topic="gains", locator="x", quote="q", published_value=14.0, unit="NOK bn", bound="eq",
                tolerance=0.05, reproducer="gains.example.disease_burden", expected_status="reproduced",
                explained_by=None, explanation=None, note=None)
    base.update(kw)
    return base


def status(inputs, **kw):
    return claims.verify_claims(with_claims(inputs, [claim(**kw)]))["status"].iloc[0]


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
              explained_by="gains.ambition.on_total_societal_costs", explanation="two bases")
    assert status(inputs, **ok) == claims.INCONSISTENT
    # marked inconsistent but the numbers agree: a failure, not a hiding place
    assert status(inputs, **{**ok, "reproducer": "gains.ambition.on_total_societal_costs"}) == claims.UNCONFIRMED
    # the stated reading does not give the published number either
    assert status(inputs, **{**ok, "explained_by": "gains.example.health_budget"}) == claims.UNCONFIRMED
    # no explanation
    assert status(inputs, **{**ok, "explanation": None}) == claims.UNCONFIRMED


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
    named = set(c["reproducer"]) | set(c["explained_by"].dropna())
    assert named <= set(claims.REPRODUCERS)


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
    assert "reproduced" in out and "inconsistent in the source" in out and "0 failing" in out


def test_verify_cli_csv(capsys):
    assert main(["verify", "--format", "csv"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert len(df) >= 30 and {"claim_id", "published", "recomputed", "status"} <= set(df.columns)


def test_verify_cli_fails_on_a_broken_claim(tmp_path, capsys):
    """Copy the data version, plant a wrong published number, re-freeze: verify must exit 1."""
    import shutil

    from ehelse_market.inputs import freeze

    src = load_inputs().path
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    text = (dst / "claims.csv").read_text(encoding="utf-8")
    text = text.replace("gains.example_14,gains,seed004,004_ac44b77b82f6acfa.txt:608-608,14 mrd. i gevinst for pasient/innbygger,14,",
                        "gains.example_14,gains,seed004,004_ac44b77b82f6acfa.txt:608-608,14 mrd. i gevinst for pasient/innbygger,15,")
    (dst / "claims.csv").write_text(text, encoding="utf-8")
    freeze(dst)
    assert main(["verify", str(dst)]) == 1
    assert "not reproduced" in capsys.readouterr().out


def test_project_cli_csv(capsys):
    assert main(["project", "--productivity", "0", "0.005", "0.02", "--format", "csv"]) == 0
    df = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(df.columns) == ["productivity_growth", "year", "fte", "fte_vs_basis"]
    assert len(df) == 3 * 44
    end = df[df.year == 2060].set_index("productivity_growth")
    assert end.loc[0.0, "fte_vs_basis"] == pytest.approx(147_824.3, abs=0.1)
    assert end.loc[0.005, "fte"] == pytest.approx(618_000)
    assert end.loc[0.02, "fte"] == pytest.approx(326_829.9, abs=0.1)


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

    for status in (claims.REPRODUCED, claims.INCONSISTENT, *claims.FAILING):
        assert all(status in labels.catalogue(lang)["categories"] for lang in labels.LANGS), status
        assert labels.label(status, "nb") != status
