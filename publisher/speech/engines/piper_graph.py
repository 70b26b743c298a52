"""Piper's vocoder rewritten as 2-D convolutions, which ONNX Runtime runs faster on a CPU.

Three quarters of Piper's time is its HiFi-GAN decoder: one-dimensional convolutions over
every output sample. ONNX Runtime has blocked, vectorised kernels ("NCHWc") only for 2-D
convolution, so the decoder is given a height of one: each 1-D kernel of width k becomes a
1 x k kernel, and the region is entered through an Unsqueeze and left through a Squeeze.
The arithmetic is the same (samples differ by about 1e-6 of full scale, below 16-bit
resolution); one thread narrates about 18 % faster.

The rewrite applies only when the decoder is the closed region it is in the voices Piper
trains: convolutions, element-wise operations and scalar constants, one tensor in, one
out. Any other graph is left as it is.
"""

from __future__ import annotations

from typing import Any

DECODER = "/dec/"
# Operations that work on tensors of any rank, so a height of one passes through them.
_ELEMENTWISE = frozenset({"Add", "Div", "LeakyRelu", "Mul", "Tanh"})
_CONVOLUTIONS = frozenset({"Conv", "ConvTranspose"})


def conv2d_decoder(model_bytes: bytes) -> bytes | None:
    """The model with its decoder as 2-D convolutions, or None when its graph is not the
    shape this rewrite knows."""
    import onnx

    model = onnx.load_model_from_string(model_bytes)
    graph = model.graph
    nodes = [node for node in graph.node if node.name.startswith(DECODER)]
    if not nodes or any(n.op_type not in _ELEMENTWISE | _CONVOLUTIONS for n in nodes):
        return None
    weights = {tensor.name: tensor for tensor in graph.initializer}
    ends = _ends(graph, nodes, weights)
    if ends is None:
        return None
    entry, exit_ = ends
    for node in nodes:
        if node.op_type in _CONVOLUTIONS and not _widen(node, weights):
            return None
    _bracket(graph, entry, exit_)
    return bytes(model.SerializeToString())


def _ends(graph: Any, nodes: list[Any], weights: dict[str, Any]) -> tuple[Any, Any] | None:
    """The decoder's one way in (a convolution's input) and one way out, if it has them."""
    inside = {name for node in nodes for name in node.output}
    outside_uses = {name for node in graph.node if node not in nodes for name in node.input}
    outside_uses |= {output.name for output in graph.output}
    entries = [
        (node, name)
        for node in nodes
        for name in node.input
        if name not in inside and name not in weights
    ]
    exits = [node for node in nodes if any(name in outside_uses for name in node.output)]
    if len(entries) != 1 or len(exits) != 1 or len(exits[0].output) != 1:
        return None
    entry, _ = entries[0]
    if entry.op_type != "Conv" or entry.input[0] != entries[0][1]:
        return None
    for node in nodes:  # constants outside the convolutions must broadcast as scalars
        if node.op_type in _ELEMENTWISE:
            for name in node.input:
                if name in weights and _size(weights[name]) != 1:
                    return None
    return entry, exits[0]


def _widen(node: Any, weights: dict[str, Any]) -> bool:
    """A 1-D convolution as a 1 x k 2-D one: weights get a unit height, and every spatial
    attribute an entry for it."""
    from onnx import helper, numpy_helper

    weight = weights.get(node.input[1])
    if weight is None or len(weight.dims) != 3:
        return False
    array = numpy_helper.to_array(weight)
    weight.CopyFrom(numpy_helper.from_array(array[:, :, None, :], weight.name))
    attributes = []
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        if attribute.name == "pads":
            value = [0, value[0], 0, value[1]]
        elif attribute.name in ("kernel_shape", "strides", "dilations"):
            value = [1, *value]
        elif attribute.name == "output_padding":
            value = [0, *value]
        elif attribute.name not in ("group", "auto_pad"):
            return False
        attributes.append(helper.make_attribute(attribute.name, value))
    del node.attribute[:]
    node.attribute.extend(attributes)
    return True


def _bracket(graph: Any, entry: Any, exit_: Any) -> None:
    """Unsqueeze the decoder's input to height one and squeeze its output back."""
    import numpy as np
    from onnx import helper, numpy_helper

    axis = numpy_helper.from_array(np.array([2], dtype=np.int64), "publisher/height_axis")
    graph.initializer.append(axis)
    source, result = entry.input[0], exit_.output[0]
    entry.input[0] = "publisher/decoder_in"
    exit_.output[0] = "publisher/decoder_out"
    unsqueeze = helper.make_node(
        "Unsqueeze", [source, axis.name], [entry.input[0]], name="publisher/unsqueeze"
    )
    squeeze = helper.make_node(
        "Squeeze", [exit_.output[0], axis.name], [result], name="publisher/squeeze"
    )
    position = list(graph.node).index(entry)
    graph.node.insert(position, unsqueeze)
    graph.node.insert(list(graph.node).index(exit_) + 1, squeeze)


def _size(tensor: Any) -> int:
    size = 1
    for dim in tensor.dims:
        size *= dim
    return size
