from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

PEOPLE = _("Talents and volunteers")

nav.add(PEOPLE, _("People registry"), "people:person_list", "people.person.view", "users")
nav.add(
    PEOPLE,
    _("Review queue"),
    "people:registration_list",
    "people.registration.review",
    "user-check",
)
nav.add(PEOPLE, _("Expert pools"), "people:pool_list", "people.expertpool.create", "id-badge-2")
nav.add(PEOPLE, _("Find experts"), "people:expert_search", "people.poolmembership.view", "search")
nav.add(PEOPLE, _("Volunteer teams"), "people:team_list", "people.team.view", "building-community")
nav.add(PEOPLE, _("Statistics by region"), "people:stats", "people.dashboard.view", "chart-pie")
