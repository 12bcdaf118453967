#!/usr/bin/python3
"""Generate the model-zoo corpus of issue 4: torchvision models, RNNs and
Transformers, each scripted AND traced by PyTorch, with inputs and outputs.

    /usr/bin/python3 gen_models.py OUTDIR [--models a,b,...] [--force]
    /usr/bin/python3 gen_models.py --list-models     # names, ';'-separated
                                                     # (no torch needed; CMake uses it)

Every model is built with a fixed seed (torch.manual_seed), random weights,
eval(), batch 1, 224x224 images unless noted. Norm layers, whose
torchvision initialisation is the identity (weight 1, bias 0, running mean 0,
running var 1), get seeded random affine parameters and running statistics
so that the conformance run exercises every term of batch_norm / layer_norm.

For every model M, OUTDIR receives
    M.scripted.pt       torch.jit.save(torch.jit.script(model))
    M.traced.pt         torch.jit.save(torch.jit.trace(model, args)) (with
                        check_trace=False when PyTorch's own check fails:
                        see "trace_check" in M.json)
    M.args.pt           torch.save of the positional arguments (a tuple)
    M.scripted.out.pt   torch.save of the result of the *loaded* scripted
    M.traced.out.pt     ... and traced archives on M.args.pt (NamedTuples are
                        saved as plain tuples)
    M.json              this model's manifest entry, with the cache key
and OUTDIR/manifest.json, rebuilt from all M.json present after every run.

Cache: the key of a model is sha256(this script's bytes, the model name,
torch's version). A model whose M.json holds the current key and whose files
all exist is skipped, so a rerun costs only the import of torch. --force
regenerates anyway. The weights are never committed: OUTDIR is a cache under
the build tree.

Exit status: 0 written (or cached), 77 when /usr/bin/python3 has no torch
(ctest SKIP; with CTS_REQUIRE_TORCH=1 in the environment that is 1), 1 on any
other failure, 2 for usage errors.
"""
import sys

# Model names are listed before torch is imported, so that CMake can ask for
# them at configure time without paying for (or needing) torch.
MODEL_NAMES = (
    "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_0",
    "densenet121", "googlenet", "shufflenet_v2_x1_0", "efficientnet_b0", "vgg11",
    "alexnet", "regnet_y_400mf", "convnext_tiny", "vit_b_16", "mnasnet0_5",
    "inception_v3", "lstm", "gru", "transformer_encoder", "text_classifier",
)
# Big models: generation and one cts run each take long; CMake gives them a
# longer timeout.
BIG_MODELS = ("vit_b_16", "inception_v3", "densenet121", "resnet50", "vgg11", "convnext_tiny")

SKIP_RC = 77

if __name__ == "__main__" and sys.argv[1:] == ["--list-models"]:
    print(";".join(MODEL_NAMES))
    sys.exit(0)
if __name__ == "__main__" and sys.argv[1:] == ["--list-big"]:
    print(";".join(BIG_MODELS))
    sys.exit(0)

import hashlib
import json
import math
import os
import time
import warnings


# --------------------------------------------------------------------------
# Cache (decided before torch is imported: a cached run costs ~0.2 s, not 3)
# --------------------------------------------------------------------------

def dist_version(name):
    try:
        import importlib.metadata
        return importlib.metadata.version(name)
    except Exception:  # noqa: BLE001 - no metadata: the key just says so
        return "unknown"


VERSIONS = {"torch": dist_version("torch"), "torchvision": dist_version("torchvision")}


def cache_key(name):
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    h.update(("\0%s\0torch %s\0torchvision %s" % (name, VERSIONS["torch"], VERSIONS["torchvision"])).encode())
    return h.hexdigest()


def files_of(name):
    return {"args": name + ".args.pt",
            "scripted": name + ".scripted.pt", "scripted_out": name + ".scripted.out.pt",
            "traced": name + ".traced.pt", "traced_out": name + ".traced.out.pt"}


