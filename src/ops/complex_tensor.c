/* complex_tensor.c - the operators cts runs on complex64 tensors.
 *
 * A complex64 tensor stores (real, imag) float32 pairs.  The ordinary
 * kernels know nothing of complex dtypes, so the interpreter guards them:
 * an operator that takes tensors and meets a complex one runs the complex
 * variant registered here under the same `name.overload`, or fails with a
 * clear error naming the operator (cts_complex_guard).  Operators that only
 * read metadata or copy bytes (size, dtype, clone, ...) are safe as they are.
 *
 * Supported: torch.complex(real, imag), + - * / with tensors and scalars
 * (broadcasting), neg, abs, angle, real, imag (views into the complex
 * storage, as PyTorch's).  complex128 is not supported. */
#include "complex_tensor.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "kutil.h"

typedef float complex cf;

/* ---- operands ---- */

static cf load_c(const ct_tensor *t, int64_t pos) {
    const char *p = (const char *)ct_data(t) + pos * ct_dtype_size(t->dtype);
    if (t->dtype == CT_COMPLEX64) {
        const float *f = (const float *)p;
        return CMPLXF(f[0], f[1]);
    }
    return CMPLXF((float)ct_load_f64(p, t->dtype), 0.0f);
}

static int check_operand(cts_kctx *k, const ct_tensor *t, const char *op) {
    if (!t) return cts_err_set(k->err, "%s: an undefined tensor", op);
    /* complex64 with a float64 tensor of rank > 0 is complex128 in PyTorch */
    if (t->dtype == CT_FLOAT64 && t->ndim > 0)
        return cts_err_set(k->err, "%s: complex128 tensors (complex64 with float64) are not supported by cts", op);
    if (!ct_dtype_is_complex(t->dtype) && !ct_dtype_is_float(t->dtype) && !ct_dtype_is_int(t->dtype) &&
        t->dtype != CT_BOOL)
        return cts_err_set(k->err, "%s: %s tensors cannot be combined with complex ones", op, ct_dtype_name(t->dtype));
    return 0;
}

static int scalar_c(cts_kctx *k, cv_value v, double complex *out, const char *op) {
    *out = 0;
    switch (v.tag) {
    case CV_COMPLEX: *out = CMPLX(v.u.c->re, v.u.c->im); return 0;
    case CV_FLOAT: *out = v.u.f; return 0;
    case CV_INT: *out = (double)v.u.i; return 0;
    case CV_BOOL: *out = v.u.b ? 1.0 : 0.0; return 0;
    default: return cts_err_set(k->err, "%s: expected a number, got a %s", op, cv_tag_name(v.tag));
    }
}

/* a new contiguous tensor of dtype dt shaped like sizes */
static ct_tensor *new_out(cts_kctx *k, ct_dtype dt, int ndim, const int64_t *sizes) {
    return ct_tensor_empty(dt, ndim, sizes, k->err);
}

static int ret(cv_value *o, ct_tensor *t) {
    if (!t) return -1;
    o[0] = cv_tensor(t);
    return 0;
}

/* ---- elementwise ---- */

typedef enum { B_ADD, B_SUB, B_MUL, B_DIV } bop;

static cf apply(bop op, cf x, cf y) {
    switch (op) {
    case B_ADD: return x + y;
    case B_SUB: return x - y;
    case B_MUL: return x * y;
    default: return x / y;
    }
}

static const char *bop_name(bop op) {
    return op == B_ADD ? "aten::add" : op == B_SUB ? "aten::sub" : op == B_MUL ? "aten::mul" : "aten::div";
}

