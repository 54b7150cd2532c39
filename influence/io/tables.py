"""Canonical tables: the one shape every loader produces and every later layer reads.

A :class:`Tables` holds four pandas DataFrames:

``people``
    ``id, name, title, department, account, reports_to, email, level, buying_role,
    stance, stance_score, internal`` plus any extra columns of the source.
``relationships``
    ``source, target, type, strength, directed, start, end``. A directed relationship
    ``source -> target`` means *source influences target*.
``events``
    ``id, date, type, subject, account, duration``.
``participants``
    ``event_id, person_id, role``.

Loaders build raw frames with the canonical column names (plus ``_file`` and ``_row``
columns that say where each row came from) and hand them to :func:`validate`, which
applies every check once, for every source format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from influence.defaults import FALSE_WORDS, TRUE_WORDS
from influence.io.quality import DataQuality, InputError

PEOPLE_COLUMNS = [
    "id",
    "name",
    "title",
    "department",
    "account",
    "reports_to",
    "email",
    "level",
    "buying_role",
    "stance",
    "stance_score",
    "internal",
]
RELATIONSHIP_COLUMNS = ["source", "target", "type", "strength", "directed", "start", "end"]
EVENT_COLUMNS = ["id", "date", "type", "subject", "account", "duration"]
PARTICIPANT_COLUMNS = ["event_id", "person_id", "role"]

REQUIRED = {
    "people": ["id", "name"],
    "relationships": ["source", "target", "type"],
    "events": ["id", "date", "type"],
    "participants": ["event_id", "person_id"],
}

BUYING_ROLES = [
    "Decision Maker",
    "Economic Buyer",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Champion",
    "Business User",
    "Executive Sponsor",
    "Other",
]
STANCES = {"champion": 2, "supporter": 1, "neutral": 0, "skeptic": -1, "blocker": -2}
STANCE_LABELS = {v: k for k, v in STANCES.items()}

#: Relationship types that are directed (source influences target) unless the
#: ``directed`` column says otherwise. Every other type counts both ways.
DIRECTED_TYPES = frozenset(
    {"advises", "manages", "sponsors", "influences", "mentors", "coaches", "approves", "leads"}
)
#: Types written from the influenced side; they are flipped so that source influences target.
INVERSE_TYPES = {"reports_to": "manages", "advised_by": "advises", "sponsored_by": "sponsors"}

META = ["_file", "_row"]
#: The type pandas gives a column of Python strings (Arrow text in pandas 3).
TEXT_DTYPE = pd.Series(["text"]).dtype


def set_provenance(out: pd.DataFrame, df: pd.DataFrame, rows: np.ndarray | None = None) -> None:
    """Give ``out`` the provenance columns (:data:`META`) of ``df`` row for row, by
    position (or of ``df``'s rows at positions ``rows``): what
    ``out[META] = df[META].to_numpy()`` gives, the same columns of the same types, without
    turning a text column already of the type pandas gives text (``_file``, Arrow) into
    one Python string per row, which pandas turned back into that type: on a large
    export, hundreds of MB at the peak of loading.

    >>> raw = pd.DataFrame({"_file": ["a.csv", "b.csv"], "_row": [2, 3]})
    >>> out = pd.DataFrame({"id": ["x"]})
    >>> set_provenance(out, raw, np.array([1]))
    >>> out.values.tolist(), out["_row"].dtype
    ([['x', 'b.csv', 3]], dtype('O'))
    """
    for c in META:
        col = df[c]
        values = col.array if col.dtype == TEXT_DTYPE else col.to_numpy(dtype=object)
        out[c] = values if rows is None else values[rows]


@dataclass
class Tables:
    """The canonical tables of one dataset, plus the data-quality log of loading it."""

    people: pd.DataFrame
    relationships: pd.DataFrame
    events: pd.DataFrame
    participants: pd.DataFrame
    quality: DataQuality = field(default_factory=DataQuality)
    name: str = "dataset"


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty raw frame with the given columns (all text) and the provenance columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns + META})


def _key(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _where(df: pd.DataFrame, i: int) -> tuple[str, int | None]:
    row = df["_row"].iat[i]
    return str(df["_file"].iat[i]), (int(row) if pd.notna(row) else None)


def _drop(
    df: pd.DataFrame, bad: pd.Series, q: DataQuality, code: str, col: str, msg
) -> pd.DataFrame:
    """Drop the rows flagged in ``bad``, logging each one as skipped."""
    flagged = np.asarray(bad, dtype=bool).nonzero()[0]
    for i in flagged:
        file, row = _where(df, i)
        q.warn(file, code, msg(df.iloc[i]), row, col, skipped=True)
    if not len(flagged):  # nothing to drop: no copy of the rows
        return df.reset_index(drop=True)
    return df[~np.asarray(bad, dtype=bool)].reset_index(drop=True)


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """A column as stripped Python strings (object dtype: fast ``isin`` on large id sets)."""
    if col not in df:
        return pd.Series(np.full(len(df), "", dtype=object), index=df.index)
    return _text_of(df[col])


def _text_of(column: pd.Series) -> pd.Series:
    """:func:`_text` of a column."""
    codes, texts = _text_codes(column.to_numpy(dtype=object))
    return pd.Series(texts[codes], index=column.index, dtype=object, name=column.name)


def _text_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_text_of` of an object array as ``(codes, texts)``: row ``i`` holds
    ``texts[codes[i]]``, and equal texts have equal codes (the column is hashed once)."""
    codes, uniques = pd.factorize(values)
    texts = [u if type(u) is str and u == u.strip() else str(u).strip() for u in uniques]
    changed = any(t is not u for t, u in zip(texts, uniques))
    if (codes < 0).any():  # missing values: empty text, the last one (code -1)
        texts.append("")
        changed = True
    texts = np.asarray(texts, dtype=object)
    if changed:  # texts may repeat now: one code per distinct text
        recode, texts = pd.factorize(texts)
        codes = recode[codes]
    return codes, np.asarray(texts, dtype=object)


def _ids(values) -> np.ndarray:
    """Ids (a set, or an array) as an object array, for ``Series.isin`` without pandas'
    slow paths."""
    if isinstance(values, np.ndarray):
        return values.astype(object, copy=False)
    return np.asarray(list(values), dtype=object)


def _isin(s: pd.Series, values) -> pd.Series:
    """``s.isin(values)`` for text: by Arrow's hash table when both are all text (several
    times faster on millions of ids), else by pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = _ids(values)
    try:
        found = pc.is_in(
            pa.array(s.to_numpy(dtype=object), type=pa.string()),
            value_set=pa.array(ids, type=pa.string()),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return s.isin(ids)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=s.index, dtype=bool)


def _convert(df: pd.DataFrame, col: str, fn, code: str, q: DataQuality) -> list:
    """Apply ``fn(text) -> (value, problem)`` once per distinct value of a column.

    Rows whose value has a problem are logged with file, row and column.
    """
    codes, texts = _text_codes(_column(df, col))
    done = [fn(v) for v in texts]
    problem = np.array([p is not None for _, p in done], dtype=bool)
    for i in np.flatnonzero(problem[codes]) if len(codes) else []:
        file, row = _where(df, i)
        q.warn(file, code, done[codes[i]][1], row, col)
    values = np.empty(len(done), dtype=object)
    values[:] = [v for v, _ in done]
    return values[codes].tolist()


def _dates(df: pd.DataFrame, col: str, q: DataQuality, required: bool) -> pd.Series:
    """Parse a date column (ISO dates or datetimes); unparseable values are logged.

    Each distinct text is parsed once (``format="mixed"`` parses every value on its own).
    """
    code, text = _text_codes(_column(df, col))
    distinct = pd.Series(text, dtype=object)
    parsed = pd.to_datetime(distinct.where(text != "", None), errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    name = col if col in df else None
    raw = pd.Series(text[code], index=df.index, dtype=object, name=name)
    parsed = pd.Series(parsed.to_numpy()[code], index=df.index, name=name)
    bad = parsed.isna() & (raw != "")
    for i in bad.to_numpy().nonzero()[0]:
        file, row = _where(df, i)
        what = "the row is skipped" if required else "the value is ignored"
        q.warn(
            file,
            "bad_date",
            f"cannot parse date {raw.iat[i]!r}; {what}",
            row,
            col,
            skipped=required,
        )
    return parsed.astype("datetime64[ns]")


def check_columns(df: pd.DataFrame, table: str, file: str) -> None:
    """Raise :class:`InputError` if a required column is missing from a raw table."""
    missing = [c for c in REQUIRED[table] if c not in df.columns]
    if missing:
        have = ", ".join(c for c in df.columns if c not in META) or "none"
        raise InputError(
            file,
            f"missing required column '{missing[0]}' (columns found: {have})",
            row=1,
            column=missing[0],
        )


def _flag(value: str) -> tuple[bool, str | None]:
    v = value.lower()
    if v in TRUE_WORDS:
        return True, None
    return False, (None if v in FALSE_WORDS else f"{value!r} is not true/false; read as false")


def _stance(value: str) -> tuple[float, str | None]:
    v = value.lower()
    if not v:
        return float("nan"), None
    if v in STANCES:
        return float(STANCES[v]), None
    try:
        score = float(v)
    except ValueError:
        score = float("nan")
    if -2 <= score <= 2:
        return score, None
    return float("nan"), f"unknown stance {value!r}; left unknown"


def _buying_role(value: str) -> tuple[str, str | None]:
    if not value:
        return "", None
    for role in BUYING_ROLES:
        if _key(role) == _key(value):
            return role, None
    return "Other", f"unknown buying role {value!r}; kept as 'Other'"


def _with_ids(raw: pd.DataFrame, q: DataQuality, empty: str, what: str) -> pd.DataFrame:
    """The rows with an id, the first of each id (the others logged as skipped)."""
    df = raw.reset_index(drop=True)
    df["id"] = _text(df, "id")
    gone = f"empty {empty}; the row is skipped"
    df = _drop(df, df["id"] == "", q, "missing_id", "id", lambda r: gone)
    return _drop(
        df,
        df["id"].duplicated(),
        q,
        "duplicate_id",
        "id",
        lambda r: f"duplicate {what} {r['id']!r}; the first row with it is kept",
    )


def _people(raw: pd.DataFrame, q: DataQuality, default_account: str) -> pd.DataFrame:
    df = _with_ids(raw, q, "id", "person id")
    out = pd.DataFrame({c: _text(df, c) for c in ["id", "name", "title", "department", "email"]})
    out["account"] = _text(df, "account")
    out["reports_to"] = _text(df, "reports_to")
    level = pd.to_numeric(_text(df, "level").replace("", None), errors="coerce")
    for i in (level.isna() & (_text(df, "level") != "")).to_numpy().nonzero()[0]:
        file, row = _where(df, i)
        q.warn(
            file,
            "bad_level",
            f"level {df['level'].iat[i]!r} is not a number; ignored",
            row,
            "level",
        )
    out["level"] = level.astype(float)
    out["buying_role"] = _convert(df, "buying_role", _buying_role, "unknown_buying_role", q)
    scores = pd.Series(_convert(df, "stance", _stance, "bad_stance", q), dtype=float)
    out["stance_score"] = scores.to_numpy()
    labels = {s: STANCE_LABELS.get(round(s), "") for s in pd.unique(scores.dropna())}
    out["stance"] = scores.map(labels).astype(object).fillna("").to_numpy()
    out["internal"] = np.asarray(_convert(df, "internal", _flag, "bad_boolean", q), dtype=bool)
    unassigned = (out["account"] == "") & ~out["internal"]
    if "account" in raw.columns and unassigned.any() and (out["account"] != "").any():
        for i in unassigned.to_numpy().nonzero()[0]:
            file, row = _where(df, i)
            q.warn(
                file,
                "no_account",
                f"person {out['id'].iat[i]!r} has no account; put in 'Unassigned'",
                row,
                "account",
            )
        out.loc[unassigned, "account"] = "Unassigned"
    out.loc[(out["account"] == "") & ~out["internal"], "account"] = default_account
    extra = [c for c in df.columns if c not in out.columns and c not in META
             and c not in PEOPLE_COLUMNS]  # fmt: skip
    if extra:  # in one step: inserting columns one at a time is quadratic
        out = pd.concat([out, df[extra].set_axis(out.index)], axis=1).copy()
    set_provenance(out, df)
    return out


def _check_reports_to(people: pd.DataFrame, q: DataQuality) -> None:
    """Clear ``reports_to`` values that point nowhere or close a cycle (in place)."""
    ids = set(people["id"])
    rt = people["reports_to"]
    unknown = (rt != "") & ~rt.isin(_ids(ids))
    for i in unknown.to_numpy().nonzero()[0]:
        file, row = _where(people, i)
        q.warn(
            file,
            "unknown_reports_to",
            f"reports_to {rt.iat[i]!r} is not a known person id; ignored",
            row,
            "reports_to",
        )
    self_loop = rt == people["id"]
    for i in self_loop.to_numpy().nonzero()[0]:
        file, row = _where(people, i)
        q.warn(
            file,
            "reports_to_cycle",
            f"{rt.iat[i]!r} reports to themself; ignored",
            row,
            "reports_to",
        )
    people.loc[unknown | self_loop, "reports_to"] = ""
    for cycle in _reports_to_cycles(people["id"].to_numpy(dtype=object),
                                    people["reports_to"].to_numpy(dtype=object)):  # fmt: skip
        # Break the cycle deterministically at the member with the smallest id.
        i = min(cycle, key=lambda k: people["id"].iat[k])
        file, row = _where(people, i)
        chain = " -> ".join(people["id"].iat[k] for k in cycle + cycle[:1])
        q.warn(
            file,
            "reports_to_cycle",
            f"reports_to cycle {chain}; the reports_to of {people['id'].iat[i]!r} is ignored",
            row,
            "reports_to",
        )
        people.iat[i, people.columns.get_loc("reports_to")] = ""


def _reports_to_cycles(ids: np.ndarray, reports_to: np.ndarray) -> list[list[int]]:
    """The ``reports_to`` cycles, each as row positions from its smallest id along the
    reports_to line, ordered by that row (ids unique; every ``reports_to`` a known id or
    empty).

    Each person has at most one manager, so ``f(v) = manager of v`` is a function (people
    without one point at a sink that points at itself) and ``f^N``, for ``N`` at least
    the number of people, maps everyone onto a cycle or the sink: the image of ``f^N`` is
    exactly the members of cycles. ``f^N`` takes ``log2 N`` squarings of the position
    array, so a chain 100,000 deep costs 17 array steps, not 100,000.

    >>> _reports_to_cycles(np.array(["a", "b", "c", "d"], dtype=object),
    ...                    np.array(["c", "a", "b", ""], dtype=object))
    [[0, 2, 1]]
    """
    n = len(ids)
    if n == 0:
        return []
    sink = n
    codes = pd.Index(ids, dtype=object).get_indexer(reports_to)
    f = np.append(np.where(codes >= 0, codes, sink), sink).astype(np.int64)
    jump, steps = f, 1
    while steps < n + 1:
        jump, steps = jump[jump], steps * 2
    on_cycle = np.unique(jump)
    on_cycle = on_cycle[on_cycle != sink]
    cycles, seen = [], set()
    for v in on_cycle.tolist():
        if v in seen:
            continue
        cycle, u = [v], int(f[v])
        while u != v:
            cycle.append(u)
            u = int(f[u])
        seen.update(cycle)
        first = min(range(len(cycle)), key=lambda k: ids[cycle[k]])
        cycles.append(cycle[first:] + cycle[:first])
    return sorted(cycles, key=lambda c: c[0])


def _unknown_people(
    df: pd.DataFrame, cols: list[str], ids: set[str] | np.ndarray, q: DataQuality
) -> pd.DataFrame:
    for col in cols:
        df[col] = _text(df, col)
        df = _drop(
            df,
            ~_isin(df[col], ids),
            q,
            "unknown_person",
            col,
            lambda r, col=col: f"unknown person id {r[col]!r}; the row is skipped",
        )
    return df


def _relationships(raw: pd.DataFrame, ids: set[str] | np.ndarray, q: DataQuality) -> pd.DataFrame:
    df = _unknown_people(raw.reset_index(drop=True), ["source", "target"], ids, q)
    df = _drop(
        df,
        df["source"] == df["target"],
        q,
        "self_tie",
        "target",
        lambda r: f"relationship of {r['source']!r} with themself; the row is skipped",
    )
    codes, texts = _text_codes(_column(df, "type"))
    kind = pd.Series(np.asarray([_key(t) for t in texts], dtype=object)[codes], dtype=object)
    out = pd.DataFrame({"source": df["source"], "target": df["target"], "type": kind})
    flip = kind.isin(INVERSE_TYPES)
    out.loc[flip, ["source", "target"]] = out.loc[flip, ["target", "source"]].to_numpy()
    out.loc[flip, "type"] = kind[flip].map(INVERSE_TYPES)
    strength_raw = _text(df, "strength")
    strength = pd.to_numeric(strength_raw.replace("", None), errors="coerce")
    for i in (strength.isna() & (strength_raw != "")).to_numpy().nonzero()[0]:
        file, row = _where(df, i)
        q.warn(
            file,
            "bad_strength",
            f"strength {strength_raw.iat[i]!r} is not a number; 1 is used",
            row,
            "strength",
        )
    over = strength > 1
    for i in over.to_numpy().nonzero()[0]:
        file, row = _where(df, i)
        q.warn(
            file,
            "bad_strength",
            f"strength {strength.iat[i]} is above 1; 1 is used",
            row,
            "strength",
        )
    out["strength"] = strength.where(~over, 1.0).fillna(1.0).astype(float)
    default = out["type"].isin(DIRECTED_TYPES)
    flags = _convert(df, "directed", _flag, "bad_boolean", q)
    given = (_text(df, "directed") != "").to_numpy()
    out["directed"] = np.where(given, np.asarray(flags, dtype=bool), default.to_numpy(bool))
    out["start"] = _dates(df, "start", q, required=False)
    out["end"] = _dates(df, "end", q, required=False)
    set_provenance(out, df)
    nonpos = out["strength"] <= 0
    out = _drop(
        out,
        nonpos,
        q,
        "bad_strength",
        "strength",
        lambda r: f"strength {r['strength']} is not above 0; the row is skipped",
    )
    return _repeated_relationships(out, q)


#: Row numbers a finding that stands for many rows lists.
EXAMPLE_ROWS = 5


def _repeated_relationships(rel: pd.DataFrame, q: DataQuality) -> pd.DataFrame:
    """Drop the relationships that repeat an earlier one (same ends, type, strength,
    direction and dates; an undirected one either way round): contributions combine as a
    noisy-OR, so a row listed twice would count twice. One skipped-rows finding per file,
    with the count and the first rows."""
    if len(rel) < 2:
        return rel
    s, t = rel["source"].to_numpy(dtype=object), rel["target"].to_numpy(dtype=object)
    swap = ~rel["directed"].to_numpy(dtype=bool) & (s > t)
    key = pd.DataFrame(
        {
            "a": np.where(swap, t, s),
            "b": np.where(swap, s, t),
            **{c: rel[c].to_numpy() for c in ["type", "strength", "directed", "start", "end"]},
        }
    )
    dup = key.duplicated().to_numpy()
    if not dup.any():
        return rel
    files = rel["_file"].to_numpy(dtype=object)[dup]
    rows = pd.Series(rel["_row"].to_numpy(dtype=object)[dup])
    for file in pd.unique(files):
        mine = files == file
        at = rows[mine].dropna().iloc[: EXAMPLE_ROWS + 1].tolist()
        n = int(mine.sum())
        listed = ", ".join(f"{int(r)}" for r in at[:EXAMPLE_ROWS]) + (", …" * (n > EXAMPLE_ROWS))
        q.warn(
            str(file),
            "duplicate_relationship",
            f"{n:,} rows repeat a relationship listed before them (same source, target, "
            f"type, strength, direction and dates); each is counted once, the repeats are "
            f"skipped" + (f" (rows {listed})" if at else ""),
            int(at[0]) if at else None,
            None,
            skipped=True,
            rows=n,
        )
    return rel[~dup].reset_index(drop=True)


def _events(raw: pd.DataFrame, q: DataQuality) -> pd.DataFrame:
    df = _with_ids(raw, q, "event id", "event id")
    date = _dates(df, "date", q, required=True)
    keep = date.notna().to_numpy()
    missing = ~keep  # no date, or one that cannot be parsed: the text of those rows says
    missing[missing] = (_text(df[missing], "date") == "").to_numpy()
    for i in missing.nonzero()[0]:
        file, row = _where(df, i)
        q.warn(
            file,
            "missing_date",
            "event without a date; the row is skipped",
            row,
            "date",
            skipped=True,
        )
    out = pd.DataFrame({"id": df["id"], "date": date, "type": _lower(_text(df, "type"))})
    for c in ["subject", "account"]:
        out[c] = _text(df, c)
    out["duration"] = pd.to_numeric(
        _text(df, "duration").replace("", None), errors="coerce"
    ).astype(float)
    set_provenance(out, df)
    return out[keep].reset_index(drop=True)


def _participants(
    raw: pd.DataFrame, ids: set[str] | np.ndarray, events: set[str] | np.ndarray, q: DataQuality
) -> pd.DataFrame:
    # The checks in turn (unknown event, unknown person, repeated pair), each on the rows
    # the previous one kept; the table is built once, from the rows all of them keep.
    # Ids are hashed once per column (:func:`_text_codes`) and checked once per distinct id.
    df = raw.reset_index(drop=True)
    rows = np.arange(len(df))
    e_code, e_text = _text_codes(_column(df, "event_id"))
    bad = ~_isin(pd.Series(e_text, dtype=object), events).to_numpy()[e_code]
    _skipped(df, rows[bad], e_text[e_code[bad]], q, "unknown_event",
             "event_id", "unknown or skipped event id {!r}; the row is skipped")  # fmt: skip
    rows, e_code = rows[~bad], e_code[~bad]
    p_code, p_text = _text_codes(_column(df, "person_id")[rows])
    bad = ~_isin(pd.Series(p_text, dtype=object), ids).to_numpy()[p_code]
    _skipped(df, rows[bad], p_text[p_code[bad]], q, "unknown_person",
             "person_id", "unknown person id {!r}; the row is skipped")  # fmt: skip
    rows, e_code, p_code = rows[~bad], e_code[~bad], p_code[~bad]
    r_code, r_text = _text_codes(_column(df, "role")[rows])
    out = pd.DataFrame(
        {
            "event_id": e_text[e_code],
            "person_id": p_text[p_code],
            "role": np.asarray([t.lower() for t in r_text], dtype=object)[r_code],
        },
        dtype=object,
    )
    set_provenance(out, df, rows)
    # Repeated (event, person) pairs, found on the integer codes.
    dup = pd.Series(e_code.astype(np.int64) * max(len(p_text), 1) + p_code).duplicated()
    return _drop(
        out,
        dup,
        q,
        "duplicate_participant",
        "person_id",
        lambda r: f"{r['person_id']!r} listed twice for event {r['event_id']!r}; counted once",
    )


def _column(df: pd.DataFrame, col: str) -> np.ndarray:
    """Column ``col`` of ``df`` as an object array (empty text if there is no such column)."""
    if col not in df:
        return np.full(len(df), "", dtype=object)
    return df[col].to_numpy(dtype=object)


def _lower(s: pd.Series) -> pd.Series:
    """``s.str.lower()`` of a text column, lowering each distinct value once (a column
    of millions of rows holds a handful of roles or types)."""
    if s.dtype != object:
        return s.str.lower()
    codes, uniques = pd.factorize(s.to_numpy())
    if (codes < 0).any() or not all(isinstance(u, str) for u in uniques):
        return s.str.lower()
    low = np.array([u.lower() for u in uniques], dtype=object)
    return pd.Series(low[codes], index=s.index, dtype=object)


def _skipped(
    df: pd.DataFrame, rows: np.ndarray, values, q: DataQuality, code: str, col: str, message: str
) -> None:
    """Log rows ``rows`` of ``df`` (positions, in order) as skipped, with ``message``
    formatted with each row's value in ``values``."""
    for i, v in zip(rows.tolist(), values):
        file, row = _where(df, i)
        q.warn(file, code, message.format(v), row, col, skipped=True)


def _or_empty(df: pd.DataFrame | None, table: str) -> pd.DataFrame:
    """``df``, or an empty raw table when there is none (or only a column-less stand-in)."""
    if df is None or (df.empty and not set(META) <= set(df.columns)):
        return empty_frame(REQUIRED[table])
    return df


def validate(
    people: pd.DataFrame,
    relationships: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    participants: pd.DataFrame | None = None,
    *,
    quality: DataQuality | None = None,
    name: str = "dataset",
) -> Tables:
    """Check raw frames and turn them into canonical :class:`Tables`.

    Raw frames carry canonical column names as text plus ``_file``/``_row`` provenance.
    Rows that cannot be used are dropped and logged in ``quality``; input that cannot be
    analysed at all raises :class:`InputError`.
    """
    q = quality if quality is not None else DataQuality()
    if people.empty:
        raise InputError(
            str(people.attrs.get("file", "people")), "no people: the file has no data rows"
        )
    check_columns(people, "people", str(people["_file"].iat[0]))
    p = _people(people, q, default_account=name)
    if p.empty:
        file = str(people["_file"].iat[0])
        first = next((i for i in q.issues if i.file == file and i.skipped), None)
        why = f" (row {first.row}: {first.message})" if first else ""
        raise InputError(file, f"no usable people: every row was skipped{why}")
    if p["internal"].all():
        raise InputError(
            str(people["_file"].iat[0]),
            "no customer people: everyone is on our team (internal is true)",
            column="internal",
        )
    _check_reports_to(p, q)
    ids = p["id"].to_numpy(dtype=object)  # distinct
    r = _relationships(_or_empty(relationships, "relationships"), ids, q)
    e = _events(_or_empty(events, "events"), q)
    event_ids = e["id"].to_numpy(dtype=object)
    pa = _participants(_or_empty(participants, "participants"), ids, event_ids, q)
    return Tables(p, r, e, pa, q, name)
