"""Restore an archive from ``backup_installation`` into an empty database.

``manage.py restore_installation ARCHIVE`` with ``DATABASE_URL`` (and, for local
files, ``DJANGO_MEDIA_ROOT``) pointing at the new installation:

1. refuses unless the database has no tables (create it empty: ``createdb``), so a
   restore never mixes with or overwrites live data;
2. loads the dump (``pg_restore --single-transaction``: all or nothing; on SQLite the
   database file is put in place);
3. puts every uploaded file back through Django's storage API;
4. checks the row count of every table and the SHA-256 of every file against the
   archive's manifest, and fails loudly on any difference.

Then run ``manage.py migrate`` if the code is newer than the backup.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_installation import (
    FORMAT_VERSION,
    engine_name,
    postgres_environment,
    sha256_of,
    table_row_counts,
)


class Command(BaseCommand):
    help = "Restore a backup_installation archive into an empty database and storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by backup_installation.")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        engine = engine_name()
        with tempfile.TemporaryDirectory(prefix="jp-restore-") as work:
            work_dir = Path(work)
            with tarfile.open(archive, "r:gz") as tar:
                # The "data" filter refuses absolute paths, "..", links and devices.
                tar.extractall(work_dir, filter="data")
            manifest = self.read_manifest(work_dir, engine)
            self.check_targets_empty(manifest)
            dump = work_dir / manifest["database"]
            if engine == "postgresql":
                self.restore_postgresql(dump)
            else:
                self.restore_sqlite(dump)
            self.restore_files(work_dir / "media", manifest["files"])
        self.verify(manifest)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(manifest['tables'])} tables ({rows} rows) and "
                f"{len(manifest['files'])} uploaded files from {archive} "
                f"(backup of {manifest['created']}); row counts and file checksums match."
            )
        )

    def read_manifest(self, work_dir: Path, engine: str) -> dict:
        try:
            manifest = json.loads((work_dir / "manifest.json").read_text())
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(f"Not a backup_installation archive: {error}") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise CommandError(f"Unknown archive format {manifest.get('format')!r}.")
        if manifest["engine"] != engine:
            raise CommandError(
                f"The archive is a {manifest['engine']} backup; this installation uses "
                f"{engine}. Restore it into a {manifest['engine']} database."
            )
        return manifest

    def check_targets_empty(self, manifest: dict) -> None:
        tables = connection.introspection.table_names()
        if tables:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables). Restore into a new, empty database."
            )
        clashes = [name for name in manifest["files"] if default_storage.exists(name)]
        if clashes:
            raise CommandError(
                f"The file storage already holds {len(clashes)} of the archive's files "
                f"(e.g. {clashes[0]}). Restore into an empty folder or bucket."
            )

    def restore_postgresql(self, dump: Path) -> None:
        if shutil.which("pg_restore") is None:
            raise CommandError("pg_restore is not installed (apt-get install postgresql-client).")
        connection.close()
        env = postgres_environment()
        result = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={env['PGDATABASE']}",
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed (nothing restored): {result.stderr.strip()}")

    def restore_sqlite(self, dump: Path) -> None:
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        # The (empty) file Django may have created on connecting is replaced whole.
        shutil.copyfile(dump, target)

    def restore_files(self, media_dir: Path, files: dict) -> None:
        for name in files:
            with (media_dir / name).open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=name))
            if saved != name:
                raise CommandError(f"The storage saved {name} as {saved}.")

    def verify(self, manifest: dict) -> None:
        counts = table_row_counts()
        expected = manifest["tables"]
        differences = [
            f"{table}: {expected.get(table)} in the backup, {counts.get(table)} restored"
            for table in sorted(set(expected) | set(counts))
            if expected.get(table) != counts.get(table)
        ]
        for name, meta in manifest["files"].items():
            with default_storage.open(name, "rb") as handle:
                if sha256_of(handle) != meta["sha256"]:
                    differences.append(f"file {name}: content differs")
        if differences:
            raise CommandError("Restore incomplete:\n  " + "\n  ".join(differences))
