"""Read and map a file in chunks, in a second process when the file is large.

Mapping rows is pure CPU work; storing them is mostly database work. On a large file a forked
worker reads and maps while the caller stores, so both cores work. Small files are mapped in
process: starting a worker costs more than it saves, and forking a threaded process is avoided.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from linemap.errors import LinemapError
from linemap.intake.reader import open_table
from linemap.intake.transform import Accepted, Rejected, RowPlan

Chunk = tuple[list[Accepted | Rejected], tuple[int, int]]  # results, (done, total) progress
PARALLEL_FROM_BYTES = 8 * 1024 * 1024


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of short-lived tuples are made.

    Mapping and storing rows creates no reference cycles, but the collector would still walk
    every live object again and again: measured here, it cost 40% of the mapping time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def iter_chunks(path: Path, plan: RowPlan, size: int, *, parallel: bool = True) -> Iterator[Chunk]:
    """Yield mapped rows a chunk at a time, with the reader's progress after each chunk."""
    if parallel and path.stat().st_size >= PARALLEL_FROM_BYTES:
        yield from _from_worker(path, plan, size)
    else:
        yield from _chunks(path, plan, size)


def _chunks(path: Path, plan: RowPlan, size: int) -> Iterator[Chunk]:
    with open_table(path) as table:
        rows = iter(table)
        while chunk := list(islice(rows, size)):
            yield [plan.apply(row) for row in chunk], table.progress()


def _produce(path: Path, plan: RowPlan, size: int, queue: Any) -> None:
    gc.disable()  # the worker process only maps rows (see bulk_allocation)
    try:
        for chunk in _chunks(path, plan, size):
            queue.put(chunk)
        queue.put(None)
    except LinemapError as error:
        queue.put(error)
    except Exception as error:  # reported to the caller as one clear line, not a traceback
        queue.put(
            LinemapError(f"the intake worker failed ({type(error).__name__}); nothing was stored")
        )


def _from_worker(path: Path, plan: RowPlan, size: int) -> Iterator[Chunk]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=3)
    worker = context.Process(target=_produce, args=(path, plan, size, queue), daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
