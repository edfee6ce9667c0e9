"""Errors carry fields; one table gives each class its exit code and HTTP status."""

from __future__ import annotations

import pickle

import pytest

from buildup import errors
from buildup.errors import (
    ERROR_TABLE,
    BuildupError,
    ConflictError,
    InputError,
    NotFoundError,
    StaleVersionError,
    StoreError,
    exit_code,
    http_status,
)

CLASSES = [
    getattr(errors, name)
    for name in errors.__all__
    if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), BuildupError)
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_is_in_the_table(cls: type[BuildupError]) -> None:
    assert cls in ERROR_TABLE
    error = cls(what="x", given=1, expected="y")
    assert exit_code(error) == 2
    assert 400 <= http_status(error) < 600


def test_statuses_say_what_went_wrong() -> None:
    assert http_status(InputError("bad")) == 422
    assert http_status(NotFoundError("gone")) == 404
    assert http_status(ConflictError("exists")) == 409
    assert http_status(StaleVersionError("stale")) == 412
    assert http_status(StoreError("down")) == 503
    assert (exit_code(ValueError()), http_status(ValueError())) == (1, 500)


def test_fields_render_as_one_line_in_the_spec_vocabulary() -> None:
    error = InputError(
        what="targets[0].share_gdp",
        given=2.0,
        where="japan.toml",
        problem="looks like a percent",
        expected="a fraction between 0 and 1",
        fix="write 0.02 for 2 %",
    )
    assert str(error) == (
        "japan.toml: targets[0].share_gdp = 2: looks like a percent; "
        "expected a fraction between 0 and 1; write 0.02 for 2 %"
    )
    flagged = error.render(lambda key: "--target-share")
    assert flagged == (
        "--target-share 2: looks like a percent; expected a fraction between 0 and 1; "
        "write 0.02 for 2 %"
    )
    assert error.fields["what"] == "targets[0].share_gdp"
    assert error.fields["given"] == 2.0


def test_a_sentence_is_still_an_error() -> None:
    assert str(InputError("no countries to compare")) == "no countries to compare"


def test_fields_survive_pickling() -> None:
    error = InputError(what="draws", given=0, expected="a positive number")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InputError
    assert (again.what, again.given, str(again)) == ("draws", 0, str(error))
