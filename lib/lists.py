"""Lists: one helper for filtering, sorting and paginating a scoped queryset (docs/architecture.md).

A list view hands its selector's queryset and its app's FilterSet to `list_page`; the template gets the
page, the filter (its form renders the filters) and the query strings its links need::

    listing = list_page(request, VisitFilter, selectors.visit_list(user=request.user))
    return render(request, "inspections/visit_list.html", {**listing.context(), ...})

A filter value that does not validate is left out (the form shows why), never a 500; a page number out of
range is the last page. Every list page has a query-count test at two data sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


@dataclass
class ListPage:
    filter: object  # the bound FilterSet
    page: Page
    query: str  # the request's filters without the page number: for the pager's links
    sort_query: str  # …and without the ordering: for the column headers' sort links

    def context(self) -> dict:
        return {"filter": self.filter, "page": self.page, "query": self.query, "sort_query": self.sort_query}


def list_page(
    request, filterset_class, queryset, *, per_page: int = PAGE_SIZE, **filterset_kwargs
) -> ListPage:
    """Filter `queryset` by the request's GET parameters through `filterset_class`, then paginate."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request, **filterset_kwargs)
    page = paginate(request, filterset.qs, per_page=per_page)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("o", None)
    return ListPage(filterset, page, query.urlencode(), sort_query.urlencode())


def paginate(request, items, *, per_page: int = PAGE_SIZE) -> Page:
    """One page of `items` (a queryset or a list) by the request's `page` parameter."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
