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

Its upsampling ConvTransposes become polyphase convolutions, which the runtime also runs
blocked (about 4 % faster again). The text encoder's feed-forward convolutions (width 3,
192 to 768 channels and back) are given a height of one each, alone (about 3.5 %).

A second step (``elementwise_on_blocks``) works on the model as ONNX Runtime optimised it
for this CPU (see piper_compiled): the decoder's element-wise steps run on the blocked
layout of its convolutions instead of reordering every tensor there and back, and its
residual sums, and the mean and LeakyRelu that end each stage, are done inside the
convolutions, and the upsampling's interleave moves the blocks themselves (about 13 %
faster together).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

DECODER = "/dec/"
FEED_FORWARD = "/enc_p/encoder/ffn_layers."
# What ``rewrite`` does, for the engine's version: the rewrites change the samples
# (below 16-bit resolution), so clips made before a change are not reused after it.
REWRITES = (
    "decoder but its last convolution as 2-D convolutions, upsampling as polyphase "
    "convolutions, text encoder's feed-forward convolutions as 2-D ones"
)
# Operations that work on tensors of any rank, so a height of one passes through them.
_ELEMENTWISE = frozenset({"Add", "Div", "LeakyRelu", "Mul", "Tanh"})
_CONVOLUTIONS = frozenset({"Conv", "ConvTranspose"})


def rewrite(model: bytes) -> bytes:
    """The model with each rewrite below that fits its graph; the others leave it as it is."""
    for step in (conv2d_decoder, conv2d_feed_forward):
        model = step(model) or model
    return model


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
    nodes = _without_narrow_end(nodes, weights)
    ends = _ends(graph, nodes, weights)
    if ends is None:
        return None
    entry, exit_ = ends
    for node in nodes:
        if node.op_type in _CONVOLUTIONS and not _widen(node, weights):
            return None
    _bracket(graph, entry, exit_, _height_axis(graph), "publisher/decoder")
    _polyphase_upsampling(graph, weights)
    return bytes(model.SerializeToString())


# Fewer output channels than this and a convolution is cheaper unblocked: blocked, the
# runtime computes a whole block of 8 or 16 channels for the vocoder's last, which has one.
_NARROW = 8


def _without_narrow_end(nodes: list[Any], weights: dict[str, Any]) -> list[Any]:
    """The decoder's nodes up to its last convolution when that one is narrow (HiFi-GAN's
    conv_post, 32 channels to one, at every sample): it and the steps after it stay 1-D,
    outside the region. About 2 % faster."""
    convolutions = [n for n in nodes if n.op_type in _CONVOLUTIONS]
    last = convolutions[-1] if convolutions else None
    weight = weights.get(last.input[1]) if last is not None and len(last.input) > 1 else None
    if last is None or weight is None or weight.dims[0] >= _NARROW:
        return nodes
    kept = nodes[: nodes.index(last)]
    return kept if any(n.op_type in _CONVOLUTIONS for n in kept) else nodes


def conv2d_feed_forward(model_bytes: bytes) -> bytes | None:
    """The model with each 1-D convolution of the text encoder's feed-forward layers as a
    1 x k 2-D one between an Unsqueeze and a Squeeze, or None when it has none.

    Each goes alone: between them are the layers' masks, which broadcast, so a region like
    the decoder's would not be closed. The runtime's blocked kernels still win over its
    plain ones for these (wide, over every phoneme) by more than the reorders cost.
    """
    import onnx

    model = onnx.load_model_from_string(model_bytes)
    graph = model.graph
    weights = {tensor.name: tensor for tensor in graph.initializer}
    chosen = [
        node
        for node in graph.node
        if node.op_type == "Conv" and node.name.startswith(FEED_FORWARD) and len(node.input) > 1
    ]
    # A convolution _widen does not know leaves the whole rewrite undone, as for the decoder.
    if not chosen or not all(_widen(node, weights) for node in chosen):
        return None
    axis = _height_axis(graph)
    for node in chosen:
        _bracket(graph, node, node, axis, node.name)
    return bytes(model.SerializeToString())


