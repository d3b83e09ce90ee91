"""The registry of people (seeds 000 (二), 001 四(三), 002 三(三)5, 003 (十)(十一),
004 (23)): one module per aggregate, re-exported here."""

from kepu.people.models.officers import (  # noqa: F401
    OfficerActivity,
    OfficerFeedback,
    OfficerMonth,
    OfficerPersonMonth,
)
from kepu.people.models.registry import (  # noqa: F401
    CreditEntry,
    ExpertPool,
    HonourAward,
    MembershipTopic,
    Person,
    PoolMembership,
    Registration,
    Team,
    TeamMembership,
    Training,
)
from kepu.people.models.talents import (  # noqa: F401, E402
    ApplicationItem,
    ApplicationScore,
    EvaluationRound,
    HighLevelTalent,
    ServiceRecord,
    TalentApplication,
)
from kepu.people.models.teams import ServiceGroup, ServiceGroupCounty, TeamHonour  # noqa: F401
from kepu.people.models.training import (  # noqa: F401
    Course,
    Enrolment,
    TrainingBase,
    TrainingSession,
)
