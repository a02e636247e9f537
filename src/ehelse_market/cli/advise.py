"""``ehelse-market advise CASE.yaml [--lang nb|en] [--out FILE]``: make, ally or buy.

Prints the decision and writes a one-page decision record as HTML *and* Markdown. ``--out``
names one of the pair and the other gets the same name with the other suffix: ``rec.html`` also
writes ``rec.md``, ``rec.md`` also writes ``rec.html``, ``rec`` writes ``rec.html`` and
``rec.md``. Without ``--out`` the pair goes to ``reports/decisions/<case file stem>.html|.md``.
Both texts are rendered before anything is written, and each file is written to a temporary file
and then moved into place, so a failure never leaves a half-written record over a good one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ehelse_market import paths
from ehelse_market.domain import sourcing
from ehelse_market.errors import UserError
from ehelse_market.files import atomic_write, sha256_file
from ehelse_market.inputs import cases, load_inputs
from ehelse_market.publishing import decision_record, labels

SUFFIXES = (".html", ".md")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "advise",
        help="make, ally or buy: tally a case's eight factors (seed 002), apply the contract rule (seed 000), write a decision record",
        description=__doc__.split("\n\n", 1)[1].replace("``", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("case", type=Path, help="case YAML file: each factor (spesifisitet, usikkerhet, ...) -> anskaffe | utvikle | samskape")
    p.add_argument("--lang", choices=labels.LANGS, default="nb", help="language of the output (default nb)")
    p.add_argument("--out", type=Path, help="decision record file, .html or .md; the other format is written beside it")
    p.add_argument("--data-version", dest="data_version", help="data version to use (default: the newest)")
    p.set_defaults(func=run)


def record_paths(out: Path | None, case: Path) -> tuple[Path, Path]:
    """(html, md) paths for ``--out`` (see the module docstring for the rule)."""
    if out is None:
        base = paths.REPORTS_DIR / "decisions" / case.stem
    elif out.is_dir() or (out.exists() and not out.is_file()):
        raise UserError(f"--out {out} is a folder or a device, not a file name: give e.g. --out {out / 'record.html'}"
                        if out.is_dir() else f"--out {out} is not a regular file: give a file name ending in .html or .md")
    elif out.suffix.lower() in SUFFIXES:
        base = out.with_suffix("")
    elif out.suffix == "":
        base = out
    else:
        raise UserError(f"--out {out}: the record file must end in .html or .md (or have no suffix); both formats are written")
    return base.with_name(base.name + ".html"), base.with_name(base.name + ".md")


def write_records(files: dict[Path, str]) -> None:
    """Write each record through :func:`report.atomic_write` (temporary file + rename); both texts
    are rendered before either file is touched."""
    try:
        for path, text in files.items():
            atomic_write(path, text)
    except OSError as exc:
        raise UserError(f"cannot write the decision record: {exc.strerror} ({exc.filename})") from None


#: Text every decision record holds (its provenance line): an existing --out file is replaced only
#: if it holds it, i.e. was written here.
RECORD_MARK = b"ehelse-market"


def run(args: argparse.Namespace) -> int:
    from ehelse_market.cli.options import input_file, output_file

    html_path, md_path = record_paths(args.out, args.case)
    input_file(args.case, "case file")  # before any work: readable text, writable records
    if args.out is None:  # the default place is inside the reports folder, which the build owns
        from ehelse_market.files import claim_output_folder
        from ehelse_market.publishing.report import made_by_builder

        claim_output_folder(paths.REPORTS_DIR, made_by_builder, "reports folder")
        html_path.parent.mkdir(exist_ok=True)
    for path in (html_path, md_path):
        output_file(path, "decision record", made_by=RECORD_MARK, head=1 << 20)
    inputs = load_inputs(args.data_version)
    case = cases.load_case(args.case, inputs)
    advice = sourcing.advise(case, inputs)
    digest = sha256_file(args.case)
    write_records(
        {
            html_path: decision_record.render_html(advice, args.lang, case_sha256=digest),
            md_path: decision_record.render_markdown(advice, args.lang, case_sha256=digest),
        }
    )
    sys.stdout.write(decision_record.render_text(advice, args.lang))
    word = labels.lookup("decision_record", "written", args.lang)
    print(f"{word}: {html_path} {md_path}")
    return 0
