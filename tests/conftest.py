"""Users per role, reused everywhere (alice/bob/charlie in healthchecks' spirit)."""

from pathlib import Path

import pytest

from tests import factories as f

BROWSER_DIR = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(config, items):
    """Tests under tests/browser/ carry the `browser` marker and the fuzz modules (test_*fuzz*.py) the `fuzz`
    marker: `-m "not browser and not fuzz"` leaves them out (CI runs them in its PostgreSQL pass only)."""
    for item in items:
        path = Path(str(item.fspath))
        if BROWSER_DIR in path.parents:
            item.add_marker(pytest.mark.browser)
        if "fuzz" in path.name:
            item.add_marker(pytest.mark.fuzz)


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test (live server, real worker, concurrent sweeps) flushes the tables and the content
    types come back with new ids; a cached stale id in an audit entry then fails its foreign key."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def village(db):
    return f.VillageFactory(name="东村", code="dongcun")


@pytest.fixture
def other_village(db):
    return f.VillageFactory(name="西村", code="xicun")


@pytest.fixture
def office(db):
    return f.user_with_role("office", "office_user")


@pytest.fixture
def leader(db):
    return f.user_with_role("leader", "leader_user")


@pytest.fixture
def inspector(village):
    return f.user_with_role("inspector", "inspector_user", village=village)


@pytest.fixture
def other_inspector(other_village):
    return f.user_with_role("inspector", "other_inspector_user", village=other_village)


@pytest.fixture
def aic_user(db):
    """工商分局: leads groceries."""
    return f.user_with_role("department", "aic_user", department=f.department("aic"))


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


DEMO_TOWN = {"businesses": 80, "seed": 2009}


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker):
    """One demo town (seed_demo, DEMO_TOWN) shared by a module's tests that only read it: seeded inside an
    atomic block that is rolled back when the module ends. Each test runs inside it, in its own savepoint
    (rolled back after the test), so a test that re-seeds leaves the next one the same town. Seeding a whole
    town is the slowest thing the suite does; the module seeds it once instead of once per test."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            call_command("seed_demo", **DEMO_TOWN, stdout=io.StringIO())
            yield DEMO_TOWN
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
