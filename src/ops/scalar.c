/* scalar.c - kernels for TorchScript's Python-number ops (family `scalar`).
 *
 * Arithmetic, comparisons, bit ops, math-module functions, conversions
 * between int/float/bool/str/Tensor and identity tests, with the semantics
 * of PyTorch 1.13's register_prim_ops.cpp rather than CPython's where the two
 * differ, because PyTorch is the specification:
 *
 *   - int overflow wraps (two's complement; computed in unsigned, no UB);
 *   - `//` and `%` on ints floor like Python; int `//` by zero is the error
 *     "division by 0"; int `%` by zero (a crash in PyTorch) and divmod by zero
 *     are "ZeroDivisionError: integer division or modulo by zero";
 *   - float `/`, `//` and `%` by zero give inf/nan (no error); float `%` is
 *     fmod(b + fmod(a, b), b);
 *   - int(float) truncates; nan/inf/out-of-range give INT64_MIN (what the
 *     x86 conversion PyTorch relies on yields);
 *   - the `.Scalar` overloads of unary math ops round their result through
 *     C float (32-bit) and floor/ceil/neg/abs.Scalar on ints through C int
 *     (32-bit), exactly as PyTorch's static_casts do;
 *   - shifts take the count modulo 64 (x86 behaviour).
 *
 * Scalar arguments are CV_INT, CV_FLOAT or CV_BOOL; a bool is read as 0/1. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "op.h"

#define KDEF(name) static int name(cts_kctx *k, const cv_value *a, int n, cv_value *o)

static const double PI = 3.141592653589793; /* the double nearest pi, = acos(-1) */

/* ---- argument helpers ---- */

static bool isnum(cv_value v) { return v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL; }

static double fv(cv_value v) {
    return v.tag == CV_FLOAT ? v.u.f : v.tag == CV_INT ? (double)v.u.i : v.tag == CV_BOOL ? (double)v.u.b : 0;
}

static int64_t iv(cv_value v) {
    return v.tag == CV_INT ? v.u.i : v.tag == CV_BOOL ? (int64_t)v.u.b : 0;
}

static int bad_args(cts_kctx *k, const char *fn) {
    return cts_err_set(k->err, "%s: expected number arguments", fn);
}

#define NEED_NUM(cnt)                                                     \
    do {                                                                  \
        if (n < (cnt)) return bad_args(k, __func__);                      \
        for (int i_ = 0; i_ < (cnt); i_++)                                \
            if (!isnum(a[i_])) return bad_args(k, __func__);              \
    } while (0)

static int64_t wadd(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static int64_t wsub(int64_t x, int64_t y) { return (int64_t)((uint64_t)x - (uint64_t)y); }
static int64_t wmul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
static int64_t wneg(int64_t x) { return (int64_t)(0 - (uint64_t)x); }
/* C int (32-bit) truncation of an int64, as a C++ static_cast<int>. */
static int64_t to_i32(int64_t x) { return (int64_t)(int32_t)(uint32_t)(uint64_t)x; }
/* C++ static_cast<int64_t>(double) on x86: out of range and nan give INT64_MIN. */
static int64_t f2i(double d) {
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)d;
}
/* C truncating division and remainder without the INT64_MIN / -1 trap. */
static int64_t tdiv(int64_t x, int64_t y) { return y == -1 ? wneg(x) : x / y; }
static int64_t tmod(int64_t x, int64_t y) { return y == -1 ? 0 : x % y; }

static int zero_div_int(cts_kctx *k) {
    return cts_err_set(k->err, "ZeroDivisionError: integer division or modulo by zero");
}

/* PyTorch's checkDoubleInRange, used by floor/ceil of floats. */
static int check_double_in_range(cts_kctx *k, double d) {
    if (isnan(d) || isinf(d) || d > 9223372036854775807.0 || d < -9223372036854775808.0)
        return cts_err_set(k->err, "Cannot convert float %f to integer", d);
    return 0;
}

/* two results of a `-> (T, U)` schema: one output each (op.h) */
static int tuple2(cts_kctx *k, cv_value x, cv_value y, cv_value *o) {
    (void)k;
    o[0] = x;
    o[1] = y;
    return 0;
}

/* ---- binary ops: an int/int body and a float/float body per op ---- */

typedef int (*bin_ii_fn)(cts_kctx *, int64_t, int64_t, cv_value *);
typedef int (*bin_ff_fn)(cts_kctx *, double, double, cv_value *);

static int run_ii(cts_kctx *k, const cv_value *a, int n, cv_value *o, bin_ii_fn f, const char *fn) {
    if (n < 2 || !isnum(a[0]) || !isnum(a[1])) return bad_args(k, fn);
    return f(k, iv(a[0]), iv(a[1]), o);
}
static int run_ff(cts_kctx *k, const cv_value *a, int n, cv_value *o, bin_ff_fn f, const char *fn) {
    if (n < 2 || !isnum(a[0]) || !isnum(a[1])) return bad_args(k, fn);
    return f(k, fv(a[0]), fv(a[1]), o);
}
/* Scalar overloads: the int body when neither operand is a float. */
static int run_ss(cts_kctx *k, const cv_value *a, int n, cv_value *o, bin_ii_fn fi, bin_ff_fn ff,
                  const char *fn) {
    if (n < 2 || !isnum(a[0]) || !isnum(a[1])) return bad_args(k, fn);
    if (a[0].tag != CV_FLOAT && a[1].tag != CV_FLOAT) return fi(k, iv(a[0]), iv(a[1]), o);
    return ff(k, fv(a[0]), fv(a[1]), o);
}