def cached(name, outdir, key):
    try:
        with open(os.path.join(outdir, name + ".json")) as f:
            entry = json.load(f)
    except (OSError, ValueError):
        return None
    if entry.get("cache_key") != key:
        return None
    if not all(os.path.isfile(os.path.join(outdir, p)) for p in files_of(name).values()):
        return None
    return entry


TOLERANCE_RULE = (
    "Structures equal (tuple, list; NamedTuples are plain tuples), same dtype and shape; "
    "integer and bool tensors exactly; float tensors elementwise |a - b| <= atol + rtol * |b| "
    "with rtol = 1e-4 and atol = 1e-4 * max|expected| over that tensor."
)
SEED = 20240404


def write_manifest(outdir):
    models = []
    for name in MODEL_NAMES:
        try:
            with open(os.path.join(outdir, name + ".json")) as f:
                models.append(json.load(f))
        except (OSError, ValueError):
            pass
    manifest = {"generator": "tests/models/gen_models.py", "versions": VERSIONS,
                "seed": SEED, "tolerance": {"rtol": 1e-4, "atol_scale": 1e-4, "rule": TOLERANCE_RULE},
                "models": models}
    tmp = os.path.join(outdir, "manifest.json.tmp%d" % os.getpid())
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(outdir, "manifest.json"))


def parse_args(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Generate the issue-4 model-zoo corpus.")
    ap.add_argument("outdir")
    ap.add_argument("--models", help="comma-separated subset of: " + ",".join(MODEL_NAMES))
    ap.add_argument("--force", action="store_true", help="regenerate even when cached")
    a = ap.parse_args(argv)
    a.names = a.models.split(",") if a.models else list(MODEL_NAMES)
    unknown = [n for n in a.names if n not in MODEL_NAMES]
    if unknown:
        ap.error("unknown model(s): %s" % ", ".join(unknown))
    return a


if __name__ == "__main__":
    _a = parse_args(sys.argv[1:])
    if not _a.force and all(cached(n, _a.outdir, cache_key(n)) for n in _a.names):
        for n in _a.names:
            print("gen_models.py: %s: cached" % n)
        write_manifest(_a.outdir)
        sys.exit(0)

try:
    import torch
    import torch.nn as nn
except ImportError as e:  # pragma: no cover - depends on the machine
    if __name__ == "__main__":
        print("gen_models.py: SKIP: %s cannot import torch (%s)" % (sys.executable, e), file=sys.stderr)
        sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC)
    raise



# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

