"""The values QC produces: one :class:`Check` per file and rule, a :class:`QcReport` per platform
folder (the ``qc.json`` shape). The checking modules (qc, qc_files, qc_slate) all build these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Check:
    """One QC check on one file: did it pass, what was expected, what was found."""

    file: str
    check: str
    ok: bool
    expected: str = ""
    actual: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (the ``qc.json`` shape)."""
        return {
            "file": self.file,
            "check": self.check,
            "ok": self.ok,
            "expected": self.expected,
            "actual": self.actual,
        }


@dataclass(frozen=True, slots=True)
class QcReport:
    """QC of one platform folder: its checks and the verdict."""

    folder: str
    platform: str
    checks: tuple[Check, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()
    preset: str = "manifest copy"  # where the rules came from (qc_preset.preset_label)

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        """``"pass"`` or ``"fail"``."""
        return "pass" if self.passed else "fail"

    def to_dict(self) -> dict[str, Any]:
        """The ``qc.json`` report."""
        failed = [c for c in self.checks if not c.ok]
        return {
            "verdict": self.verdict,
            "platform": self.platform,
            "folder": self.folder,
            "checked": len(self.checks),
            "failed": len(failed),
            "checks": [c.to_dict() for c in self.checks],
            "preset": self.preset,
            "warnings": list(self.warnings),
        }
