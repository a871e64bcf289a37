"""The values a package render passes between its planning (:mod:`vidpack.package.render_step`)
and its processes (:mod:`vidpack.package.render_runner`): one stale episode file, one rendition
ready to render."""

from __future__ import annotations

from dataclasses import dataclass

from vidpack.package.renditions import Rendition
from vidpack.render.model import EpisodeSpec
from vidpack.render.state import SplitState


@dataclass(frozen=True, slots=True)
class Item:
    """One stale episode file of one rendition."""

    slot: int  # the rendition's position
    spec: EpisodeSpec
    key: str  # its render key (before loudness, as split_master records it)
    name: str  # unique observer item name: <rendition label>/<file name>


@dataclass(frozen=True, slots=True)
class Prepared:
    """One rendition ready to render: its specs, render keys and state file."""

    rendition: Rendition
    label: str
    specs: tuple[EpisodeSpec, ...]
    keys: dict[int, str]
    state: SplitState
