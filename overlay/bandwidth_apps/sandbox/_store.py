"""SQLite storage for the sandbox: a file survives restarts, `:memory:` is for tests.

One connection, WAL mode for files, and every change in a transaction taken under one lock, so
concurrent requests (threads or tasks) never lose a write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

T = TypeVar("T")
# What a change makes of a stored value: the new value to write (None: write nothing), and
# what to answer.
Change = tuple[bytes | str | None, T]
Deleted = Literal["deleted", "missing", "in-use"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dashboard_applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    document BLOB NOT NULL,
    UNIQUE (account_id, application_id)
);
CREATE TABLE IF NOT EXISTS catapult_applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (user_id, application_id)
);
CREATE TABLE IF NOT EXISTS sip_peers (
    account_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    site_name TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    peer_name TEXT NOT NULL
);
"""


class StoreError(ValueError):
    """The path given cannot be opened as the sandbox's store."""


class Store:
    """The sandbox's applications, per Dashboard account and per Catapult user."""

    def __init__(self, path: str = ":memory:") -> None:
        """Open (or create) the store.

        Raises:
            StoreError: the file cannot be a store: not SQLite, corrupt, read-only, a folder,
                or in a folder that does not exist.
        """
        self.path = path
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc
        try:
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            if self._db.execute("PRAGMA quick_check(1)").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the file is corrupt")
            self._db.execute("BEGIN IMMEDIATE")  # fails at once on a file it may not write
            self._db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            self._db.close()
            raise StoreError(f"{path} cannot be the sandbox's store: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def reset(self) -> None:
        """Forget every application and sip peer (the admin endpoint's reset)."""
        with self.transaction() as db:
            for table in ("dashboard_applications", "catapult_applications", "sip_peers"):
                db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- Dashboard ----

    def dashboard_list(self, account_id: str) -> list[tuple[str, bytes]]:
        with self.transaction() as db:
            rows = db.execute(
                "SELECT application_id, document FROM dashboard_applications"
                " WHERE account_id = ? ORDER BY seq",
                (account_id,),
            )
            return [(row[0], bytes(row[1])) for row in rows]

    def dashboard_get(self, account_id: str, application_id: str) -> bytes | None:
        with self.transaction() as db:
            row = db.execute(
                "SELECT document FROM dashboard_applications"
                " WHERE account_id = ? AND application_id = ?",
                (account_id, application_id),
            ).fetchone()
            return None if row is None else bytes(row[0])

    def dashboard_put(self, account_id: str, application_id: str, document: bytes) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO dashboard_applications (account_id, application_id, document)"
                " VALUES (?, ?, ?) ON CONFLICT (account_id, application_id)"
                " DO UPDATE SET document = excluded.document",
                (account_id, application_id, document),
            )

    def dashboard_change(
        self, account_id: str, application_id: str, change: Callable[[bytes], Change[T]]
    ) -> T | None:
        """Read, change and write one application in one transaction (None: no such
        application), so that no concurrent change or delete is lost or undone."""
        table = ("dashboard_applications", "account_id", "document")
        return self._change(*table, account_id, application_id, change)

    def dashboard_delete(self, account_id: str, application_id: str) -> Deleted:
        """Delete an application unless a Location (sip peer) uses it, in one transaction."""
        with self.transaction() as db:
            key = (account_id, application_id)
            used = db.execute(
                "SELECT 1 FROM sip_peers WHERE account_id = ? AND application_id = ?", key
            ).fetchone()
            if used:
                exists = db.execute(
                    "SELECT 1 FROM dashboard_applications"
                    " WHERE account_id = ? AND application_id = ?",
                    key,
                ).fetchone()
                return "in-use" if exists else "missing"
            cursor = db.execute(
                "DELETE FROM dashboard_applications WHERE account_id = ? AND application_id = ?",
                key,
            )
            return "deleted" if cursor.rowcount else "missing"

    def sip_peers(self, account_id: str, application_id: str) -> list[tuple[str, str, str, str]]:
        with self.transaction() as db:
            rows = db.execute(
                "SELECT site_id, site_name, peer_id, peer_name FROM sip_peers"
                " WHERE account_id = ? AND application_id = ?",
                (account_id, application_id),
            )
            return [tuple(row) for row in rows]

    def associate_sip_peer(
        self, account_id: str, application_id: str, site: tuple[str, str], peer: tuple[str, str]
    ) -> None:
        """Record that a Location (sip peer) uses an application: the sandbox's stand-in for
        the Locations API, used by tests and the demo."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sip_peers VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, application_id, *site, *peer),
            )

    # ---- Catapult ----

    def catapult_page(self, user_id: str, page: int, size: int) -> tuple[list[str], bool]:
        """One page of bodies (JSON text), and whether a next page exists."""
        if page * size >= 2**62:  # past anything SQLite can count: certainly empty
            return [], False
        with self.transaction() as db:
            rows = db.execute(
                "SELECT body FROM catapult_applications WHERE user_id = ?"
                " ORDER BY seq LIMIT ? OFFSET ?",
                (user_id, size + 1, page * size),
            ).fetchall()
        return [row[0] for row in rows[:size]], len(rows) > size

    def catapult_get(self, user_id: str, application_id: str) -> str | None:
        with self.transaction() as db:
            row = db.execute(
                "SELECT body FROM catapult_applications WHERE user_id = ? AND application_id = ?",
                (user_id, application_id),
            ).fetchone()
            return None if row is None else str(row[0])

    def catapult_put(self, user_id: str, application_id: str, body: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO catapult_applications (user_id, application_id, body)"
                " VALUES (?, ?, ?) ON CONFLICT (user_id, application_id)"
                " DO UPDATE SET body = excluded.body",
                (user_id, application_id, body),
            )

    def catapult_change(
        self, user_id: str, application_id: str, change: Callable[[str], Change[T]]
    ) -> T | None:
        """Read, change and write one application in one transaction (None: no such one)."""
        table = ("catapult_applications", "user_id", "body")
        return self._change(*table, user_id, application_id, change)

    def _change(
        self,
        table: str,
        tenant: str,
        column: str,
        tenant_id: str,
        application_id: str,
        change: Callable[[Any], Change[T]],
    ) -> T | None:
        where = f"WHERE {tenant} = ? AND application_id = ?"
        with self.transaction() as db:
            row = db.execute(
                f"SELECT {column} FROM {table} {where}", (tenant_id, application_id)
            ).fetchone()
            if row is None:
                return None
            value, outcome = change(row[0] if isinstance(row[0], str) else bytes(row[0]))
            if value is not None:
                db.execute(
                    f"UPDATE {table} SET {column} = ? {where}", (value, tenant_id, application_id)
                )
            return outcome

    def catapult_delete(self, user_id: str, application_id: str) -> bool:
        with self.transaction() as db:
            cursor = db.execute(
                "DELETE FROM catapult_applications WHERE user_id = ? AND application_id = ?",
                (user_id, application_id),
            )
            return cursor.rowcount > 0
