/* linalg.c - matrix products: aten::mm, addmm, bmm, baddbmm, mv, dot,
 * matmul, linear and t; and einsum (a direct loop, see there).
 *
 * Each op follows PyTorch 1.13's CPU kernel: the same argument checks in the
 * same order with the same messages, the same rank dispatch for matmul
 * (dot / mv / mm / folding batches into mm / broadcast bmm) and the same
 * dtype rules (every dtype but Half and Bool; float32 takes the fast SGEMM
 * path, bfloat16 computes in float32, float64 and the integer types use the
 * simple loops of gemm.c with integer wrap-around).
 *
 * The arithmetic happens in one place, `product()`: out[b] = alpha*A[b]B[b]
 * + beta*out[b] over strided matrix views, which picks a layout the GEMM can
 * read in place (row-major or transposed, any batch stride including 0 for
 * broadcasts) and copies only views it cannot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "gemm.h"
#include "kutil.h"
#include "op.h"

/* ------------------------------------------------------------------------ */
/* argument helpers                                                          */

static int arg_tensor(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name,
                      ct_tensor **out) {
    if (args[i].tag != CV_TENSOR || !args[i].u.t)
        return cts_err_set(k->err, "%s: expected a Tensor for argument '%s' but got %s", op, name,
                           args[i].tag == CV_TENSOR ? "an undefined tensor" : cv_tag_name(args[i].tag));
    *out = args[i].u.t;
    return 0;
}

/* Tensor?: NULL for None (or an undefined tensor). */
static int arg_opt_tensor(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name,
                          ct_tensor **out) {
    if (args[i].tag == CV_NONE) {
        *out = NULL;
        return 0;
    }
    if (args[i].tag == CV_TENSOR) {
        *out = args[i].u.t;
        return 0;
    }
    return cts_err_set(k->err, "%s: expected a Tensor or None for argument '%s' but got %s", op, name,
                       cv_tag_name(args[i].tag));
}

typedef struct scal {
    double f;
    int64_t i;
    bool is_float;
} scal;

static int arg_scalar(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name, scal *s) {
    cv_value v = args[i];
    if (v.tag == CV_INT) {
        s->i = v.u.i;
        s->f = (double)v.u.i;
        s->is_float = false;
    } else if (v.tag == CV_BOOL) {
        s->i = v.u.b;
        s->f = v.u.b;
        s->is_float = false;
    } else if (v.tag == CV_FLOAT) {
        s->f = v.u.f;
        s->is_float = true;
        /* PyTorch's Scalar.to<int64_t>() truncates (used for integer dtypes) */
        s->i = fabs(v.u.f) < 9.2e18 ? (int64_t)v.u.f : 0;
    } else {
        return cts_err_set(k->err, "%s: expected a number for argument '%s' but got %s", op, name,
                           cv_tag_name(v.tag));
    }
    return 0;
}

static const char *st(ct_dtype d) { return ct_dtype_ir_name(d); }

static bool gemm_dtype_ok(ct_dtype d) { return d != CT_FLOAT16 && d != CT_BOOL; }

static int not_implemented(cts_kctx *k, const char *kernel, ct_dtype d) {
    return cts_err_set(k->err, "\"%s\" not implemented for '%s'", kernel, st(d));
}

static int set_out(cv_value *outs, ct_tensor *t) {
    outs[0] = cv_tensor(t);
    return 0;
}

/* PyTorch's expand_size error texts, for `self` of addmm/baddbmm. */
static ct_tensor *expand_to(cts_kctx *k, ct_tensor *t, int n, const int64_t *sizes) {
    char a[256], b[256];
    if (n < t->ndim) {
        cts_err_set(k->err,
                    "expand(torch.%sTensor{%s}, size=%s): the number of sizes provided (%d) must be greater or "
                    "equal to the number of dimensions in the tensor (%d)",
                    st(t->dtype), ct_shape_str(t->ndim, t->sizes, a, sizeof a), ct_shape_str(n, sizes, b, sizeof b),
                    n, t->ndim);
        return NULL;
    }
    for (int i = n - 1; i >= 0; i--) {
        int j = i - (n - t->ndim);
        if (j < 0) break;
        if (t->sizes[j] != sizes[i] && t->sizes[j] != 1) {
            cts_err_set(k->err,
                        "The expanded size of the tensor (%lld) must match the existing size (%lld) at "
                        "non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
                        (long long)sizes[i], (long long)t->sizes[j], i, ct_shape_str(n, sizes, a, sizeof a),
                        ct_shape_str(t->ndim, t->sizes, b, sizeof b));
            return NULL;
        }
    }
    return ct_expand(t, n, sizes, k->err);
}

/* ------------------------------------------------------------------------ */
/* the product                                                               */

/* A batch of strided matrices: element (b, r, c) at p + (b*sb + r*sr + c*sc)
 * elements. */
typedef struct mview {
    const char *p;
    int64_t R, C, sb, sr, sc;
} mview;

static mview mview_of(const ct_tensor *t) {
    mview v;
    v.p = ct_data(t);
    int n = t->ndim;
    v.R = t->sizes[n - 2];
    v.C = t->sizes[n - 1];
    v.sr = t->strides[n - 2];
    v.sc = t->strides[n - 1];
    v.sb = n == 3 ? t->strides[0] : 0;
    return v;
}

/* Row-major (trans = false, element (r,c) at r*ld + c) or column-major
 * (trans = true, at c*ld + r) reading of v; false when neither fits. */
static bool layout_of(const mview *v, int64_t *ld, bool *trans) {
    if (v->C == 1 || v->sc == 1) {
        *trans = false;
        *ld = v->R == 1 ? v->C : v->sr;
        return true;
    }
    if (v->R == 1 || v->sr == 1) {
        *trans = true;
        *ld = v->sc;
        return true;
    }
    return false;
}

/* Copies B matrices of v (dtype src) into a new contiguous buffer of dtype
 * dst (FLOAT32, FLOAT64 or INT64); batch stride of the copy is R*C. */
static void *gather(cts_kctx *k, const mview *v, int64_t B, ct_dtype src, ct_dtype dst) {
    int64_t n = B * v->R * v->C;
    int dsz = ct_dtype_size(dst), ssz = ct_dtype_size(src);
    void *out = malloc((size_t)(n ? n : 1) * (size_t)dsz);
    if (!out) {
        cts_err_oom(k->err, "matrix operand copy", (size_t)n * (size_t)dsz);
        return NULL;
    }
    int64_t o = 0;
    for (int64_t b = 0; b < B; b++)
        for (int64_t r = 0; r < v->R; r++)
            for (int64_t c = 0; c < v->C; c++, o++) {
                const char *e = v->p + (b * v->sb + r * v->sr + c * v->sc) * ssz;
                if (dst == CT_FLOAT32) {
                    ((float *)out)[o] = src == CT_FLOAT32 ? *(const float *)e : (float)ct_load_f64(e, src);
                } else if (dst == CT_FLOAT64) {
                    ((double *)out)[o] = ct_load_f64(e, src);
                } else {
                    ((int64_t *)out)[o] = ct_load_i64(e, src);
                }
            }
    return out;
}

/* out: contiguous [B, M, N] of dtype dt.  out[b] = alpha * a[b] . b[b] +
 * beta * out[b] (beta 0: out is write-only).  a: M x K views, b: K x N
 * views, both of dtype dt.  bias_n (float32 only) is added to every row. */
