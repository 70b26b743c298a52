"""Loudness to spoken-word standards.

Each chapter is measured with ffmpeg's EBU R128 meter (ITU-R BS.1770 integrated loudness
and true peak), brought to its profile's target with one gain, and held under the peak
ceiling by a look-ahead limiter. One gain per chapter keeps the voice's own dynamics;
every chapter meets the same target, so loudness is even from chapter to chapter and from
engine to engine. Gain and limiting change no sample's position: the Timeline stays exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from publisher.audio.ffmpeg import run_ffmpeg, stream_samples
from publisher.errors import EngineError

ProfileName = Literal["speech", "acx", "podcast"]
PROFILE_NAMES: tuple[ProfileName, ...] = get_args(ProfileName)
SILENT_DB = -120.0  # what digital silence measures as, instead of minus infinity
MAX_GAIN_DB = 40.0  # engines speak at -30 to -20 LUFS; 40 dB of gain means nothing to measure


@dataclass(frozen=True)
class AudioProfile:
    """A delivery target. Either ``loudness_lufs`` (integrated, EBU R128) or ``rms_db``
    (plain RMS, as ACX measures) sets the level; ``peak_db`` is the most a peak may reach
    (true peak for loudness targets, sample peak for ACX)."""

    name: ProfileName
    summary: str
    loudness_lufs: float | None
    rms_db: float | None
    peak_db: float
    sample_rate: int
    bitrate_kbps: int
    rms_range: tuple[float, float] | None = None
    noise_floor_db: float | None = None
    head_s: tuple[float, float] | None = None  # room tone allowed before the voice
    tail_s: tuple[float, float] | None = None  # and after it

    @property
    def ceiling_db(self) -> float:
        # Margin under the limit for what the limiter cannot see: peaks between samples,
        # and the few tenths of a dB that MP3 and AAC encoding add.
        return self.peak_db - 1.0


PROFILES: dict[ProfileName, AudioProfile] = {
    "speech": AudioProfile(
        "speech",
        "-19 LUFS, true peak -1 dBTP, 22.05 kHz 64 kbps",
        -19.0,
        None,
        -1.0,
        22050,
        64,
        noise_floor_db=-60.0,
        head_s=(0.5, 1.0),
        tail_s=(1.0, 5.0),
    ),
    "podcast": AudioProfile(
        "podcast",
        "-16 LUFS, true peak -1 dBTP, 44.1 kHz 96 kbps",
        -16.0,
        None,
        -1.0,
        44100,
        96,
        noise_floor_db=-60.0,
        head_s=(0.5, 1.0),
        tail_s=(1.0, 5.0),
    ),
    "acx": AudioProfile(
        "acx",
        "ACX: RMS -23 to -18 dB, peaks -3 dB, noise floor -60 dB, 44.1 kHz 192 kbps CBR",
        None,
        -20.0,
        -3.0,
        44100,
        192,
        rms_range=(-23.0, -18.0),
        noise_floor_db=-60.0,
        head_s=(0.5, 1.0),
        tail_s=(1.0, 5.0),
    ),
}


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float
    sample_peak_db: float
    rms_db: float
    noise_floor_db: float  # RMS of the quietest half second
    head_s: float  # room tone before the voice starts
    tail_s: float  # and after it stops


def measure(pcm: bytes, sample_rate: int) -> Loudness:
    integrated, true_peak = _ebur128(pcm, sample_rate)
    tally = _Tally(_ten_ms(sample_rate))
    tally.add(_int16(pcm))
    return tally.loudness(integrated, true_peak, sample_rate)


def measure_file(path: Path, sample_rate: int) -> Loudness:
    """``measure`` for an audio file of any length: ffmpeg meters the file itself and the
    samples stream through in pieces, so a ten-hour M4B needs megabytes, not gigabytes."""
    integrated, true_peak = _ebur128_of(["-i", str(path), "-ac", "1"], None, path.name)
    tally = _Tally(_ten_ms(sample_rate))
    for samples in stream_samples(path, sample_rate):
        tally.add(samples)
    return tally.loudness(integrated, true_peak, sample_rate)


class _Tally:
    """What ``measure`` needs from the samples, gathered a piece at a time: the peak and
    the energy of every 10 ms block (their sum, with the samples short of a last block,
    is the total energy)."""

    def __init__(self, block: int) -> None:
        self.block, self.count, self.peak = block, 0, 0
        self.blocks: list[Any] = []
        self.rest = np.zeros(0, dtype="<i2")  # samples short of a whole block

    def add(self, samples: Any) -> None:
        if not samples.size:
            return
        self.count += samples.size
        self.peak = max(self.peak, int(samples.max()), -int(samples.min()))
        joined = np.concatenate([self.rest, samples]) if self.rest.size else samples
        whole = joined.size // self.block * self.block
        self.blocks.append(_block_energies(joined[:whole], self.block))
        self.rest = joined[whole:].copy()

    def loudness(self, integrated: float, true_peak: float, sample_rate: int) -> Loudness:
        energy = np.concatenate(self.blocks) if self.blocks else np.zeros(0)
        total = float(energy.sum()) + _square_sum(self.rest)
        rms = math.sqrt(total / self.count) / 32768.0 if self.count else 0.0
        return Loudness(
            integrated,
            true_peak,
            _db(self.peak / 32768),
            _db(rms),
            _noise_floor(energy, self.block, rms),
            *_room_tone(energy, self.block, self.count, sample_rate),
        )


def _square_sum(samples: Any) -> float:
    """The sum of the squared 16-bit samples, a chunk at a time."""
    total = 0.0
    for start in range(0, samples.size, CHUNK):
        piece = samples[start : start + CHUNK].astype(np.float64)
        total += float(np.dot(piece, piece))
    return total


def _ten_ms(sample_rate: int) -> int:
    return max(1, sample_rate // 100)


def normalise(pcm: bytes, sample_rate: int, profile: AudioProfile) -> bytes:
    """``pcm`` at the profile's level and under its ceiling, sample for sample in place.

    Works through the chapter a chunk at a time: an hour-long chapter needs its 16-bit
    samples twice over in memory, not as floating point.
    """
    samples = _int16(pcm)
    if not samples.size or not samples.any():
        return pcm
    peaks = _TruePeaks(samples, sample_rate)
    ceiling = _linear(profile.ceiling_db)
    wanted = _shortfall(pcm, sample_rate, profile)  # the one R128 measurement
    if wanted > MAX_GAIN_DB:
        # Too little sound to measure (R128 gates out anything quieter than -70 LUFS): a
        # gain that large would only raise noise, so the audio is left as it is.
        return pcm
    # The limiter takes level off the loudest words, more the harder it works. What it
    # takes is measured as the change in power of the speech (the 400 ms blocks that
    # R128's gate would keep), which follows integrated loudness to about 0.1 LU; the gain
    # that makes up for it is found by the secant method, in two or three steps. Each step
    # weighs the energy of every 1 ms block by its gain, so only the last one touches the
    # samples.
    energy = _speech_energy(samples, sample_rate, peaks.block)
    before = float(energy.sum())
    if before <= 0:  # shorter than a millisecond: nothing for the limiter to weigh
        return _apply(samples, peaks.block, _envelope(peaks, _linear(wanted), ceiling), ceiling)
    gain, previous = wanted, None
    for _ in range(6):
        envelope = _envelope(peaks, _linear(gain), ceiling)
        after = float((envelope[: energy.size] ** 2 * energy).sum())
        error = wanted - 10 * math.log10(max(after, 1e-30) / before)
        if abs(error) <= 0.1:
            break
        step = error
        if previous is not None and previous[1] != error:
            slope = (gain - previous[0]) / (previous[1] - error)  # dB of gain per dB short
            step = error * min(4.0, max(1.0, slope))
        previous = (gain, error)
        gain += step
    return _apply(samples, peaks.block, envelope, ceiling)


def _shortfall(pcm: bytes, sample_rate: int, profile: AudioProfile) -> float:
    """How many dB the audio is under the profile's level (negative: over it)."""
    if profile.loudness_lufs is not None:
        integrated, _ = _ebur128(pcm, sample_rate, true_peak=False)
        return profile.loudness_lufs - integrated
    assert profile.rms_db is not None
    return profile.rms_db - _db(_rms(_int16(pcm)))


