#!/usr/bin/python3
"""Generates tests/ops/nn_cases.h: cases for the kernels of src/ops/nn.c with
the results of PyTorch 1.13.1 (the system interpreter's torch); the
machinery lives in casegen.py.

    /usr/bin/python3 tests/ops/gen_nn_cases.py > tests/ops/nn_cases.h

A case is an op key, its arguments as a spec string (tokens separated by
spaces: t0.. input tensor, n None, b0/b1 bool, i<int>, f<float>, l<ints,>
int list, F<floats,> float list, s<str>), the input tensors (dtype, shape,
a value generator that test_nn.c reproduces exactly, a layout), and either
PyTorch's outputs (results, and inputs that the op modifies) or its error
message.  The same spec drives the Python call (torch.ops.aten.<name>), so
the C and the Python calls cannot drift apart.

Where PyTorch 1.13 has no CPU kernel for float16 (most of this family) cts
computes in float32 and rounds; those rows hold PyTorch's float32 result
rounded to float16.  For bfloat16 group_norm and upsample_bilinear2d,
PyTorch 1.13 rounds intermediate results to bfloat16 (group_norm is off by
up to 2% then); cts computes in float32 and rounds once, and those rows
hold the float32 result rounded (low_as_float).  Rows where cts
deliberately differs from PyTorch (RNG ops, messages that come from
undefined behaviour in PyTorch) are not here: test_nn.c checks those by
hand.
"""
from casegen import T, case, emit

# ---------------------------------------------------------------------------
# pooling

A = (1, 1, 5, 5)
B = (2, 3, 7, 9)
C3 = (3, 6, 6)
D = (1, 2, 4, 4)
E = (2, 2, 8, 7)
BS = (1, 3, 6, 7)  # smaller, for the dtype and layout variants

MP = "aten::max_pool2d"
for shp in (A, B, C3):
    case(MP, "t0 l2 l l0 l1 b0", T(shp))
    case(MP, "t0 l3 l2 l1 l1 b0", T(shp, seed=1))
case(MP, "t0 l3 l2 l1 l1 b1", T(B, seed=2))
case(MP, "t0 l2 l2 l0 l1 b1", T(A, seed=3))
case(MP, "t0 l2 l3 l1 l1 b1", T(D, seed=4))
case(MP, "t0 l3 l1 l1 l2 b0", T(B, seed=5))
case(MP, "t0 l2,3 l1,2 l1,0 l2,1 b1", T(E, seed=6))
case(MP, "t0 l1 l1 l0 l1 b0", T(C3, seed=7))
case(MP, "t0 l3 l3 l0 l1 b1", T(E, seed=8))
case(MP, "t0 l4 l1 l2 l1 b0", T(A, seed=9))
case(MP, "t0 l3 l2 l1 l2 b1", T(B, seed=10))
case(MP, "t0 l3,2 l2,3 l1,1 l1,2 b1", T((1, 3, 10, 11), seed=11))
case(MP, "t0 l5,1 l2,1 l2,0 l1,1 b0", T((2, 2, 9, 4), seed=12))
case(MP, "t0 l2 l1 l1 l3 b1", T((1, 2, 6, 6), seed=13))
case(MP, "t0 l3 l2 l1 l1 b0", T((1, 8, 12, 12), seed=14))
case(MP, "t0 l3 l2 l1 l1 b0", T(BS, "f64", seed=15))
case(MP, "t0 l3 l2 l1 l1 b1", T(BS, "bf16", seed=16))
case(MP, "t0 l3 l2 l1 l1 b0", T(BS, "f16", seed=17))
case(MP, "t0 l3 l2 l1 l1 b0", T(BS, kind=4, seed=18))
case(MP, "t0 l2 l1 l0 l1 b0", T(BS, kind=4, seed=19))
case(MP, "t0 l3 l2 l1 l1 b0", T(BS, kind=3, seed=20))
case(MP, "t0 l3 l2 l1 l1 b0", T(BS, seed=21, layout=1))
case(MP, "t0 l3 l2 l1 l1 b1", T(BS, seed=22, layout=2))
case(MP, "t0 l2 l l0 l1 b0", T((0, 2, 4, 4)))
for spec, shp in (("t0 l2 l0 l0 l1 b0", B), ("t0 l2 l l3 l1 b0", B), ("t0 l-1 l l0 l1 b0", B),
                  ("t0 l2 l-1 l0 l1 b0", B), ("t0 l2 l l-1 l1 b0", B), ("t0 l2 l l0 l0 b0", B),
                  ("t0 l10 l l0 l1 b0", B), ("t0 l2,2,2 l l0 l1 b0", B), ("t0 l l l0 l1 b0", B),
                  ("t0 l2 l1,1,1 l0 l1 b0", B), ("t0 l2 l l l1 b0", B), ("t0 l2 l l0 l b0", B),
                  ("t0 l2 l l0 l1 b0", (5, 5)), ("t0 l2 l l0 l1 b0", (2, 0, 3, 3)),
                  ("t0 l2 l l0 l1 b0", (1, 1, 2, 2, 2)), ("t0 l3 l l1 l3 b0", (1, 1, 1, 1))):
    case(MP, spec, T(shp))
case(MP, "t0 l2 l l0 l1 b0", T(B, "i64", kind=2, p1=-5, p2=10))
case(MP, "t0 l2 l l0 l1 b0", T(B, "b", kind=2, p1=0, p2=2))

MPI = "aten::max_pool2d_with_indices"
case(MPI, "t0 l3 l2 l1 l1 b0", T(B, seed=30))
case(MPI, "t0 l3 l2 l1 l2 b1", T(B, seed=31))
case(MPI, "t0 l2 l1 l0 l1 b0", T(BS, kind=3, seed=32))
case(MPI, "t0 l3 l1 l1 l1 b0", T(BS, kind=4, seed=33))
case(MPI, "t0 l2,3 l1,2 l1,0 l2,1 b1", T(C3, seed=34))
case(MPI, "t0 l3 l2 l1 l1 b1", T(BS, "f64", seed=35))
case(MPI, "t0 l3 l2 l1 l1 b1", T(BS, "bf16", seed=36))
case(MPI, "t0 l2 l l0 l1 b0", T((4, 4)))

