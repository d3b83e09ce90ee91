"""Science-education bases and venues (issue 23): the registry (`registry`), recognition
rounds, annual reports and evaluations, subsidies and the infrastructure census (one
module per aggregate, re-exported here)."""

from kepu.bases.models.annual import (  # noqa: F401
    AnnualEvaluation,
    AnnualReport,
    EvaluationRound,
    Rectification,
    ReportEvidence,
    ReportWindow,
    SpotCheck,
)
from kepu.bases.models.midterm import (  # noqa: F401
    DemonstrationArea,
    MidtermEntry,
    MidtermEvaluation,
    MidtermScoresheet,
)
from kepu.bases.models.recognition import (  # noqa: F401
    Application,
    ApplicationMaterial,
    Objection,
    PanelMember,
    RecognitionRound,
    Recommendation,
    ScoreSheet,
)
from kepu.bases.models.registry import Base  # noqa: F401
from kepu.bases.models.subsidy import CensusReturn, CensusRound, SubsidyLine, SubsidyRound  # noqa: F401, E501
