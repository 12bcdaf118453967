#!/usr/bin/python3
"""Generates tests/ops/rnn_cases.h and tests/ops/attention_cases.h: cases for
the kernels of src/ops/rnn.c and src/ops/attention.c with the results of
PyTorch 1.13.1 (the system interpreter's torch).

    /usr/bin/python3 tests/ops/gen_rnn_cases.py      # writes both headers

The inputs of a case are not stored: they come from a splitmix64 stream
seeded per case, in a fixed order (documented at each case struct), that
test_rnn.c / test_attention.c reproduce exactly.  A value is
((z >> 40) - 2^23) / 2^23 / 2^scale, a multiple of 2^-(23+scale) in
[-2^-scale, 2^-scale), exact in float32, so C and Python start from the same
bits.  The headers hold PyTorch's outputs (and masks, which are chosen by
hand).  The ops are called directly (torch.lstm, torch._native_multi_head_
attention, ...), which is what scripted and traced models call.
"""
import os
import sys

import torch

M64 = (1 << 64) - 1


class Stream:
    """splitmix64; values as described above."""

    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def tensor(self, shape, scale):
        n = 1
        for d in shape:
            n *= d
        vals = [((self.next() >> 40) - (1 << 23)) / float(1 << 23) / float(1 << scale) for _ in range(n)]
        return torch.tensor(vals, dtype=torch.float32).reshape(shape)


def fmt(v):
    if v != v:
        return "NAN"
    if v in (float("inf"), float("-inf")):
        return "INFINITY" if v > 0 else "-INFINITY"
    s = "%.9g" % v
    if "e" not in s and "." not in s:
        s += ".0"
    return s + "f"


def farr(t):
    if t is None:
        return "NULL, 0"
    vals = t.detach().contiguous().reshape(-1).tolist()
    return "(const float[]){%s}, %d" % (", ".join(fmt(v) for v in vals), len(vals)) if vals else "NULL, 0"


def barr(vals):
    return "(const unsigned char[]){%s}" % ", ".join("1" if v else "0" for v in vals)


# ---------------------------------------------------------------------------
# rnn

KINDS = ["lstm", "gru", "rnn_tanh", "rnn_relu"]
GATES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}


def rnn_inputs(c):
    """x, hx (list), params in the order test_rnn.c draws them."""
    st = Stream(c["seed"])
    kind, L, dirs = c["kind"], c["L"], 2 if c["bidir"] else 1
    H, P, I, B, T = c["H"], c["P"], c["I"], c["B"], c["T"]
    Hh = P or H
    G = GATES[kind] * H
    if c.get("bs"):
        x = st.tensor([sum(c["bs"]), I], c["scale"])
    elif c.get("unbatched"):
        x = st.tensor([T, I], c["scale"])
    elif c.get("batch_first"):
        x = st.tensor([B, T, I], c["scale"])
    else:
        x = st.tensor([T, B, I], c["scale"])
    h0 = st.tensor([L * dirs, Hh] if c.get("unbatched") else [L * dirs, B, Hh], c["scale"])
    hx = [h0]
    if kind == "lstm":
        hx.append(st.tensor([L * dirs, B, H], c["scale"]))
    params = []
    for l in range(L):
        for d in range(dirs):
            inn = I if l == 0 else Hh * dirs
            params.append(st.tensor([G, inn], c["scale"]))
            params.append(st.tensor([G, Hh], c["scale"]))
            if c["bias"]:
                params.append(st.tensor([G], c["scale"]))
                params.append(st.tensor([G], c["scale"]))
            if P:
                params.append(st.tensor([P, H], c["scale"]))
    return x, hx, params


def rnn_run(c):
    x, hx, params = rnn_inputs(c)
    kind = c["kind"]
    fn = {"lstm": torch.lstm, "gru": torch.gru, "rnn_tanh": torch.rnn_tanh, "rnn_relu": torch.rnn_relu}[kind]
    h = tuple(hx) if kind == "lstm" else hx[0]
    flags = (bool(c["bias"]), c["L"], float(c.get("dropout", 0.0)), bool(c.get("train", False)), bool(c["bidir"]))
    if c.get("bs"):
        r = fn(x, torch.tensor(c["bs"], dtype=torch.int64), h, params, *flags)
    else:
        r = fn(x, h, params, *flags, bool(c.get("batch_first", False)))
    if c.get("check_module"):  # the module computes the same thing
        check_module(c, x, hx, params, r)
    return r


