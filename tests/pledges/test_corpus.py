"""The labelled corpus: its shape (the issue's minimums) and the extractor's scores on it.

The corpus was written in rounds and each round split by a hash of each item's id (see
tests/pledges/README.md); the scores are printed (``-s``); the targets are asserted on the
whole corpus, and the held-out splits are asserted not to collapse.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest

from buildup.pledges import evaluate_items, read_items

CORPUS = Path(__file__).parent / "corpus.jsonl"
RECORD_KEYS = {"actor", "kind", "measure", "value", "currency", "year", "fiscal_year",
               "start_year", "end_year", "component"}  # fmt: skip


@pytest.fixture(scope="module")
def lines() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_corpus_meets_the_issue_minimums(lines: list[dict[str, object]]) -> None:
    labels = [p for item in lines for p in item["pledges"]]  # type: ignore[attr-defined]
    negatives = Counter(item.get("negative") for item in lines if not item["pledges"])
    assert len(lines) >= 120
    assert len({p["actor"] for p in labels}) >= 15
    assert sum(1 for p in labels if p["kind"] == "demand") >= 10
    assert sum(negatives.values()) >= 30
    assert {"past", "estimate", "refusal", "hypothetical", "other"} <= set(negatives)
    assert sum(1 for item in lines if len(item["pledges"]) > 1) >= 5  # type: ignore[arg-type]
    assert sum(1 for item in lines if "\n\n" in str(item["text"])) >= 3


def test_every_item_has_a_source_address_and_exact_record_keys(
    lines: list[dict[str, object]],
) -> None:
    for item in lines:
        assert str(item["source"]).startswith(("http://", "https://")), item["id"]
        assert item["split"] in ("dev", "test", "test2", "test3", "test4", "test5", "test6")
        for p in item["pledges"]:  # type: ignore[attr-defined]
            assert set(p) >= RECORD_KEYS, item["id"]


def test_scores_on_the_corpus() -> None:
    result = evaluate_items(read_items(CORPUS, datetime.date(2025, 1, 1), labelled=True))
    for split in ("dev", "test", "test5", "all"):
        c = result.score(split, "commitment")
        print(f"{split}: commitments precision {c.precision:.3f} recall {c.recall:.3f}")
    everything = result.score("all", "commitment")
    assert everything.precision >= 0.9
    assert everything.recall >= 0.85
    held_out = result.score("test", "commitment")
    assert held_out.precision >= 0.75
    assert held_out.recall >= 0.7
    # test5 (round 4) was never used to write a rule: it must not fall below its score
    # before that round's fixes (commitments P 0.852, R 0.676)
    sealed = result.score("test5", "commitment")
    assert sealed.precision >= 0.85
    assert sealed.recall >= 0.676
    assert sum(n.false_positives for n in result.negatives if n.split == "all") <= 3
