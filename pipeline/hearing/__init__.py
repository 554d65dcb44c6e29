"""Hearing: the narration checked by a speech recognizer, and a narrator's single take split onto the slides.

The recognizer (faster-whisper with a pinned ``tiny.en`` model) is an optional extra; everything
else here is plain text and timing work on what it heard.
"""
