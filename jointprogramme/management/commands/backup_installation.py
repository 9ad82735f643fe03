"""Back up a whole installation into one archive: ``manage.py backup_installation``.

The archive (``jointprogramme-<UTC time>.tar.gz``, readable by its owner only) holds:

- ``database.pgdump`` (``pg_dump --format=custom``) on PostgreSQL, or
  ``database.sqlite3`` (SQLite's online backup) on SQLite: every table, so every
  record, every history entry (the ``historical*`` tables of django-simple-history),
  the users, their sessions and sign-in records;
- ``media/``: every uploaded file, read through Django's storage API (a local folder
  or an S3 bucket alike);
- ``manifest.json``: when, from which engine and migrations, the row count of every
  table and the size and SHA-256 of every file, so ``restore_installation`` can
  prove that it put everything back.

On PostgreSQL the rows are counted in the very snapshot ``pg_dump`` exports, so the
counts match the dump even while people keep working. Restore with
``manage.py restore_installation ARCHIVE`` into an empty database (docs/runbook.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import django
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
ARCHIVE_PREFIX = "jointprogramme-"
ARCHIVE_SUFFIX = ".tar.gz"


def engine_name() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def postgres_environment() -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore/psql from the Django connection settings."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in [
        ("PGDATABASE", settings.get("NAME")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", str(settings.get("PORT") or "")),
        ("PGSSLMODE", settings.get("OPTIONS", {}).get("sslmode")),
    ]:
        if value:
            env[variable] = value
    return env


def count_rows(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def table_row_counts() -> dict[str, int]:
    """Rows per table in the current database (used after a restore to compare)."""
    with connection.cursor() as cursor:
        return count_rows(cursor, connection.introspection.table_names(cursor))


def storage_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, depth first (empty for a missing local folder)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += storage_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> dict[str, str]:
    """The last applied migration of each app."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


class Command(BaseCommand):
    help = "Back up the database (every record and history entry) and uploaded files."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--output", help="Archive file to write (…tar.gz).")
        where.add_argument(
            "--output-dir",
            default="backups",
            help="Folder for a dated archive (default: ./backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="With --output-dir: keep only the newest N archives (0 keeps all).",
        )

    def handle(self, *args, **options):
        stamp = datetime.now(UTC)
        if options["output"]:
            target = Path(options["output"])
        else:
            folder = Path(options["output_dir"])
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{ARCHIVE_PREFIX}{stamp:%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"
        engine = engine_name()
        with tempfile.TemporaryDirectory(prefix="jp-backup-") as work:
            work_dir = Path(work)
            if engine == "postgresql":
                dump_name, counts = self.dump_postgresql(work_dir)
            else:
                dump_name, counts = self.dump_sqlite(work_dir)
            files = self.write_archive(target, work_dir, dump_name, counts, engine, stamp)
        if options["keep"] and not options["output"]:
            self.prune(target.parent, options["keep"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(counts)} tables ({sum(counts.values())} rows) and "
                f"{len(files)} uploaded files to {target}"
            )
        )

    def dump_postgresql(self, work_dir: Path) -> tuple[str, dict[str, int]]:
        """pg_dump inside one exported snapshot, counting the rows in that snapshot."""
        if shutil.which("pg_dump") is None:
            raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
        dump = work_dir / "database.pgdump"
        snapshot_connection = connection.get_new_connection(connection.get_connection_params())
        try:
            snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with snapshot_connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                tables = connection.introspection.table_names(cursor)
                counts = count_rows(cursor, tables)
                result = subprocess.run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ],
                    env=postgres_environment(),
                    capture_output=True,
                    text=True,
                    check=False,
                )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        finally:
            snapshot_connection.rollback()
            snapshot_connection.close()
        return dump.name, counts

    def dump_sqlite(self, work_dir: Path) -> tuple[str, dict[str, int]]:
        """SQLite's online backup: a consistent copy even while the site is used."""
        copy = work_dir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(copy)
        try:
            connection.connection.backup(destination)
            cursor = destination.cursor()
            tables = [
                row[0]
                for row in cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            counts = {}
            for table in sorted(tables):
                counts[table] = cursor.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        finally:
            destination.close()
        return copy.name, counts

    def write_archive(self, target, work_dir, dump_name, counts, engine, stamp) -> dict:
        files = {}
        partial = target.with_name(target.name + ".partial")
        # Owner-only from the first byte: the archive holds personal data.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(work_dir / dump_name, arcname=dump_name)
                for name in storage_files():
                    with default_storage.open(name, "rb") as handle:
                        digest = sha256_of(handle)
                        size = handle.tell()
                        handle.seek(0)
                        info = tarfile.TarInfo(f"media/{name}")
                        info.size = size
                        info.mode = 0o600
                        tar.addfile(info, handle)
                    files[name] = {"size": size, "sha256": digest}
                manifest = {
                    "format": FORMAT_VERSION,
                    "created": stamp.isoformat(),
                    "engine": engine,
                    "database": dump_name,
                    "django": django.get_version(),
                    "migrations": applied_migrations(),
                    "tables": counts,
                    "files": files,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return files

    def prune(self, folder: Path, keep: int) -> None:
        archives = sorted(folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
        for old in archives[:-keep]:
            old.unlink()
            self.stdout.write(f"Removed old backup {old}")
