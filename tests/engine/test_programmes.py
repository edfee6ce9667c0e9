"""The checked specs of programmes and envelopes become the optimiser's plain data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pydantic import BaseModel

from buildup.engine.programmes import portfolio_problem
from buildup.errors import InputError
from buildup.portfolio import PortfolioProblem
from buildup.scenario.portfolio import AreaLimit, AreaLimits, Envelope
from buildup.scenario.programmes import read_envelope, read_programmes

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_problem_holds_the_files_values_as_plain_dataclasses() -> None:
    catalogue = read_programmes(EXAMPLES / "japan-programmes.csv")
    envelope = read_envelope(EXAMPLES / "japan-envelope.csv", currency="JPY")
    problem = portfolio_problem(catalogue, envelope)
    assert isinstance(problem, PortfolioProblem)
    parts = [problem, problem.catalogue, problem.envelope, *problem.catalogue.programmes]
    assert all(dataclasses.is_dataclass(p) and not isinstance(p, BaseModel) for p in parts)
    assert [dataclasses.asdict(p) for p in problem.catalogue.programmes] == [
        p.model_dump() for p in catalogue.programmes
    ]
    assert (problem.envelope.years, problem.envelope.budgets) == (envelope.years, envelope.budgets)
    assert (problem.envelope.currency, problem.envelope.source) == ("JPY", envelope.source)


def test_a_start_window_outside_the_envelope_names_the_programmes_file_and_row() -> None:
    catalogue = read_programmes(EXAMPLES / "japan-programmes.csv")
    late = Envelope(years=(2040, 2041), budgets=(1e12, 1e12))
    with pytest.raises(InputError) as caught:
        portfolio_problem(catalogue, late)
    assert str(caught.value).startswith("japan-programmes.csv, row ")
    assert "is before the first envelope year 2040" in str(caught.value)
    assert str(caught.value.where).endswith("column earliest_start")


def test_area_limits_and_weights_are_checked_and_handed_over() -> None:
    catalogue = read_programmes(EXAMPLES / "japan-programmes.csv")
    envelope = read_envelope(EXAMPLES / "japan-envelope.csv")
    area = catalogue.programmes[0].area
    limits = AreaLimits(limits=(AreaLimit(area=area, max_share=0.5),))
    problem = portfolio_problem(catalogue, envelope, limits)
    assert [(a.area, a.min_share, a.max_share) for a in problem.area_limits.limits] == [
        (area, 0.0, 0.5)
    ]
    with pytest.raises(InputError, match=r"^limits\[0\]\.area: 'nowhere' is not the area"):
        portfolio_problem(catalogue, envelope, AreaLimits(limits=(AreaLimit(area="nowhere"),)))
    with pytest.raises(InputError) as caught:
        portfolio_problem(catalogue, envelope, weights={"no-such-mission": 1.0})
    assert (caught.value.what, caught.value.given) == ("weights", "no-such-mission")
