"""The estimation engine of literacy monitoring (issue 20): pure numpy, no Django, so the
jobs, the demo and the benchmark call the same code.

- `allocation`: sample size from a margin of error, allocation to strata, quotas;
- `scoring`: scores, tiers and classical item statistics of a response matrix;
- `weights`: design weights, non-response adjustment, raking with trimming;
- `design`: strata, PSUs and domains indexed once (the P × D sums every estimator uses);
- `taylor`: domain means and proportions with Taylor-linearization variances;
- `replicate`: jackknife and bootstrap replicate factors at PSU level and their variances;
- `sae`: the Fay–Herriot area model (EBLUP, MSE) and the direct-or-model choice.

Every result equals the reference implementation (samplics) to 1e-9 on the same data
(`kepu/literacy/tests/test_estimation_*.py`). Errors are `EstimationError` with a `code`
and `params`; see `errors` for how the app translates them.
"""

from . import allocation, design, replicate, sae, scoring, taylor, weights
from .allocation import allocate, quotas, sample_size
from .design import Design, DomainEstimates, Domains, DomainSums
from .errors import MESSAGES, EstimationError
from .replicate import ReplicateFactors, bootstrap, jackknife, replicate_weights
from .sae import FayHerriot, choose, fay_herriot
from .scoring import Form, ItemStatistics, Scores, item_statistics, score, structure_2024, tiers
from .weights import DesignWeights, RakeResult, design_weights, nonresponse_adjust, rake

__all__ = [
    "MESSAGES",
    "Design",
    "DesignWeights",
    "DomainEstimates",
    "DomainSums",
    "Domains",
    "EstimationError",
    "FayHerriot",
    "Form",
    "ItemStatistics",
    "RakeResult",
    "ReplicateFactors",
    "Scores",
    "allocate",
    "allocation",
    "bootstrap",
    "choose",
    "design",
    "design_weights",
    "fay_herriot",
    "item_statistics",
    "jackknife",
    "nonresponse_adjust",
    "quotas",
    "rake",
    "replicate",
    "replicate_weights",
    "sae",
    "sample_size",
    "score",
    "scoring",
    "structure_2024",
    "taylor",
    "tiers",
    "weights",
]