/* a op (b * alpha), b a tensor or (when bt is NULL) the scalar bs */
static int binary(cts_kctx *k, bop op, const ct_tensor *a, const ct_tensor *bt, double complex bs, double complex alpha,
                  cv_value *o) {
    const char *nm = bop_name(op);
    if (check_operand(k, a, nm) || (bt && check_operand(k, bt, nm))) return -1;
    int64_t sizes[CT_MAX_DIMS];
    int nd = a->ndim;
    memcpy(sizes, a->sizes, sizeof *sizes * (size_t)a->ndim);
    if (bt && (nd = ct_broadcast_shape(a->ndim, a->sizes, bt->ndim, bt->sizes, sizes, k->err)) < 0) return -1;
    ct_tensor *ea = ct_expand((ct_tensor *)a, nd, sizes, k->err);
    ct_tensor *eb = bt && ea ? ct_expand((ct_tensor *)bt, nd, sizes, k->err) : NULL;
    ct_tensor *out = ea && (eb || !bt) ? new_out(k, CT_COMPLEX64, nd, sizes) : NULL;
    if (out && ct_numel(out) > 0) {
        ct_iter ia, ib;
        ct_iter_init(&ia, ea);
        if (eb) ct_iter_init(&ib, eb);
        float *dst = ct_data(out);
        cf s = (cf)(bs * alpha), al = (cf)alpha;
        int64_t i = 0;
        do {
            cf y = eb ? load_c(eb, ib.pos) * al : s;
            cf r = apply(op, load_c(ea, ia.pos), y);
            dst[2 * i] = crealf(r);
            dst[2 * i + 1] = cimagf(r);
            i++;
            if (eb) ct_iter_next(&ib);
        } while (ct_iter_next(&ia));
    }
    if (ea) ct_tensor_release(ea);
    if (eb) ct_tensor_release(eb);
    return ret(o, out);
}

static int tensor_arg(cts_kctx *k, const cv_value *a, int i, const char *op, ct_tensor **t) {
    *t = NULL;
    if (a[i].tag != CV_TENSOR || !a[i].u.t) return cts_err_set(k->err, "%s: argument %d must be a tensor", op, i + 1);
    *t = a[i].u.t;
    return 0;
}

#define BIN_TENSOR(fname, OP, HAS_ALPHA)                                                               \
    static int fname(cts_kctx *k, const cv_value *a, int n, cv_value *o) {                           \
        ct_tensor *x, *y;                                                                              \
        double complex alpha = 1;                                                                      \
        if (tensor_arg(k, a, 0, bop_name(OP), &x) || tensor_arg(k, a, 1, bop_name(OP), &y)) return -1; \
        if (HAS_ALPHA && n > 2 && scalar_c(k, a[2], &alpha, bop_name(OP))) return -1;                 \
        return binary(k, OP, x, y, 0, alpha, o);                                                       \
    }
#define BIN_SCALAR(fname, OP, HAS_ALPHA)                                                     \
    static int fname(cts_kctx *k, const cv_value *a, int n, cv_value *o) {                 \
        ct_tensor *x;                                                                        \
        double complex s = 0, alpha = 1;                                                     \
        if (tensor_arg(k, a, 0, bop_name(OP), &x) || scalar_c(k, a[1], &s, bop_name(OP))) return -1; \
        if (HAS_ALPHA && n > 2 && scalar_c(k, a[2], &alpha, bop_name(OP))) return -1;       \
        return binary(k, OP, x, NULL, s, alpha, o);                                          \
    }
BIN_TENSOR(k_add_t, B_ADD, 1)
BIN_TENSOR(k_sub_t, B_SUB, 1)
BIN_TENSOR(k_mul_t, B_MUL, 0)
BIN_TENSOR(k_div_t, B_DIV, 0)
BIN_SCALAR(k_add_s, B_ADD, 1)
BIN_SCALAR(k_sub_s, B_SUB, 1)
BIN_SCALAR(k_mul_s, B_MUL, 0)
BIN_SCALAR(k_div_s, B_DIV, 0)

typedef enum { U_NEG, U_ABS, U_ANGLE } uop;

static int unary(cts_kctx *k, const cv_value *a, uop op, const char *nm, cv_value *o) {
    ct_tensor *x;
    if (tensor_arg(k, a, 0, nm, &x) || check_operand(k, x, nm)) return -1;
    bool real_out = op != U_NEG;
    ct_tensor *out = new_out(k, real_out ? CT_FLOAT32 : CT_COMPLEX64, x->ndim, x->sizes);
    if (out && ct_numel(out) > 0) {
        ct_iter it;
        ct_iter_init(&it, x);
        float *dst = ct_data(out);
        int64_t i = 0;
        do {
            cf v = load_c(x, it.pos);
            if (op == U_NEG) {
                dst[2 * i] = -crealf(v);
                dst[2 * i + 1] = -cimagf(v);
            } else {
                dst[i] = op == U_ABS ? cabsf(v) : cargf(v);
            }
            i++;
        } while (ct_iter_next(&it));
    }
    return ret(o, out);
}

