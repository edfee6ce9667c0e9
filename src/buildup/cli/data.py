"""``buildup data``: list, show, explain and import datasets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup import ImportedEdition

__all__ = ["app"]

app = typer.Typer(
    help="The bundled datasets, their sources, and imports of newer releases.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import a newer release of a dataset into the store.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@app.command("build")
def build(
    rebuild: bool = typer.Option(
        False,
        "--rebuild",
        help="Set the store file aside (kept as <file>.damaged-<time>) and build a new one: "
        "the way out of a damaged store. Imported editions must then be imported again.",
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Build the store, or refresh the bundled datasets whose files changed (imports are kept).

    Other commands do this on first use, when the store is missing or stale.

    Example:

    \b
    buildup data build
    """
    from rich.console import Console

    from buildup import build_store, resolve_db_path
    from buildup.cli.render import emit_object

    with Console(stderr=True).status("Building the data store…"):
        loaded = build_store(db, rebuild=rebuild)
    where = str(resolve_db_path(db))
    result = {"store": where, "reloaded": loaded, "up_to_date": not loaded}
    rows = [("store", where)]
    rows += [("reloaded", ", ".join(loaded) if loaded else "nothing (up to date)")]
    emit_object(result, fmt, table_rows=rows)


@app.command("list")
def list_datasets(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List every dataset with its publisher, current edition and source.

    Example:

    \b
    buildup data list
    """
    import pandas as pd

    import buildup
    from buildup.cli.render import emit_frame

    with open_cli_store(db) as store:
        rows = buildup.list_datasets(store)
    for row in rows:  # a table cell: the editions as one line
        row["editions"] = ", ".join(row["editions"])
    frame = pd.DataFrame(rows)
    # CSV columns keep their places: the licence (new in this listing) comes last.
    frame = frame[[c for c in frame.columns if c != "licence"] + ["licence"]]
    if fmt is OutputFormat.TABLE:
        frame = frame.drop(columns=["file", "sha256", "address", "licence"])
    emit_frame(frame, fmt, title="Datasets", caption="`buildup data sources NAME` for provenance.")


@app.command("show")
def show(
    name: str = typer.Argument(..., help="Dataset name (see `buildup data list`)."),
    country: list[str] = typer.Option(None, "--country", "-c", help="ISO3 code or name; repeat."),
    years: str | None = typer.Option(None, "--years", "-y", help="e.g. 2015:2024, 2020, 2015:"),
    edition: str | None = typer.Option(None, "--edition", help="Edition (default: current)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Show a dataset's rows, filtered by country and years.

    Example:

    \b
    buildup data show milex --country JPN --years 2015:2024
    """
    from buildup import get_dataset, parse_year_range, resolve_countries
    from buildup.cli.render import emit_frame

    dataset = get_dataset(name)
    codes = resolve_countries(country) if country else None
    year_range = parse_year_range(years) if years is not None else None
    with open_cli_store(db) as store:
        frame = store.query(name, codes, year_range, edition)
        chosen = edition or store.current_edition(name)
    emit_frame(
        frame,
        fmt,
        title=f"{dataset.title} — edition {chosen}",
        caption=f"{dataset.publisher}. Units: `buildup data sources {name}`.",
    )


@app.command("sources")
def sources(
    name: str = typer.Argument(..., help="Dataset name (see `buildup data list`)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Where a dataset comes from: publisher, edition, address, licence, columns and units.

    Example:

    \b
    buildup data sources milex
    """
    import pandas as pd

    import buildup
    from buildup.cli.render import emit_frame, emit_object

    buildup.get_dataset(name)  # an unknown name fails before the store is opened
    with open_cli_store(db) as store:
        info = buildup.describe_dataset(store, name)
    if fmt is OutputFormat.JSON:
        emit_object(info, fmt, table_rows=[])
        return
    table_rows = [(k, str(v)) for k, v in info.items() if isinstance(v, str)]
    table_rows += [
        (f"column {c['name']}", f"{c['unit']} — {c['description']}") for c in info["columns"]
    ]
    table_rows += [(f"source {k}", f"{v} rows") for k, v in info["source_ids"].items()]
    table_rows += [(f"footnote {k}", v) for k, v in info.get("footnotes", {}).items()]
    emit_object(info, fmt, table_rows=table_rows)
    if fmt is OutputFormat.TABLE:
        emit_frame(pd.DataFrame(info["editions"]), fmt, title="Editions in the store")


@app.command("use")
def use(
    name: str = typer.Argument(..., help="Dataset name (see `buildup data list`)."),
    edition: str = typer.Argument(..., help="The edition to make current (see `data list`)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Make an edition the current one of its dataset: every command then uses it."""
    from buildup.cli.render import emit_object

    with open_cli_store(db, read_only=False) as store:
        before = store.current_edition(name)
        store.use_edition(name, edition)
    result = {"dataset": name, "current_edition": edition, "previous_edition": before}
    emit_object(result, fmt, table_rows=[(k, str(v)) for k, v in result.items()])


def _import(
    imported: ImportedEdition,
    db: Path | None,
    replace: bool,
    fmt: OutputFormat,
    make_current: bool = False,
) -> None:
    from buildup.cli.render import emit_object, note

    with open_cli_store(db, read_only=False) as store:
        before = store.current_edition(imported.dataset)
        rows = store.import_edition(imported, replace=replace, make_current=make_current or None)
        current = store.current_edition(imported.dataset)
    result = {
        "dataset": imported.dataset,
        "edition": imported.edition,
        "label": imported.edition_label,
        "rows": rows,
        "current": current == imported.edition,
        "current_edition": current,
        "notes": list(imported.notes),
    }
    emit_object(
        result,
        fmt,
        table_rows=[(k, str(v)) for k, v in result.items() if k != "notes"]
        + [("note", n) for n in imported.notes],
    )
    if current != imported.edition:
        note(
            f"note: {imported.dataset} edition {imported.edition} is stored but not current: "
            f"{before} runs to as late a year or later; every command keeps using {before} "
            f"(`buildup data use {imported.dataset} {imported.edition}` switches, or import "
            "with --make-current)"
        )


def _renamed(imported: ImportedEdition, edition: str | None) -> ImportedEdition:
    if edition is None:
        return imported
    from dataclasses import replace

    return replace(imported, edition=edition)


EditionOpt = typer.Option(None, "--edition", help="Name the edition (default: read from the file).")
ReplaceOpt = typer.Option(False, "--replace", help="Replace an imported edition of the same name.")
MakeCurrentOpt = typer.Option(
    False,
    "--make-current",
    help="Make the import the current edition even if it is not newer (by default it becomes "
    "current only if its data run to a later year than the current edition's).",
)
PercentOpt = typer.Option(
    False,
    "--percent",
    help="The file's shares of GDP are percentages (2 = 2 %): divide them by 100. Without it a "
    "file of percentages is refused.",
)


@import_app.command("sipri")
def import_sipri(
    file: Path = typer.Argument(..., help="SIPRI's workbook, e.g. SIPRI-Milex-data-1949-2025.xlsx"),
    edition: str | None = EditionOpt,
    replace: bool = ReplaceOpt,
    make_current: bool = MakeCurrentOpt,
    percent: bool = PercentOpt,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Import SIPRI's Military Expenditure Database workbook as the current `milex` edition.

    Example:

    \b
    buildup data import sipri SIPRI-Milex-data-1949-2024.xlsx
    """
    from rich.console import Console
    from rich.markup import escape

    from buildup import read_sipri_workbook
    from buildup.cli.render import terminal_safe

    with Console(stderr=True).status(f"Reading {escape(terminal_safe(file.name))}…"):
        imported = read_sipri_workbook(file, percent=percent)
    _import(_renamed(imported, edition), db, replace, fmt, make_current)


@import_app.command("worldbank")
def import_worldbank(
    file: Path = typer.Argument(..., help="A World Development Indicators CSV download."),
    edition: str | None = EditionOpt,
    replace: bool = ReplaceOpt,
    make_current: bool = MakeCurrentOpt,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Import a World Bank WDI CSV (exchange rates, population or GDP).

    Example:

    \b
    buildup data import worldbank API_PA.NUS.FCRF_DS2_en_csv_v2.csv
    """
    from buildup import read_worldbank_csv

    _import(_renamed(read_worldbank_csv(file), edition), db, replace, fmt, make_current)


@import_app.command("csv")
def import_csv(
    file: Path = typer.Argument(..., help="A tidy CSV with the dataset's column names."),
    dataset: str = typer.Option(..., "--dataset", help="Dataset to import into."),
    edition: str | None = EditionOpt,
    replace: bool = ReplaceOpt,
    make_current: bool = MakeCurrentOpt,
    percent: bool = PercentOpt,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Import a tidy CSV (columns as in `buildup data show NAME`) as a new edition.

    Example:

    \b
    buildup data import csv nato_share_gdp.csv --dataset nato --percent
    """
    from buildup import read_tidy_csv

    _import(read_tidy_csv(file, dataset, edition, percent=percent), db, replace, fmt, make_current)
