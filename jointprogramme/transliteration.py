"""Serbian Latin ⇄ Cyrillic transliteration, deterministic and pure.

Serbian is written in both scripts with a one-to-one letter correspondence (three
Cyrillic letters are Latin digraphs: љ lj, њ nj, џ dž). The interface catalogue is
written in Latin (locale/sr_Latn) and the Cyrillic one generated from it; Serbian
content is stored once and shown in the script of the interface. What is not Serbian
text is left alone: translation placeholders (``%(name)s``, ``%s``, ``{0}``), HTML
tags and entities, addresses, and foreign words and acronyms (UNODC, IATI, words with
q, w, x or y).
"""

from __future__ import annotations

import re

_LATIN_DIGRAPHS = {
    "DŽ": "Џ", "Dž": "Џ", "dž": "џ",
    "LJ": "Љ", "Lj": "Љ", "lj": "љ",
    "NJ": "Њ", "Nj": "Њ", "nj": "њ",
}  # fmt: skip
_LATIN_LETTERS = dict(
    zip(
        "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽabcčćdđefghijklmnoprsštuvzž",
        "АБЦЧЋДЂЕФГХИЈКЛМНОПРСШТУВЗЖабцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_CYRILLIC_LETTERS = {c: latin for latin, c in _LATIN_LETTERS.items()}
_CYRILLIC_LETTERS.update({"Љ": "Lj", "љ": "lj", "Њ": "Nj", "њ": "nj", "Џ": "Dž", "џ": "dž"})

# Words where the two letters of a digraph belong to different syllables
# (nad-živeti, kon-jugacija): written letter by letter in Cyrillic.
_SPLIT_DIGRAPHS = ("nadž", "podž", "konjug", "konjunk", "injek", "vanjez")

# Acronyms and names that stay in Latin letters in Cyrillic Serbian texts.
KEEP_LATIN = frozenset(
    {"UNODC", "UNHCR", "IOM", "GIFT", "IATI", "CSV", "XLSX", "API", "PDF", "ID", "OSCE",
     "OEBS", "URL", "HTML", "JSON", "XML", "SQL", "EN", "ICMPD", "ASTRA", "UNDP", "OK"}
)  # fmt: skip

# What is never transliterated: placeholders, tags, entities, addresses, words with
# letters Serbian does not have, and the acronyms above.
_PROTECTED = re.compile(
    r"%\([^)]*\)[-#0+]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%[-#0+]*\d*(?:\.\d+)?[sdifr%](?![^\W\d_])"  # %s, %d, %% (not "% funded")
    r"|\{[^{}\s]*\}"  # {0}, {name}
    r"|<[^>]*>"  # HTML tags
    r"|&[#\w]+;"  # entities
    r"|\bUN\.GIFT\b"  # the initiative's name
    r"|\b(?:https?://|www\.)\S+"  # addresses
    r"|[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
    r"|\b\w*[QWXYqwxy]\w*\b"  # foreign words
    r"|\b[A-Z][A-Z0-9]+\b"  # capitals: kept when in KEEP_LATIN (checked below)
)


def _latin_word_to_cyrillic(text: str) -> str:
    lower = text.lower()
    split_at = set()
    for word in _SPLIT_DIGRAPHS:
        offset = next(word.find(d) for d in ("dž", "nj", "lj") if d in word)
        split_at.update(m.start() + offset for m in re.finditer(word, lower))
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _LATIN_DIGRAPHS and i not in split_at:
            out.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LATIN_LETTERS.get(text[i], text[i]))
        i += 1
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic, leaving placeholders, markup and foreign words alone."""
    if not text:
        return text
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        piece = match.group(0)
        if piece.isupper() and piece.isalnum() and piece not in KEEP_LATIN:
            continue  # a Serbian acronym (NAP, MUP): transliterated with the text
        out.append(_latin_word_to_cyrillic(text[position : match.start()]))
        out.append(piece)
        position = match.end()
    out.append(_latin_word_to_cyrillic(text[position:]))
    return "".join(out)


def to_latin(text: str) -> str:
    """Serbian Cyrillic → Latin (always unambiguous); Latin text comes back unchanged."""
    if not text:
        return text
    out = []
    for i, char in enumerate(text):
        latin = _CYRILLIC_LETTERS.get(char)
        if latin is None:
            out.append(char)
        elif len(latin) == 2 and char.isupper():
            # Љ before a capital (an all-caps word) is LJ, otherwise Lj.
            following = text[i + 1 : i + 2]
            out.append(latin.upper() if following.isupper() else latin)
        else:
            out.append(latin)
    return "".join(out)


def is_cyrillic_language(language_code: str | None) -> bool:
    """The interface language written in Cyrillic: Serbian without a script suffix."""
    return (language_code or "").lower() in {"sr", "sr-cyrl"}


def to_script(text: str, language_code: str | None) -> str:
    """Serbian text in the script of the given interface language."""
    return to_cyrillic(text) if is_cyrillic_language(language_code) else to_latin(text)


def content_language(language_code: str | None) -> str:
    """The content column for an interface language: Serbian in either script → sr."""
    return "sr" if (language_code or "").lower().startswith("sr") else "en"


def localized(obj, field: str, language_code: str | None = None) -> tuple[str, str | None]:
    """``obj.<field>`` in the active language: (text, None), or when that language is
    missing the other one: (text, "en" or "sr"). Serbian comes in the interface's
    script. Reads the columns already loaded, so it never queries."""
    from django.utils.translation import get_language

    language_code = language_code or get_language()
    wanted = content_language(language_code)
    other = "en" if wanted == "sr" else "sr"
    values = {code: getattr(obj, f"{field}_{code}", None) for code in (wanted, other)}
    if values[wanted] is None and values[other] is None:
        # Not a translated field (or a row without both languages): as it is.
        return getattr(obj, field, "") or "", None
    for code in (wanted, other):
        text = values[code]
        if text and text.strip():
            if code == "sr":
                text = to_script(text, language_code)
            return text, (None if code == wanted else code)
    return "", None
