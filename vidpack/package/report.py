"""The package's HTML report (``report.html``): one page per platform that opens offline (no
network: every link and picture is a file of the folder or inline). From the top: the warnings
(the run's, QC's and each failed check), one still per burned subtitle language
(:mod:`vidpack.package.report_frames`), the series timeline picture (shots, dialogue, episode
boundaries), every episode with its cover, duration, loudness, subtitles, QC result and margin
from dialogue, each masked episode's frame before and after masking of burned-in text, the
trailers and covers, every QC check with its expected and actual value
(:mod:`vidpack.package.report_qc`), and a link to every file of the package
(:mod:`vidpack.package.report_links`). Covers, the timeline and the masking frames are inline
data URIs; the subtitle stills are the folder's ``report-frames/<language>.jpg``. All text is
escaped, and text that may run right to left (titles, cues, warnings, file names) is isolated
so it reads in its own direction."""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vidpack.media.atomic import write_text_atomic
from vidpack.package.report_frames import SubtitleFrame, burned_frames
from vidpack.package.report_links import files_section, href, link
from vidpack.package.report_qc import by_file, failed_items, qc_section
from vidpack.plan.model import EpisodePlan
from vidpack.subtitles.model import Track

REPORT_NAME = "report.html"
_THUMB_W = 160
_SHOWN_WARNINGS = 10  # warnings shown open at the top of the page; the rest are folded

_CSS = """
body{font-family:system-ui,'Noto Sans','Noto Sans Arabic','Noto Sans CJK SC',sans-serif;
margin:24px;color:#222;background:#fafafa}
h1{margin:0 0 4px}h2{margin-top:28px}.muted{color:#777}
.timeline img{max-width:100%;border:1px solid #ccc}
table{border-collapse:collapse;margin-top:8px}td,th{padding:4px 10px;border-bottom:1px solid #ddd;
text-align:start;vertical-align:middle}th{background:#eee}
.pass{color:#11772d;font-weight:bold}.fail{color:#b00020;font-weight:bold}
.na{color:#777}img.cover{width:80px;border:1px solid #ccc;display:block}
#warnings{border:1px solid #e0c080;background:#fff8e6;padding:8px 14px;margin-top:14px}
#warnings h2{margin:4px 0}#warnings.none{border-color:#ccc;background:#f3f3f3}
ul.warnings li{color:#8a5a00}ul.warnings li.qc-failed{color:#b00020}
.frames{display:flex;flex-wrap:wrap;gap:16px}
figure.subtitle-frame{margin:0;max-width:280px}
figure.subtitle-frame img{width:270px;border:1px solid #ccc;display:block}
figure.subtitle-frame .cue{display:block;margin-top:4px;white-space:pre-line}
details.qc-file{margin:4px 0}details.qc-file summary{cursor:pointer}
"""