static int product_pk(cts_kctx *k, ct_dtype dt, void *out, int64_t B, int64_t M, int64_t N, int64_t Kd, mview a,
                      mview b, scal alpha, scal beta, const float *bias_n, const cts_gemm_packed *pk) {
    if (B == 0 || M == 0 || N == 0) return 0;
    bool ints = ct_dtype_is_int(dt);
    bool beta0 = ints ? beta.i == 0 : beta.f == 0.0;
    if (dt == CT_FLOAT32) {
        int64_t lda, ldb;
        bool ta, tb;
        float *ca = NULL, *cb = NULL;
        if (!layout_of(&a, &lda, &ta)) {
            if (!(ca = gather(k, &a, B, CT_FLOAT32, CT_FLOAT32))) return -1;
            a.p = (const char *)ca;
            a.sb = M * Kd;
            lda = Kd;
            ta = false;
        }
        if (pk) {
            ldb = 0;
            tb = false;
        } else if (!layout_of(&b, &ldb, &tb)) {
            if (!(cb = gather(k, &b, B, CT_FLOAT32, CT_FLOAT32))) {
                free(ca);
                return -1;
            }
            b.p = (const char *)cb;
            b.sb = Kd * N;
            ldb = N;
            tb = false;
        }
        cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
        g.M = M;
        g.N = N;
        g.K = Kd;
        g.A = (const float *)a.p;
        g.lda = lda;
        g.trans_a = ta;
        g.B = (const float *)b.p;
        g.ldb = ldb;
        g.trans_b = tb;
        g.C = out;
        g.ldc = N;
        g.alpha = (float)alpha.f;
        g.beta = beta0 ? 0.0f : (float)beta.f;
        g.bias_n = bias_n;
        if (pk) {
            g.B = NULL;
            g.packed_b = pk;
        }
        int rc = cts_sgemm_batched(&g, B, a.sb, b.sb, M * N, k->pool, k->err);
        free(ca);
        free(cb);
        return rc;
    }
    if (dt == CT_FLOAT64) {
        double *ca = NULL, *cb = NULL;
        int64_t lda, ldb;
        bool ta, tb;
        if (!layout_of(&a, &lda, &ta)) {
            if (!(ca = gather(k, &a, B, CT_FLOAT64, CT_FLOAT64))) return -1;
            a.p = (const char *)ca;
            a.sb = M * Kd;
            lda = Kd;
            ta = false;
        }
        if (!layout_of(&b, &ldb, &tb)) {
            if (!(cb = gather(k, &b, B, CT_FLOAT64, CT_FLOAT64))) {
                free(ca);
                return -1;
            }
            b.p = (const char *)cb;
            b.sb = Kd * N;
            ldb = N;
            tb = false;
        }
        int rc = 0;
        for (int64_t i = 0; i < B && rc == 0; i++) {
            cts_dgemm_args g = {M, N, Kd, (const double *)a.p + i * a.sb, lda, ta, (const double *)b.p + i * b.sb,
                                ldb, tb, (double *)out + i * M * N, N, alpha.f, beta0 ? 0.0 : beta.f};
            rc = cts_dgemm(&g, k->pool, k->err);
        }
        free(ca);
        free(cb);
        return rc;
    }
    /* bfloat16 through float32; integers through int64 */
    ct_dtype wt = ints ? CT_INT64 : CT_FLOAT32;
    int wsz = ct_dtype_size(wt);
    void *ca = gather(k, &a, B, dt, wt), *cb = ca ? gather(k, &b, B, dt, wt) : NULL;
    size_t on = (size_t)(B * M * N);
    void *co = cb ? malloc(on * (size_t)wsz) : NULL;
    int rc = -1;
    if (!co) {
        if (cb) cts_err_oom(k->err, "matrix product", on * (size_t)wsz);
        goto done;
    }
    int esz = ct_dtype_size(dt);
    if (!beta0)
        for (size_t i = 0; i < on; i++) {
            const char *e = (const char *)out + i * (size_t)esz;
            if (ints) ((int64_t *)co)[i] = ct_load_i64(e, dt);
            else ((float *)co)[i] = (float)ct_load_f64(e, dt);
        }
    if (ints) {
        rc = 0;
        for (int64_t i = 0; i < B && rc == 0; i++) {
            cts_igemm_args g = {M, N, Kd, (const int64_t *)ca + i * M * Kd, Kd, false,
                                (const int64_t *)cb + i * Kd * N, N, false, (int64_t *)co + i * M * N, N, alpha.i,
                                beta0 ? 0 : beta.i};
            rc = cts_igemm(&g, k->pool, k->err);
        }
    } else {
        cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
        g.M = M;
        g.N = N;
        g.K = Kd;
        g.A = ca;
        g.lda = Kd;
        g.B = cb;
        g.ldb = N;
        g.C = co;
        g.ldc = N;
        g.alpha = (float)alpha.f;
        g.beta = beta0 ? 0.0f : (float)beta.f;
        rc = cts_sgemm_batched(&g, B, M * Kd, Kd * N, M * N, k->pool, k->err);
    }
    if (rc == 0)
        for (size_t i = 0; i < on; i++) {
            char *e = (char *)out + i * (size_t)esz;
            if (ints) ct_store_i64(e, dt, ((int64_t *)co)[i]);
            else ct_store_f64(e, dt, ((float *)co)[i]);
        }
done:
    free(ca);
    free(cb);
    free(co);
    return rc;
}

static int product(cts_kctx *k, ct_dtype dt, void *out, int64_t B, int64_t M, int64_t N, int64_t Kd, mview a,
                   mview b, scal alpha, scal beta, const float *bias_n) {
    return product_pk(k, dt, out, B, M, N, Kd, a, b, alpha, beta, bias_n, NULL);
}

/* The cached packing of a float32 weight b ([K, N], op(B) of an [M, K] x
 * [K, N] product; gemm.h's cache), or NULL.  A packing made at load (the
 * prepack hook of aten::linear) serves every M: streaming packed panels
 * beats reading the weight in place even for one row.  A miss packs only
 * a loaded module's tensor (storage->weight; an activation is not worth
 * keeping a packed copy of), and only past GEMV sizes, where the packing
 * pays for itself within the call. */
static const cts_gemm_packed *weight_packing(const ct_tensor *b, int64_t M) {
    if (b->dtype != CT_FLOAT32) return NULL;
    return cts_gemm_cached_b(b, M > 4 && b->storage->weight);
}

static const scal ONE = {1.0, 1, false};
static const scal ZERO = {0.0, 0, false};

/* Fills a fresh contiguous tensor with zeros. */
static void zero_fill(ct_tensor *t) {
    size_t n = (size_t)ct_numel(t) * (size_t)ct_dtype_size(t->dtype);
    if (n) memset(ct_data(t), 0, n);
}

/* ------------------------------------------------------------------------ */
/* mm, addmm, bmm, baddbmm, mv, dot                                          */

static int check_matrices_multiply(cts_kctx *k, const ct_tensor *a, const ct_tensor *b) {
    if (a->sizes[1] != b->sizes[0])
        return cts_err_set(k->err, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                           (long long)a->sizes[0], (long long)a->sizes[1], (long long)b->sizes[0],
                           (long long)b->sizes[1]);
    return 0;
}

/* at::mm: a new [M, N] tensor of a's dtype.  bias_n: see product(). */
static ct_tensor *mm_impl(cts_kctx *k, ct_tensor *a, ct_tensor *b, const float *bias_n) {
    if (a->ndim != 2) {
        cts_err_set(k->err, "self must be a matrix");
        return NULL;
    }
    if (b->ndim != 2) {
        cts_err_set(k->err, "mat2 must be a matrix");
        return NULL;
    }
    if (check_matrices_multiply(k, a, b)) return NULL;
    int64_t sz[2] = {a->sizes[0], b->sizes[1]};
    ct_tensor *out = ct_tensor_empty(a->dtype, 2, sz, k->err);
    if (!out || ct_numel(out) == 0) return out;
    if (a->sizes[1] == 0) {
        zero_fill(out);
        return out;
    }
    if (b->dtype != a->dtype) {
        cts_err_set(k->err, "expected scalar type %s but found %s", st(a->dtype), st(b->dtype));
        goto fail;
    }
    if (!gemm_dtype_ok(a->dtype)) {
        not_implemented(k, "addmm_impl_cpu_", a->dtype);
        goto fail;
    }
    if (product_pk(k, a->dtype, ct_data(out), 1, sz[0], sz[1], a->sizes[1], mview_of(a), mview_of(b), ONE, ZERO,
                   a->dtype == CT_FLOAT32 ? bias_n : NULL, weight_packing(b, sz[0])))
        goto fail;
    return out;
fail:
    ct_tensor_release(out);
    return NULL;
}

/* Copies src (broadcast already applied) into the fresh contiguous dst. */
static int copy_into(cts_kctx *k, ct_tensor *dst, ct_tensor *src) { return ct_copy_into(dst, src, k->err); }

/* t *= beta for a fresh contiguous t (the K == 0 products).  Like PyTorch's
 * in-place mul_, a floating beta cannot scale an integer tensor. */
