"""Every list page and list endpoint: one query-count budget, one filter contract.

A list that runs one query per row ("N+1") gets slower with every row; at province scale
it never answers. Each list below has a ceiling on the queries of one request: what it
ran when the table was written (with the demo data plus the matrix's objects, as the
first persona in `PREFERENCE` that the authorization matrix allows), plus 2. Lower a
ceiling when you make a list cheaper; raise one only with a reason in the commit.
`test_every_list_has_a_budget` fails when a list is added
without one: a URL name ending in `_list`, `-list` or `queue`, or one of `OTHER_LISTS`.
The requests (URL arguments included) come from the matrix rows of the same name.

The per-app tests that a count does not grow with the rows stay beside their apps; this
table is the floor every list must keep.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kepu.core.tests.matrix import matrix_tests, url_names
from kepu.core.tests.test_authz_matrix import ROWS

# Lists whose URL name does not say so.
OTHER_LISTS = {
    "activities:calendar",
    "resources:public_search",
    "resources:menu",
    "resources:emergency",
    "resources:policies",
    "people:expert_search",
    "volunteering:my_tasks",
    "emergency:delivery_inbox",
    "core:home",  # the workbench: its to-do list
    "stats:my_returns",
    "api:activity-signups",
    "api:resource-versions",
    "portal:home",
    "portal:search",
}
# Names that look like lists but are not: the router's name for a create-only endpoint.
NOT_LISTS = {"api:public-order-list"}
LIST_NAME = re.compile(r"(_list|-list|queue)$")
PREFERENCE = (
    "county_a",
    "province",
    "city",
    "member",
    "volunteer",
    "auditor",
    "sysadmin",
    "anonymous",
)

BUDGETS = {
    # core
    "api:region-list": 10,
    "api:organization-list": 10,
    "core:organization_list": 9,
    "core:user_list": 15,
    "core:audit_list": 11,
    "core:home": 12,
    "core:job_list": 12,
    "core:apitoken_list": 10,
    "core:schedule_list": 14,
    # people
    "api:person-list": 11,
    "api:registration-list": 10,
    "api:talent-round-list": 10,
    "api:talent-application-list": 10,
    "api:talent-list": 10,
    "api:expertpool-list": 10,
    "api:expert-list": 11,
    "api:team-list": 10,
    "api:officeractivity-list": 10,
    "people:person_list": 10,
    "people:registration_list": 10,
    "people:pool_list": 8,
    "people:team_list": 8,
    "people:expert_search": 13,
    # people: training courses, sessions and bases (issue 26)
    "people:course_list": 8,
    "people:session_list": 8,
    "people:base_list": 8,
    "api:course-list": 6,
    "api:trainingsession-list": 6,
    "api:enrolment-list": 6,
    # people: teams, second pass (issue 26)
    "people:group_list": 10,
    "people:team_honour_list": 10,
    "api:servicegroup-list": 10,
    "api:teamhonour-list": 10,
    "people:officer_activity_list": 10,
    "people:talent_round_list": 10,
    "people:talent_application_list": 11,
    "people:talent_list": 11,
    # activities
    "api:activity-list": 9,
    "api:campaign-list": 10,
    "api:facility-list": 10,
    "api:activity-signups": 12,
    "activities:activity_list": 11,
    "activities:review_queue": 9,
    "activities:signup_list": 12,
    "activities:campaign_list": 11,
    "activities:facility_list": 9,
    "activities:calendar": 14,
    # volunteering
    "api:serviceorder-list": 9,
    "api:assignment-list": 9,
    "api:hourentry-list": 9,
    "api:certificate-list": 9,
    "volunteering:order_list": 11,
    "volunteering:hour_list": 17,  # issue 16: totals from the counters + owned rows outside
    "volunteering:my_tasks": 9,
    # plans
    "api:plan-task-list": 9,
    "api:plan-target-list": 9,
    "api:plan-report-list": 9,
    "api:plan-note-list": 9,
    "api:plan-list": 9,
    "api:public-plan-list": 10,
    "plans:plan_list": 10,
    "plans:target_list": 11,
    "plans:report_list": 12,
    "plans:public_plan_list": 14,
    # plans: joint conferences (issue 26)
    "plans:conference_list": 10,
    "plans:meeting_list": 10,
    "api:plan-conference-list": 10,
    "api:plan-meeting-list": 10,
    "plans:assessment_list": 12,
    "plans:public_assessment_list": 12,
    "api:plan-assessment-list": 9,
    "api:plan-assessment-entry-list": 9,
    # resources
    "api:resource-review-list": 9,
    "api:resource-list": 12,
    "api:public-resource-list": 12,
    "api:resource-versions": 12,
    "resources:resource_list": 15,
    "resources:queue": 18,
    "resources:expert_list": 10,
    "resources:public_search": 21,
    "resources:menu": 15,
    "resources:emergency": 12,
    "resources:policies": 9,
    # emergency: pushes
    "api:delivery-list": 12,
    "emergency:delivery_inbox": 12,
    # portal
    "portal:home": 8,
    "portal:search": 4,
    "portal:public_notice_list": 7,
    "portal:notice_list": 7,
    "portal:notice_queue": 6,
    # emergency (public)
    "emergency:public_incident_list": 6,
    # emergency (incidents and the expert group)
    "emergency:incident_list": 8,
    "emergency:invitation_list": 6,
    "api:incident-list": 7,
    # emergency: rumours and rebuttals
    "api:rumor-list": 6,
    "emergency:rumor_list": 7,
    "emergency:review_list": 4,
    "emergency:public_rebuttal_list": 6,
    # bases: the registry
    "bases:base_list": 7,
    "bases:public_base_list": 9,
    # contests: the public list of published contests
    "contests:public_contest_list": 6,
    "api:base-list": 6,
    # rubrics; bases: mid-term evaluation of demonstration areas
    "rubrics:rubric_list": 7,
    "api:rubric-list": 7,
    "bases:area_list": 7,
    "bases:evaluation_list": 7,
    # bases: subsidies and census
    "bases:subsidy_list": 8,
    "bases:census_list": 8,
    "bases:censusreturn_list": 8,
    "bases:censusreturn_queue": 8,
    # bases: recognition rounds
    "bases:round_list": 6,
    "bases:application_list": 7,
    "bases:recommend_queue": 6,
    "bases:check_queue": 6,
    "bases:sheet_queue": 6,
    "bases:objection_queue": 6,
    # bases: annual reports and evaluation
    "bases:report_list": 10,
    "bases:spotcheck_list": 6,
    "bases:evaluationround_list": 5,
    "bases:rectification_list": 6,
    # selections: calls and entries
    "selections:call_list": 6,
    "selections:entry_list": 6,
    "selections:check_queue": 6,
    "selections:flag_list": 5,
    "selections:relationship_list": 5,
    "api:selection-call-list": 6,
    "api:selection-entry-list": 6,
    # selections: the expert review
    "selections:review_queue": 8,
    "selections:objection_list": 6,
    "selections:public_call_list": 6,
    "api:selection-review-list": 8,
    # selections: funded projects
    "selections:project_list": 6,
    "api:selection-project-list": 6,
    # literacy: rounds and fielding
    "literacy:round_list": 8,
    "api:literacy-round-list": 8,
    "literacy:response_list": 8,
    "api:literacy-response-list": 8,
    "literacy:interview_list": 6,
    "literacy:margin_list": 12,
    # literacy: results and the index
    "literacy:result_list": 6,
    "literacy:index_list": 6,
    # literacy: the item bank
    "literacy:item_list": 10,
    "literacy:instrument_list": 7,
    "literacy:itemreview_queue": 7,
    "api:literacy-item-list": 6,
    # contests: officers' contests, rounds, attempts and participants
    "contests:contest_list": 7,
    "contests:attempt_list": 8,
    "contests:participant_list": 9,
    "api:contest-list": 6,
    "api:contestround-list": 7,
    "api:contest-attempt-list": 6,
    # stats: entry (the units' returns, the data sets)
    "stats:my_returns": 6,
    "stats:dataset_list": 6,
    "api:stats-return-list": 6,
    # stats: survey rounds, a round's returns and its exceptions to the lock
    "stats:round_list": 7,
    "stats:return_list": 9,
    "stats:exception_list": 7,
    "api:stats-round-list": 6,
    # stats: the aggregates API (output area)
    "api:stats-aggregate-list": 8,
}


def _list_names() -> set[str]:
    names = {n for n in url_names() if LIST_NAME.search(n)}
    return (names | OTHER_LISTS) - NOT_LISTS


def test_every_list_has_a_budget():
    missing = sorted(_list_names() - set(BUDGETS))
    assert not missing, f"list pages and endpoints without a query budget: {missing}"
    stale = sorted(set(BUDGETS) - _list_names())
    assert not stale, f"budgets for URL names that are not lists (any more): {stale}"


def _request_for(name):
    """The matrix's GET row for `name` and the first persona it allows (200)."""
    for row in ROWS:
        if row.name == name and row.method == "get":
            for persona in PREFERENCE:
                if row.expect.get(persona) == 200:
                    return row, persona
    raise AssertionError(f"no GET row answering 200 in the matrix for {name}")