AP = "aten::avg_pool2d"
for shp in (A, B, C3):
    case(AP, "t0 l2 l l0 b0 b1 n", T(shp, seed=40))
for cm in ("b0", "b1"):
    for cip in ("b0", "b1"):
        case(AP, "t0 l3 l2 l1 %s %s n" % (cm, cip), T(B, seed=41))
        case(AP, "t0 l2 l3 l1 %s %s n" % (cm, cip), T(D, seed=42))
        case(AP, "t0 l3,2 l2,1 l1,0 %s %s n" % (cm, cip), T(E, seed=43))
        case(AP, "t0 l4,3 l3,3 l2,1 %s %s n" % (cm, cip), T((1, 2, 9, 10), seed=44))
case(AP, "t0 l3 l2 l1 b0 b1 i5", T(B, seed=45))
case(AP, "t0 l2 l2 l1 b1 b0 i-3", T(B, seed=46))
case(AP, "t0 l7 l7 l0 b0 b1 n", T((1, 8, 7, 7), seed=47))
case(AP, "t0 l3 l2 l1 b0 b1 n", T((1, 8, 12, 12), seed=48))
case(AP, "t0 l3 l2 l1 b1 b0 n", T(B, "i64", kind=2, p1=-50, p2=100))
case(AP, "t0 l3 l2 l1 b0 b1 i4", T(B, "i64", kind=2, p1=-50, p2=100))
case(AP, "t0 l3 l2 l1 b1 b0 n", T(BS, "f64", seed=49))
case(AP, "t0 l3 l2 l1 b1 b0 n", T(BS, "bf16", seed=50))
case(AP, "t0 l3 l2 l1 b1 b0 n", T(BS, "f16", seed=51))
case(AP, "t0 l3 l2 l1 b0 b0 n", T(BS, kind=4, seed=52))
case(AP, "t0 l3 l2 l1 b0 b1 n", T(BS, seed=53, layout=1))
case(AP, "t0 l3 l2 l1 b1 b0 n", T(BS, seed=54, layout=2))
case(AP, "t0 l2 l l0 b0 b1 n", T((0, 2, 4, 4)))
for spec, shp in (("t0 l2 l l0 b0 b1 i0", B), ("t0 l2 l l0 b0 b1 n", (5, 5)), ("t0 l2,2,2 l l0 b0 b1 n", B),
                  ("t0 l2 l1,1,1 l0 b0 b1 n", B), ("t0 l2 l l b0 b1 n", B), ("t0 l2 l l3 b0 b1 n", B),
                  ("t0 l2 l0 l0 b0 b1 n", B), ("t0 l10 l l0 b0 b1 n", B), ("t0 l0 l l0 b0 b1 n", B),
                  ("t0 l2 l l0 b0 b1 n", (2, 0, 3, 3))):
    case(AP, spec, T(shp))
case(AP, "t0 l2 l l0 b0 b1 n", T(B, "i32", kind=2, p1=-5, p2=10))
case(AP, "t0 l2 l l0 b0 b1 n", T(B, "b", kind=2, p1=0, p2=2))

AAP = "aten::adaptive_avg_pool2d"
for os_ in ("l1,1", "l3,4", "l7,9", "l5,2", "l10,12", "l1,3", "l0,2"):
    case(AAP, "t0 " + os_, T((1, 2, 7, 9), seed=60))
case(AAP, "t0 l4,4", T(C3, seed=61))
case(AAP, "t0 l1,1", T((1, 4, 13, 11), seed=62))
case(AAP, "t0 l6,6", T((1, 4, 13, 11), seed=63))
case(AAP, "t0 l1,1", T((1, 40, 7, 7), seed=64))
case(AAP, "t0 l2,3", T(BS, "f64", seed=65))
case(AAP, "t0 l2,3", T(BS, "bf16", seed=66))
case(AAP, "t0 l2,3", T(BS, "f16", seed=67))
case(AAP, "t0 l1,1", T(BS, "f16", seed=67))
case(AAP, "t0 l3,4", T(BS, seed=68, layout=1))
case(AAP, "t0 l1,1", T(BS, seed=68, layout=1))
case(AAP, "t0 l3,4", T(BS, seed=69, layout=2))
case(AAP, "t0 l3,4", T(BS, kind=4, seed=70))
case(AAP, "t0 l2,2", T((0, 2, 3, 3)))
for spec, shp in (("t0 l2", B), ("t0 l2,2,2", B), ("t0 l-1,2", B), ("t0 l2,2", (3, 4)),
                  ("t0 l2,2", (1, 1, 2, 3, 4)), ("t0 l2,2", (2, 0, 3)), ("t0 l2,2", (2, 3, 0, 3))):
    case(AAP, spec, T(shp))
case(AAP, "t0 l2,2", T(B, "i64", kind=2, p1=-5, p2=10))

AMP = "aten::adaptive_max_pool2d"
for os_ in ("l1,1", "l3,4", "l7,9", "l5,2", "l10,12", "l0,2"):
    case(AMP, "t0 " + os_, T((1, 2, 7, 9), seed=80))
case(AMP, "t0 l4,4", T(C3, seed=81))
case(AMP, "t0 l3,4", T(BS, kind=4, seed=82))
case(AMP, "t0 l3,4", T(BS, kind=3, seed=83))
case(AMP, "t0 l2,3", T(BS, "f64", seed=84))
case(AMP, "t0 l2,3", T(BS, "bf16", seed=85))
case(AMP, "t0 l2,3", T(BS, "f16", seed=86))
case(AMP, "t0 l3,4", T(BS, seed=87, layout=1))
case(AMP, "t0 l2,2", T((0, 2, 3, 3)))
for spec, shp in (("t0 l2", B), ("t0 l2,2", (3, 4)), ("t0 l2,2", (2, 0, 3)), ("t0 l2,2", (0, 2, 3)),
                  ("t0 l2,2", (2, 0, 3, 3))):
    case(AMP, spec, T(shp))
case(AMP, "t0 l2,2", T(B, "i64", kind=2, p1=-5, p2=10))