def _polyphase_upsampling(graph: Any, weights: dict[str, Any]) -> None:
    """Each upsampling ConvTranspose as a Conv that computes its output phases as channels,
    then interleaves them: ONNX Runtime runs ConvTranspose as a matrix product plus a
    scatter back into the output (col2im), half as fast per operation as its blocked
    convolutions, which now take the work. About 4 % faster overall."""
    nodes: list[Any] = []
    for node in graph.node:
        replaced = _polyphase(graph, node, weights) if node.op_type == "ConvTranspose" else None
        nodes.extend(replaced or [node])
    del graph.node[:]
    graph.node.extend(nodes)
    _drop_unused(graph)


def _drop_unused(graph: Any) -> None:
    """Remove initializers no node reads any more: the runtime warns about each on stderr."""
    used = {name for node in graph.node for name in node.input}
    unused = [tensor for tensor in graph.initializer if tensor.name not in used]
    for tensor in unused:
        graph.initializer.remove(tensor)


def _polyphase(graph: Any, node: Any, weights: dict[str, Any]) -> list[Any] | None:
    """HiFi-GAN's upsampling (stride s, kernel 2s, padding s/2, width-wise) as a 1 x 3
    Conv with s x C_out channels, or None for any other ConvTranspose.

    Output sample q*s + r (phase r) takes input samples q-1 and q when r < s/2, q and
    q+1 when r >= s/2, each through one tap of the kernel; a width-3 convolution reaches
    all three, with a zero weight where a phase does not.
    """
    import numpy as np
    from onnx import helper, numpy_helper

    attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    weight = weights.get(node.input[1])
    if weight is None or len(weight.dims) != 4 or weight.dims[2] != 1:
        return None
    c_in, c_out, _, width = weight.dims
    stride = list(attributes.get("strides", [1, 1]))[1]
    half = stride // 2
    plain = (
        width == 2 * stride
        and stride % 2 == 0
        and list(attributes.get("pads", [])) == [0, half, 0, half]
        and attributes.get("group", 1) == 1
        and list(attributes.get("dilations", [1, 1])) == [1, 1]
        and not any(attributes.get("output_padding", []))
        and attributes.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
    )
    if not plain:
        return None
    kernel = numpy_helper.to_array(weight)
    phases = np.zeros((stride, c_out, c_in, 1, 3), np.float32)
    for phase in range(stride):
        for shift in (-1, 0, 1):  # output q*s + r takes input q - shift
            tap = shift * stride + phase + half
            if 0 <= tap < width:
                phases[phase, :, :, 0, 1 - shift] = kernel[:, :, 0, tap].T
    base = f"{node.name}/polyphase"
    constants = {
        f"{base}/weight": phases.reshape(stride * c_out, c_in, 1, 3),
        f"{base}/phases": np.asarray([0, stride, c_out, -1], np.int64),
        f"{base}/samples": np.asarray([0, c_out, 1, -1], np.int64),
    }
    inputs = [node.input[0], f"{base}/weight"]
    bias = weights.get(node.input[2]) if len(node.input) > 2 else None
    if bias is not None:
        constants[f"{base}/bias"] = np.tile(numpy_helper.to_array(bias), stride)
        inputs.append(f"{base}/bias")
    for name, value in constants.items():
        graph.initializer.append(numpy_helper.from_array(value, name))
    return [
        helper.make_node(
            "Conv",
            inputs,
            [f"{base}/y"],
            name=f"{base}/Conv",
            kernel_shape=[1, 3],
            pads=[0, 1, 0, 1],
        ),
        helper.make_node(
            "Reshape", [f"{base}/y", f"{base}/phases"], [f"{base}/split"], name=f"{base}/split"
        ),
        helper.make_node(
            "Transpose",
            [f"{base}/split"],
            [f"{base}/interleaved"],
            name=f"{base}/interleave",
            perm=[0, 2, 3, 1],
        ),
        helper.make_node(
            "Reshape",
            [f"{base}/interleaved", f"{base}/samples"],
            [node.output[0]],
            name=f"{base}/samples",
        ),
    ]


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


