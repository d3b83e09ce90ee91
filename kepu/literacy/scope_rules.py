"""How the rows of science-literacy monitoring are scoped.

- An item belongs to its region's bank; the officers below read (and field) it.
- A round belongs to the officers of its organizing region; the officers below read it
  (they follow the fielding in their county); a published round is public.
- A stratum, a sample point, a response and a contact lie in their county: the county's
  officers see their own, the organizers above see all. Respondents give no direct
  identifier, so a response is not personal information in the law's sense, but it is
  still read only in scope.
- Census margins and estimates lie in their region; a published round's published
  estimates are public, as is a published index.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core.choices import Role
from kepu.core.scope import (
    ScopeRule,
    ancestors_reach,
    declare_unscoped,
    grant,
    object_rule,
    register,
)
from kepu.core.workflow import four_eyes
from kepu.literacy.choices import PUBLIC_ROUND_STATUSES
from kepu.literacy.models import (
    Contact,
    Dimension,
    Estimate,
    EstimationRun,
    Form,
    FormItem,
    IndexNode,
    IndexTree,
    IndexValue,
    Instrument,
    Item,
    ItemReview,
    ItemStatistic,
    PopulationMargin,
    Response,
    SamplePoint,
    Stratum,
    SurveyRound,
)

S = "literacy"

register(Item, ScopeRule(region="region", reach=ancestors_reach()))
register(ItemReview, ScopeRule(region="item__region", owner="reviewer__user"))
register(
    SurveyRound,
    ScopeRule(
        region="region", public=Q(status__in=PUBLIC_ROUND_STATUSES), reach=ancestors_reach(),
        owner="interviewers",
    ),
)  # fmt: skip
register(Stratum, ScopeRule(region="region"))
register(SamplePoint, ScopeRule(region="stratum__region"))
register(Contact, ScopeRule(region="point__stratum__region", owner="interviewer"))
register(Response, ScopeRule(region="region", owner="interviewer"))
register(PopulationMargin, ScopeRule(region="region", reach=ancestors_reach()))
register(EstimationRun, ScopeRule(region="round__region", reach=ancestors_reach()))
register(
    Estimate,
    ScopeRule(
        region="region", reach=ancestors_reach(),
        public=Q(published=True, round__status__in=PUBLIC_ROUND_STATUSES),
    ),
)  # fmt: skip
register(
    IndexTree,
    ScopeRule(region="region", reach=ancestors_reach(), public=Q(published_at__isnull=False)),
)
declare_unscoped(Instrument, "shipped reference data: the national test structures")
declare_unscoped(Dimension, "shipped reference data, read through its instrument")
declare_unscoped(Form, "read through its round")
declare_unscoped(FormItem, "read through its form")
declare_unscoped(ItemStatistic, "read through its item or estimation run")
declare_unscoped(IndexNode, "read through its index")
declare_unscoped(IndexValue, "read through its index")

grant(
    Role.REGIONAL_OFFICER,
    *(f"{S}.item.{a}" for a in ("view", "export", "create", "change", "review", "retire")),
    f"{S}.itemreview.view",
    *(
        f"{S}.surveyround.{a}"
        for a in ("view", "export", "create", "change", "open", "close", "estimate", "publish")
    ),
    f"{S}.stratum.view",
    f"{S}.samplepoint.view",
    *(f"{S}.contact.{a}" for a in ("view", "create")),
    *(f"{S}.response.{a}" for a in ("view", "export", "create", "exclude")),
    *(f"{S}.populationmargin.{a}" for a in ("view", "change")),
    f"{S}.estimationrun.view",
    f"{S}.estimate.view",
    *(f"{S}.indextree.{a}" for a in ("view", "create", "change", "compute", "publish")),
)
# Member-unit staff (a school's, a community's) field a round as its interviewers: the
# object rules let only a round's interviewers enter responses and contacts.
grant(
    Role.MEMBER_STAFF,
    f"{S}.surveyround.view",
    f"{S}.response.create",
    f"{S}.contact.create",
)
grant(Role.REVIEWER, f"{S}.item.view", f"{S}.itemreview.view", f"{S}.itemreview.file")


# -- rounds and fielding --
# A round's interviewers (member-unit staff or officers, possibly of another county)
# reach the round they interview for (its registration above names them as owners);
# acting on the round stays with its organizers.
grant(Role.REGIONAL_OFFICER, f"{S}.surveyround.interview")
grant(Role.MEMBER_STAFF, f"{S}.surveyround.interview")

ORGANIZER_ACTIONS = ("change", "open", "close", "estimate", "publish", "export")


@object_rule(SurveyRound, *ORGANIZER_ACTIONS)
def organizers_only(round_, user):
    from kepu.core.scope import allowed_regions

    if not allowed_regions(user, SurveyRound, "change").filter(pk=round_.region_id).exists():
        return _("Only the officers of the organizing region run the round.")
    return None


@object_rule(SurveyRound, "interview")
def interviewers_only(round_, user):
    if not round_.interviewers.filter(pk=user.pk).exists():
        return _("Only the round's interviewers enter responses.")
    return None


# -- estimation, reports and the index --
# Four-eyes: the officer who ran a round's current estimation does not publish it.
four_eyes(
    "estimates",
    SurveyRound,
    "publish",
    submitter=lambda rnd: (
        rnd.runs.filter(is_current=True).values_list("started_by_id", flat=True).first()
    ),
    submitted_by=lambda user_pk: Q(runs__is_current=True, runs__started_by=user_pk),
)


# -- item bank --
# The expert files only a review assigned to them, and never one of an item they wrote
# (four-eyes on the bank: the author does not review their own question).


@object_rule(
    ItemReview, "file", exclude=lambda user: ~Q(reviewer__user=user) | Q(item__created_by=user)
)
def assigned_expert_not_author(review: ItemReview, user) -> str | None:
    if review.reviewer.user_id != user.pk:
        return _("Only the assigned expert can file this review.")
    if review.item.created_by_id is not None and review.item.created_by_id == user.pk:
        return _("You wrote this item; another expert must review it.")
    return None


# Experts file the item reviews they are assigned (an expert may hold either role, as in
# the catalog: kepu/resources/scope_rules.py).
grant(Role.VOLUNTEER, f"{S}.itemreview.file")
