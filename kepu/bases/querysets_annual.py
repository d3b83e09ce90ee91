"""Named reads of the annual area."""

from kepu.core.querysets import ScopedQuerySet


class AnnualReportQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("base", "region", "organization")


class SpotCheckQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("base", "region")


class EvaluationRoundQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("region", "rubric")


class AnnualEvaluationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("base", "region", "round")


class RectificationQuerySet(ScopedQuerySet):
    def with_relations(self):
        return self.select_related("base", "region")
