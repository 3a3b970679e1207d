"""The `wavecompare` command line: run the pipeline, serve it on a schedule,
query the warehouse read-only, prune earlier runs, or list an export's codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from pathlib import Path

from wavecompare.layout import CURRENT, DEFAULT_OUT_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE

EXIT_OK, EXIT_INPUT = 0, 1
EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the warehouse; try again later


def _study_paths(command: argparse.ArgumentParser, out_help: str = "output folder (default: %(default)s)") -> None:
    command.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR, help="the study folder (default: %(default)s)")
    command.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    command.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help=out_help)


RELEASE_OPTIONS = ("min_group", "min_unanimous_group", "min_cell", "small_base", "min_test_base", "quotes_per_group")


def _whole(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    from wavecompare.prefect_server import DEFAULT_PORT
    from wavecompare.retention import DEFAULT_KEEP_RUNS

    parser = argparse.ArgumentParser(prog="wavecompare", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load a study, check it and publish the comparison tables")
    _study_paths(run)
    run.add_argument(
        "--full-refresh", action="store_true", help="rebuild everything even when the inputs have not changed"
    )
    run.add_argument("--keep-runs", type=_whole, metavar="N", default=DEFAULT_KEEP_RUNS,
                     help="published run folders to keep, the current one included (default: %(default)s)")
    release = run.add_argument_group("release settings (the files for report writers under OUT_DIR/release/)")
    release.add_argument("--min-group", type=_whole, metavar="K",
                         help="publish no answers for a group of fewer interviews; merge or leave it out (default: 3)")
    release.add_argument("--min-unanimous-group", type=_whole, metavar="G",
                         help="never show a group of fewer interviews answering unanimously (default: 5)")
    release.add_argument("--min-cell", type=_whole, metavar="N",
                         help="also withhold answer counts of 1 to N-1 (default: 1, off)")
    release.add_argument("--small-base", type=_whole, metavar="N",
                         help="flag waves and groups of fewer interviews as small bases (default: 30)")
    release.add_argument("--min-test-base", type=_whole, metavar="N",
                         help="test a change only where both bases reach N (default: 10)")
    release.add_argument("--quotes-per-group", type=_whole, metavar="N",
                         help="quote bank: keep N excerpts per code, wave and attribution (default: 3)")
    validate = commands.add_parser("validate", help="check a study without publishing anything")
    _study_paths(validate, out_help="the validation report goes under OUT_DIR/validation/")
    serve = commands.add_parser("serve", help="run the flow on a schedule, served by a Prefect server")
    _study_paths(serve)
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='a cron schedule, e.g. "0 6 * * *" (06:00 every day)')
    when.add_argument("--interval", type=float, help="run every SECONDS seconds")
    serve.add_argument("--name", default="scheduled", help="the deployment's name (default: %(default)s)")
    serve.add_argument(
        "--server-port", type=int, default=DEFAULT_PORT,
        help="port of the local Prefect server started when PREFECT_API_URL is not set (default: %(default)s)",
    )
    prune = commands.add_parser(
        "prune", help="remove every earlier run, the rejected build and other runs' reports and logs")
    prune.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    prune.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: %(default)s)")
    query = commands.add_parser("query", help="run one SQL query against the warehouse, read-only")
    query.add_argument("sql", help='the query, e.g. "SELECT * FROM marts.risk_mentions"')
    query.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    codes = commands.add_parser("codes", help="list the codes of coding tools' exports, per wave")
    codes.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="exports: .qdpx projects, or .xlsx/.csv exports of NVivo, ATLAS.ti, MAXQDA or Taguette")
    codes.add_argument("--headers", type=Path, metavar="FILE",
                       help="an export_headers.csv naming the headers of exports in another language")
    codes.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="also write a starter crosswalk.csv to FILE (never over an existing file)")
    return parser


def _import_all(names: list[str]) -> None:
    for name in names:
        importlib.import_module(name)


def _run(args: argparse.Namespace) -> int:
    from wavecompare.prefect_server import ServerError, TemporaryAPI

    # Prefect's API server and Great Expectations take seconds to start and import: the server
    # starts in its own process and a second thread imports Great Expectations while this one
    # imports the pipeline; the flow's first validation finds it loaded (or waits under the import lock).
    # When publishing, that thread then imports the release (SciPy, statsmodels, matplotlib: about 2 s)
    # while the flow loads and validates the study.
    api = TemporaryAPI()
    later = ["great_expectations", *(["wavecompare.release.build"] if args.command == "run" else [])]
    threading.Thread(target=_import_all, args=(later,), daemon=True).start()
    from wavecompare.pipeline import BUSY, wavecompare_flow
    from wavecompare.retention import DEFAULT_KEEP_RUNS
    from wavecompare.studycheck import drift_line, reconciliation_line

    publishing = args.command == "run"
    release = {name: getattr(args, name) for name in RELEASE_OPTIONS if getattr(args, name, None) is not None}
    try:
        with api.serving():
            state = wavecompare_flow(
                args.raw_dir, args.warehouse, args.out_dir, publish_outputs=publishing,
                full_refresh=getattr(args, "full_refresh", False), release=release or None,
                keep_runs=getattr(args, "keep_runs", DEFAULT_KEEP_RUNS), return_state=True,
            )
    except ServerError as error:
        print(f"wavecompare: {args.command} failed: {error}", file=sys.stderr)
        return EXIT_INPUT
    if not state.is_completed():
        print(f"\nwavecompare: {args.command} failed.\n{state.message}", file=sys.stderr)
        return EXIT_BUSY if state.name == BUSY else EXIT_INPUT
    result = state.result()
    if result.up_to_date:
        print(f"\nwavecompare: up to date: the inputs and code are those of run {result.run_id}; nothing was rebuilt.")
        print(f"Warehouse: {result.warehouse}; tables in {result.out_dir / CURRENT}/ (unchanged).")
        print(f"Run's own work: {result.work_seconds:.1f} s.")
        return EXIT_OK
    if publishing:
        print(f"\nwavecompare: run completed (run id {result.run_id}).")
        print(f"Warehouse: {result.warehouse} (schemas raw, staging, validation, marts, private, lineage)")
        print(f"Tables in {result.out_dir / CURRENT}/ as CSV and Parquet:")
        for table, rows in result.table_rows.items():
            print(f"  {table:<20} {rows:>5} rows")
        print(f"For report writers (release-safe): {result.out_dir / CURRENT}/release/ "
              "(wave_comparison.xlsx, report.html)")
    else:
        print("\nwavecompare: the study passed every check; nothing was published.")
    print(reconciliation_line(result.reconciliation))
    if result.drift:
        print(drift_line(result.drift))
    print(f"Validation report: {result.report}")
    print(f"Run's own work: {result.work_seconds:.1f} s.")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Serve the flow as a deployment with a schedule until interrupted."""
    import contextlib
    import signal

    from wavecompare.prefect_server import ServerError, local_server

    given = os.environ.get("PREFECT_API_URL")
    server = contextlib.nullcontext(given) if given else local_server(port=args.server_port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))  # stop like Ctrl+C, stopping our server too
    try:
        with server as url:
            os.environ["PREFECT_API_URL"] = url
            from prefect.settings import PREFECT_API_URL, temporary_settings

            from wavecompare.pipeline import wavecompare_flow

            where = "the Prefect server" if given else "a local Prefect server (stopped when this command stops)"
            print(f"wavecompare: serving on {where} at {url}; UI at {url.removesuffix('/api')}", flush=True)
            parameters = {name: str(getattr(args, name).resolve()) for name in ("raw_dir", "warehouse", "out_dir")}
            with temporary_settings(updates={PREFECT_API_URL: url}):
                wavecompare_flow.serve(
                    name=args.name, cron=args.cron, interval=args.interval, parameters=parameters,
                    description="wavecompare on a schedule: each run is up to date in seconds when nothing changed.",
                )
    except ServerError as error:
        print(f"wavecompare: serve failed: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    import duckdb

    if not args.warehouse.is_file():
        print(f"wavecompare: no warehouse at {args.warehouse}; run `wavecompare run` first.", file=sys.stderr)
        return EXIT_INPUT
    try:
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            relation = con.sql(args.sql)
            if relation is None:
                return EXIT_OK
            if args.csv:
                relation.df().to_csv(sys.stdout, index=False)
            else:
                relation.show(max_rows=10_000, max_width=10_000)
    except duckdb.Error as error:
        print(f"wavecompare: the query failed: {error}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _prune(args: argparse.Namespace) -> int:
    """Remove all but the current run, under the run lock so that no run is publishing meanwhile."""
    from wavecompare.retention import prune
    from wavecompare.runlock import RunInProgress, run_lock

    try:
        with run_lock(args.warehouse, "prune"):
            removed, in_use = prune(args.warehouse, args.out_dir)
    except RunInProgress as busy:
        print(f"wavecompare: prune failed: {busy}", file=sys.stderr)
        return EXIT_BUSY
    for path in removed:
        print(f"removed {path}")
    print(f"wavecompare: pruned {len(removed)} item(s); the current run in {args.out_dir / CURRENT}/ stays.")
    if in_use:
        print("wavecompare: not removed, open read-write in another process (close it and prune again): "
              + ", ".join(map(str, in_use)), file=sys.stderr)
        return EXIT_BUSY
    return EXIT_OK


CODES_REFUSED = ("The exports were not read", "Fix the file and run again.")


def _codes(args: argparse.Namespace) -> int:
    from wavecompare.problems import describe
    from wavecompare.qda.archive import Refused
    from wavecompare.qda.codelist import code_counts, drifting, table, write_starter
    from wavecompare.qda.headers import read_file

    missing = [str(path) for path in [*args.paths, *([args.headers] if args.headers else [])] if not path.is_file()]
    if missing:
        print(f"wavecompare: codes failed: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_INPUT
    headers, problems = read_file(args.headers) if args.headers else ({}, [])
    if problems:
        print(f"wavecompare: codes failed:\n{describe(problems, CODES_REFUSED)}", file=sys.stderr)
        return EXIT_INPUT
    try:
        counts = code_counts(args.paths, headers)
    except Refused as refused:
        print(f"wavecompare: codes failed: {refused.file}: {refused}", file=sys.stderr)
        return EXIT_INPUT
    print(table(counts))
    drift = drifting(counts)
    if drift:
        print(f"\n{len(drift)} code(s) coded in some of these and not others: " + "; ".join(drift))
    if args.output:
        try:
            write_starter(counts, args.output)
        except FileExistsError:
            print(f"wavecompare: codes: {args.output} exists; it was not changed (choose another -o FILE)",
                  file=sys.stderr)
            return EXIT_INPUT
        print(f"\nStarter crosswalk: {args.output} ({len(counts)} code paths; fill in code_id and value)")
    return EXIT_OK


COMMANDS = {"codes": _codes, "run": _run, "validate": _run, "serve": _serve, "query": _query, "prune": _prune}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
