#!/usr/bin/python3
"""Generates tests/ops/more_cases.h: cases for kernels of several families
(var, sort, cumsum, ... in reduce.c; atan2, shifts, softplus, out= variants
in pointwise.c; roll, tril, diag, nonzero in shape.c; advanced indexing,
losses, one_hot, embedding_renorm_, upsampling in nn.c; einsum in linalg.c) with the results of PyTorch
1.13.1 (the system interpreter's torch).  The machinery and the spec
format are casegen.py's; test_more.c runs the cases with case_runner.h.

    /usr/bin/python3 tests/ops/gen_more_cases.py > tests/ops/more_cases.h

Where PyTorch 1.13 has no CPU kernel for float16, the row holds PyTorch's
float32 result rounded to float16 when cts computes one (casegen's
half_as_float), else PyTorch's error.
"""
from casegen import T, case, emit

M = (3, 4)
B3 = (2, 3, 4)
FL = ("f32", "f64", "bf16", "f16")
INTS = ("u8", "i8", "i16", "i32", "i64")

# ---------------------------------------------------------------------------
# var / std

for dt in FL:
    case("aten::var", "t0 b1", T(M, dt, seed=1))
    case("aten::var.dim", "t0 l1 b0 b1", T(M, dt, seed=2))
case("aten::var", "t0 b0", T(M, kind=4, seed=3))
case("aten::var.dim", "t0 l0,1 b1 b0", T(B3, seed=4))
case("aten::var.dim", "t0 l-1,0 b1 b1", T(B3, seed=5, layout=2))
case("aten::var.dim", "t0 n b1 b0", T(B3, seed=6))
case("aten::var.dim", "t0 l0 b1 b0", T((1, 4), seed=7))
case("aten::var.dim", "t0 l0 b1 b0", T((0, 4), seed=7))
case("aten::var.dim", "t0 l2 b1 b0", T(M, seed=8))
case("aten::var.dim", "t0 l1,1 b1 b0", T(M, seed=8))
case("aten::var.dim", "t0 l1 b1 b0", T(M, "i64", kind=2, p1=-5, p2=10))
case("aten::var.correction", "t0 l1 i0 b0", T(M, seed=9))
case("aten::var.correction", "t0 l1 i2 b1", T(M, seed=10))
case("aten::var.correction", "t0 n n b0", T(M, "f64", seed=11))
case("aten::var.correction", "t0 l0 i5 b0", T(M, seed=12))
case("aten::std.dim", "t0 l1 b0 b1", T(M, seed=13))

# ---------------------------------------------------------------------------
# sort / argsort (ties only in rows of up to 16, where PyTorch's default sort
# is stable too)

S = "aten::sort"
for dt in FL + INTS + ("b",):
    case(S, "t0 i-1 b0", T(M, dt, kind=3 if dt in FL else 2, seed=20, p1=0, p2=4))
    case(S, "t0 i0 b1", T(M, dt, kind=3 if dt in FL else 2, seed=21, p1=0, p2=4))
case(S, "t0 i1 b0", T((3, 7), kind=4, seed=22))
case(S, "t0 i1 b1", T((3, 7), kind=4, seed=23))
case(S, "t0 i-2 b1", T(B3, seed=24, layout=2))
case(S, "t0 i0 b0", T((), seed=25))
case(S, "t0 i-1 b0", T((0, 3), seed=25))
case(S, "t0 i2 b0", T(M, seed=26))
case(S, "t0 i1 b0", T((), seed=26))
case(S, "t0 i-1 b0", T((2, 9), "i64", kind=2, p1=-(2**30), p2=2**31 - 1))
case("aten::sort.stable", "t0 b1 i-1 b1", T((2, 16), kind=3, seed=27))
case("aten::sort.stable", "t0 n i0 b0", T((16, 2), kind=3, seed=28),
     err="sort(): c10::optional<bool> for stable has to have value.")  # PyTorch: an internal assert
case("aten::sort.stable", "t0 b0 i0 b0", T((16, 2), kind=3, seed=28))
case("aten::sort.stable", "t0 b1 i-1 b0", T((2, 40), kind=3, seed=29))
case("aten::sort.stable", "t0 b1 i-1 b1", T((2, 40), "i32", kind=2, p1=0, p2=3))
case("aten::argsort", "t0 i-1 b0", T(M, kind=3, seed=30))
case("aten::argsort", "t0 i0 b1", T(M, "i16", kind=2, p1=-3, p2=5))
case("aten::argsort.stable", "t0 b1 i1 b1", T((3, 33), kind=3, seed=31))

# ---------------------------------------------------------------------------
# cumsum, count_nonzero, trace, isclose

for dt in FL + INTS + ("b",):
    case("aten::cumsum", "t0 i1 n", T(M, dt, kind=2 if dt not in FL else 0, seed=40, p1=-3, p2=7))
case("aten::cumsum", "t0 i0 i7", T(M, "i32", kind=2, p1=-3, p2=7))
case("aten::cumsum", "t0 i-1 i6", T(M, "i64", kind=2, p1=-3, p2=7))
case("aten::cumsum", "t0 i0 n", T((), seed=41))
case("aten::cumsum", "t0 i1 n", T((0, 3), seed=41))
case("aten::cumsum", "t0 i2 n", T(M, seed=41))
case("aten::cumsum", "t0 i0 n", T(B3, kind=4, seed=42, layout=2))
case("aten::count_nonzero", "t0 n", T(M, kind=3, seed=43))
case("aten::count_nonzero", "t0 i-1", T(M, "i32", kind=2, p1=-1, p2=3))
case("aten::count_nonzero", "t0 i0", T(M, kind=4, seed=44))
case("aten::count_nonzero.dim_IntList", "t0 l0,2", T(B3, kind=3, seed=45))
case("aten::count_nonzero.dim_IntList", "t0 l", T(B3, kind=3, seed=45))
case("aten::count_nonzero.dim_IntList", "t0 l1,-2", T(B3, kind=3, seed=45))
for dt in ("f32", "f64", "i32", "i64", "u8", "b"):
    case("aten::trace", "t0", T(M, dt, kind=2 if dt not in FL else 0, seed=46, p1=-3, p2=7))
