"""vidpack: turn long vertical-drama masters into per-platform episode deliveries."""

from __future__ import annotations

__version__ = "0.1.0"
