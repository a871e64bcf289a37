"""The drama-app metadata sheet of a platform folder: ``metadata.csv``, one row per episode per
delivered language, made from the manifest's own episode and cover entries (so the two always
agree), in UTF-8 with a byte-order mark so a spreadsheet opens CJK, Thai and Arabic intact.

Columns (:data:`COLUMNS`): ``language`` (tag, empty for a package without languages),
``episode`` (number), ``title`` (the language's series title), ``label`` (its episode label,
"EP 2", "第2集"), ``duration`` (seconds, as the manifest), ``file`` (the episode file),
``subtitle_mode`` (``burn``, ``mux``, ``sidecar`` or empty), ``subtitles`` (that language's
subtitle files, ``;``-separated), ``cover`` (that language's cover files of the episode,
``;``-separated), ``access`` (``free``/``paid``, empty when the series file says nothing of
sales), ``intro`` (``yes``/``no``), ``price_tier`` (paid episodes) and ``flags`` (``intro``,
``free``, ``paid``, space-separated).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidpack.package.series import Series
from vidpack.subtitles.labels import episode_label

METADATA = "metadata.csv"
COLUMNS = (
    "language", "episode", "title", "label", "duration", "file", "subtitle_mode", "subtitles",
    "cover", "access", "intro", "price_tier", "flags",
)  # fmt: skip


def metadata_rows(
    episodes: Sequence[dict[str, Any]],
    covers: Sequence[dict[str, Any]],
    series: Series,
    languages: Sequence[str],
) -> list[dict[str, str]]:
    """The sheet's rows from the manifest's ``episodes`` and ``covers`` entries.

    A language's episode is its burned set's (``language`` equal to the tag), else the
    platform's shared set (``language`` null); its subtitles and covers are the ones tagged with
    the language (covers without a language serve every language).
    """
    rows: list[dict[str, str]] = []
    each: list[str | None] = list(languages) or [None]
    for lang in each:
        own = [e for e in episodes if e.get("language") == lang]
        chosen = own or [e for e in episodes if e.get("language") is None]
        for ep in sorted(chosen, key=lambda e: int(e["index"])):
            index = int(ep["index"])
            subs = [s for s in ep.get("subtitles") or [] if lang is None or s["language"] == lang]
            pictures = [
                str(c["file"])
                for c in covers
                if c.get("episode") == index and c.get("language") in (lang, None)
            ]
            flags = [k for k in ("intro",) if ep.get("intro")]
            flags += [ep["access"]] if ep.get("access") else []
            rows.append(
                {
                    "language": lang or "",
                    "episode": str(index),
                    "title": series.title_for(lang),
                    "label": episode_label(index, lang),
                    "duration": repr(float(ep["duration"])),
                    "file": str(ep["file"]),
                    "subtitle_mode": subs[0]["mode"] if subs else "",
                    "subtitles": ";".join(str(s["file"]) for s in subs if s.get("file")),
                    "cover": ";".join(pictures),
                    "access": ep.get("access") or "",
                    "intro": "yes" if ep.get("intro") else "no",
                    "price_tier": ep.get("price_tier") or "",
                    "flags": " ".join(flags),
                }
            )
    return rows


def write_metadata(folder: Path, rows: Sequence[dict[str, str]]) -> dict[str, str]:
    """Write ``<folder>/metadata.csv`` atomically (UTF-8 with BOM, CRLF rows as spreadsheets
    write them); return the manifest's ``metadata`` entry (``file`` and ``sha256``)."""
    from vidpack.media.atomic import write_text_atomic
    from vidpack.package.manifest import sha256_file

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = Path(folder) / METADATA
    write_text_atomic(path, "\ufeff" + text.getvalue())
    return {"file": METADATA, "sha256": sha256_file(path)}
