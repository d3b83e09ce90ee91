from kepu.contests.models.contests import Contest, ContestRound, RoundItem
from kepu.contests.models.results import Certificate, Prize, PrizeList, PrizeObjection
from kepu.contests.models.taking import Attempt, Participant, Standing

__all__ = [
    "Attempt", "Certificate", "Contest", "ContestRound", "Participant", "Prize", "PrizeList",
    "PrizeObjection", "RoundItem", "Standing",
]  # fmt: skip
