"""Delivery packages: per-platform folders with episodes, subtitles, trailers, covers, the
manifest (written last), checksums, the QC verdict and an HTML report."""
