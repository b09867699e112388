"""Web console accounts, kept in ``<data_dir>/web/accounts.json``: argon2 hashes, roles, lockout.

Written by ``reportbot user …`` and by the console itself (failed sign-ins), possibly at the same time from two
processes: every change is a read-modify-write under a file lock, replaced atomically. The password rules
(length and character classes) and the lockout (5 failures → 15 minutes) follow 等保 2.0's usual reading.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum, StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ACCOUNTS_DIR = "web"
ACCOUNTS_FILE = "accounts.json"
MIN_PASSWORD_CHARS = 10
MIN_CHARACTER_CLASSES = 3
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
_NAME = re.compile(r"^[\w.@-]{1,32}$")
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("reportbot-timing-equaliser")


class Role(StrEnum):
    """What an account may do: viewers ask, writers also draft, admins run the knowledge base."""

    VIEWER = "viewer"
    WRITER = "writer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Higher ranks include the lower ones."""
        return {"viewer": 0, "writer": 1, "admin": 2}[self.value]

    @property
    def label(self) -> str:
        """The role's Chinese name."""
        return {"viewer": "查阅", "writer": "撰稿", "admin": "管理员"}[self.value]


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is one Chinese sentence for the user."""


@dataclass
class Account:
    """One web account as stored (the password only as its argon2 hash)."""

    name: str
    role: str
    password_hash: str
    disabled: bool = False
    failures: int = 0
    locked_until: float = 0.0
    created: float = field(default_factory=time.time)
    password_changed: float = field(default_factory=time.time)
    last_sign_in: float = 0.0

    @property
    def role_enum(self) -> Role:
        """The account's role."""
        return Role(self.role)

    def locked(self, now: float | None = None) -> bool:
        """True while a lockout lasts."""
        return self.locked_until > (time.time() if now is None else now)


class SignIn(Enum):
    """The outcome of a sign-in attempt (what the audit line says)."""

    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"  # this attempt started a lockout
    STILL_LOCKED = "still_locked"
    DISABLED = "disabled"


def check_name(name: str) -> str:
    """The name, or ``AccountError`` when it is not 1-32 letters, digits or ``_.@-``."""
    if not _NAME.fullmatch(name):
        msg = "用户名应为 1 到 32 个字母、数字或 _.@- 字符。"
        raise AccountError(msg)
    return name


def check_password(password: str) -> None:
    """``AccountError`` unless the password is long and varied enough."""
    if len(password) < MIN_PASSWORD_CHARS:
        msg = f"密码至少 {MIN_PASSWORD_CHARS} 个字符。"
        raise AccountError(msg)
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),  # symbols, 汉字
        )
    )
    if classes < MIN_CHARACTER_CLASSES:
        msg = "密码须包含小写字母、大写字母、数字、符号中的至少三类。"
        raise AccountError(msg)


class AccountStore:
    """The accounts of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / ACCOUNTS_DIR / ACCOUNTS_FILE

    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict[str, Account]]:
        """The accounts, under the file lock; written back (atomically) when the block ends without error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / "accounts.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                accounts = self._read()
                yield accounts
                tmp = self.path.with_suffix(".tmp")
                tmp.write_text(
                    json.dumps(
                        {name: asdict(a) for name, a in accounts.items()}, ensure_ascii=False, indent=1
                    ),
                    encoding="utf-8",
                )
                os.chmod(tmp, 0o600)
                os.replace(tmp, self.path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> dict[str, Account]:
        if not self.path.exists():
            return {}
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return {name: Account(**values) for name, values in raw.items()}

    def all(self) -> list[Account]:
        """Every account, by name."""
        return sorted(self._read().values(), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        return self._read().get(name)

    def add(self, name: str, role: Role, password: str) -> Account:
        """Create an account; ``AccountError`` when the name is taken or the password too weak."""
        check_name(name)
        check_password(password)
        with self._editing() as accounts:
            if name in accounts:
                msg = f"用户 {name} 已存在。"
                raise AccountError(msg)
            account = Account(name=name, role=role.value, password_hash=_HASHER.hash(password))
            accounts[name] = account
        return account

    def set_password(self, name: str, password: str) -> None:
        """Replace the password (and lift a lockout)."""
        check_password(password)
        with self._editing() as accounts:
            account = self._existing(accounts, name)
            account.password_hash = _HASHER.hash(password)
            account.password_changed = time.time()
            account.failures = 0
            account.locked_until = 0.0

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (no sign-in, sessions end) or enable an account."""
        with self._editing() as accounts:
            self._existing(accounts, name).disabled = disabled

    def set_role(self, name: str, role: Role) -> None:
        """Change an account's role."""
        with self._editing() as accounts:
            self._existing(accounts, name).role = role.value

    def sign_in(self, name: str, password: str, now: float | None = None) -> SignIn:
        """Check a password; counts failures and starts the lockout at the fifth in a row."""
        now = time.time() if now is None else now
        if not _NAME.fullmatch(name) or self.get(name) is None:
            _verify(_DUMMY_HASH, password)  # the same time as for a real account: names are not disclosed
            return SignIn.FAILED
        with self._editing() as accounts:
            account = accounts[name]
            if account.disabled:
                return SignIn.DISABLED
            if account.locked(now):
                return SignIn.STILL_LOCKED
            if _verify(account.password_hash, password):
                account.failures = 0
                account.locked_until = 0.0
                account.last_sign_in = now
                if _HASHER.check_needs_rehash(account.password_hash):
                    account.password_hash = _HASHER.hash(password)
                return SignIn.OK
            account.failures += 1
            if account.failures >= MAX_FAILURES:
                account.failures = 0
                account.locked_until = now + LOCKOUT_SECONDS
                return SignIn.LOCKED
            return SignIn.FAILED

    @staticmethod
    def _existing(accounts: dict[str, Account], name: str) -> Account:
        if name not in accounts:
            msg = f"没有用户 {name}。"
            raise AccountError(msg)
        return accounts[name]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
