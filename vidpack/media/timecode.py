"""SMPTE-style timecodes (``HH:MM:SS:FF``) of a master's frames, as editors read them.

Non-drop frame, as the EDL exports write them: frames are counted at the nominal rate (30 for
30000/1001, 24 for 24000/1001), so a timecode names exactly one frame of the master, the one an
editing system shows at that source timecode. At 29.97 fps the count runs behind the clock
(00:01:00:00 is frame 1800, at 60.06 s); drop-frame counting (``;``) is not offered.
"""

from __future__ import annotations

_UNKNOWN_RATE = 25  # frames per second assumed when a rate is unknown (0 or negative)


def nominal_rate(fps: float) -> int:
    """The timecode base of a frame rate: 30 for 29.97, 24 for 23.976, 25 for an unknown one."""
    return max(1, round(fps)) if fps > 0 else _UNKNOWN_RATE


def frame_at(seconds: float, fps: float) -> int:
    """The frame whose presentation starts at (or nearest to) ``seconds``; 0 before the start."""
    rate = fps if fps > 0 else _UNKNOWN_RATE
    return max(0, round(seconds * rate))


def frame_timecode(frames: int, nominal: int) -> str:
    """Frame number ``frames`` counted at ``nominal`` frames a second (negatives read as 0)."""
    secs, ff = divmod(max(frames, 0), nominal)
    return f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}:{ff:02d}"


def timecode(seconds: float, fps: float) -> str:
    """The timecode of the frame at ``seconds`` in a master of ``fps`` frames a second."""
    return frame_timecode(frame_at(seconds, fps), nominal_rate(fps))


def rate_label(fps: float) -> str:
    """A frame rate as people write it: ``25``, ``29.97``, ``23.976``."""
    return f"{fps:.3f}".rstrip("0").rstrip(".") if fps > 0 else "?"