static int scale_inplace(cts_kctx *k, ct_tensor *t, scal beta) {
    ct_dtype dt = t->dtype;
    bool ints = !ct_dtype_is_float(dt);
    if (ints && beta.is_float)
        return cts_err_set(k->err, "result type Float can't be cast to the desired output type %s", st(dt));
    int64_t n = ct_numel(t);
    char *p = ct_data(t);
    int esz = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        if (ints) ct_store_i64(p + i * esz, dt, (int64_t)((uint64_t)ct_load_i64(p + i * esz, dt) * (uint64_t)beta.i));
        else ct_store_f64(p + i * esz, dt, ct_load_f64(p + i * esz, dt) * beta.f);
    }
    return 0;
}

/* at::addmm(self, m1, m2, beta, alpha) */
static ct_tensor *addmm_impl(cts_kctx *k, ct_tensor *self, ct_tensor *m1, ct_tensor *m2, scal beta, scal alpha) {
    if (self->dtype != m2->dtype) {
        cts_err_set(k->err, "self and mat2 must have the same dtype");
        return NULL;
    }
    if (m1->dtype != m2->dtype) {
        cts_err_set(k->err, "mat1 and mat2 must have the same dtype");
        return NULL;
    }
    if (m1->ndim != 2) {
        cts_err_set(k->err, "mat1 must be a matrix, got %d-D tensor", m1->ndim);
        return NULL;
    }
    if (m2->ndim != 2) {
        cts_err_set(k->err, "mat2 must be a matrix, got %d-D tensor", m2->ndim);
        return NULL;
    }
    if (check_matrices_multiply(k, m1, m2)) return NULL;
    int64_t sz[2] = {m1->sizes[0], m2->sizes[1]};
    ct_tensor *se = expand_to(k, self, 2, sz);
    if (!se) return NULL;
    ct_tensor *out = ct_tensor_empty(self->dtype, 2, sz, k->err);
    if (!out || ct_numel(out) == 0) goto done;
    ct_dtype dt = self->dtype;
    bool beta_zero = beta.f == 0.0; /* PyTorch tests the Scalar itself */
    if (m1->sizes[1] == 0) {
        if (beta_zero) zero_fill(out);
        else if (copy_into(k, out, se) || scale_inplace(k, out, beta)) goto fail;
        goto done;
    }
    if (!gemm_dtype_ok(dt)) {
        not_implemented(k, "addmm_impl_cpu_", dt);
        goto fail;
    }
    /* fast path: a row vector bias with beta 1 is the GEMM's fused bias */
    if (dt == CT_FLOAT32 && !beta_zero && beta.f == 1.0 && self->ndim <= 1 && se->strides[0] == 0 &&
        (se->strides[1] == 1 || sz[1] == 1)) {
        if (product_pk(k, dt, ct_data(out), 1, sz[0], sz[1], m1->sizes[1], mview_of(m1), mview_of(m2), alpha, ZERO,
                       (const float *)ct_data(se), weight_packing(m2, sz[0])))
            goto fail;
        goto done;
    }
    if (!beta_zero && copy_into(k, out, se)) goto fail;
    if (product_pk(k, dt, ct_data(out), 1, sz[0], sz[1], m1->sizes[1], mview_of(m1), mview_of(m2), alpha,
                   beta_zero ? ZERO : beta, NULL, weight_packing(m2, sz[0])))
        goto fail;
done:
    ct_tensor_release(se);
    return out;
fail:
    ct_tensor_release(se);
    ct_tensor_release(out);
    return NULL;
}

/* Checks shared by bmm and baddbmm; returns 0 and the output sizes. */
static int bmm_checks(cts_kctx *k, const ct_tensor *b1, const ct_tensor *b2, int64_t *sz) {
    if (b1->ndim != 3) return cts_err_set(k->err, "batch1 must be a 3D tensor");
    if (b2->ndim != 3) return cts_err_set(k->err, "batch2 must be a 3D tensor");
    if (b2->sizes[0] != b1->sizes[0] || b2->sizes[1] != b1->sizes[2])
        return cts_err_set(k->err,
                           "Expected size for first two dimensions of batch2 tensor to be: [%lld, %lld] but got: "
                           "[%lld, %lld].",
                           (long long)b1->sizes[0], (long long)b1->sizes[2], (long long)b2->sizes[0],
                           (long long)b2->sizes[1]);
    sz[0] = b1->sizes[0];
    sz[1] = b1->sizes[1];
    sz[2] = b2->sizes[2];
    return 0;
}

/* The arithmetic of bmm/baddbmm into out (which holds self when beta != 0). */
static int bmm_compute(cts_kctx *k, ct_tensor *out, ct_tensor *b1, ct_tensor *b2, scal beta, scal alpha) {
    if (ct_numel(out) == 0) return 0;
    if (b2->dtype != b1->dtype)
        return cts_err_set(k->err, "expected scalar type %s but found %s", st(b1->dtype), st(b2->dtype));
    if (!gemm_dtype_ok(b1->dtype)) return not_implemented(k, "bmm", b1->dtype);
    if (b1->sizes[2] == 0) {
        if (beta.f == 0.0) {
            zero_fill(out);
            return 0;
        }
        return scale_inplace(k, out, beta);
    }
    return product(k, out->dtype, ct_data(out), out->sizes[0], out->sizes[1], out->sizes[2], b1->sizes[2],
                   mview_of(b1), mview_of(b2), alpha, beta, NULL);
}

static ct_tensor *bmm_impl(cts_kctx *k, ct_tensor *b1, ct_tensor *b2) {
    int64_t sz[3];
    if (bmm_checks(k, b1, b2, sz)) return NULL;
    ct_tensor *out = ct_tensor_empty(b1->dtype, 3, sz, k->err);
    if (out && bmm_compute(k, out, b1, b2, ZERO, ONE)) {
        ct_tensor_release(out);
        return NULL;
    }
    return out;
}

/* at::mv(mat, vec) */
static ct_tensor *mv_impl(cts_kctx *k, ct_tensor *mat, ct_tensor *vec) {
    if (mat->ndim != 2 || vec->ndim != 1) {
        cts_err_set(k->err, "vector + matrix @ vector expected, got 1, %d, %d", mat->ndim, vec->ndim);
        return NULL;
    }
    if (mat->sizes[1] != vec->sizes[0]) {
        cts_err_set(k->err, "size mismatch, got %lld, %lldx%lld,%lld", (long long)mat->sizes[0],
                    (long long)mat->sizes[0], (long long)mat->sizes[1], (long long)vec->sizes[0]);
        return NULL;
    }
    int64_t m = mat->sizes[0];
    ct_tensor *out = ct_tensor_empty(mat->dtype, 1, &m, k->err);
    if (!out || m == 0) return out;
    if (vec->dtype != mat->dtype) {
        cts_err_set(k->err, "expected scalar type %s but found %s", st(mat->dtype), st(vec->dtype));
        goto fail;
    }
    if (!gemm_dtype_ok(mat->dtype)) {
        not_implemented(k, "addmv_impl_cpu", mat->dtype);
        goto fail;
    }
    if (mat->sizes[1] == 0) {
        zero_fill(out);
        return out;
    }
    /* y^T (1 x m) = x^T (1 x K) . mat^T (K x m): one row, B read as mat */
    mview x = {ct_data(vec), 1, vec->sizes[0], 0, 0, vec->strides[0]};
    mview mt = mview_of(mat);
    int64_t t = mt.sr;
    mt.sr = mt.sc;
    mt.sc = t;
    mt.R = mat->sizes[1];
    mt.C = m;
    if (product(k, mat->dtype, ct_data(out), 1, 1, m, mat->sizes[1], x, mt, ONE, ZERO, NULL)) goto fail;
    return out;
fail:
    ct_tensor_release(out);
    return NULL;
}