def _height_axis(graph: Any) -> str:
    """The name of a constant [2]: the axis of the height given to 1-D tensors."""
    import numpy as np
    from onnx import numpy_helper

    name = "publisher/height_axis"
    if not any(tensor.name == name for tensor in graph.initializer):
        graph.initializer.append(numpy_helper.from_array(np.array([2], dtype=np.int64), name))
    return name


def _bracket(graph: Any, entry: Any, exit_: Any, axis: str, name: str) -> None:
    """Unsqueeze a region's input to height one and squeeze its output back."""
    from onnx import helper

    source, result = entry.input[0], exit_.output[0]
    entry.input[0] = f"{name}/height_in"
    exit_.output[0] = f"{name}/height_out"
    unsqueeze = helper.make_node(
        "Unsqueeze", [source, axis], [entry.input[0]], name=f"{name}/unsqueeze"
    )
    squeeze = helper.make_node("Squeeze", [exit_.output[0], axis], [result], name=f"{name}/squeeze")
    graph.node.insert(list(graph.node).index(entry), unsqueeze)
    graph.node.insert(list(graph.node).index(exit_) + 1, squeeze)


def _size(tensor: Any) -> int:
    size = 1
    for dim in tensor.dims:
        size *= dim
    return size


# ONNX Runtime's own operators for convolutions on channels in blocks of 8 or 16 ("NCHWc"),
# as it writes them into an optimised model.
NCHWC = "com.microsoft.nchwc"
# Element-wise operations: a tensor's blocked layout is only an order of its elements, so
# they give the same numbers on it as on the plain one.
_ON_BLOCKS = frozenset({"Add", "Div", "LeakyRelu", "Mul"})
# Steps that move a feature map's samples without making it smaller (the polyphase
# upsampling's interleave): what they give is still a whole feature map.
_REARRANGING = frozenset({"Reshape", "Transpose"})


def elementwise_on_blocks(optimized: bytes) -> bytes | None:
    """ONNX Runtime's optimised model with fewer reorders: element-wise steps between
    blocked convolutions work on the blocks, and residual Adds (and the vocoder's stage
    means) are done inside the convolutions; None when there is nothing to take out.

    ONNX Runtime reorders every blocked convolution's output back to plain layout and the
    next one's input into blocks again, because it does not know that an element-wise step
    (the vocoder's LeakyRelu, residual Add, the mean's Div) can run on either. In Piper's
    decoder those reorders cost about 8 % of the narration. A step goes on blocks only when
    every tensor it takes is blocked, a scalar constant, or a whole feature map from a
    convolution (reordered into blocks once, there), so no broadcast operand meets a
    blocked layout; a tensor is reordered back to plain layout only where a step needs it.
    The result is a new graph that the caller must check against the runtime's own, as
    piper_compiled does: this pass knows the operators' layouts, not their shapes.
    """
    import onnx

    model = onnx.load_model_from_string(optimized)
    weights = {t.name: t for t in model.graph.initializer}
    unblocking = _Unblocking(weights)
    nodes = unblocking.nodes(model.graph)
    if nodes is None or _reorders(nodes) >= _reorders(model.graph.node):
        return None
    nodes = _means_folded(nodes, weights)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(unblocking.constants)
    _drop_unused(model.graph)
    del model.graph.value_info[:]  # shapes of renamed tensors; the runtime infers them again
    return bytes(model.SerializeToString())


