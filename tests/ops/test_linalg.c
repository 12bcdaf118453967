/* test_linalg.c - aten::matmul's rank cases, mm/addmm/bmm/baddbmm/mv/dot/
 * linear/t against a double-precision reference, over strided views and
 * dtypes; error messages as PyTorch 1.13 prints them. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/pool.h"
#include "ops/op.h"
#include "test.h"

extern const cts_op_def cts_ops_linalg[];
extern const int cts_ops_linalg_count;

static cts_kernel_fn kernel(const char *key) {
    size_t kl = strlen(key);
    for (int i = 0; i < cts_ops_linalg_count; i++) {
        const char *s = cts_ops_linalg[i].schema;
        if (!strncmp(s, key, kl) && s[kl] == '(') return cts_ops_linalg[i].fn;
    }
    fprintf(stderr, "no kernel %s\n", key);
    abort();
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double urand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* New tensor of dtype dt with random values (small integers for integer
 * dtypes, exactly representable in bfloat16 for bfloat16). */
static ct_tensor *trand(ct_dtype dt, int nd, ...) {
    int64_t s[CT_MAX_DIMS];
    va_list ap;
    va_start(ap, nd);
    for (int i = 0; i < nd; i++) s[i] = va_arg(ap, int64_t);
    va_end(ap);
    cts_err err = {0};
    ct_tensor *t = ct_tensor_empty(dt, nd, s, &err);
    int64_t n = ct_numel(t);
    int esz = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        char *e = (char *)ct_data(t) + i * esz;
        if (ct_dtype_is_float(dt)) ct_store_f64(e, dt, dt == CT_BFLOAT16 ? (double)((int)(urand() * 16) - 8) / 4 : urand() * 2 - 1);
        else ct_store_i64(e, dt, (int64_t)(urand() * 7) - 3);
    }
    return t;
}

static cts_err g_err;

/* Calls key with args; returns the result tensor (owned) or NULL. */
static ct_tensor *call(const char *key, int nargs, cv_value *args) {
    cts_kctx k = {&g_err, NULL, NULL};
    cts_err_clear(&g_err);
    cv_value out = cv_none();
    if (kernel(key)(&k, args, nargs, &out)) return NULL;
    return out.u.t;
}

static ct_tensor *call_pool(const char *key, int nargs, cv_value *args, cts_pool *pool) {
    cts_kctx k = {&g_err, pool, NULL};
    cts_err_clear(&g_err);
    cv_value out = cv_none();
    if (kernel(key)(&k, args, nargs, &out)) return NULL;
    return out.u.t;
}

static ct_tensor *call2(const char *key, ct_tensor *a, ct_tensor *b) {
    cv_value args[2] = {cv_tensor(a), cv_tensor(b)};
    return call(key, 2, args);
}

static double at(const ct_tensor *t, const int64_t *idx) {
    int64_t off = 0;
    for (int i = 0; i < t->ndim; i++) off += idx[i] * t->strides[i];
    return ct_load_f64((const char *)ct_data(t) + off * ct_dtype_size(t->dtype), t->dtype);
}

/* numpy-style matmul of a and b in double into *shape/values (malloc'd). */
static double *ref_matmul(const ct_tensor *a, const ct_tensor *b, int *ondim, int64_t *oshape) {
    int da = a->ndim, db = b->ndim;
    int64_t n = da > 1 ? a->sizes[da - 2] : 1, kk = a->sizes[da - 1], p = db > 1 ? b->sizes[db - 1] : 1;
    int ba = da > 2 ? da - 2 : 0, bb = db > 2 ? db - 2 : 0, nb = ba > bb ? ba : bb;
    int64_t bs[CT_MAX_DIMS];
    int64_t total = 1;
    for (int i = 0; i < nb; i++) {
        int ia = i - (nb - ba), ib = i - (nb - bb);
        int64_t sa = ia >= 0 ? a->sizes[ia] : 1, sb = ib >= 0 ? b->sizes[ib] : 1;
        bs[i] = sa > sb ? sa : sb;
        total *= bs[i];
    }
    int on = 0;
    for (int i = 0; i < nb; i++) oshape[on++] = bs[i];
    if (da > 1) oshape[on++] = n;
    if (db > 1) oshape[on++] = p;
    *ondim = on;
    double *r = calloc((size_t)(total * n * p + 1), sizeof(double));
    for (int64_t t = 0; t < total; t++) {
        int64_t bi[CT_MAX_DIMS], rem = t;
        for (int i = nb - 1; i >= 0; i--) {
            bi[i] = rem % bs[i];
            rem /= bs[i];
        }
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < p; j++) {
                double s = 0;
                for (int64_t q = 0; q < kk; q++) {
                    int64_t ia[CT_MAX_DIMS], ib[CT_MAX_DIMS];
                    for (int d = 0; d < ba; d++) ia[d] = a->sizes[d] == 1 ? 0 : bi[d + nb - ba];
                    for (int d = 0; d < bb; d++) ib[d] = b->sizes[d] == 1 ? 0 : bi[d + nb - bb];
                    if (da > 1) {
                        ia[da - 2] = i;
                        ia[da - 1] = q;
                    } else {
                        ia[0] = q;
                    }
                    if (db > 1) {
                        ib[db - 2] = q;
                        ib[db - 1] = j;
                    } else {
                        ib[0] = q;
                    }
                    s += at(a, ia) * at(b, ib);
                }
                r[(t * n + i) * p + j] = s;
            }
    }
    return r;
}