_matrix_ctx, ctx, _unused = matrix_tests([], app="*")


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_list_stays_within_its_query_budget(name, as_persona, ctx):
    row, persona = _request_for(name)
    client = as_persona(persona)
    url = reverse(name, kwargs=row.kwargs(ctx) if row.kwargs else None)
    client.get(url)  # warm per-session caches (roles, the focus region)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{name} as {persona}: {response.status_code}"
    assert len(queries) <= BUDGETS[name], (
        f"{name} as {persona}: {len(queries)} queries, budget {BUDGETS[name]}"
    )


# --- one FilterSet per list: the page and its endpoint take the same filters ----------------

# List page → its API endpoint. Each pair must use the same filter names with the same
# meanings (in practice: the same FilterSet class from the app's filters.py).
PAIRS = {
    "core:organization_list": "api:organization-list",
    "people:person_list": "api:person-list",
    "people:registration_list": "api:registration-list",
    "people:expert_search": "api:expert-list",
    "people:course_list": "api:course-list",
    "people:session_list": "api:trainingsession-list",
    "people:officer_activity_list": "api:officeractivity-list",
    "people:talent_round_list": "api:talent-round-list",
    "people:talent_application_list": "api:talent-application-list",
    "people:talent_list": "api:talent-list",
    "activities:activity_list": "api:activity-list",
    "activities:campaign_list": "api:campaign-list",
    "activities:facility_list": "api:facility-list",
    "volunteering:order_list": "api:serviceorder-list",
    "volunteering:hour_list": "api:hourentry-list",
    "plans:plan_list": "api:plan-list",
    "plans:meeting_list": "api:plan-meeting-list",
    "people:team_list": "api:team-list",
    "people:group_list": "api:servicegroup-list",
    "people:team_honour_list": "api:teamhonour-list",
    "plans:target_list": "api:plan-target-list",
    "plans:report_list": "api:plan-report-list",
    "plans:assessment_list": "api:plan-assessment-list",
    "resources:resource_list": "api:resource-list",
    "emergency:incident_list": "api:incident-list",
    "emergency:rumor_list": "api:rumor-list",
    "bases:base_list": "api:base-list",
    "rubrics:rubric_list": "api:rubric-list",
    "selections:call_list": "api:selection-call-list",
    "literacy:item_list": "api:literacy-item-list",
    "selections:entry_list": "api:selection-entry-list",
    "selections:review_queue": "api:selection-review-list",
    "selections:project_list": "api:selection-project-list",
    "literacy:round_list": "api:literacy-round-list",
    "literacy:response_list": "api:literacy-response-list",
    "contests:contest_list": "api:contest-list",
    "contests:attempt_list": "api:contest-attempt-list",
    "stats:my_returns": "api:stats-return-list",
}
# resources:public_search ↔ api:public-resource-list: the faceted portal page parses its
# query itself (each facet needs all filters but its own); kepu/resources/tests/
# test_filters.py holds its parameter names to PublicResourceFilter's.


def _api_filterset(name):
    from django.urls import resolve

    match = resolve(reverse(name))
    return getattr(match.func.cls, "filterset_class", None)


@pytest.mark.parametrize(("page", "endpoint"), sorted(PAIRS.items()))
def test_page_and_endpoint_take_the_same_filters(page, endpoint, as_persona, ctx):
    row, persona = _request_for(page)
    response = as_persona(persona).get(
        reverse(page, kwargs=row.kwargs(ctx) if row.kwargs else None)
    )
    assert response.status_code == 200
    page_filter = response.context.get("filter")
    api_class = _api_filterset(endpoint)
    assert page_filter is not None, f"{page} passes no FilterSet to its template as `filter`"
    assert api_class is not None, f"{endpoint} has no FilterSet"
    page_names = set(page_filter.filters)
    assert page_names == set(api_class.base_filters), (
        f"{page} filters {sorted(page_names)} ≠ {endpoint} filters {sorted(api_class.base_filters)}"
    )
