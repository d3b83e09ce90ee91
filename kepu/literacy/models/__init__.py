from kepu.literacy.models.bank import Dimension, Form, FormItem, Instrument, Item, ItemReview
from kepu.literacy.models.responses import Response
from kepu.literacy.models.results import (
    Estimate,
    EstimationRun,
    IndexNode,
    IndexTree,
    IndexValue,
    ItemStatistic,
)
from kepu.literacy.models.rounds import (
    Contact,
    PopulationMargin,
    SamplePoint,
    Stratum,
    SurveyRound,
)

__all__ = [
    "Contact", "Dimension", "Estimate", "EstimationRun", "Form", "FormItem", "IndexNode",
    "IndexTree", "IndexValue", "Instrument", "Item", "ItemReview", "ItemStatistic",
    "PopulationMargin", "Response", "SamplePoint", "Stratum", "SurveyRound",
]  # fmt: skip
