"""The end of `make run`: the five headline answers of the Japan analysis, and the files written.

Usage: python scripts/run_summary.py OUT_DIR [--draws N]

Each answer is recomputed through the public API with the same inputs and seed as the commands
`make run` ran before it, so the figures match what they printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import buildup

EXAMPLES = Path(__file__).parents[1] / "examples"


def _pct(share: float) -> str:
    return f"{share * 100:.2f} %"


def headline_answers(store: buildup.DatasetStore, draws: int) -> list[str]:
    """The five answers, one line each."""
    dbp = buildup.read_scenario(EXAMPLES / "japan-dbp.toml")
    plan = buildup.plan(dbp, store, buildup.PlanOptions(source="japan-dbp.toml"))
    own = plan.by_definition[plan.by_definition["year"] == 2027].set_index("definition")
    (goal,) = plan.targets
    rounded = "2.0 % when rounded to one decimal" if goal.met_rounded else "below 2 % even rounded"
    lines = [
        f"1. Japan FY2027, the government's measure (defence-related / FY2022 GDP): "
        f"{_pct(own.loc['defense_related', 'share_gdp'])} — "
        f"{'at or above' if goal.met else 'below'} 2 % strictly, {rounded}",
        f"2. Japan FY2027 by SIPRI's measure (estimated from the budget): "
        f"{_pct(own.loc['sipri', 'share_gdp'])} of GDP of the same year",
    ]
    high = buildup.read_scenario(EXAMPLES / "japan-3.5pct-2035.toml")
    path = buildup.plan(high, store, buildup.PlanOptions(source="japan-3.5pct-2035.toml"))
    fy2035 = path.years.set_index("year").loc[2035]
    lines.append(
        f"3. 3.5 % of GDP by FY2035 (defence-related, GDP of the same year): "
        f"¥{fy2035['spending_local'] / 1e12:.1f} tn in FY2035 "
        f"({_pct(fy2035['share_gdp'])}), ¥{path.totals.cumulative_budget_local / 1e12:,.1f} tn "
        "of defence budgets FY2023–35"
    )
    risk = buildup.plan_risk(
        dbp, store, buildup.validate_options(buildup.RiskOptions, draws=draws, tornado=False)
    )
    (chance,) = risk.targets
    rounded_chance = chance.probability_met_rounded
    lines.append(
        f"4. P(2 % of FY2022 GDP met in FY2027), {draws:,} draws: "
        f"{chance.probability_met:.1%} strictly"
        + ("" if rounded_chance is None else f", {rounded_chance:.1%} at the stated rounding")
    )
    catalogue = buildup.read_programmes(EXAMPLES / "japan-programmes.csv")
    envelope = buildup.read_envelope(EXAMPLES / "japan-envelope.csv", currency="JPY")
    chosen = buildup.optimise(
        catalogue,
        buildup.validate_options(buildup.OptimiseOptions),
        envelope=envelope,
        source="japan-programmes.csv",
    )
    result = chosen.analysis.portfolio
    binding = ", ".join(f"FY{y.year}" for y in result.binding_years) or "none"
    lines.append(
        f"5. Capability portfolio: value {result.objective:,.1f} (value points of the "
        f"catalogue) from {len(result.selected)} programmes; binding years {binding}"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--draws", type=int, default=200_000)
    args = parser.parse_args(argv)
    with buildup.open_store(None, read_only=True) as store:
        answers = headline_answers(store, args.draws)
    # A store's ``.lock`` file coordinates its writers; it is not a result.
    found = args.out.rglob("*") if args.out.is_dir() else ()
    files = sorted(p for p in found if p.is_file() and p.suffix != ".lock")
    print("\nSummary — the Japan analysis")
    for line in answers:
        print(f"  {line}")
    print(f"Files written ({len(files)}):")
    for file in files:
        print(f"  {file}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
