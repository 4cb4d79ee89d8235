"""The command line: `python -m cjm report|demo ...` (DESIGN.md section 9)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cjm.errors import CJMError

def _window(text: str) -> str:
    """--window: a duration cjm accepts, checked before any file is read."""
    from cjm.journey.funnel.params import parse_window

    try:
        parse_window(text)
    except CJMError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _k(text: str) -> int:
    from cjm.customers.segments import MAX_K

    try:
        k = int(text)
    except ValueError:
        k = None
    if k is None or not 2 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(
            f"k (number of segments): expected a whole number from 2 to {MAX_K}, found {text!r}. Leave --k out "
            "to let cjm choose it.")
    return k


def _steps(text: str) -> tuple[str, ...]:
    steps = tuple(s.strip() for s in text.split(","))
    if len(steps) < 2 or not all(steps):
        raise argparse.ArgumentTypeError(
            f"steps: expected two or more stages or events separated by commas (for example "
            f"'awareness,conversion'), found {text!r}.")
    return steps


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, found {text!r}.")
    return value


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
    report.add_argument("--steps", type=_steps, help="funnel steps, comma-separated stages or events")
    report.add_argument("--window", type=_window, default="7d", help="conversion window, e.g. 30m, 12h, 7d")
    report.add_argument("--mode", default="ordered", choices=["ordered", "strict", "any"])
    report.add_argument("--k", type=_k, help="number of segments (default: chosen by silhouette)")
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
    demo.add_argument("--customers", type=_positive, default=3000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="data")
    args = parser.parse_args(argv)
    try:
        return {"report": _report, "map": _map, "demo": _demo}[args.command](args)
    except CJMError as exc:
        print(f"cjm: {exc}", file=sys.stderr)
        return 2
    except (MemoryError, RecursionError) as exc:
        print(f"cjm: the input is too big or too deeply nested to analyse here ({type(exc).__name__}). Split it "
              "into smaller files, or lower the limits (see 'Limits' in the README).", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: say so plainly; CJM_DEBUG=1 shows the traceback
        if os.environ.get("CJM_DEBUG"):
            raise
        print(f"cjm: the report could not be finished because of an error inside cjm ({type(exc).__name__}: "
              f"{str(exc)[:200]}). This is a bug, not a problem with your file's format; please report it with "
              "the command you ran (set CJM_DEBUG=1 to see the details).", file=sys.stderr)
        return 1


def _check_out(out) -> None:
    """--out must be a file in an existing folder; checked before the (long) analysis runs."""
    if out is None:
        return
    path = Path(out)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CJMError(f"--out {out!r} is a folder; give a file name inside it, e.g. {str(path / 'report.json')!r}.")
    if not folder.is_dir():
        raise CJMError(f"--out {out!r}: the folder {str(folder)!r} does not exist. Create it first "
                       f"(mkdir -p {str(folder)!r}) or write the report somewhere else.")


def _read_mapping(path):
    """The --mapping file as a dict {"columns": {cjm column: file column}, ...}, checked."""
    from cjm.data.io import read_path_bytes

    shown = repr(str(path))
    try:
        document = json.loads(read_path_bytes(path, max_bytes=1 << 20, name=str(path)))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CJMError(f"The mapping file {shown} is not valid JSON ({type(exc).__name__}). Save one from the "
                       "Data page.") from None
    example = '{"columns": {"customer_id": "user", "timestamp": "when", "event": "what"}}'
    if not isinstance(document, dict):
        raise CJMError(f"The mapping file {shown} holds a JSON {type(document).__name__}, not an object. "
                       f"It should look like {example}.")
    columns = document.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in columns.items()):
        raise CJMError(f"The mapping file {shown} has \"columns\": {json.dumps(columns)[:80]}, not an object of "
                       f"cjm column -> file column names. It should look like {example}.")
    return document


def _report(args) -> int:
    from cjm.voice.languages import preload_language_models

    preload_language_models()  # on the other core while the analyses are imported and the inputs read
    from cjm import report
    from cjm.data.columns import ColumnMapping
    from cjm.data.dataset import SourceFile, build_dataset, parse_files
    from cjm.data.stages import StageMapping

    from cjm.data.io import check_input_path
    from cjm.engine import settle_imports

    settle_imports()  # the modules' objects are out of the garbage collector's walks while the data is read
    _check_out(args.out)
    if args.source:
        return _finish(args, _source_dataset(args))
    if not args.inputs:
        raise CJMError("Give the files to analyse (python -m cjm report events.csv), or --source URL --table NAME.")
    for path in args.inputs:
        check_input_path(path)  # a folder, a named pipe or /dev/zero gets a message, not a hang
    mapping = _read_mapping(args.mapping) if args.mapping else None
    sources = [SourceFile.from_path(p) for p in args.inputs]
    mappings = {}
    if mapping is not None:
        mappings = _mappings(mapping, [s.name for s in sources], ColumnMapping)
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

    return report.ReportOptions(steps=args.steps,
                                window=args.window, mode=args.mode, k=args.k, algorithm=args.algorithm,
                                seed=args.seed)


def _source_dataset(args):
    """--source: a database / cluster table, or Parquet/CSV files read in place (never loaded into pandas)."""
    import glob

    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_files, dataset_from_table
    from cjm.data.stages import StageMapping

    mapping = ColumnMapping.from_dict(_read_mapping(args.mapping)) if args.mapping else None
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
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CJMError(f"--out {args.out!r} cannot be written ({exc.strerror}). Check the folder exists and "
                           "that you may write there.") from None
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
    from cjm.voice.languages import preload_language_models
    from cjm.engine import settle_imports

    settle_imports()  # the modules' objects are out of the garbage collector's walks while the data is read
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
    preload_language_models()  # the map's voice cells read comments: load the models while the file is read
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

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise CJMError(f"--out {args.out!r} is a file; give a folder for the demo files.")
    for path in write_demo(Path(args.out), customers=args.customers, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
