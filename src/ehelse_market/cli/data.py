"""``ehelse-market validate [DATA_DIR]`` and ``ehelse-market data freeze | package | diff``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ehelse_market import inputs, paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a data folder: hashes, schemas, group rules (every failure at once)")
    p.add_argument("data_dir", nargs="?", type=Path, help="data root (with versions.csv) or one version folder; default: bundled data/")
    p.add_argument("--version", dest="data_version", help="version to check under a data root (default: every version listed)")
    p.set_defaults(func=validate)

    d = sub.add_parser("data", help="manage data versions")
    dsub = d.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    f = dsub.add_parser("freeze", help="write manifest.json (sha256 of every file) and datapackage.json for a draft version folder")
    f.add_argument("version_dir", type=Path)
    f.set_defaults(func=freeze)
    k = dsub.add_parser("package", help="(re)write datapackage.json (Frictionless Data Package) for version folders, released ones included")
    k.add_argument("version_dirs", type=Path, nargs="*", metavar="VERSION_DIR", help="version folders (default: every version of the bundled data/)")
    k.set_defaults(func=package)
    c = dsub.add_parser("diff", help="values changed, added and removed between two data versions, and the claims, figures and reports that read them")
    c.add_argument("old", help="old version: a name under the data root or a version folder")
    c.add_argument("new", help="new version: a name under the data root or a version folder")
    c.add_argument("--data", dest="data_dir", type=Path, default=None, help="data root holding the versions (default: bundled data/)")
    c.add_argument("--format", choices=("text", "csv"), default="text", help="text (default) or csv (one row per changed value)")
    c.set_defaults(func=diff)


def _version_dirs(root: Path, version: str | None) -> list[Path]:
    if version is not None or (root / inputs.MANIFEST).exists() and not (root / inputs.VERSIONS).exists():
        return [inputs.resolve_version_dir(version, root)]
    listed = inputs.read_versions(root)["version"].tolist()
    if not listed:
        return [inputs.resolve_version_dir(None, root)]
    return [inputs.resolve_version_dir(v, root) for v in listed]


def validate(args: argparse.Namespace) -> int:
    root = args.data_dir if args.data_dir is not None else paths.DATA_DIR
    status = 0
    for vdir in _version_dirs(root, args.data_version):
        loaded, failures = inputs.check_version(vdir)
        if failures or loaded is None:
            status = 1
            print(f"{vdir}: {len(failures)} problem(s)")
            print(inputs.format_failures(failures))
        else:
            n_files = len(loaded.file_hashes)
            print(f"{vdir}: ok ({n_files} files, {len(loaded.values)} values, {len(loaded.sources)} sources; hashes verified)")
    return status


def freeze(args: argparse.Namespace) -> int:
    import os

    from ehelse_market.errors import UserError

    vdir = args.version_dir
    if vdir.is_symlink() or not vdir.is_dir():
        raise UserError(f"{vdir} is not a data version folder (a folder of CSV files inside a data root)")
    if not os.access(vdir, os.W_OK | os.X_OK):
        raise UserError(f"cannot write {vdir / inputs.MANIFEST}: the folder {vdir} is not writable")
    from ehelse_market.inputs import datapackage

    manifest = inputs.freeze(args.version_dir)
    print(f"wrote {args.version_dir / inputs.MANIFEST} ({len(manifest['files'])} files)")
    print(f"wrote {datapackage.write_datapackage(args.version_dir)}")
    return 0


def package(args: argparse.Namespace) -> int:
    """Write datapackage.json beside the CSVs and manifest, which it does not change."""
    from ehelse_market.inputs import datapackage

    for vdir in args.version_dirs or _version_dirs(paths.DATA_DIR, None):
        print(f"wrote {datapackage.write_datapackage(vdir)}")
    return 0


def _load(name: str, root: Path | None) -> inputs.Inputs:
    """A version by folder path or by name under the data root."""
    as_path = Path(name)
    if (as_path / inputs.MANIFEST).exists():
        return inputs.load_inputs(None, as_path)
    return inputs.load_inputs(name, root)


def diff(args: argparse.Namespace) -> int:
    import sys

    from ehelse_market.publishing import diff as datadiff

    old, new = _load(args.old, args.data_dir), _load(args.new, args.data_dir)
    values, tables = datadiff.diff(old, new)
    if args.format == "csv":
        values.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(datadiff.format_diff(old, new, values, tables))
    return 0