class ScriptableRNN(nn.Module):
    """Scripting nn.LSTM / nn.GRU directly gives overloads forward__0 /
    forward__1 and no `forward`; this thin wrapper is what real code saves."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)


class PositionalEncoding(nn.Module):
    """Sinusoidal positions (Vaswani et al.), a buffer added to the tokens."""

    def __init__(self, d_model: int, max_len: int = 128):
        super().__init__()
        pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(pos * div)
        pe[0, :, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class TextClassifier(nn.Module):
    """Embedding + positional encoding, one self-attention block with a GELU
    feed-forward and LayerNorms, mean pooling over the sequence, Linear."""

    def __init__(self, vocab: int = 1000, d_model: int = 64, nhead: int = 4, classes: int = 5):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.norm2 = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, classes)

    def forward(self, tokens):
        x = self.pos(self.embed(tokens) * math.sqrt(64.0))
        a, _ = self.attn(x, x, x, need_weights=False)
        x = self.norm1(x + a)
        x = self.norm2(x + self.ff(x))
        return self.head(x.mean(dim=1))


def _image(size=224):
    return (torch.randn(1, 3, size, size),)


def _tv(name, **kw):
    import torchvision
    return lambda: (getattr(torchvision.models, name)(weights=None, **kw), _image())


def build_inception_v3():
    import torchvision
    return torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True), _image(299)


def build_googlenet():
    import torchvision
    return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=True), _image()


def build_lstm():
    return nn.LSTM(32, 64, num_layers=2, batch_first=True), (torch.randn(1, 10, 32),)


def build_gru():
    return nn.GRU(32, 64), (torch.randn(10, 1, 32),)


def build_transformer_encoder():
    layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, batch_first=True)
    return nn.TransformerEncoder(layer, num_layers=2), (torch.randn(1, 10, 64),)


def build_text_classifier():
    return TextClassifier(), (torch.randint(0, 1000, (1, 16), dtype=torch.int64),)


BUILDERS = {
    "resnet18": _tv("resnet18"),
    "resnet50": _tv("resnet50"),
    "mobilenet_v2": _tv("mobilenet_v2"),
    "mobilenet_v3_small": _tv("mobilenet_v3_small"),
    "squeezenet1_0": _tv("squeezenet1_0"),
    "densenet121": _tv("densenet121"),
    "googlenet": build_googlenet,
    "shufflenet_v2_x1_0": _tv("shufflenet_v2_x1_0"),
    "efficientnet_b0": _tv("efficientnet_b0"),
    "vgg11": _tv("vgg11"),
    "alexnet": _tv("alexnet"),
    "regnet_y_400mf": _tv("regnet_y_400mf"),
    "convnext_tiny": _tv("convnext_tiny"),
    "vit_b_16": _tv("vit_b_16"),
    "mnasnet0_5": _tv("mnasnet0_5"),
    "inception_v3": build_inception_v3,
    "lstm": build_lstm,
    "gru": build_gru,
    "transformer_encoder": build_transformer_encoder,
    "text_classifier": build_text_classifier,
}
assert tuple(BUILDERS) == MODEL_NAMES

# Models whose trace fails PyTorch's sanity check ("Graphs differed across
# invocations": the MHA / TransformerEncoderLayer fast path depends on grad
# mode). Others are traced with the check and fall back only if it fails.
NO_TRACE_CHECK = ("vit_b_16", "transformer_encoder", "text_classifier")


def randomize_norms(model, gen):
    """Seeded, mild randomisation of norm layers' parameters and statistics,
    and of Linear layers initialised to zero."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.LayerNorm, nn.GroupNorm)):
                if getattr(m, "weight", None) is not None:
                    m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.75)
                if getattr(m, "bias", None) is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)) and m.running_mean is not None:
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) * 0.5 + 0.75)
            # all-zero parameters (torchvision's ViT head is zero-initialised)
            # would make the output zero whatever cts computes
            if isinstance(m, nn.Linear) and not m.weight.any():
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * 0.02)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.02)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def plain(v):
    """Detached, with NamedTuples as plain tuples (what cts writes back)."""
    if isinstance(v, torch.Tensor):
        return v.detach()
    if isinstance(v, tuple):
        return tuple(plain(e) for e in v)
    if isinstance(v, list):
        return [plain(e) for e in v]
    if isinstance(v, dict):
        return {k: plain(e) for k, e in v.items()}
    return v


