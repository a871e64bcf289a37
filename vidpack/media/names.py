"""Output file names: the one function every output name goes through.

A name comes from a template (``--naming``, a preset's ``naming`` table) filled with values
(series title, language tag, episode number). :func:`output_name` makes sure the result is one
plain file name inside the output folder, never a path out of it, and that it fits the
filesystem: 255 bytes per component, minus room for the temporary sibling
(:func:`vidpack.media.atomic.temp_name`) and companions such as ``<trailer>.ranges.json``.
:func:`output_path` joins it to its folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from vidpack.errors import UsageError

NAME_MAX = 255  # bytes per path component on ext4, xfs, btrfs, tmpfs, NTFS (in UTF-16 units)
# Room kept free for the temporary sibling ".<stem>.partial-<pid><suffix>" (17 bytes at most).
RESERVED = 24
MAX_NAME_BYTES = NAME_MAX - RESERVED
# Extra room for names made from a name: "<episode stem>.zh-Hant-TW.srt" beside an episode,
# "<trailer stem>.ranges.json" beside a trailer, so those stay paired with it.
SIDECAR_ROOM = 24
_TAIL_SUFFIXES = 2  # ".en.srt": the language and the extension survive shortening
_SUFFIX_MAX = 16  # a longer "suffix" is part of the name (a title with a dot), not an extension
_KEEP_END = 24  # bytes of a shortened stem's end kept after the hash (episode numbers live there)


def output_name(name: str, *, what: str, example: str = "", companions: int = 0) -> str:
    """``name`` checked as one plain file name and shortened to fit the filesystem.

    Args:
        name: the file name a template produced (with its extension).
        what: the option or preset key the template came from, for the message
            (``"--naming"``, ``"preset tiktok naming.trailer"``, ``"--title"``).
        example: a value of ``what`` that works, for the message.
        companions: bytes to leave free for names built by adding to this one's stem
            (:data:`SIDECAR_ROOM` for episodes and trailers).

    Returns:
        ``name`` itself when it fits in :data:`MAX_NAME_BYTES` (less ``companions``) bytes of
        UTF-8; else the start of
        its stem, ``~`` 8 hex digits of the full name's SHA-256 ``~`` (distinct long names stay
        distinct), the stem's last 24 bytes (``_E001``) and its extension (up to two short
        suffixes), every cut on a UTF-8 character boundary.

    Raises:
        UsageError: ``name`` is empty, absolute, holds a folder separator or a NUL, is ``.`` or
            ``..``, or starts with a dot (it would be hidden, like vidpack's temporaries).
    """
    hint = f"; use e.g. {example!r}" if example else ""
    problem = _problem(name)
    if problem:
        raise UsageError(f"{what} gives the file name {name!r}, {problem}{hint}")
    limit = MAX_NAME_BYTES - max(0, companions)
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, tail = _split_tail(name)
    tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8] + "~"
    room = limit - len(tag) - len(tail.encode("utf-8"))
    if room < 2 * _KEEP_END:  # an absurd extension: keep the start of the whole name only
        stem, tail, room = name, "", limit - len(tag)
    end = _end_utf8(stem, _KEEP_END)  # "..._E001": what tells episodes apart is at the end
    head = cut_utf8(stem, room - len(end.encode("utf-8")))
    return head + tag + end + tail


def output_path(
    folder: Path, name: str, *, what: str, example: str = "", companions: int = 0
) -> Path:
    """``folder / output_name(name)``: the only way an output's path is built from a template.

    Raises:
        UsageError: see :func:`output_name`.
    """
    return Path(folder) / output_name(name, what=what, example=example, companions=companions)


def cut_utf8(text: str, limit: int) -> str:
    """The longest start of ``text`` whose UTF-8 encoding is at most ``limit`` bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: max(0, limit)].decode("utf-8", errors="ignore")


def _end_utf8(text: str, limit: int) -> str:
    """The longest end of ``text`` whose UTF-8 encoding is at most ``limit`` bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[len(data) - limit :].decode("utf-8", errors="ignore")


def _problem(name: str) -> str:
    if not name.strip():
        return "which is empty: give the template some text"
    if "\0" in name:
        return "which holds a NUL character: remove it"
    if "/" in name or "\\" in name or Path(name).is_absolute():
        return "which is a path, not a plain file name (no folders, no /)"
    if name in (".", ".."):
        return "which names a folder, not a file"
    if name.startswith("."):
        return "which starts with a dot (a hidden file): start it with a letter or digit"
    return ""


def _split_tail(name: str) -> tuple[str, str]:
    """``("long stem", ".en.srt")``: up to two short trailing suffixes form the kept tail."""
    stem, tail = name, ""
    for _ in range(_TAIL_SUFFIXES):
        head, dot, suffix = stem.rpartition(".")
        if not dot or not head or not suffix or len(suffix.encode("utf-8")) > _SUFFIX_MAX:
            break
        if " " in suffix:
            break
        stem, tail = head, f".{suffix}{tail}"
    return stem, tail