MP1 = "aten::max_pool1d"
case(MP1, "t0 l2 l l0 l1 b0", T((2, 3, 9), seed=90))
case(MP1, "t0 l3 l2 l1 l1 b1", T((2, 3, 10), seed=91))
case(MP1, "t0 l3 l1 l1 l2 b0", T((3, 9), seed=92))
case(MP1, "t0 l2 l3 l1 l1 b1", T((1, 2, 4), seed=93))
case(MP1, "t0 l5 l l0 l1 b0", T((2, 3, 3), seed=94))
case(MP1, "t0 l2 l l0 l1 b0", T((2, 3, 9), kind=4, seed=95))
case(MP1, "t0 l3 l2 l1 l1 b0", T((2, 3, 9), "f64", seed=96))
case(MP1, "t0 l3 l2 l1 l1 b0", T((2, 3, 9), "bf16", seed=97))
case(MP1, "t0 l3 l2 l1 l1 b0", T((2, 3, 9), "f16", seed=98))
case(MP1, "t0 l3 l2 l1 l1 b0", T((2, 3, 9), seed=99, layout=2))
case(MP1, "t0 l2 l l0 l1 b0", T((0, 2, 3)))
for spec, shp in (("t0 l2,2 l l0 l1 b0", (2, 3, 9)), ("t0 l2 l1,1 l0 l1 b0", (2, 3, 9)),
                  ("t0 l2 l l1,1 l1 b0", (2, 3, 9)), ("t0 l2 l l0 l1,1 b0", (2, 3, 9)),
                  ("t0 l0 l l0 l1 b0", (2, 3, 9)), ("t0 l2 l0 l0 l1 b0", (2, 3, 9)),
                  ("t0 l2 l l-1 l1 b0", (2, 3, 9)), ("t0 l3 l l2 l1 b0", (2, 3, 9)),
                  ("t0 l2 l l0 l0 b0", (2, 3, 9)), ("t0 l2 l l0 l1 b0", (9,)),
                  ("t0 l2 l l0 l1 b0", (1, 2, 3, 9)), ("t0 l2 l l0 l1 b0", (2, 0, 9)),
                  ("t0 l5 l1 l0 l2 b0", (2, 3, 4))):
    case(MP1, spec, T(shp))
case(MP1, "t0 l2 l l0 l1 b0", T((2, 3, 9), "i64", kind=2, p1=-5, p2=10))

MP1I = "aten::max_pool1d_with_indices"
case(MP1I, "t0 l2 l2 l0 l1 b1", T((1, 5), seed=100))
case(MP1I, "t0 l3 l2 l1 l2 b0", T((2, 3, 11), kind=4, seed=101))
for spec, shp in (("t0 l2,2 l l0 l1 b0", (1, 5)), ("t0 l2 l2,2 l0 l1 b0", (1, 5)), ("t0 l2 l l0 l1 b0", (5,)),
                  ("t0 l7 l l0 l1 b0", (1, 5))):
    case(MP1I, spec, T(shp))

AP1 = "aten::avg_pool1d"
case(AP1, "t0 l2 l l0 b0 b1", T((2, 3, 9), seed=110))
case(AP1, "t0 l3 l2 l1 b1 b0", T((2, 3, 10), seed=111))
case(AP1, "t0 l3 l2 l1 b1 b1", T((3, 10), seed=112))
case(AP1, "t0 l3 l2 l1 b0 b1", T((3, 10), "i64", kind=2, p1=-50, p2=100))
case(AP1, "t0 l3 l2 l1 b0 b0", T((3, 10), "f64", seed=113))
for spec, shp in (("t0 l2,2 l l0 b0 b1", (2, 3, 9)), ("t0 l2 l2,2 l0 b0 b1", (2, 3, 9)),
                  ("t0 l2 l l0,0 b0 b1", (2, 3, 9)), ("t0 l2 l l0 b0 b1", (9,)),
                  ("t0 l2 l l0 b0 b1", (1, 2, 3, 9)), ("t0 l10 l l0 b0 b1", (2, 3, 9))):
    case(AP1, spec, T(shp))

AAP1 = "aten::adaptive_avg_pool1d"
case(AAP1, "t0 l4", T((2, 3, 9), seed=120))
case(AAP1, "t0 l1", T((3, 10), seed=121))
case(AAP1, "t0 l13", T((2, 3, 9), "f64", seed=122))
case(AAP1, "t0 l2", T((2, 0, 3)))
for spec, shp in (("t0 l2,2", (2, 3, 9)), ("t0 l2", (9,)), ("t0 l2", (1, 2, 3, 9)), ("t0 l-2", (2, 3, 9))):
    case(AAP1, spec, T(shp))

AMP1 = "aten::adaptive_max_pool1d"
case(AMP1, "t0 l4", T((2, 3, 9), seed=130))
case(AMP1, "t0 l3", T((3, 10), kind=4, seed=131))
for spec, shp in (("t0 l2,2", (2, 3, 9)), ("t0 l2", (9,)), ("t0 l2", (2, 0, 3))):
    case(AMP1, spec, T(shp))

# ---------------------------------------------------------------------------
# normalization

BN = "aten::batch_norm"
X4 = (2, 3, 4, 5)
P3 = (3,)


def bn_inputs(shape, dt="f32", pdt=None, seed=0, layout=0):
    pdt = pdt or dt
    c = (shape[1],)
    return (T(shape, dt, seed=seed, layout=layout), T(c, pdt, seed=seed + 1), T(c, pdt, seed=seed + 2),
            T(c, pdt, seed=seed + 3), T(c, pdt, kind=1, seed=seed + 4))


