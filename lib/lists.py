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
from django.db.models import Count, Window
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.utils.functional import cached_property

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts at most `cap` rows. A list of a whole town's visits (100,000 at city scale) is read a page at
    a time, newest first; counting every row on every page view cost more than the page itself (issue 26:
    the read path). Past the cap the list says so (`capped`) and pages through the first `cap` rows — the
    filters narrow it to the rest."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # COUNT over a LIMIT, unordered: the scan stops at cap + 1 rows in whatever order is cheapest
        # … and without the page's joins (select_related) and prefetches: the count needs the ids alone
        n = self.object_list.order_by().select_related(None).prefetch_related(None)[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)

    def page(self, number):
        """The page's ids first (ordered and sliced on the listed table alone), then its rows with their
        joins and prefetches: PostgreSQL otherwise joined every row in scope (a village's 8,000 visits)
        before it sorted them and kept 50 (issue 26)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        queryset = self.object_list
        ids = list(queryset.select_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class PageCountsPaginator(Paginator):
    """The page's ids and the number of rows in ONE query (COUNT(*) OVER ()), for a list whose every row
    must be computed before it can be sorted or counted: the roster's licences-incomplete filter with a
    search checked the licences of every match twice, once for the count and once for the page (issue 26:
    685 ms at 100,000 businesses). The page's object_list is the ids, in order. Past the last page (or an
    empty list) it counts as Paginator does. Not for DISTINCT lists: the window counts before DISTINCT."""

    def get_page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        if not self.object_list.query.distinct:
            bottom = (number - 1) * self.per_page
            rows = list(
                self.object_list.annotate(_rows=Window(Count("pk"))).values_list("pk", "_rows")[
                    bottom : bottom + self.per_page
                ]
            )
            if rows:
                self.count = rows[0][1]  # Paginator.count is a cached_property: the page's own figure
                return self._get_page([pk for pk, _ in rows], number, self)
        page = super().get_page(number)
        page.object_list = list(page.object_list.values_list("pk", flat=True))
        return page


class ListedChoices(ModelChoiceIterator):
    """A filter's choices read in one query when the page draws them. Django's iterator counts the rows
    for `len()` (the {% for %} tag asks it) and then reads them through a server-side cursor: on
    PostgreSQL a COUNT, a DECLARE, its FETCH and CLOSE per drop-down (issue 26: the roster's three
    drop-downs were a fifth of its round trips). Nothing is read until the choices are used."""

    def _rows(self) -> list:
        if not hasattr(self, "_listed"):
            self._listed = [self.choice(obj) for obj in self.queryset]
        return self._listed

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._rows()

    def __len__(self) -> int:
        return len(self._rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())


def _listed_choices(form) -> None:
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            field.iterator = ListedChoices


@dataclass
class ListPage:
    filter: object  # the bound FilterSet
    page: Page
    query: str  # the request's filters without the page number: for the pager's links
    sort_query: str  # …and without the ordering: for the column headers' sort links

    def context(self) -> dict:
        return {"filter": self.filter, "page": self.page, "query": self.query, "sort_query": self.sort_query}


def list_page(
    request,
    filterset_class,
    queryset,
    *,
    per_page: int = PAGE_SIZE,
    count_cap: int | None = None,
    **filterset_kwargs,
) -> ListPage:
    """Filter `queryset` by the request's GET parameters through `filterset_class`, then paginate (counting
    at most `count_cap` rows when given: see CappedPaginator; with the page's query when the filterset says
    `count_with_page`: see PageCountsPaginator, the page's object_list is then its ids)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request, **filterset_kwargs)
    _listed_choices(filterset.form)
    qs = filterset.qs  # validates the filters: count_with_page reads them
    if getattr(filterset, "count_with_page", False):
        page = PageCountsPaginator(qs, per_page).get_page(request.GET.get("page"))
    elif count_cap is None:
        page = paginate(request, filterset.qs, per_page=per_page)
    else:
        paginator = CappedPaginator(filterset.qs, per_page, cap=count_cap)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("o", None)
    return ListPage(filterset, page, query.urlencode(), sort_query.urlencode())


def paginate(request, items, *, per_page: int = PAGE_SIZE) -> Page:
    """One page of `items` (a queryset or a list) by the request's `page` parameter."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
