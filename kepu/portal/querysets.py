"""Named read methods of notices."""

from kepu.core.querysets import ScopedQuerySet
from kepu.core.search import search as search_rows
from kepu.portal.choices import NoticeStatus

SEARCH_FIELDS = ["title", "body"]


class NoticeQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "submitted_by", "reviewed_by")

    def published(self):
        return self.filter(status=NoticeStatus.PUBLISHED)

    def newest_first(self):
        """Pinned first, then by publication (the index `notice_public_order`)."""
        return self.order_by("-pinned", "-published_at", "-pk")

    def search(self, query: str):
        """Rows whose title or body contains every term of `query` (core.search)."""
        return search_rows(self, query, fields=SEARCH_FIELDS)
