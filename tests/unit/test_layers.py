"""The import contract: vidpack's packages form layers, and no module imports a layer above its
own (function-level and type-checking imports included: they are imports all the same). Only the
command line imports Click.

Lowest first: errors; the ffmpeg layer (media); presets; problem lists; subtitles and analysis;
burned-in text and planning; rendering; promo pictures and trailers; packaging; the farm and the
doctor; the command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "vidpack"
LAYERS = (
    {"errors"},
    {"media"},
    {"presets"},
    {"problems"},
    {"subtitles", "analyze"},
    {"hardsubs", "plan"},
    {"render"},
    {"promo"},
    {"package"},
    {"farm", "doctor"},
    {"cli"},
    {"__main__"},
)
LEVEL = {name: n for n, names in enumerate(LAYERS) for name in names}


def _unit(path: Path, root: Path = ROOT) -> str:
    """The package (or top-level module) a file belongs to: ``render`` for render/split.py."""
    return path.relative_to(root).with_suffix("").parts[0]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, wherever it sits."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _files(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if _unit(p, root) != "__init__")


def _upward(root: Path = ROOT) -> list[str]:
    """Every import of a layer at or above the importing file's own (its own package aside)."""
    wrong = []
    for path in _files(root):
        unit = _unit(path, root)
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "vidpack" or len(parts) < 2 or parts[1] == unit:
                continue
            if LEVEL[parts[1]] >= LEVEL[unit]:
                wrong.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return wrong


def test_every_package_has_a_layer() -> None:
    assert {_unit(p) for p in _files()} == set(LEVEL)


def test_no_module_imports_a_layer_above_or_beside_its_own() -> None:
    assert _upward() == []


def test_only_the_command_line_imports_click() -> None:
    wrong = [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path in _files()
        if _unit(path) not in ("cli", "__main__")
        for line, module in _imports(path)
        if module.split(".")[0] == "click"
    ]
    assert wrong == []


def test_the_contract_catches_an_arrow_running_back_up(tmp_path: Path) -> None:
    """The check itself can fail: a media module importing the planner (inside a function) and
    a plan module importing a sibling layer's package are both found."""
    root = tmp_path / "vidpack"
    (root / "media").mkdir(parents=True)
    (root / "plan").mkdir()
    (root / "media" / "x.py").write_text(
        "import os\n\n\ndef f():\n    from vidpack.plan.model import EpisodePlan\n"
    )
    (root / "plan" / "y.py").write_text("from vidpack.media import x\nimport vidpack.hardsubs\n")
    assert _upward(root) == [
        "vidpack/media/x.py:5 imports vidpack.plan.model",
        "vidpack/plan/y.py:2 imports vidpack.hardsubs",
    ]
