from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

nav.add(nav.PEOPLE, _("People registry"), "people:person_list", "people.person.view", "users")
nav.add(
    nav.PEOPLE,
    _("Registration review"),
    "people:registration_list",
    "people.registration.review",
    "user-check",
)
nav.add(nav.PEOPLE, _("Expert pools"), "people:pool_list", "people.expertpool.create", "id-badge-2")
nav.add(
    nav.PEOPLE, _("Find experts"), "people:expert_search", "people.poolmembership.view", "search"
)
nav.add(
    nav.PEOPLE, _("Volunteer teams"), "people:team_list", "people.team.view", "building-community"
)
nav.add(
    nav.STATISTICS, _("People statistics"), "people:stats", "people.dashboard.view", "chart-pie"
)
nav.add(
    nav.PEOPLE,
    _("Talent evaluation"),
    "people:talent_round_list",
    "people.evaluationround.view",
    "certificate",
)
nav.add(
    nav.PEOPLE,
    _("High-level talents"),
    "people:talent_list",
    "people.highleveltalent.view",
    "star",
)
