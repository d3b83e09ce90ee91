from kepu.selections.models.calls import Call, DisciplinaryFlag, PanelSeat, Relationship
from kepu.selections.models.entries import (
    Entry,
    EntryMaterial,
    EntryMember,
    Objection,
    PanelVote,
    Review,
)
from kepu.selections.models.projects import (
    BudgetLine,
    Disbursement,
    Milestone,
    PerformanceTarget,
    Project,
    ProjectCheck,
    ProjectOutput,
)

__all__ = [
    "BudgetLine",
    "Call",
    "DisciplinaryFlag",
    "Disbursement",
    "Entry",
    "EntryMaterial",
    "EntryMember",
    "Milestone",
    "Objection",
    "PanelSeat",
    "PanelVote",
    "PerformanceTarget",
    "Project",
    "ProjectCheck",
    "ProjectOutput",
    "Relationship",
    "Review",
]
