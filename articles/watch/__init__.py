"""Feeds watched on a schedule: a registered RSS or Atom URL fetched with conditional requests,
its new and changed items ingested, each fetch's outcome kept for the admin."""
