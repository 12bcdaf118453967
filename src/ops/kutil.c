/* kutil.c - argument readers, result types, scalar conversion and the
 * broadcasting elementwise iterator shared by the kernel families. */
#include "kutil.h"

#include "../core/pool.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments ---- */

ku_scalar ku_scalar_int(int64_t i) {
    ku_scalar s = {KU_INT, i, (double)i};
    return s;
}
ku_scalar ku_scalar_float(double f) {
    ku_scalar s = {KU_FLOAT, 0, f};
    return s;
}
ku_scalar ku_scalar_bool(bool b) {
    ku_scalar s = {KU_BOOL, b, b};
    return s;
}

static const cv_value *arg(const ku_args *a, int i) {
    if (i < 0 || i >= a->n) {
        cts_err_set(a->k->err, "kernel expected at least %d arguments but got %d", i + 1, a->n);
        return NULL;
    }
    return &a->v[i];
}

static int bad(const ku_args *a, int i, const char *want, const cv_value *v) {
    return cts_err_set(a->k->err, "argument %d: expected %s but got %s", i, want,
                       v->tag == CV_TENSOR && !v->u.t ? "an undefined Tensor" : cv_tag_name(v->tag));
}

int ku_tensor(const ku_args *a, int i, ct_tensor **out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag != CV_TENSOR || !v->u.t) return bad(a, i, "Tensor", v);
    *out = v->u.t;
    return 0;
}

int ku_opt_tensor(const ku_args *a, int i, ct_tensor **out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE || (v->tag == CV_TENSOR && !v->u.t)) {
        *out = NULL;
        return 0;
    }
    if (v->tag != CV_TENSOR) return bad(a, i, "Tensor?", v);
    *out = v->u.t;
    return 0;
}

int ku_int(const ku_args *a, int i, int64_t *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_INT) *out = v->u.i;
    else if (v->tag == CV_BOOL) *out = v->u.b;
    else return bad(a, i, "int", v);
    return 0;
}

int ku_opt_int(const ku_args *a, int i, int64_t *out, bool *present) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    *present = v->tag != CV_NONE;
    if (!*present) return 0;
    return ku_int(a, i, out);
}

int ku_float(const ku_args *a, int i, double *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_FLOAT) *out = v->u.f;
    else if (v->tag == CV_INT) *out = (double)v->u.i;
    else if (v->tag == CV_BOOL) *out = v->u.b;
    else return bad(a, i, "float", v);
    return 0;
}

int ku_bool(const ku_args *a, int i, bool *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_BOOL) *out = v->u.b;
    else if (v->tag == CV_INT) *out = v->u.i != 0;
    else return bad(a, i, "bool", v);
    return 0;
}

int ku_opt_bool(const ku_args *a, int i, bool *out, bool *present) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    *present = v->tag != CV_NONE;
    if (!*present) return 0;
    return ku_bool(a, i, out);
}

int ku_scalar_arg(const ku_args *a, int i, ku_scalar *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    switch (v->tag) {
    case CV_INT: *out = ku_scalar_int(v->u.i); return 0;
    case CV_FLOAT: *out = ku_scalar_float(v->u.f); return 0;
    case CV_BOOL: *out = ku_scalar_bool(v->u.b); return 0;
    default: return bad(a, i, "Scalar (int, float or bool)", v);
    }
}

int ku_opt_scalar(const ku_args *a, int i, ku_scalar *out, bool *present) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    *present = v->tag != CV_NONE;
    if (!*present) return 0;
    return ku_scalar_arg(a, i, out);
}

int ku_str(const ku_args *a, int i, const char **out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag != CV_STR || !v->u.s) return bad(a, i, "str", v);
    *out = v->u.s->data;
    return 0;
}

int ku_opt_str(const ku_args *a, int i, const char **out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE) {
        *out = NULL;
        return 0;
    }
    return ku_str(a, i, out);
}

int ku_int_list(const ku_args *a, int i, int64_t *out, int max, int *n) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_INT) { /* int[1] arguments accept a single int */
        if (max < 1) return cts_err_set(a->k->err, "argument %d: too many values", i);
        out[0] = v->u.i;
        *n = 1;
        return 0;
    }
    const cv_value *items;
    size_t len;
    if (v->tag == CV_LIST && v->u.l) {
        items = v->u.l->items;
        len = v->u.l->len;
    } else if (v->tag == CV_TUPLE && v->u.tu) {
        items = v->u.tu->items;
        len = v->u.tu->len;
    } else {
        return bad(a, i, "int[]", v);
    }
    if (len > (size_t)max)
        return cts_err_set(a->k->err, "argument %d: list of %zu ints is longer than the %d cts supports", i, len,
                           max);
    for (size_t j = 0; j < len; j++) {
        if (items[j].tag == CV_INT) out[j] = items[j].u.i;
        else if (items[j].tag == CV_BOOL) out[j] = items[j].u.b;
        else return cts_err_set(a->k->err, "argument %d: expected int[] but item %zu is %s", i, j, cv_tag_name(items[j].tag));
    }
    *n = (int)len;
    return 0;
}

int ku_opt_int_list(const ku_args *a, int i, int64_t *out, int max, int *n) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE) {
        *n = -1;
        return 0;
    }
    return ku_int_list(a, i, out, max, n);
}

