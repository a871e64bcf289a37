"""The package's HTML report (``report.html``): one self-contained page per platform that opens
offline: the series timeline picture (shots, dialogue, episode boundaries), every episode with
its cover, duration, loudness, QC result and margin from dialogue, each masked episode's frame
before and after masking of burned-in text, the trailers and the warnings. Pictures are embedded
as data URIs (covers and frames scaled down), so the page needs nothing beside it (and adds no
file QC would find unlisted)."""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vidpack.media.atomic import write_text_atomic
from vidpack.plan.model import EpisodePlan

REPORT_NAME = "report.html"
_THUMB_W = 160

_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{margin:0 0 4px}h2{margin-top:28px}.muted{color:#777}
.timeline img{max-width:100%;border:1px solid #ccc}
table{border-collapse:collapse;margin-top:8px}td,th{padding:4px 10px;border-bottom:1px solid #ddd;
text-align:left;vertical-align:middle}th{background:#eee}
.pass{color:#11772d;font-weight:bold}.fail{color:#b00020;font-weight:bold}
.na{color:#777}img.cover{width:80px;border:1px solid #ccc;display:block}
ul.warnings li{color:#8a5a00}
"""


# Marks the page once loaded: how many pictures failed to decode (a browser test reads it).
_CHECK_SCRIPT = (
    "<script>window.addEventListener('load',function(){var bad=0;"
    "for(var i=0;i<document.images.length;i++){var im=document.images[i];"
    "if(!im.complete||im.naturalWidth===0){bad++;}}"
    "document.body.setAttribute('data-broken-images',String(bad));});</script>"
)


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _timeline(plan: EpisodePlan, analysis: Any) -> str:
    if analysis is None:
        return ""
    import cv2

    from vidpack.plan.png import render_timeline

    ok, buf = cv2.imencode(".png", render_timeline(plan, analysis))
    return _data_uri(buf.tobytes(), "image/png") if ok else ""


def _thumb(path: Path) -> str:
    """A small JPEG data URI of a cover image (empty when it cannot be read)."""
    import cv2

    img = cv2.imread(str(path))
    if img is None:
        return ""
    h, w = img.shape[:2]
    if w > _THUMB_W:
        img = cv2.resize(
            img, (_THUMB_W, max(1, round(h * _THUMB_W / w))), interpolation=cv2.INTER_AREA
        )
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return _data_uri(buf.tobytes(), "image/jpeg") if ok else ""


def _masked_moment(record: dict[str, Any]) -> float | None:
    """The episode time to show masking at: the middle of the longest masked range."""
    ranges = [(float(a), float(b)) for r in record.get("regions") or [] for a, b in r["ranges"]]
    if not ranges:
        return None
    a, b = max(ranges, key=lambda r: r[1] - r[0])
    return (a + b) / 2


def masking_frames(folder: Path, manifest: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    """Per masked episode file: the episode time shown, the master's frame there (before
    masking) and the delivered episode's frame (after), as small JPEG data URIs. An episode
    whose frames cannot be read (a moved master) is left out: the report is still written."""
    from vidpack.errors import VidpackError
    from vidpack.promo.thumbs import extract_frame

    master = str((manifest.get("master") or {}).get("path") or "")
    out: dict[str, tuple[float, str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="vidpack-report-") as tmp:
        for n, ep in enumerate(manifest.get("episodes") or []):
            moment = _masked_moment(ep.get("hardsubs") or {})
            if moment is None or not master:
                continue
            before, after = Path(tmp) / f"{n}b.png", Path(tmp) / f"{n}a.png"
            try:
                extract_frame(master, float(ep["start"]) + moment, before)
                extract_frame(str(folder / ep["file"]), moment, after)
            except VidpackError:
                continue
            pair = (_thumb(before), _thumb(after))
            if all(pair):
                out[ep["file"]] = (moment, *pair)
    return out


def _masking_section(manifest: dict[str, Any], frames: Mapping[str, tuple[float, str, str]]) -> str:
    """The table of masked episodes: method, the moment shown, the frames before and after."""
    if not frames:
        return ""
    esc = html.escape
    rows = [
        "<h2>Burned-in text masking</h2><table id='masking'><tr><th>#</th><th>file</th>"
        "<th>method</th><th>at</th><th>before</th><th>after</th></tr>"
    ]
    for ep in manifest["episodes"]:
        if ep["file"] not in frames:
            continue
        moment, before, after = frames[ep["file"]]
        rows.append(
            f"<tr class='masked'><td>{ep['index']}</td><td>{esc(ep['file'])}</td>"
            f"<td>{esc(str(ep['hardsubs'].get('method')))}</td><td>{moment:.2f} s</td>"
            f"<td><img class='cover before' alt='before masking' src='{before}'></td>"
            f"<td><img class='cover after' alt='after masking' src='{after}'></td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _qc_by_file(qc: dict[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for check in (qc or {}).get("checks", []) or []:
        if isinstance(check, dict):
            out.setdefault(str(check.get("file") or ""), []).append(check)
    return out


def _verdict_cell(checks: list[dict[str, Any]] | None) -> str:
    if not checks:
        return '<span class="na">n/a</span>'
    bad = [c for c in checks if not c.get("ok")]
    if not bad:
        return f'<span class="pass">pass</span> <span class="muted">({len(checks)} checks)</span>'
    names = ", ".join(html.escape(str(c.get("check"))) for c in bad[:4])
    return f'<span class="fail">fail</span> <span class="muted">{names}</span>'


def _loudness(ep: dict[str, Any], checks: list[dict[str, Any]] | None) -> str:
    """The manifest's loudness record (measured level, peak, the render's mode and gain), else
    QC's measured loudness."""
    rec = ep.get("loudness")
    if isinstance(rec, dict) and rec.get("integrated") is not None:
        text = f"{rec['integrated']:g} LUFS, {rec.get('true_peak')} dBTP"
        if rec.get("mode"):
            text += f" · {rec['mode']} {float(rec.get('gain_db') or 0):+.1f} dB"
        return html.escape(text)
    for check in checks or []:
        if "loud" in str(check.get("check", "")) and check.get("actual") is not None:
            return html.escape(str(check["actual"]))
    return "-"


def render_html(
    manifest: dict[str, Any],
    qc: dict[str, Any] | None,
    timeline_uri: str,
    thumbs: dict[str, str],
    margins: Mapping[int, str] | None = None,
    masking: Mapping[str, tuple[float, str, str]] | None = None,
) -> str:
    """The report page's HTML from the manifest, the QC report and the embedded pictures.

    ``margins`` maps an episode's index to its start boundary's margin from dialogue
    (``before/after`` seconds, :meth:`vidpack.plan.model.Margin.text`); ``-`` where absent.
    ``masking`` maps a masked episode's file to :func:`masking_frames`' moment and pictures.
    """
    margins = margins or {}
    esc = html.escape
    series = manifest.get("series", {})
    by_file = _qc_by_file(qc)
    verdict = str((qc or {}).get("verdict", "n/a"))
    cls = {"pass": "pass", "fail": "fail"}.get(verdict, "na")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(series.get('title') or 'vidpack')} - {esc(manifest['platform'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(series.get('title') or 'Untitled series')}</h1>",
        f"<div class='muted'>platform <b>{esc(manifest['platform'])}</b> · "
        f"{series.get('episode_count', len(manifest['episodes']))} episodes · "
        f"vidpack {esc(str(manifest.get('vidpack_version')))} · {esc(str(manifest.get('created')))}"
        f" · QC <span class='{cls}' id='verdict'>{esc(verdict)}</span></div>",
    ]
    if series.get("synopsis"):
        parts.append(f"<p>{esc(series['synopsis'])}</p>")
    if timeline_uri:
        parts.append(
            "<h2>Timeline</h2><div class='timeline'><img alt='series timeline: shots, dialogue, "
            f"episode boundaries' src='{timeline_uri}'></div>"
        )
    covers = {c.get("episode"): c for c in manifest.get("covers", []) if c.get("episode")}
    parts.append(
        "<h2>Episodes</h2><table id='episodes'><tr><th>#</th><th>cover</th><th>file</th>"
        "<th>language</th><th>duration</th><th>size</th><th>loudness</th><th>subtitles</th>"
        "<th>QC</th><th title='seconds from dialogue before/after the episode start'>margin</th>"
        "</tr>"
    )
    for ep in manifest["episodes"]:
        cover = covers.get(ep["index"])
        img = thumbs.get(cover["file"], "") if cover else ""
        cover_cell = f"<img class='cover' alt='cover {ep['index']}' src='{img}'>" if img else "-"
        subs = ", ".join(
            f"{esc(str(s.get('language')))} ({esc(str(s.get('mode')))})" for s in ep["subtitles"]
        )
        checks = by_file.get(ep["file"])
        parts.append(
            f"<tr class='episode'><td>{ep['index']}</td><td>{cover_cell}</td>"
            f"<td>{esc(ep['file'])}</td><td>{esc(str(ep.get('language') or '-'))}</td>"
            f"<td>{ep['duration']:.2f} s</td><td>{ep['width']}x{ep['height']}</td>"
            f"<td class='loudness'>{_loudness(ep, checks)}</td><td>{subs or '-'}</td>"
            f"<td>{_verdict_cell(checks)}</td>"
            f"<td class='margin'>{esc(margins.get(ep['index'], '-'))}</td>"
            "</tr>"
        )
    parts.append("</table>")
    parts.append(_masking_section(manifest, masking or {}))
    parts.append("<h2>Trailers</h2>")
    if manifest.get("trailers"):
        parts.append("<table><tr><th>file</th><th>length</th><th>duration</th><th>QC</th></tr>")
        for tr in manifest["trailers"]:
            parts.append(
                f"<tr class='trailer'><td>{esc(tr['file'])}</td><td>{tr['length']} s</td>"
                f"<td>{tr['duration']:.2f} s</td><td>{_verdict_cell(by_file.get(tr['file']))}</td>"
                "</tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p class='muted'>none</p>")
    series_covers = [c for c in manifest.get("covers", []) if not c.get("episode")]
    if series_covers:
        parts.append("<h2>Series covers</h2><div>")
        for c in series_covers:
            uri = thumbs.get(c["file"], "")
            if uri:
                parts.append(
                    f"<figure style='display:inline-block'><img class='cover' src='{uri}' "
                    f"alt='{esc(c['file'])}'><figcaption>{c['width']}x{c['height']}"
                    "</figcaption></figure>"
                )
        parts.append("</div>")
    parts.append("<h2>Warnings</h2>")
    warnings = manifest.get("warnings") or []
    if warnings:
        parts.append("<ul class='warnings'>")
        parts += [f"<li>{esc(w)}</li>" for w in warnings]
        parts.append("</ul>")
    else:
        parts.append("<p class='muted'>none</p>")
    parts.append(_CHECK_SCRIPT)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(
    folder: Path,
    manifest: dict[str, Any],
    qc: dict[str, Any] | None,
    plan: EpisodePlan,
    analysis: Any,
) -> Path:
    """Write ``folder/report.html`` and return its path."""
    thumbs = {c["file"]: _thumb(folder / c["file"]) for c in manifest.get("covers", [])}
    margins = {e.index: e.margin.text() for e in plan.episodes if e.margin is not None}
    frames = masking_frames(folder, manifest)
    page = render_html(manifest, qc, _timeline(plan, analysis), thumbs, margins, frames)
    path = folder / REPORT_NAME
    write_text_atomic(path, page)
    return path
