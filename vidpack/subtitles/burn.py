"""The libass filter that burns an ASS script (shaped by HarfBuzz), its path escaped for ffmpeg.

A filter argument goes through two parsers: the filtergraph parser (which splits filters on
``[ ] , ;`` and unquotes) and then the filter's option parser (which splits options on ``:``
and unquotes again). :func:`escape_filter_value` escapes for both, so any path works; the
alternative, :func:`stage_safe_copy`, copies the script to a temporary name of plain ASCII
letters for callers that prefer not to rely on escaping (both are tested with real ffmpeg).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

_OPTION_SPECIAL = "\\':"
_GRAPH_SPECIAL = "\\'[],;"


def escape_filter_value(value: str) -> str:
    """Escape ``value`` to be one option value inside a ``-vf``/``-filter_complex`` graph."""
    level1 = "".join("\\" + ch if ch in _OPTION_SPECIAL else ch for ch in value)
    return "".join("\\" + ch if ch in _GRAPH_SPECIAL else ch for ch in level1)


def burn_filter(ass_path: Path, fonts_dir: Path | None = None) -> str:
    """The ``ass=`` filter drawing ``ass_path`` (an ASS script in output pixels) with HarfBuzz
    shaping (``shaping=complex``).

    ffmpeg's ``subtitles`` filter has no shaping option and leaves libass at its simple shaper
    (as ffmpeg 5.1 does): Arabic is then joined from presentation forms, and the lam-alef with
    hamza of "الأحمر" comes out as a missing-glyph box. The ``ass`` filter lets it be set; every
    script vidpack burns (subtitles, cards, covers, end cards, picture labels) goes through it.

    Append it after the reframe/scale filters so it draws on the output-size picture, e.g.
    ``-vf "scale=1080:1920,<this>"``.

    Args:
        ass_path: the script (any characters in the path).
        fonts_dir: an extra folder of fonts for libass (fontconfig's fonts are always used).
    """
    parts = [f"ass=filename={escape_filter_value(str(Path(ass_path).absolute()))}"]
    if fonts_dir is not None:
        parts.append(f"fontsdir={escape_filter_value(str(Path(fonts_dir).absolute()))}")
    parts.append("shaping=complex")
    return ":".join(parts)


def shaped_filter(ass_path: Path) -> str:
    """:func:`burn_filter` without an extra fonts folder (the picture labels' name for it)."""
    return burn_filter(ass_path)


def stage_safe_copy(path: Path, folder: Path | None = None) -> Path:
    """Copy ``path`` to a new temporary folder (or ``folder``) under a plain ASCII name.

    The caller removes the copy (and the folder) when the encode is done.
    """
    where = folder if folder is not None else Path(tempfile.mkdtemp(prefix="vidpack-subs-"))
    target = where / f"subs{Path(path).suffix.lower() or '.ass'}"
    shutil.copyfile(path, target)
    return target