int ku_tensor_list(const ku_args *a, int i, const cv_list **out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag != CV_LIST || !v->u.l) return bad(a, i, "Tensor[]", v);
    const cv_list *l = v->u.l;
    for (size_t j = 0; j < l->len; j++)
        if (l->items[j].tag != CV_TENSOR || !l->items[j].u.t)
            return cts_err_set(a->k->err, "argument %d: expected Tensor[] but item %zu is %s", i, j,
                               l->items[j].tag == CV_TENSOR ? "an undefined Tensor" : cv_tag_name(l->items[j].tag));
    *out = l;
    return 0;
}

static int dtype_of(const ku_args *a, int i, int64_t id, ct_dtype *out) {
    /* complex tensors come only from torch.complex (ops/complex_tensor.c):
     * no dtype= argument makes one */
    if (!ct_dtype_valid((int)id) || id != (int)id || ct_dtype_is_complex((ct_dtype)id)) {
        const char *nm = id >= 0 && id < 64 ? ct_scalar_type_name_any((int)id) : NULL;
        if (nm) return cts_err_set(a->k->err, "argument %d: dtype %s is not supported by cts", i, nm);
        return cts_err_set(a->k->err, "argument %d: invalid dtype %lld", i, (long long)id);
    }
    *out = (ct_dtype)id;
    return 0;
}

int ku_dtype_arg(const ku_args *a, int i, ct_dtype *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag != CV_INT) return bad(a, i, "ScalarType", v);
    return dtype_of(a, i, v->u.i, out);
}

int ku_opt_dtype(const ku_args *a, int i, ct_dtype *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE) {
        *out = CT_DTYPE_INVALID;
        return 0;
    }
    return ku_dtype_arg(a, i, out);
}

static const char *device_type_name(int t) {
    switch (t) {
    case 0: return "cpu";
    case 1: return "cuda";
    case 9: return "xla";
    case 13: return "mps";
    case 14: return "meta";
    default: return NULL;
    }
}

int ku_check_device(const ku_args *a, int i) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE) return 0;
    if (v->tag != CV_DEVICE) return bad(a, i, "Device", v);
    if (v->u.dev.type == 0) return 0;
    const char *nm = device_type_name(v->u.dev.type);
    if (nm) return cts_err_set(a->k->err, "cts runs on the CPU only: device '%s' is not available", nm);
    return cts_err_set(a->k->err, "cts runs on the CPU only: device type %d is not available", v->u.dev.type);
}

int ku_tensor_options(const ku_args *a, int i, ct_dtype *dtype) {
    if (ku_opt_dtype(a, i, dtype)) return -1;
    const cv_value *lay = arg(a, i + 1);
    if (!lay) return -1;
    if (lay->tag == CV_INT) {
        if (lay->u.i != 0)
            return cts_err_set(a->k->err, "cts supports only the strided layout (got layout %lld)",
                               (long long)lay->u.i);
    } else if (lay->tag != CV_NONE) {
        return bad(a, i + 1, "Layout", lay);
    }
    if (ku_check_device(a, i + 2)) return -1;
    bool pin, has;
    if (ku_opt_bool(a, i + 3, &pin, &has)) return -1;
    if (has && pin) return cts_err_set(a->k->err, "pin_memory=True needs an accelerator; cts runs on the CPU only");
    return 0;
}

int ku_opt_memory_format(const ku_args *a, int i, int *out) {
    const cv_value *v = arg(a, i);
    if (!v) return -1;
    if (v->tag == CV_NONE) {
        *out = -1;
        return 0;
    }
    if (v->tag != CV_INT) return bad(a, i, "MemoryFormat", v);
    if (v->u.i < 0 || v->u.i > 3) return cts_err_set(a->k->err, "argument %d: unknown memory format %lld", i, (long long)v->u.i);
    *out = (int)v->u.i;
    return 0;
}

/* ---- dtypes and result types ---- */

const char *ku_dtype_tname(ct_dtype d) { return ct_dtype_ir_name(d); }

ct_dtype ku_scalar_dtype(const ku_scalar *s) {
    return s->kind == KU_BOOL ? CT_BOOL : s->kind == KU_INT ? CT_INT64 : CT_FLOAT64;
}

static ct_dtype promote_skip(ct_dtype a, ct_dtype b) {
    if (a == CT_DTYPE_INVALID) return b;
    if (b == CT_DTYPE_INVALID) return a;
    return ct_promote(a, b);
}

void ku_rt_init(ku_rtstate *s) { s->dim_r = s->zero_r = s->wrapped_r = CT_DTYPE_INVALID; }

void ku_rt_tensor(ku_rtstate *s, const ct_tensor *t) {
    if (t->ndim > 0) s->dim_r = promote_skip(s->dim_r, t->dtype);
    else s->zero_r = promote_skip(s->zero_r, t->dtype);
}

void ku_rt_scalar(ku_rtstate *s, const ku_scalar *v) {
    /* a float wrapped number counts as the default dtype */
    ct_dtype d = v->kind == KU_FLOAT ? CT_FLOAT32 : ku_scalar_dtype(v);
    s->wrapped_r = promote_skip(s->wrapped_r, d);
}

