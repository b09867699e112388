"""A command group that imports a command's module only when that command runs.

``reportbot --help`` lists every command from a static table (name, module, one-line Chinese help) without
importing any of them, so it costs typer and rich only; ``reportbot ask …`` imports ``bot.cli.ask`` and nothing
else of the CLI. The group's ``main`` is also where every failure becomes one Chinese sentence and an exit code:
0 all good, 1 something the user asked for failed, 2 usage or configuration error.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder

from bot.cli.usage import HELP_OPTION_TEXT, click, describe_usage_error, errors

if TYPE_CHECKING:
    from collections.abc import Sequence

NO_ARGS_IS_HELP: type[Exception] | tuple[()] = getattr(errors, "NoArgsIsHelpError", ())


class CommandSpec(NamedTuple):
    """Where a command lives and what ``reportbot --help`` says about it."""

    module: str
    help: str


class _ChineseHelpOption:
    """The ``--help`` option described in Chinese."""

    def get_help_option(self, ctx: click.Context) -> Any:
        """Click's help option, with a Chinese help text."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option


class ChineseCommand(_ChineseHelpOption, TyperCommand):
    """A typer command whose ``--help`` option is described in Chinese."""


class ChineseGroup(_ChineseHelpOption, TyperGroup):
    """A typer command group (``reportbot user …``) whose ``--help`` option is described in Chinese."""


class LazyGroup(_ChineseHelpOption, TyperGroup):
    """Commands from ``specs``, each module imported on first use; listings use the static help texts."""

    specs: ClassVar[dict[str, CommandSpec]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, in the table's order."""
        return list(self.specs)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The loaded command, or a placeholder carrying the table's help (for listings)."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self.specs.get(cmd_name)
        if spec is None:
            return None
        return TyperCommand(name=cmd_name, help=spec.help, short_help=spec.help)

    def load(self, cmd_name: str) -> click.Command:
        """Import the command's module and register its commands (a module may add several)."""
        if cmd_name not in self.commands:
            module = importlib.import_module(self.specs[cmd_name].module)
            sub = typer.Typer(add_completion=False)
            module.register(sub)
            _chinese_help(sub)
            self.commands.update(typer.main.get_group(sub).commands)
        return self.commands[cmd_name]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Load the named command before click looks it up; an unknown name is a Chinese usage error."""
        name = args[0] if args else ""
        if name in self.specs:
            self.load(name)
        elif name and not name.startswith("-"):
            close = difflib.get_close_matches(name, list(self.specs), n=2)
            hint = f"（是否想用 {'、'.join(close)}？）" if close else "（reportbot --help 列出全部命令）"
            msg = f"没有命令 {name}{hint}"
            raise errors.UsageError(msg, ctx)
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; every failure becomes one Chinese line on stderr and an exit code."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except NO_ARGS_IS_HELP as exc:
            message = getattr(exc, "format_message", lambda: "")()
            if message:  # rich help is printed while the error is made; plain help is not
                click.echo(message)
            code = 2
        except errors.UsageError as exc:
            code = _report_usage_error(exc)
        except errors.ClickException as exc:
            _say(f"错误：{exc.format_message()}")
            code = exc.exit_code
        except typer.Abort:
            _say("已取消")
            code = 1
        except Exception as exc:
            code = _report_failure(exc)
        if standalone_mode:
            sys.exit(code)
        return code


def _chinese_help(app: typer.Typer) -> None:
    """Give every command and command group of ``app`` (and of its groups) the Chinese ``--help`` option."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = ChineseCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            if isinstance(group.cls, DefaultPlaceholder | None):
                group.cls = ChineseGroup
            _chinese_help(group.typer_instance)


def _say(line: str) -> None:
    from bot.cli.support import err

    err.print(line, markup=False, style="red")


def _report_usage_error(exc: errors.UsageError) -> int:
    _say(f"错误：{describe_usage_error(exc)}")
    ctx = exc.ctx
    if ctx is not None:
        from bot.cli.support import err

        err.print(ctx.get_usage(), markup=False)
        err.print(f"运行 {ctx.command_path} --help 查看帮助", markup=False)
    return 2


def _report_failure(exc: Exception) -> int:
    """A core error is one clear line (exit 1; 2 for a configuration error); anything else is a bug."""
    from retrieval.errors import ConfigurationError, ReportbotError

    if isinstance(exc, ReportbotError):
        _say(str(exc))
        return 2 if isinstance(exc, ConfigurationError) else 1
    raise exc