def check_module(c, x, hx, params, r):
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[c["kind"]]
    kw = dict(num_layers=c["L"], bias=bool(c["bias"]), batch_first=bool(c.get("batch_first", False)),
              bidirectional=bool(c["bidir"]))
    if c["P"]:
        kw["proj_size"] = c["P"]
    m = cls(c["I"], c["H"], **kw).eval()
    with torch.no_grad():
        for p, v in zip(m._flat_weights, params):
            p.copy_(v)
        out = m(x, tuple(hx) if c["kind"] == "lstm" else hx[0])
    assert torch.equal(out[0], r[0]), c["name"]


RNN_CASES = [
    dict(name="lstm_basic", kind="lstm", T=3, B=2, I=3, H=4, P=0, L=1, bidir=0, bias=1, seed=1, scale=0),
    dict(name="lstm_2layer_batch_first", kind="lstm", T=4, B=3, I=5, H=4, P=0, L=2, bidir=0, bias=1,
         batch_first=1, seed=2, scale=0, check_module=1),
    dict(name="lstm_bidir_nobias", kind="lstm", T=3, B=2, I=3, H=3, P=0, L=2, bidir=1, bias=0, seed=3, scale=0,
         check_module=1),
    dict(name="lstm_proj_bidir", kind="lstm", T=4, B=2, I=3, H=5, P=2, L=2, bidir=1, bias=1, seed=4, scale=0,
         check_module=1),
    dict(name="lstm_proj_nobias", kind="lstm", T=3, B=2, I=2, H=4, P=3, L=1, bidir=0, bias=0, seed=5, scale=0),
    dict(name="lstm_train_no_dropout", kind="lstm", T=3, B=2, I=3, H=4, P=0, L=2, bidir=0, bias=1, train=True,
         dropout=0.0, seed=6, scale=0),
    dict(name="lstm_train_one_layer", kind="lstm", T=3, B=2, I=3, H=4, P=0, L=1, bidir=0, bias=1, train=True,
         dropout=0.5, seed=7, scale=0),
    dict(name="lstm_one_step_b1", kind="lstm", T=1, B=1, I=2, H=3, P=0, L=1, bidir=1, bias=1, seed=8, scale=0),
    dict(name="lstm_packed_bidir", kind="lstm", bs=[3, 3, 2, 1], T=4, B=3, I=3, H=4, P=0, L=2, bidir=1, bias=1,
         seed=9, scale=0),
    dict(name="lstm_packed_proj", kind="lstm", bs=[2, 1, 1], T=3, B=2, I=2, H=4, P=2, L=1, bidir=1, bias=1,
         seed=10, scale=0),
    dict(name="lstm_census", kind="lstm", T=5, B=3, I=32, H=64, P=0, L=2, bidir=0, bias=1, batch_first=1,
         seed=11, scale=3, check_module=1),
    dict(name="lstm_batch0", kind="lstm", T=2, B=0, I=3, H=4, P=0, L=1, bidir=0, bias=1, seed=12, scale=0),
    dict(name="gru_basic", kind="gru", T=4, B=2, I=3, H=4, P=0, L=1, bidir=0, bias=1, seed=21, scale=0,
         check_module=1),
    dict(name="gru_bidir_batch_first", kind="gru", T=3, B=3, I=2, H=3, P=0, L=2, bidir=1, bias=1, batch_first=1,
         seed=22, scale=0, check_module=1),
    dict(name="gru_nobias", kind="gru", T=3, B=2, I=3, H=2, P=0, L=1, bidir=0, bias=0, seed=23, scale=0),
    dict(name="gru_packed_bidir", kind="gru", bs=[3, 2, 2, 1], T=4, B=3, I=2, H=3, P=0, L=2, bidir=1, bias=1,
         seed=24, scale=0),
    dict(name="gru_census", kind="gru", T=5, B=3, I=32, H=64, P=0, L=1, bidir=0, bias=1, seed=25, scale=3,
         check_module=1),
    dict(name="rnn_tanh_basic", kind="rnn_tanh", T=4, B=2, I=3, H=4, P=0, L=2, bidir=0, bias=1, seed=31, scale=0),
    dict(name="rnn_tanh_bidir_bf", kind="rnn_tanh", T=3, B=2, I=3, H=3, P=0, L=1, bidir=1, bias=0,
         batch_first=1, seed=32, scale=0),
    dict(name="rnn_tanh_unbatched", kind="rnn_tanh", T=3, B=1, I=2, H=3, P=0, L=2, bidir=1, bias=1, unbatched=1,
         seed=33, scale=0),
    dict(name="rnn_relu_basic", kind="rnn_relu", T=4, B=3, I=3, H=4, P=0, L=2, bidir=0, bias=1, seed=41, scale=0),
    dict(name="rnn_relu_packed", kind="rnn_relu", bs=[2, 2, 1], T=3, B=2, I=2, H=3, P=0, L=1, bidir=1, bias=1,
         seed=42, scale=0),
]