case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, seed=200))
case(BN, "t0 n n t3 t4 b0 f0.1 f0.001 b1", *bn_inputs(X4, seed=205))
case(BN, "t0 t1 n t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs((4, 3), seed=210))
case(BN, "t0 n t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs((2, 3, 5), seed=215))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs((1, 2, 2, 2, 3), seed=220))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs((1, 32, 4, 5), seed=222))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, "f64", seed=225))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, "bf16", "f32", seed=230))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, "bf16", seed=235))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, "f16", seed=240))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, seed=245, layout=1))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, seed=250, layout=2))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, seed=252)[:1], *(T(P3, kind=4, seed=253),),
     *bn_inputs(X4, seed=252)[2:])
case(BN, "t0 t1 t2 t3 t4 b1 f0.1 f1e-05 b1", *bn_inputs(X4, seed=255), post=(3, 4))
case(BN, "t0 t1 t2 t3 t4 b1 f0.3 f0.001 b1", *bn_inputs((5, 3), seed=260), post=(3, 4))
case(BN, "t0 n n n n b1 f0.1 f1e-05 b1", *bn_inputs(X4, seed=265))
case(BN, "t0 t1 t2 t3 t4 b1 f0.1 f1e-05 b1", *bn_inputs(X4, "f64", seed=270), post=(3, 4))
case(BN, "t0 t1 t2 t3 t4 b1 f0.1 f1e-05 b1", *bn_inputs(X4, "bf16", "f32", seed=275), post=(3, 4))
case(BN, "t0 n n t3 t4 b1 f0.1 f1.0 b1", *bn_inputs((1, 3), seed=280), post=(3, 4))
case(BN, "t0 t1 t2 t3 t4 b1 f0.1 f1e-05 b1", *bn_inputs(X4, seed=285, layout=1), post=(3, 4))
case(BN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", T((0, 3)), T((2,)), T((2,)), T((2,)), T((2,), kind=1))
for spec in ("t0 n n t1 t2 b0 f0.1 f1e-05 b1", "t0 n n t2 t1 b0 f0.1 f1e-05 b1",
             "t0 t1 n t2 t2 b0 f0.1 f1e-05 b1", "t0 n t1 t2 t2 b0 f0.1 f1e-05 b1",
             "t0 n n n t2 b0 f0.1 f1e-05 b1", "t0 n n t2 n b0 f0.1 f1e-05 b1"):
    case(BN, spec, T(X4), T((2,)), T(P3, kind=1))
case(BN, "t0 n n t1 t1 b0 f0.1 f1e-05 b1", T(X4), T((3, 1), kind=1))
case(BN, "t0 t1 n t2 t2 b0 f0.1 f1e-05 b1", T(X4), T(P3, "f64"), T(P3, kind=1))
case(BN, "t0 t1 t1 t1 t1 b0 f0.1 f1e-05 b1", T(X4, "f64"), T(P3, kind=1))
case(BN, "t0 t1 t2 t2 t2 b0 f0.1 f1e-05 b1", T(X4), T(P3), T(P3, "f64", kind=1))
case(BN, "t0 t1 t2 t2 t2 b0 f0.1 f1e-05 b1", T(X4, "bf16"), T(P3, "bf16"), T(P3, kind=1))
case(BN, "t0 n n t1 t1 b0 f0.1 f1e-05 b1", T(X4, "i64", kind=2, p1=-5, p2=10), T(P3, kind=1))
case(BN, "t0 n n n n b1 f0.1 f1e-05 b1", T(X4, "i64", kind=2, p1=-5, p2=10))
case(BN, "t0 n n n n b1 f0.1 f1e-05 b1", T((3,)))

LN = "aten::layer_norm"
case(LN, "t0 l5 t1 t2 f1e-05 b1", T((2, 3, 5), seed=300), T((5,), seed=301), T((5,), seed=302))
case(LN, "t0 l3,5 t1 t2 f1e-05 b1", T((2, 3, 5), seed=303), T((3, 5), seed=304), T((3, 5), seed=305))
case(LN, "t0 l5 n n f0.001 b1", T((2, 3, 5), seed=306))
case(LN, "t0 l5 t1 n f1e-05 b1", T((2, 3, 5), seed=307), T((5,), seed=308))
case(LN, "t0 l300 t1 t2 f1e-05 b1", T((2, 300), seed=309), T((300,), seed=310), T((300,), seed=311))
case(LN, "t0 l64 t1 t2 f1e-05 b1", T((2, 3, 64), seed=312, layout=2), T((64,), seed=313), T((64,), seed=314))
case(LN, "t0 l5 t1 t2 f1e-05 b1", T((2, 3, 5), "f64", seed=315), T((5,), "f64", seed=316), T((5,), "f64", seed=317))
case(LN, "t0 l5 t1 t2 f1e-05 b1", T((2, 3, 5), "bf16", seed=318), T((5,), "bf16", seed=319),
     T((5,), "bf16", seed=320))
case(LN, "t0 l5 t1 t2 f1e-05 b1", T((2, 3, 5), "f16", seed=321), T((5,), "f16", seed=322),
     T((5,), "f16", seed=323))
case(LN, "t0 l5 n n f1e-05 b1", T((2, 3, 5), kind=4, seed=324))
case(LN, "t0 l5 n n f1e-05 b1", T((0, 5)))
case(LN, "t0 l5 n n f1e-05 b1", T((4, 5), kind=3, seed=325))
for spec, ts in (("t0 l n n f1e-05 b1", (T(X4),)), ("t0 l4 n n f1e-05 b1", (T(X4),)),
                 ("t0 l3,4,6 n n f1e-05 b1", (T(X4),)), ("t0 l2,5 n n f1e-05 b1", (T((5,)),)),
                 ("t0 l5 t1 n f1e-05 b1", (T(X4), T((4,)))), ("t0 l5 n t1 f1e-05 b1", (T(X4), T((4,)))),
                 ("t0 l1 n n f1e-05 b1", (T(()),)), ("t0 l5 n n f1e-05 b1", (T(X4, "i64", kind=2, p1=0, p2=3),)),
                 ("t0 l5 t1 n f1e-05 b1", (T(X4), T((5,), "f64"))),
                 ("t0 l5 t1 n f1e-05 b1", (T(X4, "bf16"), T((5,))))):
    case(LN, spec, *ts)

GN = "aten::group_norm"
case(GN, "t0 i3 t1 t2 f1e-05 b1", T((2, 6, 2, 3), seed=400), T((6,), seed=401), T((6,), seed=402))
case(GN, "t0 i1 t1 t2 f1e-05 b1", T((2, 6, 2, 3), seed=403), T((6,), seed=404), T((6,), seed=405))
case(GN, "t0 i6 n n f0.001 b1", T((2, 6, 2, 3), seed=406))
case(GN, "t0 i2 t1 n f1e-05 b1", T((3, 4), seed=407), T((4,), seed=408))
case(GN, "t0 i2 n t1 f1e-05 b1", T((2, 4, 7), seed=409), T((4,), seed=410))
case(GN, "t0 i4 t1 t2 f1e-05 b1", T((1, 32, 3, 3), seed=411), T((32,), seed=412), T((32,), seed=413))
case(GN, "t0 i3 t1 t2 f1e-05 b1", T((2, 6, 2, 3), "f64", seed=414), T((6,), "f64", seed=415),
     T((6,), "f64", seed=416))
case(GN, "t0 i3 t1 t2 f1e-05 b1", T((2, 6, 2, 3), "bf16", seed=417), T((6,), "bf16", seed=418),
     T((6,), "bf16", seed=419), low_as_float=True)
case(GN, "t0 i3 n n f1e-05 b1", T((2, 6, 2, 3), "f16", seed=420))
case(GN, "t0 i3 t1 t2 f1e-05 b1", T((2, 6, 2, 3), seed=421, layout=1), T((6,), seed=422), T((6,), seed=423))
case(GN, "t0 i3 n n f1e-05 b1", T((0, 3, 2)))
case(GN, "t0 i3 n n f1e-05 b1", T((2, 3, 0)))
for spec, ts in (("t0 i2 n n f1e-05 b1", (T(X4),)), ("t0 i3 t1 n f1e-05 b1", (T(X4), T((2,)))),
                 ("t0 i3 t1 n f1e-05 b1", (T(X4), T((3, 1)))), ("t0 i3 t1 t2 f1e-05 b1", (T(X4), T((3,)), T((2,)))),
                 ("t0 i3 n n f1e-05 b1", (T((3,)),)), ("t0 i-1 n n f1e-05 b1", (T(X4),)),
                 ("t0 i0 n n f1e-05 b1", (T(X4),)), ("t0 i3 n n f1e-05 b1", (T(X4, "i64", kind=2, p1=0, p2=3),)),
                 ("t0 i3 t1 n f1e-05 b1", (T(X4), T((3,), "f64"))),
                 ("t0 i3 t1 n f1e-05 b1", (T(X4, "bf16"), T((3,))))):
    case(GN, spec, *ts)
case(GN, "t0 i3 n t1 f1e-05 b1", T(X4), T((2,)))

IN = "aten::instance_norm"
case(IN, "t0 t1 t2 t3 t4 b1 f0.1 f1e-05 b1", *bn_inputs(X4, seed=500), post=(3, 4))
case(IN, "t0 t1 t2 t3 t4 b0 f0.1 f1e-05 b1", *bn_inputs(X4, seed=505), post=(3, 4))
case(IN, "t0 n n n n b1 f0.1 f1e-05 b1", *bn_inputs((2, 3, 7), seed=510))
case(IN, "t0 t1 t2 n n b1 f0.1 f0.001 b1", *bn_inputs((3, 2, 4, 4), "f64", seed=515))
case(IN, "t0 n n n n b1 f0.1 f1e-05 b1", T((0, 3, 4)))
for spec, ts in (("t0 n n n n b0 f0.1 f1e-05 b1", (T(X4),)), ("t0 n n t1 n b0 f0.1 f1e-05 b1", (T(X4), T(P3))),
                 ("t0 n n n n b1 f0.1 f1e-05 b1", (T((3,)),)), ("t0 t1 n n n b1 f0.1 f1e-05 b1", (T(X4), T((2,)))),
                 ("t0 n n t1 t1 b1 f0.1 f1e-05 b1", (T(X4), T((2,), kind=1))),
                 ("t0 n n n n b1 f0.1 f1e-05 b1", (T(X4, "i64", kind=2, p1=0, p2=3),))):
    case(IN, spec, *ts)

# ---------------------------------------------------------------------------
# dropout (train=False and the deterministic train=True cases)

for op in ("aten::dropout", "aten::feature_dropout", "aten::alpha_dropout", "aten::feature_alpha_dropout"):
    case(op, "t0 f0.5 b0", T((2, 3), seed=600))
    case(op, "t0 f0.0 b1", T((2, 3), seed=601))
    case(op, "t0 f1.0 b1", T((2, 3), kind=4, seed=602))
    case(op, "t0 f0.5 b1", T((0, 3)))
    case(op, "t0 f1.5 b0", T((2, 3)))
    case(op, "t0 f-0.5 b1", T((2, 3)))
case("aten::dropout", "t0 f1.0 b1", T((2, 3), "i64", kind=2, p1=-5, p2=10))
case("aten::dropout", "t0 f0.5 b0", T((2, 3), "i64", kind=2, p1=-5, p2=10))
for op in ("aten::dropout_", "aten::feature_dropout_", "aten::alpha_dropout_", "aten::feature_alpha_dropout_"):
    case(op, "t0 f0.5 b0", T((2, 3), seed=610), post=(0,))
    case(op, "t0 f1.0 b1", T((2, 3), kind=4, seed=611), post=(0,))
    case(op, "t0 f2.0 b0", T((2, 3)))

# ---------------------------------------------------------------------------
# embedding, index_select, gather

EM = "aten::embedding"
case(EM, "t0 t1 i-1 b0 b0", T((5, 3), seed=700), T((2, 4), "i64", kind=2, p1=0, p2=5, seed=701))
case(EM, "t0 t1 i2 b1 b1", T((5, 3), seed=702), T((7,), "i32", kind=2, p1=0, p2=5, seed=703))
case(EM, "t0 t1 i-2 b0 b0", T((6, 4), "f64", seed=704), T((), "i64", kind=2, p1=0, p2=6, seed=705))
case(EM, "t0 t1 i-1 b0 b0", T((6, 4), "bf16", seed=706), T((2, 1, 3), "i64", kind=2, p1=0, p2=6, seed=707))
case(EM, "t0 t1 i-1 b0 b0", T((6, 4), "i64", kind=2, p1=-9, p2=20, seed=708), T((3,), "i64", kind=2, p1=0, p2=6))
case(EM, "t0 t1 i-1 b0 b0", T((6, 40), seed=709, layout=2), T((5,), "i64", kind=2, p1=0, p2=6, seed=710))
case(EM, "t0 t1 i-1 b0 b0", T((6, 4), seed=711), T((2, 0), "i64"))
for ts in ((T((5, 3)), T((3,), "i64", kind=2, p1=3, p2=3)), (T((5, 3)), T((3,), "i64", kind=2, p1=-1, p2=1)),
           (T((5, 3)), T((3,), kind=2, p1=0, p2=3)), (T((5, 3)), T((3,), "i16", kind=2, p1=0, p2=3)),
           (T((5,)), T((3,), "i64", kind=2, p1=0, p2=3))):
    case(EM, "t0 t1 i-1 b0 b0", *ts)

IS = "aten::index_select"
X3 = (3, 4, 5)
case(IS, "t0 i0 t1", T(X3, seed=720), T((4,), "i64", kind=2, p1=0, p2=3, seed=721))
case(IS, "t0 i1 t1", T(X3, seed=722), T((6,), "i32", kind=2, p1=0, p2=4, seed=723))
case(IS, "t0 i-1 t1", T(X3, seed=724), T((2,), "i64", kind=2, p1=0, p2=5, seed=725))
case(IS, "t0 i2 t1", T(X3, seed=726, layout=2), T((3,), "i64", kind=2, p1=0, p2=5, seed=727))
case(IS, "t0 i0 t1", T((7,), "f64", seed=728), T((3,), "i64", kind=2, p1=0, p2=7, seed=729))
case(IS, "t0 i0 t1", T((3, 4), "i64", kind=2, p1=-9, p2=20), T((), "i64", kind=2, p1=0, p2=3))
case(IS, "t0 i1 t1", T((3, 4), "b", kind=2, p1=0, p2=2), T((3,), "i64", kind=2, p1=0, p2=4))
case(IS, "t0 i0 t1", T(()), T((1,), "i64", kind=2, p1=0, p2=1))
case(IS, "t0 i0 t1", T((3, 4)), T((0,), "i64"))
for spec, ts in (("t0 i0 t1", (T((3, 4)), T((1,), "i64", kind=2, p1=3, p2=1))),
                 ("t0 i0 t1", (T((3, 4)), T((1,), "i64", kind=2, p1=-1, p2=1))),
                 ("t0 i1 t1", (T((3, 4)), T((1,), "i64", kind=2, p1=4, p2=1))),
                 ("t0 i1 t1", (T((3, 4)), T((1,), "i64", kind=2, p1=-1, p2=1))),
                 ("t0 i0 t1", (T((5,)), T((1,), "i64", kind=2, p1=7, p2=1))),
                 ("t0 i1 t1", (T((3, 4)), T((1, 1), "i64"))), ("t0 i1 t1", (T((3, 4)), T((1,)))),
                 ("t0 i2 t1", (T((3, 4)), T((1,), "i64"))), ("t0 i0 t1", (T((0, 3)), T((1,), "i64"))),
                 ("t0 i0 t1", (T(()), T((), "i64", kind=2, p1=1, p2=1)))):
    case(IS, spec, *ts)

GA = "aten::gather"
case(GA, "t0 i1 t1 b0", T((3, 4), seed=740), T((3, 2), "i64", kind=2, p1=0, p2=4, seed=741))
case(GA, "t0 i0 t1 b0", T((3, 4), seed=742), T((2, 4), "i64", kind=2, p1=0, p2=3, seed=743))
case(GA, "t0 i-1 t1 b1", T((2, 3, 4), "f64", seed=744), T((2, 2, 5), "i64", kind=2, p1=0, p2=4, seed=745))
case(GA, "t0 i1 t1 b0", T((2, 3, 4), "i32", kind=2, p1=-9, p2=20), T((1, 5, 2), "i64", kind=2, p1=0, p2=3))
case(GA, "t0 i0 t1 b0", T(()), T((), "i64"))
case(GA, "t0 i0 t1 b0", T(()), T((2,), "i64"))
case(GA, "t0 i0 t1 b0", T((2,)), T((), "i64", kind=2, p1=1, p2=1))
case(GA, "t0 i1 t1 b0", T((3, 4)), T((0, 1), "i64"))
for spec, ts in (("t0 i1 t1 b0", (T((3, 4)), T((1, 1), "i64", kind=2, p1=4, p2=1))),
                 ("t0 i1 t1 b0", (T((3, 4)), T((1, 1), "i64", kind=2, p1=-1, p2=1))),
                 ("t0 i1 t1 b0", (T((3, 4)), T((1, 1), "i32"))), ("t0 i1 t1 b0", (T((3, 4)), T((2,), "i64"))),
                 ("t0 i1 t1 b0", (T((3, 4)), T((4, 1), "i64"))), ("t0 i0 t1 b0", (T((3, 4)), T((1, 5), "i64"))),
                 ("t0 i2 t1 b0", (T((3, 4)), T((1, 1), "i64")))):
    case(GA, spec, *ts)

# ---------------------------------------------------------------------------
# padding

CP = "aten::constant_pad_nd"
case(CP, "t0 l1,2 i0", T((3, 4), seed=800))
case(CP, "t0 l1,2,0,3 f-1.5", T((2, 3, 4), seed=801))
case(CP, "t0 l1,1,2,0,1,1 f2.5", T((2, 3, 4), seed=802))
case(CP, "t0 l-1,2,1,-2 i7", T((2, 3, 4), seed=803))
case(CP, "t0 l-2,-2 i0", T((2, 3, 4), seed=804))
case(CP, "t0 l1,1 f-2.7", T((2, 3), "i32", kind=2, p1=-5, p2=10))
case(CP, "t0 l1,1 i2", T((2, 3), "b", kind=2, p1=0, p2=2))
case(CP, "t0 l1,1,1,1 b1", T((2, 3), "u8", kind=2, p1=0, p2=200))
case(CP, "t0 l2,1 f0.5", T((2, 3), "f64", seed=805))
case(CP, "t0 l2,1 f0.5", T((2, 3), "bf16", seed=806))
case(CP, "t0 l2,1,1,1 f0.5", T((2, 3, 5), seed=807, layout=2))
case(CP, "t0 l i3", T(()))
case(CP, "t0 l1,1 i3", T((0,)))
for spec, shp in (("t0 l1 i0", (2, 3)), ("t0 l1,1,1,1,1,1 i0", (2, 3)), ("t0 l-2,-3 i0", (2, 3, 4)),
                  ("t0 l-3,-3 i0", (2, 3, 4))):
    case(CP, spec, T(shp))
case(CP, "t0 l1,1 i300", T((2, 3), "u8", kind=2, p1=0, p2=200))

PAD = "aten::pad"
case(PAD, "t0 l1,2 sconstant n", T((2, 3, 4), seed=820))
case(PAD, "t0 l1,2,2,0 sconstant f1.5", T((2, 3, 4), seed=821))
case(PAD, "t0 l1,2 sreflect n", T((2, 3, 4), seed=822))
case(PAD, "t0 l3,1,2,1 sreflect n", T((2, 3, 4), seed=823))
case(PAD, "t0 l1,2,2,0 sreflect f0.0", T((1, 2, 3, 4), seed=824))
case(PAD, "t0 l-1,2 sreflect n", T((2, 3, 4), seed=825))
case(PAD, "t0 l1,2 sreplicate n", T((3, 4), seed=826))
case(PAD, "t0 l5,4,3,-1 sreplicate n", T((1, 2, 3, 4), seed=827))
case(PAD, "t0 l1,2 scircular n", T((2, 3, 4), seed=828))
case(PAD, "t0 l4,4 scircular n", T((1, 3, 4), seed=829))
case(PAD, "t0 l-1,2 scircular n", T((2, 3, 4), seed=830))
case(PAD, "t0 l-1,-2 scircular n", T((1, 1, 5), seed=831))
case(PAD, "t0 l1,2,2,1 scircular n", T((1, 2, 3, 4), seed=832))
case(PAD, "t0 l1,1,1,1,1,1 sreflect n", T((1, 2, 2, 3, 4), seed=833))
case(PAD, "t0 l2,1,1,2,1,1 sreplicate n", T((1, 2, 3, 4), seed=834))
case(PAD, "t0 l1,1,2,1,1,0 scircular n", T((1, 1, 3, 4, 5), seed=835))
case(PAD, "t0 l1,2,2,1 sreflect n", T((1, 2, 3, 4), "f64", seed=836))
case(PAD, "t0 l1,2,2,1 sreflect n", T((1, 2, 3, 4), "bf16", seed=837))
case(PAD, "t0 l1,2,2,1 sreplicate n", T((1, 2, 3, 4), "f16", seed=838))
case(PAD, "t0 l1,2,2,1 sreplicate n", T((1, 2, 3, 4), seed=839, layout=1))
case(PAD, "t0 l1,2 scircular n", T((2, 3, 4), "i64", kind=2, p1=-5, p2=10))
case(PAD, "t0 l1,1 sconstant f2.5", T((1, 3, 4), "i64", kind=2, p1=-5, p2=10))
case(PAD, "t0 l1,1,1,1 sreflect n", T((0, 2, 3, 3)))
for spec, shp in (("t0 l1 sconstant n", (1, 3, 4)), ("t0 l1,1,1,1,1,1,1,1 sconstant n", (1, 3, 4)),
                  ("t0 l1,1 sfoo n", (1, 3, 4)), ("t0 l1,1 sreflect f1.0", (1, 3, 4)),
                  ("t0 l1,1,1,1,1,1 sreflect n", (1, 3, 4)), ("t0 l1,1,1,1 sreflect n", (3, 4)),
                  ("t0 l1,1 sreflect n", (1, 1, 3, 4)), ("t0 l4,1 sreflect n", (1, 3, 4)),
                  ("t0 l5,2 scircular n", (1, 3, 4)), ("t0 l-5,0 scircular n", (1, 3, 4)),
                  ("t0 l-2,-3 sconstant n", (1, 3, 4)), ("t0 l1,4,1,1 sreflect n", (1, 3, 4)),
                  ("t0 l1,1,1,1 sreplicate n", (1, 0, 4))):
    case(PAD, spec, T(shp))
case(PAD, "t0 l1,1 sreflect n", T((1, 3, 4), "i64", kind=2, p1=-5, p2=10))

case("aten::reflection_pad1d", "t0 l3,3", T((2, 3, 4), seed=850))
case("aten::reflection_pad1d", "t0 l1,2", T((3, 4), seed=851))
case("aten::reflection_pad2d", "t0 l1,2,3,0", T((2, 4, 4), seed=852))
case("aten::reflection_pad2d", "t0 l-1,-1,1,1", T((1, 3, 4), seed=853))
case("aten::reflection_pad2d", "t0 l2,2,2,2", T((1, 4, 9, 9), seed=854))
case("aten::replication_pad1d", "t0 l5,5", T((2, 3, 4), seed=855))
case("aten::replication_pad2d", "t0 l5,5,5,5", T((1, 3, 4), seed=856))
case("aten::replication_pad2d", "t0 l-4,0,0,1", T((2, 1, 3, 4), seed=857))
case("aten::_pad_circular", "t0 l1,2", T((2, 3, 4), seed=858))
case("aten::_pad_circular", "t0 l1,2,2,1", T((2, 2, 3, 4), seed=859))
case("aten::_pad_enum", "t0 l1,1 i1 n", T((2, 3, 4), seed=860))
case("aten::_pad_enum", "t0 l1,1 i0 f2.0", T((2, 3, 4), seed=861))
for key, spec, shp in (("aten::reflection_pad2d", "t0 l1,1,3,1", (1, 3, 4)),
                       ("aten::reflection_pad2d", "t0 l4,1,1,1", (1, 3, 4)),
                       ("aten::reflection_pad2d", "t0 l-2,-2,-1,-2", (1, 3, 4)),
                       ("aten::reflection_pad2d", "t0 l1,1,1,1", (1, 0, 3)),
                       ("aten::reflection_pad2d", "t0 l1,1,1,1", (0, 2, 3, 3)),
                       ("aten::reflection_pad1d", "t0 l4,3", (1, 3, 4)),
                       ("aten::reflection_pad1d", "t0 l-2,-2", (1, 3, 4)),
                       ("aten::reflection_pad1d", "t0 l1,1", (2, 0, 2)),
                       ("aten::replication_pad2d", "t0 l-2,-2,-1,-2", (1, 3, 4)),
                       ("aten::replication_pad2d", "t0 l1,1,1", (1, 3, 4)),
                       ("aten::replication_pad2d", "t0 l1,1,1,1", (1, 1, 1, 2, 2)),
                       ("aten::replication_pad1d", "t0 l-2,-2", (1, 3, 4)),
                       ("aten::replication_pad1d", "t0 l1,1,1", (1, 3, 4)),
                       ("aten::replication_pad1d", "t0 l1,1", (4,)),
                       ("aten::_pad_circular", "t0 l1,1,1,1", (1, 2, 2)),
                       ("aten::_pad_circular", "t0 l-3,0", (1, 2, 2))):
    case(key, spec, T(shp))
case("aten::replication_pad2d", "t0 l1,1,1,1", T((1, 3, 4), "i64", kind=2, p1=-5, p2=10))

# ---------------------------------------------------------------------------
# upsampling

UN = "aten::upsample_nearest2d"
U4 = (1, 2, 4, 5)
for os_ in ("l8,10", "l3,5", "l7,3", "l4,5", "l1,1", "l9,13"):
    case(UN, "t0 %s n n" % os_, T(U4, seed=900))
case(UN, "t0 l3,5 f0.7 f1.3", T(U4, seed=901))
case(UN, "t0 l3,5 f0.7 f1.3", T((1, 1, 4, 5), seed=901))
case(UN, "t0 l7,9 f1.9 f1.7", T(U4, seed=901))
case(UN, "t0 l7,9 f1.9 f1.7", T(U4, seed=901, layout=1))
case(UN, "t0 l7,9 n n", T(U4, "bf16", seed=901))
case(UN, "t0 l13,17 n n", T((1, 2, 7, 6), "f64", seed=901))
case(UN, "t0 l8,10 f2.0 f2.0", T(U4, seed=902))
case(UN, "t0 l6,7 n n", T(U4, "u8", kind=2, p1=0, p2=255))
case(UN, "t0 l6,7 n n", T(U4, "f64", seed=903))
case(UN, "t0 l6,7 n n", T(U4, "bf16", seed=904))
case(UN, "t0 l6,7 n n", T(U4, "f16", seed=905))
case(UN, "t0 l6,7 n n", T(U4, seed=906, layout=1))
case(UN, "t0 l6,7 n n", T(U4, seed=907, layout=2))
case(UN, "t0 l3,3 n n", T((0, 1, 2, 2)))
for spec, shp in (("t0 l3,5 n n", (2, 4, 5)), ("t0 l0,5 n n", U4), ("t0 l3,5,6 n n", U4),
                  ("t0 l3,3 n n", (1, 0, 2, 2)), ("t0 l3,3 n n", (1, 1, 0, 2))):
    case(UN, spec, T(shp))
case(UN, "t0 l6,7 n n", T(U4, "i64", kind=2, p1=0, p2=9))
UNV = "aten::upsample_nearest2d.vec"
case(UNV, "t0 l3,7 n", T(U4, seed=910))
case(UNV, "t0 n F1.5,2.0", T(U4, seed=911))
case(UNV, "t0 n F0.5,0.4", T((1, 1, 8, 10), seed=912))
case(UNV, "t0 n F2.5,1.7", T(U4, seed=913))
for spec, shp in (("t0 l3,5 F1.5,2.0", U4), ("t0 n n", U4), ("t0 l3 n", U4), ("t0 n F3.0", U4),
                  ("t0 n F-1.0,2.0", U4), ("t0 n F0.1,2.0", U4), ("t0 l3,5 n", (2, 4, 5))):
    case(UNV, spec, T(shp))

UB = "aten::upsample_bilinear2d"
for ac in ("b0", "b1"):
    for os_ in ("l8,10", "l3,7", "l7,3", "l4,5", "l1,1", "l2,1"):
        case(UB, "t0 %s %s n n" % (os_, ac), T(U4, seed=920))
case(UB, "t0 l8,10 b0 f2.0 f2.0", T(U4, seed=921))
case(UB, "t0 l5,7 b1 f1.3 f1.5", T(U4, seed=922))
case(UB, "t0 l6,7 b0 n n", T(U4, "f64", seed=923))
case(UB, "t0 l6,7 b1 n n", T(U4, "bf16", seed=924), low_as_float=True)
case(UB, "t0 l6,7 b0 n n", T(U4, "f16", seed=925))
case(UB, "t0 l6,7 b0 n n", T(U4, seed=926, layout=1))
case(UB, "t0 l6,7 b1 n n", T(U4, seed=927, layout=2))
case(UB, "t0 l14,14 b0 n n", T((1, 2, 7, 7), seed=928))
for spec, shp in (("t0 l3,5 b0 n n", (2, 4, 5)), ("t0 l0,5 b0 n n", U4), ("t0 l3,5,6 b0 n n", U4)):
    case(UB, spec, T(shp))
case(UB, "t0 l6,7 b0 n n", T(U4, "i64", kind=2, p1=0, p2=9))
UBV = "aten::upsample_bilinear2d.vec"
case(UBV, "t0 l3,7 b0 n", T(U4, seed=930))
case(UBV, "t0 n b0 F1.5,2.0", T(U4, seed=931))
case(UBV, "t0 n b1 F1.5,2.0", T(U4, seed=932))
case(UBV, "t0 n b0 F0.5,0.4", T((1, 1, 8, 10), seed=933))
for spec, shp in (("t0 l3,5 b0 F1.5,2.0", U4), ("t0 n b0 n", U4)):
    case(UBV, spec, T(shp))

# ---------------------------------------------------------------------------
# relu6

case("aten::relu6", "t0", T((3, 7), kind=4, seed=950))
case("aten::relu6", "t0", T((3, 7), "f64", seed=951))
case("aten::relu6", "t0", T((3, 7), "i64", kind=2, p1=-9, p2=20))
case("aten::relu6", "t0", T((3, 7), "u8", kind=2, p1=0, p2=20))
case("aten::relu6", "t0", T((3, 7), "bf16", seed=952))
case("aten::relu6", "t0", T((3, 7), seed=953, layout=2))
case("aten::relu6", "t0", T((3, 7), "b", kind=2, p1=0, p2=2))
case("aten::relu6_", "t0", T((3, 7), kind=4, seed=954), post=(0,))
case("aten::relu6_", "t0", T((3, 7), "i32", kind=2, p1=-9, p2=20), post=(0,))

if __name__ == "__main__":
    emit()
