"""Benchmark: full `dbt build` on generated Parquet, against DuckDB's own speed on the same files.

Usage (from the repo root, after `bash scripts/build.sh` created .venv):

    .venv/bin/python scripts/benchmark_build.py --events 1m
    .venv/bin/python scripts/benchmark_build.py --events 1m --repeats 3
    .venv/bin/python scripts/benchmark_build.py --events 10m --memory-limit 3.5GB
    .venv/bin/python scripts/benchmark_build.py --events 200k --baselines-only

`--events` accepts 1m, 10m, 500k or a plain number (2000000). The number of people to
simulate is derived from the generator's measured ratio of events per person
(EVENTS_PER_PERSON, 18.14 at seed 42: 55,000 people gave 997,633 events), rounded to two
significant figures, so the event count printed is the one counted in the Parquet, close to
the one asked for. The Parquet files are generated once per scale and seed under
data/bench/people<N>_seed<S>/ and reused by later runs (data/ is gitignored).

Each repeat (default 1) does, on a fresh DuckDB file in a scratch directory:

1. the two baselines, with the same duckdb Python package, threads and memory limit as the
   build, on the same Parquet files: one aggregate scan of the raw events (count, distinct
   anonymous_id, min/max occurred_at) and the bare sessionization query (lag + running sum
   per anonymous_id with the project's 30-minute timeout, materialised with
   `create table ... as`), each the median of 3 runs;
2. dbt's fixed cost: `dbt build --select <a name matching nothing>` with a fresh target
   path, i.e. start-up, a full parse and the connection, with no node to run (dbt says
   "Nothing to do"). The real build also pays a full parse (fresh target path), so
   build minus fixed cost is the time spent running nodes;
3. the full `dbt build` through var raw_data_path (Parquet; unit tests excluded: they do
   not read the data), timed wall-clock, while a sampler reads /proc every 0.2 s and sums
   the RSS of dbt and all its descendants (peak RSS of the process tree). The kernel's
   peak RSS of the largest single child (getrusage) is printed next to it as a check.

It prints the counts, the timings, the build's ratio to each baseline (raw and minus the
fixed cost), the 15 slowest models and the summed execution time per resource type (from
run_results.json), and writes everything as JSON under target/benchmark/. A failed build
(e.g. out of memory) is reported with the number of nodes that finished and dbt's last
lines instead of aborting the run.

`--memory-limit` sets JOURNEY_KPIS_DUCKDB_MEMORY_LIMIT (the DuckDB profile's
memory_limit, default 3.5GB) for the build and the baselines.

`--incremental-day` adds, per repeat, the daily run: the generated files are split by
arrival (`_loaded_at`, else the row's own timestamp) into everything that arrived before
the last day of data and the full set (cached next to the data); a second fresh DuckDB file
is built on the first part (untimed), then `dbt build` runs again on the full set without
--full-refresh, so the incremental models (README, "Incremental builds") process the new
day. Its wall time, CPU time and peak RSS are printed with its share of the full build.

This replaces the earlier view-vs-table comparison of the staging base models; pass
`--vars '{staging_base_materialization: view}'` to time the other variant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
# Measured: 55,000 people at seed 42 -> 997,633 events (datagen, default period).
EVENTS_PER_PERSON = 18.14
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
RAW_TABLES = ("events", "leads", "orders", "survey_responses", "marketing_spend")
# Each raw table's own timestamp, the arrival of a row without _loaded_at.
RAW_TIMESTAMPS = {
    "events": "occurred_at",
    "leads": "created_at",
    "orders": "ordered_at",
    "survey_responses": "submitted_at",
    "marketing_spend": "spend_date",
}


def parse_events(text: str) -> int:
    """'1m' -> 1_000_000, '500k' -> 500_000, '2000000' -> 2_000_000."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM]?)\s*", text.replace("_", ""))
    if not match:
        raise argparse.ArgumentTypeError(f"not an event count: {text!r} (try 1m, 500k, 2000000)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    events = int(float(match.group(1)) * factor)
    if events < 1_000:
        raise argparse.ArgumentTypeError("at least 1000 events")
    return events


def people_for(events: int) -> int:
    """People to simulate for about `events` events, rounded to two significant figures."""
    people = events / EVENTS_PER_PERSON
    digits = len(str(int(people))) - 2
    return max(10, int(round(people, -digits)))


def generate(people: int, seed: int, data_root: Path) -> Path:
    """Return the Parquet directory for this scale and seed; generate it unless cached."""
    out = data_root / f"people{people}_seed{seed}"
    if all((out / f"{table}.parquet").exists() for table in RAW_TABLES):
        print(f"reusing {out}")
        return out
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "datagen", "--quiet", "--people", str(people)]
    command += ["--seed", str(seed), "--format", "parquet", "--out", str(partial)]
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    print(f"generated {people} people in {time.perf_counter() - started:.1f} s -> {out}")
    return out


