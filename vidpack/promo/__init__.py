"""Promo material from a master: thumbnails, covers and contact sheets (``thumbs_run``) and
trailers (``trailer``, ``trailer_render``). Heavy libraries are imported only when used.
"""

from __future__ import annotations