# Marks the page once loaded: each picture's decoded width and how many failed to decode (a
# browser test reads them).
_CHECK_SCRIPT = (
    "<script>window.addEventListener('load',function(){var bad=0;"
    "for(var i=0;i<document.images.length;i++){var im=document.images[i];"
    "im.setAttribute('data-natural-width',String(im.naturalWidth));"
    "if(!im.complete||im.naturalWidth===0){bad++;}}"
    "document.body.setAttribute('data-broken-images',String(bad));});</script>"
)
# Nothing is fetched from a network: pictures from the folder or inline, no other source.
_CSP = (
    "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'"
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


def _warnings_block(manifest: dict[str, Any], qc: dict[str, Any] | None) -> str:
    """The first block of the page: each failed check, then the run's and QC's warnings (the
    first :data:`_SHOWN_WARNINGS` of them open, the rest folded)."""
    texts = [*(manifest.get("warnings") or []), *((qc or {}).get("warnings") or [])]
    items = failed_items(qc) + [
        f"<li dir='auto'>{html.escape(str(w))}</li>" for w in dict.fromkeys(texts)
    ]
    if not items:
        return (
            "<section id='warnings' class='none'><h2>Warnings</h2>"
            "<p class='muted'>none</p></section>"
        )
    shown, folded = items[:_SHOWN_WARNINGS], items[_SHOWN_WARNINGS:]
    more = (
        f"<details><summary>{len(folded)} more</summary><ul class='warnings'>"
        f"{''.join(folded)}</ul></details>"
        if folded
        else ""
    )
    return (
        f"<section id='warnings'><h2>Warnings ({len(items)})</h2>"
        f"<ul class='warnings'>{''.join(shown)}</ul>{more}</section>"
    )


def _frames_section(frames: Sequence[SubtitleFrame]) -> str:
    """One still per burned language: the picture (linked to its file), the episode it comes
    from, the moment and the cue on screen (in its own language and direction)."""
    if not frames:
        return ""
    esc = html.escape
    parts = ["<h2 id='burned'>Burned subtitles</h2><div class='frames'>"]
    for f in frames:
        lang = esc(f.language)
        where = f" · {f.time:.2f} s into<br>{link(f.episode)}" if f.episode else ""
        cue = f"<span class='cue' lang='{lang}' dir='auto'>{esc(f.text)}</span>" if f.text else ""
        picture = (
            f"<a href='{href(f.file)}'><img alt='{lang} subtitles burned into the episode' "
            f"src='{href(f.file)}'></a>"
            if f.file
            else f"<p class='muted'>no still: {esc(f.note)}</p>"
        )
        parts.append(
            f"<figure class='subtitle-frame' data-language='{lang}' data-time='{f.time:.3f}' "
            f"data-episode='{esc(f.episode)}'>{picture}"
            f"<figcaption><b>{lang}</b>{where}{cue}</figcaption></figure>"
        )
    parts.append("</div>")
    return "".join(parts)


def _subtitles_cell(ep: dict[str, Any]) -> str:
    """An episode's subtitles: ``language (mode)``, a sidecar's formats linked to its files."""
    esc = html.escape
    shown: dict[tuple[str, str], list[str]] = {}
    for sub in ep.get("subtitles") or []:
        key = (str(sub.get("language")), str(sub.get("mode")))
        files = shown.setdefault(key, [])
        if sub.get("file"):
            files.append(link(str(sub["file"]), str(sub["file"]).rpartition(".")[2]))
    cells = [
        f"{esc(lang)} ({esc(mode)}{': ' + ' '.join(files) if files else ''})"
        for (lang, mode), files in shown.items()
    ]
    return ", ".join(cells) or "-"


def _episode_rows(
    manifest: dict[str, Any],
    thumbs: dict[str, str],
    checks: Mapping[str, list[dict[str, Any]]],
    margins: Mapping[int, str],
) -> list[str]:
    esc = html.escape
    covers: dict[tuple[int, str | None], dict[str, Any]] = {}
    for c in manifest.get("covers", []):  # an episode's cover in its language, else its first
        if c.get("episode"):
            covers.setdefault((c["episode"], c.get("language")), c)
            covers.setdefault((c["episode"], None), c)
    rows = [
        "<h2>Episodes</h2><table id='episodes'><tr><th>#</th><th>cover</th><th>file</th>"
        "<th>language</th><th>duration</th><th>size</th><th>loudness</th><th>subtitles</th>"
        "<th>QC</th><th title='seconds from dialogue before/after the episode start'>margin</th>"
        "</tr>"
    ]
    for ep in manifest["episodes"]:
        cover = covers.get((ep["index"], ep.get("language"))) or covers.get((ep["index"], None))
        img = thumbs.get(cover["file"], "") if cover else ""
        cover_cell = (
            f"<a href='{href(cover['file'])}'><img class='cover' alt='cover {ep['index']}' "
            f"src='{img}'></a>"
            if cover and img
            else "-"
        )
        mine = checks.get(ep["file"])
        rows.append(
            f"<tr class='episode'><td>{ep['index']}</td><td>{cover_cell}</td>"
            f"<td>{link(ep['file'])}</td><td>{esc(str(ep.get('language') or '-'))}</td>"
            f"<td>{ep['duration']:.2f} s</td><td>{ep['width']}x{ep['height']}</td>"
            f"<td class='loudness'>{_loudness(ep, mine)}</td><td>{_subtitles_cell(ep)}</td>"
            f"<td>{_verdict_cell(mine)}</td>"
            f"<td class='margin'>{esc(margins.get(ep['index'], '-'))}</td>"
            "</tr>"
        )
    rows.append("</table>")
    return rows


def _promo_rows(
    manifest: dict[str, Any], thumbs: dict[str, str], checks: Mapping[str, list[dict[str, Any]]]
) -> list[str]:
    """The trailers table and the series covers, each linked to its file."""
    rows = ["<h2>Trailers</h2>"]
    if manifest.get("trailers"):
        rows.append("<table><tr><th>file</th><th>length</th><th>duration</th><th>QC</th></tr>")
        for tr in manifest["trailers"]:
            rows.append(
                f"<tr class='trailer'><td>{link(tr['file'])}</td><td>{tr['length']} s</td>"
                f"<td>{tr['duration']:.2f} s</td><td>{_verdict_cell(checks.get(tr['file']))}</td>"
                "</tr>"
            )
        rows.append("</table>")
    else:
        rows.append("<p class='muted'>none</p>")
    series_covers = [c for c in manifest.get("covers", []) if not c.get("episode")]
    if series_covers:
        rows.append("<h2>Series covers</h2><div>")
        for c in series_covers:
            uri = thumbs.get(c["file"], "")
            if uri:
                rows.append(
                    f"<figure style='display:inline-block'><a href='{href(c['file'])}'>"
                    f"<img class='cover' src='{uri}' alt='{html.escape(c['file'])}'></a>"
                    f"<figcaption>{c['width']}x{c['height']}</figcaption></figure>"
                )
        rows.append("</div>")
    return rows


def render_html(
    manifest: dict[str, Any],
    qc: dict[str, Any] | None,
    timeline_uri: str,
    thumbs: dict[str, str],
    margins: Mapping[int, str] | None = None,
    masking: Mapping[str, tuple[float, str, str]] | None = None,
    frames: Sequence[SubtitleFrame] = (),
) -> str:
    """The report page's HTML from the manifest, the QC report and the pictures.

    ``margins`` maps an episode's index to its start boundary's margin from dialogue
    (``before/after`` seconds, :meth:`vidpack.plan.model.Margin.text`); ``-`` where absent.
    ``masking`` maps a masked episode's file to :func:`masking_frames`' moment and pictures;
    ``frames`` are the burned languages' stills (:func:`burned_frames`).
    """
    esc = html.escape
    series = manifest.get("series", {})
    checks = by_file(qc)
    verdict = str((qc or {}).get("verdict", "n/a"))
    cls = {"pass": "pass", "fail": "fail"}.get(verdict, "na")
    title = esc(series.get("title") or "Untitled series")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">",
        f"<title>{esc(series.get('title') or 'vidpack')} - {esc(manifest['platform'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1 dir='auto'>{title}</h1>",
        f"<div class='muted'>platform <b>{esc(manifest['platform'])}</b> · "
        f"{series.get('episode_count', len(manifest['episodes']))} episodes · "
        f"vidpack {esc(str(manifest.get('vidpack_version')))} · {esc(str(manifest.get('created')))}"
        f" · QC <a href='#qc'><span class='{cls}' id='verdict'>{esc(verdict)}</span></a></div>",
        _warnings_block(manifest, qc),
    ]
    if series.get("synopsis"):
        parts.append(f"<p dir='auto'>{esc(series['synopsis'])}</p>")
    parts.append(_frames_section(frames))
    if timeline_uri:
        parts.append(
            "<h2>Timeline</h2><div class='timeline'><img alt='series timeline: shots, dialogue, "
            f"episode boundaries' src='{timeline_uri}'></div>"
        )
    parts += _episode_rows(manifest, thumbs, checks, margins or {})
    parts.append(_masking_section(manifest, masking or {}))
    parts += _promo_rows(manifest, thumbs, checks)
    parts.append(qc_section(qc))
    parts.append(files_section(manifest, frames))
    parts.append(_CHECK_SCRIPT)
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(
    folder: Path,
    manifest: dict[str, Any],
    qc: dict[str, Any] | None,
    plan: EpisodePlan,
    analysis: Any,
    tracks: Sequence[Track] = (),
) -> Path:
    """Write ``folder/report.html`` (and the burned languages' stills of ``tracks`` beside it,
    in ``report-frames/``) and return its path."""
    thumbs = {c["file"]: _thumb(folder / c["file"]) for c in manifest.get("covers", [])}
    margins = {e.index: e.margin.text() for e in plan.episodes if e.margin is not None}
    masking = masking_frames(folder, manifest)
    frames = burned_frames(folder, manifest, tracks)
    page = render_html(manifest, qc, _timeline(plan, analysis), thumbs, margins, masking, frames)
    path = folder / REPORT_NAME
    write_text_atomic(path, page)
    return path