case("aten::trace", "t0", T((4, 3), seed=47, layout=2))
case("aten::trace", "t0", T((3,), seed=47))
IC = "aten::isclose"
case(IC, "t0 t1 f1e-05 f1e-08 b0", T(M, kind=4, seed=48), T(M, kind=4, seed=48))
case(IC, "t0 t1 f1e-05 f1e-08 b1", T(M, kind=4, seed=48), T(M, kind=4, seed=48))
case(IC, "t0 t1 f0.5 f0.1 b0", T(M, kind=0, seed=49), T((4,), kind=0, seed=50))
case(IC, "t0 t1 f0.5 f0 b0", T(M, "i64", kind=2, p1=0, p2=4), T(M, "i64", kind=2, p1=0, p2=5))
case(IC, "t0 t1 f1e-05 f1e-08 b0", T(M, "b", kind=2, p1=0, p2=2), T(M, "b", kind=2, p1=0, p2=2))
case(IC, "t0 t1 f1e-05 f1e-08 b0", T(M), T(M, "f64"))
case(IC, "t0 t1 f-1 f1e-08 b0", T(M), T(M))

# ---------------------------------------------------------------------------
# atan2, shifts, softplus, nan_to_num, out= variants

AT = "aten::atan2"
for dt in FL + ("i64", "b"):
    case(AT, "t0 t1", T(M, dt, kind=0 if dt in FL else 2, seed=60, p1=-2, p2=5),
         T(M, dt, kind=0 if dt in FL else 2, seed=61, p1=-2, p2=5))
case(AT, "t0 t1", T((3, 1), kind=4, seed=62), T((4,), kind=4, seed=63))
case(AT, "t0 t1", T(M, "i32", kind=2, p1=-2, p2=5), T(M, "f64", seed=64))
case(AT, "t0 t1", T(M), T((3,)))
case("aten::atan2_", "t0 t1", T(M, seed=65), T((4,), seed=66), post=(0,))
case("aten::atan2_", "t0 t1", T(M, "i64", kind=2, p1=1, p2=3), T(M, seed=66))
case("aten::atan2.out", "t0 t1 t2", T(M, seed=67), T(M, seed=68), T(M, seed=69), post=(2,))
case("aten::atan2.out", "t0 t1 t2", T(M, seed=67), T(M, seed=68), T((2,), "f64", seed=69), post=(2,))
case("aten::atan2.out", "t0 t1 t2", T(M, seed=67), T(M, seed=68), T(M, "i64"))

for name in ("__lshift__", "__rshift__"):
    for dt in INTS:
        case("aten::%s.Tensor" % name, "t0 t1", T((5, 14), dt, kind=2, p1=-9, p2=200),
             T((5, 14), dt, kind=2, seed=3, p1=-3, p2=75 if dt != "u8" else 75))
        for sh in ("i1", "i7", "i8", "i31", "i32", "i63", "i64", "i-1", "i100"):
            case("aten::%s.Scalar" % name, "t0 " + sh, T((9,), dt, kind=2, p1=-9, p2=200))
    case("aten::%s.Tensor" % name, "t0 t1", T(M, "i64", kind=2, p1=-(2**30), p2=2**31 - 1), T((4,), "i8", kind=2, p1=-70, p2=140))
    case("aten::%s.Scalar" % name, "t0 i2", T(M, "b", kind=2, p1=0, p2=2))
    case("aten::%s.Tensor" % name, "t0 t1", T(M, "b", kind=2, p1=0, p2=2), T(M, "b", kind=2, p1=0, p2=2))
    case("aten::%s.Scalar" % name, "t0 i2", T(M))
    case("aten::%s.Scalar" % name, "t0 f1.5", T(M, "i64", kind=2, p1=0, p2=9))
    case("aten::%s.Tensor" % name, "t0 t1", T(M, "i64", kind=2, p1=0, p2=9), T(M))
    case("aten::%s.Tensor_out" % name, "t0 t1 t2", T(M, "i32", kind=2, p1=-9, p2=20), T((4,), "i32", kind=2, p1=0, p2=9),
         T((7,), "i64"), post=(2,))
    case("aten::%s.Scalar_out" % name, "t0 i3 t1", T(M, "i16", kind=2, p1=-9, p2=20), T(M, "i8"))
iname = {"__lshift__": "__ilshift__", "__rshift__": "__irshift__"}
for name, iname_ in iname.items():
    case("aten::%s.Scalar" % iname_, "t0 i3", T(M, "i32", kind=2, p1=-9, p2=20), post=(0,))
    case("aten::%s.Tensor" % iname_, "t0 t1", T(M, "i8", kind=2, p1=-9, p2=20), T((4,), "i64", kind=2, p1=0, p2=12), post=(0,))
    case("aten::%s.Scalar" % iname_, "t0 f1.5", T(M, "i32", kind=2, p1=-9, p2=20))
for name in ("bitwise_left_shift", "bitwise_right_shift"):
    case("aten::%s.Tensor" % name, "t0 t1", T(M, "i64", kind=2, p1=-9, p2=20), T(M, "i64", kind=2, p1=0, p2=70))
    case("aten::%s.Tensor_Scalar" % name, "t0 i65", T(M, "i16", kind=2, p1=-9, p2=20))
    case("aten::%s.Scalar_Tensor" % name, "i-5 t0", T(M, "i32", kind=2, p1=0, p2=40))
    case("aten::%s.Scalar_Tensor" % name, "i3 t0", T(M, "u8", kind=2, p1=0, p2=12))
    case("aten::%s.Scalar_Tensor_out" % name, "i3 t0 t1", T(M, "i64", kind=2, p1=0, p2=12), T((1,), "i64"), post=(1,))
    case("aten::%s.Tensor_Scalar_out" % name, "t0 i1 t1", T(M, "i64", kind=2, p1=0, p2=12), T(M, "i64"), post=(1,))

SP = "aten::softplus"
for dt in FL + ("i64", "b"):
    case(SP, "t0 i1 i20", T(M, dt, kind=0 if dt in FL else 2, seed=70, p1=-3, p2=6))
case(SP, "t0 f2.0 f0.5", T((5, 7), kind=4, seed=71))
case(SP, "t0 i-1 i3", T((5, 7), "f64", seed=72))
case(SP, "t0 f0.5 i20", T((5, 7), "bf16", seed=73))
case(SP, "t0 i1 i20", T((5, 7), seed=74, layout=2))
case("aten::softplus.out", "t0 i1 i20 t1", T(M, seed=75), T((1, 1)), post=(1,))

