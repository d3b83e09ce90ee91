"""How volunteer service rows are scoped, and which role may do what with them.

Orders belong to the region where the service is wanted (its officers dispatch them), to
the department they were dispatched to (its staff claim them), and to the leader of the
team that holds them (who accepts, assigns and completes). Volunteers reach the orders
they are assigned to through their assignments, and their own hours and certificates.
"""

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, grant, register
from kepu.volunteering.models import Assignment, Certificate, HourEntry, OrderEvent, ServiceOrder

register(
    ServiceOrder,
    ScopeRule(
        region="region",
        organization="department",
        owner=("team__leader__user", "requester_user"),
    ),
)
register(
    OrderEvent,
    ScopeRule(
        region="order__region",
        organization="order__department",
        owner=("order__team__leader__user",),
    ),
)
register(
    Assignment,
    ScopeRule(
        region="order__region",
        organization="order__department",
        owner=("person__user", "order__team__leader__user"),
    ),
)
register(
    HourEntry,
    ScopeRule(
        region="region",
        organization="team__organization",
        owner=("person__user", "team__leader__user"),
    ),
)
register(
    Certificate,
    ScopeRule(
        region="team__region",
        organization="team__organization",
        owner=("person__user", "team__leader__user"),
    ),
)

ORDER = "volunteering.serviceorder"
H = "volunteering.hourentry"
C = "volunteering.certificate"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{ORDER}.{x}" for x in ("view", "dispatch", "claim", "accept", "export", "match")),
    "volunteering.orderevent.view",
    "volunteering.assignment.view",
    "volunteering.assignment.checkin",
    *(f"{H}.{x}" for x in ("view", "create", "approve", "export")),
    *(f"{C}.{x}" for x in ("view", "issue", "revoke")),
    "volunteering.bulletin.view",
)
# Member departments claim the orders dispatched to them and run their teams.
grant(
    Role.MEMBER_STAFF,
    *(f"{ORDER}.{x}" for x in ("view", "claim", "accept", "export", "match")),
    "volunteering.orderevent.view",
    "volunteering.assignment.view",
    "volunteering.assignment.checkin",
    *(f"{H}.{x}" for x in ("view", "create", "approve", "export")),
    *(f"{C}.{x}" for x in ("view", "issue", "revoke")),
)
# A volunteer sees their own assignments, hours and certificates; as a team leader
# (owner paths above) also the team's orders, which they accept and complete, and the
# team's hours, which they approve (never their own: the object rule in `rules.py`).
grant(
    Role.VOLUNTEER,
    f"{ORDER}.view",
    f"{ORDER}.accept",
    f"{ORDER}.match",
    "volunteering.orderevent.view",
    "volunteering.assignment.view",
    "volunteering.assignment.checkin",
    *(f"{H}.{x}" for x in ("view", "create", "approve")),
    *(f"{C}.{x}" for x in ("view", "issue")),
)

from kepu.volunteering import rules  # noqa: E402, F401  (the object rules, defined once)
