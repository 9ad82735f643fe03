"""The interface catalogues: Serbian Latin (written by people) and Serbian Cyrillic
(generated from it by transliteration), and the checks that they are complete.

Both ``.po`` files and their compiled ``.mo`` files are in the repository
(``locale/``), compiled here with polib, so neither CI nor a fresh installation needs
GNU gettext's ``msgfmt``; ``makemessages`` (which does need it) is only for whoever
adds strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

from jointprogramme.transliteration import to_cyrillic

LATIN = "sr_Latn"
CYRILLIC = "sr"


def catalogue_path(locale: str, *, root: Path | None = None, suffix: str = "po") -> Path:
    root = root or Path(settings.LOCALE_PATHS[0])
    return root / locale / "LC_MESSAGES" / f"django.{suffix}"


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def cyrillic_from_latin(latin: polib.POFile) -> polib.POFile:
    """The Cyrillic catalogue: every entry of the Latin one, its translation
    transliterated (placeholders and markup left alone)."""
    cyrillic = polib.POFile(wrapwidth=latin.wrapwidth)
    cyrillic.metadata = dict(latin.metadata)
    cyrillic.metadata["Language"] = CYRILLIC
    cyrillic.header = (
        "Serbian (Cyrillic) translation of the Joint Programme Manager.\n"
        "GENERATED from locale/sr_Latn by `manage.py transliterate_catalogue`: "
        "do not edit, edit the Latin catalogue and run the command again."
    )
    for entry in _live(latin):
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            msgstr=to_cyrillic(entry.msgstr),
            msgstr_plural={k: to_cyrillic(v) for k, v in entry.msgstr_plural.items()},
            flags=list(entry.flags),
            occurrences=list(entry.occurrences),
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
        cyrillic.append(copy)
    return cyrillic


@dataclass(frozen=True)
class Problem:
    catalogue: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.catalogue}: {self.what}: {self.msgid!r}"


def catalogue_problems(
    latin: polib.POFile,
    cyrillic: polib.POFile,
    *,
    latin_mo: polib.MOFile | None = None,
    cyrillic_mo: polib.MOFile | None = None,
) -> list[Problem]:
    """What is wrong with the pair: strings without a translation in either catalogue,
    Cyrillic entries that are not the transliteration of the Latin ones (or missing,
    or left over), and compiled files that do not match their catalogue."""
    problems = []
    for name, po in ((LATIN, latin), (CYRILLIC, cyrillic)):
        problems += [
            Problem(name, e.msgid, "no translation") for e in _live(po) if not is_translated(e)
        ]
    expected = {_key(e): e for e in _live(cyrillic_from_latin(latin))}
    actual = {_key(e): e for e in _live(cyrillic)}
    for key, entry in expected.items():
        found = actual.get(key)
        if found is None:
            problems.append(Problem(CYRILLIC, key[1], "missing (run transliterate_catalogue)"))
        elif (found.msgstr, found.msgstr_plural) != (entry.msgstr, entry.msgstr_plural):
            problems.append(
                Problem(CYRILLIC, key[1], "not the transliteration of the Latin translation")
            )
    problems += [
        Problem(CYRILLIC, key[1], "not in the Latin catalogue")
        for key in actual.keys() - expected.keys()
    ]
    for name, po, mo in ((LATIN, latin, latin_mo), (CYRILLIC, cyrillic, cyrillic_mo)):
        if mo is None:
            continue
        compiled = {_key(e): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
        for entry in _live(po):
            if not is_translated(entry):
                continue
            want = (entry.msgstr, entry.msgstr_plural) if not entry.msgid_plural else None
            got = compiled.get(_key(entry))
            if got is None or (want is not None and got[0] != want[0]):
                problems.append(Problem(name, entry.msgid, "compiled .mo out of date"))
    return problems


def load_pair(root: Path | None = None) -> dict:
    """Both catalogues and their compiled files, as they are on disk."""

    def mo(locale):
        path = catalogue_path(locale, root=root, suffix="mo")
        return polib.mofile(str(path)) if path.exists() else None

    return {
        "latin": polib.pofile(str(catalogue_path(LATIN, root=root))),
        "cyrillic": polib.pofile(str(catalogue_path(CYRILLIC, root=root))),
        "latin_mo": mo(LATIN),
        "cyrillic_mo": mo(CYRILLIC),
    }


def write_cyrillic_and_compile(root: Path | None = None) -> polib.POFile:
    """Generate the Cyrillic catalogue and compile both (polib, no msgfmt needed)."""
    latin = polib.pofile(str(catalogue_path(LATIN, root=root)))
    cyrillic = cyrillic_from_latin(latin)
    path = catalogue_path(CYRILLIC, root=root)
    path.parent.mkdir(parents=True, exist_ok=True)
    cyrillic.save(str(path))
    latin.save_as_mofile(str(catalogue_path(LATIN, root=root, suffix="mo")))
    cyrillic.save_as_mofile(str(catalogue_path(CYRILLIC, root=root, suffix="mo")))
    return cyrillic
