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
from kepu.bases.models.registry import Base  # noqa: F401