static ct_tensor *dot_impl(cts_kctx *k, ct_tensor *a, ct_tensor *b) {
    if (a->ndim != 1 || b->ndim != 1) {
        cts_err_set(k->err, "1D tensors expected, but got %dD and %dD tensors", a->ndim, b->ndim);
        return NULL;
    }
    if (a->dtype != b->dtype) {
        cts_err_set(k->err, "dot : expected both vectors to have same dtype, but found %s and %s", st(a->dtype),
                    st(b->dtype));
        return NULL;
    }
    if (a->sizes[0] != b->sizes[0]) {
        cts_err_set(k->err,
                    "inconsistent tensor size, expected tensor [%lld] and src [%lld] to have the same number of "
                    "elements, but got %lld and %lld elements respectively",
                    (long long)a->sizes[0], (long long)b->sizes[0], (long long)a->sizes[0], (long long)b->sizes[0]);
        return NULL;
    }
    ct_dtype dt = a->dtype;
    if (!gemm_dtype_ok(dt)) {
        not_implemented(k, "dot", dt);
        return NULL;
    }
    ct_tensor *out = ct_tensor_empty(dt, 0, NULL, k->err);
    if (!out) return NULL;
    int64_t n = a->sizes[0];
    int esz = ct_dtype_size(dt);
    const char *pa = ct_data(a), *pb = ct_data(b);
    int64_t sa = a->strides[0] * esz, sb = b->strides[0] * esz;
    if (dt == CT_FLOAT32) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += (double)*(const float *)(pa + i * sa) * *(const float *)(pb + i * sb);
        *(float *)ct_data(out) = (float)s;
    } else if (ct_dtype_is_float(dt)) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += ct_load_f64(pa + i * sa, dt) * ct_load_f64(pb + i * sb, dt);
        ct_store_f64(ct_data(out), dt, s);
    } else {
        uint64_t s = 0;
        for (int64_t i = 0; i < n; i++)
            s += (uint64_t)ct_load_i64(pa + i * sa, dt) * (uint64_t)ct_load_i64(pb + i * sb, dt);
        ct_store_i64(ct_data(out), dt, (int64_t)s);
    }
    return out;
}

/* ------------------------------------------------------------------------ */
/* matmul                                                                    */

/* PyTorch 1.13 should_fold(tensor1, dim_tensor2) */
static bool should_fold(const ct_tensor *t1, int d2) {
    int d1 = t1->ndim;
    if (d1 >= 3 && (d2 == 1 || d2 == 2)) {
        if (d1 == 3 && d2 == 2 && t1->strides[2] != 1 && t1->strides[0] == t1->sizes[1] * t1->sizes[2]) return false;
        return true;
    }
    return false;
}

static ct_tensor *view_or_fail(cts_kctx *k, ct_tensor *t, int n, const int64_t *sizes) {
    return ct_reshape(t, n, sizes, k->err);
}

/* Swaps the last two dims (a view). */
static ct_tensor *mT(cts_kctx *k, ct_tensor *t) { return ct_transpose(t, -2, -1, k->err); }

/* The folded paths: one operand has >= 3 dims and the other 1 or 2. */
static ct_tensor *matmul_fold(cts_kctx *k, ct_tensor *a, ct_tensor *b, const float *bias_n) {
    int d1 = a->ndim, d2 = b->ndim;
    bool transpose = d2 > d1;
    ct_tensor *t1 = transpose ? mT(k, b) : a;
    if (!t1) return NULL;
    if (!transpose) ct_tensor_retain(t1);
    ct_tensor *t2 = !transpose ? b : (d1 == 2 ? ct_transpose(a, 0, 1, k->err) : a);
    ct_tensor *res = NULL, *t1f = NULL, *flat = NULL;
    if (!t2) goto done;
    if (t2 == a || t2 == b) ct_tensor_retain(t2);
    int64_t oshape[CT_MAX_DIMS + 1];
    int on = t1->ndim - 1;
    int64_t folded = 1;
    for (int i = 0; i < on; i++) {
        oshape[i] = t1->sizes[i];
        folded *= t1->sizes[i];
    }
    bool t2_matrix = t2->ndim == 2;
    if (t2_matrix) oshape[on++] = t2->sizes[1];
    int64_t last = t1->sizes[t1->ndim - 1];
    if (!transpose) {
        int64_t fs[2] = {folded, last};
        if (!(t1f = view_or_fail(k, t1, 2, fs))) goto done;
        flat = t2_matrix ? mm_impl(k, t1f, t2, bias_n) : mv_impl(k, t1f, t2);
        if (!flat) goto done;
        res = ct_view(flat, on, oshape, k->err);
        goto done;
    }
    /* transposed fold: result[batch] = a . b[batch] (a 1-D: a^T . b[batch]).
     * The checks and messages are those of the folded mm/mv PyTorch runs;
     * the arithmetic is one batched product writing the final layout. */
    {
        int64_t P = folded, k1 = last;
        if (t2_matrix) {
            if (k1 != t2->sizes[0]) {
                cts_err_set(k->err, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                            (long long)P, (long long)k1, (long long)t2->sizes[0], (long long)t2->sizes[1]);
                goto done;
            }
        } else if (k1 != t2->sizes[0]) {
            cts_err_set(k->err, "size mismatch, got %lld, %lldx%lld,%lld", (long long)P, (long long)P, (long long)k1,
                        (long long)t2->sizes[0]);
            goto done;
        }
        /* output: b's batch dims, then [n] (a 2-D), then [p] */
        int64_t shape[CT_MAX_DIMS + 1];
        int sn = 0;
        int64_t Bt = 1;
        for (int i = 0; i < d2 - 2; i++) {
            shape[sn++] = b->sizes[i];
            Bt *= b->sizes[i];
        }
        int64_t n = d1 == 2 ? a->sizes[0] : 1, p = b->sizes[d2 - 1], kk = b->sizes[d2 - 2];
        if (d1 == 2) shape[sn++] = n;
        shape[sn++] = p;
        ct_dtype dt = t1->dtype;
        if (!(res = ct_tensor_empty(dt, sn, shape, k->err))) goto done;
        if (ct_numel(res) == 0) goto done;
        if (t2->dtype != dt) {
            cts_err_set(k->err, "expected scalar type %s but found %s", st(dt), st(t2->dtype));
            goto fail;
        }
        if (!gemm_dtype_ok(dt)) {
            not_implemented(k, t2_matrix ? "addmm_impl_cpu_" : "addmv_impl_cpu", dt);
            goto fail;
        }
        if (kk == 0) {
            zero_fill(res);
            goto done;
        }
        int64_t bs[3] = {Bt, kk, p};
        if (!(t1f = view_or_fail(k, b, 3, bs))) goto fail;
        mview av;
        if (d1 == 2) av = mview_of(a);
        else av = (mview){ct_data(a), 1, a->sizes[0], 0, 0, a->strides[0]};
        av.sb = 0;
        if (product(k, dt, ct_data(res), Bt, n, p, kk, av, mview_of(t1f), ONE, ZERO, NULL)) goto fail;
        goto done;
    }
fail:
    ct_tensor_release(res);
    res = NULL;
done:
    ct_tensor_release(t1);
    ct_tensor_release(t2);
    ct_tensor_release(t1f);
    ct_tensor_release(flat);
    return res;
}

/* The broadcast batched path (bmm). */
static ct_tensor *matmul_batched(cts_kctx *k, ct_tensor *a, ct_tensor *b) {
    int d1 = a->ndim, d2 = b->ndim;
    int64_t n = d1 > 1 ? a->sizes[d1 - 2] : 1, m1 = a->sizes[d1 - 1];
    int64_t m2 = d2 > 1 ? b->sizes[d2 - 2] : b->sizes[0], p = d2 > 1 ? b->sizes[d2 - 1] : 1;
    int nb1 = d1 > 2 ? d1 - 2 : 0, nb2 = d2 > 2 ? d2 - 2 : 0;
    int64_t oshape[CT_MAX_DIMS + 2];
    int on = ct_broadcast_shape(nb1, a->sizes, nb2, b->sizes, oshape, k->err);
    if (on < 0) return NULL;
    if (on + 2 > CT_MAX_DIMS) {
        cts_err_set(k->err, "matmul: result would have more than %d dimensions", CT_MAX_DIMS);
        return NULL;
    }
    int64_t bp = 1;
    for (int i = 0; i < on; i++) bp *= oshape[i];
    int64_t es[CT_MAX_DIMS];
    memcpy(es, oshape, sizeof(int64_t) * (size_t)on);
    ct_tensor *ae = NULL, *be = NULL, *a3 = NULL, *b3 = NULL, *out = NULL, *res = NULL;
    es[on] = n;
    es[on + 1] = m1;
    ct_tensor *ain = a;
    ct_tensor *a2 = NULL;
    if (d1 == 1 && !(a2 = ct_unsqueeze(a, 0, k->err))) goto done;
    if (a2) ain = a2;
    if (!(ae = ct_expand(ain, on + 2, es, k->err))) goto done;
    int64_t s3[3] = {bp, n, m1};
    if (!(a3 = ct_reshape(ae, 3, s3, k->err))) goto done;
    es[on] = m2;
    es[on + 1] = p;
    ct_tensor *bin = b, *b2 = NULL;
    if (d2 == 1 && !(b2 = ct_unsqueeze(b, 1, k->err))) goto done;
    if (b2) bin = b2;
    be = ct_expand(bin, on + 2, es, k->err);
    ct_tensor_release(b2);
    if (!be) goto done;
    int64_t t3[3] = {bp, m2, p};
    if (!(b3 = ct_reshape(be, 3, t3, k->err))) goto done;
    if (!(out = bmm_impl(k, a3, b3))) goto done;
    if (d1 > 1) oshape[on++] = n;
    if (d2 > 1) oshape[on++] = p;
    res = ct_view(out, on, oshape, k->err);
done:
    ct_tensor_release(a2);
    ct_tensor_release(ae);
    ct_tensor_release(be);
    ct_tensor_release(a3);
    ct_tensor_release(b3);
    ct_tensor_release(out);
    return res;
}

