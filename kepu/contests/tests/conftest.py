import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages(request):
    """Service-level refusals are asserted in English (the catalog's source language);
    pages choose their language per request as always. Not for the authorization matrix:
    its shared context (every app's) is built in the default language (core's import
    check reads a Chinese type label)."""
    if request.module.__name__.endswith("test_authz_matrix"):
        yield
        return
    with translation.override("en"):
        yield
