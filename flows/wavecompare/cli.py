"""The `wavecompare` command line: run the pipeline, or query the warehouse read-only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INPUT = 0, 1


def _parser() -> argparse.ArgumentParser:
    from wavecompare.pipeline import DEFAULT_OUT_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE

    parser = argparse.ArgumentParser(prog="wavecompare", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load a study, check it and publish the comparison tables")
    run.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR, help="the study folder (default: %(default)s)")
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    run.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: %(default)s)")
    validate = commands.add_parser("validate", help="check a study without publishing anything")
    validate.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR, help="the study folder (default: %(default)s)")
    validate.add_argument(
        "--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
        help="the warehouse beside which a rejected study is kept for inspection (default: %(default)s)",
    )
    validate.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="the validation report goes under OUT_DIR/validation/"
    )
    query = commands.add_parser("query", help="run one SQL query against the warehouse, read-only")
    query.add_argument("sql", help='the query, e.g. "SELECT * FROM marts.risk_mentions"')
    query.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    return parser


def _run(args: argparse.Namespace) -> int:
    from wavecompare.pipeline import reconciliation_line, wavecompare_flow

    publishing = args.command == "run"
    state = wavecompare_flow(
        args.raw_dir, args.warehouse, args.out_dir, publish_outputs=publishing, return_state=True
    )
    if not state.is_completed():
        print(f"\nwavecompare: {args.command} failed.\n{state.message}", file=sys.stderr)
        return EXIT_INPUT
    result = state.result()
    if publishing:
        print(f"\nwavecompare: run completed (run id {result.run_id}).")
        print(f"Warehouse: {result.warehouse} (schemas raw, staging, validation, marts)")
        print(f"Tables in {result.out_dir}/ as CSV and Parquet:")
        for table, rows in result.table_rows.items():
            print(f"  {table:<20} {rows:>5} rows")
    else:
        print("\nwavecompare: the study passed every check; nothing was published.")
    print(reconciliation_line(result.reconciliation))
    print(f"Validation report: {result.report}")
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return _query(args) if args.command == "query" else _run(args)


if __name__ == "__main__":
    sys.exit(main())