static int k_neg(cts_kctx *k, const cv_value *a, int n, cv_value *o) { (void)n; return unary(k, a, U_NEG, "aten::neg", o); }
static int k_abs(cts_kctx *k, const cv_value *a, int n, cv_value *o) { (void)n; return unary(k, a, U_ABS, "aten::abs", o); }
/* angle: arg(z) for complex; pi for negative reals, 0 otherwise (NaN stays) */
static int k_angle(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    ct_tensor *x;
    if (tensor_arg(k, a, 0, "aten::angle", &x)) return -1;
    if (ct_dtype_is_complex(x->dtype)) return unary(k, a, U_ANGLE, "aten::angle", o);
    ct_dtype dt = ct_dtype_is_float(x->dtype) ? x->dtype : CT_FLOAT32;
    ct_tensor *out = new_out(k, dt, x->ndim, x->sizes);
    if (out && ct_numel(out) > 0) {
        ct_iter it;
        ct_iter_init(&it, x);
        int sz = ct_dtype_size(dt), xs = ct_dtype_size(x->dtype);
        char *dst = ct_data(out);
        const char *src = ct_data(x);
        int64_t i = 0;
        do {
            double v = ct_load_f64(src + it.pos * xs, x->dtype);
            ct_store_f64(dst + i * sz, dt, isnan(v) ? v : v < 0 ? 3.14159265358979323846 : 0.0);
            i++;
        } while (ct_iter_next(&it));
    }
    return ret(o, out);
}

/* ---- real, imag, complex ---- */

/* the float32 view of part (0 real, 1 imag) of a complex64 tensor */
static ct_tensor *part_view(cts_kctx *k, ct_tensor *t, int part) {
    int64_t st[CT_MAX_DIMS];
    for (int d = 0; d < t->ndim; d++) st[d] = t->strides[d] * 2;
    ct_tensor *v = ct_tensor_from_storage(t->storage, CT_FLOAT32, t->offset * 2 + part, t->ndim, t->sizes, st, k->err);
    return v;
}

static int k_real(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    ct_tensor *x;
    if (tensor_arg(k, a, 0, "aten::real", &x)) return -1;
    if (!ct_dtype_is_complex(x->dtype)) { /* real of a real tensor is the tensor itself */
        ct_tensor_retain(x);
        return ret(o, x);
    }
    return ret(o, part_view(k, x, 0));
}

static int k_imag(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    ct_tensor *x;
    if (tensor_arg(k, a, 0, "aten::imag", &x)) return -1;
    if (!ct_dtype_is_complex(x->dtype))
        return cts_err_set(k->err, "imag is not implemented for tensors with non-complex dtypes.");
    return ret(o, part_view(k, x, 1));
}

/* torch.complex(real, imag): float32 parts (broadcast) into a complex64 tensor */
static int k_complex(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    ct_tensor *re, *im;
    if (tensor_arg(k, a, 0, "aten::complex", &re) || tensor_arg(k, a, 1, "aten::complex", &im)) return -1;
    if (re->dtype != im->dtype)
        return cts_err_set(k->err, "Expected object of scalar type %s but got scalar type %s for second argument",
                           ct_dtype_ir_name(re->dtype), ct_dtype_ir_name(im->dtype));
    if (re->dtype == CT_FLOAT64)
        return cts_err_set(k->err, "torch.complex of float64 parts makes complex128 tensors, which cts does not support");
    if (re->dtype != CT_FLOAT32)
        return cts_err_set(k->err, "Expected both inputs to be Half, Float or Double tensors but got %s and %s",
                           ct_dtype_ir_name(re->dtype), ct_dtype_ir_name(im->dtype));
    int64_t sizes[CT_MAX_DIMS];
    int nd = ct_broadcast_shape(re->ndim, re->sizes, im->ndim, im->sizes, sizes, k->err);
    if (nd < 0) return -1;
    ct_tensor *er = ct_expand(re, nd, sizes, k->err);
    ct_tensor *ei = er ? ct_expand(im, nd, sizes, k->err) : NULL;
    ct_tensor *out = ei ? new_out(k, CT_COMPLEX64, nd, sizes) : NULL;
    if (out && ct_numel(out) > 0) {
        ct_iter ir, ii;
        ct_iter_init(&ir, er);
        ct_iter_init(&ii, ei);
        const float *pr = ct_data(er), *pi = ct_data(ei);
        float *dst = ct_data(out);
        int64_t i = 0;
        do {
            dst[2 * i] = pr[ir.pos];
            dst[2 * i + 1] = pi[ii.pos];
            i++;
            ct_iter_next(&ii);
        } while (ct_iter_next(&ir));
    }
    if (er) ct_tensor_release(er);
    if (ei) ct_tensor_release(ei);
    return ret(o, out);
}