/* Compares t (any layout) with the row-major values ref of shape. */
static int same(const ct_tensor *t, int nd, const int64_t *shape, const double *ref, double tol) {
    if (!t) {
        fprintf(stderr, "  no result: %s\n", g_err.msg);
        return 0;
    }
    if (t->ndim != nd) {
        fprintf(stderr, "  ndim %d, want %d\n", t->ndim, nd);
        return 0;
    }
    for (int i = 0; i < nd; i++)
        if (t->sizes[i] != shape[i]) {
            char a[128], b[128];
            fprintf(stderr, "  shape %s, want %s\n", ct_shape_str(t->ndim, t->sizes, a, sizeof a),
                    ct_shape_str(nd, shape, b, sizeof b));
            return 0;
        }
    int64_t n = ct_numel(t);
    int64_t idx[CT_MAX_DIMS] = {0};
    for (int64_t e = 0; e < n; e++) {
        double g = at(t, idx), want = ref[e];
        if (!ct_dtype_is_float(t->dtype)) { /* integer products wrap around */
            int64_t wrapped[1];
            ct_store_i64(wrapped, t->dtype, (int64_t)want);
            want = (double)ct_load_i64(wrapped, t->dtype);
        }
        if (!(fabs(g - want) <= tol * (1 + fabs(want)))) {
            fprintf(stderr, "  element %lld: %.9g, want %.9g\n", (long long)e, g, want);
            return 0;
        }
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < t->sizes[d]) break;
            idx[d] = 0;
        }
    }
    return 1;
}

static int check_matmul(ct_tensor *a, ct_tensor *b, double tol) {
    int nd;
    int64_t shape[CT_MAX_DIMS];
    double *ref = ref_matmul(a, b, &nd, shape);
    ct_tensor *r = call2("aten::matmul", a, b);
    int ok = same(r, nd, shape, ref, tol);
    if (r && r->dtype != a->dtype) ok = 0;
    ct_tensor_release(r);
    free(ref);
    return ok;
}

#define F32 CT_FLOAT32

