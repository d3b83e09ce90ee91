"""Plans and supervision (seeds 000, 001 五, 003 (四), 004 (21)-(25)): one module per
aggregate, re-exported here."""

from kepu.plans.models.assessment import (  # noqa: F401, E402
    AssessmentEntry,
    AssessmentEvidence,
    AssessmentRound,
)
from kepu.plans.models.meetings import (  # noqa: F401
    ConferenceMember,
    JointConference,
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingMinutes,
)
from kepu.plans.models.plans import (  # noqa: F401
    AMOUNT,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportEvent,
    ReportFigure,
    Section,
    SupervisionNote,
    Target,
    Task,
    TaskUnit,
    _attachment_path,
)