for dt in FL + ("i64",):
    case("aten::nan_to_num", "t0 n n n", T((5, 7), dt, kind=4 if dt in FL else 2, seed=76, p1=-3, p2=6))
case("aten::nan_to_num", "t0 f1.5 f100 f-7", T((5, 7), kind=4, seed=77))
case("aten::nan_to_num", "t0 f1.5 f1e300 n", T((5, 7), kind=4, seed=77))
case("aten::nan_to_num", "t0 f2 n f-1e300", T((5, 7), "f64", kind=4, seed=78))

DO = "aten::div.out"
case(DO, "t0 t1 t2", T(M, seed=80), T((4,), kind=1, seed=81), T(M), post=(2,))
case(DO, "t0 t1 t2", T(M, "i64", kind=2, p1=-9, p2=20), T(M, "i64", kind=2, p1=1, p2=5), T((0,), "f64"), post=(2,))
case(DO, "t0 t1 t2", T(M, "i64", kind=2, p1=-9, p2=20), T(M, "i64", kind=2, p1=1, p2=5), T(M, "i64"))
case(DO, "t0 t1 t2", T(M, seed=82), T(M, kind=1, seed=83), T((4, 3), layout=2), post=(2,))
case(DO, "t0 t1 t2", T(M, seed=82), T((3,), kind=1, seed=83), T(M))

# ---------------------------------------------------------------------------
# roll, tril/triu, diag, nonzero, stride

R = "aten::roll"
for spec in ("l1 l", "l-2 l", "l7 l", "l1 l0", "l1 l1", "l-1 l-1", "l5 l1", "l1,2 l0,1", "l1,-1 l1,1", "l2,1 l-1,0",
             "l l", "l1,2 l", "l1,2 l0", "l1 l3", "l0 l0"):
    case(R, "t0 " + spec, T(M, seed=90))
case(R, "t0 l1 l0", T(B3, "i64", kind=2, p1=0, p2=50, layout=2))
case(R, "t0 l1,2 l0,2", T(B3, "b", kind=2, p1=0, p2=2))
case(R, "t0 l3 l", T((), seed=91))
case(R, "t0 l3 l0", T((0, 3), seed=91))
case(R, "t0 l3 l", T((0, 3), seed=91))
for name in ("aten::tril", "aten::triu"):
    for d in ("i0", "i1", "i-1", "i5", "i-7"):
        case(name, "t0 " + d, T(M, seed=92))
    case(name, "t0 i0", T(B3, "i32", kind=2, p1=1, p2=9, layout=2))
    case(name, "t0 i1", T((4, 3), "b", kind=2, p1=1, p2=1))
    case(name, "t0 i0", T((3,)))
DG = "aten::diag"
for d in ("i0", "i2", "i-1"):
    case(DG, "t0 " + d, T((3,), seed=93))
for d in ("i0", "i1", "i-2", "i5", "i-5"):
    case(DG, "t0 " + d, T(M, seed=94))
case(DG, "t0 i0", T((4, 3), "i64", kind=2, p1=0, p2=9, layout=2))
case(DG, "t0 i0", T(B3))
case(DG, "t0 i0", T(()))
NZ = "aten::nonzero"
case(NZ, "t0", T(M, kind=3, seed=95))
case(NZ, "t0", T(B3, kind=4, seed=96, layout=2))
case(NZ, "t0", T(M, "b", kind=2, p1=0, p2=2))
case(NZ, "t0", T((), seed=97))
case(NZ, "t0", T((0, 2)))

# ---------------------------------------------------------------------------
# advanced indexing

IX = "aten::index.Tensor"
case(IX, "t0 T1", T(M, seed=100), T((5,), "i64", kind=2, p1=-3, p2=6))
case(IX, "t0 Tn,1", T(M, seed=101), T((2, 2), "i64", kind=2, p1=-4, p2=8))
case(IX, "t0 T1,2", T(M, seed=102), T((2, 1), "i64", kind=2, p1=0, p2=3), T((3,), "i64", kind=2, p1=0, p2=4))
case(IX, "t0 T1,n,2", T(B3, seed=103), T((2,), "i64", kind=2, p1=0, p2=2), T((2,), "i64", kind=2, p1=0, p2=4))
case(IX, "t0 Tn,1,2", T((2, 3, 4, 2), seed=104), T((2,), "i64", kind=2, p1=0, p2=3), T((2,), "i64", kind=2, p1=0, p2=4))
case(IX, "t0 T1", T(M, seed=105), T(M, "b", kind=2, p1=0, p2=2))
case(IX, "t0 Tn,1", T(B3, seed=106, layout=2), T((3,), "b", kind=2, p1=0, p2=2))
case(IX, "t0 T1", T(M, "i32", kind=2, p1=0, p2=99), T((3,), "u8", kind=2, p1=0, p2=2))
case(IX, "t0 T1", T(M), T((2,), "i64", kind=2, p1=3, p2=1))
case(IX, "t0 T1", T(M), T((2,), "i64", kind=2, p1=-4, p2=1))
case(IX, "t0 T1", T(M), T((2,), "i32", kind=2, p1=0, p2=1))
case(IX, "t0 T1,1,1", T(M), T((2,), "i64", kind=2, p1=0, p2=1))
case(IX, "t0 T1", T(M), T((4,), "b", kind=2, p1=0, p2=2))
case(IX, "t0 T1,2", T(M), T((2,), "i64", kind=2, p1=0, p2=1), T((3,), "i64", kind=2, p1=0, p2=1))
IP = "aten::index_put_"
case(IP, "t0 T1 t2 b0", T(M, seed=110), T((2,), "i64", kind=2, p1=0, p2=3), T((4,), seed=111), post=(0,))
case(IP, "t0 T1 t2 b0", T(M, seed=112), T(M, "b", kind=2, p1=0, p2=2), T((), seed=113), post=(0,))
case(IP, "t0 Tn,1 t2 b1", T(M, seed=114), T((6,), "i64", kind=2, p1=-4, p2=8), T((3, 1), seed=115), post=(0,))
case(IP, "t0 T1,2 t2 b1", T(M, "i64", kind=2, p1=0, p2=9), T((5,), "i64", kind=2, p1=0, p2=2),
     T((5,), "i64", kind=2, p1=0, p2=2), T((5,), "i64", kind=2, p1=1, p2=9), post=(0,))
