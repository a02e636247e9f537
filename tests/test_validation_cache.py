"""The loader's validation cache: a hit gives the same typed frames as a full validation, without
pandera; anything but an exact, well-formed entry for the same files and code validates in full."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market import paths
from ehelse_market.errors import DataError
from ehelse_market.inputs import loader

VERSIONS = sorted(p.name for p in paths.DATA_DIR.iterdir() if (p / loader.MANIFEST).is_file())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own; the in-process memo cleared before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(loader.NO_CACHE_ENV, raising=False)
    loader._load_cached.cache_clear()
    yield tmp_path / "xdg" / "ehelse-market"
    loader._load_cached.cache_clear()


def load(version: str | None = None, data_dir: Path | None = None) -> loader.Inputs:
    """A load as a new process would do it (the in-process memo cleared)."""
    loader._load_cached.cache_clear()
    return loader.load_inputs(version, data_dir)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("validated-*.json")) if cache.is_dir() else []


def assert_same(a: loader.Inputs, b: loader.Inputs) -> None:
    """Frame by frame: values, columns and their order, dtypes, index."""
    assert (a.version, a.file_hashes) == (b.version, b.file_hashes)
    pd.testing.assert_frame_equal(a.values, b.values, check_exact=True)
    pd.testing.assert_frame_equal(a.sources, b.sources, check_exact=True)
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True, obj=name)
        assert list(a.tables[name].dtypes.astype(str)) == list(b.tables[name].dtypes.astype(str))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_hit_gives_the_validated_frames(cache, version, monkeypatch):
    full = load(version)  # validates in full and writes the verdict
    assert len(entries(cache)) == 1
    monkeypatch.setattr(loader, "validate_table", lambda *a: pytest.fail("validated again despite the verdict"))
    assert_same(full, load(version))


def test_a_hit_does_not_import_pandera(cache):
    code = ("import sys; from ehelse_market.inputs import load_inputs; load_inputs(); "
            "print('pandera' in sys.modules, 'ehelse_market.inputs.schemas' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert first == ["True", "True"]  # the first load validates
    assert second == ["False", "False"]  # the second reads the verdict


@pytest.mark.parametrize(
    "spoil",
    [
        lambda e: "{not json",
        lambda e: json.dumps({**e, "key": "0" * 64}),  # an entry copied from another key
        lambda e: json.dumps({**e, "format": 0}),
        lambda e: json.dumps({**e, "tables": {n: {**t, "columns": [[c, "category"] for c, _ in t["columns"]]} for n, t in e["tables"].items()}}),
        lambda e: json.dumps({**e, "tables": {n: {**t, "columns": t["columns"][::-1]} for n, t in e["tables"].items()}}),
        lambda e: json.dumps({**e, "tables": {n: {**t, "bool": "approx"} for n, t in e["tables"].items()}}),
        lambda e: json.dumps({**e, "tables": {n: t for n, t in list(e["tables"].items())[1:]}}),
        lambda e: json.dumps({**e, "tables": {n: {**t, "columns": [[c, "float64"] for c, _ in t["columns"]]} for n, t in e["tables"].items()}}),
        lambda e: json.dumps([e]),
    ],
    ids=["not-json", "other-key", "other-format", "foreign-dtype", "other-order", "bad-bool", "table-missing", "uncastable", "not-an-object"],
)
def test_a_spoilt_entry_is_ignored_and_replaced(cache, spoil, monkeypatch):
    full = load()
    (path,) = entries(cache)
    path.write_text(spoil(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    calls = []
    real = loader.validate_table
    monkeypatch.setattr(loader, "validate_table", lambda *a: calls.append(a[0]) or real(*a))
    assert_same(full, load())
    assert calls, "the spoilt entry was trusted"
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == path.stem.removeprefix("validated-")  # written anew


def test_a_link_in_place_of_an_entry_is_not_followed(cache, tmp_path, monkeypatch):
    load()
    (path,) = entries(cache)
    target = tmp_path / "elsewhere.json"
    shutil.move(path, target)
    path.symlink_to(target)
    calls = []
    real = loader.validate_table
    monkeypatch.setattr(loader, "validate_table", lambda *a: calls.append(a[0]) or real(*a))
    load()
    assert calls


def test_edited_data_is_validated_in_full(cache, data_copy):
    vdir = loader.resolve_version_dir(None, data_copy)
    load(data_dir=data_copy)
    assert len(entries(cache)) == 1
    market = vdir / "market.csv"
    lines = market.read_text(encoding="utf-8").splitlines(keepends=True)
    market.write_text(lines[0] + lines[1].replace(",NOK bn,", ",NOK zillion,", 1) + "".join(lines[2:]), encoding="utf-8")
    loader.freeze(vdir)  # the manifest matches the edit: only validation can catch it
    with pytest.raises(DataError, match="unit must be one of"):
        load(data_dir=data_copy)
    assert len(entries(cache)) == 1  # a failing version leaves no verdict


def test_off_by_environment(cache, monkeypatch):
    monkeypatch.setenv(loader.NO_CACHE_ENV, "1")
    load()
    assert loader.cache_dir() is None and entries(cache) == []


def test_never_written_into_the_data_folder(data_copy, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(data_copy / "cache"))
    load(data_dir=data_copy)
    assert not (data_copy / "cache").exists()
    loader._load_cached.cache_clear()


def test_old_entries_are_pruned(cache):
    cache.mkdir(parents=True)
    for i in range(loader.CACHE_ENTRIES + 5):
        (cache / f"validated-{i:064x}.json").write_text("{}", encoding="utf-8")
        os.utime(cache / f"validated-{i:064x}.json", ns=(i * 10**9, i * 10**9))
    load()
    assert len(entries(cache)) == loader.CACHE_ENTRIES
    assert not (cache / f"validated-{0:064x}.json").exists()
