"""Output sinks: streaming CSV files, and Parquet built from temporary CSVs with duckdb.

CSV follows the raw data contract: UTF-8, header row, LF line endings, minimal quoting,
empty field = null. Parquet files have the same column names and hold every column as
VARCHAR (the raw layer is untrusted text; staging does all typing), with empty fields
stored as NULL.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from .model import HEADERS, TABLES


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write one CSV file in the contract's dialect; returns the number of data rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


class TableSink:
    """Receives rows per table in several batches and produces the five output files.

    `fmt="csv"` streams straight into `<out>/<table>.csv`. `fmt="parquet"` streams into
    temporary CSVs next to the output and, on `close()`, lets duckdb COPY each of them
    into `<out>/<table>.parquet` (duckdb streams too, so memory stays bounded).
    """

    def __init__(self, out: Path, fmt: str = "csv", memory_limit: str = "512MB") -> None:
        """Open one writer per table."""
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown format {fmt!r}")
        self.out = out
        self.fmt = fmt
        self.memory_limit = memory_limit
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        out.mkdir(parents=True, exist_ok=True)
        self._tmp: Path | None = None
        if fmt == "parquet":
            self._tmp = Path(tempfile.mkdtemp(prefix=".datagen-", dir=out))
        base = self._tmp if self._tmp is not None else out
        self.csv_paths = {t: base / f"{t}.csv" for t in TABLES}
        self._files = {
            t: p.open("w", encoding="utf-8", newline="") for t, p in self.csv_paths.items()
        }
        self._writers = {t: csv.writer(f, lineterminator="\n") for t, f in self._files.items()}
        for table, writer in self._writers.items():
            writer.writerow(HEADERS[table])
        self._closed = False

    def __enter__(self) -> TableSink:
        """Context manager entry."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Finish the files (or just clean up after an error)."""
        if exc_type is None:
            self.close()
        else:
            self._abort()

    def write(self, table: str, rows: Iterable[Sequence[str]]) -> None:
        """Append rows (already in column order, as strings) to a table."""
        writer = self._writers[table]
        n = 0
        for row in rows:
            writer.writerow(row)
            n += 1
        self.counts[table] += n

    def _close_files(self) -> None:
        for fh in self._files.values():
            fh.close()

    def _abort(self) -> None:
        self._close_files()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._closed = True

    def close(self) -> list[Path]:
        """Flush everything; for Parquet, convert the temporary CSVs. Returns the files written."""
        if self._closed:
            return []
        self._close_files()
        self._closed = True
        if self._tmp is None:
            return [self.csv_paths[t] for t in TABLES]
        try:
            outputs = [self.out / f"{t}.parquet" for t in TABLES]
            csv_to_parquet(self.csv_paths, outputs, self.memory_limit)
            return outputs
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_to_parquet(
    csv_paths: dict[str, Path], outputs: list[Path], memory_limit: str = "512MB"
) -> None:
    """COPY each contract CSV into a Parquet file with all columns as VARCHAR (empty -> NULL)."""
    import duckdb  # imported lazily: only the Parquet path needs it

    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
        tmp_dir = next(iter(csv_paths.values())).parent
        con.execute(f"SET temp_directory = {_sql_str(str(tmp_dir / 'duckdb_tmp'))}")
        for table, dst in zip(TABLES, outputs, strict=True):
            columns = ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in HEADERS[table])
            src = _sql_str(str(csv_paths[table]))
            con.execute(
                f"COPY (SELECT * FROM read_csv({src}, header = true, delim = ',', quote = '\"', "
                f"escape = '\"', columns = {{{columns}}}, auto_detect = false)) "
                f"TO {_sql_str(str(dst))} (FORMAT parquet, COMPRESSION zstd)"
            )
    finally:
        con.close()