case(IP, "t0 T1 t2 b1", T((5,), "b", kind=2, p1=0, p2=2), T((4,), "i64", kind=2, p1=0, p2=5),
     T((4,), "b", kind=2, p1=0, p2=2), post=(0,))
case(IP, "t0 T1,n,2 t3 b0", T(B3, seed=116), T((2,), "i64", kind=2, p1=0, p2=2), T((2,), "i64", kind=2, p1=0, p2=4),
     T((2, 3), seed=117), post=(0,))
case(IP, "t0 T1 t2 b0", T(M), T((2,), "i64", kind=2, p1=0, p2=3), T((4,), "f64"))
case(IP, "t0 T1 t2 b0", T(M), T((2,), "i64", kind=2, p1=0, p2=3), T((3,)))
case(IP, "t0 T1 t2 b0", T(M), T((2,), "i64", kind=2, p1=3, p2=3), T(()))
case("aten::index_put", "t0 T1 t2 b1", T(M, seed=118), T((3,), "i64", kind=2, p1=0, p2=1), T((4,), seed=119),
     post=(0,))

# ---------------------------------------------------------------------------
# losses, one_hot

for key in ("aten::mse_loss", "aten::l1_loss"):
    for red in ("i0", "i1", "i2"):
        case(key, "t0 t1 " + red, T(M, seed=130), T(M, seed=131))
    case(key, "t0 t1 i1", T(M, "f64", seed=132), T((4,), "f64", seed=133))
    case(key, "t0 t1 i0", T((3, 1), seed=134), T((4,), seed=135))
    case(key, "t0 t1 i1", T(M, "bf16", seed=136), T(M, "bf16", seed=137))
    case(key, "t0 t1 i2", T(M, "f16", seed=138), T(M, "f16", seed=139))
    case(key, "t0 t1 i2", T(M, "i64", kind=2, p1=-5, p2=9), T(M, "i64", kind=2, seed=2, p1=-5, p2=9))
    case(key, "t0 t1 i0", T(M, "i64", kind=2, p1=-5, p2=9), T(M, seed=140))
    case(key, "t0 t1 i1", T(M, "i64", kind=2, p1=-5, p2=9), T(M, "i64", kind=2, seed=2, p1=-5, p2=9))
    case(key, "t0 t1 i1", T((0,)), T((0,)))
    case(key, "t0 t1 i0", T(M), T((3,)))
for key, p in (("aten::smooth_l1_loss", "f1.0"), ("aten::huber_loss", "f1.0")):
    for red in ("i0", "i1", "i2"):
        case(key, "t0 t1 %s %s" % (red, p), T(M, seed=141), T(M, seed=142))
    case(key, "t0 t1 i0 f0.25", T((3, 7), kind=4, seed=143), T((7,), seed=144))
    case(key, "t0 t1 i1 f3.5", T(M, "f64", seed=145), T(M, "f64", seed=146))
    case(key, "t0 t1 i0 f1.0", T(M, "bf16", seed=147), T(M, "bf16", seed=148))
    case(key, "t0 t1 i0 f1.0", T(M, "i64", kind=2, p1=-5, p2=9), T(M, "i64", kind=2, p1=-5, p2=9))
    case(key, "t0 t1 i0 f0", T(M, seed=149), T(M, seed=150))
    case(key, "t0 t1 i0 f-1", T(M, seed=149), T(M, seed=150))
BCE = "aten::binary_cross_entropy"
for red in ("i0", "i1", "i2"):
    case(BCE, "t0 t1 n " + red, T(M, kind=5, seed=150), T(M, kind=5, seed=151))
case(BCE, "t0 t1 n i1", T(M, kind=2, p1=0, p2=2), T(M, kind=5, seed=151))
case(BCE, "t0 t1 t2 i1", T(M, "f64", kind=5, seed=152), T(M, "f64", kind=5, seed=153), T((4,), "f64", kind=1, seed=154))
case(BCE, "t0 t1 n i0", T((1, 4), kind=5, seed=155), T((4,), kind=5, seed=156))
case(BCE, "t0 t1 n i0", T(M, seed=157), T(M, kind=5, seed=158))
case(BCE, "t0 t1 n i0", T(M, "bf16", kind=5, seed=159), T(M, "bf16", kind=5, seed=160), half_as_float=False)
case(BCE, "t0 t1 n i0", T(M, kind=5, seed=161), T(M, "f64", kind=5, seed=162))
NLL = "aten::nll_loss_nd"
for red in ("i0", "i1", "i2"):
    case(NLL, "t0 t1 n %s i-100" % red, T((4, 5), seed=170), T((4,), "i64", kind=2, p1=0, p2=5))
    case(NLL, "t0 t1 t2 %s i2" % red, T((4, 5), seed=171), T((4,), "i64", kind=2, p1=0, p2=5), T((5,), kind=1, seed=172))
    case(NLL, "t0 t1 n %s i1" % red, T((2, 3, 4), "f64", seed=173), T((2, 4), "i64", kind=2, p1=0, p2=3))