def _by_block(samples: Any, block: int, measure: Callable[[Any], Any]) -> Any:
    """``measure`` of every whole ``block``-sample piece (given as rows), a chunk of rows at
    a time: no copy of the whole signal is made."""
    count = samples.size // block
    values = np.empty(count)
    step = max(1, CHUNK // block)
    for first in range(0, count, step):
        last = min(count, first + step)
        values[first:last] = measure(samples[first * block : last * block].reshape(-1, block))
    return values


def _block_energies(samples: Any, block: int) -> Any:
    return _by_block(samples, block, _energies)


def _energies(rows: Any) -> Any:
    wide = rows.astype(np.float64)
    return np.einsum("ij,ij->i", wide, wide)


def _speech_blocks(samples: Any, block: int) -> Any:
    """Which 400 ms blocks are within 10 dB of the loud ones (R128's relative gate,
    unweighted); none when the signal is shorter than a block."""
    energy = _block_energies(samples, block)
    if not energy.size or not energy.any():
        return np.ones(0, dtype=bool)
    audible = energy > 0
    gate = float(energy[audible].mean()) / 10
    mask: Any = energy >= gate
    return mask


def _speech_energy(samples: Any, sample_rate: int, block: int) -> Any:
    """The energy of each ``block``-sample piece of the speech (the 400 ms blocks R128's
    gate would keep; all of the signal when it is shorter than one), zero elsewhere."""
    energy = _block_energies(samples, block)
    long_block = int(sample_rate * 0.4)
    speech = _speech_blocks(samples, long_block)
    if speech.size:
        owner = np.arange(energy.size) * block // long_block
        inside = owner < speech.size
        energy[~inside] = 0.0
        energy[inside] *= speech[owner[inside]]
    return energy


CHUNK = 1 << 17  # samples per piece of work: a few MB of floating point at a time

# The limiter's version, for the chapter cache: what it does to the samples.
LIMITER = "true peaks by a 4x polyphase interpolator (16 taps), 20 ms look-ahead"
# Each sample's three in-between points (at 1/4, 1/2 and 3/4) are interpolated from the 16
# samples around them with a Hann-windowed sinc, as ITU-R BS.1770's true-peak meter does
# with 12; within 0.02 dB of ideal (FFT) interpolation on speech.
_TAPS = 16


def _interpolator() -> Any:
    """The (16, 3) matrix that maps 16 samples to the three points between the 8th and 9th."""
    offsets = np.arange(1 - _TAPS // 2, _TAPS // 2 + 1)
    distance = np.arange(1, 4)[None, :] / 4 - offsets[:, None]
    window = 0.5 + 0.5 * np.cos(np.pi * distance / (_TAPS // 2 + 0.5))
    return (np.sinc(distance) * window).astype(np.float32)


_INTERPOLATOR = _interpolator()
# No interpolated point exceeds the largest sample around it by more than this factor
# (the largest sum of a phase's absolute weights, and at least the sample itself).
_REACH = max(1.0, float(np.abs(_INTERPOLATOR).sum(axis=0).max())) * (1 + 1e-5)


class _TruePeaks:
    """The true peak (4x oversampled) of each 1 ms block of a signal, worked out only where
    it matters: where the gain being tried could take it over the ceiling.

    Elsewhere a block holds a bound (the loudest sample within the interpolator's reach,
    times ``_REACH``) that the gain keeps under the ceiling, so the limiter's envelope is
    exactly what the true peaks of every block would give. Speech leaves about one block
    in twelve to work out, a tenth of the cost of oversampling everything.
    """

    def __init__(self, samples: Any, sample_rate: int) -> None:
        self.samples = samples
        self.block = max(1, sample_rate // 1000)
        loudest = _block_peaks(samples, self.block)
        around = loudest.copy()  # the interpolator reaches 8 samples either side
        for shift in range(1, -(-(_TAPS // 2) // self.block) + 1):
            np.maximum(around[shift:], loudest[:-shift], out=around[shift:])
            np.maximum(around[:-shift], loudest[shift:], out=around[:-shift])
        self.bounds = around * (_REACH / 32768.0)
        self.values = self.bounds.copy()
        self.exact = np.zeros(self.bounds.size, dtype=bool)

    def at_gain(self, gain: float, ceiling: float) -> Any:
        """Every block's peak, exact wherever ``gain`` could take it over ``ceiling``."""
        todo = np.flatnonzero(~self.exact & (self.bounds * gain > ceiling))
        for first in range(0, todo.size, 4096):
            blocks = todo[first : first + 4096]
            self.values[blocks] = self._peaks_of(blocks)
        self.exact[todo] = True
        return self.values

    def _peaks_of(self, blocks: Any) -> Any:
        half, block = _TAPS // 2, self.block
        # Each block's samples with the interpolator's reach either side, zero beyond the ends.
        where = blocks[:, None] * block + np.arange(1 - half, block + half)[None, :]
        inside = (where >= 0) & (where < self.samples.size)
        window = np.where(inside, self.samples[np.clip(where, 0, self.samples.size - 1)], 0)
        window = window.astype(np.float32) / 32768.0
        between = sliding_window_view(window, _TAPS, axis=1)[:, :block] @ _INTERPOLATOR
        own = np.abs(window[:, half - 1 : half - 1 + block]).max(axis=1)
        peaks: Any = np.maximum(own, np.abs(between).max(axis=(1, 2)))
        return peaks


def _block_peaks(samples: Any, block: int) -> Any:
    """The largest absolute sample of each ``block``-sample piece (the last may be short)."""
    peaks = _by_block(samples, block, _peaks)
    rest = samples[peaks.size * block :]
    return np.append(peaks, _peaks(rest.reshape(1, -1))) if rest.size else peaks


def _peaks(rows: Any) -> Any:
    return np.maximum(rows.max(axis=1).astype(np.int32), -rows.min(axis=1).astype(np.int32))


def _envelope(peaks: _TruePeaks, gain: float, ceiling: float) -> Any:
    """The gain for each 1 ms block: ``gain``, with look-ahead peak limiting: it falls over
    the 20 ms before a peak and recovers over the 20 ms after it, smoothly, never letting a
    (true) peak pass the ceiling."""
    need = np.minimum(1.0, ceiling / np.maximum(peaks.at_gain(gain, ceiling) * gain, 1e-12))
    radius = 20
    held = _least_within(need, 2 * radius)
    kernel = np.ones(2 * radius + 1) / (2 * radius + 1)
    smooth: Any = np.convolve(np.pad(held, radius, mode="edge"), kernel, mode="valid") * gain
    return smooth


def _least_within(values: Any, reach: int) -> Any:
    """The least of ``values`` (none above 1) within ``reach`` places either side of each.

    Van Herk and Gil-Werman's running minimum: in windows of the same width laid end to
    end, a window's least is the least of one window's tail and the next one's head, each a
    running minimum, so the cost does not grow with the reach.
    """
    width = 2 * reach + 1
    count = values.size + 2 * reach
    padded = np.ones(-(-count // width) * width)  # 1 is no limit: the ends keep their own
    padded[reach : reach + values.size] = values
    rows = padded.reshape(-1, width)
    heads = np.minimum.accumulate(rows, axis=1).ravel()
    tails = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()
    least: Any = np.minimum(tails[: values.size], heads[width - 1 : width - 1 + values.size])
    return least


def _apply(samples: Any, block: int, smooth: Any, ceiling: float) -> bytes:
    """16-bit ``samples`` times the envelope, interpolated between block centres."""
    centres = np.arange(smooth.size) * block + block / 2
    out = np.empty(samples.size, dtype="<i2")
    limit = ceiling * 32768.0
    for start in range(0, samples.size, CHUNK):
        piece = samples[start : start + CHUNK]
        envelope = np.interp(np.arange(start, start + piece.size), centres, smooth)
        scaled = np.clip(np.round(piece * envelope), -limit, limit)
        out[start : start + piece.size] = scaled.astype("<i2")
    result: bytes = out.tobytes()
    return result


def _ebur128(pcm: bytes, sample_rate: int, true_peak: bool = True) -> tuple[float, float]:
    """Integrated loudness and (4x oversampled, so dearer to measure) true peak."""
    source = ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0"]
    return _ebur128_of(source, pcm, "the audio", true_peak)


def _ebur128_of(
    source: list[str], data: bytes | None, what: str, true_peak: bool = True
) -> tuple[float, float]:
    meter = f"ebur128=peak={'true' if true_peak else 'none'}:framelog=verbose"
    ok, _, report = run_ffmpeg(["-nostats", *source, "-af", meter, "-f", "null", "-"], data)
    integrated = re.search(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS", report)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", report)
    if not ok or integrated is None or (true_peak and peak is None):
        raise EngineError(f"could not measure the loudness of {what} with ffmpeg's ebur128")
    return _number(integrated.group(1)), _number(peak.group(1)) if peak else SILENT_DB


def _int16(pcm: bytes) -> Any:
    return np.frombuffer(pcm, dtype="<i2")


def _rms(samples: Any) -> float:
    """RMS of 16-bit samples as a fraction of full scale."""
    return math.sqrt(_square_sum(samples) / samples.size) / 32768.0 if samples.size else 0.0


def _noise_floor(energy: Any, block: int, rms: float) -> float:
    """RMS of the quietest half second, from the energy of 10 ms blocks (of the whole
    signal when it is shorter than that)."""
    if energy.size < 50:
        return _db(rms)
    window = np.convolve(energy, np.ones(50), mode="valid") / (50 * block)
    return _db(math.sqrt(max(0.0, float(window.min()))) / 32768.0)


VOICE_DB = -50.0  # a 10 ms block louder than this is voice, not room tone


def _room_tone(energy: Any, block: int, samples: int, sample_rate: int) -> tuple[float, float]:
    count = energy.size
    if not count:
        return 0.0, 0.0
    level = np.sqrt(energy / block) / 32768.0
    loud = np.flatnonzero(level > _linear(VOICE_DB))
    if not loud.size:
        return samples / sample_rate, 0.0
    return float(loud[0] * block / sample_rate), float((count - 1 - loud[-1]) * block / sample_rate)


def _db(value: float) -> float:
    return max(SILENT_DB, 20 * math.log10(value)) if value > 0 else SILENT_DB


def _linear(db: float) -> float:
    return float(10 ** (db / 20))


def _number(text: str) -> float:
    return SILENT_DB if text == "-inf" else max(SILENT_DB, float(text))


def integrated_lufs(pcm: bytes, sample_rate: int) -> float:
    """Integrated loudness alone (no true peak): what matching voices' levels needs."""
    return _ebur128(pcm, sample_rate, true_peak=False)[0]


def with_gain(pcm: bytes, db: float) -> bytes:
    """16-bit PCM ``db`` louder (or quieter), held within full scale; the chapter's
    limiter catches what this rounds off."""
    if not db:
        return pcm
    scaled = _int16(pcm).astype(np.float64) * _linear(db)
    return bytes(np.clip(np.rint(scaled), -32768, 32767).astype("<i2").tobytes())