class _Unblocking:
    """One pass over a topologically ordered graph, tracking which tensors are blocked."""

    def __init__(self, weights: dict[str, Any]) -> None:
        self.weights = weights
        self.blocked: dict[str, str] = {}  # plain tensor -> its blocked form
        self.channels: dict[str, int] = {}  # blocked tensor -> its number of channels
        self.alias: dict[str, str] = {}  # a removed reorder's output -> what it reordered
        self.plain: set[str] = set()  # tensors that exist in plain layout
        self.convolved: set[str] = set()  # plain outputs of convolutions
        self.out: list[Any] = []
        self.constants: list[Any] = []  # new initializers the new nodes read
        self.interleaves: dict[int, tuple[Any, Any, int, int]] = {}
        self.taken: set[int] = set()  # nodes already done as part of another's work
        self.block = 0  # the runtime's channels per block, once known

    def nodes(self, graph: Any) -> list[Any] | None:
        self.plain = {i.name for i in graph.input} | set(self.weights)
        nodes = list(graph.node)  # one Python object per node: they are told apart by id()
        self.block = runtime_block_size()
        self.interleaves = _interleaves(nodes, self.weights)
        for node in nodes:
            if any(a.g.node or a.graphs for a in node.attribute):
                return None  # subgraphs (If, Loop) are not followed
            if id(node) in self.taken:
                continue
            if not all(self._known(name) for name in node.input):
                return None  # not in topological order
            self._take(node)
        for output in graph.output:
            self._need_plain(output.name)
        return self._residuals_summed()

    def _residuals_summed(self) -> list[Any]:
        """A blocked convolution followed by an Add of another blocked tensor (the
        vocoder's residual connections) becomes one convolution that adds into that
        tensor's copy as it goes: one pass over the samples fewer, about 4 % faster.
        The sums round differently, by about 3e-7 of full scale."""
        made_by = {name: node for node in self.out for name in node.output}
        readers = Counter(name for node in self.out for name in node.input)
        fused: dict[int, Any] = {}  # an Add -> the convolution that now does its work
        for node in self.out:
            if node.domain != "" or node.op_type != "Add":
                continue
            for mine, other in ((0, 1), (1, 0)):
                conv = made_by.get(node.input[mine])
                if conv is None or node.input[other] not in self.channels:
                    continue
                if _sums_into(conv, readers[node.input[mine]]):
                    conv.input.extend([""] * (3 - len(conv.input)) + [node.input[other]])
                    conv.output[0] = node.output[0]
                    fused[id(node)] = conv
                    break
        # Each such convolution moves to its Add's place, after the tensor it adds into.
        moved = {id(conv) for conv in fused.values()}
        return [fused.get(id(n), n) for n in self.out if id(n) not in moved]

    def _known(self, name: str) -> bool:
        name = self.alias.get(name, name)
        return not name or name in self.plain or name in self.blocked or name in self.channels

    def _take(self, node: Any) -> None:
        if node.domain == NCHWC and node.op_type == "ReorderOutput" and _plain_nchw(node):
            source = self.alias.get(node.input[0], node.input[0])
            self.blocked[node.output[0]] = source
            self.channels[source] = _attribute(node, "channels")
            return
        if node.domain == NCHWC and node.op_type == "ReorderInput":
            source = self.alias.get(node.input[0], node.input[0])
            if source in self.blocked and _plain_nchw(node):
                self.alias[node.output[0]] = self.blocked[source]
                return
        elif self._on_blocks(node) or self._interleave_blocks(node):
            return
        for index, name in enumerate(node.input):
            node.input[index] = self._need_plain(self.alias.get(name, name))
        self.out.append(node)
        produced = set(node.output)
        if node.domain == NCHWC:
            self.channels.update(dict.fromkeys(produced, 0))  # blocked, width unknown yet
        else:
            self.plain |= produced
            rearranged = node.op_type in _REARRANGING and node.input[0] in self.convolved
            if node.op_type in _CONVOLUTIONS or rearranged:
                self.convolved |= produced

    def _on_blocks(self, node: Any) -> bool:
        """Whether ``node`` now works on blocks: an element-wise step whose tensors are
        blocked, or are a convolution's output (a whole feature map, the same shape as the
        blocked one it is added to) that is reordered into blocks here."""
        if node.domain != "" or node.op_type not in _ON_BLOCKS:
            return False
        tensors = [self.alias.get(n, n) for n in node.input if not _scalar(self.weights.get(n))]
        forms = [self.blocked.get(n) for n in tensors]
        widths = {self.channels.get(f, 0) for f in forms if f is not None}
        if len(widths) != 1 or 0 in widths:
            return False
        width = widths.pop()
        if any(f is None and n not in self.convolved for n, f in zip(tensors, forms, strict=True)):
            return False
        for name, form in zip(tensors, forms, strict=True):
            if form is None:
                self._reorder_in(name, width)
        node.input[:] = [self.blocked.get(self.alias.get(n, n), n) for n in node.input]
        output = node.output[0]
        node.output[0] = f"{output}/blocked"
        self.blocked[output] = node.output[0]
        self.channels[node.output[0]] = width
        self.out.append(node)
        return True

    def _interleave_blocks(self, split: Any) -> bool:
        """The polyphase upsampling's interleave (Reshape, Transpose, Reshape) done on its
        convolution's blocks, so the upsampled feature map is never in plain layout: the
        blocks of phase r of every channel block c become samples q * s + r of block c.
        Only when each phase's channels fill whole blocks."""
        from onnx import helper, numpy_helper

        if id(split) not in self.interleaves:
            return False
        transpose, samples, stride, channels = self.interleaves[id(split)]
        source = self.blocked.get(self.alias.get(split.input[0], split.input[0]))
        if source is None or not self.block or channels % self.block:
            return False
        base = split.name
        shapes = {
            f"{base}/blocked_phases": [stride, channels // self.block, -1, self.block],
            f"{base}/blocked_samples": [1, channels, 1, -1],
        }
        for name, shape in shapes.items():
            self.constants.append(numpy_helper.from_array(_int64(shape), name))
        result = f"{samples.output[0]}/blocked"
        self.out += [
            helper.make_node(
                "Reshape", [source, f"{base}/blocked_phases"], [f"{base}/p"], name=f"{base}/p"
            ),
            helper.make_node(
                "Transpose", [f"{base}/p"], [f"{base}/t"], name=f"{base}/t", perm=[1, 2, 0, 3]
            ),
            helper.make_node(
                "Reshape", [f"{base}/t", f"{base}/blocked_samples"], [result], name=result
            ),
        ]
        self.taken |= {id(transpose), id(samples)}
        self.blocked[samples.output[0]] = result
        self.channels[result] = channels
        return True

    def _reorder_in(self, name: str, width: int) -> None:
        from onnx import helper

        blocked = f"{name}/blocked"
        self.out.append(
            helper.make_node(
                "ReorderInput", [name], [blocked], name=blocked, domain=NCHWC, channels_last=0
            )
        )
        self.blocked[name] = blocked
        self.channels[blocked] = width

    def _need_plain(self, name: str) -> str:
        """``name`` in plain layout, reordered back from its blocks the first time a step
        needs it so."""
        if name in self.blocked and name not in self.plain:
            from onnx import helper

            source = self.blocked[name]
            self.out.append(
                helper.make_node(
                    "ReorderOutput",
                    [source],
                    [name],
                    name=f"{name}/plain",
                    domain=NCHWC,
                    channels=self.channels[source],
                    channels_last=0,
                )
            )
            self.plain.add(name)
            self.convolved.add(name)
        return name


def _block_size(nodes: Any, weights: dict[str, Any]) -> int:
    """The channels per block (16 with AVX-512, 8 with AVX2) that a blocked convolution
    with fewer output channels than one block shows: its weights are padded to a whole
    block. 0 when no convolution shows it."""
    made_by = {name: node for node in nodes for name in node.output}
    for node in nodes:
        if node.domain != NCHWC or node.op_type != "ReorderOutput":
            continue
        conv = made_by.get(node.input[0])
        weight = weights.get(conv.input[1]) if conv is not None and len(conv.input) > 1 else None
        if conv is None or conv.op_type != "Conv" or weight is None:
            continue
        padded, channels = weight.dims[0], _attribute(node, "channels")
        if 0 < channels < padded and padded in (4, 8, 16, 32, 64):
            return int(padded)
    return 0


@cache
def runtime_block_size() -> int:
    """The runtime's channels per block on this CPU, read off how it lays out a convolution
    to one channel (padded to a whole block); 0 where it has no blocked convolutions."""
    import numpy as np
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.ones((1, 16, 1, 3), np.float32), "w")
    shape = [1, 16, 1, None]
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[1, 3], pads=[0, 1, 0, 1])],
        "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 1, None])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    with tempfile.TemporaryDirectory(prefix="publisher-block-") as scratch:
        options.optimized_model_filepath = str(Path(scratch) / "block.onnx")
        onnxruntime.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        optimised = onnx.load(Path(scratch) / "block.onnx")
    nodes = list(optimised.graph.node)
    return _block_size(nodes, {t.name: t for t in optimised.graph.initializer})