static ct_dtype combine(ct_dtype higher, ct_dtype lower) {
    if (higher != CT_DTYPE_INVALID && ct_dtype_is_float(higher)) return higher;
    if (higher == CT_BOOL || (lower != CT_DTYPE_INVALID && ct_dtype_is_float(lower)))
        return promote_skip(higher, lower);
    if (higher != CT_DTYPE_INVALID) return higher;
    return lower;
}

ct_dtype ku_rt_result(const ku_rtstate *s) { return combine(s->dim_r, combine(s->zero_r, s->wrapped_r)); }

ct_dtype ku_result_tt(const ct_tensor *a, const ct_tensor *b) {
    ku_rtstate s;
    ku_rt_init(&s);
    ku_rt_tensor(&s, a);
    ku_rt_tensor(&s, b);
    return ku_rt_result(&s);
}

ct_dtype ku_result_ts(const ct_tensor *a, const ku_scalar *b) {
    ku_rtstate s;
    ku_rt_init(&s);
    ku_rt_tensor(&s, a);
    ku_rt_scalar(&s, b);
    return ku_rt_result(&s);
}

ct_dtype ku_result_ss(const ku_scalar *a, const ku_scalar *b) {
    ku_rtstate s;
    ku_rt_init(&s);
    ku_rt_scalar(&s, a);
    ku_rt_scalar(&s, b);
    return ku_rt_result(&s);
}

bool ku_can_cast(ct_dtype from, ct_dtype to) {
    if (ct_dtype_is_float(from) && ct_dtype_is_int(to)) return false;
    if (from != CT_BOOL && to == CT_BOOL) return false;
    return true;
}

int ku_check_inplace(ct_dtype result, ct_dtype self, cts_err *err) {
    if (ku_can_cast(result, self)) return 0;
    return cts_err_set(err, "result type %s can't be cast to the desired output type %s", ku_dtype_tname(result),
                       ku_dtype_tname(self));
}

/* ---- scalars ---- */

void ku_scalar_store(void *dst, ct_dtype dt, const ku_scalar *s) {
    if (s->kind == KU_FLOAT) ct_store_f64(dst, dt, s->f);
    else ct_store_i64(dst, dt, s->i);
}

/* The C++ type names PyTorch's checked_convert prints. */
static const char *cpp_type_name(ct_dtype d) {
    switch (d) {
    case CT_UINT8: return "uint8_t";
    case CT_INT8: return "int8_t";
    case CT_INT16: return "int16_t";
    case CT_INT32: return "int";
    case CT_INT64: return "int64_t";
    case CT_FLOAT16: return "at::Half";
    case CT_FLOAT32: return "float";
    case CT_FLOAT64: return "double";
    case CT_BOOL: return "bool";
    case CT_BFLOAT16: return "at::BFloat16";
    default: return "?";
    }
}

static void int_range(ct_dtype d, double *lo, double *hi) {
    switch (d) {
    case CT_UINT8: *lo = 0; *hi = 255; break;
    case CT_INT8: *lo = -128; *hi = 127; break;
    case CT_INT16: *lo = -32768; *hi = 32767; break;
    case CT_INT32: *lo = -2147483648.0; *hi = 2147483647.0; break;
    default: *lo = -9223372036854775808.0; *hi = 9223372036854775807.0; break;
    }
}

static double float_max(ct_dtype d) {
    switch (d) {
    case CT_FLOAT16: return 65504.0;
    case CT_BFLOAT16: return 3.38953138925153547590470800371487866880e+38;
    case CT_FLOAT32: return FLT_MAX;
    default: return INFINITY;
    }
}

/* c10::overflows<To, From> */
static bool overflows(const ku_scalar *s, ct_dtype dt) {
    if (dt == CT_BOOL || s->kind == KU_BOOL) return false;
    if (s->kind == KU_FLOAT) {
        double f = s->f;
        if (ct_dtype_is_float(dt)) {
            if (isinf(f) || isnan(f)) return false;
            return f < -float_max(dt) || f > float_max(dt);
        }
        if (isnan(f)) return true;
        double lo, hi;
        int_range(dt, &lo, &hi);
        return f < lo || f > hi;
    }
    int64_t v = s->i;
    switch (dt) {
    case CT_UINT8: return v > 255 || (v < 0 && -(uint64_t)v > 255);
    case CT_INT8: return v < -128 || v > 127;
    case CT_INT16: return v < -32768 || v > 32767;
    case CT_INT32: return v < INT32_MIN || v > INT32_MAX;
    case CT_INT64: return false;
    case CT_FLOAT16: return v < -65504 || v > 65504;
    default: return false;
    }
}

int ku_scalar_store_checked(void *dst, ct_dtype dt, const ku_scalar *s, cts_err *err) {
    if (overflows(s, dt))
        return cts_err_set(err, "value cannot be converted to type %s without overflow", cpp_type_name(dt));
    ku_scalar_store(dst, dt, s);
    return 0;
}

int ku_scalar_as(const ku_scalar *s, ct_dtype dt, double *f, int64_t *i, cts_err *err) {
    _Alignas(8) unsigned char buf[8];
    if (ku_scalar_store_checked(buf, dt, s, err)) return -1;
    if (f) *f = ct_load_f64(buf, dt);
    if (i) *i = ct_load_i64(buf, dt);
    return 0;
}

