"""``buildup pledges``: read the spending pledges in news text, and score the reader."""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.cli.render import note
from buildup.errors import located
from buildup.serialize import dumps, to_jsonable
from buildup.types import OutputFormat

if TYPE_CHECKING:
    from buildup import Document, Evaluation, Extraction

__all__ = ["app"]

app = typer.Typer(
    help="Pledges from news: the commitments and demands in an article, as records.",
    no_args_is_help=True,
)

DateOption = typer.Option(
    None,
    "--date",
    help="The article's date, YYYY-MM-DD: 'next year' and 'within a decade' resolve against it "
    "(default: today).",
)

StoreOption = typer.Option(
    None,
    "--store",
    help="The ledger in a PostgreSQL database (postgresql://USER@HOST/DB; a team server's store) "
    "instead of the DuckDB file of --db.",
)

_COLUMNS = ("actor", "kind", "measure", "value", "currency", "year", "fiscal_year",
            "start_year", "end_year", "component", "qualifier", "text")  # fmt: skip


def _date(text: str | None, what: str = "--date") -> datetime.date:
    from buildup import parse_date

    return datetime.datetime.now(datetime.UTC).date() if text is None else parse_date(text, what)


def _check_store(db: Path | None, url: str | None) -> None:
    from buildup.errors import InputError

    if url is None:
        return
    if db is not None:
        raise InputError("give --db (a DuckDB file) or --store (a PostgreSQL URL), not both")
    if not url.startswith(("postgresql://", "postgres://")):
        raise InputError(
            f"--store {url!r} is not a PostgreSQL URL: write postgresql://USER@HOST/DB "
            "(a DuckDB file goes in --db)"
        )


@contextlib.contextmanager
def _ledger_store(db: Path | None, url: str | None, *, read_only: bool = True) -> Iterator[Any]:
    """The store that keeps the ledger: the DuckDB file of --db, or the PostgreSQL of --store."""
    _check_store(db, url)
    if url is None:
        with open_cli_store(db, read_only=read_only) as store:
            yield store
        return
    from buildup import open_store

    server = open_store(url, read_only=read_only)
    try:
        yield server
    finally:
        server.close()


def _read_input(source: str) -> tuple[bytes, str]:
    from buildup import MAX_ARTICLE_BYTES as MAX_BYTES
    from buildup.errors import InputError

    if source == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return data, "standard input"
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path} is {size / 1e6:.1f} MB; pledges are read from articles of at most "
                f"{MAX_BYTES / 1e6:.0f} MB: split the file, or give many articles with --jsonl"
            )
        return path.read_bytes(), str(path)
    except IsADirectoryError:
        raise InputError(f"{path} is a folder: give a text or HTML file, or - for stdin") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


