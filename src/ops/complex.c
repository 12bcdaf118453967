/* complex.c - kernels on complex scalars (TorchScript's `complex`,
 * c10::complex<double>): construction, arithmetic, comparisons and the math
 * builtins PyTorch 1.13 registers for complex.  Mixed overloads (int_complex,
 * complex_float, ...) share one kernel: every numeric argument is widened to
 * a complex first, as c10's operators do.  Complex *tensors* are not
 * supported by cts. */
#include <complex.h>
#include <math.h>

#include "op.h"

#define KDEF(name) static int name(cts_kctx *k, const cv_value *a, int n, cv_value *o)

/* an int, float, bool or complex argument as a complex number */
static int to_c(cts_kctx *k, cv_value v, double complex *out) {
    *out = 0;
    switch (v.tag) {
    case CV_COMPLEX: *out = CMPLX(v.u.c->re, v.u.c->im); return 0;
    case CV_FLOAT: *out = CMPLX(v.u.f, 0.0); return 0;
    case CV_INT: *out = CMPLX((double)v.u.i, 0.0); return 0;
    case CV_BOOL: *out = CMPLX(v.u.b ? 1.0 : 0.0, 0.0); return 0;
    default: return cts_err_set(k->err, "expected a number, got a %s", cv_tag_name(v.tag));
    }
}

static int ret_c(cts_kctx *k, double complex z, cv_value *o) { return cv_complex_new(creal(z), cimag(z), o, k->err); }

#define ARGS1                              \
    double complex x = 0;                  \
    (void)n;                               \
    if (to_c(k, a[0], &x)) return -1
#define ARGS2                                              \
    double complex x = 0, y = 0;                           \
    (void)n;                                               \
    if (to_c(k, a[0], &x) || to_c(k, a[1], &y)) return -1

/* aten::Complex(x, y): x + y*j (a complex y contributes y*j, as c10 does) */
KDEF(k_Complex) {
    if (n == 1) {
        ARGS1;
        return ret_c(k, x, o);
    }
    ARGS2;
    return ret_c(k, x + y * I, o);
}

KDEF(k_add) { ARGS2; return ret_c(k, x + y, o); }
KDEF(k_sub) { ARGS2; return ret_c(k, x - y, o); }
KDEF(k_mul) { ARGS2; return ret_c(k, x * y, o); }
KDEF(k_div) { ARGS2; return ret_c(k, x / y, o); }
KDEF(k_pow) { ARGS2; return ret_c(k, cpow(x, y), o); }
KDEF(k_log2args) { ARGS2; return ret_c(k, clog(x) / clog(y), o); }
KDEF(k_eq) { ARGS2; o[0] = cv_bool(creal(x) == creal(y) && cimag(x) == cimag(y)); return 0; }
KDEF(k_ne) { ARGS2; o[0] = cv_bool(!(creal(x) == creal(y) && cimag(x) == cimag(y))); return 0; }
KDEF(k_polar) { ARGS2; return ret_c(k, creal(x) * CMPLX(cos(creal(y)), sin(creal(y))), o); }

KDEF(k_abs) { ARGS1; o[0] = cv_float(cabs(x)); return 0; }
KDEF(k_angle) { ARGS1; o[0] = cv_float(carg(x)); return 0; }
KDEF(k_neg) { ARGS1; return ret_c(k, -x, o); }
KDEF(k_isnan) { ARGS1; o[0] = cv_bool(isnan(creal(x)) || isnan(cimag(x))); return 0; }
KDEF(k_isinf) { ARGS1; o[0] = cv_bool(isinf(creal(x)) || isinf(cimag(x))); return 0; }
KDEF(k_isfinite) { ARGS1; o[0] = cv_bool(isfinite(creal(x)) && isfinite(cimag(x))); return 0; }

#define UNARY(name, fn) \
    KDEF(name) { ARGS1; return ret_c(k, fn(x), o); }
UNARY(k_exp, cexp)
UNARY(k_log, clog)
UNARY(k_sqrt, csqrt)
UNARY(k_sin, csin)
UNARY(k_cos, ccos)
UNARY(k_tan, ctan)
UNARY(k_asin, casin)
UNARY(k_acos, cacos)
UNARY(k_atan, catan)
UNARY(k_sinh, csinh)
UNARY(k_cosh, ccosh)
UNARY(k_tanh, ctanh)
UNARY(k_asinh, casinh)
UNARY(k_acosh, cacosh)
UNARY(k_atanh, catanh)
KDEF(k_log10) { ARGS1; return ret_c(k, clog(x) / log(10.0), o); }

KDEF(k_sum) {
    (void)n;
    if (a[0].tag != CV_LIST) return cts_err_set(k->err, "sum: expected a list of complex");
    double complex s = 0;
    for (size_t i = 0; i < a[0].u.l->len; i++) {
        double complex x = 0;
        if (to_c(k, a[0].u.l->items[i], &x)) return -1;
        s += x;
    }
    return ret_c(k, s, o);
}

