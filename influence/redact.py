"""Personal data in and out: pseudonyms for sharing, contact details kept out of outputs.

Both functions work on canonical :class:`~influence.io.tables.Tables` between the io and
graph layers (``influence.load(..., redact=..., contact_details=...)`` calls them), so
every later layer and every output file only ever sees the cleaned tables.

:func:`strip_contact_details` (the default of ``influence.load`` and ``influence
analyze``) empties the ``email`` column and every phone-like column (``phone``,
``mobile``, ``tel``, ``fax``, …) and replaces e-mail addresses and phone numbers inside
free text (titles, departments, event subjects, other person attributes, data-quality
messages) with ``[email]`` and ``[phone]``.

:func:`redact` does that and replaces every name, id and account name: people become
``Person 1``/``person-1``, accounts ``Account 1`` (so their output folders are
``account-1``), events ``event-1``, numbered by sorted original (the same within one
dataset); with a key, 10 hex digits of HMAC-SHA256(key, original) instead, the same in
every run with that key. Free text (every text column, the dataset's name and every
data-quality finding) goes through one :class:`Redactor`: full names, ids and account
names are found after NFKC normalisation and case and accent folding, with any
whitespace between words, and replaced by their pseudonyms; any other word of two or
more letters of a name, an id or an account name that is not in :data:`COMMON_WORDS`
becomes ``[name]`` or ``[account]``; quoted values of id columns in findings that are
no known id become ``[id]``.

Not covered: names of people who are not in the people table (an unknown id such as
``hans.gruber`` in free text), common words that are also names when they stand alone
("Will", "Bank"), single letters (the "J." of "J. Müller"), and text in images or
binary cells. Dates, numbers, stances, buying roles and relationship types are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import unicodedata
from collections import deque
from dataclasses import replace
from itertools import islice

import numpy as np
import pandas as pd

from influence.io.quality import DataQuality
from influence.io.tables import META, Tables

#: An e-mail address: ``[\w.+'-]+@[\w-]+(?:\.[\w-]+)+``, leftmost first. Searched in
#: two linear steps (:func:`sub_emails`): the domain after each ``@``, then the local part
#: backwards from it, since a plain regex search is quadratic on long runs of letters.
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
#: The domain, its repeat possessive (``++``: the same matches, as nothing follows it):
#: a greedy repeat of a group keeps a backtracking point per repetition, gigabytes on a
#: 50 MB run of ``a.a.a.``.
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)++")
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
    """:func:`scrub` of each distinct value of ``s``, once (a column repeats its values)."""
    values = s.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)
    if not len(uniques):
        return s
    done = np.array([scrub(v) for v in uniques], dtype=object)
    out = np.where(codes >= 0, done[np.maximum(codes, 0)], values)
    return pd.Series(out, index=s.index, name=s.name, dtype=object).astype(s.dtype)


def _extra_text_columns(people: pd.DataFrame) -> list[str]:
    return [
        c
        for c in people.columns
        if c not in KEEP and c not in ("name", "email") and _is_text(people[c])
    ]


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def _quality(q: DataQuality, fix) -> DataQuality:
    out = DataQuality([replace(i, message=fix(i.message)) for i in q.issues])
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
    return _labels(ids, key, "Person ", "")


def _labels(values, key: str | bytes | None, prefix: str, salt: str) -> dict[str, str]:
    """``prefix`` and a number (by sorted value) or 10 hex digits of
    HMAC-SHA256(key, salt + value)."""
    values = sorted(set(values))
    if key is None:
        width = len(str(len(values)))
        return {v: f"{prefix}{i:0{width}d}" for i, v in enumerate(values, 1)}
    k = key.encode("utf-8") if isinstance(key, str) else key
    return {
        v: prefix + hmac.new(k, (salt + v).encode("utf-8"), hashlib.sha256).hexdigest()[:10]
        for v in values
    }


# --- finding names in free text --------------------------------------------------------

#: Replaces a single name part (a first or last name alone, "Team Ólafur").
NAME = "[name]"
#: Replaces a single part of an account name ("Crestline" of "Crestline Bank").
ACCOUNT = "[account]"
#: Replaces a quoted value of an id column in a finding that is no known id.
UNKNOWN_ID = "[id]"
#: The account of people without one (:func:`influence.io.tables.validate`): not a name.
UNASSIGNED = "Unassigned"

#: Words up to this long are also split at digits and case changes to find a name inside
#: (and their folded keys are remembered, up to :data:`_KEYS_KEPT` of them).
LONGEST_WORD = 80
_KEYS_KEPT = 1 << 17
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
#: A word: letters and digits (``_`` and punctuation separate words), with combining marks.
#: Runs of letters and of marks, repeated possessively (``++``): the same words as
#: ``(?:[^\W_]|[marks])+``, whose greedy repeat of a group kept a backtracking point per
#: letter (5 GB and 20 s for a word of 50 MB letters).
TOKEN = re.compile(rf"(?:[^\W_]++|[{_MARKS}]++)++")
#: Invisible characters that would split a name ("Jür\u200bgen"): removed from redacted text.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
#: Letters that do not decompose into a base letter and a mark.
_BASE = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th",
                       "ð": "d", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"})  # fmt: skip
#: The spelling of ids and e-mail addresses without accents: "Jürgen" as "juergen".
_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe", "æ": "ae"})
#: Words never redacted when they stand alone, even when they are part of a name or an
#: account name: function words, name particles, and the words of titles, departments,
#: relationship and event types and ids. A name made only of such words is still
#: replaced wherever it stands in full ("Will Long" is a person, "will" is a word).
_COMMON = """
a an and are as at be but by do for from go he her his if in is it its me my no not of
on or our re so the their they this to up us vs we with you your via per all any new
de da das del della den der des di do dos du el la le les lo los van von vom zu zum zur
ten ter al bin ibn ben bint st mc mac ap
team teams sales head chief officer manager director vp svp evp ceo cfo cto cio coo ciso
cmo cro president lead senior junior principal staff engineer engineering it hr ops
operations finance financial marketing legal procurement purchasing security product
products account accounts group global regional region north south east west central
bank trust inc ltd llc gmbh ag sa plc co corp company corporation holdings partners
services solutions systems technologies technology international industries
meeting meetings call calls review sync lunch dinner breakfast coffee demo kickoff qbr
workshop intro introduction follow followup update email mail note notes ask ping fw fwd
board office business user users buyer evaluator influencer champion sponsor executive
supporter skeptic blocker neutral other unknown peer peers manages advises sponsors
influences mentors coaches approves leads reports reporting member members
owner owners rep reps contact contacts person people lead leads id ext internal external
customer client vendor partner seller am ae sdr bdr csm se
"""
COMMON_WORDS = frozenset(_COMMON.split())


def _fold(word: str) -> str:
    """``word`` case-folded, without accents: the key under which words are compared."""
    if word.isascii():
        return word.lower()
    w = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in w if not unicodedata.combining(c)).translate(_BASE)


def _spellings(word: str) -> set[str]:
    """The keys of ``word`` as typed, without accents and as spelled in ids ("ue" for "ü")."""
    spelled = unicodedata.normalize("NFC", word.casefold()).translate(_SPELLED)
    return {_fold(word), _fold(spelled)}


def _words(text: str) -> list[re.Match]:
    return list(TOKEN.finditer(text))


def _clean(text: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


class Redactor:
    """Replaces names, ids and account names of one dataset in any text.

    A *phrase* (a full name, an id with two or more letters in a row, an account name) is
    matched word by word after NFKC normalisation, case folding and accent folding, with
    any whitespace between its words ("Søren  Kierkegaard", "JÜRGEN MÜLLER",
    "juergen.mueller") and replaced by its pseudonym. Then every remaining word that is a
    *part* (a word of two or more letters of a name, of an id or of an account name that
    is not in :data:`COMMON_WORDS`) is replaced by ``[name]`` or ``[account]``, also
    inside a longer word ("TeamÓlafur", "Ólafur2").
    """

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._parts: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._seen: dict[str, tuple] = {}  # word -> (key, starts a phrase, part)

    def _key(self, word: str) -> str:
        k = self._keys.get(word)
        if k is None:
            k = _fold(word)
            if len(word) <= LONGEST_WORD and len(self._keys) < _KEYS_KEPT:
                self._keys[word] = k
        return k

    def phrase(self, text: str, replacement: str) -> None:
        """Replace ``text`` (its words, the same punctuation between them) by ``replacement``."""
        text = _clean(text)
        words = _words(text)
        if not words:
            return
        keys = tuple(self._key(w.group()) for w in words)
        seps = tuple(text[a.end() : b.start()].strip() for a, b in zip(words, words[1:]))
        known = self._phrases.setdefault(keys, {})
        if known.get(seps, replacement) != replacement:
            replacement = NAME  # two people with one name: neither pseudonym is right
        known[seps] = replacement
        lengths = self._lengths.setdefault(keys[0], [])
        if len(keys) not in lengths:
            lengths.append(len(keys))
            lengths.sort(reverse=True)

    def parts(self, text: str, replacement: str) -> None:
        """Replace every word of ``text`` with two or more letters alone by ``replacement``."""
        for w in _words(_clean(text)):
            word = w.group()
            if any(c.isdigit() for c in word) or sum(c.isalpha() for c in word) < 2:
                continue
            for k in _spellings(word):
                if k not in COMMON_WORDS:
                    self._parts.setdefault(k, replacement)

    def is_part(self, text: str) -> bool:
        """Whether ``text`` is one word that :meth:`parts` replaces."""
        words = _words(_clean(text))
        return len(words) == 1 and self._key(words[0].group()) in self._parts

    def _part(self, word: str, key: str) -> str | None:
        hit = self._parts.get(key)
        if hit is not None or word.islower() or word.isupper() and word.isalpha():
            return hit
        if len(word) > LONGEST_WORD:
            return None
        # A name inside a longer word: split at digits and at lower-to-upper changes.
        piece, pieces = "", []
        for c in word:
            if piece and (
                c.isdigit() != piece[-1].isdigit() or c.isupper() and piece[-1].islower()
            ):
                pieces.append(piece)
                piece = ""
            piece += c
        pieces.append(piece)
        for p in pieces:
            if len(pieces) > 1 and self._parts.get(self._key(p)) is not None:
                return self._parts[self._key(p)]
        return None

    def _phrase(self, text: str, first: re.Match, key: str, ahead: deque, words) -> tuple:
        """The longest phrase starting at word ``first`` (its key ``key``), as ``(the words
        after the first that it covers, its replacement)``, or ``(0, None)``. ``ahead``
        holds the words read after ``first``; more are read from ``words`` as needed."""
        for length in self._lengths.get(key, ()):
            while len(ahead) < length - 1 and (more := next(words, None)) is not None:
                ahead.append(more)
            if len(ahead) < length - 1:
                continue
            span = [first, *islice(ahead, length - 1)]
            hit = self._phrases.get((key, *(self._key(x.group()) for x in span[1:])))
            if hit is None:
                continue
            seps = tuple(text[a.end() : b.start()].strip() for a, b in zip(span, span[1:]))
            if seps in hit:
                return length - 1, hit[seps]
        return 0, None

    def __call__(self, text: object) -> object:
        """``text`` with every phrase and part replaced (other values unchanged).

        Words are read as they come, looking ahead no further than the longest phrase,
        and the result is written to a buffer, so memory stays proportional to the text
        however many words it holds (a list of the 17 million words of a 50 MB field took
        2 GB)."""
        if not isinstance(text, str) or not text:
            return text
        text = _clean(text)
        words = TOKEN.finditer(text)
        ahead: deque[re.Match] = deque()
        out, pos = io.StringIO(), 0
        seen, kept = self._seen, len(self._seen) < _KEYS_KEPT
        while True:
            w = ahead.popleft() if ahead else next(words, None)
            if w is None:
                break
            word = w.group()
            known = seen.get(word)
            if known is None:  # the word's key, whether a phrase starts with it, its part
                key = self._key(word)
                known = (key, key in self._lengths, self._part(word, key))
                if kept and len(word) <= LONGEST_WORD:
                    seen[word] = known
            if known[1]:
                more, new = self._phrase(text, w, known[0], ahead, words)
                if new is not None:
                    out.write(text[pos : w.start()])
                    out.write(new)
                    for _ in range(more):
                        w = ahead.popleft()
                    pos = w.end()
                    continue
            if known[2] is not None:
                out.write(text[pos : w.start()])
                out.write(known[2])
                pos = w.end()
        if pos == 0:
            return text
        out.write(text[pos:])
        return out.getvalue()

    def column(self, s: pd.Series) -> pd.Series:
        """:meth:`__call__` on every text value of ``s`` (once per distinct value)."""
        values = pd.unique(s.to_numpy(dtype=object))
        done = {v: self(v) for v in values if isinstance(v, str)}
        return s.map(lambda v: done.get(v, v) if isinstance(v, str) else v)


def _has_letters(text: str) -> bool:
    return re.search(r"[^\W\d_]{2}", text) is not None


# --- the tables ------------------------------------------------------------------------

#: Columns that hold ids, accounts, dates, numbers or categories: mapped, never scrubbed.
STRUCTURE = {
    "people": set(KEEP) | {"name", "email"},
    "relationships": {"source", "target", "strength", "directed", "start", "end", *META},
    "events": {"id", "date", "account", "duration", *META},
    "participants": {"event_id", "person_id", *META},
}
#: A finding's column that holds ids: its quoted values are pseudonymised or ``[id]``.
ID_COLUMN = re.compile(r"(id|^reports_to|^source|^target|^owner)$", re.IGNORECASE)
#: A quoted value in a finding (Python's repr of a string). The repeats are possessive
#: (``*+``, the same matches: a character or an escape is never given back to the closing
#: quote), so a quoted cell of 50 MB is scanned in bounded memory.
QUOTED = re.compile(r"""'(?:[^'\\\n]|\\.)*+'|"(?:[^"\\\n]|\\.)*+\"""")


