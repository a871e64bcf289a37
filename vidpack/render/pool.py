"""Running render work items in parallel threads, all stopped together on an interrupt."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")


def run_all(
    work: Callable[[T], None], items: Sequence[T], jobs: int, stop: threading.Event, name: str
) -> None:
    """Call ``work(item)`` for every item, ``jobs`` at a time (in this thread when 1).

    ``work`` handles its own failures; an exception escaping it (an interrupt, a cancel) sets
    ``stop`` so running items end early, cancels the queued ones, waits for the running ones and
    is raised here.
    """
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            work(item)
        return
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix=name) as pool:
        futures: list[Future[None]] = [pool.submit(work, item) for item in items]
        try:
            while futures:
                done, pending = wait(futures, timeout=0.2)
                for fut in done:
                    fut.result()
                futures = list(pending)
        except BaseException:
            stop.set()
            for fut in futures:
                fut.cancel()
            wait(futures)
            raise