CELL_CASES = [
    # bias: 0 none, 1 both, 2 b_ih only
    dict(name="lstm_cell", kind="lstm", B=3, I=4, H=5, bias=1, seed=51, scale=0),
    dict(name="lstm_cell_nobias", kind="lstm", B=2, I=3, H=2, bias=0, seed=52, scale=0),
    dict(name="gru_cell", kind="gru", B=3, I=4, H=5, bias=1, seed=53, scale=0),
    dict(name="gru_cell_ih_bias_only", kind="gru", B=2, I=3, H=4, bias=2, seed=54, scale=0),
    dict(name="rnn_tanh_cell", kind="rnn_tanh", B=3, I=2, H=4, bias=1, seed=55, scale=0),
    dict(name="rnn_relu_cell", kind="rnn_relu", B=3, I=4, H=3, bias=1, seed=56, scale=0),
]


def cell_run(c):
    st = Stream(c["seed"])
    kind, B, I, H = c["kind"], c["B"], c["I"], c["H"]
    G = GATES[kind] * H
    x = st.tensor([B, I], c["scale"])
    h = st.tensor([B, H], c["scale"])
    cc = st.tensor([B, H], c["scale"]) if kind == "lstm" else None
    w_ih = st.tensor([G, I], c["scale"])
    w_hh = st.tensor([G, H], c["scale"])
    b_ih = st.tensor([G], c["scale"]) if c["bias"] else None
    b_hh = st.tensor([G], c["scale"]) if c["bias"] == 1 else None
    if kind == "lstm":
        return torch.lstm_cell(x, (h, cc), w_ih, w_hh, b_ih, b_hh)
    fn = {"gru": torch.gru_cell, "rnn_tanh": torch.rnn_tanh_cell, "rnn_relu": torch.rnn_relu_cell}[kind]
    return (fn(x, h, w_ih, w_hh, b_ih, b_hh),)


