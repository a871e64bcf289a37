"""`python -m vidpack` entry point."""

from __future__ import annotations

from vidpack.cli.main import main

if __name__ == "__main__":
    main()
