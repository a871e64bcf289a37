"""Cover images: one frame filled to each preset size, with the title and a large localised
episode label ("EP 2", "第2集", "الحلقة 2": :func:`~vidpack.subtitles.labels.episode_label`) drawn
(libass, font for the text's script, shaped and right to left where needed) inside the safe area
and the platform's centre grid band, saved under the preset's file-size cap (JPEG quality lowered
until it fits).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from vidpack.errors import VidpackError
from vidpack.media.atomic import atomic_output
from vidpack.media.runner import run_ffmpeg
from vidpack.presets.model import Preset
from vidpack.promo.text import TextBox, font_script, write_ass
from vidpack.subtitles.labels import episode_label

_GRID = {"3:4": (3, 4), "4:5": (4, 5), "1:1": (1, 1)}
_QUALITIES = (2, 3, 4, 5, 7, 9, 12, 15, 19, 24, 31)  # ffmpeg mjpeg -q:v, best first


@dataclass(frozen=True, slots=True)
class Cover:
    """One written cover: its file, size, frame time, bytes and JPEG quality used."""

    path: Path
    width: int
    height: int
    time: float
    size_bytes: int
    quality: int | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "file": self.path.name,
            "size": f"{self.width}x{self.height}",
            "time": round(self.time, 3),
            "bytes": self.size_bytes,
            "quality": self.quality,
        }


def text_box(preset: Preset, width: int, height: int) -> TextBox:
    """The rectangle cover text must stay in: the preset's safe area at this size, narrowed to
    the centre band the platform's grid shows (``covers.grid_aspect``)."""
    top, bottom, left, right = preset.safe_zone.scaled(width, height)
    box_top, box_bottom, box_left, box_right = top, height - bottom, left, width - right
    grid = _GRID.get(preset.covers.grid_aspect)
    if grid is not None:
        gw, gh = grid
        band_h = min(height, round(width * gh / gw))
        band_w = min(width, round(height * gw / gh))
        y0, x0 = (height - band_h) // 2, (width - band_w) // 2
        box_top, box_bottom = max(box_top, y0), min(box_bottom, y0 + band_h)
        box_left, box_right = max(box_left, x0), min(box_right, x0 + band_w)
    if box_bottom - box_top < height // 4 or box_right - box_left < width // 4:
        # a safe zone made for 9:16 can swallow a landscape cover: fall back to a 5% margin
        box_left, box_top = width // 20, height // 20
        box_right, box_bottom = width - width // 20, height - height // 20
    return TextBox(width, height, box_left, box_top, box_right, box_bottom)


def cover_name(preset: Preset, series: str | None, size: str, index: int | None) -> str:
    """A cover's file name from the preset's ``naming.cover`` (episode ``index``) or
    ``naming.series_cover`` (``index`` None) template, by
    :func:`vidpack.presets.naming.file_name` (``series`` None: the preset's).

    Raises:
        UsageError: the series name or the template gives no plain file name.
    """
    from vidpack.presets.naming import file_name

    ext, platform = preset.covers.format, preset.name
    if index is None:
        return file_name(preset.naming, "series_cover", series=series, ext=ext,
                         platform=platform, size=size)  # fmt: skip
    return file_name(preset.naming, "cover", series=series, ext=ext, platform=platform,
                     size=size, index=index)  # fmt: skip


def fill_filter(src_w: int, src_h: int, width: int, height: int) -> str:
    """Scale to cover ``width`` x ``height`` and crop the centre (a cover has no letterbox)."""
    from vidpack.render.reframe import reframe_filter

    return str(reframe_filter("crop", src_w, src_h, width, height))


def _ems(text: str) -> float:
    """A rough width of ``text`` in font sizes: wide CJK/Hangul glyphs 1, combining marks 0,
    joined Arabic letters 0.3 (Noto Sans Arabic draws "الحلقة" 1.2 sizes wide), others 0.62:
    enough to keep a label on one line inside the box."""
    import unicodedata

    width = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        else:  # joined Arabic letters are narrower than Latin ones
            width += 0.3 if "\u0600" <= char <= "\u06ff" else 0.62
    return max(width, 1.0)


