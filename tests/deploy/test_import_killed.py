"""An import killed half-way leaves nothing behind: the rows it had saved were
inside one transaction (IMPORT_EXPORT_USE_TRANSACTIONS and NaturalKeyResource),
which the database rolls back when the process dies."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys

import pytest

from . import support

pytestmark = pytest.mark.deploy

ROWS = 5000
HALF = 2500


def organisation_count(env) -> tuple[int, int]:
    result = support.manage(
        env,
        "shell",
        "-c",
        "from stakeholders.models import Organisation; "
        "print(Organisation.objects.count(), "
        "Organisation.objects.filter(name__startswith='Bulk import ').count())",
    )
    total, imported = result.stdout.strip().splitlines()[-1].split()
    return int(total), int(imported)


def kill_import_half_way(tmp_path, env) -> None:
    path = tmp_path / "organisations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "acronym", "kind", "country", "website", "description"])
        for number in range(ROWS):
            writer.writerow(
                [f"Bulk import {number:05d}", "", "civil_society", "Serbia", "", "Организација"]
            )
    support.manage(env, "migrate", "--noinput", "-v0")
    total_before, _ = organisation_count(env)

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.deploy.import_until_killed", str(path), str(HALF)],
        cwd=support.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("half-way"), line + child.stderr.read()
        # Inside its transaction the import sees its own rows …
        assert f"{total_before + HALF} organisations" in line
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    # … and after the kill nobody does: not one row of the file was kept.
    assert organisation_count(env) == (total_before, 0)


def test_import_killed_half_way_leaves_nothing_on_sqlite(tmp_path):
    env = support.base_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'import.sqlite3'}", DJANGO_LOG_LEVEL="WARNING"
    )
    kill_import_half_way(tmp_path, env)


def test_import_killed_half_way_leaves_nothing_on_postgresql(tmp_path, postgres):
    name = f"jp_deploy_import_{os.getpid()}"
    try:
        env = support.base_environment(
            DATABASE_URL=support.create_database(name), DJANGO_LOG_LEVEL="WARNING"
        )
        kill_import_half_way(tmp_path, env)
    finally:
        support.drop_database(name)
