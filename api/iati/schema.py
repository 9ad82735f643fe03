"""Validation against the official IATI 2.03 activity schema, with lxml and no
network: the schema files sit in ``settings.IATI_SCHEMA_DIR`` (by default
``../shared/iati-2.03`` beside the checkout) and import only each other."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from .build import ERROR, Problem

SCHEMA_FILE = "iati-activities-schema.xsd"


class SchemaMissing(Exception):
    """The schema folder is not there: nothing can be validated against it."""


def schema_dir() -> Path:
    return Path(settings.IATI_SCHEMA_DIR)


@lru_cache(maxsize=4)
def _load(path: str) -> etree.XMLSchema:
    # No network: a schemaLocation pointing outside the folder is refused.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(path, parser))


def load_schema(directory: Path | None = None) -> etree.XMLSchema:
    path = (directory or schema_dir()) / SCHEMA_FILE
    if not path.is_file():
        raise SchemaMissing(f"The IATI 2.03 schema is not at {path}.")
    return _load(str(path))


def schema_errors(tree: etree._Element, directory: Path | None = None) -> list[str]:
    """The schema's complaints about ``tree``, one line each ("line N: message")."""
    schema = load_schema(directory)
    document = etree.fromstring(etree.tostring(tree))  # fresh line numbers
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def schema_problems(tree: etree._Element, directory: Path | None = None) -> list[Problem]:
    """Schema errors as problems: they are faults of the export, not of the data."""
    return [
        Problem(
            ERROR,
            f"The XML does not follow the IATI 2.03 schema ({message}). This is a fault of "
            "the export, not of your data: please report it.",
            "Schema",
        )
        for message in schema_errors(tree, directory)
    ]
