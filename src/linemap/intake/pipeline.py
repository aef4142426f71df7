"""Read, map and prepare a file in chunks, in a second process when the file is large.

Reading, mapping and numbering rows is pure CPU work; storing them is database work. On a large
file a forked worker does the first while the caller stores, so both cores work; the worker
inherits the batch builder (what is stored, the next free ids) and is the only one to advance
it. Small files are prepared in process: a worker costs more than it saves there.
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
from linemap.intake.batch import BatchBuilder, Prepared
from linemap.intake.reader import open_table
from linemap.intake.transform import RowPlan


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


def iter_prepared(
    path: Path,
    plan: RowPlan,
    builder: BatchBuilder,
    size: int,
    *,
    parallel_from_bytes: int,
) -> Iterator[Prepared]:
    """Yield prepared chunks, each with the reader's progress after it."""
    if path.stat().st_size >= parallel_from_bytes:
        yield from _from_worker(path, plan, builder, size)
    else:
        yield from _prepare(path, plan, builder, size)


def _prepare(path: Path, plan: RowPlan, builder: BatchBuilder, size: int) -> Iterator[Prepared]:
    with open_table(path) as table:
        rows = iter(table)
        while chunk := list(islice(rows, size)):
            prepared = builder.add([plan.apply(row) for row in chunk])
            prepared.progress = table.progress()
            yield prepared


def _produce(path: Path, plan: RowPlan, builder: BatchBuilder, size: int, queue: Any) -> None:
    gc.disable()  # this process only prepares rows (see bulk_allocation)
    try:
        for chunk in _prepare(path, plan, builder, size):
            queue.put(chunk)
        queue.put(None)
    except LinemapError as error:
        queue.put(error)
    except Exception as error:  # reported to the caller as one clear line, not a traceback
        queue.put(
            LinemapError(f"the intake worker failed ({type(error).__name__}); nothing was stored")
        )


def _from_worker(path: Path, plan: RowPlan, builder: BatchBuilder, size: int) -> Iterator[Prepared]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=3)
    worker = context.Process(target=_produce, args=(path, plan, builder, size, queue), daemon=True)
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
