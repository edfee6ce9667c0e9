"""Scoring the extractor on a labelled corpus: precision and recall, overall and per field.

A predicted pledge *matches* a labelled one when actor, kind, measure, value (within 0.5 %,
relative) and year all agree. Per field, each prediction is first aligned with the labelled
pledge of the same item it agrees with most (at least three of the five fields); a field is
right when it agrees within an aligned pair. Precision divides by the predictions, recall by
the labels. Negative items (no labelled pledge) count their false positives by the kind of
negative they are (``negative`` key of an item: past, estimate, refusal, hypothetical, other).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from buildup.pledges.corpus import Item
from buildup.pledges.extract import extract_pledges
from buildup.serialize import to_jsonable

__all__ = [
    "FIELDS",
    "Evaluation",
    "ItemCount",
    "Miss",
    "NegativeCount",
    "PledgeFields",
    "Score",
    "SliceKind",
    "SliceScore",
    "evaluate_items",
    "field_agrees",
]

FIELDS = ("actor", "kind", "measure", "value", "year")
VALUE_TOLERANCE = 0.005
"""Relative tolerance of a value [fraction]: 0.5 %."""


@dataclass(frozen=True, slots=True)
class Score:
    """Counts and rates for one slice: true positives, predictions, labels."""

    true_positives: int
    predicted: int
    labelled: int

    @property
    def precision(self) -> float:
        """Share of predictions that are right (1.0 when nothing was predicted)."""
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of labels found (1.0 when nothing was labelled)."""
        return self.true_positives / self.labelled if self.labelled else 1.0


class SliceKind(StrEnum):
    """What a score is over: every pledge, the pledges of one kind, or one field."""

    OVERALL = "overall"
    KIND = "kind"
    FIELD = "field"


@dataclass(frozen=True, slots=True)
class SliceScore:
    """The score of one split on one slice: ``name`` is ``all`` (overall), a pledge kind
    (``commitment``, ``demand``) or a field of :data:`FIELDS`."""

    split: str
    kind: SliceKind
    name: str
    score: Score


@dataclass(frozen=True, slots=True)
class NegativeCount:
    """Items of one kind of negative (past, estimate, refusal…) in a split, and the false
    positives on them."""

    split: str
    negative: str
    items: int
    false_positives: int


@dataclass(frozen=True, slots=True)
class ItemCount:
    """The number of items in a split."""

    split: str
    items: int


