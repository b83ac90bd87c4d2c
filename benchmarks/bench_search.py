"""Directory search on the large council: what the user waits for after each keystroke (goal < 50 ms)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store

# Partial names, accent-free spellings and institutions, as a coordinator types them.
QUERIES = ("elo", "prefecture", "martin", "mairie", "college", "gaelle", "le goff", "police", "saint", "z")


def search_timings_ms(database: Path, queries: tuple[str, ...] = QUERIES, rounds: int = 5) -> list[float]:
    """Milliseconds per query for referents + organisations together (one keystroke in the directory)."""
    with tempfile.TemporaryDirectory(prefix="clspd-bench-search-") as folder:
        copy = copy_database(database, Path(folder) / "clspd.sqlite")
        store = Store.over(open_database(copy, Path(folder) / "instantanes").db)
        try:
            timings = []
            for _ in range(rounds):
                for query in queries:
                    began = time.perf_counter()
                    store.directory.contacts(query)
                    store.directory.organisations(query)
                    timings.append((time.perf_counter() - began) * 1000)
            return timings
        finally:
            store.close()


def collect() -> list[tuple[str, float, str]]:
    timings = search_timings_ms(shared_large_database())
    return [("directory_search_ms", statistics.median(timings), "ms")]
