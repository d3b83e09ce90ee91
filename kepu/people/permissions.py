"""Checked single-row fetches of the people registry."""

from kepu.core.scope import get_for_user
from kepu.people.models import (
    ExpertPool,
    Person,
    PoolMembership,
    Registration,
    ServiceGroup,
    Team,
)


def get_person_for_user(user, pk, action="view") -> Person:
    return get_for_user(Person.objects.select_related("region", "organization"), user, pk, action)


def get_registration_for_user(user, pk, action="view") -> Registration:
    return get_for_user(Registration.objects.with_relations(), user, pk, action)


def get_expertpool_for_user(user, pk, action="view") -> ExpertPool:
    return get_for_user(ExpertPool.objects.select_related("region"), user, pk, action)


def get_poolmembership_for_user(user, pk, action="view") -> PoolMembership:
    return get_for_user(PoolMembership.objects.with_relations(), user, pk, action)


def get_team_for_user(user, pk, action="view") -> Team:
    return get_for_user(
        Team.objects.select_related("region", "organization", "parent", "leader"), user, pk, action
    )


def get_course_for_user(user, pk, action="view"):
    from kepu.people.models import Course

    return get_for_user(Course.objects.with_relations(), user, pk, action)


def get_trainingbase_for_user(user, pk, action="view"):
    from kepu.people.models import TrainingBase

    return get_for_user(TrainingBase.objects.with_relations(), user, pk, action)


def get_session_for_user(user, pk, action="view"):
    from kepu.people.models import TrainingSession

    return get_for_user(
        TrainingSession.objects.with_relations().select_related("course__organization"),
        user,
        pk,
        action,
    )


def get_enrolment_for_user(user, pk, action="view"):
    from kepu.people.models import Enrolment

    return get_for_user(Enrolment.objects.with_relations(), user, pk, action)


def get_servicegroup_for_user(user, pk, action="view") -> ServiceGroup:
    return get_for_user(ServiceGroup.objects.with_relations(), user, pk, action)