ct_tensor *ku_scalar_tensor(ku_scalar_buf *b, ct_dtype dt, const ku_scalar *s) {
    memset(b, 0, sizeof *b);
    /* counts far from zero: a stray retain/release pair never frees them */
    atomic_init(&b->st.refcount, 1L << 40);
    b->st.data = b->data;
    b->st.nbytes = sizeof b->data;
    atomic_init(&b->t.refcount, 1L << 40);
    b->t.storage = &b->st;
    b->t.dtype = dt;
    b->t.ndim = 0;
    ku_scalar_store(b->data, dt, s);
    return &b->t;
}

#define KU_FILL_LOOP(N, T)                                                      \
    static void fill##N(char **d, const int64_t *s, int64_t n, const void *vc) { \
        T v;                                                                    \
        memcpy(&v, vc, sizeof v);                                               \
        if (s[0] == (int64_t)sizeof(T)) {                                       \
            T *o = (T *)d[0];                                                   \
            for (int64_t i = 0; i < n; i++) o[i] = v;                           \
        } else {                                                                \
            for (int64_t i = 0; i < n; i++) *(T *)(d[0] + i * s[0]) = v;        \
        }                                                                       \
    }
KU_FILL_LOOP(1, uint8_t)
KU_FILL_LOOP(2, uint16_t)
KU_FILL_LOOP(4, uint32_t)
KU_FILL_LOOP(8, uint64_t)

void ku_fill(ct_tensor *t, const ku_scalar *s) {
    _Alignas(8) unsigned char v[8] = {0};
    ku_scalar_store(v, t->dtype, s);
    ku_iter it;
    if (ku_iter_init(&it, t, 0, NULL, NULL)) return; /* cannot fail without inputs */
    int sz = ct_dtype_size(t->dtype);
    ku_iter_run(&it, sz == 1 ? fill1 : sz == 2 ? fill2 : sz == 4 ? fill4 : fill8, v);
}

ct_tensor *ku_cast(ct_tensor *t, ct_dtype dt, cts_err *err) {
    if (t->dtype == dt) {
        ct_tensor_retain(t);
        return t;
    }
    return ku_to_dtype(t, dt, err);
}

/* ---- copies with dtype conversion ---- */

/* float -> narrow int: through int32 as x86's cvttss2si; NaN and out of
 * range give INT32_MIN (no undefined behaviour on the way) */
static inline int32_t cv_f2i32(float v) { return v >= -2147483648.0f && v < 2147483648.0f ? (int32_t)v : INT32_MIN; }
static inline int32_t cv_d2i32(double v) { return v > -2147483649.0 && v < 2147483648.0 ? (int32_t)v : INT32_MIN; }
static inline int64_t cv_f2i64(float v) {
    return v >= -9223372036854775808.0f && v < 9223372036854775808.0f ? (int64_t)v : INT64_MIN;
}
static inline int64_t cv_d2i64(double v) {
    return v >= -9223372036854775808.0 && v < 9223372036854775808.0 ? (int64_t)v : INT64_MIN;
}

/* loads into a wide type: int64_t for integers and bool, float for
 * float32/half/bfloat16, double for float64 */
#define CV_LD_U8(p) ((int64_t)(p))
#define CV_LD_ID(p) (p)
#define CV_LD_H(p) ct_half_to_float(p)
#define CV_LD_BF(p) ct_bf16_to_float(p)
#define CV_LD_B(p) ((int64_t)((p) != 0))

/* stores from any wide type, chosen with _Generic on the value's type */
#define CV_TO_INT(T, v) \
    _Generic((v), int64_t: (T)(v), float: (T)cv_f2i32((float)(v)), default: (T)cv_d2i32((double)(v)))
#define CV_ST_UINT8(v) CV_TO_INT(uint8_t, v)
#define CV_ST_INT8(v) CV_TO_INT(int8_t, v)
#define CV_ST_INT16(v) CV_TO_INT(int16_t, v)
#define CV_ST_INT32(v) CV_TO_INT(int32_t, v)
#define CV_ST_INT64(v) \
    _Generic((v), int64_t: (int64_t)(v), float: cv_f2i64((float)(v)), default: cv_d2i64((double)(v)))
#define CV_ST_FLOAT16(v) ct_float_to_half((float)(v))
#define CV_ST_FLOAT32(v) ((float)(v))
#define CV_ST_FLOAT64(v) ((double)(v))
#define CV_ST_BOOL(v) ((uint8_t)((v) != 0))
#define CV_ST_BFLOAT16(v) ct_float_to_bf16((float)(v))

/* X(enum, storage type, load) -- two copies so that the pair macro can nest */
#define CV_SRC(X, D, TD)                         \
    X(D, TD, UINT8, uint8_t, CV_LD_U8)           \
    X(D, TD, INT8, int8_t, CV_LD_U8)             \
    X(D, TD, INT16, int16_t, CV_LD_U8)           \
    X(D, TD, INT32, int32_t, CV_LD_U8)           \
    X(D, TD, INT64, int64_t, CV_LD_ID)           \
    X(D, TD, FLOAT16, uint16_t, CV_LD_H)         \
    X(D, TD, FLOAT32, float, CV_LD_ID)           \
    X(D, TD, FLOAT64, double, CV_LD_ID)          \
    X(D, TD, BOOL, uint8_t, CV_LD_B)             \
    X(D, TD, BFLOAT16, uint16_t, CV_LD_BF)