case(NLL, "t0 t1 n i0 i-100", T((5,), seed=174), T((), "i64", kind=2, p1=3, p2=1))
case(NLL, "t0 t1 n i1 i-100", T((2, 3, 2, 2), seed=175), T((2, 2, 2), "i64", kind=2, p1=0, p2=3))
case(NLL, "t0 t1 n i1 i0", T((2, 3), seed=176), T((2,), "i64", kind=2, p1=0, p2=1))
case(NLL, "t0 t1 n i1 i-100", T((2, 3), "bf16", seed=177), T((2,), "i64", kind=2, p1=0, p2=3))
case(NLL, "t0 t1 n i1 i-100", T((2, 3)), T((2,), "i64", kind=2, p1=3, p2=1))
case(NLL, "t0 t1 n i1 i-100", T((2, 3)), T((3,), "i64", kind=2, p1=0, p2=1))
case(NLL, "t0 t1 n i1 i-100", T((2, 3)), T((2,), "i32", kind=2, p1=0, p2=1))
case(NLL, "t0 t1 n i1 i-100", T((2, 3), "i64"), T((2,), "i64", kind=2, p1=0, p2=1))
case(NLL, "t0 t1 t2 i1 i-100", T((2, 3)), T((2,), "i64", kind=2, p1=0, p2=1), T((2,)))
case(NLL, "t0 t1 n i1 i-100", T(()), T((2,), "i64", kind=2, p1=0, p2=1))
case("aten::nll_loss", "t0 t1 n i1 i-100", T((4, 5), seed=178), T((4,), "i64", kind=2, p1=0, p2=5))
CE = "aten::cross_entropy_loss"
for red in ("i0", "i1", "i2"):
    case(CE, "t0 t1 n %s i-100 f0" % red, T((4, 5), seed=180), T((4,), "i64", kind=2, p1=0, p2=5))
    case(CE, "t0 t1 t2 %s i1 f0.2" % red, T((4, 5), seed=181), T((4,), "i64", kind=2, p1=0, p2=5), T((5,), kind=1, seed=182))
    case(CE, "t0 t1 n %s i1 f0.3" % red, T((4, 5), seed=183), T((4,), "i64", kind=2, p1=0, p2=5))
    case(CE, "t0 t1 n %s i-100 f0" % red, T((2, 3, 4), "f64", seed=184), T((2, 3, 4), "f64", kind=1, seed=185))
    case(CE, "t0 t1 t2 %s i-100 f0.1" % red, T((3, 4), seed=186), T((3, 4), kind=1, seed=187), T((4,), kind=1, seed=188))
case(CE, "t0 t1 n i1 i-100 f0", T((5,), seed=189), T((), "i64", kind=2, p1=2, p2=1))
case(CE, "t0 t1 n i1 i-100 f0", T((2, 3, 2), seed=190), T((2, 2), "i64", kind=2, p1=0, p2=3))
case(CE, "t0 t1 n i1 i-100 f1.5", T((2, 3)), T((2,), "i64", kind=2, p1=0, p2=1))
case(CE, "t0 t1 n i1 i-100 f0", T((2, 3)), T((2, 3), "i64", kind=2, p1=0, p2=1))
OH = "aten::one_hot"
case(OH, "t0 i-1", T((2, 3), "i64", kind=2, p1=0, p2=5))
case(OH, "t0 i6", T((4,), "i64", kind=2, p1=0, p2=5))
case(OH, "t0 i3", T((0,), "i64"))
case(OH, "t0 i-1", T((0,), "i64"))
case(OH, "t0 i-1", T((3,), "i64", kind=2, p1=-1, p2=2))
case(OH, "t0 i2", T((3,), "i64", kind=2, p1=0, p2=4))
case(OH, "t0 i-1", T((3,), "i32", kind=2, p1=0, p2=4))

ER = "aten::embedding_renorm_"
case(ER, "t0 t1 f1.0 f2.0", T((5, 3), seed=195), T((4,), "i64", kind=2, p1=0, p2=5), post=(0,))
case(ER, "t0 t1 f2.5 f1.0", T((5, 3), "f64", seed=196), T((2, 3), "i64", kind=2, p1=0, p2=5), post=(0,))
case(ER, "t0 t1 f0.5 f3.0", T((5, 3), seed=197), T((3,), "i32", kind=2, p1=-5, p2=5), post=(0,))
case(ER, "t0 t1 f1.0 f2.0", T((5,), seed=198), T((1,), "i64"))
case(ER, "t0 t1 f1.0 f2.0", T((5, 3), seed=198), T((1,), "i64", kind=2, p1=5, p2=1))

# ---------------------------------------------------------------------------
# upsampling over 1 to 3 spatial dims, adaptive_avg_pool3d

U1, U2, U3 = (2, 3, 5), (1, 2, 4, 5), (1, 2, 3, 4, 3)
for key, shp, sizes, scales in (("aten::upsample_nearest1d.vec", U1, "l9", "F1.7"),
                                ("aten::upsample_nearest3d.vec", U3, "l5,7,4", "F2.0,1.5,0.7"),
                                ("aten::_upsample_nearest_exact1d.vec", U1, "l9", "F1.7"),
                                ("aten::_upsample_nearest_exact2d.vec", U2, "l7,3", "F2.5,1.5"),
                                ("aten::_upsample_nearest_exact3d.vec", U3, "l5,7,4", "F2.0,1.5,0.7")):
    case(key, "t0 %s n" % sizes, T(shp, seed=300))
    case(key, "t0 n %s" % scales, T(shp, seed=301))
    case(key, "t0 %s n" % sizes, T(shp, "f64", seed=302))
    case(key, "t0 %s n" % sizes, T(shp, "bf16", seed=303))
    case(key, "t0 %s n" % sizes, T(shp, "u8", kind=2, p1=0, p2=200))
    case(key, "t0 %s n" % sizes, T(shp, "i64", kind=2, p1=0, p2=200))
    case(key, "t0 l3,3,3,3 n", T(shp, seed=304))
    case(key, "t0 %s n" % sizes, T((2, 3), seed=304))
for key, shp, sizes, scales in (("aten::upsample_linear1d.vec", U1, "l9", "F1.7"),
                                ("aten::upsample_trilinear3d.vec", U3, "l5,7,4", "F2.0,1.5,0.7"),
                                ("aten::upsample_bicubic2d.vec", U2, "l7,3", "F2.5,1.5"),
                                ("aten::_upsample_bilinear2d_aa.vec", U2, "l7,3", "F2.5,0.5"),
                                ("aten::_upsample_bicubic2d_aa.vec", U2, "l7,3", "F2.5,0.5")):
    for align in ("b0", "b1"):
        case(key, "t0 %s %s n" % (sizes, align), T(shp, seed=310))
        case(key, "t0 n %s %s" % (align, scales), T(shp, seed=311))
    case(key, "t0 %s b0 n" % sizes, T(shp, "f64", seed=312))
    # bfloat16: PyTorch rounds intermediates (cts: float32, rounded once); the
    # antialiased kernels have no bfloat16 in PyTorch 1.13 (nor in cts)
    case(key, "t0 %s b1 n" % sizes, T(shp, "bf16", seed=313), low_as_float="aa" not in key, half_as_float="aa" not in key)
    case(key, "t0 %s b0 n" % sizes, T(shp, "i64", kind=2, p1=0, p2=200))
    case(key, "t0 %s b0 %s" % (sizes, scales), T(shp))