TEST(test_matmul_rank_cases) {
    /* {shape a}, {shape b} */
    static const int64_t cases[][2][5] = {
        /* ndim, sizes... */
        {{1, 5}, {1, 5}},             /* dot */
        {{2, 3, 5}, {1, 5}},          /* mv */
        {{1, 5}, {2, 5, 4}},          /* 1-D . 2-D */
        {{2, 3, 5}, {2, 5, 4}},       /* mm */
        {{3, 2, 3, 5}, {2, 5, 4}},    /* fold a */
        {{3, 2, 3, 5}, {1, 5}},       /* fold a, vector */
        {{2, 3, 5}, {3, 2, 5, 4}},    /* fold b transposed */
        {{1, 5}, {3, 2, 5, 4}},       /* fold b, vector lhs */
        {{3, 2, 3, 5}, {3, 2, 5, 4}}, /* bmm */
        {{4, 2, 1, 3, 5}, {3, 3, 5, 4}}, /* broadcast batch */
        {{3, 1, 3, 5}, {4, 2, 1, 5, 4}}, /* broadcast both */
        {{3, 2, 0, 5}, {2, 5, 4}},    /* empty rows */
        {{2, 3, 0}, {2, 0, 4}},       /* K = 0 */
        {{3, 4, 17, 33}, {2, 33, 21}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const int64_t *sa = cases[c][0], *sb = cases[c][1];
        cts_err err = {0};
        ct_tensor *a = ct_tensor_empty(F32, (int)sa[0], sa + 1, &err), *b = ct_tensor_empty(F32, (int)sb[0], sb + 1, &err);
        for (int64_t i = 0; i < ct_numel(a); i++) ((float *)ct_data(a))[i] = (float)(urand() * 2 - 1);
        for (int64_t i = 0; i < ct_numel(b); i++) ((float *)ct_data(b))[i] = (float)(urand() * 2 - 1);
        if (!check_matmul(a, b, 1e-5)) {
            fprintf(stderr, "  case %zu\n", c);
            CHECK(0);
        }
        ct_tensor_release(a);
        ct_tensor_release(b);
    }
}

TEST(test_matmul_strided_views_and_dtypes) {
    cts_err err = {0};
    static const ct_dtype dts[] = {CT_FLOAT32, CT_FLOAT64, CT_INT64, CT_INT32, CT_INT8, CT_UINT8, CT_INT16, CT_BFLOAT16};
    for (size_t d = 0; d < sizeof dts / sizeof *dts; d++) {
        ct_dtype dt = dts[d];
        double tol = dt == CT_FLOAT32 ? 1e-5 : dt == CT_BFLOAT16 ? 1e-2 : 1e-12;
        /* transposed operands */
        ct_tensor *a = trand(dt, 2, (int64_t)7, (int64_t)5), *b = trand(dt, 2, (int64_t)6, (int64_t)7);
        ct_tensor *at_ = ct_transpose(a, 0, 1, &err), *bt = ct_transpose(b, 0, 1, &err);
        CHECK(check_matmul(at_, bt, tol)); /* [5,7] . [7,6] */
        /* permuted 3-D lhs (not folded) */
        ct_tensor *c3 = trand(dt, 3, (int64_t)2, (int64_t)5, (int64_t)4);
        ct_tensor *c3p = ct_transpose(c3, 1, 2, &err); /* [2,4,5] */
        ct_tensor *m = trand(dt, 2, (int64_t)5, (int64_t)3);
        CHECK(check_matmul(c3p, m, tol));
        /* sliced (strided in both dims) and expanded */
        ct_tensor *big = trand(dt, 2, (int64_t)9, (int64_t)12);
        ct_tensor *sl = ct_slice(big, 1, 1, 12, 2, &err); /* [9,6] stride 2 */
        ct_tensor *sl2 = ct_slice(sl, 0, 0, 9, 3, &err); /* [3,6] */
        ct_tensor *v = trand(dt, 1, (int64_t)6);
        int64_t es[2] = {6, 4};
        ct_tensor *vx = ct_unsqueeze(v, 1, &err);
        ct_tensor *ex = ct_expand(vx, 2, es, &err); /* [6,4], stride (1,0) */
        CHECK(check_matmul(sl2, ex, tol));
        CHECK(check_matmul(sl2, v, tol));
        CHECK(check_matmul(v, ex, tol));
        ct_tensor *b3 = trand(dt, 3, (int64_t)3, (int64_t)6, (int64_t)2);
        CHECK(check_matmul(sl2, b3, tol));
        ct_tensor *v2 = trand(dt, 1, (int64_t)2);
        CHECK(check_matmul(b3, v2, tol));
        ct_tensor *objs[] = {a, b, at_, bt, c3, c3p, m, big, sl, sl2, v, vx, ex, b3, v2};
        for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) ct_tensor_release(objs[i]);
    }
}

TEST(test_matmul_with_pool_large) {
    cts_err err = {0};
    cts_pool *pool = cts_pool_new(2, &err);
    ct_tensor *a = trand(F32, 3, (int64_t)3, (int64_t)70, (int64_t)130), *b = trand(F32, 2, (int64_t)130, (int64_t)90);
    cv_value args[2] = {cv_tensor(a), cv_tensor(b)};
    ct_tensor *r = call_pool("aten::matmul", 2, args, pool);
    int nd;
    int64_t shape[CT_MAX_DIMS];
    double *ref = ref_matmul(a, b, &nd, shape);
    CHECK(same(r, nd, shape, ref, 1e-5));
    free(ref);
    ct_tensor_release(r);
    ct_tensor_release(a);
    ct_tensor_release(b);
    cts_pool_free(pool);
}

static ct_tensor *linear(ct_tensor *x, ct_tensor *w, ct_tensor *b) {
    cv_value args[3] = {cv_tensor(x), cv_tensor(w), b ? cv_tensor(b) : cv_none()};
    return call("aten::linear", 3, args);
}