/* ordinary kernels (registry family `complex_tensor`) */
const cts_op_def cts_ops_complex_tensor[] = {
    {"aten::complex(Tensor real, Tensor imag) -> Tensor", k_complex},
    {"aten::real(Tensor(a) self) -> Tensor(a)",           k_real},
    {"aten::imag(Tensor(a) self) -> Tensor(a)",           k_imag},
    {"aten::angle(Tensor self) -> Tensor",                k_angle},
};
const int cts_ops_complex_tensor_count = (int)(sizeof cts_ops_complex_tensor / sizeof *cts_ops_complex_tensor);

/* complex variants, chosen by the interpreter when a complex tensor is an input */
static const struct {
    const char *key;
    cts_kernel_fn fn;
} VARIANTS[] = {
    {"aten::add.Tensor", k_add_t}, {"aten::sub.Tensor", k_sub_t}, {"aten::mul.Tensor", k_mul_t},
    {"aten::div.Tensor", k_div_t}, {"aten::add.Scalar", k_add_s}, {"aten::sub.Scalar", k_sub_s},
    {"aten::mul.Scalar", k_mul_s}, {"aten::div.Scalar", k_div_s}, {"aten::neg", k_neg},
    {"aten::abs", k_abs},          {"aten::angle", k_angle},      {"aten::real", k_real},
    {"aten::imag", k_imag},
};

/* operators that never look at element values, or copy them bytewise */
static const char *const SAFE[] = {
    "aten::size", "aten::size.int", "aten::dim", "aten::numel", "prim::dtype", "prim::device",
    "aten::detach", "aten::clone", "aten::contiguous", "aten::complex",
};

static bool takes_tensors(const cts_type *t) {
    if (t->kind == TY_TENSOR) return true;
    if (t->kind == TY_OPTIONAL || t->kind == TY_LIST) return takes_tensors(t->elems[0]);
    return false;
}

bool cts_complex_guard(const cts_schema *s, const char *key, cts_kernel_fn *variant) {
    *variant = NULL;
    for (size_t i = 0; i < sizeof SAFE / sizeof *SAFE; i++)
        if (strcmp(key, SAFE[i]) == 0) return false;
    bool tensors = false;
    for (int i = 0; i < s->nargs && !tensors; i++) tensors = takes_tensors(s->args[i].type);
    if (!tensors) return false;
    for (size_t i = 0; i < sizeof VARIANTS / sizeof *VARIANTS; i++)
        if (strcmp(key, VARIANTS[i].key) == 0) *variant = VARIANTS[i].fn;
    return true;
}

bool cts_has_complex_tensor(const cv_value *args, int n) {
    for (int i = 0; i < n; i++) {
        cv_value v = args[i];
        if (v.tag == CV_TENSOR) {
            if (v.u.t && ct_dtype_is_complex(v.u.t->dtype)) return true;
        } else if (v.tag == CV_LIST && v.u.l->elem && v.u.l->elem->kind == TY_TENSOR) {
            for (size_t j = 0; j < v.u.l->len; j++) {
                const cv_value *x = &v.u.l->items[j];
                if (x->tag == CV_TENSOR && x->u.t && ct_dtype_is_complex(x->u.t->dtype)) return true;
            }
        }
    }
    return false;
}