def count_rows(raw_dir: Path) -> dict[str, int]:
    """Rows per raw Parquet file."""
    with duckdb.connect() as con:
        return {
            table: con.execute(
                f"select count(*) from read_parquet('{raw_dir / table}.parquet')"
            ).fetchone()[0]
            for table in RAW_TABLES
        }


def _timed(con: duckdb.DuckDBPyConnection, sql: str, repeats: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (all threads of this process) of `sql`."""
    walls, cpus = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        con.execute(sql).fetchall()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        con.execute("drop table if exists bench_sessionized")
    return statistics.median(walls), statistics.median(cpus)


def baselines(
    raw_dir: Path, threads: int, memory_limit: str, timeout_minutes: int = 30, repeats: int = 3
) -> dict[str, float]:
    """Seconds (median of `repeats`) of an aggregate scan and of the bare sessionization.

    Wall seconds, and CPU seconds (less sensitive than wall time to other load on a shared
    machine).
    """
    events = f"read_parquet('{raw_dir / 'events'}.parquet')"
    scan = f"""
        select count(*), count(distinct anonymous_id), min(occurred_at), max(occurred_at)
        from {events}
    """
    sessionize = f"""
        create table bench_sessionized as
        with ordered as (
            select
                event_id,
                anonymous_id,
                cast(occurred_at as timestamp) as occurred_at
            from {events}
        ),
        flagged as (
            select
                *,
                case
                    when lag(occurred_at) over (
                        partition by anonymous_id order by occurred_at, event_id
                    ) > occurred_at - interval {int(timeout_minutes)} minute
                    then 0 else 1
                end as is_new_session
            from ordered
        )
        select
            *,
            sum(is_new_session) over (
                partition by anonymous_id order by occurred_at, event_id
                rows between unbounded preceding and current row
            ) as session_number
        from flagged
    """
    with tempfile.TemporaryDirectory(prefix="journey_kpis_baseline_") as scratch:
        with duckdb.connect(str(Path(scratch) / "baseline.duckdb")) as con:
            con.execute(f"set threads = {int(threads)}")
            con.execute(f"set memory_limit = '{memory_limit}'")
            con.execute(f"set temp_directory = '{Path(scratch) / 'tmp'}'")
            scan_s, scan_cpu_s = _timed(con, scan, repeats)
            sessionization_s, sessionization_cpu_s = _timed(con, sessionize, repeats)
            return {
                "scan_s": scan_s,
                "sessionization_s": sessionization_s,
                "scan_cpu_s": scan_cpu_s,
                "sessionization_cpu_s": sessionization_cpu_s,
            }


def _process_tree_rss(root: int) -> int:
    """Return the summed RSS in bytes of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE_SIZE
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def run_sampled(command: list[str], env: dict, log: Path, interval: float = 0.2) -> dict:
    """Run `command`, sampling the process tree's RSS; return seconds, peak bytes, exit code.

    Also the CPU seconds (user + system) of the finished process tree, from getrusage.
    """
    peak = 0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as handle:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=handle, stderr=handle)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(interval):
                peak = max(peak, _process_tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "peak_rss_bytes": peak, "returncode": returncode}


def dbt_command(workdir: Path, target: str, *args: str, vars_: dict) -> list[str]:
    """Build a dbt CLI command with its own target and log paths under `workdir`."""
    return [
        str(BIN_DIR / "dbt"),
        *args,
        "--target-path",
        str(workdir / target),
        "--log-path",
        str(workdir / "logs"),
        "--vars",
        json.dumps(vars_),
    ]


