"""A package report as headless Chromium (Debian's /usr/bin/chromium) has it once loaded: the
DOM it dumps, read back into what the tests judge (links, pictures with their decoded width,
QC check rows, headings in page order, the warnings)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM of ``page`` after its load event, as Chromium serialises it (skips the test
    when Chromium is missing; fails on a console message or a non-zero exit)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (make test installs it)")
    argv = [browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr",
            "--v=0", "--dump-dom", page.as_uri()]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "CONSOLE" not in done.stderr, done.stderr[-2000:]  # no script error, no CSP refusal
    return done.stdout


@dataclass
class ReportDom:
    """What the tests read from a dumped report.

    Attributes:
        links: every ``<a href>``, as written.
        images: every ``<img>``'s attributes, with ``figure`` (the ``data-language`` of the
            subtitle frame it sits in, or "") and ``figure_time``/``figure_episode``.
        checks: each QC check row: its ``data-file`` and its cells' text.
        headings: each ``<h2>``'s text, in page order, with whether it is in the warnings block.
        warnings: the text of each item of the warnings block.
        body: the ``<body>``'s attributes.
    """

    links: list[str] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    checks: list[tuple[str, list[str]]] = field(default_factory=list)
    headings: list[tuple[str, bool]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    body: dict[str, str] = field(default_factory=dict)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.dom = ReportDom()
        self.in_warnings = False
        self.figure: dict[str, str] = {}
        self.row: tuple[str, list[str]] | None = None
        self.text: list[str] | None = None  # the open h2, li or td

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.dom.body = a
        elif tag == "section" and a.get("id") == "warnings":
            self.in_warnings = True
        elif tag == "figure" and "subtitle-frame" in a.get("class", ""):
            self.figure = a
        elif tag == "a" and "href" in a:
            self.dom.links.append(a["href"])
        elif tag == "img":
            self.dom.images.append(
                {**a, "figure": self.figure.get("data-language", ""),
                 "figure_time": self.figure.get("data-time", ""),
                 "figure_episode": self.figure.get("data-episode", "")}
            )  # fmt: skip
        elif tag == "tr" and a.get("class", "").startswith("check "):
            self.row = (a.get("data-file", ""), [])
        elif tag in ("h2", "td") or (tag == "li" and self.in_warnings):
            self.text = []

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self.text or []).strip()
        if tag == "section":
            self.in_warnings = False
        elif tag == "figure":
            self.figure = {}
        elif tag == "h2":
            self.dom.headings.append((text, self.in_warnings))
        elif tag == "li" and self.in_warnings:
            self.dom.warnings.append(text)
        elif tag == "td" and self.row is not None:
            self.row[1].append(text)
        elif tag == "tr" and self.row is not None:
            self.dom.checks.append(self.row)
            self.row = None
        if tag in ("h2", "td", "li"):
            self.text = None


def read_dom(dom: str) -> ReportDom:
    """Parse a dumped report."""
    reader = _Reader()
    reader.feed(dom)
    reader.close()
    return reader.dom