/* reference: x . w^T + b (b broadcast) for float32 */
static int check_linear(ct_tensor *x, ct_tensor *w, ct_tensor *b) {
    cts_err err = {0};
    ct_tensor *wt = w->ndim == 2 ? ct_transpose(w, 0, 1, &err) : ct_alias(w, &err);
    int nd;
    int64_t shape[CT_MAX_DIMS];
    double *ref = ref_matmul(x, wt, &nd, shape);
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= shape[i];
    if (b) {
        ct_tensor *be = ct_expand(b, nd, shape, &err);
        int64_t idx[CT_MAX_DIMS] = {0};
        for (int64_t e = 0; e < n; e++) {
            ref[e] += at(be, idx);
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        ct_tensor_release(be);
    }
    ct_tensor *r = linear(x, w, b);
    int ok = same(r, nd, shape, ref, 1e-5);
    ct_tensor_release(r);
    ct_tensor_release(wt);
    free(ref);
    return ok;
}

TEST(test_linear_paths) {
    cts_err err = {0};
    ct_tensor *w = trand(F32, 2, (int64_t)6, (int64_t)5), *b = trand(F32, 1, (int64_t)6);
    ct_tensor *x1 = trand(F32, 1, (int64_t)5), *x2 = trand(F32, 2, (int64_t)4, (int64_t)5);
    ct_tensor *x3 = trand(F32, 3, (int64_t)2, (int64_t)3, (int64_t)5), *x4 = trand(F32, 4, (int64_t)2, (int64_t)2, (int64_t)3, (int64_t)5);
    ct_tensor *x3raw = trand(F32, 3, (int64_t)2, (int64_t)5, (int64_t)3);
    ct_tensor *x3t = ct_transpose(x3raw, 1, 2, &err); /* non-contiguous 3-D */
    ct_tensor *b2 = trand(F32, 2, (int64_t)3, (int64_t)1), *b0 = trand(F32, 0);
    ct_tensor *bd = trand(CT_FLOAT64, 1, (int64_t)6);
    ct_tensor *xs[] = {x1, x2, x3, x4, x3t};
    for (int i = 0; i < 5; i++) {
        CHECK(check_linear(xs[i], w, NULL));
        CHECK(check_linear(xs[i], w, b));
        CHECK(check_linear(xs[i], w, b0));
    }
    CHECK(check_linear(x3t, w, b2)); /* matmul + add_ with a broadcast bias */
    CHECK(check_linear(x4, w, bd));  /* float output + double bias through add_ */
    ct_tensor *w1 = trand(F32, 1, (int64_t)5);
    CHECK(check_linear(x1, w1, NULL));
    ct_tensor *objs[] = {w, b, x1, x2, x3, x4, x3raw, x3t, b2, b0, bd, w1};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) ct_tensor_release(objs[i]);
}

TEST(test_addmm_baddbmm_scalars) {
    ct_tensor *s = trand(F32, 1, (int64_t)4), *a = trand(F32, 2, (int64_t)3, (int64_t)5), *b = trand(F32, 2, (int64_t)5, (int64_t)4);
    double beta[] = {1.0, 0.5, 0.0}, alpha[] = {1.0, 2.0, -1.0};
    for (int i = 0; i < 3; i++) {
        cv_value args[5] = {cv_tensor(s), cv_tensor(a), cv_tensor(b), cv_float(beta[i]), cv_float(alpha[i])};
        ct_tensor *r = call("aten::addmm", 5, args);
        int nd;
        int64_t shape[CT_MAX_DIMS];
        double *ref = ref_matmul(a, b, &nd, shape);
        for (int64_t e = 0; e < 12; e++) ref[e] = alpha[i] * ref[e] + beta[i] * ((float *)ct_data(s))[e % 4];
        CHECK(same(r, nd, shape, ref, 1e-5));
        free(ref);
        ct_tensor_release(r);
    }
    /* beta = 0 ignores NaN in self */
    ((float *)ct_data(s))[1] = NAN;
    cv_value args0[5] = {cv_tensor(s), cv_tensor(a), cv_tensor(b), cv_int(0), cv_int(1)};
    ct_tensor *r0 = call("aten::addmm", 5, args0);
    CHECK(r0 && !isnan(((float *)ct_data(r0))[1]));
    ct_tensor_release(r0);
    /* integer addmm: beta 0.5 truncates to 0 */
    ct_tensor *si = trand(CT_INT64, 2, (int64_t)3, (int64_t)4), *ai = trand(CT_INT64, 2, (int64_t)3, (int64_t)5),
              *bi = trand(CT_INT64, 2, (int64_t)5, (int64_t)4);
    cv_value argsi[5] = {cv_tensor(si), cv_tensor(ai), cv_tensor(bi), cv_float(0.5), cv_float(2.7)};
    ct_tensor *ri = call("aten::addmm", 5, argsi);
    int nd;
    int64_t shape[CT_MAX_DIMS];
    double *ref = ref_matmul(ai, bi, &nd, shape);
    for (int e = 0; e < 12; e++) ref[e] *= 2;
    CHECK(same(ri, nd, shape, ref, 0));
    free(ref);
    ct_tensor_release(ri);
    /* baddbmm with a broadcast self */
    ct_tensor *b1 = trand(F32, 3, (int64_t)2, (int64_t)3, (int64_t)5), *b2 = trand(F32, 3, (int64_t)2, (int64_t)5, (int64_t)4);
    cv_value argsb[5] = {cv_tensor(s), cv_tensor(b1), cv_tensor(b2), cv_float(0.5), cv_int(2)};
    ((float *)ct_data(s))[1] = 1.0f;
    ct_tensor *rb = call("aten::baddbmm", 5, argsb);
    ref = ref_matmul(b1, b2, &nd, shape);
    for (int e = 0; e < 24; e++) ref[e] = 2 * ref[e] + 0.5 * ((float *)ct_data(s))[e % 4];
    CHECK(same(rb, nd, shape, ref, 1e-5));
    free(ref);
    ct_tensor_release(rb);
    ct_tensor *objs[] = {s, a, b, si, ai, bi, b1, b2};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) ct_tensor_release(objs[i]);
}

