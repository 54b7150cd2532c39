"""Sorted distinct integers, found by sorting.

Since NumPy 2.3, ``np.unique`` of a plain array collects the distinct values in a hash
table and then sorts them; on the millions of integer keys of a whole dataset (person,
event and account codes combined into one int64) that is tens of times slower than
sorting the keys (NumPy sorts integers with a radix or SIMD sort) and dropping repeats.
The results are the same array.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "unique_ints",
    "union_ints",
    "search_sorted",
]


def unique_ints(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of a one-dimensional integer array.

    Sorts a copy and keeps each value that differs from its predecessor.

    Parameters
    ----------
    values : numpy.ndarray of int
        The integers, in any order, repeats allowed (raveled if not one-dimensional).

    Returns
    -------
    numpy.ndarray
        The distinct values, ascending.

    Examples
    --------
    >>> unique_ints(np.array([5, 1, 5, 3, 1])).tolist()
    [1, 3, 5]
    """
    s = np.sort(np.asarray(values).ravel())
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def union_ints(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.union1d(a, b)`` of two integer arrays.

    Parameters
    ----------
    a, b : numpy.ndarray of int
        The integers, in any order, repeats allowed.

    Returns
    -------
    numpy.ndarray
        The distinct values of ``a`` and ``b`` together, ascending.

    Examples
    --------
    >>> union_ints(np.array([4, 1, 4]), np.array([2, 1])).tolist()
    [1, 2, 4]
    """
    return unique_ints(np.concatenate([np.asarray(a).ravel(), np.asarray(b).ravel()]))


def search_sorted(keys: np.ndarray, values: np.ndarray, side: str = "left") -> np.ndarray:
    """``np.searchsorted(keys, values, side)`` for many values in any order.

    Binary searches for values in random order miss the CPU cache at every step; the
    values are looked up in sorted order instead (sorting integers is cheap), which
    gives the same positions several times faster.

    Parameters
    ----------
    keys : numpy.ndarray
        Sorted keys.
    values : numpy.ndarray
        The values to place, in any order.
    side : {"left", "right"}, default "left"
        As for :func:`numpy.searchsorted`: the first (``"left"``) or the last
        (``"right"``) suitable position.

    Returns
    -------
    numpy.ndarray of intp
        For each value, the index in ``keys`` where inserting it keeps ``keys`` sorted.

    Examples
    --------
    >>> search_sorted(np.array([1, 3, 5]), np.array([5, 0, 3])).tolist()
    [2, 0, 1]
    >>> search_sorted(np.array([1, 3, 5]), np.array([5, 0, 3]), side="right").tolist()
    [3, 0, 2]
    """
    values = np.asarray(values)
    if len(values) < 2:
        return np.searchsorted(keys, values, side=side)
    order = np.argsort(values)
    out = np.empty(len(values), dtype=np.intp)
    out[order] = np.searchsorted(keys, values[order], side=side)
    return out