@app.command("extract")
def extract(
    source: str = typer.Argument("-", help="A text or HTML file, or - for standard input."),
    date: str | None = DateOption,
    jsonl: Path | None = typer.Option(
        None, "--jsonl", help='Many items: one {"id", "text", "date"} per line; one line out each.'
    ),
    out: Path | None = typer.Option(None, "--out", help="With --jsonl: write here, not stdout."),
    save: bool = typer.Option(
        False, "--save", help="Keep the pledges in the ledger (needs --date)."
    ),
    source_name: str | None = typer.Option(
        None, "--source", help="With --save: where the text came from (default: the file name)."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
    store_url: str | None = StoreOption,
) -> None:
    """Read the spending pledges in an article: actor, kind, measure, value, year, words."""
    from buildup import read_document
    from buildup.errors import InputError

    default_date = _date(date)
    if save and date is None:
        raise InputError("--save needs --date: the date the pledges were made")
    if store_url is not None and not save:
        raise InputError("--store names where --save keeps the pledges: add --save")
    _check_store(db, store_url)
    if jsonl is not None:
        if save:
            raise InputError("--save goes with one article, not --jsonl")
        if source != "-":
            raise InputError("give a FILE or --jsonl, not both")
        _extract_jsonl(jsonl, default_date, out)
        return
    if out is not None:
        raise InputError("--out goes with --jsonl; for one article redirect the output")
    data, origin = _read_input(source)
    with located(origin):
        document = read_document(data)
    result = _extract_with_progress(document, default_date)
    _emit(result, fmt, default_date)
    if save:
        _save(
            db,
            store_url,
            to_jsonable(result.pledges),
            default_date,
            source_name or origin,
        )


def _save(
    db: Path | None,
    store_url: str | None,
    records: list[dict[str, Any]],
    made_on: datetime.date,
    source: str,
) -> None:
    from buildup import pledge_ledger, save_pledges

    with _ledger_store(db, store_url, read_only=False) as store:
        saved, found = save_pledges(pledge_ledger(store), records, made_on, source)
    sys.stderr.write(
        f"{len(saved)} pledge(s) saved to the ledger"
        + (f" (#{', #'.join(map(str, saved))})" if saved else "")
        + (f"; {len(found)} already saved from this source and date" if found else "")
        + "\n"
    )


def _extract_with_progress(document: Document, date: datetime.date) -> Extraction:
    """Extract, with a progress bar on a terminal for long texts (over 1,000 sentences)."""
    from rich.progress import Progress

    from buildup import extract_document

    if len(document.sentences) <= 1000:
        return extract_document(document, date)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("Reading sentences", total=len(document.sentences))
        return extract_document(
            document, date, progress=lambda done, total: bar.update(task, completed=done)
        )


def _extract_jsonl(path: Path, default_date: datetime.date, out: Path | None) -> None:
    from buildup import extract_pledges, read_items

    items = read_items(path, default_date)  # every line is checked before anything is written
    lines = []
    for item in items:
        result = extract_pledges(item.text, item.date)
        lines.append(
            dumps(
                {
                    "id": item.id,
                    "pledges": to_jsonable(result.pledges),
                    "unresolved": to_jsonable(result.unresolved),
                },
                indent=None,
            )
        )
    body = "".join(line + "\n" for line in lines)
    if out is None:
        sys.stdout.write(body)
        return
    _write_atomic(out, body)
    note(f"{len(lines)} items written to {out}")


def _write_atomic(path: Path, body: str) -> None:
    from buildup.errors import InputError

    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(body)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def _emit(result: Extraction, fmt: OutputFormat, date: datetime.date) -> None:
    records = to_jsonable(result.pledges)
    if fmt is OutputFormat.JSON:
        document = {
            "date": date.isoformat(),
            "pledges": records,
            "unresolved": to_jsonable(result.unresolved),
        }
        sys.stdout.write(dumps(document) + "\n")
        return
    import pandas as pd

    from buildup.cli.render import emit_frame

    frame = pd.DataFrame([{c: r[c] for c in _COLUMNS} for r in records], columns=list(_COLUMNS))
    for column in ("year", "start_year", "end_year"):
        frame[column] = frame[column].astype("Int64")
    if fmt is OutputFormat.CSV:
        frame["span_start"] = [r["span"][0] for r in records]
        frame["span_end"] = [r["span"][1] for r in records]
        emit_frame(frame, fmt)
        return
    frame["value"] = [_show_value(r) for r in records]
    frame = frame.drop(columns=["currency"])
    emit_frame(
        frame.astype(object).where(frame.notna(), "–"),
        fmt,
        title=f"{len(records)} pledge(s)",
        caption=f"Relative years resolved against {date.isoformat()}. Shares and growth are "
        "of GDP and year on year; `--format json` gives each record with its character span.",
    )
    for u in result.unresolved:
        note(f"not attributed ({u.reason}): {u.text}")


def _show_value(record: dict[str, Any]) -> str:
    from buildup import show_pledge_value

    return show_pledge_value(record["measure"], float(record["value"]), record["currency"])


@app.command("evaluate")
def evaluate(
    corpus: Path = typer.Argument(..., help="Labelled JSON Lines: id, text, date, pledges."),
    min_precision: float | None = typer.Option(
        None, "--min-precision", help="Exit 1 if commitments' precision (whole corpus) is lower."
    ),
    min_recall: float | None = typer.Option(
        None, "--min-recall", help="Exit 1 if commitments' recall (whole corpus) is lower."
    ),
    show_misses: bool = typer.Option(True, "--misses/--no-misses", help="List the misses."),
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Precision and recall of the extractor on a labelled corpus, per field, with the misses."""
    from buildup import evaluate_items, read_items

    items = read_items(corpus, _date(None), labelled=True)
    result = evaluate_items(items)
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(_evaluation_dict(result)) + "\n")
    else:
        _print_evaluation(result, fmt, show_misses)
    commitments = result.score("all", "commitment")
    failed = [
        f"commitments' {name} {value:.3f} < {floor:.3f}"
        for name, value, floor in (
            ("precision", commitments.precision, min_precision),
            ("recall", commitments.recall, min_recall),
        )
        if floor is not None and value < floor
    ]
    if failed:
        note("buildup: below target: " + "; ".join(failed))
        raise typer.Exit(1)


def _evaluation_dict(result: Evaluation) -> dict[str, Any]:
    def score(s: Any) -> dict[str, Any]:
        return {"precision": s.precision, "recall": s.recall, "true_positives": s.true_positives,
                "predicted": s.predicted, "labelled": s.labelled}  # fmt: skip

    def by(kind: str) -> dict[str, dict[str, Any]]:
        return {
            split: {s.name: score(s.score) for s in result.slices(split) if s.kind == kind}
            for split in result.splits
        }

    negatives: dict[str, dict[str, int]] = {split: {} for split in result.splits}
    for n in result.negatives:
        negatives[n.split] |= {f"{n.negative} items": n.items,
                               f"{n.negative} false positives": n.false_positives}  # fmt: skip
    return {
        "items": {c.split: c.items for c in result.items},
        "overall": {split: score(result.score(split)) for split in result.splits},
        "by_kind": by("kind"),
        "by_field": by("field"),
        "negatives": {split: dict(sorted(c.items())) for split, c in negatives.items()},
        "misses": [
            {
                "item": m.item,
                "split": m.split,
                "what": m.what,
                "pledge": to_jsonable(m.pledge),
                "nearest": to_jsonable(m.nearest),
            }
            for m in result.misses
        ],
    }


def _print_evaluation(result: Evaluation, fmt: OutputFormat, show_misses: bool) -> None:
    import pandas as pd

    from buildup.cli.render import emit_frame

    rows = []
    shown = {"overall": "all pledges", "kind": "{}s", "field": "field {}"}
    for split in result.splits:
        slices = [(shown[str(s.kind)].format(s.name), s.score) for s in result.slices(split)]
        for name, s in slices:
            rows.append({"split": split, "items": result.items_in(split), "slice": name,
                         "precision": f"{s.precision:.3f}", "recall": f"{s.recall:.3f}",
                         "right": s.true_positives, "predicted": s.predicted,
                         "labelled": s.labelled})  # fmt: skip
    emit_frame(
        pd.DataFrame(rows),
        fmt,
        title="Pledge extraction: precision and recall",
        caption="A match needs actor, kind, measure, value (±0.5 %) and year to agree; a field "
        "is scored on the prediction aligned with the label it agrees with most.",
    )
    neg_rows = [
        row
        for n in result.negatives
        for row in (
            {"split": n.split, "negative items": f"{n.negative} false positives",
             "count": n.false_positives},
            {"split": n.split, "negative items": f"{n.negative} items", "count": n.items},
        )
    ]  # fmt: skip
    if neg_rows and fmt is OutputFormat.TABLE:
        emit_frame(pd.DataFrame(neg_rows), fmt, title="Negative items and false positives on them")
    if show_misses and fmt is OutputFormat.TABLE:
        miss_rows = [
            {
                "item": m.item,
                "split": m.split,
                "miss": m.what,
                "pledge": _brief(m.pledge),
                "nearest prediction": _brief(m.nearest) if m.nearest else "–",
            }
            for m in result.misses
        ]
        if miss_rows:
            emit_frame(pd.DataFrame(miss_rows), fmt, title=f"Misses ({len(miss_rows)})")


def _brief(p: Any) -> str:
    return f"{p.actor} {p.kind} {p.measure} {p.value} {p.year}"


@app.command("check")
def check(
    source: str = typer.Argument(..., help="A text or HTML file, or - for standard input."),
    date: str | None = DateOption,
    draws: int = typer.Option(20_000, "--draws", help="Monte Carlo draws behind P(met)."),
    save: bool = typer.Option(
        False, "--save", help="Keep the pledges in the ledger (needs --date)."
    ),
    source_name: str | None = typer.Option(
        None, "--source", help="With --save: where the text came from (default: the file name)."
    ),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
    store_url: str | None = StoreOption,
) -> None:
    """Check each pledge: met already (government's measure, SIPRI's, NATO's), path, P(met)."""
    from buildup import check_pledges, read_document
    from buildup.errors import InputError

    if not 1 <= draws <= 1_000_000:
        raise InputError(f"--draws {draws}: give a number of draws from 1 to 1,000,000")
    if save and date is None:
        raise InputError("--save needs --date: the date the pledges were made")
    if store_url is not None and not save:
        raise InputError("--store names where --save keeps the pledges: add --save")
    _check_store(db, store_url)
    data, origin = _read_input(source)
    with located(origin):
        document = read_document(data)
    result = _extract_with_progress(document, _date(date))
    with open_cli_store(db) as store:
        checks = check_pledges(result.pledges, store, draws=draws)
    if save:
        _save(db, store_url, to_jsonable(result.pledges), _date(date), source_name or origin)
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(checks) + "\n")
        return
    import pandas as pd

    from buildup.cli.render import emit_frame

    rows = []
    for c in checks:
        p = c.pledge
        rows.append(
            {
                "actor": p.actor,
                "kind": p.kind,
                "pledge": f"{_show_value(to_jsonable(p))} by {p.year or '–'}",
                "status": c.status,
                "measure used": c.measure_used or "–",
                "met by government": _yes_no(c.met_by_government, c.government_latest),
                "met by SIPRI": _yes_no(c.met_by_sipri, c.sipri_latest),
                "met by NATO": _yes_no(c.met_by_nato, c.nato_latest),
                "real growth needed": "–"
                if c.required_real_growth is None
                else f"{c.required_real_growth:.1%} a year",
                "P(met)": "–" if c.probability_met is None else f"{c.probability_met:.0%}",
                "sentence": p.text if len(p.text) <= 90 else p.text[:89] + "…",
            }
        )
    columns = ["actor", "kind", "pledge", "status", "measure used", "met by government",
               "met by SIPRI",
               "met by NATO", "real growth needed", "P(met)", "sentence"]  # fmt: skip
    emit_frame(
        pd.DataFrame(rows, columns=columns),
        fmt,
        title=f"{len(rows)} pledge(s) checked",
        caption="status: the planner's goal-seek path from the latest data (government's measure "
        "for Japan, SIPRI's otherwise); P(met) of that path under the risk engine's drivers — "
        "near 50 % means the target is met with no margin. `--format json` adds each note.",
    )
    for c in checks:
        if c.status == "not checked":
            note(f"not checked ({c.note}): {c.pledge.text[:80]}")


def _yes_no(met: bool | None, latest: tuple[int, float] | None) -> str:
    if met is None or latest is None:
        return "–"
    return f"{'yes' if met else 'no'} ({latest[1]:.2%} in {latest[0]})"


@app.command("list")
def list_pledges(
    actor: str | None = typer.Option(None, "--actor", help="Only this actor (ISO3 or name)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
    store_url: str | None = StoreOption,
) -> None:
    """The pledge ledger: every saved pledge by the date it was made, with its revisions."""
    import pandas as pd

    from buildup import build_history, pledge_ledger
    from buildup.cli.render import emit_frame

    code = _actor(actor)
    with _ledger_store(db, store_url) as store:
        history = build_history(pledge_ledger(store).entries(code))
    rows = []
    for r in history:
        e = r.entry
        revises = "–"
        if r.previous is not None:
            revises = f"repeats #{r.previous.id}" if r.repeat else f"revises #{r.previous.id}"
        rows.append({
            "id": e.id, "made on": e.made_on.isoformat(), "actor": e.actor, "kind": e.kind,
            "measure": e.measure, "component": e.component or "–",
            "value": _show_value(e.record) if fmt is OutputFormat.TABLE else e.value,
            "year": "–" if e.year is None else str(e.year), "fiscal year": e.fiscal_year,
            "programme": "–" if e.start_year is None else f"{e.start_year}–{e.end_year}",
            "qualifier": e.qualifier or "–", "revision": revises,
            "changes": "; ".join(f"{c.field} {_fmt(c.before)} → {_fmt(c.after)}" for c in r.changes)
            or "–",
            "source": e.source, "text": e.text,
        })  # fmt: skip
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(rows) + "\n")
        return
    frame = pd.DataFrame(rows)
    if fmt is OutputFormat.TABLE and rows:
        frame = frame.drop(columns=["text"])  # `--format json` or csv give the sentences
        frame["source"] = [Path(str(x)).name if "://" not in str(x) else x for x in frame["source"]]
    emit_frame(
        frame if rows else pd.DataFrame(columns=["id", "made on", "actor"]),
        fmt,
        title=f"Pledge ledger: {len(rows)} pledge(s)" + (f" of {code}" if code else ""),
        caption="A later pledge by the same actor, kind, measure and component revises the one "
        "before it (amounts: within one budget year or one programme).",
    )


@app.command("diff")
def diff_pledges(
    actor: str | None = typer.Option(None, "--actor", help="Only this actor (ISO3 or name)."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
    store_url: str | None = StoreOption,
) -> None:
    """What changed from each saved pledge to the one that revised it."""
    import pandas as pd

    from buildup import build_history, pledge_ledger
    from buildup.cli.render import emit_frame

    code = _actor(actor)
    with _ledger_store(db, store_url) as store:
        history = build_history(pledge_ledger(store).entries(code))
    rows = [
        {
            "actor": r.entry.actor, "kind": r.entry.kind, "measure": r.entry.measure,
            "component": r.entry.component or "–",
            "from": f"#{r.previous.id} ({r.previous.made_on.isoformat()})",
            "to": f"#{r.entry.id} ({r.entry.made_on.isoformat()})",
            "field": c.field, "before": _fmt(c.before), "after": _fmt(c.after),
        }
        for r in history if r.previous is not None
        for c in r.changes
    ]  # fmt: skip
    if fmt is OutputFormat.JSON:
        sys.stdout.write(dumps(rows) + "\n")
        return
    emit_frame(
        pd.DataFrame(
            rows,
            columns=[
                "actor",
                "kind",
                "measure",
                "component",
                "from",
                "to",
                "field",
                "before",
                "after",
            ],
        ),
        fmt,
        title=f"{len(rows)} change(s) between revisions" + (f" of {code}" if code else ""),
    )


def _actor(actor: str | None) -> str | None:
    if actor is None:
        return None
    if actor.strip().upper() in ("NATO", "EUU"):
        return actor.strip().upper()
    from buildup import resolve_country

    return resolve_country(actor)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value < 1:
        return f"{value * 100:.4g} %"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)
