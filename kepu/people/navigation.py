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
    nav.PEOPLE,
    _("Service groups"),
    "people:group_list",
    "people.servicegroup.view",
    "map-pin",
)
nav.add(nav.PEOPLE, _("Team honours"), "people:team_honour_list", "people.teamhonour.view", "star")
nav.add(
    nav.PEOPLE,
    _("Information officers' activity"),
    "people:officer_activity_list",
    "people.officeractivity.view",
    "rss",
)
nav.add(
    nav.STATISTICS,
    _("Information officer rankings"),
    "people:officer_rankings",
    "people.officermonth.view",
    "star",
)
nav.add(
    nav.STATISTICS,
    _("Monthly feedback to regions"),
    "people:officer_feedback",
    "people.officermonth.view",
    "send",
)
nav.add(
    nav.STATISTICS, _("People statistics"), "people:stats", "people.dashboard.view", "chart-pie"
)
nav.add(nav.PEOPLE, _("Training courses"), "people:course_list", "people.course.view", "book")
nav.add(
    nav.PEOPLE,
    _("Training sessions"),
    "people:session_list",
    "people.trainingsession.view",
    "calendar-event",
)
nav.add(nav.PEOPLE, _("Training bases"), "people:base_list", "people.trainingbase.view", "building")
nav.add(
    nav.PEOPLE, _("My training"), "people:my_training", "people.enrolment.self_enrol", "certificate"
)
nav.add(
    nav.STATISTICS,
    _("Training statistics"),
    "people:training_stats",
    "people.dashboard.view",
    "chart-bar",
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