#define CV_DST(X)                                \
    X(UINT8, uint8_t)                            \
    X(INT8, int8_t)                              \
    X(INT16, int16_t)                            \
    X(INT32, int32_t)                            \
    X(INT64, int64_t)                            \
    X(FLOAT16, uint16_t)                         \
    X(FLOAT32, float)                            \
    X(FLOAT64, double)                           \
    X(BOOL, uint8_t)                             \
    X(BFLOAT16, uint16_t)

#define CV_PAIR_FN(D, TD, S, TS, LD)                                                        \
    static void cv_##D##_##S(char **d, const int64_t *s, int64_t n, const void *vc) {      \
        (void)vc;                                                                          \
        if (s[0] == (int64_t)sizeof(TD) && s[1] == (int64_t)sizeof(TS)) {                  \
            TD *o = (TD *)d[0];                                                            \
            const TS *x = (const TS *)d[1];                                                \
            int64_t i = 0;                                                                 \
            for (; i + 8 <= n; i += 8) {                                                   \
                TD t_[8];                                                                  \
                for (int j = 0; j < 8; j++) t_[j] = CV_ST_##D(LD(x[i + j]));               \
                for (int j = 0; j < 8; j++) o[i + j] = t_[j];                              \
            }                                                                              \
            for (; i < n; i++) o[i] = CV_ST_##D(LD(x[i]));                                 \
        } else {                                                                           \
            for (int64_t i = 0; i < n; i++)                                                \
                *(TD *)(d[0] + i * s[0]) = CV_ST_##D(LD(*(const TS *)(d[1] + i * s[1])));  \
        }                                                                                  \
    }
#define CV_DST_FNS(D, TD) CV_SRC(CV_PAIR_FN, D, TD)
CV_DST(CV_DST_FNS)

#define CV_PAIR_TAB(D, TD, S, TS, LD) [CT_##S] = cv_##D##_##S,
#define CV_DST_TAB(D, TD) [CT_##D] = {CV_SRC(CV_PAIR_TAB, D, TD)},
static const ku_loop_fn CV_LOOPS[CT_DTYPE_LIMIT][CT_DTYPE_LIMIT] = {CV_DST(CV_DST_TAB)};

/* same-dtype copies move bytes */
#define CV_MOVE(N, T)                                                                       \
    static void mv##N(char **d, const int64_t *s, int64_t n, const void *vc) {              \
        (void)vc;                                                                           \
        if (s[0] == N && s[1] == N) memcpy(d[0], d[1], (size_t)n * N);                      \
        else                                                                                \
            for (int64_t i = 0; i < n; i++) *(T *)(d[0] + i * s[0]) = *(const T *)(d[1] + i * s[1]); \
    }
CV_MOVE(1, uint8_t)
CV_MOVE(2, uint16_t)
CV_MOVE(4, uint32_t)
CV_MOVE(8, uint64_t)

/* Transposing copies (the source is contiguous along the second-to-last
 * dim, the destination along the last) walk 32x32 tiles so that both sides
 * stay in cache. */
static void run_tiled(const ku_iter *it, ku_loop_fn fn) {
    enum { TILE = 32 };
    int nd = it->ndim;
    int64_t A = it->shape[nd - 2], B = it->shape[nd - 1], outer = it->numel / (A * B);
    int64_t idx[CT_MAX_DIMS] = {0};
    for (int64_t o = 0; o < outer; o++) {
        char *base[2];
        for (int j = 0; j < 2; j++) {
            base[j] = it->data[j];
            for (int d = 0; d < nd - 2; d++) base[j] += idx[d] * it->strides[j][d];
        }
        int64_t istr[2] = {it->strides[0][nd - 1], it->strides[1][nd - 1]};
        for (int64_t a0 = 0; a0 < A; a0 += TILE)
            for (int64_t b0 = 0; b0 < B; b0 += TILE) {
                int64_t a1 = a0 + TILE < A ? a0 + TILE : A, nb = b0 + TILE < B ? TILE : B - b0;
                for (int64_t a = a0; a < a1; a++) {
                    char *p[2];
                    for (int j = 0; j < 2; j++)
                        p[j] = base[j] + a * it->strides[j][nd - 2] + b0 * it->strides[j][nd - 1];
                    fn(p, istr, nb, NULL);
                }
            }
        for (int d = nd - 3; d >= 0; d--) {
            if (++idx[d] < it->shape[d]) break;
            idx[d] = 0;
        }
    }
}

int ku_copy(ct_tensor *dst, const ct_tensor *src, cts_err *err) {
    if (dst->dtype != src->dtype && (ct_dtype_is_complex(dst->dtype) || ct_dtype_is_complex(src->dtype)))
        return cts_err_set(err, "converting between %s and %s tensors is not supported by cts",
                           ct_dtype_name(src->dtype), ct_dtype_name(dst->dtype));
    ku_iter it;
    ct_tensor *in = (ct_tensor *)src; /* the iterator only reads inputs */
    if (ku_iter_init(&it, dst, 1, &in, err)) return -1;
    ku_loop_fn fn;
    if (dst->dtype == src->dtype || (dst->dtype == CT_UINT8 && src->dtype == CT_BOOL)) {
        int sz = ct_dtype_size(dst->dtype);
        fn = sz == 1 ? mv1 : sz == 2 ? mv2 : sz == 4 ? mv4 : mv8;
    } else {
        fn = CV_LOOPS[dst->dtype][src->dtype];
    }
    int nd = it.ndim;
    if (nd >= 2 && it.numel >= 4096 && it.strides[1][nd - 2] != 0 && it.strides[1][nd - 1] != 0 &&
        llabs(it.strides[1][nd - 2]) < llabs(it.strides[1][nd - 1]))
        run_tiled(&it, fn);
    else
        ku_iter_run(&it, fn, NULL);
    return 0;
}