TEST(test_bmm_mv_dot_t) {
    cts_err err = {0};
    ct_tensor *b1 = trand(F32, 3, (int64_t)4, (int64_t)3, (int64_t)5), *b2 = trand(F32, 3, (int64_t)4, (int64_t)5, (int64_t)6);
    ct_tensor *r = call2("aten::bmm", b1, b2);
    int nd;
    int64_t shape[CT_MAX_DIMS];
    double *ref = ref_matmul(b1, b2, &nd, shape);
    CHECK(same(r, nd, shape, ref, 1e-5));
    free(ref);
    ct_tensor_release(r);
    ct_tensor *m = trand(CT_FLOAT64, 2, (int64_t)4, (int64_t)3), *v = trand(CT_FLOAT64, 1, (int64_t)3);
    r = call2("aten::mv", m, v);
    ref = ref_matmul(m, v, &nd, shape);
    CHECK(same(r, nd, shape, ref, 1e-12));
    free(ref);
    ct_tensor_release(r);
    r = call2("aten::dot", v, v);
    CHECK(r && r->ndim == 0);
    ref = ref_matmul(v, v, &nd, shape);
    CHECK(same(r, 0, shape, ref, 1e-12));
    free(ref);
    ct_tensor_release(r);
    cv_value a1[1] = {cv_tensor(m)};
    r = call("aten::t", 1, a1);
    CHECK(r && r->sizes[0] == 3 && r->sizes[1] == 4 && r->strides[0] == 1 && r->strides[1] == 3);
    ct_tensor_release(r);
    cv_value a2[1] = {cv_tensor(v)};
    r = call("aten::t", 1, a2);
    CHECK(r && r->ndim == 1);
    ct_tensor_release(r);
    (void)err;
    ct_tensor *objs[] = {b1, b2, m, v};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) ct_tensor_release(objs[i]);
}

/* Error messages, each copied from PyTorch 1.13.1. */
static const char *err2(const char *key, ct_tensor *a, ct_tensor *b) {
    ct_tensor *r = call2(key, a, b);
    ct_tensor_release(a);
    ct_tensor_release(b);
    if (r) {
        ct_tensor_release(r);
        return "(no error)";
    }
    return g_err.msg;
}

#define R(...) trand(F32, __VA_ARGS__)
#define RD(...) trand(CT_FLOAT64, __VA_ARGS__)
#define I(x) ((int64_t)(x))

