"""The lesson's media: captions from the narration's timings (``captions``), the MP4 assembled from
frames, narration, captions and chapters (``video``) and checked (``verify``), every ffmpeg command
line (``ffmpeg``) and the delivered media's fixed properties (``specs``)."""
