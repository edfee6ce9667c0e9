"""The exceptions buildup raises, under one root.

::

    BuildupError                 root: every error a user can cause or meet
     ├── InputError              a value given on the command line or in a file is malformed
     │    └── UnknownCountryError   a country name or code that no source knows
     ├── DataError               a dataset, edition, column or file is missing or invalid
     │    └── ImportValidationError  an imported file fails validation (file, sheet, row, column)
     ├── ScenarioError           a scenario file is invalid
     ├── InfeasibleError         a plan or portfolio cannot meet its constraints
     ├── SolverError             a solver failed for a reason other than infeasibility
     └── StoreError              the embedded database cannot be opened or written

Interfaces translate these in one place: the CLI to exit code 2 and a one-line message, the
web app to an HTTP 4xx. Anything else that escapes is an internal error (exit code 1).
"""

from __future__ import annotations

__all__ = [
    "BuildupError",
    "DataError",
    "ImportValidationError",
    "InfeasibleError",
    "InputError",
    "ScenarioError",
    "SolverError",
    "StoreError",
    "UnknownCountryError",
]


class BuildupError(Exception):
    """Root of buildup's exceptions; its message is one line meant for the user."""


class InputError(BuildupError):
    """A value given by the user is malformed (a year range, a format, an option)."""


class UnknownCountryError(InputError):
    """A country name or code that cannot be resolved to ISO 3166-1 alpha-3."""


class DataError(BuildupError):
    """A dataset, edition or column is missing, or a data file is invalid."""


class ImportValidationError(DataError):
    """An imported file fails validation; nothing has been written."""


class ScenarioError(BuildupError):
    """A scenario file is invalid."""


class InfeasibleError(BuildupError):
    """A plan or portfolio cannot meet its constraints."""


class SolverError(BuildupError):
    """A solver failed for a reason other than infeasibility."""


class StoreError(BuildupError):
    """The embedded database cannot be opened, built or written."""
