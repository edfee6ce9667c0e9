"""Long work as jobs: a bounded pool off the event loop, progress, cancel, a time limit.

A job is queued when it is posted, runs on one of ``job_workers`` threads, and is kept for
``GET`` after it ends (the last ``job_keep`` of them). When ``job_workers + job_queue`` jobs
are already waiting or running, a new one is refused (the route answers 503 with
``Retry-After``). The work reports progress through :class:`JobProgress`; that call is also
where a cancelled or timed-out job stops — at the next chunk of draws, so the numbers that
were computed are never half-written into a result.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from buildup.errors import BuildupError, http_status

__all__ = ["Job", "JobCancelledError", "JobManager", "JobProgress", "JobState", "JobTimeoutError"]


class JobState(StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class JobCancelledError(Exception):
    """Raised inside the work when its job was cancelled."""


class JobTimeoutError(Exception):
    """Raised inside the work when its job ran past the time limit."""


@dataclass
class Job:
    """One job's record; ``result`` is JSON data and ``result_bytes`` the serialised outcome."""

    id: str
    kind: str
    created_at: datetime
    deadline_s: float
    state: JobState = JobState.QUEUED
    started_at: datetime | None = None
    finished_at: datetime | None = None
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    result_bytes: bytes | None = None
    error: dict[str, Any] | None = None
    cancel_requested: bool = False
    future: Future[None] | None = field(default=None, repr=False)
    started_mono: float | None = None

    @property
    def fraction(self) -> float:
        """Fraction done, 0–1 [fraction]."""
        if self.state is JobState.SUCCEEDED:
            return 1.0
        return self.done / self.total if self.total else 0.0

    @property
    def finished(self) -> bool:
        return self.state in {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED}


class JobProgress:
    """Handed to the work: ``update(done, total)`` records progress, and stops a cancelled or
    timed-out job by raising."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def update(self, done: int, total: int) -> None:
        job = self._job
        job.done, job.total = int(done), int(total)
        self.check()

    def check(self) -> None:
        job = self._job
        if job.cancel_requested:
            raise JobCancelledError
        if job.started_mono is not None and time.monotonic() - job.started_mono > job.deadline_s:
            raise JobTimeoutError


Work = Callable[[JobProgress], tuple[dict[str, Any], bytes]]


class JobManager:
    """The bounded pool and the table of jobs."""

    def __init__(self, workers: int, queue: int, keep: int, time_limit_s: float) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="buildup-job")
        self._capacity = workers + queue
        self._keep = keep
        self._time_limit_s = time_limit_s
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def active(self) -> int:
        """Jobs waiting or running."""
        with self._lock:
            return sum(not j.finished for j in self._jobs.values())

    def submit(self, kind: str, work: Work, *, total: int = 0) -> Job | None:
        """Queue ``work``; None when the pool and queue are full."""
        with self._lock:
            if sum(not j.finished for j in self._jobs.values()) >= self._capacity:
                return None
            job = Job(uuid.uuid4().hex[:16], kind, _now(), self._time_limit_s, total=total)
            self._jobs[job.id] = job
            self._trim()
        job.future = self._pool.submit(self._run, job, work)
        return job

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished]
        for key in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[key]

    def _run(self, job: Job, work: Work) -> None:
        if job.cancel_requested:
            self._finish(job, JobState.CANCELLED)
            return
        job.state = JobState.RUNNING
        job.started_at = _now()
        job.started_mono = time.monotonic()
        try:
            result, payload = work(JobProgress(job))
        except JobCancelledError:
            self._finish(job, JobState.CANCELLED)
        except JobTimeoutError:
            msg = f"the job ran past its time limit of {job.deadline_s:g} s and was stopped"
            job.error = _error(504, msg, "ask for fewer draws, or a server with a longer limit")
            self._finish(job, JobState.FAILED)
        except BuildupError as exc:
            job.error = _error(http_status(exc), str(exc), getattr(exc, "fix", None))
            self._finish(job, JobState.FAILED)
        except Exception:
            import logging

            logging.getLogger("buildup.web").exception("job %s failed", job.id)
            job.error = _error(500, "internal error in the job (a bug: see the server's log)")
            self._finish(job, JobState.FAILED)
        else:
            job.result, job.result_bytes = result, payload
            self._finish(job, JobState.SUCCEEDED)

    def _finish(self, job: Job, state: JobState) -> None:
        job.state = state
        job.finished_at = _now()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        """Ask a job to stop (a queued one never starts); the record stays, as cancelled."""
        job = self.get(job_id)
        if job is None:
            return None
        if not job.finished:
            job.cancel_requested = True
            if job.future is not None and job.future.cancel():
                self._finish(job, JobState.CANCELLED)
        return job

    def shutdown(self) -> None:
        """Cancel everything and wait for the running work to reach its next check."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel_requested = True
        self._pool.shutdown(wait=True, cancel_futures=True)


def _error(status: int, message: str, fix: str | None = None) -> dict[str, Any]:
    return {
        "ok": False,
        "status": status,
        "error": message,
        "errors": [{"loc": [], "msg": message, "fix": fix}],
    }


def _now() -> datetime:
    return datetime.now(UTC)
