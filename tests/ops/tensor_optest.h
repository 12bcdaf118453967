/* tensor_optest.h - helpers for the kernel tests of the pointwise, reduce,
 * factory and shape families: kernel lookup by "name.overload" in those four
 * tables (registry.c is not linked), tensor construction, calls, checks.
 *
 *   ct_tensor *x = mk(CT_FLOAT32, S(2, 3), V(1, 2, 3, 4, 5, 6));
 *   ct_tensor *y = callt("aten::add.Tensor", 3, tv(x), tv(x), iv(1));
 *   CHECK_T(y, CT_FLOAT32, S(2, 3), V(2, 4, 6, 8, 10, 12));
 *   CHECK_STR(call_err("aten::add.Tensor", 3, tv(x), tv(z), iv(1)), "...");
 *
 * Everything the helpers create is kept in a list that RUN_OP(test) releases
 * after the test.  Test-only globals are fine: the harness is
 * single-threaded. */
#ifndef CTS_TESTS_TENSOR_OPTEST_H
#define CTS_TESTS_TENSOR_OPTEST_H

#include <stdarg.h>
#include <stdlib.h>

#include "ops/kutil.h"
#include "test.h"

extern const cts_op_def cts_ops_pointwise[], cts_ops_reduce[], cts_ops_factory[], cts_ops_shape[];
extern const int cts_ops_pointwise_count, cts_ops_reduce_count, cts_ops_factory_count, cts_ops_shape_count;

static cv_value ot_keep_[4096];
static int ot_nkeep_;
static cts_err ot_err_;

static inline cv_value keep(cv_value v) {
    if (ot_nkeep_ < (int)(sizeof ot_keep_ / sizeof ot_keep_[0])) ot_keep_[ot_nkeep_++] = v;
    else cv_release(v); /* never happens in these tests; avoid a leak if it does */
    return v;
}
static inline void ot_free_all(void) {
    while (ot_nkeep_ > 0) cv_release(ot_keep_[--ot_nkeep_]);
}
#define RUN_OP(t)      \
    do {               \
        RUN(t);        \
        ot_free_all(); \
    } while (0)

static inline cts_kernel_fn find_kernel(const char *key, const char **schema) {
    const cts_op_def *tabs[4] = {cts_ops_pointwise, cts_ops_reduce, cts_ops_factory, cts_ops_shape};
    const int counts[4] = {cts_ops_pointwise_count, cts_ops_reduce_count, cts_ops_factory_count,
                           cts_ops_shape_count};
    size_t kl = strlen(key);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < counts[i]; j++) {
            const char *s = tabs[i][j].schema;
            const char *p = strchr(s, '(');
            size_t l = p ? (size_t)(p - s) : strlen(s);
            if (l == kl && memcmp(s, key, kl) == 0) {
                if (schema) *schema = s;
                return tabs[i][j].fn;
            }
        }
    return NULL;
}

#define S(...) (const int64_t[]){__VA_ARGS__}, (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))
#define S0 NULL, 0
#define V(...) (const double[]){__VA_ARGS__}, (int)(sizeof((double[]){__VA_ARGS__}) / sizeof(double))
#define I(...) (const int64_t[]){__VA_ARGS__}, (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

