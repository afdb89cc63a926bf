"""newsgraph serve: the read-only web app over the query layer (newsgraph.query), server-rendered."""

from newsgraph.web.app import WebStoreError, create_app

__all__ = ["WebStoreError", "create_app"]
