"""Fixtures and hooks of the whole suite. What the suite needs from the machine: tests/environment.py."""

from collections.abc import Iterator

import pytest

from tests.environment import (
    IN_CI,
    RedisClaim,
    checkout_id,
    claim_redis_database,
    parts_missing,
    redis_missing,
    require,
    shared_missing,
)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI=true every part must be here: a missing one ends the run at once, saying which."""
    if not IN_CI:
        return
    from django.conf import settings

    missing = parts_missing(settings.DATABASES["default"])
    if missing:
        pytest.exit("CI=true, and " + " Also, ".join(missing), returncode=1)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shared_data"):
        require(shared_missing())


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The test database is named after the checkout (test_vigil_<id>): two clones may test at once."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            continue  # in memory, this process's own
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{checkout_id()}"


@pytest.fixture(scope="session")
def redis_database() -> Iterator[RedisClaim]:
    """A Redis database of this run's own (tests/environment.py), emptied at the end."""
    require(redis_missing())
    claim = claim_redis_database()
    try:
        yield claim
    finally:
        claim.release()


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # Tests run with DEBUG off, where the production storage needs the manifest that
    # `collectstatic` writes; plain storage serves the same files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # The cache counts failed API tokens per address (config/api/auth.py) and throttled requests:
    # every test starts with none, whatever the tests before it sent.
    from django.core.cache import cache

    from advisories.page_cache import forget_local_copies

    cache.clear()
    # Pages kept for signed-out visitors, and this process's copies of them.
    forget_local_copies()


@pytest.fixture(autouse=True)
def _english_to_begin_with() -> Iterator[None]:
    # A French request leaves French active in the test's thread (LocaleMiddleware activates the
    # request's language and nothing deactivates it): every test starts, and ends, in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def cast(db):
    """The people of every app's access tests: tests/factories.py `make_cast`."""
    from tests.factories import make_cast

    return make_cast()


@pytest.fixture
def mali(db):
    from advisories.models import Country

    return Country.objects.get(code="ML")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a quarter of a second per user; the tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
