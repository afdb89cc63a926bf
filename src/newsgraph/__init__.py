"""newsgraph: who did what to whom, where and when, from your own news articles, with evidence."""

__version__ = "0.1.0"
