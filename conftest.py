import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test import Client

# Real-server and real-browser fixtures, shared by every app's journeys.
pytest_plugins = ["kepu.core.tests.browser.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The whole region tree and the demo province with its accounts, once per run."""
    from kepu.core.demo import load_demo
    from kepu.core.management.commands.load_regions import load_regions
    from kepu.people.demo import load_demo as load_people

    with django_db_blocker.unblock():
        load_regions()
        load_demo()
        load_people(size=300)


@pytest.fixture(scope="session", autouse=True)
def _foreign_key_check_scope():
    """SQLite: each test's closing foreign-key check covers the tables its transaction
    wrote and the tables referencing them, not the whole database (ForeignKeyCheckScope)."""
    from django.db import connections

    from kepu.core.testing import ForeignKeyCheckScope

    if connections["default"].vendor == "sqlite":
        ForeignKeyCheckScope(connections["default"]).install()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty shared cache and empty timed per-process caches. A
    timed copy filled by an earlier test could expire in the middle of this one and add
    queries to one request and not to the next (a query-count comparison failed in CI
    that way: the region subtree and children, kept 300 s, were read again)."""
    from django.core.cache import cache

    from kepu.contests.services import taking_cache
    from kepu.core import regiontree
    from kepu.core.views.dashboard import forget_switchers
    from kepu.plans.indicators import forget_region_paths

    cache.clear()
    regiontree.forget()
    forget_region_paths()
    forget_switchers()
    taking_cache.forget()


@pytest.fixture(autouse=True)
def _fingerprints_end_with_the_test():
    from kepu.core.testing import Fingerprint

    yield
    Fingerprint.release_all()


@pytest.fixture(autouse=True)
def audit_every_write(request):
    """Fail a test when one of its HTTP requests writes business data without an audit
    entry in the same request."""
    from kepu.core.testing import WriteTracker

    tracker = WriteTracker()
    request_started.connect(tracker.started)
    request_finished.connect(tracker.finished)
    with connection.execute_wrapper(tracker):
        yield tracker
    request_started.disconnect(tracker.started)
    request_finished.disconnect(tracker.finished)
    if "no_audit_check" not in request.keywords:
        assert not tracker.violations, tracker.violations


@pytest.fixture
def as_persona(db):
    """as_persona("county_a") → a test Client logged in as that persona."""
    from kepu.core.testing import PERSONAS, login_client

    def make(name):
        return login_client(Client(), PERSONAS[name])

    return make


@pytest.fixture
def demo_orgs(db):
    """Named organizations of the demo province used across tests."""
    from kepu.core.models import Organization

    def get(name):
        return Organization.objects.get(name=name)

    return {
        "a": get("锦江区科学技术协会"),  # county A (锦江区, 成都市)
        "b": get("涪城区科学技术协会"),  # county B (涪城区, 绵阳市)
        "city": get("成都市科学技术协会"),
        "province": get("四川省科学技术协会"),
        "member": get("四川省教育厅"),  # demo-member's own organization
    }


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """`manage.py worker --batch` runs inside the test's transaction. The database
    worker checks its connection between tasks (close_old_connections), which closes a
    connection in a transaction: on PostgreSQL the test's own (SQLite never closes an
    in-memory database). Django's test runner keeps it from request signals likewise."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _default_language():
    """Requests in English leave English active in the test's thread; every test starts
    (and the next one finds) the default language, whose Excel headers the imports read."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
