"""``reportbot user add|list|disable|enable|reset-password``: the web console's accounts in the data dir.

Passwords are read from stdin (asked twice at a terminal), never from the command line, where ``ps`` and the
shell history would keep them. Every change is an audit line (``frontend=cli``, the operating-system user).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import DataDir, console, fail, load_settings

ROLES = ("admin", "writer", "viewer")
user_app = typer.Typer(help="管理网页管理台的账户（密码从标准输入读取）。", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="用户名。", show_default=False)]


def _read_password() -> str:
    """One password from stdin: asked twice at a terminal, the first line otherwise."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != first:
            raise fail("两次输入的密码不一致。")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _audit(data_dir: Path, action: str, name: str, outcome: str = "ok", **extra: object) -> None:
    from bot.chat.audit import data_dir_log

    operator = getpass.getuser()
    data_dir_log(data_dir, "cli").record(
        user_id=operator, chat_id=None, action=action, outcome=outcome, what=name, **extra
    )


@user_app.command("add")
def add(
    name: NameArg,
    role: Annotated[
        str, typer.Option("--role", help="角色：admin（管理员）、writer（撰稿）或 viewer（查阅）。")
    ] = "viewer",
    data_dir: DataDir = None,
) -> None:
    """新建账户；密码从标准输入读取（至少 10 个字符，包含三类字符）。"""
    from bot.web.accounts import AccountError, AccountStore, Role

    if role not in ROLES:
        raise fail(f"角色应为 {'、'.join(ROLES)} 之一。", 2)
    settings = load_settings(data_dir)
    try:
        AccountStore(settings.data_dir).add(name, Role(role), _read_password())
    except AccountError as exc:
        raise fail(str(exc)) from None
    _audit(settings.data_dir, "user_add", name, role=role)
    console.print(f"已新建账户 {name}（{Role(role).label}）", markup=False)


@user_app.command("list")
def list_users(data_dir: DataDir = None) -> None:
    """列出账户：用户名、角色、状态、最近登录。"""
    import time

    from bot.web.accounts import AccountStore

    settings = load_settings(data_dir)
    accounts = AccountStore(settings.data_dir).all()
    if not accounts:
        console.print("还没有账户：用 reportbot user add 用户名 --role admin 新建。", markup=False)
        return
    for account in accounts:
        state = "已停用" if account.disabled else ("已锁定" if account.locked() else "正常")
        last = (
            time.strftime("%Y-%m-%d %H:%M", time.localtime(account.last_sign_in))
            if account.last_sign_in
            else "从未"
        )
        console.print(f"{account.name}\t{account.role_enum.label}\t{state}\t最近登录 {last}", markup=False)


def _set_disabled(name: str, data_dir: Path | None, disabled: bool) -> None:
    from bot.web.accounts import AccountError, AccountStore

    settings = load_settings(data_dir)
    try:
        AccountStore(settings.data_dir).set_disabled(name, disabled)
    except AccountError as exc:
        raise fail(str(exc)) from None
    _audit(settings.data_dir, "user_disable" if disabled else "user_enable", name)
    console.print(f"已{'停用' if disabled else '启用'}账户 {name}", markup=False)


@user_app.command("disable")
def disable(name: NameArg, data_dir: DataDir = None) -> None:
    """停用账户（不能再登录，已登录的会话随即失效）。"""
    _set_disabled(name, data_dir, True)


@user_app.command("enable")
def enable(name: NameArg, data_dir: DataDir = None) -> None:
    """重新启用停用的账户。"""
    _set_disabled(name, data_dir, False)


@user_app.command("reset-password")
def reset_password(name: NameArg, data_dir: DataDir = None) -> None:
    """重设密码（从标准输入读取），同时解除锁定。"""
    from bot.web.accounts import AccountError, AccountStore

    settings = load_settings(data_dir)
    try:
        AccountStore(settings.data_dir).set_password(name, _read_password())
    except AccountError as exc:
        raise fail(str(exc)) from None
    _audit(settings.data_dir, "user_reset_password", name)
    console.print(f"已重设 {name} 的密码", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``user`` group to the ``reportbot`` app."""
    app.add_typer(user_app, name="user")