/* A contiguous tensor with the given values (one value fills all). */
static inline ct_tensor *mk(ct_dtype dt, const int64_t *sizes, int nd, const double *vals, int nv) {
    cts_err e = {0};
    ct_tensor *t = ct_tensor_empty(dt, nd, sizes, &e);
    if (!t) {
        fprintf(stderr, "mk: %s\n", e.msg);
        exit(2);
    }
    keep(cv_tensor(t));
    int64_t n = ct_numel(t);
    if (nv != 1 && nv != n) {
        fprintf(stderr, "mk: %d values for %lld elements\n", nv, (long long)n);
        exit(2);
    }
    char *p = ct_data(t);
    for (int64_t i = 0; i < n; i++) ct_store_f64(p + i * ct_dtype_size(dt), dt, vals[nv == 1 ? 0 : i]);
    return t;
}
/* Integer values exactly (for int64 beyond 2^53). */
static inline ct_tensor *mki(ct_dtype dt, const int64_t *sizes, int nd, const int64_t *vals, int nv) {
    cts_err e = {0};
    ct_tensor *t = ct_tensor_empty(dt, nd, sizes, &e);
    if (!t) exit(2);
    keep(cv_tensor(t));
    int64_t n = ct_numel(t);
    char *p = ct_data(t);
    for (int64_t i = 0; i < n; i++) ct_store_i64(p + i * ct_dtype_size(dt), dt, vals[nv == 1 ? 0 : i]);
    return t;
}

static inline cv_value tv(ct_tensor *t) { return cv_tensor(t); }
static inline cv_value iv(int64_t i) { return cv_int(i); }
static inline cv_value fv(double f) { return cv_float(f); }
static inline cv_value bv(bool b) { return cv_bool(b); }
static inline cv_value nv(void) { return cv_none(); }
static inline cv_value dv(int type) { return cv_device(type, -1); }
static inline cv_value sv(const char *s) {
    cv_value v;
    cts_err e = {0};
    if (cv_str_from(s, &v, &e)) exit(2);
    return keep(v);
}
static inline cv_value lv(const int64_t *vals, int n) {
    cv_value l;
    cts_err e = {0};
    if (cv_list_new(T_INT, (size_t)n, &l, &e)) exit(2);
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, cv_int(vals[i]), &e);
    return keep(l);
}
#define LI(...) lv(I(__VA_ARGS__))
static inline cv_value lv_empty(void) { return lv(NULL, 0); }
/* A Tensor[] of n tensors (retained by the list). */
static inline cv_value ltv(int n, ...) {
    cv_value l;
    cts_err e = {0};
    if (cv_list_new(T_TENSOR, (size_t)n, &l, &e)) exit(2);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        ct_tensor *t = va_arg(ap, ct_tensor *);
        ct_tensor_retain(t);
        cv_list_push(l.u.l, cv_tensor(t), &e);
    }
    va_end(ap);
    return keep(l);
}

/* Calls a kernel; returns 0 and fills outs (kept for release) or -1 with
 * the message in ot_err_. */
static inline int callv(const char *key, cv_value *outs, int nouts, int n, va_list ap) {
    cv_value args[32];
    for (int i = 0; i < n && i < 32; i++) args[i] = va_arg(ap, cv_value);
    cts_kernel_fn fn = find_kernel(key, NULL);
    cts_err_clear(&ot_err_);
    if (!fn) {
        cts_err_set(&ot_err_, "no kernel for %s", key);
        fprintf(stderr, "no kernel for %s\n", key);
        return -1;
    }
    cts_kctx k = {&ot_err_, NULL, NULL};
    for (int i = 0; i < nouts; i++) outs[i] = cv_none();
    int rc = fn(&k, args, n, outs);
    if (rc == 0)
        for (int i = 0; i < nouts; i++) keep(outs[i]);
    else if (!ot_err_.set)
        cts_err_set(&ot_err_, "kernel failed without a message");
    return rc;
}

static inline cv_value call(const char *key, int n, ...) {
    cv_value out;
    va_list ap;
    va_start(ap, n);
    int rc = callv(key, &out, 1, n, ap);
    va_end(ap);
    if (rc) {
        fprintf(stderr, "  call %s failed: %s\n", key, ot_err_.msg);
        return cv_uninit();
    }
    return out;
}

static inline ct_tensor *callt(const char *key, int n, ...) {
    cv_value out;
    va_list ap;
    va_start(ap, n);
    int rc = callv(key, &out, 1, n, ap);
    va_end(ap);
    if (rc) {
        fprintf(stderr, "  call %s failed: %s\n", key, ot_err_.msg);
        return NULL;
    }
    if (out.tag != CV_TENSOR) {
        fprintf(stderr, "  call %s returned %s\n", key, cv_tag_name(out.tag));
        return NULL;
    }
    return out.u.t;
}