TEST(test_linalg_error_messages) {
    CHECK_STR(err2("aten::mm", R(2, I(3), I(4)), R(2, I(5), I(6))),
              "mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)");
    CHECK_STR(err2("aten::mm", R(2, I(3), I(4)), RD(2, I(4), I(6))), "expected scalar type Float but found Double");
    CHECK_STR(err2("aten::mm", R(1, I(3)), R(2, I(3), I(4))), "self must be a matrix");
    CHECK_STR(err2("aten::mm", R(2, I(3), I(4)), R(1, I(4))), "mat2 must be a matrix");
    CHECK_STR(err2("aten::mm", trand(CT_FLOAT16, 2, I(2), I(3)), trand(CT_FLOAT16, 2, I(3), I(4))),
              "\"addmm_impl_cpu_\" not implemented for 'Half'");
    CHECK_STR(err2("aten::matmul", R(1, I(3)), R(1, I(4))),
              "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but "
              "got 3 and 4 elements respectively");
    CHECK_STR(err2("aten::matmul", R(2, I(2), I(3)), R(1, I(4))), "size mismatch, got 2, 2x3,4");
    CHECK_STR(err2("aten::matmul", R(1, I(3)), R(2, I(4), I(5))),
              "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
    CHECK_STR(err2("aten::matmul", R(3, I(2), I(2), I(3)), R(2, I(4), I(5))),
              "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)");
    CHECK_STR(err2("aten::matmul", R(2, I(2), I(3)), R(3, I(2), I(4), I(5))),
              "mat1 and mat2 shapes cannot be multiplied (10x4 and 3x2)");
    CHECK_STR(err2("aten::matmul", R(3, I(2), I(2), I(3)), R(3, I(4), I(3), I(5))),
              "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0");
    CHECK_STR(err2("aten::matmul", R(3, I(2), I(2), I(3)), R(1, I(4))), "size mismatch, got 4, 4x3,4");
    CHECK_STR(err2("aten::matmul", R(1, I(3)), R(3, I(2), I(4), I(5))), "size mismatch, got 10, 10x4,3");
    CHECK_STR(err2("aten::matmul", R(0), R(1, I(3))),
              "both arguments to matmul need to be at least 1D, but they are 0D and 1D");
    CHECK_STR(err2("aten::matmul", R(1, I(3)), RD(1, I(3))),
              "dot : expected both vectors to have same dtype, but found Float and Double");
    CHECK_STR(err2("aten::matmul", R(2, I(2), I(3)), RD(1, I(3))), "expected scalar type Float but found Double");
    CHECK_STR(err2("aten::matmul", R(1, I(3)), RD(3, I(2), I(3), I(5))), "expected scalar type Double but found Float");
    CHECK_STR(err2("aten::matmul", R(2, I(4), I(3)), RD(3, I(2), I(3), I(5))),
              "expected scalar type Double but found Float");
    CHECK_STR(err2("aten::matmul", R(3, I(2), I(2), I(3)), R(3, I(2), I(4), I(5))),
              "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].");
    {
        cts_err e = {0};
        ct_tensor *x = R(3, I(2), I(3), I(2));
        ct_tensor *xp = ct_transpose(x, 1, 2, &e); /* [2,2,3], strides (6,1,2): not folded */
        ct_tensor_release(x);
        CHECK_STR(err2("aten::matmul", xp, R(2, I(4), I(5))),
                  "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].");
    }
    CHECK_STR(err2("aten::matmul", trand(CT_FLOAT16, 2, I(4), I(3)), trand(CT_FLOAT16, 3, I(2), I(3), I(5))),
              "\"addmm_impl_cpu_\" not implemented for 'Half'");
    CHECK_STR(err2("aten::matmul", trand(CT_FLOAT16, 3, I(2), I(4), I(3)), trand(CT_FLOAT16, 3, I(2), I(3), I(5))),
              "\"bmm\" not implemented for 'Half'");
    CHECK_STR(err2("aten::bmm", R(2, I(2), I(3)), R(3, I(2), I(3), I(4))), "batch1 must be a 3D tensor");
    CHECK_STR(err2("aten::bmm", R(3, I(2), I(2), I(3)), R(2, I(2), I(3))), "batch2 must be a 3D tensor");
    CHECK_STR(err2("aten::bmm", R(3, I(2), I(2), I(3)), R(3, I(3), I(3), I(4))),
              "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
    CHECK_STR(err2("aten::bmm", RD(3, I(2), I(2), I(3)), R(3, I(2), I(3), I(4))),
              "expected scalar type Double but found Float");
    CHECK_STR(err2("aten::bmm", trand(CT_BOOL, 3, I(2), I(2), I(3)), trand(CT_BOOL, 3, I(2), I(3), I(4))),
              "\"bmm\" not implemented for 'Bool'");
    CHECK_STR(err2("aten::dot", R(2, I(3), I(1)), R(1, I(3))), "1D tensors expected, but got 2D and 1D tensors");
    CHECK_STR(err2("aten::mv", R(2, I(3), I(2)), R(1, I(3))), "size mismatch, got 3, 3x2,3");
    CHECK_STR(err2("aten::mv", R(2, I(2), I(3)), R(2, I(3), I(1))), "vector + matrix @ vector expected, got 1, 2, 2");
    CHECK_STR(err2("aten::mv", RD(2, I(2), I(3)), R(1, I(3))), "expected scalar type Double but found Float");
}

static const char *errv(const char *key, int n, cv_value *args) {
    ct_tensor *r = call(key, n, args);
    for (int i = 0; i < n; i++)
        if (args[i].tag == CV_TENSOR) ct_tensor_release(args[i].u.t);
    if (r) {
        ct_tensor_release(r);
        return "(no error)";
    }
    return g_err.msg;
}

#define T(x) cv_tensor(x)

TEST(test_linear_addmm_error_messages) {
    cv_value a[5];
#define LIN(x, w, b) (a[0] = T(x), a[1] = T(w), a[2] = (b), errv("aten::linear", 3, a))
    CHECK_STR(LIN(R(2, I(2), I(3)), R(2, I(4), I(5)), cv_none()),
              "mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)");
    CHECK_STR(LIN(R(2, I(2), I(3)), R(2, I(4), I(3)), T(R(1, I(5)))),
              "The expanded size of the tensor (4) must match the existing size (5) at non-singleton dimension 1.  "
              "Target sizes: [2, 4].  Tensor sizes: [5]");
    CHECK_STR(LIN(R(2, I(2), I(3)), R(2, I(4), I(3)), T(R(2, I(3), I(4)))),
              "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  "
              "Target sizes: [2, 4].  Tensor sizes: [3, 4]");
    CHECK_STR(LIN(R(2, I(2), I(3)), RD(2, I(4), I(3)), cv_none()), "expected scalar type Float but found Double");
    CHECK_STR(LIN(R(2, I(2), I(3)), R(2, I(4), I(3)), T(RD(1, I(4)))), "self and mat2 must have the same dtype");
    CHECK_STR(LIN(R(3, I(5), I(2), I(3)), R(2, I(4), I(3)), T(RD(1, I(4)))), "self and mat2 must have the same dtype");
    CHECK_STR(LIN(R(1, I(3)), R(2, I(4), I(3)), T(R(1, I(5)))),
              "The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 0");
    CHECK_STR(LIN(R(1, I(3)), R(2, I(4), I(3)), T(R(2, I(2), I(4)))),
              "output with shape [4] doesn't match the broadcast shape [2, 4]");
    CHECK_STR(LIN(trand(CT_INT64, 1, I(3)), trand(CT_INT64, 2, I(4), I(3)), T(R(1, I(4)))),
              "result type Float can't be cast to the desired output type Long");
    CHECK_STR(LIN(trand(CT_INT64, 1, I(3)), trand(CT_INT64, 2, I(4), I(3)), T(R(0))),
              "result type Float can't be cast to the desired output type Long");
    CHECK_STR(LIN(R(1, I(3)), R(3, I(4), I(3), I(1)), cv_none()),
              "t() expects a tensor with <= 2 dimensions, but self is 3D");
    CHECK_STR(LIN(R(3, I(2), I(2), I(3)), R(2, I(4), I(3)), T(R(3, I(2), I(2), I(4)))),
              "expand(torch.FloatTensor{[2, 2, 4]}, size=[4, 4]): the number of sizes provided (2) must be greater "
              "or equal to the number of dimensions in the tensor (3)");
    CHECK_STR(LIN(R(3, I(2), I(2), I(3)), R(2, I(4), I(5)), cv_none()),
              "mat1 and mat2 shapes cannot be multiplied (4x3 and 5x4)");
#undef LIN
#define ADDMM(s, x, y) (a[0] = T(s), a[1] = T(x), a[2] = T(y), a[3] = cv_int(1), a[4] = cv_int(1), errv("aten::addmm", 5, a))
    CHECK_STR(ADDMM(R(2, I(2), I(4)), RD(2, I(2), I(3)), R(2, I(3), I(4))), "mat1 and mat2 must have the same dtype");
    CHECK_STR(ADDMM(R(2, I(2), I(4)), R(2, I(2), I(3)), RD(2, I(3), I(4))), "self and mat2 must have the same dtype");
    CHECK_STR(ADDMM(R(2, I(2), I(4)), R(1, I(3)), R(2, I(3), I(4))), "mat1 must be a matrix, got 1-D tensor");
    CHECK_STR(ADDMM(R(2, I(2), I(4)), R(2, I(2), I(3)), R(1, I(3))), "mat2 must be a matrix, got 1-D tensor");
    CHECK_STR(ADDMM(R(2, I(5), I(4)), R(2, I(2), I(3)), R(2, I(3), I(4))),
              "The expanded size of the tensor (2) must match the existing size (5) at non-singleton dimension 0.  "
              "Target sizes: [2, 4].  Tensor sizes: [5, 4]");
#undef ADDMM
    a[0] = T(trand(CT_INT64, 2, I(2), I(4)));
    a[1] = T(trand(CT_INT64, 2, I(2), I(0)));
    a[2] = T(trand(CT_INT64, 2, I(0), I(4)));
    a[3] = cv_float(1.5);
    a[4] = cv_float(2.7);
    CHECK_STR(errv("aten::addmm", 5, a), "result type Float can't be cast to the desired output type Long");
#define BADD(s, x, y) (a[0] = T(s), a[1] = T(x), a[2] = T(y), a[3] = cv_int(1), a[4] = cv_int(1), errv("aten::baddbmm", 5, a))
    CHECK_STR(BADD(R(2, I(2), I(4)), R(2, I(2), I(3)), R(3, I(3), I(3), I(4))),
              "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  "
              "Target sizes: [2, 3, 4].  Tensor sizes: [2, 4]");
    CHECK_STR(BADD(R(2, I(2), I(4)), R(3, I(2), I(2), I(3)), R(3, I(3), I(3), I(4))),
              "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
    CHECK_STR(BADD(R(3, I(2), I(2), I(4)), RD(3, I(2), I(2), I(3)), R(3, I(2), I(3), I(4))),
              "expected scalar type Double but found Float");
#undef BADD
    a[0] = T(R(3, I(2), I(3), I(4)));
    CHECK_STR(errv("aten::t", 1, a), "t() expects a tensor with <= 2 dimensions, but self is 3D");
}

/* call2 that releases its operands */
static ct_tensor *call2_own(const char *key, ct_tensor *a, ct_tensor *b) {
    ct_tensor *r = call2(key, a, b);
    ct_tensor_release(a);
    ct_tensor_release(b);
    return r;
}

TEST(test_empty_products) {
    ct_tensor *r = call2_own("aten::mm", R(2, I(2), I(0)), RD(2, I(0), I(4))); /* K = 0 wins over the dtype check */
    CHECK(r && r->sizes[0] == 2 && r->sizes[1] == 4 && ((float *)ct_data(r))[7] == 0.0f);
    ct_tensor_release(r);
    r = call2_own("aten::matmul", R(3, I(3), I(5), I(0)), R(2, I(0), I(0)));
    CHECK(r && r->ndim == 3 && r->sizes[2] == 0);
    ct_tensor_release(r);
    r = call2_own("aten::matmul", R(1, I(0)), R(1, I(0)));
    CHECK(r && r->ndim == 0 && ((float *)ct_data(r))[0] == 0.0f);
    ct_tensor_release(r);
}

/* A 1-D tensor of dtype dt holding vals. */
static ct_tensor *vec_of(ct_dtype dt, int64_t n, const double *vals) {
    ct_tensor *t = ct_tensor_empty(dt, 1, &n, &g_err);
    for (int64_t i = 0; t && i < n; i++)
        ct_store_f64((char *)ct_data(t) + i * ct_dtype_size(dt), dt, vals[i]);
    return t;
}

/* Expected values from torch 1.13.1 (torch.outer). */
TEST(test_outer) {
    ct_tensor *a = vec_of(CT_INT64, 2, (const double[]){1, 2});
    ct_tensor *b = vec_of(CT_FLOAT32, 3, (const double[]){0.5, 1.5, -1});
    ct_tensor *r = call2("aten::outer", a, b);
    CHECK(r && r->dtype == CT_FLOAT32 && r->ndim == 2 && r->sizes[0] == 2 && r->sizes[1] == 3);
    static const double want[6] = {0.5, 1.5, -1.0, 1.0, 3.0, -2.0};
    for (int64_t i = 0; r && i < 2; i++)
        for (int64_t j = 0; j < 3; j++) CHECK(at(r, (const int64_t[]){i, j}) == want[i * 3 + j]);
    ct_tensor_release(r);
    ct_tensor *ba = vec_of(CT_BOOL, 2, (const double[]){1, 0}), *bb = vec_of(CT_BOOL, 2, (const double[]){1, 1});
    r = call2("aten::outer", ba, bb);
    CHECK(r && r->dtype == CT_BOOL && at(r, (const int64_t[]){0, 1}) == 1 && at(r, (const int64_t[]){1, 0}) == 0);
    ct_tensor_release(r);
    ct_tensor_release(ba);
    ct_tensor_release(bb);
    ct_tensor_release(a);
    ct_tensor_release(b);
    CHECK_STR(err2("aten::outer", R(2, I(2), I(2)), R(1, I(3))), "outer: Expected 1-D argument self, but got 2-D");
    CHECK_STR(err2("aten::outer", R(1, I(2)), R(0)), "outer: Expected 1-D argument vec2, but got 0-D");
}

int main(void) {
    RUN(test_matmul_rank_cases);
    RUN(test_matmul_strided_views_and_dtypes);
    RUN(test_matmul_with_pool_large);
    RUN(test_linear_paths);
    RUN(test_addmm_baddbmm_scalars);
    RUN(test_bmm_mv_dot_t);
    RUN(test_linalg_error_messages);
    RUN(test_linear_addmm_error_messages);
    RUN(test_empty_products);
    RUN(test_outer);
    return test_summary();
}
