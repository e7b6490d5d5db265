"""Heavy work as background jobs, run by ``manage.py worker`` (django-tasks, database backend).

- :mod:`articles.jobs.models`: the :class:`Job` people see (state, progress, outcome, errors);
- :mod:`articles.jobs.runner`: starting and running jobs, retries with backoff, stale jobs;
- :mod:`articles.jobs.progress`: progress for jobs, terminals and logs alike;
- one module per kind of work: :mod:`articles.jobs.index_queue` (applying queued index changes),
  :mod:`articles.jobs.merge_index` (merging the index's segments), :mod:`articles.jobs.upload`
  (ingesting an upload's files) ... (registered when the app is ready).
"""
