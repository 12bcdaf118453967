#!/usr/bin/python3
"""Generates tests/ops/random_cases.h: what PyTorch 1.13's CPU generator
draws for the call sequences that tests/ops/test_random.c makes with cts.

    /usr/bin/python3 tests/ops/gen_random_cases.py > tests/ops/random_cases.h

Each RC_<name> array holds one result in logical row-major order: floats as
hex literals (exact), integers and bools as int64.  Each sequence below
starts from a seeded generator, mirrors one TEST of test_random.c call for
call, and must be kept in step with it.  RS_<name> holds the sequential
double sum of a result too big to list (same summation order in C).
"""
import sys

import torch

out = []


def wrap(vals, per_line=4):
    if len(vals) <= per_line:
        return ", ".join(vals)
    rows = [", ".join(vals[i:i + per_line]) for i in range(0, len(vals), per_line)]
    return "\n    " + ",\n    ".join(rows) + ",\n"


def emit(name, t):
    t = t.detach().contiguous().flatten()
    if t.dtype.is_floating_point:
        vals = [float(v).hex() for v in t.double().tolist()]
        out.append("static const double RC_%s[] = {%s};" % (name, wrap(vals)))
    else:
        vals = ["INT64_C(%d)" % v for v in t.long().tolist()]
        out.append("static const int64_t RC_%s[] = {%s};" % (name, wrap(vals)))


def emit_sum(name, t):
    s = 0.0
    for v in t.double().flatten().tolist():
        s += v
    out.append("static const double RS_%s = %s;" % (name, s.hex()))


# a fresh libtorch generator: the default seed 67280421310721
g = torch.Generator()
emit("default_rand3", torch.rand(3, generator=g))
emit("default_randn5", torch.randn(5, generator=g))

torch.manual_seed(0)
emit("seed0_rand34", torch.rand(3, 4))
emit("seed0_randn5", torch.randn(5))
emit("seed0_randn37", torch.randn(37))
emit("seed0_randn20_f64", torch.randn(20, dtype=torch.float64))
emit("seed0_randn7_f64", torch.randn(7, dtype=torch.float64))
emit("seed0_rand6_f64", torch.rand(6, dtype=torch.float64))

# interleaved: state and the cached normal carry across calls
torch.manual_seed(42)
emit("mix_rand3", torch.rand(3))
emit("mix_randn5", torch.randn(5))      # odd: leaves a cached sample
emit("mix_rand2", torch.rand(2))
emit("mix_randn3", torch.randn(3))      # starts with the cached one
emit("mix_randn37", torch.randn(37))    # fill path: cache untouched
emit("mix_randn1", torch.randn(1))
emit("mix_rand1", torch.rand(1))

# in-place fills; non-contiguous views follow TensorIterator's order
torch.manual_seed(7)
x = torch.zeros(7, 5)
emit("ip_uniform75", x.uniform_(-2, 3))
emit("ip_normal75", torch.zeros(7, 5).normal_(1, 0.5))
emit("ip_normal75_b", torch.zeros(7, 5).normal_(-0.25, 0.37))
y = torch.zeros(5, 7).t()
emit("ip_uniform_t", y.uniform_(0.5, 1.5))
y = torch.zeros(6, 4).t()
emit("ip_normal_t", y.normal_(2, 3))
z = torch.zeros(4, 9)[:, 1:8:2]
emit("ip_uniform_slice", z.uniform_())
emit("ip_normal_f64", torch.zeros(3, 7, dtype=torch.float64).normal_(0.5, 0.37))
emit("ip_uniform_f64", torch.zeros(9, dtype=torch.float64).uniform_(-1, 1))
emit("ip_exponential", torch.zeros(10).exponential_(1.5))
emit("ip_exponential_f64", torch.zeros(6, dtype=torch.float64).exponential_())
emit("ip_uniform_f16", torch.zeros(10, dtype=torch.float16).uniform_(-1, 2))
emit("ip_uniform_bf16", torch.zeros(10, dtype=torch.bfloat16).uniform_(-1, 2))
emit("ip_normal_ff", torch.normal(2.0, 3.0, [5]))

