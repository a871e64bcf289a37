"""The report's links: every file of a platform folder named from the manifest, as relative,
percent-encoded hrefs (file names carry the series title, which may be any Unicode, ``#``,
``%`` or ``:``), and the page's table of them."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from vidpack.package.manifest import CHECKSUMS, MANIFEST
from vidpack.package.qc_files import QC_FILE
from vidpack.package.report_frames import SubtitleFrame


def href(rel: str) -> str:
    """``rel`` (a path inside the folder, ``/``-separated) as an escaped relative href."""
    return html.escape(quote(rel, safe="/"), quote=True)


def link(rel: str, text: str | None = None) -> str:
    """An ``<a>`` to ``rel`` showing ``text`` (default: the path), isolated for bidi text."""
    shown = html.escape(rel if text is None else text)
    return f"<a href='{href(rel)}'><bdi>{shown}</bdi></a>"


def package_files(
    manifest: Mapping[str, Any], frames: Sequence[SubtitleFrame] = ()
) -> list[tuple[str, str, str]]:
    """``(path, what, language)`` of every file in the folder beside ``report.html``: the
    files the manifest lists in its order (:func:`vidpack.package.manifest.listed_files`':
    episodes with their subtitle files, trailers, covers, the sheet), the report's stills, then
    vidpack's own files."""
    out: list[tuple[str, str, str]] = []
    for ep in manifest.get("episodes") or []:
        out.append((ep["file"], "episode", str(ep.get("language") or "")))
        out += [
            (s["file"], "subtitles", str(s.get("language") or ""))
            for s in ep.get("subtitles") or []
            if s.get("file")
        ]
    for key, what in (("trailers", "trailer"), ("covers", "cover")):
        out += [(i["file"], what, str(i.get("language") or "")) for i in manifest.get(key) or []]
    sheet = manifest.get("metadata")
    if isinstance(sheet, dict) and sheet.get("file"):
        out.append((str(sheet["file"]), "metadata", ""))
    out += [(f.file, "subtitle frame (report)", f.language) for f in frames if f.file]
    out += [(MANIFEST, "manifest", ""), (CHECKSUMS, "checksums", ""), (QC_FILE, "QC report", "")]
    return out


def files_section(manifest: Mapping[str, Any], frames: Sequence[SubtitleFrame]) -> str:
    """The "Files" table: a link to each of :func:`package_files`, its kind and language."""
    rows = [
        "<h2 id='files'>Files</h2><table id='file-list'>"
        "<tr><th>file</th><th>what</th><th>language</th></tr>"
    ]
    for rel, what, lang in package_files(manifest, frames):
        rows.append(
            f"<tr class='file'><td>{link(rel)}</td><td>{html.escape(what)}</td>"
            f"<td>{html.escape(lang or '-')}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)
