"""Name variants learned from the archive, offered to editors in the review queue.

- :mod:`.candidates`, :mod:`.acronyms`, :mod:`.transliterations`, :mod:`.story_spellings`: the
  learners, plain Python: text in, candidate pairs of names with the sentences that show them out;
- :mod:`.models`: :class:`~.models.VariantSuggestion`, a pair offered to editors and their decision;
- :mod:`.scan`: the learners run over the archive, new pairs stored for review;
- :mod:`.decisions`: a pair accepted into the name variants table, or rejected for good;
- :mod:`.reindex`: the articles an accepted pair relabels, for the search index's queue;
- :mod:`.pages`: the review queue's pages for them.
"""
