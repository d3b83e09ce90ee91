"""The shared cache on a real Redis server (Debian's redis-server, started here on a port
of its own): public pages shared between workers, sessions read from it, a logout seen
by every worker at once."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from kepu.core import publiccache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(5)


def _redis_settings(url, prefix="test"):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


def test_public_page_from_redis(redis_url, settings, django_capture_on_commit_callbacks):
    settings.KEPU_PUBLIC_CACHE_SYNC = True
    with override_settings(CACHES=_redis_settings(redis_url)):
        caches["default"].clear()
        state = {"text": "v1", "renders": 0}

        @publiccache.public_page("redis-tag")
        def view(request):
            state["renders"] += 1
            return HttpResponse(state["text"])

        def get():
            request = RequestFactory().get("/r/")
            request.user = type("Anonymous", (), {"is_authenticated": False})()
            response = view(request)
            return response.content.decode(), response.get("X-Kepu-Cache")

        assert get() == ("v1", "shared")  # made on the first visit, then stored
        assert get() == ("v1", "shared") and state["renders"] == 1
        state["text"] = "v2"
        with django_capture_on_commit_callbacks(execute=True):
            publiccache.bump("redis-tag")
        assert get()[0] == "v1"  # stale, served while it is made again
        assert get()[0] == "v2" and state["renders"] == 2


def test_sessions_in_redis_and_a_logout_reaches_every_worker(redis_url, as_persona):
    from django.contrib.sessions.backends.cached_db import SessionStore

    from kepu.core.testing import PERSONAS, login_client

    with override_settings(
        CACHES=_redis_settings(redis_url),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        caches["default"].clear()
        from django.test import Client

        client = login_client(Client(), PERSONAS["county_a"])
        key = client.cookies["__Host-sessionid"].value
        # The session is in Redis: another worker (a store of its own) reads it from there.
        assert SessionStore(session_key=key).get("_auth_user_id")
        assert client.get("/accounts/session/").status_code == 200
        client.post("/accounts/logout/")
        # Gone from Redis and the database for every worker at once.
        assert SessionStore(session_key=key).get("_auth_user_id") is None
        assert client.get("/accounts/session/").status_code == 302
