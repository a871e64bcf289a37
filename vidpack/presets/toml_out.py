"""Writing preset data back as TOML (the standard library only reads TOML).

Covers what presets hold: strings, integers, floats, booleans, lists of those, nested tables.
The output reads back with ``tomllib`` to the same data.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are a subset of TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dumps_toml(data: dict[str, Any], header: str = "") -> str:
    """``data`` as TOML text: top-level keys first, then each table as ``[a.b]``.

    Args:
        data: Nested dicts of plain values.
        header: Comment lines (without ``#``) put at the top.
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]

    def table(node: dict[str, Any], path: str) -> None:
        scalars = [(k, v) for k, v in node.items() if not isinstance(v, dict)]
        subtables = [(k, v) for k, v in node.items() if isinstance(v, dict)]
        if path and (scalars or not subtables):
            if lines:
                lines.append("")
            lines.append(f"[{path}]")
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in scalars)
        for k, v in subtables:
            table(v, f"{path}.{_key(k)}" if path else _key(k))

    table(data, "")
    return "\n".join(lines) + "\n"
