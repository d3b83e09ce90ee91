"""How activity rows are scoped, and which role may do what with them.

Activities are scoped by the region where they are held (officers there review them) and
by their organizer (member-unit staff manage their own unit's). Published activities are
public: the portal reads them with `visible_to(user, Activity.objects.published())`;
back-office pages ask without the public rows (`public=False`), so an officer never sees
another county's activity there.
"""

from django.db.models import Q

from kepu.activities.choices import ActivityStatus
from kepu.activities.models import (
    Activity,
    ActivityReport,
    ActivityTag,
    Campaign,
    MobileFacility,
    ReportPhoto,
    ReviewDecision,
    SignUp,
)
from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, declare_unscoped, grant, register
from kepu.core.workflow import four_eyes

register(
    Activity,
    ScopeRule(
        region="region",
        organization="organization",
        public=Q(status=ActivityStatus.PUBLISHED),
    ),
)
register(Campaign, ScopeRule(region="region", public=Q()))
register(MobileFacility, ScopeRule(region="region", organization="organization", public=Q()))
for model in (SignUp, ActivityReport, ReviewDecision):
    register(model, ScopeRule(region="activity__region", organization="activity__organization"))
declare_unscoped(ActivityTag, "read only with its activity (tags are part of the activity)")
declare_unscoped(ReportPhoto, "served only through its activity (get_activity_for_user)")

# Four-eyes (kepu.core.workflow): whoever submitted an activity does not review it; another
# officer of the region does (a county officer's own submission goes to a colleague or to
# the city). What the state allows is the services' StateConflict, and pages ask
# `scope.can` for buttons.
four_eyes("activities", Activity, "review")

A = "activities.activity"
grant(
    Role.REGIONAL_OFFICER,
    "activities.dashboard.view",
    *(f"{A}.{x}" for x in ("view", "create", "change", "submit", "review", "cancel", "export")),
    f"{A}.report",
    f"{A}.checkin",
    "activities.signup.view",
    "activities.signup.export",
    "activities.activityreport.view",
    "activities.reviewdecision.view",
    *(f"activities.campaign.{x}" for x in ("view", "create", "change")),
    *(f"activities.mobilefacility.{x}" for x in ("view", "create", "change")),
    # Planning a stop of a mobile facility (booking it) is for the officers of the
    # facility's region and above: a province's caravan is scheduled by the province (a
    # county asks it), a county's by the county. Everyone may *see* every tour.
    "activities.mobilefacility.book",
)
# Member units organize: draft, submit, run sign-up and check-in, report afterwards.
grant(
    Role.MEMBER_STAFF,
    *(f"{A}.{x}" for x in ("view", "create", "change", "submit", "cancel", "report", "export")),
    f"{A}.checkin",
    "activities.signup.view",
    "activities.signup.export",
    "activities.activityreport.view",
    "activities.reviewdecision.view",
    "activities.campaign.view",
    "activities.mobilefacility.view",
)
grant(Role.REVIEWER, f"{A}.view", "activities.activityreport.view", "activities.campaign.view")
