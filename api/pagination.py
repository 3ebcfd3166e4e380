"""Cursor pagination for every list that can grow (businesses, visits, orders, ledger lines): a page costs
the same at the 1st and the 10,000th page (no OFFSET), and rows inserted meanwhile do not shift pages."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
    invalid_cursor_message = "翻页游标无效。"


class ById(Cursor):
    ordering = "pk"
