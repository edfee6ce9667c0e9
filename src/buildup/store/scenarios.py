"""Saved scenarios, their versions and their runs: one SQL, on DuckDB and on PostgreSQL.

Every save is a new version; a version is never changed or removed except with its scenario.
A scenario's ``version`` is the number of its current version; an update or a delete names
the version it was based on (``expected_version``), and is refused with
:class:`~buildup.errors.StaleVersionError` when another save came first — so no update is
lost. The check is one statement that both back ends answer the same way:

    UPDATE saved_scenarios SET version = version + 1 … WHERE id = ? AND version = ?
    RETURNING version

No row back means the version moved on (or the scenario is gone). Row counts are not used:
DuckDB's driver reports −1 after an UPDATE, so a row-count check would never see a conflict.

Tables (created if missing, in the store's database):

- ``saved_scenarios``: id, name, version (current), spec_hash, created_at, updated_at [UTC]
- ``saved_scenario_versions``: scenario_id, version, name, spec (JSON text of the scenario
  document, validated before it is written), spec_hash, message, created_at
- ``saved_scenario_runs``: id, scenario_id, version (the one that ran), task, spec_hash,
  created_at, outcome (JSON text)
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from buildup.errors import NotFoundError, StaleVersionError
from buildup.scenario import Scenario, scenario_from_document, scenario_hash
from buildup.store.sql import SqlBackend, SqlSession

__all__ = [
    "SavedScenario",
    "ScenarioRepository",
    "ScenarioRun",
    "ScenarioVersion",
]

_DDL = (
    """CREATE TABLE IF NOT EXISTS saved_scenarios (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        spec_hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS saved_scenario_versions (
        scenario_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        spec VARCHAR NOT NULL,
        spec_hash VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (scenario_id, version)
    )""",
    """CREATE TABLE IF NOT EXISTS saved_scenario_runs (
        id VARCHAR PRIMARY KEY,
        scenario_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        task VARCHAR NOT NULL,
        spec_hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        outcome VARCHAR NOT NULL
    )""",
)
MAX_LIST = 1000
_DDL_LOCK = 0x7363656E  # an advisory lock id: "scen" in ASCII


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario: its id, name and current version [UTC times]."""

    id: str
    name: str
    version: int
    spec_hash: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ScenarioVersion:
    """One saved version: the scenario document as saved (``extends`` nested, see
    :func:`buildup.scenario.read_scenario_document`), the hash of the scenario it validates
    into, and the message."""

    scenario_id: str
    version: int
    name: str
    spec: Mapping[str, Any]
    spec_hash: str
    message: str
    created_at: datetime

    def scenario(self) -> Scenario:
        """The version as a validated scenario model."""
        return scenario_from_document(self.spec, f"{self.scenario_id}@{self.version}")


@dataclass(frozen=True)
class ScenarioRun:
    """A run of a saved scenario: which version ran, which task, and its outcome (JSON data)."""

    id: str
    scenario_id: str
    version: int
    task: str
    spec_hash: str
    created_at: datetime
    outcome: Mapping[str, Any]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ScenarioRepository:
    """Saved scenarios on a :class:`SqlBackend` (see the module's docstring)."""

    def __init__(self, backend: SqlBackend) -> None:
        self._db = backend
        with self._db.transaction() as tx:
            if self._db.name == "postgresql":  # two servers starting at once: one creates
                tx.execute("SELECT pg_advisory_xact_lock(?)", [_DDL_LOCK])
            for ddl in _DDL:
                tx.execute(ddl)

    def create(self, document: Mapping[str, Any], *, message: str = "") -> ScenarioVersion:
        """Validate a scenario document and save it as version 1 of a new scenario."""
        scenario = scenario_from_document(document, "scenario")
        scenario_id = uuid.uuid4().hex[:12]
        now = _now()
        digest = scenario_hash(scenario)
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO saved_scenarios VALUES (?, ?, 1, ?, ?, ?)",
                [scenario_id, scenario.name, digest, now, now],
            )
            return self._insert_version(tx, scenario_id, 1, document, scenario, message, now)

    def _insert_version(
        self,
        tx: SqlSession,
        scenario_id: str,
        version: int,
        document: Mapping[str, Any],
        scenario: Scenario,
        message: str,
        now: datetime,
    ) -> ScenarioVersion:
        spec = dict(document)
        digest = scenario_hash(scenario)
        tx.execute(
            "INSERT INTO saved_scenario_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                scenario_id,
                version,
                scenario.name,
                json.dumps(spec, sort_keys=True),
                digest,
                message,
                now,
            ],
        )
        return ScenarioVersion(scenario_id, version, scenario.name, spec, digest, message, now)

    def get(self, scenario_id: str) -> SavedScenario:
        """The scenario's summary (current version); :class:`NotFoundError` if there is none."""
        with self._db.transaction() as tx:
            return self._get(tx, scenario_id)

    def _get(self, tx: SqlSession, scenario_id: str) -> SavedScenario:
        rows = tx.execute(
            "SELECT id, name, version, spec_hash, created_at, updated_at FROM saved_scenarios "
            "WHERE id = ?",
            [scenario_id],
        )
        if not rows:
            raise _not_found(scenario_id)
        return SavedScenario(*rows[0])

    def list(self, *, limit: int = 100, offset: int = 0) -> tuple[SavedScenario, ...]:
        """Saved scenarios, the most recently saved first."""
        limit = max(0, min(int(limit), MAX_LIST))
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT id, name, version, spec_hash, created_at, updated_at FROM saved_scenarios "
                "ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
                [limit, max(0, int(offset))],
            )
        return tuple(SavedScenario(*r) for r in rows)

    def count(self) -> int:
        """How many scenarios are saved."""
        with self._db.transaction() as tx:
            return int(tx.execute("SELECT count(*) FROM saved_scenarios")[0][0])

    def version(self, scenario_id: str, version: int | None = None) -> ScenarioVersion:
        """One version (default: the current one)."""
        with self._db.transaction() as tx:
            current = self._get(tx, scenario_id).version
            wanted = current if version is None else version
            rows = tx.execute(
                "SELECT scenario_id, version, name, spec, spec_hash, message, created_at "
                "FROM saved_scenario_versions WHERE scenario_id = ? AND version = ?",
                [scenario_id, wanted],
            )
        if not rows:
            raise NotFoundError(
                what="version",
                given=version,
                problem=f"scenario {scenario_id} has no such version",
                expected=f"a version from 1 to {current}",
            )
        return _version(rows[0])

    def versions(self, scenario_id: str) -> tuple[ScenarioVersion, ...]:
        """Every version of a scenario, oldest first."""
        with self._db.transaction() as tx:
            self._get(tx, scenario_id)
            rows = tx.execute(
                "SELECT scenario_id, version, name, spec, spec_hash, message, created_at "
                "FROM saved_scenario_versions WHERE scenario_id = ? ORDER BY version",
                [scenario_id],
            )
        return tuple(_version(r) for r in rows)

    def update(
        self,
        scenario_id: str,
        document: Mapping[str, Any],
        *,
        expected_version: int,
        message: str = "",
    ) -> ScenarioVersion:
        """Save a new version, if the current one is still ``expected_version``."""
        scenario = scenario_from_document(document, "scenario")
        now = _now()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "UPDATE saved_scenarios SET version = version + 1, name = ?, spec_hash = ?, "
                "updated_at = ? WHERE id = ? AND version = ? RETURNING version",
                [scenario.name, scenario_hash(scenario), now, scenario_id, expected_version],
            )
            if not rows:
                raise self._refusal(tx, scenario_id, expected_version)
            version = int(rows[0][0])
            return self._insert_version(tx, scenario_id, version, document, scenario, message, now)

    def delete(self, scenario_id: str, *, expected_version: int) -> None:
        """Remove a scenario with its versions and runs, if it is still ``expected_version``."""
        with self._db.transaction() as tx:
            rows = tx.execute(
                "DELETE FROM saved_scenarios WHERE id = ? AND version = ? RETURNING id",
                [scenario_id, expected_version],
            )
            if not rows:
                raise self._refusal(tx, scenario_id, expected_version)
            tx.execute("DELETE FROM saved_scenario_versions WHERE scenario_id = ?", [scenario_id])
            tx.execute("DELETE FROM saved_scenario_runs WHERE scenario_id = ?", [scenario_id])

    def _refusal(self, tx: SqlSession, scenario_id: str, expected: int) -> Exception:
        rows = tx.execute("SELECT version FROM saved_scenarios WHERE id = ?", [scenario_id])
        if not rows:
            return _not_found(scenario_id)
        return StaleVersionError(
            what="version",
            given=expected,
            problem=f"scenario {scenario_id} has been saved since: its version is {rows[0][0]}",
            fix="read it again, apply the change to the current version and save that",
        )

    def record_run(
        self, scenario_id: str, version: int, task: str, outcome: Mapping[str, Any]
    ) -> ScenarioRun:
        """Keep the outcome of running ``version`` of a scenario with ``task``."""
        run_id = uuid.uuid4().hex[:12]
        now = _now()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT spec_hash FROM saved_scenario_versions "
                "WHERE scenario_id = ? AND version = ?",
                [scenario_id, version],
            )
            if not rows:
                raise _not_found(scenario_id)
            tx.execute(
                "INSERT INTO saved_scenario_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    scenario_id,
                    version,
                    task,
                    rows[0][0],
                    now,
                    json.dumps(outcome, sort_keys=True, allow_nan=False),
                ],
            )
        return ScenarioRun(run_id, scenario_id, version, task, str(rows[0][0]), now, outcome)

    def runs(self, scenario_id: str) -> tuple[ScenarioRun, ...]:
        """The runs of a scenario, newest first."""
        with self._db.transaction() as tx:
            self._get(tx, scenario_id)
            rows = tx.execute(
                "SELECT id, scenario_id, version, task, spec_hash, created_at, outcome "
                "FROM saved_scenario_runs WHERE scenario_id = ? ORDER BY created_at DESC, id",
                [scenario_id],
            )
        return tuple(_run(r) for r in rows)

    def run(self, scenario_id: str, run_id: str) -> ScenarioRun:
        """One run of a scenario."""
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT id, scenario_id, version, task, spec_hash, created_at, outcome "
                "FROM saved_scenario_runs WHERE scenario_id = ? AND id = ?",
                [scenario_id, run_id],
            )
        if not rows:
            raise NotFoundError(what="run", given=run_id, problem="no such run of this scenario")
        return _run(rows[0])


def _version(row: tuple[Any, ...]) -> ScenarioVersion:
    sid, version, name, spec, digest, message, created = row
    return ScenarioVersion(
        str(sid), int(version), str(name), json.loads(spec), str(digest), str(message), created
    )


def _run(row: tuple[Any, ...]) -> ScenarioRun:
    rid, sid, version, task, digest, created, outcome = row
    return ScenarioRun(
        str(rid), str(sid), int(version), str(task), str(digest), created, json.loads(outcome)
    )


def _not_found(scenario_id: str) -> NotFoundError:
    return NotFoundError(
        what="scenario", given=scenario_id, problem="no saved scenario has this id"
    )
