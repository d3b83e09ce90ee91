"""How the survey's rows are scoped.

- The data sets (tables, indicators, rules) are reference data: every signed-in user of
  the platform reads them; only province officers change them (a permission check).
- A round belongs to the officers of its region (the province); the officers below read
  it (ancestors' reach), since their counties and units file in it.
- A return lies in its responsible region and its unit: the county's officers (and
  above) accept or return it, the unit's staff fill their own.
- A region's approval belongs to that region's officers and above: a county approves its
  own, the city approves or returns the county's.
- Aggregates of a region are read by its officers and above; published ones are served
  to the public by the open-data page (approved aggregates only).
"""

from kepu.core.choices import Role
from kepu.core.scope import ScopeRule, ancestors_reach, declare_unscoped, grant, register
from kepu.core.workflow import four_eyes
from kepu.stats.models import (
    Aggregate,
    DataSet,
    Indicator,
    LockException,
    RegionApproval,
    Return,
    ReturnEvent,
    Section,
    StatTable,
    SurveyRound,
    ValidationRule,
    Value,
)

register(SurveyRound, ScopeRule(region="region", reach=ancestors_reach()))
register(Return, ScopeRule(region="region", organization="organization"))
register(RegionApproval, ScopeRule(region="region"))
register(LockException, ScopeRule(region="region"))
register(Aggregate, ScopeRule(region="region"))
for model in (DataSet, StatTable, Section, Indicator, ValidationRule):
    declare_unscoped(model, "reference data of the survey, read by every signed-in user")
declare_unscoped(Value, "read through its return")
declare_unscoped(ReturnEvent, "read through its return")

S = "stats"
grant(
    Role.REGIONAL_OFFICER,
    *(f"{S}.dataset.{a}" for a in ("view", "change")),
    *(f"{S}.surveyround.{a}" for a in ("view", "export", "create", "change", "assign", "publish")),
    *(f"{S}.return.{a}" for a in ("view", "export", "fill", "accept", "import")),
    *(f"{S}.regionapproval.{a}" for a in ("view", "approve")),
    *(f"{S}.lockexception.{a}" for a in ("view", "grant")),
    *(f"{S}.aggregate.{a}" for a in ("view", "export")),
)
grant(Role.MEMBER_STAFF, f"{S}.return.view", f"{S}.return.fill", f"{S}.return.export")

# Whoever submitted a return does not accept it (an officer filling on behalf of a unit
# without an account has another officer accept it).
four_eyes("stats_returns", Return, "accept")
