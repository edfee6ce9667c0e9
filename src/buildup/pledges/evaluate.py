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
from dataclasses import dataclass
from typing import Any

from buildup.pledges.corpus import Item
from buildup.pledges.extract import extract_pledges
from buildup.serialize import to_jsonable

__all__ = ["FIELDS", "Evaluation", "Miss", "Score", "evaluate_items", "field_agrees"]

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


@dataclass(frozen=True, slots=True)
class Miss:
    """A labelled pledge not found (``missed``) or a prediction that matches none (``extra``)."""

    item: str
    split: str
    what: str
    pledge: dict[str, Any]
    nearest: dict[str, Any] | None
    text: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores by split ("all", and each split named in the corpus) and the misses."""

    overall: dict[str, Score]
    by_kind: dict[str, dict[str, Score]]
    by_field: dict[str, dict[str, Score]]
    negatives: dict[str, dict[str, int]]
    items: dict[str, int]
    misses: tuple[Miss, ...]


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
    negatives: dict[str, Counter[str]] = {s: Counter() for s in splits}
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
            for key in keys:
                negatives[key][f"{item.extra.get('negative', 'other')} items"] += 1
                negatives[key][f"{item.extra.get('negative', 'other')} false positives"] += len(
                    predicted
                )
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
                        g,
                        predicted[near] if near is not None else None,
                        item.text,
                    )
                )
        for i, p in enumerate(predicted):
            if i not in matched_p and i not in nearest:
                misses.append(Miss(item.id, split, "extra", p, None, item.text))
    overall = {s: Score(tp[(s, "all")], n_pred[(s, "all")], n_gold[(s, "all")]) for s in splits}
    by_kind = {
        s: {k: Score(tp[(s, k)], n_pred[(s, k)], n_gold[(s, k)]) for k in ("commitment", "demand")}
        for s in splits
    }
    by_field = {
        s: {f: Score(field_tp[(s, f)], n_pred[(s, "all")], n_gold[(s, "all")]) for f in FIELDS}
        for s in splits
    }
    return Evaluation(
        overall=overall,
        by_kind=by_kind,
        by_field=by_field,
        negatives={s: dict(sorted(c.items())) for s, c in negatives.items()},
        items=dict(counts),
        misses=tuple(misses),
    )