def describe(v):
    if isinstance(v, torch.Tensor):
        return "Tensor(%s, %s)" % (list(v.shape), str(v.dtype).replace("torch.", ""))
    if isinstance(v, tuple):
        return "(" + ", ".join(describe(e) for e in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(describe(e) for e in v) + "]"
    return repr(v)


def max_diff(a, b):
    """Largest |a-b| over the float tensors of two like structures (None when
    the structures differ)."""
    if isinstance(a, torch.Tensor):
        if not isinstance(b, torch.Tensor) or a.shape != b.shape:
            return None
        if a.numel() == 0:
            return 0.0
        return float((a.double() - b.double()).abs().max())
    if isinstance(a, (tuple, list)):
        if not isinstance(b, (tuple, list)) or len(a) != len(b):
            return None
        ds = [max_diff(x, y) for x, y in zip(a, b)]
        return None if any(d is None for d in ds) else max(ds, default=0.0)
    return 0.0 if a == b else None


def archive_version(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith("/version") or n.endswith("/.data/version"):
                return int(z.read(n).decode().strip())
    return None


def graph_ops(graph):
    """(aten overloads as PyTorch resolved them, e.g. aten::add.Tensor; other
    node kinds, e.g. prim::If) of a graph and its nested blocks."""
    aten, other = set(), set()

    def walk(block):
        for node in block.nodes():
            k = node.kind()
            if k.startswith("aten::"):
                try:
                    sch = node.schema()
                except RuntimeError:
                    sch = ""
                aten.add(sch.split("(")[0] if sch and not sch.startswith("(") else k)
            else:
                other.add(k)
            for b in node.blocks():
                walk(b)
    walk(graph)
    return sorted(aten), sorted(other)


def atomic_save(obj, path, saver):
    tmp = path + ".tmp%d" % os.getpid()
    saver(obj, tmp)
    os.replace(tmp, path)


def generate(name, outdir, key):
    t0 = time.time()
    torch.manual_seed(SEED)
    model, args = BUILDERS[name]()
    model.eval()
    randomize_norms(model, torch.Generator().manual_seed(SEED + 1))
    args = tuple(args)
    files = files_of(name)
    path = lambda k: os.path.join(outdir, files[k])  # noqa: E731

    with torch.no_grad():
        eager = plain(model(*args))

    entry = {"name": name, "cache_key": key, "versions": VERSIONS,
             "files": files, "args_desc": describe(args), "eager_output_desc": describe(eager),
             "kinds": {}}
    atomic_save(args, path("args"), torch.save)

    # scripted (LSTM/GRU through the thin wrapper, see ScriptableRNN)
    ts = time.time()
    to_script = ScriptableRNN(model).eval() if isinstance(model, nn.RNNBase) else model
    scripted = torch.jit.script(to_script)
    atomic_save(scripted, path("scripted"), torch.jit.save)
    t_script = time.time() - ts

    # traced
    ts = time.time()
    trace_check = name not in NO_TRACE_CHECK
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if trace_check:
            try:
                traced = torch.jit.trace(model, args)
            except torch.jit.TracingCheckError:
                trace_check = False
        if not trace_check:
            traced = torch.jit.trace(model, args, check_trace=False)
    atomic_save(traced, path("traced"), torch.jit.save)
    t_trace = time.time() - ts

    for kind, t_make in (("scripted", t_script), ("traced", t_trace)):
        loaded = torch.jit.load(path(kind))
        # As a user calls it (grad mode on): cts must agree whichever of the
        # fast / slow attention paths either side takes.
        out = plain(loaded(*args))
        atomic_save(out, path(kind + "_out"), torch.save)
        d = max_diff(out, eager)
        aten, other = graph_ops(loaded.inlined_graph)
        entry["kinds"][kind] = {
            "archive": files[kind], "output": files[kind + "_out"],
            "archive_version": archive_version(path(kind)),
            "archive_bytes": os.path.getsize(path(kind)),
            "output_desc": describe(out),
            "max_abs_diff_vs_eager": d,
            "ops": aten,
            "node_kinds": other,
            "make_seconds": round(t_make, 2),
        }
        if kind == "traced":
            entry["kinds"][kind]["trace_check"] = trace_check
    entry["generate_seconds"] = round(time.time() - t0, 2)
    with open(os.path.join(outdir, name + ".json.tmp%d" % os.getpid()), "w") as f:
        json.dump(entry, f, indent=1)
        f.write("\n")
    os.replace(os.path.join(outdir, name + ".json.tmp%d" % os.getpid()), os.path.join(outdir, name + ".json"))
    return entry


def main(argv):
    a = parse_args(argv)
    names = a.names
    os.makedirs(a.outdir, exist_ok=True)
    torch.set_num_threads(1)       # reproducible reductions, and polite on shared cores
    for name in names:
        key = cache_key(name)
        if not a.force and cached(name, a.outdir, key):
            print("gen_models.py: %s: cached" % name)
            continue
        e = generate(name, a.outdir, key)
        print("gen_models.py: %s: generated in %.1f s (scripted %s, traced %s%s)" % (
            name, e["generate_seconds"], e["kinds"]["scripted"]["output_desc"],
            e["kinds"]["traced"]["output_desc"],
            "" if e["kinds"]["traced"]["trace_check"] else ", trace check_trace=False"))
    write_manifest(a.outdir)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException as e:
        import traceback
        traceback.print_exc()
        print("gen_models.py: FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