/* .int and .float overloads, named P_int and P_float */
#define BIN_IFP(P, X)                                                   \
    KDEF(P##_int) { return run_ii(k, a, n, o, X##_ii, __func__); }      \
    KDEF(P##_float) { return run_ff(k, a, n, o, X##_ff, __func__); }
/* .int_float and .float_int overloads */
#define BIN_MIXEDP(P, X)                                                     \
    KDEF(P##_int_float) { return run_ff(k, a, n, o, X##_ff, __func__); }     \
    KDEF(P##_float_int) { return run_ff(k, a, n, o, X##_ff, __func__); }
/* a Scalar overload named KNAME */
#define BIN_SCALAR(KNAME, X) \
    KDEF(KNAME) { return run_ss(k, a, n, o, X##_ii, X##_ff, __func__); }
#define BIN_IF(X) BIN_IFP(k_##X, X)
#define BIN_MIXED(X) BIN_MIXEDP(k_##X, X)
#define BIN5(X) BIN_IF(X) BIN_MIXED(X) BIN_SCALAR(k_##X, X)

#define II(X) static int X##_ii(cts_kctx *k, int64_t x, int64_t y, cv_value *o)
#define FF(X) static int X##_ff(cts_kctx *k, double x, double y, cv_value *o)

II(add) { (void)k; *o = cv_int(wadd(x, y)); return 0; }
FF(add) { (void)k; *o = cv_float(x + y); return 0; }
II(sub) { (void)k; *o = cv_int(wsub(x, y)); return 0; }
FF(sub) { (void)k; *o = cv_float(x - y); return 0; }
II(mul) { (void)k; *o = cv_int(wmul(x, y)); return 0; }
FF(mul) { (void)k; *o = cv_float(x * y); return 0; }
II(div) { (void)k; *o = cv_float((double)x / (double)y); return 0; }
FF(div) { (void)k; *o = cv_float(x / y); return 0; }
BIN5(add)
BIN5(sub)
BIN5(mul)
BIN_IF(div)
BIN_SCALAR(k_div, div)

/* floor division: Python's rounding toward -inf */
II(floordiv) {
    if (y == 0) return cts_err_set(k->err, "division by 0");
    int64_t q = tdiv(x, y), r = tmod(x, y);
    if (r != 0 && ((r < 0) != (y < 0))) q = wsub(q, 1);
    *o = cv_int(q);
    return 0;
}
FF(floordiv) { (void)k; *o = cv_float(floor(x / y)); return 0; }
BIN5(floordiv)

/* PyTorch computes (b + a % b) % b on ints and fmod(b + fmod(a, b), b) on
 * floats; the int form wraps like the C++ it mirrors. */
II(remainder) {
    if (y == 0) return zero_div_int(k);
    *o = cv_int(tmod(wadd(y, tmod(x, y)), y));
    return 0;
}
FF(remainder) { (void)k; *o = cv_float(fmod(y + fmod(x, y), y)); return 0; }
BIN5(remainder)

/* `**`: a float result; 0 ** negative is an error except in Scalar_Scalar. */
II(pow) {
    if (x == 0 && y < 0) return cts_err_set(k->err, "0.0 cannot be raised to a negative power");
    *o = cv_float(pow((double)x, (double)y));
    return 0;
}
FF(pow) {
    if (x == 0.0 && y < 0.0) return cts_err_set(k->err, "0.0 cannot be raised to a negative power");
    *o = cv_float(pow(x, y));
    return 0;
}
BIN_IF(pow)
BIN_MIXED(pow)
KDEF(k_pow_Scalar_Scalar) {
    NEED_NUM(2);
    *o = cv_float(pow(fv(a[0]), fv(a[1])));
    return 0;
}
/* Internal overload (shape functions): exact integer power, wrapping;
 * negative exponents truncate toward zero as int(x ** y) would. */
KDEF(k_pow_int_to_int) {
    NEED_NUM(2);
    int64_t x = iv(a[0]), y = iv(a[1]);
    if (x == 0 && y < 0) return cts_err_set(k->err, "0.0 cannot be raised to a negative power");
    if (y < 0) {
        *o = cv_int(x == 1 ? 1 : x == -1 ? ((y & 1) ? -1 : 1) : 0);
        return 0;
    }
    uint64_t r = 1, b = (uint64_t)x;
    for (uint64_t e = (uint64_t)y; e; e >>= 1) {
        if (e & 1) r *= b;
        b *= b;
    }
    *o = cv_int((int64_t)r);
    return 0;
}

KDEF(k_round_to_zero_floordiv_int) {
    NEED_NUM(2);
    if (iv(a[1]) == 0) return cts_err_set(k->err, "division by 0");
    *o = cv_int(tdiv(iv(a[0]), iv(a[1])));
    return 0;
}

KDEF(k_divmod_int) {
    NEED_NUM(2);
    int64_t x = iv(a[0]), y = iv(a[1]);
    if (y == 0) return zero_div_int(k);
    int64_t q = tdiv(x, y), r = tmod(x, y);
    if (r != 0 && ((x < 0) != (y < 0))) {
        q = wsub(q, 1);
        r = wadd(r, y);
    }
    return tuple2(k, cv_int(q), cv_int(r), o);
}
KDEF(k_divmod_float) {
    NEED_NUM(2);
    double x = fv(a[0]), y = fv(a[1]);
    if (y == 0) return cts_err_set(k->err, "ZeroDivisionError: float divmod()");
    double r = fmod(x, y);
    if (r != 0 && ((x < 0) != (y < 0))) r += y;
    return tuple2(k, cv_float((x - r) / y), cv_float(r), o);
}
static int divmod_mixed(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    NEED_NUM(2);
    double x = fv(a[0]), y = fv(a[1]);
    if (y == 0) return cts_err_set(k->err, "ZeroDivisionError: float divmod()");
    double q = floor(x / y);
    return tuple2(k, cv_float(q), cv_float(x - q * y), o);
}
KDEF(k_divmod_int_float) { return divmod_mixed(k, a, n, o); }
KDEF(k_divmod_float_int) { return divmod_mixed(k, a, n, o); }

/* min/max: `a < b ? a : b`, so a nan second operand wins, a first loses */
II(min) { (void)k; *o = cv_int(x < y ? x : y); return 0; }
FF(min) { (void)k; *o = cv_float(x < y ? x : y); return 0; }
II(max) { (void)k; *o = cv_int(x > y ? x : y); return 0; }
FF(max) { (void)k; *o = cv_float(x > y ? x : y); return 0; }
BIN_IFP(k_prim_min, min)
BIN_MIXEDP(k_prim_min, min)
BIN_SCALAR(k_prim_min, min)
BIN_IFP(k_prim_max, max)
BIN_MIXEDP(k_prim_max, max)
BIN_SCALAR(k_prim_max, max)

/* comparisons */
#define CMP(X, OP)                                                    \
    II(X) { (void)k; *o = cv_bool(x OP y); return 0; }                \
    FF(X) { (void)k; *o = cv_bool(x OP y); return 0; }                \
    BIN5(X)
CMP(lt, <)
CMP(le, <=)
CMP(gt, >)
CMP(ge, >=)
CMP(eq, ==)
CMP(ne, !=)

static int bool_args(cts_kctx *k, const cv_value *a, int n, bool *x, bool *y, const char *fn) {
    if (n < 2 || a[0].tag != CV_BOOL || a[1].tag != CV_BOOL)
        return cts_err_set(k->err, "%s: expected bool arguments", fn);
    *x = a[0].u.b;
    *y = a[1].u.b;
    return 0;
}
#define BOOLOP(NAME, EXPR)                                         \
    KDEF(NAME) {                                                   \
        bool x = false, y = false;                                 \
        if (bool_args(k, a, n, &x, &y, __func__)) return -1;       \
        *o = cv_bool(EXPR);                                        \
        return 0;                                                  \
    }
BOOLOP(k_eq_bool, x == y)
BOOLOP(k_ne_bool, x != y)
BOOLOP(k_and_bool, x && y)
BOOLOP(k_or_bool, x || y)
BOOLOP(k_xor_bool, x != y)

static bool dev_eq(cv_value x, cv_value y) {
    return x.u.dev.type == y.u.dev.type && x.u.dev.index == y.u.dev.index;
}
KDEF(k_eq_device) {
    if (n < 2 || a[0].tag != CV_DEVICE || a[1].tag != CV_DEVICE)
        return cts_err_set(k->err, "eq: expected Device arguments");
    *o = cv_bool(dev_eq(a[0], a[1]));
    return 0;
}
KDEF(k_ne_device) {
    if (n < 2 || a[0].tag != CV_DEVICE || a[1].tag != CV_DEVICE)
        return cts_err_set(k->err, "ne: expected Device arguments");
    *o = cv_bool(!dev_eq(a[0], a[1]));
    return 0;
}

KDEF(k_not) {
    if (n < 1 || a[0].tag != CV_BOOL) return cts_err_set(k->err, "__not__: expected a bool");
    *o = cv_bool(!a[0].u.b);
    return 0;
}

#define INTOP(NAME, EXPR)                      \
    KDEF(NAME) {                               \
        NEED_NUM(2);                           \
        int64_t x = iv(a[0]), y = iv(a[1]);    \
        *o = cv_int(EXPR);                     \
        return 0;                              \
    }
INTOP(k_and_int, x & y)
INTOP(k_or_int, x | y)
INTOP(k_xor_int, x ^ y)
INTOP(k_lshift_int, (int64_t)((uint64_t)x << (y & 63)))
/* arithmetic right shift written portably */
INTOP(k_rshift_int, x >= 0 ? x >> (y & 63) : ~(~x >> (y & 63)))

KDEF(k_gcd_int) {
    NEED_NUM(2);
    int64_t x = iv(a[0]), y = iv(a[1]);
    while (y != 0) {
        int64_t r = tmod(x, y);
        x = y;
        y = r;
    }
    *o = cv_int(x < 0 ? wneg(x) : x);
    return 0;
}

/* PyTorch's factorial (binary-split product, then a shift by n - popcount(n)),
 * reproduced with its 32-bit argument, int64 wrapping and x86 shift masking
 * so results past 20! match. */
static int64_t part_product(int32_t lo, int32_t hi) {
    if (hi <= lo + 1) return lo;
    if (hi == lo + 2) return wmul(lo, hi);
    int32_t mid = lo + (hi - lo) / 2;
    if ((mid & 1) != 1) mid -= 1;
    return wmul(part_product(lo, mid), part_product(mid + 2, hi));
}
static void fact_loop(int32_t v, int64_t *p, int64_t *r) {
    if (v <= 2) return;
    fact_loop(v / 2, p, r);
    *p = wmul(*p, part_product(v / 2 + 1 + ((v / 2) & 1), v - 1 + (v & 1)));
    *r = wmul(*r, *p);
}
KDEF(k_factorial_int) {
    NEED_NUM(1);
    int32_t v = (int32_t)to_i32(iv(a[0]));
    if (v < 0) return cts_err_set(k->err, "factorial() not defined for negative values");
    int64_t p = 1, r = 1;
    fact_loop(v, &p, &r);
    int bits = 0;
    for (uint32_t w = (uint32_t)v; w; w &= w - 1) bits++;
    *o = cv_int((int64_t)((uint64_t)r << ((v - bits) & 63)));
    return 0;
}

/* ---- unary ops ---- */

KDEF(k_neg_int) { NEED_NUM(1); *o = cv_int(wneg(iv(a[0]))); return 0; }
KDEF(k_neg_float) { NEED_NUM(1); *o = cv_float(-fv(a[0])); return 0; }
KDEF(k_neg_Scalar) {
    NEED_NUM(1);
    *o = a[0].tag == CV_FLOAT ? cv_float((float)-a[0].u.f) : cv_int(to_i32(wneg(iv(a[0]))));
    return 0;
}
static int64_t iabs(int64_t x) { return x < 0 ? wneg(x) : x; }
KDEF(k_prim_abs_int) { NEED_NUM(1); *o = cv_int(iabs(iv(a[0]))); return 0; }
KDEF(k_prim_abs_float) { NEED_NUM(1); *o = cv_float(fabs(fv(a[0]))); return 0; }
KDEF(k_prim_abs_Scalar) {
    NEED_NUM(1);
    *o = a[0].tag == CV_FLOAT ? cv_float((float)fabs(a[0].u.f)) : cv_int(to_i32(iabs(iv(a[0]))));
    return 0;
}

/* floor/ceil to int: the int overloads go through double like PyTorch's */
static int floor_ceil(cts_kctx *k, double d, bool is_floor, int64_t *r) {
    if (check_double_in_range(k, d)) return -1;
    *r = f2i(is_floor ? floor(d) : ceil(d));
    return 0;
}
#define FLOORCEIL(X, IS_FLOOR)                                                    \
    KDEF(k_##X##_int) {                                                           \
        NEED_NUM(1);                                                              \
        int64_t r = 0;                                                            \
        if (floor_ceil(k, (double)iv(a[0]), IS_FLOOR, &r)) return -1;             \
        *o = cv_int(r);                                                           \
        return 0;                                                                 \
    }                                                                             \
    KDEF(k_##X##_float) {                                                         \
        NEED_NUM(1);                                                              \
        int64_t r = 0;                                                            \
        if (floor_ceil(k, fv(a[0]), IS_FLOOR, &r)) return -1;                     \
        *o = cv_int(r);                                                           \
        return 0;                                                                 \
    }                                                                             \
    KDEF(k_##X##_Scalar) {                                                        \
        NEED_NUM(1);                                                              \
        int64_t r = 0;                                                            \
        if (floor_ceil(k, fv(a[0]), IS_FLOOR, &r)) return -1;                     \
        *o = cv_int(to_i32(r));                                                   \
        return 0;                                                                 \
    }
FLOORCEIL(floor, true)
FLOORCEIL(ceil, false)

/* Python's round(): halves to even */
static double round_to_even(double x) { return x - floor(x) == 0.5 ? round(x * 0.5) * 2.0 : round(x); }
static double degrees_fn(double x) { return x * (180.0 / PI); }
static double radians_fn(double x) { return x * (PI / 180.0); }
static double arg_fn(double x) { return signbit(x) ? PI : 0.0; }

/* Float-valued unary math: .int/.float give the double result, .Scalar
 * rounds it through C float (PyTorch's static_cast<float>). */
#define UNARY_F(X, F)                                                              \
    KDEF(k_##X##_int) { NEED_NUM(1); *o = cv_float(F((double)iv(a[0]))); return 0; } \
    KDEF(k_##X##_float) { NEED_NUM(1); *o = cv_float(F(fv(a[0]))); return 0; }      \
    KDEF(k_##X##_Scalar) { NEED_NUM(1); *o = cv_float((float)F(fv(a[0]))); return 0; }
UNARY_F(round, round_to_even)
UNARY_F(log, log)
UNARY_F(exp, exp)
UNARY_F(log10, log10)
UNARY_F(log1p, log1p)
UNARY_F(expm1, expm1)
UNARY_F(sqrt, sqrt)
UNARY_F(sin, sin)
UNARY_F(cos, cos)
UNARY_F(tan, tan)
UNARY_F(asin, asin)
UNARY_F(acos, acos)
UNARY_F(atan, atan)
UNARY_F(sinh, sinh)
UNARY_F(cosh, cosh)
UNARY_F(tanh, tanh)
UNARY_F(asinh, asinh)
UNARY_F(acosh, acosh)
UNARY_F(atanh, atanh)
UNARY_F(erf, erf)
UNARY_F(erfc, erfc)
UNARY_F(gamma, tgamma)
UNARY_F(lgamma, lgamma)
UNARY_F(fabs, fabs)
UNARY_F(degrees, degrees_fn)
UNARY_F(radians, radians_fn)
UNARY_F(angle, arg_fn)

KDEF(k_isnan_float) { NEED_NUM(1); *o = cv_bool(isnan(fv(a[0]))); return 0; }
KDEF(k_isinf_float) { NEED_NUM(1); *o = cv_bool(isinf(fv(a[0]))); return 0; }
KDEF(k_isfinite_float) { NEED_NUM(1); *o = cv_bool(isfinite(fv(a[0]))); return 0; }

/* Float-valued binary math: every overload, the Scalar one included,
 * converts both operands to double and returns a float. */
#define FLOAT_BIN(KNAME, F) \
    KDEF(KNAME) { NEED_NUM(2); *o = cv_float(F(fv(a[0]), fv(a[1]))); return 0; }
#define FLOAT_BIN4(X, F)                \
    FLOAT_BIN(k_##X##_int, F)           \
    FLOAT_BIN(k_##X##_float, F)         \
    FLOAT_BIN(k_##X##_int_float, F)     \
    FLOAT_BIN(k_##X##_float_int, F)
static double logb_fn(double x, double y) { return log(x) / log(y); }
FLOAT_BIN(k_log_int_int, logb_fn)
FLOAT_BIN(k_log_float_float, logb_fn)
FLOAT_BIN(k_log_int_float, logb_fn)
FLOAT_BIN(k_log_float_int, logb_fn)
FLOAT_BIN(k_log_Scalar_Scalar, logb_fn)
FLOAT_BIN4(atan2, atan2)
FLOAT_BIN(k_atan2_Scalar_Scalar, atan2)
FLOAT_BIN4(fmod, fmod)
FLOAT_BIN(k_fmod, fmod)
FLOAT_BIN4(mathremainder, remainder)
FLOAT_BIN(k_mathremainder, remainder)
FLOAT_BIN4(copysign, copysign)
FLOAT_BIN(k_copysign, copysign)

KDEF(k_modf) {
    NEED_NUM(1);
    double ip, fp = modf(fv(a[0]), &ip);
    return tuple2(k, cv_float(fp), cv_float(ip), o);
}
KDEF(k_frexp) {
    NEED_NUM(1);
    int e;
    double m = frexp(fv(a[0]), &e);
    return tuple2(k, cv_float(m), cv_int(e), o);
}
/* std::ldexp takes a C int: the exponent is truncated to 32 bits */
KDEF(k_ldexp) {
    NEED_NUM(2);
    *o = cv_float(ldexp(fv(a[0]), (int)to_i32(iv(a[1]))));
    return 0;
}

/* range(lo, hi, step) length; computed in unsigned so it never overflows */
KDEF(k_range_length) {
    NEED_NUM(3);
    int64_t lo = iv(a[0]), hi = iv(a[1]), step = iv(a[2]);
    if (step == 0) return cts_err_set(k->err, "range() arg 3 must not be zero");
    uint64_t len = 0;
    if (step > 0 && lo < hi)
        len = ((uint64_t)hi - (uint64_t)lo - 1) / (uint64_t)step + 1;
    else if (step < 0 && lo > hi)
        len = ((uint64_t)lo - (uint64_t)hi - 1) / (0 - (uint64_t)step) + 1;
    *o = cv_int((int64_t)len);
    return 0;
}
KDEF(k_derive_index) {
    NEED_NUM(3);
    *o = cv_int(wadd(iv(a[1]), wmul(iv(a[0]), iv(a[2]))));
    return 0;
}

/* ---- conversions ---- */

/* One element of a tensor as a Scalar value (int, float or bool). */
static int tensor_item(cts_kctx *k, cv_value v, cv_value *out) {
    if (v.tag != CV_TENSOR) return cts_err_set(k->err, "expected a Tensor");
    const ct_tensor *t = v.u.t;
    if (!t) return cts_err_set(k->err, "cannot convert an undefined Tensor to a number");
    int64_t ne = ct_numel(t);
    if (ne != 1)
        return cts_err_set(k->err, "a Tensor with %lld elements cannot be converted to Scalar", (long long)ne);
    const void *p = ct_data(t);
    if (t->dtype == CT_BOOL) *out = cv_bool(*(const bool *)p);
    else if (ct_dtype_is_float(t->dtype)) *out = cv_float(ct_load_f64(p, t->dtype));
    else *out = cv_int(ct_load_i64(p, t->dtype));
    return 0;
}

/* Scalar.to<int64_t>(): floats are range-checked (c10::checked_convert). */
static int scalar_to_i64(cts_kctx *k, cv_value s, int64_t *r) {
    if (s.tag != CV_FLOAT) {
        *r = iv(s);
        return 0;
    }
    double d = s.u.f;
    if (isnan(d) || d < -9223372036854775808.0 || d > 9223372036854775807.0)
        return cts_err_set(k->err, "value cannot be converted to type int64_t without overflow");
    *r = f2i(d);
    return 0;
}

static int check_implicit(cts_kctx *k, cv_value v, bool to_int) {
    if (v.tag != CV_TENSOR || !v.u.t) return cts_err_set(k->err, "expected a defined Tensor");
    const ct_tensor *t = v.u.t;
    if (t->requires_grad)
        return cts_err_set(k->err, "Cannot input a tensor that requires grad as a scalar argument");
    if (t->ndim != 0)
        return cts_err_set(k->err, "Cannot input a tensor of dimension other than 0 as a scalar argument");
    if (to_int && !ct_dtype_is_int(t->dtype))
        return cts_err_set(k->err, "Cannot input a tensor of type %s as an integral argument",
                           ct_dtype_ir_name(t->dtype));
    return 0;
}

KDEF(k_item) {
    if (n < 1) return bad_args(k, __func__);
    return tensor_item(k, a[0], o);
}
/* prim::tolist(Tensor self, int dim, int elem_ty): the nested list the
 * annotation asks for (elem_ty 0 int, 1 float, 2 bool, 3 complex), after
 * PyTorch's checks that the annotation fits the tensor */
static int tolist_rec(cts_kctx *k, const ct_tensor *t, const char *p, int d, cts_type **types, cv_value *out) {
    if (d == t->ndim) {
        if (t->dtype == CT_BOOL) *out = cv_bool(*(const bool *)p);
        else if (ct_dtype_is_float(t->dtype)) *out = cv_float(ct_load_f64(p, t->dtype));
        else *out = cv_int(ct_load_i64(p, t->dtype));
        return 0;
    }
    cv_value l;
    if (cv_list_new(types[d + 1], (size_t)t->sizes[d], &l, k->err)) return -1;
    int64_t step = t->strides[d] * ct_dtype_size(t->dtype);
    for (int64_t i = 0; i < t->sizes[d]; i++) {
        cv_value item;
        if (tolist_rec(k, t, p + i * step, d + 1, types, &item) || cv_list_push(l.u.l, item, k->err)) {
            cv_release(l);
            return -1;
        }
    }
    *out = l;
    return 0;
}
KDEF(k_tolist) {
    if (n != 3 || a[0].tag != CV_TENSOR || !a[0].u.t || a[1].tag != CV_INT || a[2].tag != CV_INT)
        return bad_args(k, __func__);
    const ct_tensor *t = a[0].u.t;
    int64_t dim = a[1].u.i, ety = a[2].u.i;
    if (ety < 0 || ety > 3)
        return cts_err_set(k->err, "Unsupported element type for tolist; only int, float, complex and bool are supported");
    bool ok = ety == 1 ? ct_dtype_is_float(t->dtype)
            : ety == 3 ? ct_dtype_is_complex(t->dtype)
            : ety == 0 ? t->dtype == CT_INT64 : t->dtype == CT_BOOL;
    if (!ok) return cts_err_set(k->err, "Output annotation element type and runtime tensor element type must match for tolist()");
    if (dim != t->ndim)
        return cts_err_set(k->err, "Output annotation list dimension and runtime tensor dimension must match for tolist()");
    if (ety == 3) return cts_err_set(k->err, "tolist() of a complex tensor is not supported by cts yet");
    cts_type *types[CT_MAX_DIMS + 1];
    types[t->ndim] = ety == 0 ? T_INT : ety == 1 ? T_FLOAT : T_BOOL;
    int rc = 0;
    for (int d = t->ndim - 1; d >= 0; d--) types[d] = cts_type_list(types[d + 1]);
    rc = tolist_rec(k, t, (const char *)ct_data(t), 0, types, o);
    for (int d = 0; d < t->ndim; d++) cts_type_release(types[d]);
    return rc;
}
KDEF(k_Int_Tensor) {
    cv_value s = cv_none();
    int64_t r = 0;
    if (n < 1 || tensor_item(k, a[0], &s) || scalar_to_i64(k, s, &r)) return -1;
    *o = cv_int(r);
    return 0;
}
KDEF(k_Float_Tensor) {
    cv_value s = cv_none();
    if (n < 1 || tensor_item(k, a[0], &s)) return -1;
    *o = cv_float(fv(s));
    return 0;
}
/* bool(t): PyTorch's is_nonzero */
KDEF(k_Bool_Tensor) {
    if (n < 1 || a[0].tag != CV_TENSOR || !a[0].u.t) return cts_err_set(k->err, "expected a defined Tensor");
    int64_t ne = ct_numel(a[0].u.t);
    if (ne == 0) return cts_err_set(k->err, "Boolean value of Tensor with no values is ambiguous");
    if (ne > 1) return cts_err_set(k->err, "Boolean value of Tensor with more than one value is ambiguous");
    cv_value s = cv_none();
    if (tensor_item(k, a[0], &s)) return -1;
    *o = cv_bool(s.tag == CV_FLOAT ? s.u.f != 0 : iv(s) != 0);
    return 0;
}
KDEF(k_IntImplicit) {
    cv_value s = cv_none();
    int64_t r = 0;
    if (n < 1 || check_implicit(k, a[0], true) || tensor_item(k, a[0], &s) || scalar_to_i64(k, s, &r)) return -1;
    *o = cv_int(r);
    return 0;
}
KDEF(k_FloatImplicit) {
    cv_value s = cv_none();
    if (n < 1 || check_implicit(k, a[0], false) || tensor_item(k, a[0], &s)) return -1;
    *o = cv_float(fv(s));
    return 0;
}
KDEF(k_ScalarImplicit) {
    if (n < 1 || check_implicit(k, a[0], false)) return -1;
    return tensor_item(k, a[0], o);
}

KDEF(k_Int_bool) { NEED_NUM(1); *o = cv_int(iv(a[0])); return 0; }
KDEF(k_Int_float) { NEED_NUM(1); *o = cv_int(f2i(fv(a[0]))); return 0; }
/* int(Scalar): a float goes through Scalar::toInt(), a checked C int */
KDEF(k_Int_Scalar) {
    NEED_NUM(1);
    if (a[0].tag != CV_FLOAT) {
        *o = cv_int(iv(a[0]));
        return 0;
    }
    double d = a[0].u.f;
    if (isnan(d) || d < -2147483648.0 || d > 2147483647.0)
        return cts_err_set(k->err, "value cannot be converted to type int without overflow");
    *o = cv_int((int64_t)(int32_t)d);
    return 0;
}
KDEF(k_Float_int) { NEED_NUM(1); *o = cv_float((double)iv(a[0])); return 0; }
KDEF(k_Float_bool) { NEED_NUM(1); *o = cv_float(fv(a[0])); return 0; }
KDEF(k_Float_Scalar) { NEED_NUM(1); *o = cv_float(fv(a[0])); return 0; }
KDEF(k_Bool_int) { NEED_NUM(1); *o = cv_bool(iv(a[0]) != 0); return 0; }
KDEF(k_Bool_float) { NEED_NUM(1); *o = cv_bool(fv(a[0]) != 0); return 0; }

/* int(str) and float(str) follow std::stoll / std::stod (leading
 * whitespace allowed, trailing characters rejected). */
KDEF(k_Int_str) {
    if (n < 1 || a[0].tag != CV_STR) return cts_err_set(k->err, "int(): expected a str");
    const cv_str *s = a[0].u.s;
    char *end;
    errno = 0;
    long long v = strtoll(s->data, &end, 10);
    if (end == s->data || errno == ERANGE) return cts_err_set(k->err, "stoll");
    if ((size_t)(end - s->data) != s->len)
        return cts_err_set(k->err, "invalid literal for int() with base 10: '%s'", s->data);
    *o = cv_int(v);
    return 0;
}
KDEF(k_Float_str) {
    if (n < 1 || a[0].tag != CV_STR) return cts_err_set(k->err, "float(): expected a str");
    const cv_str *s = a[0].u.s;
    char *end;
    errno = 0;
    double v = strtod(s->data, &end);
    if (end == s->data || errno == ERANGE) return cts_err_set(k->err, "stod");
    if ((size_t)(end - s->data) != s->len)
        return cts_err_set(k->err, "could not convert string to float: '%s'", s->data);
    *o = cv_float(v);
    return 0;
}

/* `is`: identity for heap values and tensors (an undefined tensor is None),
 * equality for inline values. */
static bool value_is(cv_value x, cv_value y) {
    bool xnone = x.tag == CV_NONE || (x.tag == CV_TENSOR && !x.u.t);
    bool ynone = y.tag == CV_NONE || (y.tag == CV_TENSOR && !y.u.t);
    if (xnone || ynone) return xnone && ynone;
    if (x.tag != y.tag) return false;
    switch (x.tag) {
    case CV_BOOL: return x.u.b == y.u.b;
    case CV_INT: return x.u.i == y.u.i;
    case CV_FLOAT: return x.u.f == y.u.f;
    case CV_DEVICE: return dev_eq(x, y);
    case CV_UNINIT: return true;
    case CV_FUNC: return x.u.fn == y.u.fn;
    default: return x.u.rc == y.u.rc;
    }
}
KDEF(k_is) {
    if (n < 2) return bad_args(k, __func__);
    *o = cv_bool(value_is(a[0], a[1]));
    return 0;
}
KDEF(k_isnot) {
    if (n < 2) return bad_args(k, __func__);
    *o = cv_bool(!value_is(a[0], a[1]));
    return 0;
}

/* ---- the table ---- */

/* cts is an inference runtime without autograd: grad mode has nothing to switch */
static int k_set_grad_enabled(cts_kctx *k, const cv_value *a, int n, cv_value *out) {
    (void)out;
    if (n != 1 || a[0].tag != CV_BOOL) return cts_err_set(k->err, "set_grad_enabled() expects a bool");
    if (k->frame) ((cts_call_state *)k->frame)->grad_disabled = !a[0].u.b;
    return 0;
}

static int k_is_grad_enabled(cts_kctx *k, const cv_value *a, int n, cv_value *out) {
    (void)a;
    (void)n;
    out[0] = cv_bool(!(k->frame && ((cts_call_state *)k->frame)->grad_disabled));
    return 0;
}

/* prim::abs on a tensor is aten::abs */
static int k_prim_abs_tensor(cts_kctx *k, const cv_value *a, int n, cv_value *out) {
    cts_kernel_fn abs_fn = cts_op_find_kernel("aten::abs", NULL);
    if (!abs_fn) return cts_err_set(k->err, "operator not implemented in cts: aten::abs");
    return abs_fn(k, a, n, out);
}

const cts_op_def cts_ops_scalar[] = {
    {"aten::set_grad_enabled(bool val) -> ()", k_set_grad_enabled},
    {"prim::abs(Tensor x) -> Tensor", k_prim_abs_tensor},
    {"aten::is_grad_enabled() -> bool", k_is_grad_enabled},
    {"aten::add.int(int a, int b) -> int", k_add_int},
    {"aten::add.float(float a, float b) -> float", k_add_float},
    {"aten::add.int_float(int a, float b) -> float", k_add_int_float},
    {"aten::add.float_int(float a, int b) -> float", k_add_float_int},
    {"aten::add(Scalar a, Scalar b) -> Scalar", k_add},
    {"aten::sub.int(int a, int b) -> int", k_sub_int},
    {"aten::sub.float(float a, float b) -> float", k_sub_float},
    {"aten::sub.int_float(int a, float b) -> float", k_sub_int_float},
    {"aten::sub.float_int(float a, int b) -> float", k_sub_float_int},
    {"aten::sub(Scalar a, Scalar b) -> Scalar", k_sub},
    {"aten::mul.int(int a, int b) -> int", k_mul_int},
    {"aten::mul.float(float a, float b) -> float", k_mul_float},
    {"aten::mul.int_float(int a, float b) -> float", k_mul_int_float},
    {"aten::mul.float_int(float a, int b) -> float", k_mul_float_int},
    {"aten::mul(Scalar a, Scalar b) -> Scalar", k_mul},
    {"aten::div.int(int a, int b) -> float", k_div_int},
    {"aten::div.float(float a, float b) -> float", k_div_float},
    {"aten::div(Scalar a, Scalar b) -> float", k_div},
    {"aten::floordiv.int(int a, int b) -> int", k_floordiv_int},
    {"aten::floordiv.float(float a, float b) -> float", k_floordiv_float},
    {"aten::floordiv.int_float(int a, float b) -> float", k_floordiv_int_float},
    {"aten::floordiv.float_int(float a, int b) -> float", k_floordiv_float_int},
    {"aten::floordiv(Scalar a, Scalar b) -> Scalar", k_floordiv},
    {"aten::remainder.int(int a, int b) -> int", k_remainder_int},
    {"aten::remainder.float(float a, float b) -> float", k_remainder_float},
    {"aten::remainder.int_float(int a, float b) -> float", k_remainder_int_float},
    {"aten::remainder.float_int(float a, int b) -> float", k_remainder_float_int},
    {"aten::remainder(Scalar a, Scalar b) -> Scalar", k_remainder},
    {"aten::pow.int(int a, int b) -> float", k_pow_int},
    {"aten::pow.float(float a, float b) -> float", k_pow_float},
    {"aten::pow.int_float(int a, float b) -> float", k_pow_int_float},
    {"aten::pow.float_int(float a, int b) -> float", k_pow_float_int},
    {"aten::pow.Scalar_Scalar(Scalar a, Scalar b) -> float", k_pow_Scalar_Scalar},
    {"aten::pow.int_to_int(int a, int b) -> int", k_pow_int_to_int},
    {"aten::__round_to_zero_floordiv.int(int a, int b) -> int", k_round_to_zero_floordiv_int},
    {"aten::divmod.int(int x, int y) -> (int, int)", k_divmod_int},
    {"aten::divmod.float(float x, float y) -> (float, float)", k_divmod_float},
    {"aten::divmod.int_float(int x, float y) -> (float, float)", k_divmod_int_float},
    {"aten::divmod.float_int(float x, int y) -> (float, float)", k_divmod_float_int},
    {"prim::min.int(int a, int b) -> int", k_prim_min_int},
    {"prim::min.float(float a, float b) -> float", k_prim_min_float},
    {"prim::min.int_float(int a, float b) -> float", k_prim_min_int_float},
    {"prim::min.float_int(float a, int b) -> float", k_prim_min_float_int},
    {"prim::min(Scalar a, Scalar b) -> Scalar", k_prim_min},
    {"prim::max.int(int a, int b) -> int", k_prim_max_int},
    {"prim::max.float(float a, float b) -> float", k_prim_max_float},
    {"prim::max.int_float(int a, float b) -> float", k_prim_max_int_float},
    {"prim::max.float_int(float a, int b) -> float", k_prim_max_float_int},
    {"prim::max(Scalar a, Scalar b) -> Scalar", k_prim_max},
    {"aten::lt.int(int a, int b) -> bool", k_lt_int},
    {"aten::lt.float(float a, float b) -> bool", k_lt_float},
    {"aten::lt.int_float(int a, float b) -> bool", k_lt_int_float},
    {"aten::lt.float_int(float a, int b) -> bool", k_lt_float_int},
    {"aten::lt(Scalar a, Scalar b) -> bool", k_lt},
    {"aten::le.int(int a, int b) -> bool", k_le_int},
    {"aten::le.float(float a, float b) -> bool", k_le_float},
    {"aten::le.int_float(int a, float b) -> bool", k_le_int_float},
    {"aten::le.float_int(float a, int b) -> bool", k_le_float_int},
    {"aten::le(Scalar a, Scalar b) -> bool", k_le},
    {"aten::gt.int(int a, int b) -> bool", k_gt_int},
    {"aten::gt.float(float a, float b) -> bool", k_gt_float},
    {"aten::gt.int_float(int a, float b) -> bool", k_gt_int_float},
    {"aten::gt.float_int(float a, int b) -> bool", k_gt_float_int},
    {"aten::gt(Scalar a, Scalar b) -> bool", k_gt},
    {"aten::ge.int(int a, int b) -> bool", k_ge_int},
    {"aten::ge.float(float a, float b) -> bool", k_ge_float},
    {"aten::ge.int_float(int a, float b) -> bool", k_ge_int_float},
    {"aten::ge.float_int(float a, int b) -> bool", k_ge_float_int},
    {"aten::ge(Scalar a, Scalar b) -> bool", k_ge},
    {"aten::eq.int(int a, int b) -> bool", k_eq_int},
    {"aten::eq.float(float a, float b) -> bool", k_eq_float},
    {"aten::eq.int_float(int a, float b) -> bool", k_eq_int_float},
    {"aten::eq.float_int(float a, int b) -> bool", k_eq_float_int},
    {"aten::eq(Scalar a, Scalar b) -> bool", k_eq},
    {"aten::eq.bool(bool a, bool b) -> bool", k_eq_bool},
    {"aten::eq.device(Device a, Device b) -> bool", k_eq_device},
    {"aten::ne.int(int a, int b) -> bool", k_ne_int},
    {"aten::ne.float(float a, float b) -> bool", k_ne_float},
    {"aten::ne.int_float(int a, float b) -> bool", k_ne_int_float},
    {"aten::ne.float_int(float a, int b) -> bool", k_ne_float_int},
    {"aten::ne(Scalar a, Scalar b) -> bool", k_ne},
    {"aten::ne.bool(bool a, bool b) -> bool", k_ne_bool},
    {"aten::ne.device(Device a, Device b) -> bool", k_ne_device},
    {"aten::__and__.bool(bool a, bool b) -> bool", k_and_bool},
    {"aten::__or__.bool(bool a, bool b) -> bool", k_or_bool},
    {"aten::__xor__.bool(bool a, bool b) -> bool", k_xor_bool},
    {"aten::__and__.int(int a, int b) -> int", k_and_int},
    {"aten::__or__.int(int a, int b) -> int", k_or_int},
    {"aten::__xor__.int(int a, int b) -> int", k_xor_int},
    {"aten::__lshift__.int(int a, int b) -> int", k_lshift_int},
    {"aten::__rshift__.int(int a, int b) -> int", k_rshift_int},
    {"aten::__not__(bool self) -> bool", k_not},
    {"aten::gcd.int(int a, int b) -> int", k_gcd_int},
    {"aten::factorial.int(int a) -> int", k_factorial_int},
    {"aten::neg.int(int a) -> int", k_neg_int},
    {"aten::neg.float(float a) -> float", k_neg_float},
    {"aten::neg.Scalar(Scalar a) -> Scalar", k_neg_Scalar},
    {"prim::abs.int(int a) -> int", k_prim_abs_int},
    {"prim::abs.float(float a) -> float", k_prim_abs_float},
    {"prim::abs.Scalar(Scalar a) -> Scalar", k_prim_abs_Scalar},
    {"aten::floor.int(int a) -> int", k_floor_int},
    {"aten::floor.float(float a) -> int", k_floor_float},
    {"aten::floor.Scalar(Scalar a) -> Scalar", k_floor_Scalar},
    {"aten::ceil.int(int a) -> int", k_ceil_int},
    {"aten::ceil.float(float a) -> int", k_ceil_float},
    {"aten::ceil.Scalar(Scalar a) -> Scalar", k_ceil_Scalar},
    {"aten::round.int(int a) -> float", k_round_int},
    {"aten::round.float(float a) -> float", k_round_float},
    {"aten::round.Scalar(Scalar a) -> Scalar", k_round_Scalar},
    {"aten::log.int(int a) -> float", k_log_int},
    {"aten::log.float(float a) -> float", k_log_float},
    {"aten::log.Scalar(Scalar a) -> Scalar", k_log_Scalar},
    {"aten::exp.int(int a) -> float", k_exp_int},
    {"aten::exp.float(float a) -> float", k_exp_float},
    {"aten::exp.Scalar(Scalar a) -> Scalar", k_exp_Scalar},
    {"aten::log10.int(int a) -> float", k_log10_int},
    {"aten::log10.float(float a) -> float", k_log10_float},
    {"aten::log10.Scalar(Scalar a) -> Scalar", k_log10_Scalar},
    {"aten::log1p.int(int a) -> float", k_log1p_int},
    {"aten::log1p.float(float a) -> float", k_log1p_float},
    {"aten::log1p.Scalar(Scalar a) -> Scalar", k_log1p_Scalar},
    {"aten::expm1.int(int a) -> float", k_expm1_int},
    {"aten::expm1.float(float a) -> float", k_expm1_float},
    {"aten::expm1.Scalar(Scalar a) -> Scalar", k_expm1_Scalar},
    {"aten::sqrt.int(int a) -> float", k_sqrt_int},
    {"aten::sqrt.float(float a) -> float", k_sqrt_float},
    {"aten::sqrt.Scalar(Scalar a) -> Scalar", k_sqrt_Scalar},
    {"aten::sin.int(int a) -> float", k_sin_int},
    {"aten::sin.float(float a) -> float", k_sin_float},
    {"aten::sin.Scalar(Scalar a) -> Scalar", k_sin_Scalar},
    {"aten::cos.int(int a) -> float", k_cos_int},
    {"aten::cos.float(float a) -> float", k_cos_float},
    {"aten::cos.Scalar(Scalar a) -> Scalar", k_cos_Scalar},
    {"aten::tan.int(int a) -> float", k_tan_int},
    {"aten::tan.float(float a) -> float", k_tan_float},
    {"aten::tan.Scalar(Scalar a) -> Scalar", k_tan_Scalar},
    {"aten::asin.int(int a) -> float", k_asin_int},
    {"aten::asin.float(float a) -> float", k_asin_float},
    {"aten::asin.Scalar(Scalar a) -> Scalar", k_asin_Scalar},
    {"aten::acos.int(int a) -> float", k_acos_int},
    {"aten::acos.float(float a) -> float", k_acos_float},
    {"aten::acos.Scalar(Scalar a) -> Scalar", k_acos_Scalar},
    {"aten::atan.int(int a) -> float", k_atan_int},
    {"aten::atan.float(float a) -> float", k_atan_float},
    {"aten::atan.Scalar(Scalar a) -> Scalar", k_atan_Scalar},
    {"aten::sinh.int(int a) -> float", k_sinh_int},
    {"aten::sinh.float(float a) -> float", k_sinh_float},
    {"aten::sinh.Scalar(Scalar a) -> Scalar", k_sinh_Scalar},
    {"aten::cosh.int(int a) -> float", k_cosh_int},
    {"aten::cosh.float(float a) -> float", k_cosh_float},
    {"aten::cosh.Scalar(Scalar a) -> Scalar", k_cosh_Scalar},
    {"aten::tanh.int(int a) -> float", k_tanh_int},
    {"aten::tanh.float(float a) -> float", k_tanh_float},
    {"aten::tanh.Scalar(Scalar a) -> Scalar", k_tanh_Scalar},
    {"aten::asinh.int(int a) -> float", k_asinh_int},
    {"aten::asinh.float(float a) -> float", k_asinh_float},
    {"aten::asinh.Scalar(Scalar a) -> Scalar", k_asinh_Scalar},
    {"aten::acosh.int(int a) -> float", k_acosh_int},
    {"aten::acosh.float(float a) -> float", k_acosh_float},
    {"aten::acosh.Scalar(Scalar a) -> Scalar", k_acosh_Scalar},
    {"aten::atanh.int(int a) -> float", k_atanh_int},
    {"aten::atanh.float(float a) -> float", k_atanh_float},
    {"aten::atanh.Scalar(Scalar a) -> Scalar", k_atanh_Scalar},
    {"aten::erf.int(int a) -> float", k_erf_int},
    {"aten::erf.float(float a) -> float", k_erf_float},
    {"aten::erf.Scalar(Scalar a) -> Scalar", k_erf_Scalar},
    {"aten::erfc.int(int a) -> float", k_erfc_int},
    {"aten::erfc.float(float a) -> float", k_erfc_float},
    {"aten::erfc.Scalar(Scalar a) -> Scalar", k_erfc_Scalar},
    {"aten::gamma.int(int a) -> float", k_gamma_int},
    {"aten::gamma.float(float a) -> float", k_gamma_float},
    {"aten::gamma.Scalar(Scalar a) -> Scalar", k_gamma_Scalar},
    {"aten::lgamma.int(int a) -> float", k_lgamma_int},
    {"aten::lgamma.float(float a) -> float", k_lgamma_float},
    {"aten::lgamma.Scalar(Scalar a) -> Scalar", k_lgamma_Scalar},
    {"aten::fabs.int(int a) -> float", k_fabs_int},
    {"aten::fabs.float(float a) -> float", k_fabs_float},
    {"aten::fabs.Scalar(Scalar a) -> Scalar", k_fabs_Scalar},
    {"aten::degrees.int(int a) -> float", k_degrees_int},
    {"aten::degrees.float(float a) -> float", k_degrees_float},
    {"aten::degrees.Scalar(Scalar a) -> Scalar", k_degrees_Scalar},
    {"aten::radians.int(int a) -> float", k_radians_int},
    {"aten::radians.float(float a) -> float", k_radians_float},
    {"aten::radians.Scalar(Scalar a) -> Scalar", k_radians_Scalar},
    {"aten::angle.int(int a) -> float", k_angle_int},
    {"aten::angle.float(float a) -> float", k_angle_float},
    {"aten::angle.Scalar(Scalar a) -> Scalar", k_angle_Scalar},
    {"aten::isnan.float(float a) -> bool", k_isnan_float},
    {"aten::isinf.float(float a) -> bool", k_isinf_float},
    {"aten::isfinite.float(float a) -> bool", k_isfinite_float},
    {"aten::log.int_int(int a, int b) -> float", k_log_int_int},
    {"aten::log.float_float(float a, float b) -> float", k_log_float_float},
    {"aten::log.int_float(int a, float b) -> float", k_log_int_float},
    {"aten::log.float_int(float a, int b) -> float", k_log_float_int},
    {"aten::log.Scalar_Scalar(Scalar a, Scalar b) -> float", k_log_Scalar_Scalar},
    {"aten::atan2.int(int a, int b) -> float", k_atan2_int},
    {"aten::atan2.float(float a, float b) -> float", k_atan2_float},
    {"aten::atan2.int_float(int a, float b) -> float", k_atan2_int_float},
    {"aten::atan2.float_int(float a, int b) -> float", k_atan2_float_int},
    {"aten::atan2.Scalar_Scalar(Scalar a, Scalar b) -> float", k_atan2_Scalar_Scalar},
    {"aten::fmod.int(int a, int b) -> float", k_fmod_int},
    {"aten::fmod.float(float a, float b) -> float", k_fmod_float},
    {"aten::fmod.int_float(int a, float b) -> float", k_fmod_int_float},
    {"aten::fmod.float_int(float a, int b) -> float", k_fmod_float_int},
    {"aten::fmod(Scalar a, Scalar b) -> float", k_fmod},
    {"aten::mathremainder.int(int a, int b) -> float", k_mathremainder_int},
    {"aten::mathremainder.float(float a, float b) -> float", k_mathremainder_float},
    {"aten::mathremainder.int_float(int a, float b) -> float", k_mathremainder_int_float},
    {"aten::mathremainder.float_int(float a, int b) -> float", k_mathremainder_float_int},
    {"aten::mathremainder(Scalar a, Scalar b) -> float", k_mathremainder},
    {"aten::copysign.int(int a, int b) -> float", k_copysign_int},
    {"aten::copysign.float(float a, float b) -> float", k_copysign_float},
    {"aten::copysign.int_float(int a, float b) -> float", k_copysign_int_float},
    {"aten::copysign.float_int(float a, int b) -> float", k_copysign_float_int},
    {"aten::copysign(Scalar a, Scalar b) -> float", k_copysign},
    {"aten::modf(float a) -> (float, float)", k_modf},
    {"aten::frexp(float a) -> (float, int)", k_frexp},
    {"aten::ldexp(float x, int i) -> float", k_ldexp},
    {"aten::__range_length(int lo, int hi, int step) -> int", k_range_length},
    {"aten::__derive_index(int index, int start, int step) -> int", k_derive_index},
    {"aten::Int.Tensor(Tensor a) -> int", k_Int_Tensor},
    {"aten::Int.bool(bool a) -> int", k_Int_bool},
    {"aten::Int.float(float a) -> int", k_Int_float},
    {"aten::Int.Scalar(Scalar a) -> int", k_Int_Scalar},
    {"aten::Int.str(str a) -> int", k_Int_str},
    {"aten::Float.Tensor(Tensor a) -> float", k_Float_Tensor},
    {"aten::Float.Scalar(Scalar a) -> float", k_Float_Scalar},
    {"aten::Float.int(int a) -> float", k_Float_int},
    {"aten::Float.bool(bool a) -> float", k_Float_bool},
    {"aten::Float.str(str a) -> float", k_Float_str},
    {"aten::Bool.Tensor(Tensor a) -> bool", k_Bool_Tensor},
    {"aten::Bool.int(int a) -> bool", k_Bool_int},
    {"aten::Bool.float(float a) -> bool", k_Bool_float},
    {"aten::IntImplicit(Tensor a) -> int", k_IntImplicit},
    {"aten::FloatImplicit(Tensor a) -> float", k_FloatImplicit},
    {"aten::ScalarImplicit(Tensor a) -> Scalar", k_ScalarImplicit},
    {"aten::item(Tensor self) -> Scalar", k_item},
    {"prim::tolist(...) -> ...", k_tolist},
    {"aten::__is__(t1 self, t2 obj) -> bool", k_is},
    {"aten::__isnot__(t1 self, t2 obj) -> bool", k_isnot},
};
const int cts_ops_scalar_count = (int)(sizeof cts_ops_scalar / sizeof *cts_ops_scalar);
