"""List pagination in the contract's shape: {"results": [...], "next": url-or-null}."""

from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
            },
        }


class OpaqueCursorPagination(CursorPagination):
    """Keyset pagination with an opaque cursor, newest first (feeds)."""

    page_size = 20
    ordering = "-created_at"

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return PagePagination.get_paginated_response_schema(self, schema)
