import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service-level refusals are asserted in English (the catalog's source language);
    pages choose their language per request as always."""
    with translation.override("en"):
        yield
