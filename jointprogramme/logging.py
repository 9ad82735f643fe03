"""Log records as one structured line each, without personal data.

Only known fields are written (never the request, its body or its headers), and
e-mail addresses and the values PostgreSQL quotes in its error details are masked
in messages and tracebacks. ``output`` is ``json`` (one object per line, for
journald and log shippers) or ``text`` (``key=value``, for a developer's console).
"""

import json
import logging
import re
from datetime import UTC, datetime

# Fields a record may carry (set by jointprogramme.middleware or by Django) that are
# safe to write: no names, no e-mail addresses, no form values.
SAFE_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "request_id", "status_code")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# PostgreSQL: 'Key (email)=(someone@example.org) already exists.' and
# 'Failing row contains (12, Jelena, ...).' quote the row's values.
KEY_VALUES = re.compile(r"(Key \([^)]*\))=\(.*?\)(?= already exists| is not present|\s|$)")
FAILING_ROW = re.compile(r"Failing row contains \(.*\)")


def scrub(text: str) -> str:
    """The text with e-mail addresses and quoted database values masked."""
    text = EMAIL.sub("[email]", text)
    text = KEY_VALUES.sub(r"\1=[value]", text)
    return FAILING_ROW.sub("Failing row contains [values]", text)


class StructuredFormatter(logging.Formatter):
    def __init__(self, output: str = "json"):
        super().__init__()
        if output not in {"json", "text"}:
            raise ValueError(f"DJANGO_LOG_FORMAT must be json or text, not {output!r}.")
        self.output = output

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for name in SAFE_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                fields[name] = value
        if record.exc_info:
            fields["traceback"] = scrub(self.formatException(record.exc_info))
        elif record.stack_info:
            fields["traceback"] = scrub(self.formatStack(record.stack_info))
        if self.output == "json":
            return json.dumps(fields, default=str, ensure_ascii=False)
        traceback = fields.pop("traceback", None)
        head = f"{fields.pop('ts')} {fields.pop('level')} {fields.pop('logger')}"
        line = " ".join([head, *(f"{key}={value}" for key, value in fields.items())])
        return f"{line}\n{traceback}" if traceback else line
