"""Overlap queries over many character ranges in O(log n) each, so that checking every sentence or
source against every attribution, quote or link stays linear-logarithmic in the article's length."""
from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate


class RangeIndex:
    """Half-open ranges (start, end); `overlaps(start, end)` asks whether any of them meets [start, end).

    Some range meets [start, end) when a range starting before `end` also ends after `start`:
    ranges sorted by start, with the running maximum of their ends, answer that by bisection.
    """

    def __init__(self, ranges):
        ordered = sorted((start, end) for start, end in ranges)
        self._starts = [start for start, _ in ordered]
        self._max_end = list(accumulate((end for _, end in ordered), max))

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)  # ranges with start < end
        return bool(before) and self._max_end[before - 1] > start
