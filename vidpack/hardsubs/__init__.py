"""Burned-in text: finding source subtitles, titles and filing numbers in a master's picture,
the editable mask file, and the ffmpeg filters that hide the dialogue (used by the render).

Layout: ``model`` (value types), ``detect`` (text boxes on one frame), ``group`` (tracks,
timing, dialogue or static), ``run`` (the sampling decode and the cache), ``maskfile`` (the
editable file), ``filters`` (the masking filter chains, strings only).
"""
