"""Speech engines: the interface and registry (:mod:`.base`), then one module or package per engine.

Nothing is imported here: every sentence is synthesized in a child process that imports only
its own engine's code, and each import there costs time on every sentence.
"""
