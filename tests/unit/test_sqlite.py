"""reportmt.sqlite: how every store opens SQLite (no Prefect, no subprocess)."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest

from reportmt.sqlite import connect, create_schema, immediate_transaction, statements


def _table(path):
    with closing(connect(path)) as db:
        create_schema(db, "CREATE TABLE IF NOT EXISTS t (x TEXT);")


def test_a_writable_connection_is_wal_autocommit_and_as_durable_as_asked(tmp_path):
    with closing(connect(tmp_path / "a.sqlite3")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.isolation_level is None
    with closing(connect(tmp_path / "b.sqlite3", durable=False, timeout=60)) as db:
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 60_000


def test_readonly_really_refuses_writes(tmp_path):
    path = tmp_path / "a folder?#with odd characters" / "store.sqlite3"
    path.parent.mkdir()
    _table(path)
    with closing(connect(path, readonly=True)) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("INSERT INTO t VALUES ('x')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("CREATE TABLE u (y)")
    with closing(connect(path)) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_readonly_does_not_create_a_missing_file(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        connect(tmp_path / "missing.sqlite3", readonly=True)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_a_connection_stays_in_its_thread_unless_any_thread(tmp_path):
    _table(tmp_path / "s.sqlite3")
    raised: list[BaseException] = []

    def use(db):
        try:
            db.execute("SELECT 1").fetchone()
        except BaseException as exc:  # noqa: BLE001 - reported to the test's thread
            raised.append(exc)

    for any_thread, expected in ((False, 1), (True, 0)):
        raised.clear()
        with closing(connect(tmp_path / "s.sqlite3", readonly=True, any_thread=any_thread)) as db:
            worker = threading.Thread(target=use, args=(db,))
            worker.start()
            worker.join()
        assert len(raised) == expected


def test_the_transaction_commits_a_whole_block(tmp_path):
    _table(tmp_path / "s.sqlite3")
    with closing(connect(tmp_path / "s.sqlite3")) as db:
        with immediate_transaction(db):
            db.execute("INSERT INTO t VALUES ('a')")
            db.execute("INSERT INTO t VALUES ('b')")
        assert not db.in_transaction
    with closing(connect(tmp_path / "s.sqlite3", readonly=True)) as other:
        assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2


@pytest.mark.parametrize("error", [ValueError, KeyboardInterrupt])
def test_the_transaction_rolls_back_on_any_exception(tmp_path, error):
    _table(tmp_path / "s.sqlite3")
    with closing(connect(tmp_path / "s.sqlite3")) as db:
        with pytest.raises(error):
            with immediate_transaction(db):
                db.execute("INSERT INTO t VALUES ('a')")
                raise error()
        assert not db.in_transaction
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_the_transaction_takes_the_write_lock_at_once(tmp_path):
    _table(tmp_path / "s.sqlite3")
    with closing(connect(tmp_path / "s.sqlite3")) as first, \
            closing(connect(tmp_path / "s.sqlite3", timeout=0.05)) as second:
        with immediate_transaction(first):
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                with immediate_transaction(second):
                    pass
            assert second.execute("SELECT count(*) FROM t").fetchone()[0] == 0  # readers go on (WAL)


def test_create_schema_is_one_transaction_with_the_upgrade(tmp_path):
    path = tmp_path / "s.sqlite3"
    with closing(connect(path)) as db:
        db.execute("CREATE TABLE old (x)")

        def upgrade(db):
            db.execute("ALTER TABLE old RENAME TO t")

        with pytest.raises(sqlite3.OperationalError):  # the script fails after the upgrade: neither stays
            create_schema(db, "CREATE INDEX t_x ON t (x); CREATE TABLE t (y);", upgrade=upgrade)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"old"}
        create_schema(db, "CREATE TABLE IF NOT EXISTS t (x); CREATE INDEX IF NOT EXISTS t_x ON t (x);", upgrade=upgrade)
        create_schema(db, "CREATE TABLE IF NOT EXISTS t (x); CREATE INDEX IF NOT EXISTS t_x ON t (x);")  # again: nothing
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert names == {"t", "t_x"}
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0  # the on-disk format is the store's own


def test_statements_split_where_sqlite_does():
    script = """
    CREATE TABLE a (x TEXT DEFAULT ';');  -- a comment; with a semicolon
    CREATE TABLE b (y)
    """
    found = statements(script)
    assert len(found) == 2 and found[0] == "CREATE TABLE a (x TEXT DEFAULT ';');"
    with closing(sqlite3.connect(":memory:")) as db:
        for statement in found:
            db.execute(statement)  # one statement each, or sqlite3 refuses it
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 2
