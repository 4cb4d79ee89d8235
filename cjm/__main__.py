"""The command line: `python -m cjm report|demo ...` (DESIGN.md section 9)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cjm.errors import CJMError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cjm", description="Customer-journey analytics, headless.")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="analyse exports and print one report")
    report.add_argument("inputs", nargs="*", metavar="INPUT", help="events file, then optional customers/feedback files")
    report.add_argument("--source", help="read the events where they live instead of files: a database or cluster "
                        "URL (postgresql://..., spark://local, duckdb:///file.duckdb, ...), the name of an "
                        "environment variable holding it, or Parquet/CSV files read in place; ${NAME} in a URL "
                        "is read from the environment")
    report.add_argument("--table", help="with --source URL: the table or view holding the events (schema.table)")
    report.add_argument("--customers-table", help="with --source URL: an optional table of customers (customer_id)")
    report.add_argument("--mapping", help="a column mapping JSON saved from the Data page (applies to the first input), "
                        "or {\"files\": {\"a.csv\": mapping, \"b.csv\": mapping}} for several inputs")
    report.add_argument("--stage-model", default="5", choices=["5", "7"])
    report.add_argument("--steps", help="funnel steps, comma-separated stages or events")
    report.add_argument("--window", default="7d", help="conversion window, e.g. 30m, 12h, 7d")
    report.add_argument("--mode", default="ordered", choices=["ordered", "strict", "any"])
    report.add_argument("--k", type=int, help="number of segments (default: chosen by silhouette)")
    report.add_argument("--algorithm", default="kmeans", choices=["kmeans", "gmm", "agglomerative"])
    report.add_argument("--seed", type=int, default=0)
    report.add_argument("--format", default="json", choices=["json", "html", "md", "pdf"],
                        help="json (machine-readable), md, or the board pack as one self-contained html file or a pdf")
    report.add_argument("--title", help="the board pack's title (html and pdf)")
    report.add_argument("--out", help="write here instead of standard output")
    jmap = sub.add_parser("map", help="draw a journey map and export it")
    jmap.add_argument("inputs", nargs="+", metavar="INPUT", help="events file, then optional customers/feedback files")
    jmap.add_argument("--template", default="current", choices=["current", "future", "day"])
    jmap.add_argument("--segment", help="only the customers of this segment (a 'segment' column)")
    jmap.add_argument("--targets", help='future state: JSON file {stage: {"conversion": 0.4, "sentiment": 0.2, "seconds": 86400}}')
    jmap.add_argument("--stage-model", default="5", choices=["5", "7"])
    jmap.add_argument("--window", default="7d", help="conversion window of the stage funnel, e.g. 12h, 7d")
    jmap.add_argument("--out", required=True, help="FILE.json|png|svg|pdf|html|csv")
    demo = sub.add_parser("demo", help="write the demo dataset")
    demo.add_argument("--customers", type=int, default=3000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="data")
    args = parser.parse_args(argv)
    try:
        return {"report": _report, "map": _map, "demo": _demo}[args.command](args)
    except CJMError as exc:
        print(f"cjm: {exc}", file=sys.stderr)
        return 2


def _report(args) -> int:
    from cjm import report
    from cjm.data.columns import ColumnMapping
    from cjm.data.dataset import SourceFile, build_dataset, parse_files
    from cjm.data.stages import StageMapping

    if args.source:
        return _finish(args, _source_dataset(args))
    if not args.inputs:
        raise CJMError("Give the files to analyse (python -m cjm report events.csv), or --source URL --table NAME.")
    sources = [SourceFile.from_path(p) for p in args.inputs]
    mappings = {}
    if args.mapping:
        try:
            saved = json.loads(Path(args.mapping).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise CJMError(f"The mapping file {args.mapping!r} cannot be read ({exc}). Save one from the Data page.") from None
        mappings = _mappings(saved, [s.name for s in sources], ColumnMapping)
    dataset = build_dataset(parse_files(sources, mappings=mappings), stage_mapping=StageMapping(model=args.stage_model))
    return _finish(args, dataset)


def _finish(args, dataset) -> int:
    from cjm import report

    options = _options(args)
    if args.format in ("html", "pdf"):
        return _board_pack(args, dataset, options)
    return _write(args, report.build_report(dataset, options=options))


def _options(args):
    from cjm import report

    return report.ReportOptions(steps=tuple(s.strip() for s in args.steps.split(",")) if args.steps else None,
                                window=args.window, mode=args.mode, k=args.k, algorithm=args.algorithm,
                                seed=args.seed)


def _source_dataset(args):
    """--source: a database / cluster table, or Parquet/CSV files read in place (never loaded into pandas)."""
    import glob

    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_files, dataset_from_table
    from cjm.data.stages import StageMapping

    mapping = None
    if args.mapping:
        try:
            mapping = ColumnMapping.from_dict(json.loads(Path(args.mapping).read_text()))
        except (OSError, json.JSONDecodeError) as exc:
            raise CJMError(f"The mapping file {args.mapping!r} cannot be read ({exc}). Save one from the Data page.") from None
    stages = StageMapping(model=args.stage_model)
    files = sorted(glob.glob(args.source)) if "://" not in args.source else []
    if files and not args.table:
        return dataset_from_files(files, mapping=mapping, stage_mapping=stages)
    if not args.table:
        raise CJMError("--source needs --table NAME: the table or view that holds the events.")
    backend = engine.connect(engine.resolve_url(args.source))
    print(f"cjm: reading {args.table} on {backend.label}", file=sys.stderr)
    return dataset_from_table(backend, args.table, mapping=mapping, stage_mapping=stages,
                              customers=args.customers_table)


def _write(args, result) -> int:
    from cjm import report

    text = {"json": report.to_json, "md": report.to_markdown}[args.format](result)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))
    return 0


def _mappings(saved, names: list[str], ColumnMapping) -> dict:
    """{"files": {"a.csv": {...}, "b.csv": {...}}} maps each file by name; a single mapping applies to the
    first input (the format saved from the Data page)."""
    if not isinstance(saved, dict):
        raise CJMError("The mapping file must hold a JSON object: one mapping, or {\"files\": {name: mapping}}.")
    if "files" not in saved:
        return {names[0]: ColumnMapping.from_dict(saved)}
    files = saved["files"]
    unknown = sorted(set(files) - set(names)) if isinstance(files, dict) else None
    if unknown is None or set(saved) != {"files"}:
        raise CJMError("The mapping file's \"files\" must be an object {file name: mapping} and nothing else.")
    if unknown:
        raise CJMError(f"The mapping file names {unknown}, which are not among the inputs {names}. "
                       "Use the file names as given (without folders).")
    return {name: ColumnMapping.from_dict(mapping) for name, mapping in files.items()}


def _board_pack(args, dataset, options) -> int:
    """The board pack (html or pdf) with the funnel the options describe (the app's defaults otherwise)."""
    from dataclasses import asdict

    from cjm.report import build, pack
    from cjm.spec import DashboardSpec

    spec = DashboardSpec(title=args.title or "Customer journey report")
    spec.pages["funnel"] = {k: list(v) if isinstance(v, tuple) else v
                            for k, v in asdict(build.funnel_params(dataset, options)).items()}
    content = pack.build_pack(dataset, spec)
    if args.format == "pdf":
        data = pack.to_pdf(content)
        if args.out:
            Path(args.out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    text = pack.to_html(content)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _map(args) -> int:
    from cjm.data.dataset import load_dataset
    from cjm.data.stages import StageMapping
    from cjm.journey.funnel import parse_window
    from cjm.maps import build_current_map, build_day_map, build_future_map, compute_projection
    from cjm.maps.future import load_targets
    from cjm.maps.render import FORMATS, export

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise CJMError(f"--out must end in one of .{', .'.join(FORMATS)}; got {args.out!r}.")
    targets = None
    if args.targets:
        if args.template != "future":
            raise CJMError("--targets belongs to the future state; add --template future.")
        try:
            targets = load_targets(json.loads(Path(args.targets).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise CJMError(f"The targets file {args.targets!r} cannot be read ({exc}).") from None
    dataset = load_dataset(args.inputs, stage_mapping=StageMapping(model=args.stage_model))
    if args.template == "day":
        jm, projection = build_day_map(dataset, segment=args.segment), None
    else:
        jm = build_current_map(dataset, segment=args.segment, window_seconds=parse_window(args.window))
        projection = None
        if args.template == "future":
            jm = build_future_map(jm, targets=targets)
            projection = compute_projection(jm) if jm.baseline.get("funnel_stages") else None
    try:
        out.write_bytes(export(jm, fmt, projection=projection))
    except OSError as exc:
        raise CJMError(f"Cannot write {args.out!r} ({exc.strerror}). Choose a folder you can write to.") from None
    print(out)
    return 0


def _demo(args) -> int:
    from cjm.data.demo import write_demo

    for path in write_demo(Path(args.out), customers=args.customers, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
