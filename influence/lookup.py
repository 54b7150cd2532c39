"""Find a person or an account from what a user typed: an id or a unique name.

Names are compared folded (:func:`fold`): Unicode-normalised (NFKD), accents and case
dropped, spaces collapsed, so ``"cagla ozturk"`` finds Çağla Öztürk. An exact id or name
always wins. When several match, :class:`NotFound` lists the candidates with their ids;
when none does, it suggests close ones (:func:`difflib.get_close_matches` on the folded
names, and names that hold the typed text as a word).

>>> resolve("cagla OZTURK", {"cb-022": "Çağla Öztürk", "cb-023": "Can Öz"})
'cb-022'
>>> resolve("Can Oz", {"cb-022": "Çağla Öztürk", "cb-023": "Can Öz"})
'cb-023'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

__all__ = ["NotFound", "fold", "resolve"]

#: Letters NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "æ": "ae",
     "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "þ": "th", "Þ": "th"}
)  # fmt: skip

#: Most candidates or suggestions named in one message.
SHOWN = 8


class NotFound(KeyError):
    """No unique match for what was typed. ``candidates`` are the ids that matched
    (several: ambiguous) or the close ones suggested (none matched); ``str()`` is the
    message itself."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates

    def __str__(self) -> str:
        return str(self.args[0])


def fold(text: object) -> str:
    """``text`` as compared: NFKD without combining marks, a few letters without a
    decomposition spelled out (ł → l, ø → o, ß → ss, …), case-folded, spaces collapsed.

    >>> fold("  Élodie  GIRARD"), fold("Łukasz Wróbel"), fold("Åsa Sæther")
    ('elodie girard', 'lukasz wrobel', 'asa saether')
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.casefold().translate(_LETTERS)).strip()


def resolve(
    typed: str,
    names: Mapping[str, str],
    *,
    what: str = "person",
    where: str = "",
    details: Mapping[str, str] | None = None,
) -> str:
    """The id in ``names`` (id -> name) that ``typed`` means: the id itself, else the one
    id with exactly that name, else the one whose name (or id) folds (:func:`fold`) to
    the same text.

    ``what`` and ``where`` word the error (``"no person 'x' in account 'Acme'"``);
    ``details`` (id -> text, e.g. title and account) tell candidates apart in it.

    Raises
    ------
    NotFound
        Several match (the message lists each as ``name (id, details)``), or none
        (the message suggests close names, if any).
    """
    if typed in names:
        return typed
    details = details or {}
    nfc = unicodedata.normalize("NFC", typed).strip()
    exact = [i for i, n in names.items() if unicodedata.normalize("NFC", n) == nfc]
    if len(exact) == 1:
        return exact[0]
    key = fold(typed)
    hits = [i for i, n in names.items() if fold(n) == key or fold(i) == key]
    if len(hits) == 1:
        return hits[0]
    where = f" {where}" if where else ""

    def show(ids: list[str]) -> str:
        parts = []
        for i in ids[:SHOWN]:
            extra = ", ".join(x for x in (str(i), details.get(i, "")) if x)
            parts.append(f"{names[i]} ({extra})" if names[i] != i else extra)
        more = len(ids) - SHOWN
        return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")

    if hits:
        hits = sorted(hits)
        raise NotFound(
            f"{len(hits)} {what}s match {typed!r}{where}: {show(hits)}; give the id", hits
        )
    close = _close(key, names)
    hint = f"; did you mean: {show(close)}?" if close else ""
    raise NotFound(f"no {what} {typed!r}{where}{hint}", close)


def _close(key: str, names: Mapping[str, str]) -> list[str]:
    """Ids whose folded name holds ``key`` as a whole word (or words), then the closest
    by :func:`difflib.get_close_matches`."""
    folded: dict[str, list[str]] = {}
    for i, n in names.items():
        folded.setdefault(fold(n), []).append(i)
    words = re.compile(rf"(^|\W){re.escape(key)}($|\W)") if key else None
    out = [i for f, ids in folded.items() if words and words.search(f) for i in sorted(ids)]
    for f in difflib.get_close_matches(key, list(folded), n=SHOWN, cutoff=0.6):
        out += [i for i in sorted(folded[f]) if i not in out]
    return out
