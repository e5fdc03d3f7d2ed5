"""Benchmark: `dbt build` time with the staging base models as views vs as tables.

Usage (from the repo root, after `bash scripts/build.sh` created .venv):

    .venv/bin/python scripts/benchmark_build.py --repeats 3
    .venv/bin/python scripts/benchmark_build.py --repeats 3 --people 20000
    .venv/bin/python scripts/benchmark_build.py --repeats 3 --variants table   # build time only

Without --people it uses the bundled demo data (seeded once, then excluded from the timed
builds); with --people N it generates N people as Parquet and builds through raw_data_path
(unit tests excluded). Each repeat builds both variants, alternating which goes first, into
a fresh DuckDB file; it prints every timing, the median per variant and the ratio of the
medians (timings on shared machines are noisy: compare the ratio, not the seconds), and for
each build the node counts and the summed execution time per resource type (models, data
tests, unit tests) from dbt's run_results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent


def dbt(workdir: Path, database: Path, *args: str, vars_: dict) -> float:
    """Run one dbt command; return its wall-clock seconds (raises on failure)."""
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(workdir),
        JOURNEY_KPIS_DUCKDB_PATH=str(database),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
    )
    command = [
        str(BIN_DIR / "dbt"),
        *args,
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
        "--vars",
        json.dumps(vars_),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}")
    return elapsed


def phase_summary(run_results: Path) -> str:
    """Node count and summed execution seconds per resource type of the last dbt run."""
    results = json.loads(run_results.read_text())["results"]
    phases: dict[str, list[float]] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        phases.setdefault(kind, []).append(result["execution_time"])
    return ", ".join(
        f"{kind}: {len(times)} nodes {sum(times):.1f} s" for kind, times in sorted(phases.items())
    )


def main() -> None:
    """Parse arguments, run the builds, print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--people", type=int, default=0, help="generate N people (Parquet)")
    parser.add_argument(
        "--variants",
        nargs="+",
        choices=["view", "table"],
        default=["view", "table"],
        help="base-model materialisations to time (default: both)",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="journey_kpis_bench_"))
    shutil.copy(REPO_ROOT / "profiles.yml.example", workdir / "profiles.yml")
    base_vars: dict = {}
    build_args = ["build"]
    if args.people:
        raw_dir = workdir / "raw"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "datagen",
                "--quiet",
                "--people",
                str(args.people),
                "--format",
                "parquet",
                "--out",
                str(raw_dir),
            ],
            cwd=REPO_ROOT,
            check=True,
        )
        print(f"generated {args.people} people in {time.perf_counter() - started:.1f} s")
        base_vars = {"raw_data_path": str(raw_dir), "raw_data_format": "parquet"}
        build_args += ["--exclude-resource-type", "unit_test"]
    else:
        build_args += ["--exclude-resource-type", "seed"]

    timings: dict[str, list[float]] = {variant: [] for variant in args.variants}
    for repeat in range(args.repeats):
        order = list(args.variants) if repeat % 2 == 0 else list(reversed(args.variants))
        for variant in order:
            database = workdir / f"bench_{repeat}_{variant}.duckdb"
            if not args.people:
                dbt(workdir, database, "seed", vars_=base_vars)
            vars_ = {**base_vars, "staging_base_materialization": variant}
            seconds = dbt(workdir, database, *build_args, vars_=vars_)
            timings[variant].append(seconds)
            print(f"repeat {repeat + 1}: base models as {variant:5s} {seconds:6.1f} s")
            print(f"    {phase_summary(workdir / 'target' / 'run_results.json')}")
            database.unlink()

    medians = {variant: statistics.median(values) for variant, values in timings.items()}
    print("median: " + ", ".join(f"{variant} {medians[variant]:.1f} s" for variant in medians))
    if len(medians) == 2:
        print(f"view/table = {medians['view'] / medians['table']:.2f}")
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
