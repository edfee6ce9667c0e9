"""The ``buildup`` command line: parse options, call the library, render the result.

Heavy libraries (pandas, duckdb) are imported inside commands, so ``--help`` and
``--version`` start fast. Errors are mapped here, in one place: a :class:`BuildupError` or a
usage error gives one line on stderr and exit code 2; anything else is an internal error
(exit code 1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperOption

from buildup.cli import data as data_commands
from buildup.cli import pledges as pledges_commands
from buildup.cli.common import DbOption, FormatOption, open_cli_store
from buildup.cli.compare import compare
from buildup.cli.diff import diff
from buildup.cli.optimize import optimize
from buildup.cli.plan import plan
from buildup.cli.report import report
from buildup.cli.risk import risk
from buildup.cli.scenario import scenario
from buildup.cli.serve import serve
from buildup.cli.sweep import sweep
from buildup.cli.track import track
from buildup.errors import BuildupError
from buildup.types import OutputFormat
from buildup.units import column_scale

__all__ = ["app", "main"]


def _flag_type(self: TyperOption, ctx: Any) -> str | None:
    """No type beside a flag in --help (typer shows <bool> for every one of them)."""
    return None if self.is_flag else _TYPE_OF(self, ctx)


_TYPE_OF = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

app = typer.Typer(
    name="buildup",
    help="Plan, track and stress-test national defence-spending build-ups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help is plain text: "[local currency]" and "[fraction]" are units, not rich markup.
    rich_markup_mode=None,
)
app.add_typer(data_commands.app, name="data")
app.add_typer(pledges_commands.app, name="pledges")
app.command("plan")(plan)
app.command("track")(track)
app.command("risk")(risk)
app.command("compare")(compare)
app.command("optimize")(optimize)
app.command("diff")(diff)
app.command("report")(report)
app.command("sweep")(sweep)
app.command("serve")(serve)
app.command("scenario")(scenario)


def _version(value: bool) -> None:
    if value:
        from buildup.version import __version__

        typer.echo(f"buildup {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Plan, track and stress-test national defence-spending build-ups."""


@app.command()
def overview(
    countries: list[str] = typer.Argument(
        None, help="Countries (ISO3 codes or names); default: Japan and its partners."
    ),
    window: int = typer.Option(10, min=1, max=70, help="Years over which to measure change."),
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Latest military spending, share of GDP and real change, from SIPRI's data.

    Example:

    \b
    buildup overview JPN KOR AUS --window 10
    """
    from buildup import JAPAN_AND_PARTNERS, compare_overview, resolve_countries
    from buildup.cli.render import emit_frame

    codes = resolve_countries(countries) if countries else list(JAPAN_AND_PARTNERS)
    with open_cli_store(db) as store:
        frame = compare_overview(store, codes, window=window)
        edition = store.current_edition("milex")
    if fmt is OutputFormat.TABLE:
        amounts = ["milex_current_usd", "milex_constant_usd"]
        scale, word = column_scale(frame[amounts].to_numpy().ravel())
        frame[amounts] = frame[amounts] / scale
        frame = frame.rename(
            columns={
                "milex_current_usd": f"current US$ {word}".strip(),
                "milex_constant_usd": f"constant US$ {word}".strip(),
                "constant_usd_base_year": "price base",
                "share_gdp": "share of GDP",
                "share_gdp_then": f"share of GDP {window}y before",
                "real_change": f"real change {window}y",
                "sipri_estimate": "SIPRI estimate",
            }
        )
    emit_frame(
        frame,
        fmt,
        title=f"Military spending: latest year and {window}-year real change",
        caption=(
            f"Source: SIPRI Military Expenditure Database, edition {edition} (`buildup data "
            "sources milex`). US$ at market exchange rates; constant US$ of the base year shown. "
            "real change = change in constant US$."
        ),
    )


# Every write (an import, a build) is one transaction, rolled back when interrupted.
INTERRUPTED = "interrupted; the store is unchanged"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``buildup`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None and not sys.warnoptions:
        # A Python warning is a message for developers, never for a user of the console
        # script. In-process callers (the tests, where warnings are errors) keep their filters,
        # so a warning is still caught where it is made; `python -W …` keeps its own too.
        import warnings

        warnings.simplefilter("ignore")
    try:
        result = app(args=args, prog_name="buildup", standalone_mode=False)
    except BuildupError as exc:
        from buildup.cli.errors import render_error
        from buildup.errors import exit_code

        _fail(render_error(exc, args), exit_code(exc))
    except typer.Abort:
        _fail("aborted", 130)
    except typer.TyperException as exc:
        # Typer's (vendored click's) usage errors: bad or missing options and arguments.
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(2)  # the help has been printed already
        command = ctx.command_path if ctx is not None else "buildup"
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        message = message.replace("Value error, ", "")  # pydantic's prefix on a parser's error
        _fail(f"{message} (see `{command} --help`)", 2)
    except KeyboardInterrupt:
        _fail(INTERRUPTED, 130)
    except Exception as exc:
        if type(exc).__name__ == "InterruptException":  # duckdb's Ctrl-C inside a query
            _fail(INTERRUPTED, 130)
        if os.environ.get("BUILDUP_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (a bug: set BUILDUP_DEBUG=1 for the "
            "traceback and report it)",
            1,
        )
    if result == 130:
        # Typer turns Ctrl-C (KeyboardInterrupt) into a silent exit code 130; no command
        # returns a number of its own, so this is always an interruption: say so.
        _fail(INTERRUPTED, 130)
    sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    from buildup.cli.render import terminal_safe

    first = " ".join(message.split("\n", maxsplit=1)[0].split())
    sys.stderr.write(f"buildup: error: {terminal_safe(first)}\n")
    sys.exit(code)