def _interleaves(nodes: Any, weights: dict[str, Any]) -> dict[int, tuple[Any, Any, int, int]]:
    """The polyphase upsamplings' interleaves (see _polyphase): for each first Reshape,
    its Transpose, its last Reshape, the stride and the channels."""
    from onnx import numpy_helper

    read_by = _readers(nodes)
    found = {}
    for split in nodes:
        phases = weights.get(split.input[1]) if split.op_type == "Reshape" else None
        following = read_by.get(split.output[0], [])
        if phases is None or len(following) != 1 or following[0].op_type != "Transpose":
            continue
        transpose = following[0]
        after = read_by.get(transpose.output[0], [])
        if len(after) != 1 or after[0].op_type != "Reshape" or after[0].input[1] not in weights:
            continue
        perm = [a.ints for a in transpose.attribute if a.name == "perm"]
        shape = numpy_helper.to_array(phases).tolist()
        samples = numpy_helper.to_array(weights[after[0].input[1]]).tolist()
        if len(shape) != 4 or shape[0] != 0 or shape[3] != -1 or perm != [[0, 2, 3, 1]]:
            continue
        if samples == [0, shape[2], 1, -1]:
            found[id(split)] = (transpose, after[0], int(shape[1]), int(shape[2]))
    return found


def _readers(nodes: Any) -> dict[str, list[Any]]:
    """Every tensor's readers, by name."""
    read_by: dict[str, list[Any]] = {}
    for node in nodes:
        for name in node.input:
            read_by.setdefault(name, []).append(node)
    return read_by


