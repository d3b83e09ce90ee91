"""How people-registry rows are scoped, and which role may do what with them."""

from django.db.models import Q

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, region_q, register
from kepu.people import rules  # noqa: F401  (the object rules: self-approval)
from kepu.people.models import (
    Course,
    CreditEntry,
    Enrolment,
    ExpertPool,
    HonourAward,
    MembershipTopic,
    OfficerActivity,
    OfficerFeedback,
    OfficerMonth,
    OfficerPersonMonth,
    Person,
    PoolMembership,
    Registration,
    ServiceGroup,
    ServiceGroupCounty,
    Team,
    TeamHonour,
    TeamMembership,
    Training,
    TrainingBase,
    TrainingSession,
)

PERSON_RULE = ScopeRule(region="region", organization="organization", owner="user")
register(Person, PERSON_RULE)
register(
    Registration, ScopeRule(region="region", organization="organization", owner="person__user")
)
# Pool names are not personal data: every signed-in officer may see every pool; the
# members are scoped by where the member lives.
register(ExpertPool, ScopeRule(region="region", public=Q(is_active=True)))
register(PoolMembership, ScopeRule(region="person__region", owner="person__user"))
# The leader of a team sees it (their own application, then their team).
register(Team, ScopeRule(region="region", organization="organization", owner="leader__user"))
# A designated service group belongs to the region that organizes it; the officers of a
# county it serves read it too (seed 003 (十六): the county receives the group).
register(
    ServiceGroup,
    ScopeRule(
        region="region",
        reach=lambda regions: Q(
            pk__in=ServiceGroupCounty.objects.filter(region_q("county_id", regions)).values(
                "group_id"
            )
        ),
    ),
)
declare_unscoped(ServiceGroupCounty, "a group's counties: read through the group")
register(TeamHonour, ScopeRule(region="team__region", organization="team__organization"))
declare_unscoped(MembershipTopic, "a pool member's domains: read through the membership")
register(TeamMembership, ScopeRule(region="team__region", owner="person__user"))
for model in (Training, CreditEntry, HonourAward):
    register(
        model,
        ScopeRule(
            region="person__region", organization="person__organization", owner="person__user"
        ),
    )

# Information officers' work: an officer's rows by their region (and their own log); the
# regions' monthly figures and feedback by region.
register(OfficerActivity, ScopeRule(region="region", owner="person__user"))
register(OfficerPersonMonth, ScopeRule(region="region", owner="person__user"))
register(OfficerMonth, ScopeRule(region="region"))
register(OfficerFeedback, ScopeRule(region="region"))

P = "people.person"
OFFICER_WORK = (
    "people.officeractivity.view",
    "people.officeractivity.export",
    "people.officermonth.view",
    "people.officermonth.export",
    "people.officerpersonmonth.view",
)
RECORDS = ("people.training", "people.creditentry", "people.honouraward")
grant(
    Role.REGIONAL_OFFICER,
    "people.dashboard.view",
    *(f"{P}.{a}" for a in ("view", "create", "change", "export", "import", "erase")),
    "people.registration.view",
    "people.registration.create",
    "people.registration.review",
    "people.expertpool.view",
    "people.expertpool.create",
    "people.expertpool.change",
    "people.poolmembership.view",
    "people.poolmembership.create",
    "people.poolmembership.change",
    "people.team.view",
    "people.team.create",
    "people.team.change",
    "people.team.certify",
    "people.team.export",
    "people.servicegroup.view",
    "people.servicegroup.create",
    "people.servicegroup.export",
    "people.teamhonour.view",
    "people.teamhonour.create",
    "people.teamhonour.export",
    "people.teammembership.view",
    "people.teammembership.create",
    *(f"{r}.{a}" for r in RECORDS for a in ("view", "create")),
    *OFFICER_WORK,
    "people.officeractivity.create",
    "people.officeractivity.import",
    "people.officerfeedback.send",
)
grant(
    Role.MEMBER_STAFF,
    f"{P}.view",
    "people.registration.view",
    "people.team.view",
    "people.teamhonour.view",
    "people.expertpool.view",
    *(f"{r}.view" for r in RECORDS),
)
grant(Role.REVIEWER, f"{P}.view", "people.expertpool.view", "people.poolmembership.view")
# The personal-information officer sees full ID and phone numbers — on a page or in an
# export, each time with a reason, audited (export itself still needs `export`).
grant(Role.PI_OFFICER, f"{P}.view", f"{P}.reveal")
grant(
    Role.VOLUNTEER,
    f"{P}.view",
    "people.registration.view",
    *(f"{r}.view" for r in RECORDS),
    "people.teammembership.view",
    # Their own log (the owner rule), and recording their own activity through the API.
    "people.officeractivity.view",
    "people.officeractivity.create",
)

# Training as a process: courses, bases and sessions belong to the organizing region and
# unit; open sessions are readable by everyone signed in (a registered person enrols
# themselves); an enrolment is the organizer's, and its person's own.
register(Course, ScopeRule(region="region", organization="organization"))
# A recognized base is where any region may hold a session: readable by everyone.
register(
    TrainingBase,
    ScopeRule(region="region", organization="organization", public=Q(status="recognized")),
)
register(
    TrainingSession,
    ScopeRule(region="region", organization="course__organization", public=Q(status="open")),
)
register(Enrolment, ScopeRule(region="region", organization="organization", owner="person__user"))
TRAINING = ("people.course", "people.trainingbase", "people.trainingsession", "people.enrolment")
grant(
    Role.REGIONAL_OFFICER,
    *(f"{m}.{a}" for m in TRAINING for a in ("view", "create", "change")),
    "people.course.export",
    "people.enrolment.export",
    "people.trainingbase.recognize",
)
grant(Role.MEMBER_STAFF, *(f"{m}.view" for m in TRAINING))
# A registered person with an account enrols themselves and reads their own training.
grant(
    Role.VOLUNTEER,
    "people.trainingsession.view",
    "people.enrolment.view",
    "people.enrolment.self_enrol",
)
# A registered person applies for their own team's certification (the leader, signed in).
grant(Role.VOLUNTEER, "people.team.view", "people.team.apply")