case("aten::_upsample_bilinear2d_aa.vec", "t0 l2,2 b0 n", T((1, 2, 9, 11), seed=314))
case("aten::_upsample_bicubic2d_aa.vec", "t0 l3,2 b1 n", T((1, 2, 9, 11), seed=315))
case("aten::upsample_bicubic2d.vec", "t0 l2,9 b0 n", T((1, 2, 9, 11), kind=4, seed=316))
AA3 = "aten::adaptive_avg_pool3d"
for os_ in ("l1,1,1", "l2,3,2", "l4,5,7", "l3,4,3"):
    case(AA3, "t0 " + os_, T(U3, seed=320))
case(AA3, "t0 l2,2,2", T((2, 3, 4, 5), "f64", seed=321))
case(AA3, "t0 l2,2,2", T((2, 3, 4, 5), "bf16", seed=322))
case(AA3, "t0 l2,2,2", T((2, 3, 4, 5), "i64", kind=2, p1=0, p2=9))
case(AA3, "t0 l2,2", T(U3))
case(AA3, "t0 l2,2,2", T((3, 4, 5)))
case(AA3, "t0 l2,2,2", T((1, 0, 4, 5, 2)))

# ---------------------------------------------------------------------------
# activations of torch.nn.functional: selu, celu, mish, threshold, rrelu (in
# evaluation), glu; in-place shape ops unsqueeze_, squeeze_

for dt in FL:
    # PyTorch 1.13's elu has no float16 CPU kernel (nor has cts's)
    case("aten::selu", "t0", T(M, dt, seed=400), half_as_float=False)
    case("aten::celu", "t0 f0.7", T(M, dt, seed=401), half_as_float=False)
    case("aten::mish", "t0", T(M, dt, seed=402))
    case("aten::threshold", "t0 f0.5 f-2.0", T(M, dt, seed=403))
    case("aten::rrelu", "t0 f0.1 f0.3 b0 n", T(M, dt, seed=404))
    case("aten::glu", "t0 i-1", T(M, dt, seed=405))
for key, spec in (("aten::selu_", "t0"), ("aten::celu_", "t0 i2"), ("aten::mish_", "t0"),
                  ("aten::threshold_", "t0 i1 f0.25"), ("aten::rrelu_", "t0 f0.125 f0.3333333333333333 b0 n")):
    case(key, spec, T(M, seed=406), post=(0,))
    case(key, spec, T(M, "f64", seed=407, layout=2), post=(0,))
case("aten::selu", "t0", T(M, kind=4, seed=408))
case("aten::mish", "t0", T((3, 7), kind=4, seed=409))
case("aten::mish", "t0", T((40,), "f64", seed=409))
case("aten::celu", "t0 f1.0", T(M, seed=410, layout=2))
case("aten::celu", "t0 f0", T(M, seed=410))
case("aten::selu", "t0", T(M, "i64", kind=2, p1=-3, p2=6))
case("aten::mish", "t0", T(M, "i32", kind=2, p1=-3, p2=6))
case("aten::threshold", "t0 i2 i-7", T(M, "i64", kind=2, p1=-3, p2=6))
case("aten::threshold", "t0 f1.5 f7.9", T(M, "i32", kind=2, p1=-3, p2=6))
case("aten::threshold", "t0 i-1 i1", T(M, "u8", kind=2, p1=0, p2=6))
case("aten::threshold", "t0 f0.0 f0.0", T(M, kind=4, seed=411))
case("aten::threshold", "t0 i0 i1", T(M, "b", kind=2, p1=0, p2=2))
case("aten::threshold_", "t0 f1.5 f7.9", T(M, "i16", kind=2, p1=-3, p2=6), post=(0,))
case("aten::rrelu", "t0 f0.5 f0.1 b0 n", T(M, seed=412))
case("aten::rrelu", "t0 i0 i1 b0 n", T(M, "f64", seed=413))
case("aten::rrelu", "t0 f0.1 f0.3 b0 n", T(M, "i64", kind=2, p1=-3, p2=6))
case("aten::glu", "t0 i0", T((4, 3, 2), seed=414))
case("aten::glu", "t0 i1", T((3, 4, 2), "f64", seed=415, layout=2))
case("aten::glu", "t0 i-2", T((2, 6, 2), kind=4, seed=416))
case("aten::glu", "t0 i0", T(M, seed=417))
case("aten::glu", "t0 i3", T(M, seed=417))
case("aten::glu", "t0 i0", T((), seed=417))
case("aten::glu", "t0 i1", T(M, "i64", kind=2, p1=-3, p2=6))
case("aten::unsqueeze_", "t0 i1", T(M, seed=418), post=(0,))
case("aten::unsqueeze_", "t0 i-1", T(M, seed=418, layout=2), post=(0,))
case("aten::unsqueeze_", "t0 i3", T(M, seed=418))
case("aten::squeeze_", "t0", T((3, 1, 4, 1), seed=419), post=(0,))
case("aten::squeeze_.dim", "t0 i1", T((3, 1, 4), seed=419), post=(0,))
case("aten::squeeze_.dim", "t0 i0", T((3, 1, 4), seed=419), post=(0,))
case("aten::squeeze_.dim", "t0 i3", T((3, 1, 4), seed=419))

# ---------------------------------------------------------------------------
# more losses: soft_margin, kl_div, hinge_embedding, margin_ranking,
# binary_cross_entropy_with_logits, poisson_nll, cosine_embedding,
# triplet_margin

