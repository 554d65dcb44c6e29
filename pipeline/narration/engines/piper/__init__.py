"""The Piper neural engine: the engine (:mod:`.engine`), its pool of worker processes
(:mod:`.pool`) and the worker process itself (:mod:`.worker`).

Nothing is imported here: the worker process imports only :mod:`.worker`.
"""
