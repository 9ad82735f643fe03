"""Back up an installation, restore it into an empty database and an empty file
store, and find the same pages, the same rows in every table (history included)
and the same uploaded files — on SQLite here, on PostgreSQL where it runs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from . import support

pytestmark = pytest.mark.deploy

# An edit that leaves history entries, and uploaded files (one in a sub-folder, one
# with non-ASCII bytes), written through the storage API as the application does.
EXTRA_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from funding.models import Pledge
pledge = Pledge.objects.order_by("pk").first()
pledge.note = "Raised after the second roundtable (backup test)"
pledge.save()
default_storage.save("meetings/2009-03-roundtable-minutes.txt", ContentFile(b"Minutes\\n" * 500))
default_storage.save("imports/pledges.csv", ContentFile("donor,amount\\nAmbasada,1\\n".encode()))
default_storage.save("logo-ћирилица.bin", ContentFile(bytes(range(256)) * 64))
"""


def run_pages(env) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.deploy.render_pages", "manager"],
        cwd=support.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def installation(tmp_path, name: str, database_url: str) -> dict[str, str]:
    media = tmp_path / f"media-{name}"
    media.mkdir()
    return support.base_environment(
        DATABASE_URL=database_url, DJANGO_MEDIA_ROOT=media, DJANGO_LOG_LEVEL="WARNING"
    )


def files_in(env) -> dict[str, bytes]:
    root = support.Path(env["DJANGO_MEDIA_ROOT"])
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def round_trip(tmp_path, source, target, count_rows) -> None:
    support.manage(source, "migrate", "--noinput", "-v0")
    support.manage(source, "load_demo")
    support.manage(source, "shell", "-c", EXTRA_DATA)
    pages_before = run_pages(source)
    archive = tmp_path / "backup.tar.gz"

    support.manage(source, "backup_installation", "--output", str(archive))
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data: owner only
    restored = support.manage(target, "restore_installation", str(archive))

    assert "row counts and file checksums match" in restored.stdout
    # Compared before the pages are rendered on the target (signing in adds rows).
    rows_before, rows_after = count_rows(source), count_rows(target)
    assert rows_after == rows_before
    history = {table: n for table, n in rows_after.items() if "historical" in table}
    assert sum(history.values()) > 0, history  # history entries are among them
    pages_after = run_pages(target)
    assert pages_after.keys() == pages_before.keys()
    for path, html in pages_before.items():
        assert pages_after[path] == html, f"{path} differs after the restore"
    assert files_in(target) == files_in(source)
    assert len(files_in(target)) == 3
    # The restored installation keeps working: new records get new ids.
    support.manage(
        target,
        "shell",
        "-c",
        "from stakeholders.models import Organisation;"
        "Organisation.objects.create(name='Added after the restore', kind='ministry')",
    )


def test_backup_restores_every_record_history_entry_and_file_on_sqlite(tmp_path):
    def count_rows(env):
        path = env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
            }

    source = installation(tmp_path, "source", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    target = installation(tmp_path, "target", f"sqlite:///{tmp_path / 'target.sqlite3'}")
    round_trip(tmp_path, source, target, count_rows)


def test_backup_restores_every_record_history_entry_and_file_on_postgresql(tmp_path, postgres):
    import psycopg2

    def count_rows(env):
        connection = psycopg2.connect(env["DATABASE_URL"])
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
                tables = [row[0] for row in cursor.fetchall()]
                counts = {}
                for table in tables:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                    counts[table] = cursor.fetchone()[0]
                return counts
        finally:
            connection.close()

    names = [f"jp_deploy_backup_{kind}_{os.getpid()}" for kind in ("source", "target")]
    try:
        source = installation(tmp_path, "source", support.create_database(names[0]))
        target = installation(tmp_path, "target", support.create_database(names[1]))
        round_trip(tmp_path, source, target, count_rows)
    finally:
        for name in names:
            support.drop_database(name)


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    source = installation(tmp_path, "source", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    support.manage(source, "migrate", "--noinput", "-v0")
    archive = tmp_path / "backup.tar.gz"
    support.manage(source, "backup_installation", "--output", str(archive))
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_installation", str(archive)],
        cwd=support.BASE_DIR,
        env=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "is not empty" in result.stderr