def gen_rnn():
    out = []
    w = out.append
    w("/* rnn_cases.h - generated by tests/ops/gen_rnn_cases.py with torch %s; do not edit. */" % torch.__version__)
    w("#ifndef CTS_TESTS_RNN_CASES_H")
    w("#define CTS_TESTS_RNN_CASES_H")
    w("#include <math.h>")
    w("#include <stdint.h>")
    w("")
    w("/* Inputs drawn in this order: x ([T,B,I], [B,T,I] if batch_first, [T,I] if unbatched,")
    w(" * [sum(bs),I] if packed), h0 [L*dirs,B,Hh] ([L*dirs,Hh] unbatched), c0 [L*dirs,B,H]")
    w(" * (lstm), then per layer and direction w_ih [G,in], w_hh [G,Hh], b_ih [G], b_hh [G]")
    w(" * (bias), w_hr [P,H] (P > 0).  kind: 0 lstm, 1 gru, 2 rnn_tanh, 3 rnn_relu. */")
    w("typedef struct rnn_case {")
    w("    const char *name;")
    w("    int kind, T, B, I, H, P, L, bidir, bias, batch_first, unbatched, train;")
    w("    double dropout;")
    w("    uint64_t seed;")
    w("    int scale;")
    w("    const int64_t *bs;")
    w("    int nbs;")
    w("    const float *out;")
    w("    int nout;")
    w("    const float *hn;")
    w("    int nhn;")
    w("    const float *cn;")
    w("    int ncn;")
    w("} rnn_case;")
    w("")
    w("static const rnn_case RNN_CASES[] = {")
    for c in RNN_CASES:
        r = rnn_run(c)
        bs = c.get("bs")
        bss = "(const int64_t[]){%s}, %d" % (", ".join(map(str, bs)), len(bs)) if bs else "NULL, 0"
        w("    {\"%s\", %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %r, %du, %d, %s,\n     %s,\n     %s,\n     %s}," % (
            c["name"], KINDS.index(c["kind"]), c["T"], c["B"], c["I"], c["H"], c["P"], c["L"], c["bidir"],
            c["bias"], c.get("batch_first", 0), c.get("unbatched", 0), int(c.get("train", False)),
            float(c.get("dropout", 0.0)), c["seed"], c["scale"], bss, farr(r[0]), farr(r[1]),
            farr(r[2]) if len(r) > 2 else "NULL, 0"))
    w("};")
    w("")
    w("/* Inputs drawn in this order: x [B,I], h [B,H], c [B,H] (lstm), w_ih [G,I], w_hh [G,H],")
    w(" * b_ih [G] (bias >= 1), b_hh [G] (bias == 1). */")
    w("typedef struct cell_case {")
    w("    const char *name;")
    w("    int kind, B, I, H, bias;")
    w("    uint64_t seed;")
    w("    int scale;")
    w("    const float *hy;")
    w("    int nhy;")
    w("    const float *cy;")
    w("    int ncy;")
    w("} cell_case;")
    w("")
    w("static const cell_case CELL_CASES[] = {")
    for c in CELL_CASES:
        r = cell_run(c)
        w("    {\"%s\", %d, %d, %d, %d, %d, %du, %d, %s, %s}," % (
            c["name"], KINDS.index(c["kind"]), c["B"], c["I"], c["H"], c["bias"], c["seed"], c["scale"],
            farr(r[0]), farr(r[1]) if len(r) > 1 else "NULL, 0"))
    w("};")
    w("")
    w("#endif")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# attention

def mha_inputs(c):
    st = Stream(c["seed"])
    B, T, D, Do = c["B"], c["T"], c["D"], c.get("Dout", c["D"])
    q = st.tensor([B, T, D], c["scale"])
    k = st.tensor([B, T, D], c["scale"]) if c.get("cross") else q
    v = st.tensor([B, T, D], c["scale"]) if c.get("cross") else k
    if c.get("cross") == 2:  # key is value
        v = k
    qw = st.tensor([3 * D, D], c["scale"])
    qb = st.tensor([3 * D], c["scale"])
    pw = st.tensor([Do, D], c["scale"])
    pb = st.tensor([Do], c["scale"])
    return q, k, v, qw, qb, pw, pb


def mha_mask(c):
    m = c.get("mask")
    if m is None:
        return None
    kind, vals = m
    if kind == "bool":
        return torch.tensor(vals, dtype=torch.bool).reshape(c["mask_shape"])
    return torch.tensor(vals, dtype=torch.float32).reshape(c["mask_shape"])


