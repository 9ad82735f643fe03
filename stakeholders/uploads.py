"""An uploaded import file checked before anything parses it.

Every import takes CSV or XLSX only, at most ``IMPORT_MAX_BYTES`` (5 MB; the
settings may say otherwise). A file that is not what it claims is refused with one
plain sentence, and nothing is written:

- the name must end in .csv or .xlsx;
- an XLSX must be a ZIP package that holds a workbook, and unpack to at most ten
  times the limit (a 5 MB file that unpacks to gigabytes is a bomb);
- a CSV must be text: UTF-8 (with or without the byte-order mark Excel writes),
  or UTF-16 with its byte-order mark (Excel's "Unicode text"). Anything else —
  Windows-1250, Windows-1251, Latin-1 — is refused rather than guessed: those
  encodings read almost any bytes without error, so a guess would write wrong
  letters without anyone noticing (a Latin-1 "è" read as Windows-1250 is "č").
  The message says how to save the file as UTF-8 instead.

``checked_upload`` returns the file's bytes, a CSV re-encoded as UTF-8, for the
import to read.
"""

from __future__ import annotations

import codecs
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IMPORT_MAX_BYTES = 5 * 1024 * 1024
UNPACKED_FACTOR = 10  # an XLSX may unpack to ten times the upload limit
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx"}

SAVE_AS_UTF8 = gettext_lazy(
    "In Excel choose File › Save as › “CSV UTF-8 (Comma delimited)”, "
    "or upload the workbook as XLSX."
)


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", IMPORT_MAX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def checked_upload(upload, *, kind: str) -> bytes:
    """The bytes of ``upload`` to import as ``kind`` ("csv" or "xlsx"), or a
    ``ValidationError`` saying in plain words why the file cannot be imported."""
    name = upload.name or ""
    limit = import_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s; an import takes at most %(limit)s: "
                "split it into smaller files."
            )
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
        )
    if not name.lower().endswith(tuple(EXTENSIONS.values())):
        raise ValidationError(
            _("Only CSV (.csv) and Excel (.xlsx) files can be imported; “%(name)s” is neither.")
            % {"name": name}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:  # the size the client declared was wrong
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": _megabytes(limit)}
        )
    if not content:
        raise ValidationError(_("The file is empty."))
    if kind == "xlsx":
        return _checked_xlsx(content)
    return _checked_csv(content)


def _checked_xlsx(content: bytes) -> bytes:
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("This is an Excel 97–2003 workbook (.xls): save it as .xlsx and upload that.")
        )
    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _(
                "The file is not an Excel workbook (.xlsx): if it is a CSV file, choose CSV "
                "as the format."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(
            _("The file is damaged: it cannot be opened as a workbook.")
        ) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise ValidationError(
            _(
                "The file is a ZIP archive but not an Excel workbook (.xlsx): save the sheet "
                "from Excel as .xlsx."
            )
        )
    unpacked = sum(member.file_size for member in members)
    unpacked_limit = UNPACKED_FACTOR * import_max_bytes()
    if unpacked > unpacked_limit:
        raise ValidationError(
            _(
                "The workbook unpacks to %(size)s; at most %(limit)s can be imported: "
                "split it into smaller files."
            )
            % {"size": _megabytes(unpacked), "limit": _megabytes(unpacked_limit)}
        )
    return content


def _checked_csv(content: bytes) -> bytes:
    if content.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("The file is an Excel workbook, not CSV: choose XLSX as the format.")
        )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file says it is UTF-16 text but is damaged.") + " " + str(SAVE_AS_UTF8)
            ) from None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content[: error.start].count(b"\n") + 1
            raise ValidationError(
                _(
                    "The file is not UTF-8 text (line %(line)s has a byte UTF-8 does not "
                    "allow): it may be saved as Windows-1250, Windows-1251 or Latin-1, "
                    "or not be a CSV file at all. Letters such as č, ć, ž, š, đ or Cyrillic "
                    "would be read wrong, so nothing was imported."
                )
                % {"line": line}
                + " "
                + str(SAVE_AS_UTF8)
            ) from None
    if "\x00" in text:
        raise ValidationError(
            _(
                "The file holds NUL characters, so it is not CSV text (or it is UTF-16 "
                "without its byte-order mark)."
            )
            + " "
            + str(SAVE_AS_UTF8)
        )
    return text.encode("utf-8")
