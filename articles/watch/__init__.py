"""Feeds watched on a schedule: a registered RSS or Atom URL fetched with conditional requests,
its new and changed items ingested, each fetch's outcome kept for the admin.

- :mod:`articles.watch.models`: :class:`Feed` (URL, outlet, interval, validators, next fetch) and
  :class:`FeedFetch` (one fetch's status and counts);
- :mod:`articles.watch.fetch`: one fetch of one feed, through the one ingest path;
- :mod:`articles.watch.admin`: the feeds' admin pages and "Fetch now";
- the job that fetches the feeds due, and keeps itself scheduled: :mod:`articles.jobs.fetch_feeds`.
"""
