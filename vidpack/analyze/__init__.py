"""The single analysis pass over a master: transitions, speech, loudness, per-shot statistics.

``analyze(master)`` is the entry point; the result type lives in :mod:`vidpack.analyze.model`.
Heavy libraries (numpy, OpenCV) are imported only when a pass runs.
"""

from __future__ import annotations

from vidpack.analyze.pipeline import analyze
from vidpack.analyze.settings import AnalysisSettings

__all__ = ["AnalysisSettings", "analyze"]
