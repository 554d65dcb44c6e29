"""What the tests share, so no helper is copied from one test file into another.

``tests/`` is on the import path (pyproject's ``pythonpath``), so a test imports these as
``support.lessons``, ``support.decks`` and so on, wherever under ``tests/`` it lives.
"""