ct_tensor *ku_to_dtype(const ct_tensor *t, ct_dtype dt, cts_err *err) {
    ct_tensor *o = ct_tensor_empty(dt, t->ndim, t->sizes, err);
    if (o && ku_copy(o, t, err)) {
        ct_tensor_release(o);
        return NULL;
    }
    return o;
}

ct_tensor *ku_reshape(ct_tensor *t, int ndim, const int64_t *sizes_in, cts_err *err) {
    int64_t sizes[CT_MAX_DIMS];
    if (ndim > CT_MAX_DIMS) {
        cts_err_set(err, "reshape with %d dimensions: cts supports at most %d", ndim, CT_MAX_DIMS);
        return NULL;
    }
    if (ndim) memcpy(sizes, sizes_in, sizeof *sizes * (size_t)ndim);
    if (ct_infer_size(ct_numel(t), ndim, sizes, err)) return NULL;
    /* with a valid shape, a view can only fail on the strides */
    cts_err quiet = {0};
    ct_tensor *v = ct_view(t, ndim, sizes, &quiet);
    if (v) return v;
    ct_tensor *c = ku_contiguous(t, err);
    if (!c) return NULL;
    v = ct_view(c, ndim, sizes, err);
    ct_tensor_release(c);
    return v;
}

ct_tensor *ku_contiguous(ct_tensor *t, cts_err *err) {
    if (ct_is_contiguous(t)) {
        ct_tensor_retain(t);
        return t;
    }
    return ku_to_dtype(t, t->dtype, err);
}

/* ---- shapes ---- */

int ku_broadcast(int n, ct_tensor *const *ts, int64_t *shape, cts_err *err) {
    int nd = 0;
    for (int j = 0; j < n; j++) {
        int64_t tmp[CT_MAX_DIMS];
        int r = ct_broadcast_shape(nd, shape, ts[j]->ndim, ts[j]->sizes, tmp, err);
        if (r < 0) return -1;
        nd = r;
        memcpy(shape, tmp, sizeof *tmp * (size_t)nd);
    }
    return nd;
}

bool ku_same_shape(int na, const int64_t *a, int nb, const int64_t *b) {
    return na == nb && (na == 0 || memcmp(a, b, sizeof *a * (size_t)na) == 0);
}

int ku_check_out_shape(const ct_tensor *out, int ndim, const int64_t *shape, cts_err *err) {
    if (ku_same_shape(out->ndim, out->sizes, ndim, shape)) return 0;
    char a[256], b[256];
    return cts_err_set(err, "output with shape %s doesn't match the broadcast shape %s",
                       ct_shape_str(out->ndim, out->sizes, a, sizeof a), ct_shape_str(ndim, shape, b, sizeof b));
}

int ku_resize_out(ct_tensor *out, int ndim, const int64_t *shape, cts_err *err) {
    if (ku_same_shape(out->ndim, out->sizes, ndim, shape)) return 0;
    int64_t numel = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) return cts_err_set(err, "Trying to create tensor with negative dimension %lld",
                                             (long long)shape[d]);
        if (shape[d] && numel > INT64_MAX / shape[d]) return cts_err_set(err, "out: tensor too large");
        numel *= shape[d];
    }
    int64_t esz = ct_dtype_size(out->dtype);
    if (numel > (INT64_MAX / esz) - out->offset) return cts_err_set(err, "out: tensor too large");
    size_t need = (size_t)((out->offset + numel) * esz);
    if (!out->storage || out->storage->nbytes < need) {
        ct_storage *st = ct_storage_new((size_t)(numel * esz), false, err);
        if (!st) return -1;
        ct_storage_release(out->storage);
        out->storage = st;
        out->offset = 0;
    }
    out->ndim = ndim;
    int64_t stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        out->sizes[d] = shape[d];
        out->strides[d] = stride;
        stride *= shape[d] ? shape[d] : 1;
    }
    return 0;
}

/* ---- memory overlap ---- */

/* is_non_overlapping_and_dense: some permutation of the dims is contiguous */
static bool dense(const ct_tensor *t) {
    int perm[CT_MAX_DIMS], n = 0;
    for (int d = 0; d < t->ndim; d++)
        if (t->sizes[d] != 1) perm[n++] = d;
    for (int i = 1; i < n; i++) /* sort by stride, insertion sort */
        for (int j = i; j > 0 && t->strides[perm[j]] < t->strides[perm[j - 1]]; j--) {
            int tmp = perm[j];
            perm[j] = perm[j - 1];
            perm[j - 1] = tmp;
        }
    int64_t expect = 1;
    for (int i = 0; i < n; i++) {
        if (t->sizes[perm[i]] == 0) return true;
        if (t->strides[perm[i]] != expect) return false;
        expect *= t->sizes[perm[i]];
    }
    return true;
}