/* Two results (max.dim etc). */
static inline int call2(const char *key, ct_tensor **a, ct_tensor **b, int n, ...) {
    cv_value out[2];
    va_list ap;
    va_start(ap, n);
    int rc = callv(key, out, 2, n, ap);
    va_end(ap);
    if (rc) {
        fprintf(stderr, "  call %s failed: %s\n", key, ot_err_.msg);
        return -1;
    }
    *a = out[0].u.t;
    *b = out[1].u.t;
    return 0;
}

/* Expects failure; returns the message ("(succeeded)" otherwise). */
static inline const char *call_err(const char *key, int n, ...) {
    cv_value out[2];
    va_list ap;
    va_start(ap, n);
    int rc = callv(key, out, 2, n, ap);
    va_end(ap);
    return rc ? ot_err_.msg : "(succeeded)";
}

/* Element at a row-major flat index of any strided tensor. */
static inline int64_t flat_off(const ct_tensor *t, int64_t flat) {
    int64_t off = 0, rem = flat;
    for (int d = t->ndim - 1; d >= 0; d--) {
        int64_t i = rem % t->sizes[d];
        rem /= t->sizes[d];
        off += i * t->strides[d];
    }
    return off;
}
static inline double at(const ct_tensor *t, int64_t flat) {
    return ct_load_f64((const char *)ct_data(t) + flat_off(t, flat) * ct_dtype_size(t->dtype), t->dtype);
}
static inline int64_t ati(const ct_tensor *t, int64_t flat) {
    return ct_load_i64((const char *)ct_data(t) + flat_off(t, flat) * ct_dtype_size(t->dtype), t->dtype);
}

/* Checks dtype, shape and values (NaN matches NaN; tol relative+absolute). */
static inline int check_t_(const char *file, int line, const ct_tensor *t, ct_dtype dt, const int64_t *sizes, int nd,
                           const double *vals, int nvals, double tol) {
    char a[128], b[128];
    if (!t) {
        fprintf(stderr, "%s:%d: no tensor\n", file, line);
        return 0;
    }
    if (t->dtype != dt) {
        fprintf(stderr, "%s:%d: dtype %s, want %s\n", file, line, ct_dtype_name(t->dtype), ct_dtype_name(dt));
        return 0;
    }
    if (!ku_same_shape(t->ndim, t->sizes, nd, sizes)) {
        fprintf(stderr, "%s:%d: shape %s, want %s\n", file, line, ct_shape_str(t->ndim, t->sizes, a, sizeof a),
                ct_shape_str(nd, sizes, b, sizeof b));
        return 0;
    }
    int64_t n = ct_numel(t);
    if (nvals != 1 && nvals != n) {
        fprintf(stderr, "%s:%d: %d expected values for %lld elements\n", file, line, nvals, (long long)n);
        return 0;
    }
    for (int64_t i = 0; i < n; i++) {
        double got = at(t, i), want = vals[nvals == 1 ? 0 : i];
        bool ok = (isnan(got) && isnan(want)) || got == want ||
                  (tol > 0 && fabs(got - want) <= tol * (1 + fabs(want)));
        if (!ok) {
            fprintf(stderr, "%s:%d: element %lld is %.9g, want %.9g\n", file, line, (long long)i, got, want);
            return 0;
        }
    }
    return 1;
}
#define CHECK_T(t, dt, ...) CHECK(check_t_(__FILE__, __LINE__, (t), (dt), __VA_ARGS__, 0))
#define CHECK_TN(t, dt, tol, ...) CHECK(check_t_(__FILE__, __LINE__, (t), (dt), __VA_ARGS__, (tol)))

#endif