/* at::matmul.  bias_n (float32 [N], may be NULL) is added where the result
 * is a plain row-major [rows, N] product, which matmul_fuses_bias() tells;
 * elsewhere it is ignored. */
static ct_tensor *matmul_impl(cts_kctx *k, ct_tensor *a, ct_tensor *b, const float *bias_n) {
    int d1 = a->ndim, d2 = b->ndim;
    if (d1 == 0 || d2 == 0) {
        cts_err_set(k->err, "both arguments to matmul need to be at least 1D, but they are %dD and %dD", d1, d2);
        return NULL;
    }
    if (d1 == 1 && d2 == 1) return dot_impl(k, a, b);
    if (d1 == 2 && d2 == 1) return mv_impl(k, a, b);
    if (d1 == 1 && d2 == 2) {
        ct_tensor *a2 = ct_unsqueeze(a, 0, k->err);
        if (!a2) return NULL;
        ct_tensor *r = mm_impl(k, a2, b, bias_n);
        ct_tensor_release(a2);
        if (!r) return NULL;
        ct_tensor *s = ct_squeeze_dim(r, 0, k->err);
        ct_tensor_release(r);
        return s;
    }
    if (d1 == 2 && d2 == 2) return mm_impl(k, a, b, bias_n);
    if (should_fold(a, d2) || should_fold(b, d1)) return matmul_fold(k, a, b, d2 > d1 ? NULL : bias_n);
    return matmul_batched(k, a, b);
}

/* Whether matmul_impl(a, b, bias) fuses the bias (mm-shaped results). */
static bool matmul_fuses_bias(const ct_tensor *a, const ct_tensor *b) {
    int d1 = a->ndim, d2 = b->ndim;
    if (d2 != 2 || d1 == 0) return false;
    if (d1 <= 2) return true;
    return should_fold(a, d2);
}

/* ------------------------------------------------------------------------ */
/* in-place add of linear's bias (output.add_(bias))                        */

static int category(ct_dtype d) { return d == CT_BOOL ? 0 : ct_dtype_is_float(d) ? 2 : 1; }

static int add_bias_inplace(cts_kctx *k, ct_tensor *out, ct_tensor *bias) {
    int64_t bs[CT_MAX_DIMS];
    int bn = ct_broadcast_shape(out->ndim, out->sizes, bias->ndim, bias->sizes, bs, k->err);
    if (bn < 0) return -1;
    if (bn != out->ndim || memcmp(bs, out->sizes, sizeof(int64_t) * (size_t)bn)) {
        char x[256], y[256];
        return cts_err_set(k->err, "output with shape %s doesn't match the broadcast shape %s",
                           ct_shape_str(out->ndim, out->sizes, x, sizeof x), ct_shape_str(bn, bs, y, sizeof y));
    }
    /* result_type: dimensioned tensors first; a 0-dim one counts only when
     * of a higher category */
    ct_dtype rt;
    bool od = out->ndim > 0, bd = bias->ndim > 0;
    if (od == bd) rt = ct_promote(out->dtype, bias->dtype);
    else {
        ct_dtype hi = od ? out->dtype : bias->dtype, lo = od ? bias->dtype : out->dtype;
        rt = category(lo) > category(hi) ? ct_promote(hi, lo) : hi;
    }
    if ((ct_dtype_is_float(rt) && !ct_dtype_is_float(out->dtype)) || (rt != CT_BOOL && out->dtype == CT_BOOL))
        return cts_err_set(k->err, "result type %s can't be cast to the desired output type %s", st(rt),
                           st(out->dtype));
    ct_tensor *be = ct_expand(bias, out->ndim, out->sizes, k->err);
    if (!be) return -1;
    int64_t n = ct_numel(out);
    if (n) {
        char *op = ct_data(out);
        const char *bp = ct_data(be);
        int oesz = ct_dtype_size(out->dtype), besz = ct_dtype_size(be->dtype);
        ct_iter it;
        ct_iter_init(&it, be);
        int64_t i = 0;
        do {
            char *o = op + i * oesz;
            const char *s = bp + it.pos * besz;
            if (rt == CT_FLOAT32 || rt == CT_BFLOAT16 || rt == CT_FLOAT16) {
                float v = (float)ct_load_f64(o, out->dtype) + (float)ct_load_f64(s, be->dtype);
                ct_store_f64(o, out->dtype, v);
            } else if (ct_dtype_is_float(rt)) {
                ct_store_f64(o, out->dtype, ct_load_f64(o, out->dtype) + ct_load_f64(s, be->dtype));
            } else if (rt == CT_BOOL) {
                ct_store_i64(o, out->dtype, ct_load_i64(o, out->dtype) || ct_load_i64(s, be->dtype));
            } else {
                uint64_t v = (uint64_t)ct_load_i64(o, out->dtype) + (uint64_t)ct_load_i64(s, be->dtype);
                ct_store_i64(o, out->dtype, (int64_t)v);
            }
            i++;
        } while (ct_iter_next(&it));
    }
    ct_tensor_release(be);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* kernels                                                                   */

static int k_mm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL;
    if (arg_tensor(k, args, 0, "mm", "self", &a) || arg_tensor(k, args, 1, "mm", "mat2", &b)) return -1;
    ct_tensor *r = mm_impl(k, a, b, NULL);
    return r ? set_out(outs, r) : -1;
}

static int k_addmm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *s = NULL, *a = NULL, *b = NULL;
    scal beta = ONE, alpha = ONE;
    if (arg_tensor(k, args, 0, "addmm", "self", &s) || arg_tensor(k, args, 1, "addmm", "mat1", &a) ||
        arg_tensor(k, args, 2, "addmm", "mat2", &b) || arg_scalar(k, args, 3, "addmm", "beta", &beta) ||
        arg_scalar(k, args, 4, "addmm", "alpha", &alpha))
        return -1;
    ct_tensor *r = addmm_impl(k, s, a, b, beta, alpha);
    return r ? set_out(outs, r) : -1;
}

static int k_bmm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL;
    if (arg_tensor(k, args, 0, "bmm", "self", &a) || arg_tensor(k, args, 1, "bmm", "mat2", &b)) return -1;
    ct_tensor *r = bmm_impl(k, a, b);
    return r ? set_out(outs, r) : -1;
}

