"""What the bench scripts share: CPU time of finished children, timing a call, and replacing
one script's section of bench/RESULTS.md in place (other sections untouched)."""

from __future__ import annotations

import re
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def child_cpu() -> float:
    """CPU seconds (user + system) of every finished child process, their own children included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and child-CPU seconds of ``fn()``."""
    began, cpu0 = time.monotonic(), child_cpu()
    fn()
    return time.monotonic() - began, child_cpu() - cpu0


def write_section(results: Path, section: str, start: str, end: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) into ``results``: in
    place of the previous one, else at the end."""
    current = results.read_text(encoding="utf-8") if results.is_file() else ""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end) + "\n?", re.S)
    body = section.rstrip("\n") + "\n"
    if pattern.search(current):
        current = pattern.sub(lambda _m: body, current, count=1)
    else:
        current = (current.rstrip("\n") + "\n\n" if current else "") + body
    results.write_text(current, encoding="utf-8")
