"""The paper of an attempt: which questions, in which order, with which option order.

Everything follows from the round's drawn set and the attempt's `seed`; nothing the
client sends decides it. A round's set is read once per process (it cannot change once
drawn: `RoundItem` rows are replaced only while the round is a draft or ready, which
changes `drawn_at`, part of the cache key).

Answers are stored as the item's own option keys ("A", "AC", "T"), so scoring is the
literacy bank's (`literacy.scoring.Slot`); the participant's page shows the options in
the attempt's order and sends back positions in that order (0, 1, 2 …), which the
server maps to keys."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from kepu.contests.models import ContestRound, RoundItem
from kepu.core.errors import DomainError
from kepu.literacy import choices as lc
from kepu.literacy import scoring


@dataclass(frozen=True)
class Question:
    item: int
    kind: str
    stem: str
    options: tuple  # ((key, text), ...) in the bank's order
    key: str  # canonical key text
    explanation: str
    dimension: str

    def shown(self, order: tuple[str, ...]) -> list[tuple[int, str, str]]:
        """(index sent back, option key, text) in the attempt's display order."""
        texts = dict(self.options)
        labels = {"T": _("True"), "F": _("False")}
        return [(i, key, texts.get(key) or labels.get(key, key)) for i, key in enumerate(order)]

    @property
    def slot(self) -> scoring.Slot:
        return scoring.Slot(
            item=self.item, dimension=self.dimension, kind=self.kind, key=self.key, cents=100,
            options=tuple(k for k, _t in self.options),
        )  # fmt: skip


def _options(item) -> tuple:
    # True or false: the labels are translated when shown (this set is cached per process,
    # whatever the language of the request that read it).
    if item.kind == lc.ItemKind.TRUE_FALSE and not item.options:
        return (("T", ""), ("F", ""))
    return tuple((str(o.get("key", "")), str(o.get("text", ""))) for o in item.options or ())


@lru_cache(maxsize=64)
def _set(round_id: int, drawn_at) -> tuple[Question, ...]:
    rows = (
        RoundItem.objects.filter(round_id=round_id)
        .select_related("item", "item__dimension")
        .order_by("position")
    )
    return tuple(
        Question(
            item=r.item_id, kind=r.item.kind, stem=r.item.stem, options=_options(r.item),
            key=scoring.key_text(r.item.kind, r.item.key), explanation=r.item.explanation,
            dimension=r.item.dimension.code if r.item.dimension_id else "",
        )
        for r in rows
    )  # fmt: skip


def question_set(round_: ContestRound) -> tuple[Question, ...]:
    return _set(round_.pk, round_.drawn_at)


@dataclass(frozen=True)
class Paper:
    """An attempt's questions in order, each with its options' display order."""

    questions: tuple[Question, ...]
    option_orders: tuple[tuple[str, ...], ...]

    def __len__(self):
        return len(self.questions)

    def at(self, position: int) -> tuple[Question, tuple[str, ...]]:
        """The question at 1-based `position` and its options' keys in display order."""
        if not 1 <= position <= len(self.questions):
            raise DomainError(_("This question is not part of your paper."))
        return self.questions[position - 1], self.option_orders[position - 1]

    def answer_of(self, position: int, item: int, chosen) -> str:
        """The canonical answer for the displayed option indexes `chosen` at `position`,
        after checking the question really is `item` there (a forged question id or a
        tampered option order is refused)."""
        question, order = self.at(position)
        if question.item != item:
            raise DomainError(_("This question is not part of your paper."))
        try:
            indexes = sorted({int(i) for i in chosen})
        except (TypeError, ValueError):
            raise DomainError(_("Choose one of the options shown.")) from None
        if not indexes or any(i < 0 or i >= len(order) for i in indexes):
            raise DomainError(_("Choose one of the options shown."))
        if question.kind != lc.ItemKind.MULTIPLE and len(indexes) != 1:
            raise DomainError(_("Choose exactly one option."))
        return scoring.normalize(question.kind, "".join(order[i] for i in indexes))


def paper(round_: ContestRound, seed: int) -> Paper:
    full = question_set(round_)
    if not full:
        raise DomainError(_("The questions of this round have not been drawn yet."))
    rng = random.Random(seed)  # noqa: S311 (a shuffle, not a secret: the seed is)
    count = min(round_.questions, len(full))
    chosen = rng.sample(range(len(full)), count)
    questions = tuple(full[i] for i in chosen)
    orders = []
    for q in questions:
        keys = [k for k, _t in q.options]
        # True or false keeps its order (true first), as every paper prints it.
        if q.kind != lc.ItemKind.TRUE_FALSE:
            rng.shuffle(keys)
        orders.append(tuple(keys))
    return Paper(questions, tuple(orders))


def score(round_: ContestRound, paper_: Paper, answers: dict) -> tuple[int, int]:
    """(points, correct answers) of `answers` ({"<position>": key text})."""
    correct = 0
    for position, question in enumerate(paper_.questions, start=1):
        given = answers.get(str(position), "")
        if given and question.slot.is_right(given):
            correct += 1
    return correct * round_.points_per_question, correct