# integers
torch.manual_seed(3)
emit("int_randint_3_10", torch.randint(3, 10, (20,)))
emit("int_randint_5", torch.randint(5, (4, 2)))
emit("int_randint_i32", torch.randint(-100, 100, (6,), dtype=torch.int32))
emit("int_randint_u8", torch.randint(0, 256, (6,), dtype=torch.uint8))
emit("int_randint_f32", torch.randint(-5, 5, (6,), dtype=torch.float32))
emit("int_randint_wide", torch.randint(0, 2 ** 40, (5,)))
emit("int_randint_neg", torch.randint(-2 ** 62, 2 ** 62, (5,)))
emit("int_random_i64", torch.zeros(5, dtype=torch.int64).random_())
emit("int_random_i32", torch.zeros(5, dtype=torch.int32).random_())
emit("int_random_u8", torch.zeros(5, dtype=torch.uint8).random_())
emit("int_random_bool", torch.zeros(8, dtype=torch.bool).random_())
emit("int_random_f32", torch.zeros(5).random_())
emit("int_random_f64", torch.zeros(5, dtype=torch.float64).random_())
emit("int_random_from_i16", torch.zeros(5, dtype=torch.int16).random_(-7, None))
emit("int_random_full", torch.zeros(5, dtype=torch.int64).random_(-2 ** 63, None))
emit("int_random_to", torch.zeros(6, dtype=torch.int64).random_(9))
emit("int_random_f16", torch.zeros(5, dtype=torch.float16).random_())
emit("int_random_from_f16", torch.zeros(5, dtype=torch.float16).random_(-5, 100))
emit("int_random_bf16_wide", torch.zeros(5, dtype=torch.bfloat16).random_(-2 ** 40, 2 ** 40))
emit("int_random_f32_wide", torch.zeros(5).random_(3, 2 ** 33 + 5))
emit("int_randint_like", torch.randint_like(torch.zeros(2, 3, dtype=torch.int32), 4, 8))
emit("int_randint_like_high", torch.randint_like(torch.zeros(5), 3))

# bernoulli
torch.manual_seed(11)
emit("ber_p03", torch.bernoulli(torch.zeros(4, 5), p=0.3))
emit("ber_inplace_i64", torch.zeros(7, dtype=torch.int64).bernoulli_(0.5))
emit("ber_probs_f32", torch.bernoulli(torch.tensor([0.1, 0.5, 0.9, 0.0, 1.0, 0.25, 0.75, 0.6])))
emit("ber_probs_f64", torch.bernoulli(torch.tensor([0.1, 0.5, 0.9, 0.0, 1.0, 0.25], dtype=torch.float64)))
emit("ber_tensor_bcast", torch.zeros(3, 4).bernoulli_(torch.tensor([0.2, 0.4, 0.6, 0.8])))
emit("ber_probs_t", torch.bernoulli(torch.full((4, 3), 0.5).t()))

# dropout in training mode (aten::dropout and its feature / alpha forms)
torch.manual_seed(5)
xd = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 8 - 1
emit("drop_05", torch.dropout(xd, 0.5, True))
emit("drop_02_f64", torch.dropout(xd.double(), 0.2, True))
emit("drop_feature", torch.feature_dropout(xd, 0.5, True))
emit("drop_alpha", torch.alpha_dropout(xd, 0.3, True))
emit("drop_feature_alpha", torch.feature_alpha_dropout(xd, 0.3, True))
xi = xd.clone().t() if xd.dim() == 2 else xd.clone().transpose(1, 2)
emit("drop_inplace_t", torch.dropout_(xi, 0.5, True))

# randperm, multinomial
torch.manual_seed(13)
emit("perm_10", torch.randperm(10))
emit("perm_100_i32", torch.randperm(100, dtype=torch.int32))
emit("perm_7_f32", torch.randperm(7, dtype=torch.float32))
probs = torch.tensor([0.1, 0.2, 0.3, 0.15, 0.25])
emit("mn_one", torch.multinomial(probs, 1))
emit("mn_three", torch.multinomial(probs, 3))
rows = torch.tensor([[1.0, 2.0, 3.0, 0.0, 4.0], [0.5, 0.5, 0.0, 0.0, 1.0], [3.0, 1.0, 1.0, 1.0, 1.0]])
emit("mn_rows_one", torch.multinomial(rows, 1))
emit("mn_rows_repl", torch.multinomial(rows, 10, True))
emit("mn_repl_f64", torch.multinomial(probs.double(), 20, True))
emit("mn_zero_ties", torch.multinomial(torch.tensor([0.5, 0, 0, 0.5, 0, 0]), 6))
emit("mn_wide", torch.multinomial(torch.arange(1.0, 201.0), 10))
emit("mn_rows_t", torch.multinomial(rows.t().contiguous().t(), 2))

# the *_like forms keep a dense input's layout
torch.manual_seed(5)
emit("like_rand_t", torch.rand_like(torch.zeros(3, 5).t()))
emit("like_randn_t", torch.randn_like(torch.zeros(4, 5).t()))
emit("like_randn_f64", torch.randn_like(torch.zeros(17, dtype=torch.float64)))
emit("like_rand_cl", torch.rand_like(torch.zeros(2, 3, 2, 2), memory_format=torch.channels_last))

# long runs (many mt19937 twists)
torch.manual_seed(123456789)
big = torch.randn(100003)
emit_sum("big_randn", big)
emit("big_randn_head", big[:8])
emit("big_randn_tail", big[-8:])
big = torch.rand(50001, dtype=torch.float64)
emit_sum("big_rand_f64", big)
# a seed above 2^32: only the low 32 bits seed the engine
torch.manual_seed(2 ** 40 + 17)
emit("seed_high_rand4", torch.rand(4))

print("/* random_cases.h - generated by tests/ops/gen_random_cases.py with PyTorch %s; do not edit. */"
      % torch.__version__)
print("/* clang-format off */")
print("\n".join(out))
