"""Settings for the test suite: production cookie and header configuration (TLS is
assumed to end at the proxy, so the app does not redirect to HTTPS itself) and a fast
password hasher."""

import os

os.environ["KEPU_HTTPS"] = "true"
os.environ["KEPU_SSL_REDIRECT"] = "false"
# Jobs run inline, at start(), so a test sees their outcome at once; the worker path is
# tested with the database backend explicitly (kepu/core/tests/test_jobs.py).
os.environ.setdefault("KEPU_TASK_BACKEND", "immediate")

from kepu.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Uploads (report photos) go to a throwaway directory, not var/media.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="kepu-test-media-")

# The same static files middleware, listing the files once per process instead of once per
# test client (kepu.core.testing.StaticFilesOnce).
MIDDLEWARE = [
    "kepu.core.testing.StaticFilesOnce" if m == "whitenoise.middleware.WhiteNoiseMiddleware" else m
    for m in MIDDLEWARE  # noqa: F405
]

# PostgreSQL: commits do not wait for the WAL to reach the disk (the set-up of each test
# database commits thousands of times; a test database is thrown away anyway). Reads,
# locks and constraints behave exactly the same.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
