from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from kepu.core.pagination import CappedPaginator


class Pagination(PageNumberPagination):
    """`count`, `count_capped`, `next`, `previous`, `results`; `page_size` is capped, and
    so is `count` (at 10,000: `count_capped` is then true and pages reach that far)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return response