const cts_op_def cts_ops_complex[] = {
    {"aten::Complex.Scalar(Scalar a) -> complex",                    k_Complex},
    {"aten::Complex.int_bool(int x, bool y) -> complex",             k_Complex},
    {"aten::Complex.bool_int(bool x, int y) -> complex",             k_Complex},
    {"aten::Complex.float_bool(float x, bool y) -> complex",         k_Complex},
    {"aten::Complex.bool_float(bool x, float y) -> complex",         k_Complex},
    {"aten::Complex.float_int(float x, int y) -> complex",           k_Complex},
    {"aten::Complex.int_float(int x, float y) -> complex",           k_Complex},
    {"aten::Complex.int_int(int x, int y) -> complex",               k_Complex},
    {"aten::Complex.bool_bool(bool x, bool y) -> complex",           k_Complex},
    {"aten::Complex.float_float(float x, float y) -> complex",       k_Complex},
    {"aten::add.complex(complex a, complex b) -> complex",           k_add},
    {"aten::add.int_complex(int a, complex b) -> complex",           k_add},
    {"aten::add.complex_int(complex a, int b) -> complex",           k_add},
    {"aten::add.float_complex(float a, complex b) -> complex",       k_add},
    {"aten::add.complex_float(complex a, float b) -> complex",       k_add},
    {"aten::sub.complex(complex a, complex b) -> complex",           k_sub},
    {"aten::sub.int_complex(int a, complex b) -> complex",           k_sub},
    {"aten::sub.complex_int(complex a, int b) -> complex",           k_sub},
    {"aten::sub.float_complex(float a, complex b) -> complex",       k_sub},
    {"aten::sub.complex_float(complex a, float b) -> complex",       k_sub},
    {"aten::mul.complex(complex a, complex b) -> complex",           k_mul},
    {"aten::mul.int_complex(int a, complex b) -> complex",           k_mul},
    {"aten::mul.complex_int(complex a, int b) -> complex",           k_mul},
    {"aten::mul.float_complex(float a, complex b) -> complex",       k_mul},
    {"aten::mul.complex_float(complex a, float b) -> complex",       k_mul},
    {"aten::div.complex(complex a, complex b) -> complex",           k_div},
    {"aten::pow.complex(complex a, complex b) -> complex",           k_pow},
    {"aten::pow.float_complex(float a, complex b) -> complex",       k_pow},
    {"aten::pow.complex_float(complex a, float b) -> complex",       k_pow},
    {"aten::log.complex_complex(complex a, complex b) -> complex",   k_log2args},
    {"aten::log.int_complex(int a, complex b) -> complex",           k_log2args},
    {"aten::log.complex_int(complex a, int b) -> complex",           k_log2args},
    {"aten::log.float_complex(float a, complex b) -> complex",       k_log2args},
    {"aten::log.complex_float(complex a, float b) -> complex",       k_log2args},
    {"aten::eq.complex(complex a, complex b) -> bool",               k_eq},
    {"aten::eq.float_complex(float a, complex b) -> bool",           k_eq},
    {"aten::eq.complex_float(complex a, float b) -> bool",           k_eq},
    {"aten::ne.complex(complex a, complex b) -> bool",               k_ne},
    {"aten::ne.float_complex(float a, complex b) -> bool",           k_ne},
    {"aten::ne.complex_float(complex a, float b) -> bool",           k_ne},
    {"aten::polar.int(int a, int b) -> complex",                     k_polar},
    {"aten::polar.float(float a, float b) -> complex",               k_polar},
    {"aten::polar.int_float(int a, float b) -> complex",             k_polar},
    {"aten::polar.float_int(float a, int b) -> complex",             k_polar},
    {"prim::abs.complex(complex a) -> float",                        k_abs},
    {"aten::angle.complex(complex a) -> float",                      k_angle},
    {"aten::neg.complex(complex a) -> complex",                      k_neg},
    {"aten::isnan.complex(complex a) -> bool",                       k_isnan},
    {"aten::isinf.complex(complex a) -> bool",                       k_isinf},
    {"aten::isfinite.complex(complex a) -> bool",                    k_isfinite},
    {"aten::exp.complex(complex a) -> complex",                      k_exp},
    {"aten::log.complex(complex a) -> complex",                      k_log},
    {"aten::log10.complex(complex a) -> complex",                    k_log10},
    {"aten::sqrt.complex(complex a) -> complex",                     k_sqrt},
    {"aten::sin.complex(complex a) -> complex",                      k_sin},
    {"aten::cos.complex(complex a) -> complex",                      k_cos},
    {"aten::tan.complex(complex a) -> complex",                      k_tan},
    {"aten::asin.complex(complex a) -> complex",                     k_asin},
    {"aten::acos.complex(complex a) -> complex",                     k_acos},
    {"aten::atan.complex(complex a) -> complex",                     k_atan},
    {"aten::sinh.complex(complex a) -> complex",                     k_sinh},
    {"aten::cosh.complex(complex a) -> complex",                     k_cosh},
    {"aten::tanh.complex(complex a) -> complex",                     k_tanh},
    {"aten::asinh.complex(complex a) -> complex",                    k_asinh},
    {"aten::acosh.complex(complex a) -> complex",                    k_acosh},
    {"aten::atanh.complex(complex a) -> complex",                    k_atanh},
    {"aten::sum.complex(complex[] self) -> complex",                 k_sum},
};
const int cts_ops_complex_count = (int)(sizeof cts_ops_complex / sizeof *cts_ops_complex);
