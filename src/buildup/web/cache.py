"""Answers computed from a request and the store's data, kept for the next identical request.

A plan is a pure function of its scenario and the datasets' current editions: the key is the
route, the canonical JSON of the request and the store's :meth:`data_version` (which changes
on every import), so a cached answer is never served for data that has changed. Bounded (least
recently used out first); the hit counts are in ``/api/v1/health``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["AnswerCache", "BoundedCache"]


class BoundedCache:
    """A bounded, thread-safe map (least recently used out first) that counts hits and misses."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any:
        """The value kept under ``key``, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` (nothing, for a cache of size 0)."""
        if self._size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class AnswerCache(BoundedCache):
    """Serialised answers (payload, media type) by request key."""

    def __init__(self, size: int = 512) -> None:
        super().__init__(size)

    @staticmethod
    def key(route: str, request: Any, data_version: str) -> str:
        canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(f"{route}\n{data_version}\n{canonical}".encode()).hexdigest()

    def put(self, key: str, payload: bytes, media_type: str) -> None:
        self.keep(key, (payload, media_type))
