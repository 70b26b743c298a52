"""Piper's voice compiled for this machine, made once and kept in the cache folder.

Before it narrates, ONNX Runtime optimises the voice's graph for the CPU it runs on: it
fuses operations and lays the convolutions' weights out in blocks of 8 or 16 channels.
With the decoder rewrite (piper_graph) that cost every worker about 0.75 s at start-up,
and every one-sentence rebuild too. The result depends only on the model, the versions of
the libraries and the CPU, so it is kept in a file named by a hash of all four and loaded
from there next time (about 0.1 s). On the way, piper_graph.elementwise_on_blocks takes
out the runtime's reorders in the vocoder and does its residual sums, and the mean that
ends each of its stages, inside the convolutions.
Before it is kept, the compiled model must give the samples of the runtime's own
optimisation to within 1e-5 of full scale (a third of a 16-bit step); if it does not,
or cannot be made, the runtime's own optimisation is used and nothing is kept.
"""

from __future__ import annotations

import hashlib
import logging
import platform
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from publisher.files import write_whole
from publisher.speech.engines.piper_graph import REWRITES, elementwise_on_blocks, rewrite

log = logging.getLogger(__name__)

# Bumped whenever what is done to the graph changes.
COMPILER = 4
# For the engine's version: what makes the samples, down to how sums are rounded, so
# clips from before a change are not reused after it.
DESCRIPTION = (
    f"{REWRITES}, compiled for this CPU with residual sums and each stage's mean inside "
    f"the convolutions (compiler {COMPILER})"
)


# A kept voice is this header, then the SHA-256 of the model, then the ONNX model: a
# damaged or truncated file is found before the runtime reads it, and compiled again.
_MAGIC = b"PUBVOICE1"


def piper_session(model: bytes) -> Any:
    """An ONNX Runtime session for the Piper model, on one thread, compiled for this CPU."""
    kept = kept_path(model)
    compiled = _read(kept)
    if compiled is not None:
        try:
            return _session(compiled, optimise=False)
        except Exception as exc:  # whole, yet not a model this runtime takes
            log.info("compiled voice %s unusable (%s); compiling again", kept.name, exc)
    return _compile_and_keep(model, kept)


def compile_voice(model: bytes) -> None:
    """Compile and keep the model for this machine, unless it is kept already."""
    kept = kept_path(model)
    if not kept.is_file():
        _compile_and_keep(model, kept)


def kept_path(model: bytes) -> Path:
    """Where this machine keeps ``model`` compiled (whether or not it is there yet)."""
    return compiled_dir() / f"piper-{_key(model)}.voice"


def _compile_and_keep(model: bytes, kept: Path) -> Any:
    rewritten = rewrite(model)
    try:
        session, compiled = _compile(rewritten)
    except Exception as exc:  # no room in the temporary folder for the optimised copy, say
        log.info("cannot compile the Piper voice here (%s); narrating without", exc)
        return _session(rewritten, optimise=True)
    if compiled is not None:
        _keep(kept, compiled)
    return session


def compiled_dir() -> Path:
    """Where compiled voices are kept: "voices" in the cache folder when that is on this
    machine (a compiled voice suits one CPU, so a shared cache URL is not used)."""
    from publisher.cache import machine_cache_dir

    return machine_cache_dir("voices")


def _compile(model: bytes) -> tuple[Any, bytes | None]:
    """A session for ``model`` and the compiled model to keep, or None when the compiled
    one does not give the same samples (then the session is the runtime's own)."""
    with tempfile.TemporaryDirectory(prefix="publisher-voice-") as scratch:
        saved = Path(scratch) / "optimised.onnx"
        reference = _session(model, optimise=True, save_to=saved)
        optimised = saved.read_bytes()
    probe = _probe(reference)
    if probe is None:
        return reference, None
    try:
        expected = reference.run(None, probe)[0]
    except Exception as exc:  # a voice with fewer phonemes than the probe uses, say
        log.info("cannot check a compiled Piper voice (%s); not used", exc)
        return reference, None
    del reference  # one session at a time: compiling peaks at about 0.5 GB as it is
    for candidate in (_rewritten(optimised), optimised):
        if candidate is None:
            continue
        try:
            session = _session(candidate, optimise=False)
            if _same(session.run(None, probe)[0], expected):
                return session, candidate
        except Exception as exc:  # a rewrite that made a graph the runtime refuses
            log.info("a compiled Piper voice failed (%s); not used", exc)
            continue
        del session
        log.info("a compiled Piper voice gave other samples; not used")
    return _session(model, optimise=True), None


def _rewritten(optimised: bytes) -> bytes | None:
    try:
        return elementwise_on_blocks(optimised)
    except Exception as exc:  # a graph this rewrite did not foresee
        log.info("cannot rewrite the optimised Piper voice (%s)", exc)
        return None


def _session(model: bytes, optimise: bool, save_to: Path | None = None) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # One thread per model: parallelism comes from worker processes, one per core,
    # which on two cores narrate about 1.5 times faster than one process using both.
    # It also makes the samples reproducible: ONNX Runtime's sums come out a little
    # different with a different number of threads.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    if not optimise:  # compiled already: optimising again would find nothing to do
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    if save_to is not None:
        options.optimized_model_filepath = str(save_to)
        # Its warning that the saved model suits this machine only is known and heeded
        # (the file's name holds a hash of the CPU's features); stderr is the user's.
        options.log_severity_level = 3
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _probe(session: Any) -> dict[str, Any] | None:
    """A short utterance in Piper's input format, or None for a model that takes others."""
    import numpy as np

    phonemes = np.asarray([[1, 20, 59, 3, 24, 120, 14, 3, 32, 27, 100, 3, 17, 2]], np.int64)
    known = {
        "input": phonemes,
        "input_lengths": np.asarray([phonemes.shape[1]], np.int64),
        "scales": np.asarray([0.0, 1.0, 0.0], np.float32),
        "sid": np.asarray([0], np.int64),
    }
    names = [i.name for i in session.get_inputs()]
    return {n: known[n] for n in names} if all(n in known for n in names) else None


def _same(got: Any, expected: Any) -> bool:
    """The same samples to well below 16-bit resolution (1 / 32768 = 3e-5 of full scale):
    the compiled voice's fused sums round a little differently."""
    import numpy as np

    return bool(got.shape == expected.shape and np.abs(got - expected).max() <= 1e-5)


def _read(path: Path) -> bytes | None:
    """The kept model, or None when there is none or it is not whole."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    model = data[head:]
    if data[: len(_MAGIC)] != _MAGIC or hashlib.sha256(model).digest() != data[len(_MAGIC) : head]:
        log.info("compiled voice %s is damaged; compiling again", path.name)
        return None
    return model


def _keep(path: Path, model: bytes) -> None:
    """Written whole or not at all; a cache folder that cannot be written to only means
    compiling again next time."""
    try:
        write_whole(path, _MAGIC + hashlib.sha256(model).digest(), model)
    except OSError as exc:
        log.info("cannot keep the compiled voice in %s: %s", path.parent, exc)


def _key(model: bytes) -> str:
    parts = [
        hashlib.sha256(model).hexdigest(),
        DESCRIPTION,
        *(f"{p} {package_version(p)}" for p in ("onnxruntime", "onnx")),
        _cpu(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _cpu() -> str:
    """What the runtime's choice of kernels and block size depends on."""
    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8") as info:
            flags = next((line for line in info if line.startswith(("flags", "Features"))), "")
    except OSError:
        flags = ""
    return f"{platform.machine()} {flags.strip()}"


def package_version(package: str) -> str:
    """An installed package's version, or "missing"."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"