static int k_baddbmm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *s = NULL, *b1 = NULL, *b2 = NULL;
    scal beta = ONE, alpha = ONE;
    if (arg_tensor(k, args, 0, "baddbmm", "self", &s) || arg_tensor(k, args, 1, "baddbmm", "batch1", &b1) ||
        arg_tensor(k, args, 2, "baddbmm", "batch2", &b2) || arg_scalar(k, args, 3, "baddbmm", "beta", &beta) ||
        arg_scalar(k, args, 4, "baddbmm", "alpha", &alpha))
        return -1;
    /* self is expanded to [b1.size(0), b1.size(1), b2.size(2)] first */
    if (b1->ndim < 2)
        return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%d, %d], but got 1)",
                           b1->ndim ? -b1->ndim : -1, b1->ndim ? b1->ndim - 1 : 0);
    if (b2->ndim < 3)
        return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%d, %d], but got 2)",
                           b2->ndim ? -b2->ndim : -1, b2->ndim ? b2->ndim - 1 : 0);
    int64_t es[3] = {b1->sizes[0], b1->sizes[1], b2->sizes[2]};
    ct_tensor *se = expand_to(k, s, 3, es);
    if (!se) return -1;
    int64_t sz[3];
    ct_tensor *out = NULL;
    if (bmm_checks(k, b1, b2, sz) || !(out = ct_tensor_empty(b2->dtype, 3, sz, k->err))) goto fail;
    bool ints = !ct_dtype_is_float(out->dtype);
    bool beta0 = ints ? beta.i == 0 : beta.f == 0.0;
    if (beta.f != 0.0 && ct_numel(out) && copy_into(k, out, se)) goto fail;
    if (bmm_compute(k, out, b1, b2, beta0 ? ZERO : beta, alpha)) goto fail;
    ct_tensor_release(se);
    return set_out(outs, out);
fail:
    ct_tensor_release(se);
    ct_tensor_release(out);
    return -1;
}

static int k_mv(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL;
    if (arg_tensor(k, args, 0, "mv", "self", &a) || arg_tensor(k, args, 1, "mv", "vec", &b)) return -1;
    ct_tensor *r = mv_impl(k, a, b);
    return r ? set_out(outs, r) : -1;
}

static int k_dot(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL;
    if (arg_tensor(k, args, 0, "dot", "self", &a) || arg_tensor(k, args, 1, "dot", "tensor", &b)) return -1;
    ct_tensor *r = dot_impl(k, a, b);
    return r ? set_out(outs, r) : -1;
}

static int k_matmul(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL;
    if (arg_tensor(k, args, 0, "matmul", "self", &a) || arg_tensor(k, args, 1, "matmul", "other", &b)) return -1;
    ct_tensor *r = matmul_impl(k, a, b, NULL);
    return r ? set_out(outs, r) : -1;
}

static ct_tensor *t_impl(cts_kctx *k, ct_tensor *a) {
    if (a->ndim > 2) {
        cts_err_set(k->err, "t() expects a tensor with <= 2 dimensions, but self is %dD", a->ndim);
        return NULL;
    }
    if (a->ndim < 2) return ct_alias(a, k->err);
    return ct_transpose(a, 0, 1, k->err);
}

static int k_t(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL;
    if (arg_tensor(k, args, 0, "t", "self", &a)) return -1;
    ct_tensor *r = t_impl(k, a);
    return r ? set_out(outs, r) : -1;
}

/* at::linear, as 1.13: addmm for 2-D input with bias, addmm on the folded
 * input for contiguous 3-D input with bias, else matmul then add_. */
static int k_linear(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *x = NULL, *w = NULL, *bias = NULL;
    if (arg_tensor(k, args, 0, "linear", "input", &x) || arg_tensor(k, args, 1, "linear", "weight", &w) ||
        arg_opt_tensor(k, args, 2, "linear", "bias", &bias))
        return -1;
    ct_tensor *wt = t_impl(k, w);
    if (!wt) return -1;
    ct_tensor *r = NULL;
    if (bias && x->ndim == 2) {
        r = addmm_impl(k, bias, x, wt, ONE, ONE);
    } else if (bias && x->ndim == 3 && ct_is_contiguous(x)) {
        int64_t fs[2] = {x->sizes[0] * x->sizes[1], x->sizes[2]};
        ct_tensor *xf = ct_view(x, 2, fs, k->err);
        ct_tensor *flat = xf ? addmm_impl(k, bias, xf, wt, ONE, ONE) : NULL;
        if (flat) {
            int64_t os[3] = {x->sizes[0], x->sizes[1], flat->sizes[1]};
            r = ct_view(flat, 3, os, k->err);
        }
        ct_tensor_release(xf);
        ct_tensor_release(flat);
    } else {
        /* fuse a float32 [N] bias into the product when it is mm-shaped */
        bool fuse = bias && x->dtype == CT_FLOAT32 && bias->dtype == CT_FLOAT32 && bias->ndim == 1 &&
                    wt->ndim == 2 && bias->sizes[0] == wt->sizes[1] && bias->strides[0] == 1 &&
                    matmul_fuses_bias(x, wt);
        r = matmul_impl(k, x, wt, fuse ? (const float *)ct_data(bias) : NULL);
        if (r && bias && !fuse && add_bias_inplace(k, r, bias)) {
            ct_tensor_release(r);
            r = NULL;
        }
    }
    ct_tensor_release(wt);
    return r ? set_out(outs, r) : -1;
}

/* at::bilinear: out[..., o] = sum_ij x1[..., i] W[o, i, j] x2[..., j] + b[o],
 * with PyTorch's shape checks.  float32 / float64, accumulated in double. */
static int k_bilinear(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    ct_tensor *a = NULL, *b = NULL, *w = NULL, *bias = NULL;
    if (arg_tensor(k, args, 0, "bilinear", "input1", &a) || arg_tensor(k, args, 1, "bilinear", "input2", &b) ||
        arg_tensor(k, args, 2, "bilinear", "weight", &w) || arg_opt_tensor(k, args, 3, "bilinear", "bias", &bias))
        return -1;
    if (a->ndim != b->ndim)
        return cts_err_set(k->err, "bilinear(): input dimensions do not match: got %d and %d", a->ndim, b->ndim);
    if (a->ndim < 1) return cts_err_set(k->err, "bilinear(): inputs must have at least one dimension");
    for (int i = 0; i + 1 < a->ndim; i++)
        if (a->sizes[i] != b->sizes[i])
            return cts_err_set(k->err, "bilinear(): input batch dimensions do not match at dim %d: got %lld and %lld",
                               i, (long long)a->sizes[i], (long long)b->sizes[i]);
    int64_t in1 = a->sizes[a->ndim - 1], in2 = b->sizes[b->ndim - 1];
    if (w->ndim != 3) return cts_err_set(k->err, "bilinear(): weight must be 3-D, got %d-D", w->ndim);
    if (w->sizes[1] != in1)
        return cts_err_set(k->err, "bilinear(): input1 size does not match weight size: got %lld but expected %lld",
                           (long long)in1, (long long)w->sizes[1]);
    if (w->sizes[2] != in2)
        return cts_err_set(k->err, "bilinear(): input2 size does not match weight size: got %lld but expected %lld",
                           (long long)in2, (long long)w->sizes[2]);
    int64_t no = w->sizes[0];
    if (bias && (bias->ndim != 1 || bias->sizes[0] != no))
        return cts_err_set(k->err, "bilinear(): bias size does not match weight size: got %lld but expected %lld",
                           (long long)(bias->ndim ? bias->sizes[0] : 0), (long long)no);
    ct_dtype dt = a->dtype;
    if ((dt != CT_FLOAT32 && dt != CT_FLOAT64) || b->dtype != dt || w->dtype != dt || (bias && bias->dtype != dt))
        return cts_err_set(k->err, "bilinear(): expected float or double tensors of one dtype");
    ct_tensor *ca = ku_to_dtype(a, CT_FLOAT64, k->err), *cb = ca ? ku_to_dtype(b, CT_FLOAT64, k->err) : NULL;
    ct_tensor *cw = cb ? ku_to_dtype(w, CT_FLOAT64, k->err) : NULL;
    ct_tensor *cbias = cw && bias ? ku_to_dtype(bias, CT_FLOAT64, k->err) : NULL;
    int64_t shape[CT_MAX_DIMS];
    for (int i = 0; i + 1 < a->ndim; i++) shape[i] = a->sizes[i];
    shape[a->ndim - 1] = no;
    ct_tensor *r = cw && (!bias || cbias) ? ct_tensor_empty(dt, a->ndim, shape, k->err) : NULL;
    if (r) {
        int64_t rows = ct_numel(a) / (in1 ? in1 : 1);
        if (in1 == 0) rows = ct_numel(r) / (no ? no : 1);
        const double *pa = ct_data(ca), *pb = ct_data(cb), *pw = ct_data(cw);
        const double *pbias = cbias ? ct_data(cbias) : NULL;
        for (int64_t n = 0; n < rows; n++)
            for (int64_t o = 0; o < no; o++) {
                double acc = 0;
                const double *wo = pw + o * in1 * in2;
                for (int64_t i = 0; i < in1; i++) {
                    double s = 0;
                    for (int64_t j = 0; j < in2; j++) s += wo[i * in2 + j] * pb[n * in2 + j];
                    acc += pa[n * in1 + i] * s;
                }
                if (pbias) acc += pbias[o];
                if (dt == CT_FLOAT32) ((float *)ct_data(r))[n * no + o] = (float)acc;
                else ((double *)ct_data(r))[n * no + o] = acc;
            }
    }
    if (ca) ct_tensor_release(ca);
    if (cb) ct_tensor_release(cb);
    if (cw) ct_tensor_release(cw);
    if (cbias) ct_tensor_release(cbias);
    return r ? set_out(outs, r) : -1;
}