def node_times(run_results: Path) -> tuple[list[tuple[str, float]], dict[str, list[float]], int]:
    """Models by execution time (slowest first), per-type times, and failed-node count."""
    results = json.loads(run_results.read_text())["results"]
    models, phases, failed = [], {}, 0
    for result in results:
        kind, name = result["unique_id"].split(".")[0], result["unique_id"].split(".")[-1]
        phases.setdefault(kind, []).append(result["execution_time"])
        if kind == "model":
            models.append((name, result["execution_time"]))
        failed += result["status"] in {"error", "fail", "runtime error"}
    return sorted(models, key=lambda item: -item[1]), phases, failed


def split_before_last_day(raw_dir: Path) -> tuple[Path, str]:
    """Write (once) the raw files without the rows that arrived on the last day of data."""
    arrival = "coalesce(try_cast(_loaded_at as timestamp), try_cast({column} as timestamp))"
    events = f"read_parquet('{raw_dir / 'events'}.parquet')"
    last_day = duckdb.sql(
        f"select cast(max({arrival.format(column='occurred_at')}) as date) from {events}"
    ).fetchall()[0][0]
    before_dir = raw_dir.parent / f"{raw_dir.name}_before_{last_day}"
    if not all((before_dir / f"{table}.parquet").exists() for table in RAW_TABLES):
        partial = before_dir.with_name(before_dir.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for table, column in RAW_TIMESTAMPS.items():
            duckdb.sql(
                f"copy (select * from read_parquet('{raw_dir / table}.parquet') "
                f"where {arrival.format(column=column)} < date '{last_day}' "
                f"or {arrival.format(column=column)} is null) "
                f"to '{partial / table}.parquet' (format parquet)"
            )
        shutil.rmtree(before_dir, ignore_errors=True)
        partial.rename(before_dir)
    return before_dir, str(last_day)


def incremental_day(args: argparse.Namespace, raw_dir: Path, workdir: Path, env: dict) -> dict:
    """Build on the data before the last day, then time the incremental run adding it."""
    before_dir, last_day = split_before_last_day(raw_dir)
    env = dict(env, JOURNEY_KPIS_DUCKDB_PATH=str(workdir / "incremental.duckdb"))
    build_args = ("build", "--exclude-resource-type", "unit_test")
    for label, data_dir in (("initial", before_dir), ("incremental", raw_dir)):
        vars_ = {"raw_data_path": str(data_dir), "raw_data_format": "parquet", **args.vars}
        command = dbt_command(workdir, f"target_{label}", *build_args, vars_=vars_)
        result = run_sampled(command, env, workdir / f"{label}.log")
        if result["returncode"] != 0:
            log = (workdir / f"{label}.log").read_text()[-3000:]
            sys.exit(f"the {label} build failed:\n{log}")
    figures = {
        "last_day": last_day,
        "incremental_s": result["seconds"],
        "incremental_cpu_s": result["cpu_s"],
        "incremental_peak_rss_bytes": result["peak_rss_bytes"],
    }
    run_results = workdir / "target_incremental" / "run_results.json"
    if run_results.exists():
        models, phases, _ = node_times(run_results)
        figures["incremental_models"] = models
        figures["incremental_phases"] = {kind: [len(t), sum(t)] for kind, t in phases.items()}
    return figures


def one_repeat(args: argparse.Namespace, raw_dir: Path, env: dict, memory_limit: str) -> dict:
    """Baselines, fixed cost and the full build on a fresh DuckDB file; the figures."""
    workdir = Path(tempfile.mkdtemp(prefix="run_", dir=args.data_root))
    profile = yaml.safe_load((REPO_ROOT / "profiles.yml.example").read_text())
    (workdir / "profiles.yml").write_text(yaml.safe_dump(profile, sort_keys=False))
    threads = int(profile["journey_kpis"]["outputs"]["dev"]["threads"])
    env = dict(env, DBT_PROFILES_DIR=str(workdir))
    env["JOURNEY_KPIS_DUCKDB_PATH"] = str(workdir / "bench.duckdb")
    vars_ = {"raw_data_path": str(raw_dir), "raw_data_format": "parquet", **args.vars}
    figures: dict = {"baselines": baselines(raw_dir, threads, memory_limit)}
    print(
        f"  baselines: scan {figures['baselines']['scan_s']:.2f} s, "
        f"sessionization {figures['baselines']['sessionization_s']:.2f} s"
    )
    if args.baselines_only:
        shutil.rmtree(workdir)
        return figures

    nothing = dbt_command(
        workdir, "target_fixed", "build", "--select", "none_matching_x", vars_=vars_
    )
    fixed = run_sampled(nothing, env, workdir / "fixed.log")
    if fixed["returncode"] != 0:
        sys.exit(f"the nothing-to-do build failed:\n{(workdir / 'fixed.log').read_text()[-3000:]}")
    figures["fixed_cost_s"] = fixed["seconds"]
    figures["fixed_cost_cpu_s"] = fixed["cpu_s"]
    print(f"  dbt fixed cost (build with nothing to do): {fixed['seconds']:.1f} s")

    build = dbt_command(
        workdir, "target", "build", "--exclude-resource-type", "unit_test", vars_=vars_
    )
    maxrss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = run_sampled(build, env, workdir / "build.log")
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    log_text = re.sub(r"\x1b\[[0-9;]*m", "", (workdir / "build.log").read_text())
    figures.update(
        build_s=result["seconds"],
        build_cpu_s=result["cpu_s"],
        build_ok=result["returncode"] == 0,
        peak_rss_bytes=result["peak_rss_bytes"],
        max_single_process_rss_bytes=maxrss * 1024 if maxrss > maxrss_before else None,
        # From the log (seeds print INSERT, not OK); replaced by run_results.json if written.
        nodes_ok=len(re.findall(r"\[(?:OK|PASS|WARN|INSERT)\b", log_text)),
        load_average=os.getloadavg(),
    )
    run_results = workdir / "target" / "run_results.json"
    if run_results.exists():
        models, phases, failed = node_times(run_results)
        figures["models"] = models
        figures["phases"] = {kind: [len(t), sum(t)] for kind, t in phases.items()}
        figures["nodes_failed"] = failed
        figures["nodes_ok"] = sum(len(times) for times in phases.values()) - failed
    if not figures["build_ok"]:
        figures["error_tail"] = log_text[-3000:]
        print(f"  BUILD FAILED (exit {result['returncode']}) after {result['seconds']:.1f} s:")
        print("    " + "\n    ".join(log_text[-1500:].splitlines()))
    if args.incremental_day and figures["build_ok"]:
        figures.update(incremental_day(args, raw_dir, workdir, env))
    if args.keep:
        print(f"  kept {workdir}")
    else:
        shutil.rmtree(workdir)
    return figures


def phases_line(phases: dict[str, list[float]]) -> str:
    """Node count and summed execution time per resource type, on one line."""
    return ", ".join(
        f"{kind} {count} nodes {seconds:.1f} s" for kind, (count, seconds) in sorted(phases.items())
    )


def report(figures: dict) -> None:
    """Print one repeat's build figures and ratios."""
    if "build_s" not in figures:
        return
    build, fixed = figures["build_s"], figures["fixed_cost_s"]
    base = figures["baselines"]
    peak = figures["peak_rss_bytes"] / 2**30
    single = figures["max_single_process_rss_bytes"]
    single_text = f" (largest single process {single / 2**30:.2f} GiB)" if single else ""
    status = "ok" if figures["build_ok"] else "FAILED"
    print(f"  dbt build: {build:.1f} s ({status}), peak RSS of the tree {peak:.2f} GiB", end="")
    print(single_text)
    load = ", ".join(f"{value:.1f}" for value in figures["load_average"])
    print(f"  nodes finished: {figures['nodes_ok']}; load average after the build: {load}")
    for name, key in (("scan", "scan_s"), ("sessionization", "sessionization_s")):
        print(
            f"  build / {name}: {build / base[key]:.0f}x; "
            f"(build - fixed cost) / {name}: {(build - fixed) / base[key]:.0f}x"
        )
    cpu, fixed_cpu = figures["build_cpu_s"], figures["fixed_cost_cpu_s"]
    sessionization_cpu = base["sessionization_cpu_s"]
    print(
        f"  CPU seconds: build {cpu:.1f}, fixed cost {fixed_cpu:.1f}, "
        f"scan {base['scan_cpu_s']:.2f}, sessionization {sessionization_cpu:.2f}; "
        f"(build - fixed cost) / sessionization in CPU time: "
        f"{(cpu - fixed_cpu) / sessionization_cpu:.0f}x"
    )
    if "phases" in figures:
        print("  summed per type: " + phases_line(figures["phases"]))
        print("  slowest models:")
        for name, seconds in figures["models"][:15]:
            print(f"    {seconds:7.1f} s  {name}")
    if "incremental_s" in figures:
        incremental = figures["incremental_s"]
        print(
            f"  incremental run adding {figures['last_day']}: {incremental:.1f} s "
            f"({incremental / build:.0%} of the full build; CPU "
            f"{figures['incremental_cpu_s']:.1f} s, "
            f"{figures['incremental_cpu_s'] / figures['build_cpu_s']:.0%}), peak RSS "
            f"{figures['incremental_peak_rss_bytes'] / 2**30:.2f} GiB"
        )
        if "incremental_phases" in figures:
            print(
                "  incremental run, summed per type: " + phases_line(figures["incremental_phases"])
            )
            full_times = dict(figures.get("models", []))
            print("  incremental run, slowest models (full build in brackets):")
            for name, seconds in figures["incremental_models"][:15]:
                full = full_times.get(name, float("nan"))
                print(f"    {seconds:7.1f} s  ({full:6.1f} s)  {name}")


def main(argv: list[str] | None = None) -> dict:
    """Parse arguments, generate or reuse the data, run the repeats, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=parse_events, default=parse_events("1m"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--memory-limit", help="DuckDB memory_limit (profile default 3.5GB)")
    parser.add_argument("--vars", type=yaml.safe_load, default={}, help="extra dbt vars (YAML)")
    parser.add_argument("--baselines-only", action="store_true", help="skip the dbt builds")
    parser.add_argument(
        "--incremental-day",
        action="store_true",
        help="also time an incremental run that adds the last day of data",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch DuckDB file")
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT / "data" / "bench")
    parser.add_argument("--json", type=Path, help="result file (default under target/benchmark/)")
    args = parser.parse_args(argv)

    args.data_root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="False", JOURNEY_KPIS_TARGET="dev")
    if args.memory_limit:
        env["JOURNEY_KPIS_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    memory_limit = env.get("JOURNEY_KPIS_DUCKDB_MEMORY_LIMIT", "3.5GB")
    people = people_for(args.events)
    raw_dir = generate(people, args.seed, args.data_root)
    rows = count_rows(raw_dir)
    print(
        f"events {rows['events']:,} (asked {args.events:,}; {people:,} people, seed {args.seed}), "
        f"leads {rows['leads']:,}, orders {rows['orders']:,}, "
        f"survey answers {rows['survey_responses']:,}; memory_limit {memory_limit}"
    )

    repeats = []
    for repeat in range(args.repeats):
        print(f"repeat {repeat + 1}/{args.repeats}:")
        figures = one_repeat(args, raw_dir, env, memory_limit)
        report(figures)
        repeats.append(figures)

    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "people": people,
        "seed": args.seed,
        "rows": rows,
        "memory_limit": memory_limit,
        "repeats": repeats,
    }
    if args.repeats > 1:
        medians = {}
        for key in ("build_s", "fixed_cost_s", "build_cpu_s", "fixed_cost_cpu_s", "peak_rss_bytes"):
            values = [figures[key] for figures in repeats if key in figures]
            if values:
                medians[key] = statistics.median(values)
        for key in ("scan_s", "sessionization_s", "scan_cpu_s", "sessionization_cpu_s"):
            medians[key] = statistics.median(figures["baselines"][key] for figures in repeats)
        result["medians"] = medians
        print("medians: " + ", ".join(f"{key} {value:,.2f}" for key, value in medians.items()))
    out = args.json or (
        REPO_ROOT / "target" / "benchmark" / f"{people}p_{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {out}")
    return result


if __name__ == "__main__":
    main()