def _int64(values: list[int]) -> Any:
    import numpy as np

    return np.asarray(values, dtype=np.int64)


def _means_folded(nodes: list[Any], weights: dict[str, Any]) -> list[Any]:
    """Each stage of the vocoder ends in the mean of its residual blocks, then a LeakyRelu,
    then a convolution: two passes over the samples that the blocks' last convolution can
    do as it goes. It adds the other blocks' results into its sum and applies the
    LeakyRelu itself; the division moves into the next convolution's weights (a LeakyRelu
    of x / 3 is the LeakyRelu of x, over 3). About 2 % faster."""
    import numpy as np
    from onnx import helper, numpy_helper

    made_by = {name: node for node in nodes for name in node.output}
    read_by = _readers(nodes)
    order = {id(node): place for place, node in enumerate(nodes)}
    gone: set[int] = set()
    sums: dict[int, list[Any]] = {}  # a convolution -> the Adds it now needs before it
    for relu in nodes:
        found = _mean_before(relu, made_by, read_by, weights)
        if found is None:
            continue
        div, adds, terms, divisor, after = found
        last = max(terms, key=lambda conv: order[id(conv)])
        total = last.input[3]
        sums[id(last)] = []
        for term in terms:
            if term is not last:
                name = f"{term.output[0]}/summed"
                sums[id(last)].append(
                    helper.make_node("Add", [total, term.output[0]], [name], name=name)
                )
                total = name
        last.input[3] = total
        last.output[0] = relu.output[0]
        alpha = next((a.f for a in relu.attribute if a.name == "alpha"), 0.01)
        last.attribute.extend(
            [
                helper.make_attribute("activation", "LeakyRelu"),
                helper.make_attribute("activation_params", [alpha]),
            ]
        )
        for conv in after:
            weight = weights[conv.input[1]]
            scaled = numpy_helper.to_array(weight) / divisor
            weight.CopyFrom(numpy_helper.from_array(scaled.astype(np.float32), weight.name))
        gone |= {id(relu), id(div)} | {id(add) for add in adds}
    folded: list[Any] = []
    for node in nodes:
        if id(node) not in gone:
            folded.extend([*sums.get(id(node), []), node])
    return folded