/* Weights past this many elements (16 MiB) are not packed at load: at a
 * batch of one their product streams the weight from memory whether it is
 * packed or not (vgg11's 25088x4096 classifier: the same latency), and a
 * packed copy would double a big model's memory and its load time.  A batch
 * past GEMV sizes packs them on first use. */
#define PREPACK_LINEAR_MAX_NUMEL (4 << 20)

/* Load-time packing of a module's linear weight (op.h's prepack hook): the
 * packing k_linear's product looks up, of the same view (weight.t()). */
static void prepack_linear(const cv_value *args, int nargs) {
    if (nargs < 2 || args[1].tag != CV_TENSOR) return;
    ct_tensor *w = args[1].u.t;
    if (!w->storage->weight || w->dtype != CT_FLOAT32 || w->ndim != 2) return;
    if (ct_numel(w) > PREPACK_LINEAR_MAX_NUMEL) return;
    cts_err e = {0};
    ct_tensor *wt = ct_transpose(w, 0, 1, &e);
    if (wt) cts_gemm_cached_b(wt, true);
    ct_tensor_release(wt);
}

/* clang-format off */
/* ---- outer ---- */

/* outer(a, b) = a[:, None] * b, through mul's kernel (type promotion
 * included). */
static int k_outer(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *a, *b;
    if (ku_tensor(&A, 0, &a) || ku_tensor(&A, 1, &b)) return -1;
    if (a->ndim != 1) return cts_err_set(k->err, "outer: Expected 1-D argument self, but got %d-D", a->ndim);
    if (b->ndim != 1) return cts_err_set(k->err, "outer: Expected 1-D argument vec2, but got %d-D", b->ndim);
    cts_kernel_fn mul = cts_op_find_kernel("aten::mul.Tensor", NULL);
    if (!mul) return cts_err_set(k->err, "outer: aten::mul.Tensor is not available");
    int64_t col[2] = {a->sizes[0], 1};
    ct_tensor *ac = ku_reshape(a, 2, col, k->err);
    if (!ac) return -1;
    cv_value margs[2] = {cv_tensor(ac), cv_tensor(b)};
    int rc = mul(k, margs, 2, outs);
    ct_tensor_release(ac);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* einsum                                                                    */

/* PyTorch 1.13's einsum parser and checks (messages included): labels
 * [a-zA-Z], spaces ignored, at most one '...' per operand; without '->' the
 * output is the ellipsis dims, then the labels used once, in alphabetical
 * (upper before lower) order.  A label repeated in one operand takes the
 * diagonal; dims of size 1 broadcast, as do the ellipsis dims (right-
 * aligned).  The contraction itself is a direct loop over the output and
 * the summed labels (accumulating in double, or wrapping int64), which
 * keeps every equation exact; it does not use the GEMM. */
#define ES_LABELS 52
#define ES_ELL 255

static int es_label(unsigned char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : c - 'a' + 26; }
static bool es_is_sub(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int k_einsum(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    const char *eq;
    const cv_list *l;
    if (ku_str(&A, 0, &eq) || ku_tensor_list(&A, 1, &l)) return -1;
    int nops = (int)l->len;
    if (nops == 0) return cts_err_set(k->err, "einsum(): must provide at least one operand");
    if (nops > 32) return cts_err_set(k->err, "einsum(): cts supports at most 32 operands");
    const char *arrow = strstr(eq, "->");
    size_t lhs_len = arrow ? (size_t)(arrow - eq) : strlen(eq);
    /* operand labels: label index, or ES_ELL */
    unsigned char labels[32][CT_MAX_DIMS + 1];
    int nl[32] = {0};
    bool found_ell = false;
    int cur = 0;
    for (size_t i = 0; i < lhs_len; i++) {
        unsigned char c = (unsigned char)eq[i];
        if (c == ' ') continue;
        if (c == '.') {
            if (found_ell)
                return cts_err_set(k->err, "einsum(): found '.' for operand %d for which an ellipsis was already found",
                                   cur);
            if (!(i + 2 < lhs_len && eq[i + 1] == '.' && eq[i + 2] == '.'))
                return cts_err_set(k->err, "einsum(): found '.' for operand %d that is not part of any ellipsis", cur);
            i += 2;
            c = ES_ELL;
            found_ell = true;
        } else if (c == ',') {
            if (++cur >= nops)
                return cts_err_set(k->err, "einsum(): fewer operands were provided than specified in the equation");
            found_ell = false;
            continue;
        } else if (!es_is_sub(c)) {
            return cts_err_set(k->err,
                               "einsum(): invalid subscript given at index %zu in the equation string, subscripts must "
                               "be in [a-zA-Z]",
                               i);
        } else {
            c = (unsigned char)es_label(c);
        }
        if (nl[cur] > CT_MAX_DIMS) return cts_err_set(k->err, "einsum(): too many subscripts for operand %d", cur);
        labels[cur][nl[cur]++] = c;
    }
    if (cur != nops - 1)
        return cts_err_set(k->err, "einsum(): more operands were provided than specified in the equation");
    ct_tensor *ops[32];
    int label_count[ES_LABELS] = {0}, ell_nd = 0;
    ct_dtype dt = CT_DTYPE_INVALID;
    for (int i = 0; i < nops; i++) {
        ops[i] = l->items[i].u.t;
        int nd = ops[i]->ndim, nlab = nl[i];
        bool has_ell = false;
        for (int j = 0; j < nl[i]; j++) {
            if (labels[i][j] == ES_ELL) {
                nlab--;
                has_ell = true;
            } else {
                label_count[labels[i][j]]++;
            }
        }
        if (has_ell ? nlab > nd : nlab != nd)
            return cts_err_set(k->err,
                               "einsum(): the number of subscripts in the equation (%d) does not match the number of "
                               "dimensions (%d) for operand %d%s",
                               nlab, nd, i, has_ell ? "" : " and no ellipsis was given");
        if (has_ell && nd - nlab > ell_nd) ell_nd = nd - nlab;
        if (i == 0) dt = ops[i]->dtype;
        else if (ops[i]->dtype != dt)
            return cts_err_set(k->err, "einsum(): expected all operands to have the same dtype, got %s and %s",
                               ku_dtype_tname(dt), ku_dtype_tname(ops[i]->dtype));
    }
    /* output labels */
    int out_lab[ES_LABELS + 1], nout = 0, perm_index[ES_LABELS], ell_at = 0; /* ellipsis before out_lab[ell_at] */
    bool out_ell = false;
    for (int j = 0; j < ES_LABELS; j++) perm_index[j] = -1;
    if (!arrow) {
        out_ell = true;
        for (int j = 0; j < ES_LABELS; j++)
            if (label_count[j] == 1) {
                perm_index[j] = nout;
                out_lab[nout++] = j;
            }
    } else {
        const char *rhs = arrow + 2;
        size_t rn = strlen(rhs);
        for (size_t i = 0; i < rn; i++) {
            unsigned char c = (unsigned char)rhs[i];
            if (c == ' ') continue;
            if (c == '.') {
                if (out_ell)
                    return cts_err_set(k->err, "einsum(): found '.' for output but an ellipsis (...) was already found");
                if (!(i + 2 < rn && rhs[i + 1] == '.' && rhs[i + 2] == '.'))
                    return cts_err_set(k->err, "einsum(): found '.' for output that is not part of any ellipsis (...)");
                i += 2;
                out_ell = true;
                ell_at = nout;
                continue;
            }
            if (!es_is_sub(c))
                return cts_err_set(k->err,
                                   "einsum(): invalid subscript given at index %zu in the equation string, subscripts "
                                   "must be in [a-zA-Z]",
                                   lhs_len + 2 + i);
            int j = es_label(c);
            if (!(label_count[j] > 0 && perm_index[j] == -1))
                return cts_err_set(k->err, "einsum(): output subscript %c %s", c,
                                   perm_index[j] > -1 ? "appears more than once in the output"
                                                      : "does not appear in the equation for any input operand");
            perm_index[j] = nout;
            out_lab[nout++] = j;
        }
    }
    /* sizes: labels and ellipsis dims, with size-1 broadcasting */
    int64_t lsize[ES_LABELS], esize[CT_MAX_DIMS];
    for (int j = 0; j < ES_LABELS; j++) lsize[j] = 1;
    for (int e = 0; e < ell_nd; e++) esize[e] = 1;
    /* strides (elements) per operand per label / ellipsis dim; 0 = broadcast */
    int64_t lstride[32][ES_LABELS], estride[32][CT_MAX_DIMS];
    memset(lstride, 0, sizeof(int64_t) * ES_LABELS * (size_t)nops);
    memset(estride, 0, sizeof(int64_t) * CT_MAX_DIMS * (size_t)nops);
    for (int i = 0; i < nops; i++) {
        const ct_tensor *t = ops[i];
        int nlab = 0;
        for (int j = 0; j < nl[i]; j++) nlab += labels[i][j] != ES_ELL;
        int ell_here = t->ndim - nlab, d = 0;
        for (int j = 0; j < nl[i]; j++) {
            if (labels[i][j] == ES_ELL) {
                for (int e = 0; e < ell_here; e++, d++) {
                    int oe = ell_nd - ell_here + e;
                    int64_t sz = t->sizes[d];
                    if (sz != 1) {
                        if (esize[oe] != 1 && esize[oe] != sz)
                            return cts_err_set(k->err, "einsum(): operands do not broadcast: ellipsis dimension of size %lld "
                                                       "against %lld in operand %d",
                                               (long long)sz, (long long)esize[oe], i);
                        esize[oe] = sz;
                        estride[i][oe] = t->strides[d];
                    }
                }
                continue;
            }
            int lab = labels[i][j];
            int64_t sz = t->sizes[d];
            for (int q = 0, dq = 0; q < j; q++) { /* a repeated label takes a diagonal: sizes must agree */
                if (labels[i][q] == ES_ELL) {
                    dq += ell_here;
                    continue;
                }
                if (labels[i][q] == lab && t->sizes[dq] != sz)
                    return cts_err_set(k->err,
                                       "einsum(): subscript %c is repeated for operand %d but the sizes don't match, "
                                       "%lld != %lld",
                                       lab < 26 ? 'A' + lab : 'a' + lab - 26, i, (long long)sz, (long long)t->sizes[dq]);
                dq++;
            }
            if (sz != 1) {
                if (lsize[lab] != 1 && lsize[lab] != sz)
                    return cts_err_set(k->err,
                                       "einsum(): subscript %c has size %lld for operand %d which does not broadcast "
                                       "with previously seen size %lld",
                                       lab < 26 ? 'A' + lab : 'a' + lab - 26, (long long)sz, i, (long long)lsize[lab]);
                lsize[lab] = sz;
                lstride[i][lab] += t->strides[d];
            }
            d++;
        }
    }
    /* loop variables: the output dims in order, then the summed ellipsis
     * dims and labels */
    int nvar = 0, nov;
    int64_t vsize[CT_MAX_DIMS + 2 * ES_LABELS], vstride[32][CT_MAX_DIMS + 2 * ES_LABELS];
    int64_t oshape[CT_MAX_DIMS + ES_LABELS];
    int ond = 0;
    for (int o = 0; o <= nout; o++) {
        if (out_ell && o == ell_at)
            for (int e = 0; e < ell_nd; e++) {
                for (int i = 0; i < nops; i++) vstride[i][nvar] = estride[i][e];
                vsize[nvar++] = esize[e];
                oshape[ond++] = esize[e];
            }
        if (o == nout) break;
        for (int i = 0; i < nops; i++) vstride[i][nvar] = lstride[i][out_lab[o]];
        vsize[nvar++] = lsize[out_lab[o]];
        oshape[ond++] = lsize[out_lab[o]];
    }
    if (ond > CT_MAX_DIMS) return cts_err_set(k->err, "einsum(): output has more than %d dims", CT_MAX_DIMS);
    nov = nvar;
    if (!out_ell)
        for (int e = 0; e < ell_nd; e++) {
            for (int i = 0; i < nops; i++) vstride[i][nvar] = estride[i][e];
            vsize[nvar++] = esize[e];
        }
    for (int j = 0; j < ES_LABELS; j++)
        if (label_count[j] > 0 && perm_index[j] == -1) {
            for (int i = 0; i < nops; i++) vstride[i][nvar] = lstride[i][j];
            vsize[nvar++] = lsize[j];
        }
    ct_tensor *out = ct_tensor_empty(dt, ond, oshape, k->err);
    if (!out) return -1;
    bool is_float = ct_dtype_is_float(dt);
    int esz = ct_dtype_size(dt), oesz = esz;
    int64_t onum = ct_numel(out), inner = 1;
    for (int v = nov; v < nvar; v++) inner *= vsize[v];
    int64_t ov[CT_MAX_DIMS + 2 * ES_LABELS] = {0}, base[32];
    for (int64_t r = 0; r < onum; r++) {
        for (int i = 0; i < nops; i++) {
            base[i] = ops[i]->offset;
            for (int v = 0; v < nov; v++) base[i] += ov[v] * vstride[i][v];
        }
        double facc = 0;
        uint64_t iacc = 0;
        int64_t iv[2 * ES_LABELS + CT_MAX_DIMS] = {0};
        for (int64_t s = 0; s < inner; s++) {
            double fp = 1;
            uint64_t ip = 1;
            for (int i = 0; i < nops; i++) {
                int64_t off = base[i];
                for (int v = nov; v < nvar; v++) off += iv[v - nov] * vstride[i][v];
                const char *p = (const char *)ops[i]->storage->data + off * esz;
                if (is_float) fp *= ct_load_f64(p, dt);
                else ip *= (uint64_t)ct_load_i64(p, dt);
            }
            facc += fp;
            iacc += ip;
            for (int v = nvar - 1; v >= nov; v--) {
                if (++iv[v - nov] < vsize[v]) break;
                iv[v - nov] = 0;
            }
        }
        char *o = (char *)ct_data(out) + r * oesz;
        if (is_float) ct_store_f64(o, dt, facc);
        else if (dt == CT_BOOL) *(uint8_t *)o = iacc != 0;
        else ct_store_i64(o, dt, (int64_t)iacc);
        for (int v = nov - 1; v >= 0; v--) {
            if (++ov[v] < vsize[v]) break;
            ov[v] = 0;
        }
    }
    return ku_ret(outs, out);
}

const cts_op_def cts_ops_linalg[] = {
    {"aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor", k_linear},
    {"aten::bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None) -> Tensor", k_bilinear},
    {"aten::einsum(str equation, Tensor[] tensors, *, int[]? path=None) -> Tensor", k_einsum},
    {"aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", k_addmm},
    {"aten::mm(Tensor self, Tensor mat2) -> Tensor", k_mm},
    {"aten::matmul(Tensor self, Tensor other) -> Tensor", k_matmul},
    {"aten::bmm(Tensor self, Tensor mat2) -> Tensor", k_bmm},
    {"aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", k_baddbmm},
    {"aten::mv(Tensor self, Tensor vec) -> Tensor", k_mv},
    {"aten::dot(Tensor self, Tensor tensor) -> Tensor", k_dot},
    {"aten::t(Tensor(a) self) -> Tensor(a)", k_t},
    {"aten::outer(Tensor self, Tensor vec2) -> Tensor", k_outer},
};
/* clang-format on */
const int cts_ops_linalg_count = (int)(sizeof cts_ops_linalg / sizeof *cts_ops_linalg);

const cts_prepack_def cts_prepack_linalg[] = {{k_linear, prepack_linear}};
const int cts_prepack_linalg_count = (int)(sizeof cts_prepack_linalg / sizeof *cts_prepack_linalg);
