"""One FilterSet per list: the page and its API endpoint take the same parameters, and
nonsense in them never answers 500."""

import pytest
from django.urls import reverse

from kepu.people import filters
from kepu.people.api import views as api

pytestmark = pytest.mark.django_db

# list page → (API list endpoint, FilterSet both use)
PAIRS = {
    "people:person_list": ("api:person-list", filters.PersonFilter),
    "people:registration_list": ("api:registration-list", filters.RegistrationFilter),
    "people:expert_search": ("api:expert-list", filters.ExpertFilter),
}


@pytest.mark.parametrize("page", sorted(PAIRS))
def test_the_page_and_its_endpoint_share_the_filter_names(page, as_persona):
    endpoint, filterset = PAIRS[page]
    client = as_persona("province")
    response = client.get(reverse(page))
    assert response.status_code == 200
    page_names = set(response.context["filter"].filters)
    viewset = next(
        v
        for v in (api.PersonViewSet, api.RegistrationViewSet, api.PoolMembershipViewSet)
        if v.filterset_class is filterset
    )
    assert isinstance(response.context["filter"], filterset)
    assert page_names == set(viewset.filterset_class.base_filters)
    assert client.get(reverse(endpoint)).status_code == 200


def test_no_filterset_outside_filters_py():
    import django_filters

    from kepu.people import filters as module

    classes = [
        cls
        for cls in django_filters.FilterSet.__subclasses__()
        if cls.__module__.startswith("kepu.people")
    ]
    # The app's filters module, or a sub-area's own (kepu.people.talents.filters).
    assert classes and all(
        cls.__module__ == module.__name__ or cls.__module__.endswith(".filters") for cls in classes
    )


@pytest.mark.parametrize("page", sorted(PAIRS))
@pytest.mark.parametrize(
    "params",
    [
        {"region": "99999999999999999999"},
        {"kind": "nonsense", "status": "x" * 300},
        {"available": "maybe", "topic": "99999999999999999999"},
        {"page": "99999999999999999999"},
    ],
)
def test_nonsense_parameters_never_fail(page, params, as_persona):
    client = as_persona("province")
    assert client.get(reverse(page), params).status_code in (200, 400)
    assert client.get(reverse(PAIRS[page][0]), params).status_code in (200, 400, 404)
