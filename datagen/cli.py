"""Command line interface: `python -m datagen [options]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .clock import parse_date
from .generate import DEFAULT_END, DEFAULT_START, GeneratorConfig, generate


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (kept separate so tests and docs can inspect it)."""
    parser = argparse.ArgumentParser(
        prog="python -m datagen",
        description="Generate JourneyCo's synthetic raw data (events, leads, orders, "
        "survey_responses, marketing_spend). Same seed => byte-identical output.",
    )
    parser.add_argument(
        "--people", type=int, default=3000, help="number of simulated people (default 3000)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--out", type=Path, default=Path("seeds/raw"), help="output directory (default seeds/raw)"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("csv", "parquet"),
        default="csv",
        help="csv (default) or parquet (all columns VARCHAR, written with duckdb)",
    )
    parser.add_argument(
        "--start", type=parse_date, default=DEFAULT_START, help="first day, YYYY-MM-DD (UTC)"
    )
    parser.add_argument(
        "--end", type=parse_date, default=DEFAULT_END, help="last day, YYYY-MM-DD (UTC)"
    )
    parser.add_argument(
        "--dirty",
        action="store_true",
        help="inject bad/odd rows and write expected_rejects.csv and expected_kept.csv",
    )
    parser.add_argument(
        "--manifest", action="store_true", help="write the two manifests without --dirty too"
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=5000,
        help="people simulated per chunk (bounds memory; ids are time-ordered per chunk)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator; returns the process exit code."""
    args = build_parser().parse_args(argv)
    cfg = GeneratorConfig(
        people=args.people,
        seed=args.seed,
        out=args.out,
        fmt=args.fmt,
        start=args.start,
        end=args.end,
        dirty=args.dirty,
        manifest=args.manifest,
        chunk_size=args.chunk_size,
    )

    def progress(msg: str) -> None:
        print(f"datagen: {msg}", file=sys.stderr, flush=True)

    try:
        result = generate(
            cfg, progress=None if args.quiet or args.people <= args.chunk_size else progress
        )
    except (ValueError, RuntimeError) as exc:
        print(f"datagen: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        total = sum(result.counts.values())
        for table, n in result.counts.items():
            print(f"datagen: {table:<17} {n:>12,} rows", file=sys.stderr)
        print(
            f"datagen: {total:,} rows in {result.seconds:.1f} s -> {cfg.out} ({cfg.fmt})",
            file=sys.stderr,
        )
        if result.manifest is not None and (cfg.dirty or cfg.manifest):
            print(
                f"datagen: manifests: {len(result.manifest.rejects)} expected rejects, "
                f"{len(result.manifest.kept)} expected kept",
                file=sys.stderr,
            )
    return 0