@dataclass(frozen=True, slots=True)
class PledgeFields:
    """A pledge record as a label or a prediction gives it: the fields of
    :class:`~buildup.pledges.record.Pledge`, each None where the record has none (a label has
    no ``text`` or ``span``)."""

    actor: str | None = None
    kind: str | None = None
    measure: str | None = None
    value: float | None = None
    currency: str | None = None
    year: int | None = None
    fiscal_year: bool | None = None
    start_year: int | None = None
    end_year: int | None = None
    component: str | None = None
    text: str | None = None
    span: tuple[int, int] | None = None
    qualifier: str | None = None
    bound: str | None = None
    value_high: float | None = None
    demanded_by: str | None = None
    actor_text: str | None = None

    @classmethod
    def of(cls, record: dict[str, Any]) -> PledgeFields:
        """The fields of a pledge record (a span as a pair; other keys left out)."""
        values = {f.name: record.get(f.name) for f in fields(cls)}
        span = values["span"]
        values["span"] = None if span is None else (int(span[0]), int(span[1]))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Miss:
    """A labelled pledge not found (``missed``) or a prediction that matches none (``extra``)."""

    item: str
    split: str
    what: str
    pledge: PledgeFields
    nearest: PledgeFields | None
    text: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores by split ("all", and each split named in the corpus) and slice, the counts of
    items and of negatives, and the misses."""

    scores: tuple[SliceScore, ...]
    negatives: tuple[NegativeCount, ...]
    items: tuple[ItemCount, ...]
    misses: tuple[Miss, ...]

    @property
    def splits(self) -> tuple[str, ...]:
        """The splits scored, "all" among them, in order."""
        return tuple(dict.fromkeys(s.split for s in self.scores))

    def score(self, split: str, name: str = "all", kind: SliceKind = SliceKind.KIND) -> Score:
        """The score of one split on one slice (``score("test", "commitment")``; ``name="all"``
        is the overall score whatever ``kind``)."""
        wanted = SliceKind.OVERALL if name == "all" else kind
        for s in self.scores:
            if s.split == split and s.kind is wanted and s.name == name:
                return s.score
        raise KeyError((split, kind, name))

    def slices(self, split: str) -> tuple[SliceScore, ...]:
        """The scores of one split: overall, by kind, by field."""
        return tuple(s for s in self.scores if s.split == split)

    def items_in(self, split: str) -> int:
        """The number of items in a split (0 if none)."""
        return next((c.items for c in self.items if c.split == split), 0)


def field_agrees(name: str, predicted: dict[str, Any], label: dict[str, Any]) -> bool:
    """Whether one field of a prediction agrees with the label."""
    a, b = predicted.get(name), label.get(name)
    if name == "value":
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= VALUE_TOLERANCE * max(abs(float(b)), 1e-12)
    return bool(a == b)


def _agreement(predicted: dict[str, Any], label: dict[str, Any]) -> int:
    return sum(field_agrees(f, predicted, label) for f in FIELDS)


def _align(
    predicted: list[dict[str, Any]], labels: list[dict[str, Any]]
) -> list[tuple[int, int, int]]:
    """Greedy one-to-one pairs (prediction, label, agreeing fields), best pairs first."""
    pairs = sorted(
        ((_agreement(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(labels)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    chosen = []
    for score, i, j in pairs:
        if score < 3 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        chosen.append((i, j, score))
    return chosen


def evaluate_items(items: list[Item]) -> Evaluation:
    """Run the extractor on every item and score it against the labels."""
    splits = sorted({str(it.extra.get("split", "all")) for it in items} | {"all"})
    tp: Counter[tuple[str, str]] = Counter()
    n_pred: Counter[tuple[str, str]] = Counter()
    n_gold: Counter[tuple[str, str]] = Counter()
    field_tp: Counter[tuple[str, str]] = Counter()
    negative_items: Counter[tuple[str, str]] = Counter()  # (split, kind of negative)
    false_positives: Counter[tuple[str, str]] = Counter()
    counts: Counter[str] = Counter()
    misses: list[Miss] = []
    for item in items:
        split = str(item.extra.get("split", "all"))
        keys = ["all"] if split == "all" else ["all", split]
        predicted = to_jsonable(extract_pledges(item.text, item.date).pledges)
        labels = [dict(g) for g in item.labels]
        for key in keys:
            counts[key] += 1
        if not labels:
            negative = str(item.extra.get("negative", "other"))
            for key in keys:
                negative_items[(key, negative)] += 1
                false_positives[(key, negative)] += len(predicted)
        pairs = _align(predicted, labels)
        exact = {(i, j) for i, j, score in pairs if score == len(FIELDS)}
        for key in keys:
            for kind in ("all", "commitment", "demand"):
                n_pred[(key, kind)] += sum(1 for p in predicted if kind in ("all", p["kind"]))
                n_gold[(key, kind)] += sum(1 for g in labels if kind in ("all", g["kind"]))
                tp[(key, kind)] += sum(1 for i, j in exact if kind in ("all", labels[j]["kind"]))
            for i, j, _ in pairs:
                for f in FIELDS:
                    field_tp[(key, f)] += field_agrees(f, predicted[i], labels[j])
        matched_p = {i for i, _ in exact}
        matched_g = {j for _, j in exact}
        nearest = {i: j for i, j, _ in pairs}
        nearest_g = {j: i for i, j, _ in pairs}
        for j, g in enumerate(labels):
            if j not in matched_g:
                near = nearest_g.get(j)
                misses.append(
                    Miss(
                        item.id,
                        split,
                        "missed",
                        PledgeFields.of(g),
                        PledgeFields.of(predicted[near]) if near is not None else None,
                        item.text,
                    )
                )
        for i, p in enumerate(predicted):
            if i not in matched_p and i not in nearest:
                misses.append(Miss(item.id, split, "extra", PledgeFields.of(p), None, item.text))
    scores = []
    for s in splits:
        scores.append(
            SliceScore(
                s,
                SliceKind.OVERALL,
                "all",
                Score(tp[(s, "all")], n_pred[(s, "all")], n_gold[(s, "all")]),
            )
        )
        scores += [
            SliceScore(s, SliceKind.KIND, k, Score(tp[(s, k)], n_pred[(s, k)], n_gold[(s, k)]))
            for k in ("commitment", "demand")
        ]
        scores += [SliceScore(s, SliceKind.FIELD, f, Score(field_tp[(s, f)], n_pred[(s, "all")],
                                                           n_gold[(s, "all")]))
                   for f in FIELDS]  # fmt: skip
    negative_counts = [
        NegativeCount(s, kind, n, false_positives[(s, kind)])
        for (s, kind), n in sorted(negative_items.items())
    ]
    return Evaluation(
        scores=tuple(scores),
        negatives=tuple(negative_counts),
        items=tuple(ItemCount(s, n) for s, n in counts.items()),
        misses=tuple(misses),
    )
