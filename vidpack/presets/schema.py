"""Checking preset data against the dataclasses in ``model.py``, collecting every problem.

TOML tables are flattened to dotted keys (``video.gop.closed``) that remember the file each
value came from, so a problem names its file, key, bad value and what would work. Checks run in
three steps: keys and types per file (:func:`flatten`), each resolved value against its rule
(:func:`check_values`), then rules that span keys (``checks.cross_check``). :func:`build` turns
checked values into a :class:`~vidpack.presets.model.Preset`.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from dataclasses import MISSING, dataclass, fields, is_dataclass
from functools import cache
from typing import Any

from vidpack.presets.model import Preset, toml_key
from vidpack.presets.rules import Rule

ABSENT: Any = object()


@dataclass(frozen=True, slots=True)
class Leaf:
    """One scalar or list key of the schema."""

    path: str
    type: Any
    rule: Rule
    default: Any


@dataclass(frozen=True, slots=True)
class Entry:
    """A value read from a preset file, with the file it came from."""

    value: Any
    origin: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a preset: where, which key, the bad value and what would work."""

    origin: str
    key: str
    hint: str
    value: Any = ABSENT

    def __str__(self) -> str:
        if self.value is ABSENT:
            return f"{self.origin}: {self.key}: {self.hint}"
        return f"{self.origin}: {self.key} = {show_value(self.value)}: {self.hint}"


