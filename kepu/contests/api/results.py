"""API of the results area: a round's live leaderboard as JSON (public, from the same
cached value as the page: the top 100 with masked names and the region tables)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kepu.contests import choices as c
from kepu.contests.models import ContestRound
from kepu.contests.services import rankings
from kepu.core.scope import visible_to

BOARD_STATUSES = (c.RoundStatus.OPEN, c.RoundStatus.CLOSED, c.RoundStatus.PUBLISHED)


class LeaderboardView(APIView):
    """The live leaderboard of an open, closed or published round of a published contest
    (at most a few seconds old)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "ContestLeaderboard",
            {
                "round": serializers.IntegerField(), "headcount": serializers.IntegerField(),
                "attempts": serializers.IntegerField(), "top": serializers.ListField(),
                "cities": serializers.ListField(), "counties": serializers.ListField(),
                "as_of": serializers.DateTimeField(),
            },
        )
    )  # fmt: skip
    def get(self, request, pk):
        round_ = (
            visible_to(request.user, ContestRound.objects.with_relations())
            .filter(pk=pk, status__in=BOARD_STATUSES)
            .first()
        )
        if round_ is None:
            raise Http404
        board = rankings.live_board(round_)
        return Response(
            {
                "round": round_.pk, "headcount": board["headcount"],
                "attempts": board["attempts"], "top": board["top"], "cities": board["cities"],
                "counties": board["counties"], "as_of": board["at"].isoformat(),
            }
        )  # fmt: skip
