"""The mask file: round trip, and every problem of a bad one reported at once (no media)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.hardsubs.maskfile import dumps, from_dict, load_mask_file
from vidpack.hardsubs.model import Hardsubs, Region

SIZE, DURATION = (360, 640), 40.0
RESULT = Hardsubs(
    360,
    640,
    40.0,
    (
        Region("dialogue", (61, 521, 240, 54), ((0.935, 2.97), (3.771, 5.689)), 0.98),
        Region("static", (11, 127, 142, 20), ((0.0, 4.972),), 1.0),
    ),
    samples=138,
)


def test_round_trip_and_layout() -> None:
    text = dumps(RESULT)
    assert text == (
        "{\n"
        '  "format": 1,\n'
        '  "size": [360, 640],\n'
        '  "duration": 40.0,\n'
        '  "samples": 138,\n'
        '  "regions": [\n'
        '    {"kind": "dialogue", "box": [61, 521, 240, 54], "ranges": [[0.935, 2.97], '
        '[3.771, 5.689]], "confidence": 0.98},\n'
        '    {"kind": "static", "box": [11, 127, 142, 20], "ranges": [[0.0, 4.972]], '
        '"confidence": 1.0}\n'
        "  ]\n"
        "}\n"
    )
    assert from_dict(json.loads(text), size=SIZE, duration=DURATION) == RESULT


def test_hand_written_region_needs_no_confidence_or_size() -> None:
    data = {"regions": [{"kind": "dialogue", "box": [0, 500, 360, 80], "ranges": [[1, 2.5]]}]}
    got = from_dict(data, size=SIZE, duration=DURATION)
    assert got.regions == (Region("dialogue", (0, 500, 360, 80), ((1.0, 2.5),), 1.0),)


def test_every_problem_at_once_one_line_each() -> None:
    data = {
        "size": [1080, 1920],
        "regions": [
            {"kind": "subtitle", "box": [0, 600, 400, 50], "ranges": [[3, 2]]},
            {"kind": "static", "box": [10, 10, 0, 5], "ranges": [[0, 5], [4, 6], [6, 41]]},
            {"kind": "dialogue", "box": "bottom", "ranges": []},
            "oops",
        ],
    }
    with pytest.raises(UsageError) as err:
        from_dict(data, size=SIZE, duration=DURATION, source="mask file 'm.json'")
    assert str(err.value).splitlines() == [
        "mask file 'm.json': 10 problems:",
        "  size: [1080, 1920] does not match the master's 360x640: make the mask file from this "
        "master (vidpack hardsubs MASTER -o FILE)",
        '  region 1 kind: "subtitle" is not one of dialogue, static',
        "  region 1 box: [0, 600, 400, 50] reaches outside the 360x640 picture: keep x, y >= 0, "
        "x + w <= 360 and y + h <= 640",
        "  region 1 range 1: [3, 2] must have 0 <= start < end",
        "  region 2 box: [10, 10, 0, 5] has no area: give a width and height above 0",
        "  region 2 range 2: [4, 6] starts before the previous range ends (5): keep ranges in "
        "order, not overlapping",
        "  region 2 range 3: [6, 41] ends after the master's 40.000 s: end it by 40.000",
        '  region 3 box: "bottom" is not [x, y, w, h] in whole pixels',
        "  region 3 ranges: [] is not a list of [start, end] seconds",
        "  region 4: not an object with kind, box and ranges",
    ]


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"regions": [}', encoding="utf-8")

    class Info:
        width, height, duration = 360, 640, 40.0

    with pytest.raises(UsageError, match=r"^mask file '.*m\.json': not JSON \(line 1 column 14"):
        load_mask_file(bad, Info())  # type: ignore[arg-type]
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UsageError, match=r"not a JSON object with a list of regions$"):
        load_mask_file(bad, Info())  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="cannot read it"):
        load_mask_file(tmp_path / "missing.json", Info())  # type: ignore[arg-type]