MHA_CASES = [
    dict(name="mha_basic", B=2, T=3, D=4, nh=2, nw=1, avg=1, seed=101, scale=0),
    dict(name="mha_no_weights", B=2, T=3, D=4, nh=2, nw=0, avg=1, seed=102, scale=0),
    dict(name="mha_per_head_weights", B=2, T=4, D=6, nh=2, nw=1, avg=0, seed=103, scale=0),
    dict(name="mha_key_padding", B=3, T=3, D=4, nh=2, nw=1, avg=1, seed=104, scale=0, mt=1, mask_shape=[3, 3],
         mask=("bool", [0, 0, 1, 0, 0, 0, 1, 1, 1])),
    dict(name="mha_key_padding_type2", B=2, T=3, D=4, nh=2, nw=1, avg=0, seed=105, scale=0, mt=2,
         mask_shape=[2, 3], mask=("bool", [0, 1, 1, 0, 0, 1])),
    dict(name="mha_float_mask", B=2, T=3, D=4, nh=2, nw=1, avg=1, seed=106, scale=0, mt=1, mask_shape=[2, 3],
         mask=("float", [0.0, 0.0, float("-inf"), 0.5, 0.0, 0.0])),
    dict(name="mha_4d_mask", B=2, T=3, D=4, nh=2, nw=1, avg=0, seed=107, scale=0, mt=2, mask_shape=[2, 2, 3, 3],
         mask=("bool", [0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0,
                        1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1])),
    dict(name="mha_cross", B=2, T=3, D=4, nh=2, nw=1, avg=1, seed=108, scale=0, cross=1),
    dict(name="mha_cross_kv", B=2, T=3, D=4, nh=2, nw=0, avg=1, seed=109, scale=0, cross=2),
    dict(name="mha_proj_out", B=2, T=3, D=4, nh=4, Dout=5, nw=1, avg=1, seed=110, scale=0),
    dict(name="mha_text_classifier", B=3, T=7, D=64, nh=4, nw=1, avg=1, seed=111, scale=2),
    dict(name="mha_odd_head_dim", B=2, T=5, D=9, nh=3, nw=1, avg=1, seed=112, scale=1),
]


def mha_run(c):
    q, k, v, qw, qb, pw, pb = mha_inputs(c)
    return torch._native_multi_head_attention(q, k, v, c["D"], c["nh"], qw, qb, pw, pb, mha_mask(c),
                                              bool(c["nw"]), bool(c["avg"]), c.get("mt"))


def te_weights(st, D, F, scale):
    return [st.tensor([3 * D, D], scale), st.tensor([3 * D], scale), st.tensor([D, D], scale),
            st.tensor([D], scale), st.tensor([D], scale), st.tensor([D], scale), st.tensor([D], scale),
            st.tensor([D], scale), st.tensor([F, D], scale), st.tensor([F], scale), st.tensor([D, F], scale),
            st.tensor([D], scale)]


def te_layer(x, c, w, mask, mt):
    return torch._transformer_encoder_layer_fwd(x, c["D"], c["nh"], w[0], w[1], w[2], w[3], bool(c["gelu"]),
                                                bool(c["nf"]), c["eps"], w[4], w[5], w[6], w[7], w[8], w[9],
                                                w[10], w[11], mask, mt)


TE_CASES = [
    dict(name="te_relu", B=2, T=3, D=4, nh=2, F=6, gelu=0, nf=0, eps=1e-5, layers=1, seed=201, scale=0),
    dict(name="te_gelu", B=2, T=3, D=4, nh=2, F=6, gelu=1, nf=0, eps=1e-5, layers=1, seed=202, scale=0),
    dict(name="te_norm_first", B=2, T=4, D=6, nh=2, F=5, gelu=1, nf=1, eps=1e-3, layers=1, seed=203, scale=0),
    dict(name="te_key_padding", B=2, T=3, D=4, nh=2, F=6, gelu=0, nf=0, eps=1e-5, layers=1, seed=204, scale=0,
         mask=[0, 0, 1, 0, 1, 1]),
    dict(name="te_census_layer", B=3, T=5, D=64, nh=4, F=2048, gelu=0, nf=0, eps=1e-5, layers=2, seed=205,
         scale=3),
    # the scripted TransformerEncoder's path with a src_key_padding_mask: nested tensors
    dict(name="te_nested", B=3, T=4, D=8, nh=2, F=16, gelu=0, nf=0, eps=1e-5, layers=2, seed=206, scale=1,
         nested=1, check_script=1, mask=[0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1]),
    dict(name="te_nested_shrinks", B=2, T=4, D=8, nh=2, F=16, gelu=1, nf=0, eps=1e-5, layers=2, seed=207,
         scale=1, nested=1, mask=[0, 0, 1, 1, 0, 1, 1, 1]),
    dict(name="te_nested_empty_seq", B=3, T=3, D=4, nh=2, F=8, gelu=0, nf=0, eps=1e-5, layers=1, seed=208,
         scale=0, nested=1, mask=[0, 0, 1, 1, 1, 1, 0, 0, 0]),
    dict(name="te_nested_census", B=3, T=5, D=64, nh=4, F=2048, gelu=0, nf=0, eps=1e-5, layers=2, seed=209,
         scale=3, nested=1, mask=[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1]),
]