int ku_check_internal_overlap(const ct_tensor *out, cts_err *err) {
    if (dense(out)) return 0;
    for (int d = 0; d < out->ndim; d++)
        if (out->strides[d] == 0 && out->sizes[d] > 1)
            return cts_err_set(err, "unsupported operation: more than one element of the written-to tensor refers to "
                                    "a single memory location. Please clone() the tensor before performing the "
                                    "operation.");
    return 0;
}

enum { LAP_NO, LAP_FULL, LAP_PARTIAL };

static int overlap(const ct_tensor *a, const ct_tensor *b) {
    if (a->storage != b->storage || ct_numel(a) == 0 || ct_numel(b) == 0) return LAP_NO;
    if (!dense(a) || !dense(b)) return LAP_NO; /* too hard: PyTorch does not check */
    int64_t ab = a->offset * ct_dtype_size(a->dtype), ae = ab + ct_numel(a) * ct_dtype_size(a->dtype);
    int64_t bb = b->offset * ct_dtype_size(b->dtype), be = bb + ct_numel(b) * ct_dtype_size(b->dtype);
    if (ab == bb && ae == be) {
        bool same = a->ndim == b->ndim;
        for (int d = 0; same && d < a->ndim; d++) same = a->strides[d] == b->strides[d];
        return same ? LAP_FULL : LAP_PARTIAL;
    }
    return ab < be && bb < ae ? LAP_PARTIAL : LAP_NO;
}

static int lap_error(cts_err *err) {
    return cts_err_set(err, "unsupported operation: some elements of the input tensor and the written-to tensor refer "
                            "to a single memory location. Please clone() the tensor before performing the operation.");
}

int ku_check_partial_overlap(const ct_tensor *out, const ct_tensor *in, cts_err *err) {
    return overlap(out, in) == LAP_PARTIAL ? lap_error(err) : 0;
}

int ku_check_no_overlap(const ct_tensor *out, const ct_tensor *in, cts_err *err) {
    return overlap(out, in) != LAP_NO ? lap_error(err) : 0;
}

/* ---- elementwise iteration ---- */

int ku_iter_init(ku_iter *it, ct_tensor *out, int nin, ct_tensor *const *in, cts_err *err) {
    if (nin < 0 || nin + 1 > KU_MAX_OPS) return cts_err_set(err, "elementwise iterator: %d inputs", nin);
    int nops = nin + 1, nd = out->ndim;
    int64_t st[KU_MAX_OPS][CT_MAX_DIMS];
    it->nops = nops;
    it->numel = ct_numel(out);
    for (int j = 0; j < nops; j++) {
        const ct_tensor *t = j ? in[j - 1] : out;
        int64_t esz = ct_dtype_size(t->dtype);
        it->data[j] = ct_data(t);
        if (t->ndim > nd) {
            char a[256], b[256];
            return cts_err_set(err, "operand of shape %s does not broadcast to %s",
                               ct_shape_str(t->ndim, t->sizes, a, sizeof a), ct_shape_str(nd, out->sizes, b, sizeof b));
        }
        for (int d = 0; d < nd; d++) {
            int td = d - (nd - t->ndim);
            if (td < 0) st[j][d] = 0;
            else if (t->sizes[td] == out->sizes[d]) st[j][d] = t->strides[td] * esz;
            else if (t->sizes[td] == 1) st[j][d] = 0;
            else {
                char a[256], b[256];
                return cts_err_set(err, "operand of shape %s does not broadcast to %s",
                                   ct_shape_str(t->ndim, t->sizes, a, sizeof a),
                                   ct_shape_str(nd, out->sizes, b, sizeof b));
            }
        }
    }
    /* coalesce, from the innermost dimension outwards, skipping size-1 dims */
    int64_t shp[CT_MAX_DIMS], cst[KU_MAX_OPS][CT_MAX_DIMS]; /* innermost first */
    int m = 0;
    for (int d = nd - 1; d >= 0; d--) {
        int64_t s = out->sizes[d];
        if (s == 1) continue;
        if (m > 0) {
            bool ok = true;
            for (int j = 0; j < nops && ok; j++) ok = st[j][d] == cst[j][m - 1] * shp[m - 1];
            if (ok) {
                shp[m - 1] *= s;
                continue;
            }
        }
        shp[m] = s;
        for (int j = 0; j < nops; j++) cst[j][m] = st[j][d];
        m++;
    }
    if (m == 0) {
        shp[0] = nd ? out->sizes[0] : 1; /* all dims 1 (or a scalar) */
        if (it->numel == 0) shp[0] = 0;
        for (int j = 0; j < nops; j++) cst[j][0] = 0;
        m = 1;
    }
    it->ndim = m;
    for (int d = 0; d < m; d++) {
        it->shape[d] = shp[m - 1 - d];
        for (int j = 0; j < nops; j++) it->strides[j][d] = cst[j][m - 1 - d];
    }
    return 0;
}

