"""Pledges from news: read the spending commitments and demands in a text, offline, by rules.

>>> import datetime
>>> found = extract_pledges(
...     "Japan will double its defence budget to 2 % of GDP by 2027.", datetime.date(2022, 12, 16)
... )
>>> [(p.actor, p.measure, p.value, p.year) for p in found.pledges]
[('JPN', 'share_gdp', 0.02, 2027)]
"""

from __future__ import annotations

from buildup.pledges.corpus import Item, read_items
from buildup.pledges.dates import parse_date
from buildup.pledges.evaluate import Evaluation, Score, evaluate_items
from buildup.pledges.extract import Extraction, extract_document, extract_pledges
from buildup.pledges.record import Pledge, Unresolved
from buildup.pledges.text import Document, read_document

__all__ = [
    "Document",
    "Evaluation",
    "Extraction",
    "Item",
    "Pledge",
    "Score",
    "Unresolved",
    "evaluate_items",
    "extract_document",
    "extract_pledges",
    "parse_date",
    "read_document",
    "read_items",
]