def te_run(c):
    st = Stream(c["seed"])
    B, T, D, F = c["B"], c["T"], c["D"], c["F"]
    x = st.tensor([B, T, D], c["scale"])
    ws = [te_weights(st, D, F, c["scale"]) for _ in range(c["layers"])]
    mask = torch.tensor(c["mask"], dtype=torch.bool).reshape(B, T) if "mask" in c else None
    if c.get("nested"):
        out = torch._nested_tensor_from_mask(x, mask.logical_not(), mask_check=False)
        for w in ws:
            out = te_layer(out, c, w, None, None)
        out = out.to_padded_tensor(0.0)
        check_encoder(c, x, ws, mask, out)
        return out
    out = x
    for w in ws:
        out = te_layer(out, c, w, mask, 1 if mask is not None else None)
    return out


def check_encoder(c, x, ws, mask, out):
    """nn.TransformerEncoder (eval) gives the same as the op sequence; scripted too for the first
    case (in 1.13 the scripted encoder takes the nested fast path with relu, not with gelu, and a
    second scripted encoder in one process may not take it: TorchScript's type sharing)."""
    layer = torch.nn.TransformerEncoderLayer(c["D"], c["nh"], c["F"], dropout=0.0, batch_first=True,
                                             activation="gelu" if c["gelu"] else "relu", layer_norm_eps=c["eps"])
    enc = torch.nn.TransformerEncoder(layer, c["layers"], enable_nested_tensor=True).eval()
    with torch.no_grad():
        for l, w in zip(enc.layers, ws):
            ps = [l.self_attn.in_proj_weight, l.self_attn.in_proj_bias, l.self_attn.out_proj.weight,
                  l.self_attn.out_proj.bias, l.norm1.weight, l.norm1.bias, l.norm2.weight, l.norm2.bias,
                  l.linear1.weight, l.linear1.bias, l.linear2.weight, l.linear2.bias]
            for p, v in zip(ps, w):
                p.copy_(v)
        refs = [enc(x, src_key_padding_mask=mask)]
        if c.get("check_script"):
            refs.append(torch.jit.script(enc)(x, src_key_padding_mask=mask))
    for i, ref in enumerate(refs):
        check_same(c["name"] + "/" + ["eager", "scripted"][i], ref, out)


def check_same(name, ref, out):
    if not (ref.shape == out.shape and torch.allclose(ref, out, atol=1e-5)):
        print(name, ref.shape, out.shape, ref, out, file=sys.stderr)
        raise SystemExit(1)


