"""Personal data in and out: pseudonyms for sharing, contact details kept out of outputs.

Both functions work on canonical :class:`~influence.io.tables.Tables` between the io and
graph layers (``influence.load(..., redact=..., contact_details=...)`` calls them), so
every later layer and every output file only ever sees the cleaned tables.

:func:`strip_contact_details` (the default of ``influence.load`` and ``influence
analyze``) empties the ``email`` column and every phone-like column (``phone``,
``mobile``, ``tel``, ``fax``, …) and replaces e-mail addresses and phone numbers inside
free text (titles, departments, event subjects, other person attributes, data-quality
messages) with ``[email]`` and ``[phone]``.

:func:`redact` does that and replaces every person's name with a pseudonym: without a
key ``Person 0001``, ``Person 0002``, … numbered by sorted id (the same within one
dataset and run); with a key, ``Person 3f9a1c0b`` from HMAC-SHA256(key, id), the same
for the same person in every run with that key. Names quoted in free text and ids that
are e-mail addresses are replaced too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import replace

import pandas as pd

from influence.io.quality import DataQuality, Issue
from influence.io.tables import META, Tables

#: An e-mail address: ``[\w.+'-]+@[\w-]+(?:\.[\w-]+)+``, leftmost first. Searched in
#: two linear steps (:func:`sub_emails`): the domain after each ``@``, then the local part
#: backwards from it, since a plain regex search is quadratic on long runs of letters.
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_LOCAL = re.compile(r"[\w.+'-]+")
#: A phone number: an optional +, then at least 7 digits among spaces, dots, dashes and
#: brackets (so dates like 2025-03-04 and small numbers are left alone), at most 62
#: characters after the prefix (the bound keeps the search linear on long runs of digits).
PHONE = re.compile(r"(?<![\w.-])(?:\+|00)?\(?\d[\d\s().-]{5,60}\d(?![\w-])")
PHONE_COLUMN = re.compile(r"(phone|mobile|cell|tel|fax)", re.IGNORECASE)
#: Free-text columns scrubbed of e-mail addresses and phone numbers.
TEXT_COLUMNS = {"people": ["title", "department"], "events": ["subject"]}
KEEP = {"id", "account", "reports_to", "level", "buying_role", "stance", "stance_score",
        "internal", *META}  # fmt: skip


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group())
    date_or_span = re.fullmatch(r"\d{4}\s*[-/.]\s*\d{2,4}(?:[-/.]\d{2})?", match.group().strip())
    return "[phone]" if digits >= 7 and not date_or_span else match.group()


def sub_emails(text: str, repl: str = "[email]") -> str:
    """``EMAIL.sub(repl, text)`` in linear time: each domain after an ``@``, then its local
    part backwards up to the previous ``@`` or match (a local part never contains ``@``).

    >>> sub_emails("mail ana.ruiz@x.example, or b@y.example.")
    'mail [email], or [email].'
    """
    out, last = [], 0
    for domain in _DOMAIN.finditer(text):
        at = domain.start()
        lo = max(last, text.rfind("@", last, at) + 1)
        local = _LOCAL.match(text[lo:at][::-1]) if at > lo else None
        if local:
            out += [text[last : at - local.end()], repl]
            last = domain.end()
    return "".join(out) + text[last:] if out else text


def has_email(text: str) -> bool:
    """Whether ``text`` contains an e-mail address (linear, as :func:`sub_emails`)."""
    return sub_emails(text, "") != text


def scrub(text: object) -> object:
    """Text with e-mail addresses and phone numbers replaced by ``[email]``/``[phone]``.

    >>> scrub("Call +44 20 7946 0958 or mail ana@x.example by 2025-03-04")
    'Call [phone] or mail [email] by 2025-03-04'
    """
    if not isinstance(text, str) or not text:
        return text
    return PHONE.sub(_phone, sub_emails(text))


def _scrub_column(s: pd.Series) -> pd.Series:
    values = pd.unique(s.to_numpy(dtype=object))
    done = {v: scrub(v) for v in values if isinstance(v, str)}
    return s.map(lambda v: done.get(v, v) if isinstance(v, str) else v)


def _extra_text_columns(people: pd.DataFrame) -> list[str]:
    return [
        c
        for c in people.columns
        if c not in KEEP and c not in ("name", "email") and people[c].dtype == object
    ]


def _quality(q: DataQuality, fix) -> DataQuality:
    out = DataQuality(
        [Issue(i.file, i.row, i.column, i.code, fix(i.message), i.skipped) for i in q.issues]
    )
    out.rows_read.update(q.rows_read)
    out.rows_skipped.update(q.rows_skipped)
    return out


def strip_contact_details(tables: Tables) -> Tables:
    """``tables`` without e-mail addresses and phone numbers (see the module docstring)."""
    people = tables.people.copy()
    if "email" in people:
        people["email"] = ""
    for c in people.columns:
        if c not in KEEP and PHONE_COLUMN.search(str(c)):
            people[c] = ""
    for c in TEXT_COLUMNS["people"] + _extra_text_columns(people):
        if c in people:
            people[c] = _scrub_column(people[c])
    events = tables.events.copy()
    if "subject" in events:
        events["subject"] = _scrub_column(events["subject"])
    return replace(tables, people=people, events=events, quality=_quality(tables.quality, scrub))


def pseudonyms(ids: list[str], key: str | bytes | None = None) -> dict[str, str]:
    """Id → pseudonym: numbered by sorted id, or keyed HMAC-SHA256 (see the module docstring).

    >>> pseudonyms(["b", "a"])
    {'a': 'Person 1', 'b': 'Person 2'}
    >>> pseudonyms(["a"], key="k") == pseudonyms(["a", "z"], key="k")
    False
    """
    ids = sorted(set(ids))
    if key is None:
        width = len(str(len(ids)))
        return {pid: f"Person {i:0{width}d}" for i, pid in enumerate(ids, 1)}
    k = key.encode("utf-8") if isinstance(key, str) else key
    return {
        pid: "Person " + hmac.new(k, pid.encode("utf-8"), hashlib.sha256).hexdigest()[:10]
        for pid in ids
    }


def redact(tables: Tables, key: str | bytes | None = None) -> Tables:
    """``tables`` with names replaced by pseudonyms and contact details removed.

    ``key``: ``None`` numbers people by sorted id (consistent within one run); a key
    gives keyed HMAC-SHA256 pseudonyms, the same person the same pseudonym in every run.
    """
    t = strip_contact_details(tables)
    people = t.people.copy()
    ids = people["id"].astype(str).tolist()
    names = pseudonyms(ids, key)
    # Ids that are e-mail addresses become pseudonymous ids, everywhere they are used.
    new_id = {pid: "person-" + names[pid].split(" ", 1)[1] for pid in ids if has_email(pid)}
    originals = {
        str(n): names[pid]
        for pid, n in zip(ids, people["name"])
        if isinstance(n, str) and len(n.strip()) >= 3
    }
    people["name"] = people["id"].map(names)
    rel, ev, part = t.relationships.copy(), t.events.copy(), t.participants.copy()
    if new_id:
        swap = lambda s: s.map(lambda v: new_id.get(v, v))  # noqa: E731
        people["id"], people["reports_to"] = swap(people["id"]), swap(people["reports_to"])
        rel["source"], rel["target"] = swap(rel["source"]), swap(rel["target"])
        part["person_id"] = swap(part["person_id"])
    # Names quoted in free text (an event called "1:1 with Ana Ruiz"), longest first.
    pattern = None
    if originals:
        alts = sorted(originals, key=lambda n: (-len(n), n))
        pattern = re.compile("|".join(re.escape(n) for n in alts))

    def fix(text: object) -> object:
        if not isinstance(text, str) or pattern is None:
            return text
        text = pattern.sub(lambda m: originals[m.group()], text)
        for old, new in new_id.items():
            text = text.replace(old, new)
        return text

    for c in TEXT_COLUMNS["people"] + _extra_text_columns(people):
        if c in people:
            people[c] = people[c].map(fix)
    if "subject" in ev:
        ev["subject"] = ev["subject"].map(fix)
    quality = _quality(t.quality, lambda m: scrub(fix(m)))
    return replace(
        t, people=people, relationships=rel, events=ev, participants=part, quality=quality
    )
