"""Stories across outlets: which articles report the same event, and where their versions differ.

``similarity``, ``grouping`` and ``differences`` are plain Python (no Django); ``assign``,
``signals`` and ``views`` are the Django side.
"""