def gen_attention():
    out = []
    w = out.append
    w("/* attention_cases.h - generated by tests/ops/gen_rnn_cases.py with torch %s; do not edit. */" %
      torch.__version__)
    w("#ifndef CTS_TESTS_ATTENTION_CASES_H")
    w("#define CTS_TESTS_ATTENTION_CASES_H")
    w("#include <math.h>")
    w("#include <stdint.h>")
    w("")
    w("/* _native_multi_head_attention.  Inputs drawn in this order: query [B,T,D], then if cross")
    w(" * key and value [B,T,D] (cross == 2: value is key), qkv_weight [3D,D], qkv_bias [3D],")
    w(" * proj_weight [Dout,D], proj_bias [Dout].  mask_kind: 0 none, 1 bool, 2 float; mask_type")
    w(" * -1 = None.  w: the weights output (NULL: undefined). */")
    w("typedef struct mha_case {")
    w("    const char *name;")
    w("    int B, T, D, nh, Dout, cross, need_weights, average, mask_type;")
    w("    uint64_t seed;")
    w("    int scale;")
    w("    int mask_kind, mask_nd;")
    w("    int64_t mask_shape[4];")
    w("    const unsigned char *mask_b;")
    w("    const float *mask_f;")
    w("    const float *out;")
    w("    int nout;")
    w("    const float *w;")
    w("    int nw;")
    w("} mha_case;")
    w("")
    w("static const mha_case MHA_CASES[] = {")
    for c in MHA_CASES:
        r = mha_run(c)
        m = c.get("mask")
        mk = 0 if m is None else (1 if m[0] == "bool" else 2)
        shape = c.get("mask_shape", [])
        mb = barr(m[1]) if mk == 1 else "NULL"
        mf = "(const float[]){%s}" % ", ".join(fmt(v) for v in m[1]) if mk == 2 else "NULL"
        w("    {\"%s\", %d, %d, %d, %d, %d, %d, %d, %d, %d, %du, %d, %d, %d, {%s}, %s, %s,\n     %s,\n     %s}," % (
            c["name"], c["B"], c["T"], c["D"], c["nh"], c.get("Dout", c["D"]), c.get("cross", 0), c["nw"],
            c["avg"], c.get("mt", -1) if c.get("mt") is not None else -1, c["seed"], c["scale"], mk, len(shape),
            ", ".join(map(str, shape)) or "0", mb, mf, farr(r[0]), farr(r[1])))
    w("};")
    w("")
    w("/* _transformer_encoder_layer_fwd, `layers` times.  Inputs drawn in this order: src [B,T,D],")
    w(" * then per layer qkv_weight [3D,D], qkv_bias [3D], proj_weight [D,D], proj_bias [D],")
    w(" * norm_weight_1, norm_bias_1, norm_weight_2, norm_bias_2 [D], ffn_weight_1 [F,D],")
    w(" * ffn_bias_1 [F], ffn_weight_2 [D,F], ffn_bias_2 [D].  mask: src_key_padding_mask [B,T]")
    w(" * (True = padding) or NULL.  nested: the scripted TransformerEncoder's fast path,")
    w(" * _nested_tensor_from_mask(src, ~mask, mask_check=False), the layers without a mask,")
    w(" * to_padded_tensor(0.); else the mask goes to each layer with mask_type 1.")
    w(" * out: [B, out_T, D]. */")
    w("typedef struct te_case {")
    w("    const char *name;")
    w("    int B, T, D, nh, F, gelu, norm_first;")
    w("    double eps;")
    w("    int layers, nested;")
    w("    uint64_t seed;")
    w("    int scale;")
    w("    const unsigned char *mask;")
    w("    int out_T;")
    w("    const float *out;")
    w("    int nout;")
    w("} te_case;")
    w("")
    w("static const te_case TE_CASES[] = {")
    for c in TE_CASES:
        r = te_run(c)
        w("    {\"%s\", %d, %d, %d, %d, %d, %d, %d, %r, %d, %d, %du, %d, %s, %d,\n     %s}," % (
            c["name"], c["B"], c["T"], c["D"], c["nh"], c["F"], c["gelu"], c["nf"], c["eps"], c["layers"],
            c.get("nested", 0), c["seed"], c["scale"], barr(c["mask"]) if "mask" in c else "NULL", r.shape[1],
            farr(r)))
    w("};")
    w("")
    w("#endif")
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.set_num_threads(1)
    for name, text in (("rnn_cases.h", gen_rnn()), ("attention_cases.h", gen_attention())):
        with open(os.path.join(here, name), "w") as f:
            f.write(text)
        print("wrote %s (%d bytes)" % (name, len(text)), file=sys.stderr)


if __name__ == "__main__":
    main()