def cover_ass(
    path: Path,
    preset: Preset,
    size: tuple[int, int],
    title: str,
    label: str,
    language: str | None = None,
) -> None:
    """Write the cover's text layer (``title`` at the top, ``label`` large at the bottom of the
    cover's text box, in the font of ``language``'s script or the text's) as an ASS script for
    ``size``."""
    width, height = size
    box = text_box(preset, width, height)
    box_h, box_w = box.bottom - box.top, box.right - box.left
    font = preset.subtitles.style.fonts.for_script(font_script(title + label, language))
    bottom = min(height * 0.2, box_h * 0.4, box_w * 0.92 / _ems(label)) if label else 16.0
    write_ass(
        path,
        box,
        font,
        top_text=title,
        bottom_text=label,
        top_size=max(12.0, min(height * 0.06, box_h * 0.18)),
        bottom_size=max(12.0, bottom),
    )


def make_cover(
    master: str,
    time: float,
    out: Path,
    *,
    src_size: tuple[int, int],
    size: tuple[int, int],
    preset: Preset,
    title: str = "",
    number: int | None = None,
    language: str | None = None,
    max_bytes: int | None = None,
) -> Cover:
    """Write one cover of the frame at ``time`` to ``out`` (``.jpg`` or ``.png``).

    Args:
        master: the master (or episode) file.
        time: the frame's time in that file.
        out: the output path; its suffix picks the format.
        src_size: the file's display size.
        size: the cover's ``(width, height)``.
        preset: for the safe area, grid band and fonts.
        title: the series title (empty: none).
        number: the episode number, drawn large as ``language``'s label (None: none, as on a
            series cover).
        language: the language tag of the label (``None``: ``EP 2``).
        max_bytes: the file-size cap (None: none).

    Raises:
        VidpackError: the cover cannot be made small enough even at the lowest quality.
    """
    width, height = size
    chain = [fill_filter(src_size[0], src_size[1], width, height)]
    with tempfile.TemporaryDirectory(prefix="vidpack-cover-") as tmp:
        if title or number is not None:
            from vidpack.subtitles.burn import burn_filter

            ass = Path(tmp) / "cover.ass"
            label = "" if number is None else episode_label(number, language)
            cover_ass(ass, preset, size, title, label, language)
            chain.append(burn_filter(ass))
        vf = ",".join(chain)
        jpeg = out.suffix.lower() in (".jpg", ".jpeg")
        qualities: tuple[int | None, ...] = _QUALITIES if jpeg else (None,)
        for quality in qualities:
            try:
                with atomic_output(out) as tmp_out:
                    args = ["-threads", "1", "-ss", f"{time:.6f}", "-i", master]
                    args += ["-frames:v", "1", "-an", "-sn", "-vf", vf]
                    args += ["-q:v", str(quality)] if quality is not None else []
                    args += ["-update", "1", str(tmp_out)]
                    run_ffmpeg(args, label=f"cover {out.name}")
                    written = tmp_out.stat().st_size if tmp_out.exists() else 0
                    if max_bytes is not None and written > max_bytes:
                        if quality != qualities[-1]:
                            raise _TooBig
                        raise VidpackError(
                            f"cover {out.name}: {written} bytes even at the lowest quality, over "
                            f"the preset's covers.max_mb cap ({max_bytes} bytes); use a preset "
                            "with a larger covers.max_mb"
                        )
            except _TooBig:
                continue
            return Cover(out, width, height, time, written, quality)
    raise AssertionError("unreachable")  # the last quality returns or raises


class _TooBig(Exception):
    """Internal: discard this attempt (atomic_output removes it) and try a lower quality."""
