"""Loudness profiles and the limiter, measured on real audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mutagen.mp3 import BitrateMode

from publisher.audio.loudness import (
    PROFILES,
    _least_within,
    _TruePeaks,
    measure,
    normalise,
)

from ..books import three_rooms
from ..sound import chapter_levels


@pytest.mark.slow
def test_the_podcast_profile_is_louder_and_at_44_1_khz(tmp_path: Path) -> None:
    report = three_rooms(tmp_path, {"audio.profile": "podcast", "outputs.m4b": False})
    for info, level in chapter_levels(report):
        assert info.info.sample_rate == 44100
        assert abs(level.integrated_lufs - (-16.0)) <= 1.0, level
        assert level.true_peak_db <= -1.0, level
    assert not list(report.folder.glob("*.m4b"))


@pytest.mark.slow
def test_an_acx_build_passes_every_acx_figure(tmp_path: Path) -> None:
    report = three_rooms(tmp_path, {"audio.profile": "acx"})
    for info, level in chapter_levels(report):
        assert info.info.sample_rate == 44100
        assert round(info.info.bitrate / 1000) == 192 and info.info.bitrate_mode == BitrateMode.CBR
        assert -23.0 <= level.rms_db <= -18.0, level
        assert level.sample_peak_db <= -3.0, level
        assert level.noise_floor_db <= -60.0, level
        assert 0.5 <= level.head_s <= 1.0 and 1.0 <= level.tail_s <= 5.0, level


def test_acx_refuses_a_bitrate_it_does_not_accept(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="ACX requires 192 kbps"):
        three_rooms(tmp_path, {"audio.profile": "acx", "audio.bitrate": 64})


def test_audio_too_quiet_to_measure_is_not_blown_up_to_the_target() -> None:
    hiss = bytes(b if i % 2 == 0 else 0 for i, b in enumerate(bytes(range(4)) * 33_075))
    assert normalise(hiss, 22050, PROFILES["speech"]) == hiss


@pytest.mark.parametrize("samples", [1, 21, 22, 23, 500, 9000])
def test_audio_of_any_length_keeps_its_length_through_the_limiter(samples: int) -> None:
    pcm = (np.sin(np.arange(samples) / 3) * 20000).astype("<i2").tobytes()
    out = normalise(pcm, 22050, PROFILES["speech"])
    assert len(out) == len(pcm)
    assert np.abs(np.frombuffer(out, "<i2")).max() <= 32767 * 10 ** (-1 / 20) + 1


def test_the_limiter_holds_peaks_between_samples_under_the_ceiling() -> None:
    # A low hum with 2 ms bursts of a tone at a quarter of the sample rate, sampled 45
    # degrees off its crests: the bursts' samples are 3 dB under the wave's true peak.
    rate, profile = 22050, PROFILES["speech"]
    signal = 3000 * np.sin(2 * np.pi * 200 * np.arange(rate * 4) / rate)
    burst = np.arange(44)
    for start in range(rate // 2, rate * 4, rate):
        signal[start : start + burst.size] = 30000 * np.sin(np.pi * burst / 2 + np.pi / 4)
    out = normalise(signal.astype("<i2").tobytes(), rate, profile)
    level = measure(out, rate)  # ffmpeg's meter
    assert level.true_peak_db <= profile.peak_db, level
    assert level.sample_peak_db <= profile.ceiling_db - 2.5, level  # 3 dB under, as the tone


@pytest.mark.slow
@given(st.integers(1, 3000), st.floats(0.1, 8.0), st.integers(0, 2**32 - 1))
def test_the_limiter_works_out_every_true_peak_the_gain_could_take_over_the_ceiling(
    samples: int, gain: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    pcm = (rng.normal(0, 4000, samples) * rng.uniform(0, 2, samples)).clip(-32768, 32767)
    ceiling = 10 ** (-2 / 20)
    lazy = _TruePeaks(pcm.astype("<i2"), 22050).at_gain(gain, ceiling)
    every = _TruePeaks(pcm.astype("<i2"), 22050).at_gain(np.inf, ceiling)
    assert (lazy >= every).all()
    needed = np.minimum(1, ceiling / np.maximum(lazy * gain, 1e-12))
    assert np.array_equal(needed, np.minimum(1, ceiling / np.maximum(every * gain, 1e-12)))


@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=300),
    st.integers(0, 50),
)
def test_the_limiters_running_minimum_sees_exactly_its_reach(
    values: list[float], reach: int
) -> None:
    array = np.asarray(values)
    expected = [min(values[max(0, i - reach) : i + reach + 1]) for i in range(len(values))]
    assert _least_within(array, reach).tolist() == expected
