"""Pk (Beeferman et al., 1999) and WindowDiff (Pevzner and Hearst, 2002) for segmentations.

A segmentation of n units is given as the sorted indices of the units that open a segment
(0 excluded). Both scores are error rates: 0 is perfect, lower is better.
"""

from __future__ import annotations

from collections.abc import Sequence


def _labels(boundaries: Sequence[int], units: int) -> list[int]:
    """For each unit, the number of the segment it belongs to."""
    starts = set(boundaries)
    segment, labels = 0, []
    for unit in range(units):
        if unit in starts:
            segment += 1
        labels.append(segment)
    return labels


def window_size(reference: Sequence[int], units: int) -> int:
    """Half the mean reference segment length, the usual choice of k."""
    return max(2, round(units / (len(reference) + 1) / 2))


def pk(reference: Sequence[int], hypothesis: Sequence[int], units: int) -> float:
    k = window_size(reference, units)
    ref, hyp = _labels(reference, units), _labels(hypothesis, units)
    windows = range(units - k)
    errors = sum(1 for i in windows if (ref[i] == ref[i + k]) != (hyp[i] == hyp[i + k]))
    return errors / len(windows) if windows else 0.0


def window_diff(reference: Sequence[int], hypothesis: Sequence[int], units: int) -> float:
    k = window_size(reference, units)
    ref, hyp = _labels(reference, units), _labels(hypothesis, units)
    windows = range(units - k)
    errors = sum(1 for i in windows if ref[i + k] - ref[i] != hyp[i + k] - hyp[i])
    return errors / len(windows) if windows else 0.0