def _text_columns(df: pd.DataFrame, table: str) -> list[str]:
    return [c for c in df.columns if c not in STRUCTURE[table] and _is_text(df[c])]


def _mapper(mapping: dict[str, str]):
    def swap(s: pd.Series) -> pd.Series:
        new = s.map(mapping)  # a hash join; values that are not keys become NaN
        return new.where(new.notna(), s).astype(object)

    return swap


def redact(tables: Tables, key: str | bytes | None = None) -> Tables:
    """``tables`` with every name, id and account name replaced and contact details removed.

    People get ``Person N``/``person-N`` (name/id), accounts ``Account N``, events
    ``event-N``: numbered by sorted original, or, with ``key``, 10 hex digits of
    HMAC-SHA256(key, original) (the same in every run with that key). Ids are replaced
    in every column that refers to them. Free text (titles, departments, subjects, types,
    roles, other columns, the dataset's name and every data-quality finding) goes through
    one :class:`Redactor` built from every name, id and account name of the dataset.

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> t = validate(pd.DataFrame({"id": ["ana.ruiz"], "name": ["Ana Ruiz"],
    ...                            "title": ["ANA's deputy"], "account": ["Acme"],
    ...                            "_file": "people.csv", "_row": [2]}))
    >>> r = redact(t)
    >>> r.people.loc[0, ["id", "name", "title", "account"]].tolist()
    ['person-1', 'Person 1', "[name]'s deputy", 'Account 1']
    """
    t = strip_contact_details(tables)
    people = t.people.copy()
    rel, ev, part = t.relationships.copy(), t.events.copy(), t.participants.copy()
    ids = people["id"].astype(str).tolist()
    names = pseudonyms(ids, key)
    new_id = {pid: "person-" + names[pid].split(" ", 1)[1] for pid in ids}
    named = pd.concat([people["account"], ev["account"]]) if "account" in ev else people["account"]
    accounts = sorted({str(a) for a in named.dropna()} - {"", UNASSIGNED})
    new_account = _labels(accounts, key, "Account ", "account\0")
    event_ids = ev["id"].astype(str).tolist() if "id" in ev else []
    new_event = _labels(event_ids, key, "event-", "event\0")

    r = Redactor()
    for pid, n in zip(ids, people["name"]):
        if isinstance(n, str) and n.strip():
            r.phrase(n, names[pid])
    for a, v in new_account.items():
        r.phrase(a, v)
    for n in people["name"]:
        if isinstance(n, str):
            r.parts(n, NAME)
    for pid in ids:
        r.parts(pid, NAME)
    for a in accounts:
        r.parts(a, ACCOUNT)
    # Person ids in free text ("ping juergen.mueller"); event ids are replaced where they
    # are quoted in findings, and their name parts like any other.
    for old, new in new_id.items():
        if _has_letters(old) and not r.is_part(old):
            r.phrase(old, new)

    people["name"] = people["id"].map(names)
    swap, to_account, to_event = _mapper(new_id), _mapper(new_account), _mapper(new_event)
    people["id"], people["reports_to"] = swap(people["id"]), swap(people["reports_to"])
    people["account"] = to_account(people["account"])
    rel["source"], rel["target"] = swap(rel["source"]), swap(rel["target"])
    part["person_id"], part["event_id"] = swap(part["person_id"]), to_event(part["event_id"])
    if "id" in ev:
        ev["id"] = to_event(ev["id"])
    if "account" in ev:
        ev["account"] = to_account(ev["account"])
    for df, table in ((people, "people"), (rel, "relationships"), (ev, "events"),
                      (part, "participants")):  # fmt: skip
        for c in _text_columns(df, table):
            df[c] = r.column(df[c])
    known = {**new_id, **new_event, **new_account}
    return replace(
        t,
        people=people,
        relationships=rel,
        events=ev,
        participants=part,
        quality=_redacted_quality(t.quality, r, known),
        name=str(r(t.name)),
    )


def _redacted_quality(q: DataQuality, r: Redactor, known: dict[str, str]) -> DataQuality:
    """Findings with every quoted value and the text around it redacted."""

    def message(text: str, column: str | None) -> str:
        ids = column is not None and ID_COLUMN.search(str(column)) is not None
        out, pos = [], 0
        for m in QUOTED.finditer(text):
            out.append(r(text[pos : m.start()]))
            quote, value = m.group()[0], m.group()[1:-1]
            value = known.get(value, UNKNOWN_ID) if ids else r(value)
            out.append(quote + value + quote)
            pos = m.end()
        out.append(r(text[pos:]))
        return scrub("".join(out))

    fix = lambda v: None if v is None else str(r(v))  # noqa: E731
    out = DataQuality(
        [
            replace(i, file=fix(i.file), column=fix(i.column), message=message(i.message, i.column))
            for i in q.issues
        ]
    )
    for k, v in q.rows_read.items():
        out.rows_read[fix(k)] += v
    for k, v in q.rows_skipped.items():
        out.rows_skipped[fix(k)] += v
    return out