void ku_iter_run(const ku_iter *it, ku_loop_fn fn, const void *ctx) {
    if (it->numel == 0) return;
    int nd = it->ndim, nops = it->nops;
    int64_t inner = it->shape[nd - 1];
    int64_t istr[KU_MAX_OPS];
    char *p[KU_MAX_OPS];
    for (int j = 0; j < nops; j++) {
        istr[j] = it->strides[j][nd - 1];
        p[j] = it->data[j];
    }
    if (nd == 1) {
        fn(p, istr, inner, ctx);
        return;
    }
    int64_t idx[CT_MAX_DIMS] = {0};
    for (;;) {
        fn(p, istr, inner, ctx);
        int d = nd - 2;
        for (; d >= 0; d--) {
            for (int j = 0; j < nops; j++) p[j] += it->strides[j][d];
            if (++idx[d] < it->shape[d]) break;
            for (int j = 0; j < nops; j++) p[j] -= it->strides[j][d] * it->shape[d];
            idx[d] = 0;
        }
        if (d < 0) return;
    }
}

void ku_iter_run_range(const ku_iter *it, ku_loop_fn fn, const void *ctx, int64_t begin, int64_t end) {
    if (begin >= end) return;
    int nd = it->ndim, nops = it->nops;
    int64_t inner = it->shape[nd - 1];
    int64_t idx[CT_MAX_DIMS], istr[KU_MAX_OPS];
    char *row[KU_MAX_OPS], *p[KU_MAX_OPS];
    int64_t rem = begin / inner, col = begin % inner;
    for (int d = nd - 2; d >= 0; d--) {
        idx[d] = rem % it->shape[d];
        rem /= it->shape[d];
    }
    for (int j = 0; j < nops; j++) {
        istr[j] = it->strides[j][nd - 1];
        row[j] = it->data[j];
        for (int d = 0; d < nd - 1; d++) row[j] += idx[d] * it->strides[j][d];
    }
    int64_t left = end - begin;
    for (;;) {
        int64_t n = inner - col < left ? inner - col : left;
        for (int j = 0; j < nops; j++) p[j] = row[j] + col * istr[j];
        fn(p, istr, n, ctx);
        left -= n;
        if (left <= 0) return;
        col = 0;
        for (int d = nd - 2; d >= 0; d--) { /* next row */
            for (int j = 0; j < nops; j++) row[j] += it->strides[j][d];
            if (++idx[d] < it->shape[d]) break;
            for (int j = 0; j < nops; j++) row[j] -= it->strides[j][d] * it->shape[d];
            idx[d] = 0;
        }
    }
}

typedef struct par_job {
    const ku_iter *it;
    ku_loop_fn fn;
    const void *ctx;
    int64_t chunk;
} par_job;

static void par_task(void *vjob, int64_t task, int thread) {
    (void)thread;
    const par_job *j = vjob;
    int64_t b = task * j->chunk, e = b + j->chunk;
    if (e > j->it->numel) e = j->it->numel;
    ku_iter_run_range(j->it, j->fn, j->ctx, b, e);
}

void ku_iter_run_par(const ku_iter *it, ku_loop_fn fn, const void *ctx, cts_pool *pool, double flops_per_elem) {
    int nt = cts_pool_nthreads(pool);
    if (nt <= 1 || (double)it->numel * flops_per_elem < CTS_POOL_MIN_FLOPS) {
        ku_iter_run(it, fn, ctx);
        return;
    }
    /* a few tasks per thread, each a multiple of 64 elements (whole vectors) */
    int64_t ntasks = (int64_t)nt * 4;
    int64_t chunk = (it->numel + ntasks - 1) / ntasks;
    chunk = (chunk + 63) / 64 * 64;
    par_job job = {it, fn, ctx, chunk};
    cts_pool_parallel_for(pool, (it->numel + chunk - 1) / chunk, par_task, &job);
}

/* ---- linear layers inside fused kernels ---- */

int ku_mm_error(cts_err *err, int64_t m, int64_t kk, int64_t k2, int64_t n) {
    return cts_err_set(err, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)", (long long)m,
                       (long long)kk, (long long)k2, (long long)n);
}

int ku_check_linear(cts_err *err, const ct_tensor *w, const ct_tensor *b, int64_t m, int64_t kk, const char *what) {
    if (w->ndim > 2) return cts_err_set(err, "t() expects a tensor with <= 2 dimensions, but self is %dD", w->ndim);
    if (w->ndim < 2) return cts_err_set(err, "mat2 must be a matrix, got %d-D tensor", w->ndim);
    int64_t n = w->sizes[0];
    if (b) {
        char x[64], y[64];
        int64_t ts[2] = {m, n};
        if (b->ndim > 2 || (b->ndim >= 1 && b->sizes[b->ndim - 1] != n && b->sizes[b->ndim - 1] != 1) ||
            (b->ndim == 2 && b->sizes[0] != m && b->sizes[0] != 1))
            return cts_err_set(err,
                               "The expanded size of the tensor (%lld) must match the existing size (%lld) at "
                               "non-singleton dimension 1.  Target sizes: %s.  Tensor sizes: %s",
                               (long long)n, (long long)b->sizes[b->ndim - 1], ct_shape_str(2, ts, x, sizeof x),
                               ct_shape_str(b->ndim, b->sizes, y, sizeof y));
        if (b->ndim != 1)
            return cts_err_set(err, "cts: %s's bias must be 1-D, got %s", what,
                               ct_shape_str(b->ndim, b->sizes, x, sizeof x));
    }
    if (w->sizes[1] != kk) return ku_mm_error(err, m, kk, w->sizes[1], n);
    return 0;
}
