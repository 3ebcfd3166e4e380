"""PostgreSQL session settings the city-scale plans rely on (issue 9/11): JIT off, and a work_mem large
enough for `pk IN (set)` filters to stay hashed (a G1 drill-down over 100,000 businesses took minutes at
PostgreSQL's default 4MB). SQLite has no such settings: nothing is passed to it."""

import os

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_sessions_get_work_mem_and_no_jit():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == os.environ.get("WUXIAO_PG_WORK_MEM", "64MB")
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    else:
        assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})
