"""The report's QC parts, from the ``qc.json`` data it is given: every check of every file with
its name, result, expected and actual value (a file's checks folded under one line, opened
where one failed), and the failed checks named in the warnings at the top of the page."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

_SHOWN_FAILURES = 8  # failed checks named at the top of the page; the rest are counted


def qc_checks(qc: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The report's checks (dicts of ``file, check, ok, expected, actual``), bad entries out."""
    return [c for c in (qc or {}).get("checks") or [] if isinstance(c, dict)]


def by_file(qc: Mapping[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    """The checks grouped by the file they judge, in the order files first appear."""
    out: dict[str, list[dict[str, Any]]] = {}
    for check in qc_checks(qc):
        out.setdefault(str(check.get("file") or ""), []).append(check)
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _result(ok: bool) -> str:
    return "<span class='pass'>pass</span>" if ok else "<span class='fail'>fail</span>"


def failed_items(qc: Mapping[str, Any] | None) -> list[str]:
    """``<li>`` items for the warnings block: each failed check (file, check, expected and
    actual), the first :data:`_SHOWN_FAILURES` of them, then how many more."""
    esc = html.escape
    failed = [c for c in qc_checks(qc) if not c.get("ok")]
    items = [
        f"<li class='qc-failed'>QC failed: <bdi>{esc(str(c.get('file')))}</bdi>: "
        f"{esc(str(c.get('check')))} (expected <bdi>{esc(str(c.get('expected', '')))}</bdi>, "
        f"got <bdi>{esc(str(c.get('actual', '')))}</bdi>)</li>"
        for c in failed[:_SHOWN_FAILURES]
    ]
    if len(failed) > _SHOWN_FAILURES:
        items.append(
            f"<li class='qc-failed'>and {len(failed) - _SHOWN_FAILURES} more failed checks: "
            "see <a href='#qc'>QC checks</a></li>"
        )
    return items


def qc_section(qc: Mapping[str, Any] | None) -> str:
    """The "QC checks" section: a summary line, then per file a folded table of its checks."""
    esc = html.escape
    groups = by_file(qc)
    if qc is None or not groups:
        return "<h2 id='qc'>QC checks</h2><p class='muted'>no QC report</p>"
    checks = qc_checks(qc)
    failed = sum(1 for c in checks if not c.get("ok"))
    rules = f" · rules: {esc(str(qc['preset']))}" if qc.get("preset") else ""
    parts = [
        f"<h2 id='qc'>QC checks</h2><p class='muted'>{_count(len(checks), 'check')} on "
        f"{_count(len(groups), 'file')}, "
        f"{failed} failed{rules}</p>"
    ]
    for name, items in groups.items():
        bad = sum(1 for c in items if not c.get("ok"))
        state = "fail" if bad else "pass"
        parts.append(
            f"<details class='qc-file'{' open' if bad else ''}><summary><bdi>{esc(name)}</bdi> "
            f"{_result(not bad)} <span class='muted'>{_count(len(items), 'check')}"
            f"{f', {bad} failed' if bad else ''}</span></summary>"
            f"<table class='checks {state}'><tr><th>check</th><th>result</th><th>expected</th>"
            "<th>actual</th></tr>"
        )
        for c in items:
            ok = bool(c.get("ok"))
            parts.append(
                f"<tr class='check {'pass' if ok else 'fail'}' data-file='{esc(name)}'>"
                f"<td>{esc(str(c.get('check')))}</td><td>{_result(ok)}</td>"
                f"<td dir='auto'>{esc(str(c.get('expected', '')))}</td>"
                f"<td dir='auto'>{esc(str(c.get('actual', '')))}</td></tr>"
            )
        parts.append("</table></details>")
    return "".join(parts)