SGN = T(M, "f32", kind=3, seed=430)  # -2..2: +-1 and other values
for red in ("i0", "i1", "i2", "i5"):  # 5: no reduction (soft_margin_loss: undefined in PyTorch)
    if red != "i5":
        case("aten::soft_margin_loss", "t0 t1 " + red, T(M, seed=420), SGN)
    case("aten::kl_div", "t0 t1 %s b0" % red, T(M, seed=421), T(M, kind=5, seed=422))
    case("aten::kl_div", "t0 t1 %s b1" % red, T(M, seed=421), T(M, seed=422))
    case("aten::hinge_embedding_loss", "t0 t1 f1.0 " + red, T(M, seed=423), SGN)
    case("aten::margin_ranking_loss", "t0 t1 t2 f0.5 " + red, T(M, seed=424), T(M, seed=425), SGN)
    case("aten::binary_cross_entropy_with_logits", "t0 t1 n n " + red, T(M, seed=426), T(M, kind=5, seed=427))
    case("aten::poisson_nll_loss", "t0 t1 b1 b0 f1e-08 " + red, T(M, seed=428), T(M, kind=1, seed=429))
    case("aten::cosine_embedding_loss", "t0 t1 t2 f0.1 " + red, T(M, seed=431), T(M, seed=432),
         T((3,), kind=3, seed=433))
    case("aten::triplet_margin_loss", "t0 t1 t2 f1.0 f2.0 f1e-06 b0 " + red, T(M, seed=434), T(M, seed=435),
         T(M, seed=436))
case("aten::soft_margin_loss", "t0 t1 i1", T(M, "f64", seed=437), T((4,), "f64", seed=438))
case("aten::soft_margin_loss", "t0 t1 i0", T(M, "bf16", seed=437), T(M, "bf16", seed=438))
case("aten::soft_margin_loss", "t0 t1 i1", T((0, 4)), T((0, 4)))
case("aten::soft_margin_loss", "t0 t1 i0", T(M), T((3,)))
case("aten::kl_div", "t0 t1 i0 b0", T((3, 1), "f64", seed=439), T((4,), "f64", kind=5, seed=440))
case("aten::kl_div", "t0 t1 i2 b0", T(M, kind=4, seed=441), T(M, kind=4, seed=442))
case("aten::kl_div", "t0 t1 i2 b0", T(M, seed=441), T(M, "f64", kind=5, seed=442))
case("aten::kl_div", "t0 t1 i1 b0", T(M, "i64", kind=2, p1=-3, p2=6), T(M, "i64", kind=2, p1=0, p2=6))
case("aten::hinge_embedding_loss", "t0 t1 f0.5 i0", T(M, "f64", seed=443), T((4,), "i64", kind=2, p1=-1, p2=3))
case("aten::hinge_embedding_loss", "t0 t1 f2 i0", T(M, kind=4, seed=444), SGN)
case("aten::margin_ranking_loss", "t0 t1 t2 f0 i0", T((3, 1), "f64", seed=445), T((4,), "f64", seed=446),
     T(M, "f64", kind=3, seed=447))
case("aten::margin_ranking_loss", "t0 t1 t2 f0 i0", T(M), T((3,)), T(M))
BL = "aten::binary_cross_entropy_with_logits"
case(BL, "t0 t1 t2 n i0", T(M, seed=448), T(M, kind=5, seed=449), T((4,), kind=1, seed=450))
case(BL, "t0 t1 n t2 i1", T(M, seed=448), T(M, kind=5, seed=449), T((4,), kind=1, seed=451))
case(BL, "t0 t1 t2 t3 i2", T(M, "f64", seed=452), T(M, "f64", kind=5, seed=453), T(M, "f64", kind=1, seed=454),
     T((4,), "f64", kind=1, seed=455))
case(BL, "t0 t1 n n i0", T(M, kind=4, seed=456), T(M, kind=5, seed=457))
# the loss has target's dtype (PyTorch accumulates into 1 - target)
case(BL, "t0 t1 n n i1", T(M, "f64", seed=458), T(M, kind=5, seed=459))
case(BL, "t0 t1 n n i1", T(M, seed=458), T(M, "i64", kind=2, p1=0, p2=2))
case(BL, "t0 t1 n n i0", T(M, "bf16", seed=458), T(M, "bf16", kind=5, seed=459))
PN = "aten::poisson_nll_loss"
case(PN, "t0 t1 b0 b0 f1e-08 i0", T(M, kind=1, seed=460), T(M, kind=1, seed=461))
case(PN, "t0 t1 b0 b1 f0.5 i0", T(M, kind=1, seed=462), T(M, kind=1, seed=463))
case(PN, "t0 t1 b1 b1 f1e-08 i1", T(M, "f64", seed=464), T((4,), "f64", kind=1, seed=465))
case(PN, "t0 t1 b1 b1 f1e-08 i0", T(M, seed=466), T(M, kind=4, seed=467))
CEL = "aten::cosine_embedding_loss"
case(CEL, "t0 t1 t2 f0 i0", T((4,), seed=468), T((4,), seed=469), T((), kind=2, p1=1, p2=1))
case(CEL, "t0 t1 t2 f0 i0", T((4,), seed=468), T((4,), seed=469), T((), kind=2, p1=-1, p2=1))
case(CEL, "t0 t1 t2 f-0.5 i0", T(M, "f64", seed=470), T((1, 4), "f64", seed=471), T((3,), "f64", kind=3, seed=472))
case(CEL, "t0 t1 t2 f0 i0", T(M, seed=473), T(M, seed=474), T((1,), kind=2, p1=-1, p2=1))
case(CEL, "t0 t1 t2 f0 i1", T((3, 0)), T((3, 0)), T((3,), kind=3, seed=475))
case(CEL, "t0 t1 t2 f0 i0", T(M), T(M), T(M))
case(CEL, "t0 t1 t2 f0 i0", T(M), T((4,)), T((3,)))
case(CEL, "t0 t1 t2 f0 i0", T((4,)), T((4,)), T((3,)))
case(CEL, "t0 t1 t2 f0 i0", T((4,)), T(()), T(()))
TM = "aten::triplet_margin_loss"
case(TM, "t0 t1 t2 f0.5 f1.0 f1e-06 b1 i0", T(M, seed=476), T(M, seed=477), T(M, seed=478))
case(TM, "t0 t1 t2 f0.5 f3.0 f0.1 b1 i1", T(M, "f64", seed=479), T(M, "f64", seed=480), T(M, "f64", seed=481))
case(TM, "t0 t1 t2 f1.0 f0.0 f1e-06 b0 i0", T(M, seed=482), T(M, seed=483), T(M, seed=484))
case(TM, "t0 t1 t2 f1.0 finf f1e-06 b0 i0", T(M, seed=482), T(M, seed=483), T(M, seed=484))
case(TM, "t0 t1 t2 f1.0 f2.0 f1e-06 b0 i0", T((3, 1), seed=485), T(M, seed=486), T((3, 1), seed=487))
case(TM, "t0 t1 t2 f1.0 f2.0 f1e-06 b0 i0", T((4,), seed=488), T((4,), seed=489), T((4,), seed=490))
case(TM, "t0 t1 t2 f1.0 f2.0 f1e-06 b0 i0", T(M), T((4,)), T(M))