def show_value(value: Any) -> str:
    """A value as it would be written in TOML (strings quoted, ``true``/``false``)."""
    return json.dumps(value, ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class Schema:
    """The flattened schema: leaf keys and table paths, in declaration order."""

    leaves: dict[str, Leaf]
    tables: dict[str, tuple[str, ...]]  # table path ("" = top) -> its child keys


@cache
def schema() -> Schema:
    """The schema of :class:`Preset`, built once from its dataclasses."""
    leaves: dict[str, Leaf] = {}
    tables: dict[str, tuple[str, ...]] = {}

    def walk(cls: Any, prefix: str) -> None:
        hints = _hints(cls)
        children: list[str] = []
        for f in fields(cls):
            if f.metadata.get("internal"):
                continue
            key = toml_key(f)
            path = f"{prefix}.{key}" if prefix else key
            children.append(key)
            tp = hints[f.name]
            if is_dataclass(tp):
                walk(tp, path)
            else:
                default = f.default if f.default is not MISSING else ABSENT
                leaves[path] = Leaf(path, tp, f.metadata["rule"], default)
        tables[prefix] = tuple(children)

    walk(Preset, "")
    return Schema(leaves, tables)


def _suggest(table: str, key: str) -> str:
    """`` (did you mean "video.width"?)`` for a misspelt or misplaced key, or ``""``."""
    s = schema()
    siblings = [k for k in s.tables.get(table, ()) if k]
    close = difflib.get_close_matches(key, siblings, n=1, cutoff=0.6)
    if close:
        return f' (did you mean "{_join(table, close[0])}"?)'
    # A key put in the wrong table: match its last part anywhere in the schema.
    everywhere = [*s.leaves, *(t for t in s.tables if t)]
    by_last = {p.rsplit(".", 1)[-1]: p for p in reversed(everywhere)}
    close = difflib.get_close_matches(key, list(by_last), n=1, cutoff=0.8)
    return f' (did you mean "{by_last[close[0]]}"?)' if close else ""


def _join(table: str, key: str) -> str:
    return f"{table}.{key}" if table else key


def flatten(data: dict[str, Any], origin: str) -> tuple[dict[str, Entry], list[Problem]]:
    """Dotted keys -> entries for one file's data; unknown keys and table/value mix-ups as
    problems (the rest of the file is still read)."""
    s = schema()
    flat: dict[str, Entry] = {}
    problems: list[Problem] = []

    def walk(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            path = _join(prefix, key)
            if path in s.tables:
                if isinstance(value, dict):
                    walk(value, path)
                else:
                    problems.append(Problem(origin, path, f"use a table [{path}]", value))
            elif path in s.leaves:
                if isinstance(value, dict):
                    hint = f"use a value here, not a table; [{path}] has no keys"
                    problems.append(Problem(origin, path, hint))
                else:
                    flat[path] = Entry(value, origin)
            else:
                allowed = ", ".join(s.tables.get(prefix, ()))
                where = f"[{prefix}]" if prefix else "the top level"
                hint = f"unknown key{_suggest(prefix, key)}; {where} takes: {allowed}"
                problems.append(Problem(origin, path, hint))

    walk(data, "")
    return flat, problems


def _coerce(value: Any, tp: Any) -> tuple[bool, Any]:
    """``(ok, converted)``: TOML value against a field type (ints widen to floats)."""
    if tp is bool:
        return isinstance(value, bool), value
    if isinstance(value, bool):
        return False, value
    if tp is int:
        return isinstance(value, int), value
    if tp is float:
        return isinstance(value, int | float), float(value) if isinstance(value, int) else value
    if tp is str:
        return isinstance(value, str), value
    if isinstance(tp, types.UnionType):
        for member in typing.get_args(tp):
            ok, converted = _coerce(value, member)
            if ok:
                return ok, converted
        return False, value
    if typing.get_origin(tp) is tuple:
        if not isinstance(value, list):
            return False, value
        item_type = typing.get_args(tp)[0]
        items = [_coerce(v, item_type) for v in value]
        return all(ok for ok, _ in items), tuple(v for _, v in items)
    raise TypeError(f"unsupported preset field type {tp!r}")


_TYPE_WORDS = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


def _allowed(tp: Any, rule: Rule) -> str:
    """What a key takes, to follow "use": 'an even integer from 16 to 8192', 'one of ...'."""
    if typing.get_origin(tp) is tuple:
        return f"a list, each item {_allowed(typing.get_args(tp)[0], rule)}"
    if isinstance(tp, types.UnionType):
        return " or ".join(_TYPE_WORDS[m] for m in typing.get_args(tp))
    if rule.choices:
        return "one of " + ", ".join(show_value(c) for c in rule.choices)
    word = _TYPE_WORDS[tp]
    if tp in (int, float) and (rule.lo is not None or rule.hi is not None or rule.even):
        word = f"an even {word.split()[-1]}" if rule.even else word
        word += "" if rule.lo is None else f" from {rule.lo:g}"
        word += "" if rule.hi is None else f" to {rule.hi:g}"
    return word


def _rule_hint(value: Any, tp: Any, rule: Rule, item: bool = False) -> str | None:
    """What would work, if ``value`` (already of type ``tp``) breaks ``rule``; else None.

    ``item`` says ``value`` is one item of a list (``nonempty`` applies to the whole list).
    """
    if rule.check is not None:
        return rule.check(value)
    if rule.nonempty and not value and not item:
        return "must not be empty"
    if rule.choices and value not in rule.choices:
        hint = f"use {_allowed(tp, rule)}"
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [str(c) for c in rule.choices], n=1)
            hint += f' (did you mean "{close[0]}"?)' if close else ""
        return hint
    if isinstance(value, int | float) and (
        (rule.lo is not None and value < rule.lo)
        or (rule.hi is not None and value > rule.hi)
        or (rule.even and value % 2)
    ):
        return f"use {_allowed(tp, rule)}"
    return None


def check_values(
    merged: dict[str, Entry], leaf_origin: str, extends: bool
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every resolved value; return the good ones (converted) and the problems.

    Missing required keys are reported per table, with a hint to extend a built-in when the
    file extends nothing.
    """
    s = schema()
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    missing: dict[str, list[str]] = {}
    for path, leaf in s.leaves.items():
        entry = merged.get(path)
        if entry is None:
            if leaf.default is not ABSENT:
                values[path] = leaf.default
            else:
                table, _, key = path.rpartition(".")
                missing.setdefault(table, []).append(key)
            continue
        ok, value = _coerce(entry.value, leaf.type)
        if not ok:
            hint = f"use {_allowed(leaf.type, leaf.rule)}"
            problems.append(Problem(entry.origin, path, hint, entry.value))
            continue
        problem_count = len(problems)
        if isinstance(value, tuple):
            if not value and leaf.rule.nonempty:
                problems.append(Problem(entry.origin, path, "must not be empty", entry.value))
            item_type = typing.get_args(leaf.type)[0]
            for i, item in enumerate(value):
                item_hint = _rule_hint(item, item_type, leaf.rule, item=True)
                if item_hint:
                    raw = entry.value[i]
                    problems.append(Problem(entry.origin, f"{path}[{i}]", item_hint, raw))
        else:
            value_hint = _rule_hint(value, leaf.type, leaf.rule)
            if value_hint:
                problems.append(Problem(entry.origin, path, value_hint, entry.value))
        if len(problems) == problem_count:
            values[path] = value
    for table, keys in missing.items():
        where = f"[{table}]" if table else "the top level"
        fix = "set them" if extends else 'set them, or start the file with extends = "tiktok"'
        problems.append(Problem(leaf_origin, where, f"missing {', '.join(keys)}: {fix}"))
    return values, problems


def build(values: dict[str, Any], *, extends: str | None, path: str | None) -> Preset:
    """A :class:`Preset` from checked values (every required key present).

    Args:
        values: Dotted key -> checked value, as returned by :func:`check_values`.
        extends: The preset it was based on, if any.
        path: The file it came from (``None`` for a built-in).
    """

    def make(cls: Any, prefix: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        hints = _hints(cls)
        for f in fields(cls):
            if f.metadata.get("internal"):
                continue
            key = _join(prefix, toml_key(f))
            tp = hints[f.name]
            kwargs[f.name] = (
                tp(**make(tp, key)) if isinstance(tp, type) and is_dataclass(tp) else values[key]
            )
        return kwargs

    return Preset(**make(Preset, ""), extends=extends, path=path)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)
