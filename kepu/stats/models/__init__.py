from kepu.stats.models.datasets import DataSet, Indicator, Section, StatTable, ValidationRule
from kepu.stats.models.returns import Aggregate, Return, ReturnEvent, Value
from kepu.stats.models.rounds import LockException, RegionApproval, SurveyRound

__all__ = [
    "Aggregate",
    "DataSet",
    "Indicator",
    "LockException",
    "RegionApproval",
    "Return",
    "ReturnEvent",
    "Section",
    "StatTable",
    "SurveyRound",
    "ValidationRule",
    "Value",
]