# ---------------------------------------------------------------------------
# max_pool3d, max_pool3d_with_indices

MP3 = (1, 2, 4, 5, 6)
for key in ("aten::max_pool3d", "aten::max_pool3d_with_indices"):
    case(key, "t0 l2 l l0 l1 b0", T(MP3, seed=500))
    case(key, "t0 l3,2,2 l1,2,1 l1,1,1 l1,1,2 b1", T(MP3, seed=501))
    case(key, "t0 l2 l1 l1 l2 b0", T((2, 4, 5, 6), "f64", seed=502))
    case(key, "t0 l2 l l0 l1 b1", T(MP3, kind=4, seed=503))
    case(key, "t0 l3 l2 l1 l1 b1", T(MP3, "bf16", seed=504))
    case(key, "t0 l2 l l0 l1 b0", T(MP3, "i64", kind=2, p1=0, p2=9))
    case(key, "t0 l2 l l0 l1 b0", T((4, 5, 6)))
    case(key, "t0 l2,2 l l0 l1 b0", T(MP3))
    case(key, "t0 l2 l l2 l1 b0", T(MP3))
    case(key, "t0 l5 l l0 l1 b0", T(MP3))
    case(key, "t0 l2 l0 l0 l1 b0", T(MP3))

# ---------------------------------------------------------------------------
# einsum

ES = "aten::einsum"
case(ES, "sij,jk->ik T0,1 n", T(M, seed=200), T((4, 5), seed=201))
case(ES, "sij,jk T0,1 n", T(M, seed=200), T((4, 5), seed=201))
case(ES, "sii->i T0 n", T((4, 4), seed=202))
case(ES, "sii T0 n", T((4, 4), seed=202))
case(ES, "sij-> T0 n", T(M, seed=203))
case(ES, "sij->ji T0 n", T(M, seed=203, layout=2))
case(ES, "sbij,bjk->bik T0,1 n", T(B3, seed=204), T((2, 4, 2), seed=205))
case(ES, "s...ij->...ji T0 n", T((2, 2, 3, 4), seed=206))
case(ES, "si...,...->i... T0,1 n", T((3, 2, 4), seed=207), T((4,), seed=208))
case(ES, "si,j->ij T0,1 n", T((3,), seed=209), T((4,), seed=210))
case(ES, "sbn,anm,bm->ba T0,1,2 n", T((2, 3), seed=213), T((4, 3, 5), seed=214), T((2, 5), seed=215))
case(ES, "sij,ij->ij T0,1 n", T((3, 1), seed=216), T(M, seed=217))
case(ES, "sAb,bC->CA T0,1 n", T(M, "f64", seed=218), T((4, 2), "f64", seed=219))
case(ES, "sij,jk->ik T0,1 n", T(M, "i64", kind=2, p1=-5, p2=9), T((4, 2), "i64", kind=2, p1=-5, p2=9))
case(ES, "sij,jk->il T0,1 n", T(M), T((4, 5)))
case(ES, "sij,jk->ii T0,1 n", T(M), T((4, 5)))
case(ES, "sijk,jk->ik T0,1 n", T(M), T((4, 5)))
case(ES, "si.j->i T0 n", T(M))
case(ES, "s...i...->i T0 n", T(M))
case(ES, "sij,jk->ik T0 n", T(M))
case(ES, "sij->ik T0,1 n", T(M), T(M))
case(ES, "si1->i T0 n", T(M))
case(ES, "sij,jk->ik T0,1 n", T(M), T((5, 2)))
case(ES, "sii->i T0 n", T(M))
case(ES, "sii->i T0,1 n", T((3, 3)), T((3, 3)))
case(ES, "s-> T0 n", T(()))

# ---------------------------------------------------------------------------
# fill / zero / resize_ (factory.c), bilinear (linalg.c)

for dt in ("f32", "f64", "i64", "b"):
    case("aten::zero_", "t0", T(M, dt, seed=70))
    case("aten::fill_.Scalar", "t0 i3", T(M, dt, seed=71))
case("aten::fill_.Scalar", "t0 f-2.5", T(M, seed=72, layout=2))
case("aten::fill_.Scalar", "t0 f0.5", T(M, "i64", seed=72))
case("aten::fill_.Scalar", "t0 i300", T(M, "u8", seed=72))
case("aten::fill_.Tensor", "t0 t1", T(M, seed=73), T((), seed=74))
case("aten::fill_.Tensor", "t0 t1", T(M, seed=73), T((2,), seed=74))
case("aten::fill.Scalar", "t0 f1.25", T(B3, seed=75))
case("aten::fill.Tensor", "t0 t1", T(B3, "f64", seed=75), T((), "i64", kind=2, p1=3, p2=4))
case("aten::resize_", "t0 l1,3,1,1", T((3,), seed=76))
case("aten::resize_", "t0 l2,2", T((2, 3), seed=77))
case("aten::resize_", "t0 l-1", T(M, seed=77))
for dt in ("f32", "f64"):
    case("aten::bilinear", "t0 t1 t2 t3", T((5, 3), dt, seed=80), T((5, 4), dt, seed=81), T((2, 3, 4), dt, seed=82),
         T((2,), dt, seed=83))
case("aten::bilinear", "t0 t1 t2 n", T((2, 5, 3), seed=84), T((2, 5, 4), seed=85), T((6, 3, 4), seed=86))
case("aten::bilinear", "t0 t1 t2 n", T((5, 3), seed=84), T((5, 4), seed=85), T((6, 4, 4), seed=86))
case("aten::bilinear", "t0 t1 t2 n", T((5, 3), seed=84), T((4, 4), seed=85), T((6, 3, 4), seed=86))

if __name__ == "__main__":
    emit("more_cases.h", "gen_more_cases.py", "MORE")
