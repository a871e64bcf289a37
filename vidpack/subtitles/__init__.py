"""Subtitles: read, decode, repair, retime, lay out, style, burn, mux and write."""
