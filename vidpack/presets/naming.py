"""Output file names of a series: the one place a preset's ``[naming]`` templates are filled in.

Every command names its files here, so that for one master, preset and series name the episode
``split`` writes (``X.mp4``), the sidecars ``subs`` writes (``subtitles.sidecar_naming`` with
``{stem}`` = ``X``), the covers ``thumbs`` writes and the trailers ``trailer`` writes come from
the same templates and the same series name, and ``package`` (its ``--title`` as the series)
names them the same way.

The series-name rule (:func:`series_name`): the given name (``--series``, a package's title),
else the preset's ``naming.series``, with every character other than a letter, a digit, ``-``
or ``_`` turned into ``_`` and ``_`` dropped at both ends (``"Red Thread"`` -> ``Red_Thread``,
``红线`` kept). Every name then goes through :func:`vidpack.media.names.output_name`, which
refuses paths and hidden names and shortens over-long ones.

Commands without a preset (``subs`` without ``--preset``) use :func:`builtin_naming`: the
templates the built-in presets share.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from vidpack.errors import UsageError
from vidpack.media.names import SIDECAR_ROOM, output_name
from vidpack.presets.model import Naming, Preset

NamingKey = Literal["episode", "trailer", "cover", "series_cover"]

SERIES_EXAMPLE = "Red_Thread"
_EXAMPLES: dict[str, str] = {
    "episode": "{series}_E{index:03d}",
    "trailer": "{series}_trailer_{length}s",
    "cover": "{series}_E{index:03d}_{size}",
    "series_cover": "{series}_{size}",
}
# Episodes and trailers get names built from theirs: "<stem>.en.srt", "<stem>.ranges.json".
_COMPANIONS = {"episode": SIDECAR_ROOM, "trailer": SIDECAR_ROOM}


def safe_series(text: str) -> str:
    """``text`` as the series part of file names: letters, digits, ``-`` and ``_`` kept, every
    other character ``_``, ``_`` stripped at both ends (empty when nothing is left)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text.strip()).strip("_")


def series_name(given: str | None, naming: Naming, *, what: str = "--title") -> str:
    """The series name in file names: ``given`` (``None``: the preset's ``naming.series``) made
    safe by :func:`safe_series`.

    Args:
        given: the name the user gave, or ``None``.
        naming: the preset's ``[naming]`` (its ``series`` is the default).
        what: the option ``given`` came from, for the message.

    Raises:
        UsageError: nothing of the name is left (no letter or digit), naming ``what``.
    """
    name = safe_series(given if given is not None else naming.series)
    if name:
        return name
    source = what if given is not None else "the preset's naming.series"
    raise UsageError(
        f"{source} {given if given is not None else naming.series!r} gives no file name "
        f"(letters, digits, - and _ are kept): use e.g. {SERIES_EXAMPLE!r}"
    )


def file_name(
    naming: Naming,
    key: NamingKey,
    *,
    series: str | None,
    ext: str,
    platform: str = "",
    series_from: str = "--title",
    **values: int | str,
) -> str:
    """The file name ``naming.<key>`` gives: the template filled in with the series name
    (:func:`series_name`), ``platform`` and ``values`` (``index``, ``length``, ``size``),
    ``.ext`` added, checked and shortened by :func:`vidpack.media.names.output_name`.

    Args:
        naming: the preset's ``[naming]`` (or :func:`builtin_naming`).
        key: which template: ``episode``, ``trailer``, ``cover`` or ``series_cover``.
        series: the series name as given (``None``: the preset's).
        ext: the extension, without the dot (``mp4``, ``jpg``).
        platform: the preset's name, for ``{platform}`` and for messages.
        series_from: the option ``series`` came from, for messages.
        values: the template's other fields.

    Raises:
        UsageError: an unusable series name or a template that gives no plain file name.
    """
    template: str = getattr(naming, key)
    filled = template.format(
        series=series_name(series, naming, what=series_from), platform=platform, **values
    )
    where = f"preset {platform} naming.{key}" if platform else f"naming.{key}"
    return output_name(
        f"{filled}.{ext}", what=where, example=_EXAMPLES[key], companions=_COMPANIONS.get(key, 0)
    )


def episode_file(naming: Naming, series: str | None, index: int, *, platform: str = "") -> str:
    """Episode ``index``'s file name (``X.mp4``; its sidecars and covers start with ``X``)."""
    return file_name(naming, "episode", series=series, ext="mp4", platform=platform, index=index)


def builtin_naming() -> tuple[Naming, str]:
    """The ``[naming]`` table and ``subtitles.sidecar_naming`` the built-in presets use (the
    most common, should they ever differ), for commands given no preset."""
    from vidpack.presets.load import load_builtin_presets

    presets: list[Preset] = load_builtin_presets()
    naming = Counter(p.naming for p in presets).most_common(1)[0][0]
    sidecar = Counter(p.subtitles.sidecar_naming for p in presets).most_common(1)[0][0]
    return naming, sidecar