def _mean_before(
    relu: Any, made_by: dict[str, Any], read_by: dict[str, list[Any]], weights: dict[str, Any]
) -> tuple[Any, list[Any], list[Any], float, list[Any]] | None:
    """For a LeakyRelu of (a sum of summing convolutions) / a positive constant, read only
    by convolutions that own their weights: the Div, the Adds, the convolutions, the
    constant and the convolutions after; else None."""
    from onnx import numpy_helper

    if relu.domain != "" or relu.op_type != "LeakyRelu":
        return None
    div = made_by.get(relu.input[0])
    if div is None or div.domain != "" or div.op_type != "Div":
        return None
    constant = weights.get(div.input[1])
    if constant is None or len(read_by[div.output[0]]) != 1 or not _scalar(constant):
        return None
    divisor = float(numpy_helper.to_array(constant).reshape(-1)[0])
    after = _convolutions_after(relu.output[0], read_by, weights)
    terms = _summed(div.input[0], made_by, read_by)
    if not divisor > 0 or not after or terms is None or len(terms) < 3:
        return None
    adds = [node for node in terms if node.op_type == "Add"]
    convs = [node for node in terms if node.op_type == "Conv"]
    return div, adds, convs, divisor, after


# Steps that only change how a tensor is laid out or shaped, not its numbers.
_LAYOUT = frozenset({("", "Squeeze"), ("", "Unsqueeze"), (NCHWC, "ReorderOutput")})


def _convolutions_after(
    name: str, read_by: dict[str, list[Any]], weights: dict[str, Any]
) -> list[Any]:
    """The convolutions that take ``name`` (through layout steps read by nothing else) as
    their input and own their weights; empty when anything else reads it."""
    readers = read_by.get(name, [])
    found = []
    for node in readers:
        if (node.domain, node.op_type) in _LAYOUT:
            further = _convolutions_after(node.output[0], read_by, weights)
            if not further or len(readers) != 1:
                return []
            found += further
        elif (
            node.op_type in ("Conv", "FusedConv")
            and list(node.input).index(name) == 0
            and node.input[1] in weights
            and len(read_by[node.input[1]]) == 1
        ):
            found.append(node)
        else:
            return []
    return found


def _summed(name: str, made_by: dict[str, Any], read_by: dict[str, list[Any]]) -> list[Any] | None:
    """The Adds and summing convolutions (no activation yet) that make ``name``, when it is
    a tree of Adds, each read once, over them; else None."""
    node = made_by.get(name)
    if node is None or len(read_by.get(name, [])) != 1:
        return None
    if node.domain == "" and node.op_type == "Add":
        left, right = (_summed(n, made_by, read_by) for n in node.input)
        return None if left is None or right is None else [node, *left, *right]
    summing = node.domain == NCHWC and node.op_type == "Conv" and len(node.input) == 4
    if summing and not any(a.name == "activation" for a in node.attribute):
        return [node]
    return None


def _sums_into(conv: Any, readers: int) -> bool:
    """Whether ``conv`` is a blocked convolution that can add its result into a tensor:
    read by nothing else, and with no activation (it would apply after the sum)."""
    return (
        conv.domain == NCHWC
        and conv.op_type == "Conv"
        and readers == 1
        and len(conv.input) <= 3
        and not any(a.name == "activation" for a in conv.attribute)
    )


def _reorders(nodes: Any) -> int:
    return sum(1 for node in nodes if node.domain == NCHWC and node.op_type.startswith("Reorder"))


def _plain_nchw(node: Any) -> bool:
    return _attribute(node, "channels_last") == 0


def _attribute(node: Any, name: str) -> int:
    return next((a.i for a in node.attribute if a.name == name), 0)


def _scalar(tensor: Any) -> bool:
    return tensor is not None and _size(tensor) == 1
