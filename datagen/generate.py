"""Orchestration: simulate people chunk by chunk, write the five tables and the manifests."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock
from .dirty import MANIFEST_FILES, Injector, Manifest
from .simulate import (
    IdCounters,
    SimConfig,
    orphan_keys,
    render_events,
    render_leads,
    render_orders,
    render_surveys,
    simulate_chunk,
)
from .spend import SpendBuilder
from .writers import TableSink

DEFAULT_START = dt.date(2025, 1, 1)
DEFAULT_END = dt.date(2026, 6, 30)


@dataclass(frozen=True)
class GeneratorConfig:
    """All knobs of one generation run (the CLI maps 1:1 onto these)."""

    people: int = 3000
    seed: int = 42
    out: Path = Path("seeds/raw")
    fmt: str = "csv"
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END
    dirty: bool = False
    manifest: bool = False  # write the manifests even without --dirty
    chunk_size: int = 5000  # people per chunk; ids are time-ordered within a chunk
    collect_personas: bool = False  # keep the latent persona per user (for tests / validation)


@dataclass
class GenerationResult:
    """What a run produced."""

    counts: dict[str, int]
    seconds: float
    files: list[Path]
    personas: dict[str, str] = field(default_factory=dict)
    manifest: Manifest | None = None


def generate(
    cfg: GeneratorConfig, progress: Callable[[str], None] | None = None
) -> GenerationResult:
    """Run the generator and return row counts, timing and (optionally) latent personas."""
    if cfg.people < 1:
        raise ValueError("people must be >= 1")
    if cfg.chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    started = time.perf_counter()
    clock = Clock(cfg.start, cfg.end)
    sim = SimConfig(seed=cfg.seed, clock=clock, people=cfg.people)
    ids = IdCounters()
    visits: Counter[tuple[int, str]] = Counter()
    manifest = Manifest()
    injector = Injector(cfg.seed, clock) if cfg.dirty else None
    personas: dict[str, str] = {}
    with TableSink(Path(cfg.out), cfg.fmt) as sink:
        for first in range(1, cfg.people + 1, cfg.chunk_size):
            last = min(cfg.people, first + cfg.chunk_size - 1)
            chunk = simulate_chunk(sim, first, last, ids)
            visits.update(chunk.paid_visits)
            if cfg.collect_personas:
                personas.update(chunk.personas)
            superseded: list[tuple[str, str]] = []
            tables = {
                "events": render_events(chunk, clock),
                "leads": render_leads(chunk, clock, superseded),
                "orders": render_orders(chunk, clock, superseded),
                "survey_responses": render_surveys(chunk, clock),
            }
            if injector is not None and first == 1:
                materialised = {name: list(rows) for name, rows in tables.items()}
                injector.inject(materialised)
                for name, rows in materialised.items():
                    sink.write(name, rows)
            else:
                for name, rows in tables.items():
                    sink.write(name, rows)
            for table, key in superseded:
                manifest.reject(table, key, "duplicate")
            for table, key in orphan_keys(chunk):
                manifest.keep(table, key, "orphan_key")
            del chunk, tables
            if progress is not None:
                progress(f"people {last}/{cfg.people}: {sink.counts['events']} events")
        spend_rows = SpendBuilder(clock, cfg.people, cfg.seed).rows(visits)
        if injector is not None:
            injector.inject_spend(spend_rows)
        sink.write("marketing_spend", spend_rows)
    files = [Path(cfg.out) / f"{t}.{cfg.fmt}" for t in sink.counts]
    if injector is not None:
        manifest.extend(injector.manifest)
    if cfg.dirty or cfg.manifest:
        files.extend(manifest.write(Path(cfg.out)))
    else:
        for stale in MANIFEST_FILES:  # never leave manifests of an earlier dirty run behind
            (Path(cfg.out) / stale).unlink(missing_ok=True)
    return GenerationResult(
        counts=dict(sink.counts),
        seconds=time.perf_counter() - started,
        files=files,
        personas=personas,
        manifest=manifest,
    )
