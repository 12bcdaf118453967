/* attention.c - the fused attention kernels of PyTorch 1.13's "better
 * transformer" fast path and the nested-tensor helpers the scripted
 * nn.TransformerEncoder calls:
 *
 *   aten::_native_multi_head_attention        nn.MultiheadAttention in eval
 *   aten::_transformer_encoder_layer_fwd      nn.TransformerEncoderLayer in eval
 *   aten::_nested_tensor_from_mask            \
 *   aten::_nested_tensor_from_mask_left_aligned > TransformerEncoder with a
 *   aten::to_padded_tensor                    /  src_key_padding_mask
 *
 * Semantics follow aten/src/ATen/native/transformers/{attention,transformer}.cpp
 * of 1.13: the packed projection qkv = x W^T (+ bias), q scaled by
 * 1/sqrt(head_dim), scores q k^T per head, a softmax over the keys, the
 * context re-assembled to [B, T, D] and projected.  Masks (1.13's CPU
 * rules): a non-bool mask becomes `mask != 0`; a 2-D mask is a [B, T] key
 * padding mask expanded to [B, heads, T, T]; after that the mask must have
 * the scores' shape and a mask_type of 1 or 2 (0, "src_mask", has no CPU
 * kernel in 1.13).  A masked score gets weight 0; a row with every key
 * masked is NaN, as in PyTorch.  need_weights returns the softmax weights,
 * averaged over the heads when average_attn_weights.
 *
 * Nested tensors.  cts has no nested tensor type; a nested tensor is
 * represented as a *padded* dense tensor [N, L, D] whose storage carries
 * the per-sequence lengths.  _nested_tensor_from_mask(t, mask) makes one:
 * a fresh storage, created by this file with its own release callback
 * (nested_release) whose context holds the lengths (the number of True
 * values in each mask row, which is what PyTorch uses even when the mask is
 * not left-aligned and mask_check is off) and the padded shape; positions
 * at or past a sequence's length hold zeros.  The tag is recognised only on
 * a tensor over that storage with offset 0, the padded shape and contiguous
 * strides (the tensor itself or an identical alias): a narrower view, a
 * copy or any other op's result is an ordinary dense tensor holding zeros
 * in the padding.  An in-place op of another family keeps the tag; what it
 * writes into the padding is ignored, as PyTorch has no elements there.
 * The kernels here that receive a tagged tensor treat it as PyTorch treats
 * the nested one: attention looks at the first len[n] queries and keys of
 * sequence n only, the results are tagged with the same lengths and zero in
 * the padding, and to_padded_tensor(padding, output_size) returns a plain
 * tensor of [N, max(len), D] (or output_size) with `padding` past each
 * sequence's end, which is PyTorch's padded output, shape included (it is
 * narrower than the input when every sequence ends early).  Given an
 * untagged (dense) tensor, to_padded_tensor copies it (padded to
 * output_size); PyTorch has no dense kernel for it.  prim::is_nested is not
 * this file's: it may report false for a tagged tensor; the scripted
 * TransformerEncoder's path does not depend on the answer after converting
 * (its layers ask `src.is_nested and src_key_padding_mask is not None` with
 * the mask None).
 *
 * Speed: the projections are single GEMMs with the bias fused (and relu
 * fused into the first feed-forward GEMM); the per-(batch, head) attention
 * runs as tasks on the thread pool, each with its own scratch, reading q,
 * k and v in place from the packed projection through GEMM row strides.
 *
 * float32 only; other dtypes are a clear error.  Layer norm is a local
 * helper (nn.c owns aten::layer_norm). */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "../core/pool.h"
#include "gemm.h"
#include "kutil.h"
#include "op.h"

/* ------------------------------------------------------------------------ */
/* helpers                                                                   */

static void *xmalloc(cts_kctx *k, size_t n, const char *what) {
    void *p = malloc(n ? n : 1);
    if (!p) cts_err_oom(k->err, what, n);
    return p;
}

static void *xcalloc(cts_kctx *k, size_t n, const char *what) {
    void *p = calloc(n ? n : 1, 1);
    if (!p) cts_err_oom(k->err, what, n);
    return p;
}

static int size_error(cts_kctx *k, int64_t a, int64_t b, int dim) {
    return cts_err_set(k->err,
                       "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                       (long long)a, (long long)b, dim);
}

/* PyTorch's message when an operand's dtype differs from the input's. */
static int dtype_match(cts_kctx *k, const ct_tensor *t) {
    if (t->dtype == CT_FLOAT32) return 0;
    return cts_err_set(k->err, "expected scalar type Float but found %s", ku_dtype_tname(t->dtype));
}

static int f32_only(cts_kctx *k, const char *op, const ct_tensor *t) {
    if (t->dtype == CT_FLOAT32) return 0;
    return cts_err_set(k->err, "%s: cts computes attention in float32 only, got a %s tensor", op,
                       ku_dtype_tname(t->dtype));
}

/* A float32 matrix [rows, cols] with unit column stride: in place when the
 * strides allow, else a contiguous copy in `own`. */
typedef struct fmat {
    const float *p;
    int64_t rows, cols, ld;
    ct_tensor *own;
} fmat;

static int fmat_of(cts_kctx *k, ct_tensor *t, fmat *m) {
    m->own = NULL;
    m->rows = t->ndim == 2 ? t->sizes[0] : 1;
    m->cols = t->ndim ? t->sizes[t->ndim - 1] : 1;
    int64_t cs = t->ndim ? t->strides[t->ndim - 1] : 1, rs = t->ndim == 2 ? t->strides[0] : m->cols;
    if (t->ndim <= 2 && (cs == 1 || m->cols <= 1) && (m->rows <= 1 || rs >= m->cols)) {
        m->p = ct_data(t);
        m->ld = m->rows <= 1 ? m->cols : rs;
        return 0;
    }
    if (!(m->own = ku_contiguous(t, k->err))) return -1;
    m->p = ct_data(m->own);
    m->ld = m->cols;
    return 0;
}

/* A bias vector of length n (1-D, n or 1 elements: addmm's expand),
 * contiguous: in place or copied into *own. */
static const float *vec_of(cts_kctx *k, ct_tensor *b, int64_t n, float **own) {
    *own = NULL;
    if (b->ndim == 1 && b->sizes[0] == n && (b->strides[0] == 1 || n <= 1)) return ct_data(b);
    float *v = xmalloc(k, (size_t)n * sizeof(float), "attention bias");
    if (!v) return NULL;
    const float *src = ct_data(b);
    int64_t st = b->ndim ? b->strides[b->ndim - 1] : 0, sz = b->ndim ? b->sizes[b->ndim - 1] : 1;
    for (int64_t i = 0; i < n; i++) v[i] = sz == 1 ? src[0] : src[i * st];
    *own = v;
    return v;
}

/* The checks of addmm(bias, mat1 [m, kk], w.t()) (linear on a 2-D input):
 * the bias expands to [m, w.size(0)] first, then the shapes multiply. */
static int check_linear(cts_kctx *k, ct_tensor *w, ct_tensor *b, int64_t m, int64_t kk) {
    if (dtype_match(k, w) || dtype_match(k, b)) return -1;
    return ku_check_linear(k->err, w, b, m, kk, "a fused attention layer");
}

/* C[M, N] = A[M, K] W^T + bias (W [N, K]); relu fused when asked; pool may
 * be NULL (serial). */
static int gemm_wt(cts_kctx *k, cts_pool *pool, cts_err *err, int64_t M, int64_t N, int64_t K, const float *A,
                   int64_t lda, const float *W, int64_t ldw, const float *bias, bool relu, float *C, int64_t ldc) {
    (void)k;
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = M;
    g.N = N;
    g.K = K;
    g.A = A;
    g.lda = lda > 0 ? lda : 1;
    g.B = W;
    g.ldb = ldw > 0 ? ldw : 1;
    g.trans_b = true;
    g.C = C;
    g.ldc = ldc > 0 ? ldc : 1;
    g.bias_n = bias;
    if (relu) {
        g.clamp = true;
        g.clamp_lo = 0.0f;
        g.clamp_hi = INFINITY;
    }
    return cts_sgemm(&g, pool, err);
}

/* ------------------------------------------------------------------------ */
/* the nested representation                                                 */

typedef struct nested_meta {
    void *data;       /* the storage's buffer, freed with it */
    int64_t n, l, d;  /* the padded shape the tag describes */
    int64_t len[];    /* valid length of each sequence, 0..l */
} nested_meta;

static void nested_release(void *ctx, void *data) {
    (void)data;
    nested_meta *m = ctx;
    free(m->data);
    free(m);
}

/* The lengths of a tagged tensor, or NULL for an ordinary one. */
static const nested_meta *nested_of(const ct_tensor *t) {
    if (!t || !t->storage || t->storage->release != nested_release) return NULL;
    const nested_meta *m = t->storage->release_ctx;
    if (t->ndim != 3 || t->offset != 0 || t->sizes[0] != m->n || t->sizes[1] != m->l || t->sizes[2] != m->d ||
        !ct_is_contiguous(t))
        return NULL;
    return m;
}

/* A new zero-filled tagged tensor [n, l, d] with the given lengths. */
static ct_tensor *nested_new(cts_kctx *k, ct_dtype dt, int64_t n, int64_t l, int64_t d, const int64_t *len) {
    int64_t sizes[3] = {n, l, d}, strides[3];
    int64_t numel = n * l * d;
    size_t nbytes = (size_t)numel * (size_t)ct_dtype_size(dt);
    size_t alloc = (nbytes + 63) / 64 * 64;
    void *data = aligned_alloc(64, alloc ? alloc : 64);
    nested_meta *m = malloc(sizeof *m + (size_t)(n ? n : 1) * sizeof(int64_t));
    if (!data || !m) {
        free(data);
        free(m);
        cts_err_oom(k->err, "nested tensor", nbytes);
        return NULL;
    }
    memset(data, 0, alloc ? alloc : 64);
    m->data = data;
    m->n = n;
    m->l = l;
    m->d = d;
    for (int64_t i = 0; i < n; i++) m->len[i] = len[i];
    ct_storage *s = ct_storage_wrap(data, nbytes, nested_release, m, k->err);
    if (!s) {
        nested_release(m, data);
        return NULL;
    }
    ct_contiguous_strides(3, sizes, strides);
    ct_tensor *t = ct_tensor_from_storage(s, dt, 0, 3, sizes, strides, k->err);
    ct_storage_release(s);
    return t;
}

/* A contiguous float32 [B, T, D] result: tagged with `len` when given. */
static ct_tensor *result_like(cts_kctx *k, int64_t B, int64_t T, int64_t D, const int64_t *len) {
    if (len) return nested_new(k, CT_FLOAT32, B, T, D, len);
    int64_t s[3] = {B, T, D};
    return ct_tensor_empty(CT_FLOAT32, 3, s, k->err);
}

/* Zeroes the rows of [B, T, D] past each sequence's length. */
static void zero_padding(float *x, int64_t B, int64_t T, int64_t D, const int64_t *len) {
    if (!len) return;
    for (int64_t b = 0; b < B; b++)
        if (len[b] < T) memset(x + (b * T + len[b]) * D, 0, (size_t)((T - len[b]) * D) * sizeof(float));
}

/* The checks shared by the two mask helpers. */
static int nested_mask_checks(cts_kctx *k, const ct_tensor *t, const ct_tensor *mask) {
    if (mask->dtype != CT_BOOL)
        return cts_err_set(k->err, "Expected mask to be of ScalarType Bool, but got %s instead.",
                           ku_dtype_tname(mask->dtype));
    if (mask->ndim != 2) return cts_err_set(k->err, "Padding mask should be 2D");
    if (t->ndim != 3) return cts_err_set(k->err, "Input should be a 3D tensor, N * L * D");
    if (t->sizes[0] != mask->sizes[0] || t->sizes[1] != mask->sizes[1])
        return cts_err_set(k->err, "Mask size should match input size");
    return 0;
}

static inline bool mask_at(const ct_tensor *mask, int64_t i, int64_t j) {
    const unsigned char *p = ct_data(mask);
    return p[i * mask->strides[0] + j * mask->strides[1]] != 0;
}

/* Row i of a [N, L] bool mask: the number of True values, and whether
 * they are exactly the first ones (left-aligned without gaps). */
static int64_t mask_row(const ct_tensor *mask, int64_t i, bool *aligned) {
    int64_t L = mask->sizes[1], count = 0, first_false = L;
    for (int64_t j = 0; j < L; j++) {
        if (mask_at(mask, i, j)) count++;
        else if (first_false == L) first_false = j;
    }
    *aligned = count == first_false;
    return count;
}

static int k_nested_from_mask(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *t, *mask;
    bool mask_check;
    if (ku_tensor(&a, 0, &t) || ku_tensor(&a, 1, &mask) || ku_bool(&a, 2, &mask_check)) return -1;
    if (nested_mask_checks(k, t, mask)) return -1;
    int64_t N = t->sizes[0], L = t->sizes[1], D = t->sizes[2];
    int64_t *len = xmalloc(k, (size_t)(N ? N : 1) * sizeof(int64_t), "nested lengths");
    if (!len) return -1;
    bool all_aligned = true;
    for (int64_t i = 0; i < N; i++) {
        bool al;
        len[i] = mask_row(mask, i, &al);
        all_aligned = all_aligned && al;
    }
    if (mask_check && !all_aligned) {
        free(len);
        return cts_err_set(k->err, "Mask must be left-aligned without gaps");
    }
    if (N == 0) { /* PyTorch stacks the per-sequence sizes */
        free(len);
        return cts_err_set(k->err, "stack expects a non-empty TensorList");
    }
    ct_tensor *src = ku_contiguous(t, k->err);
    ct_tensor *r = src ? nested_new(k, t->dtype, N, L, D, len) : NULL;
    if (r) {
        size_t row = (size_t)D * (size_t)ct_dtype_size(t->dtype);
        const char *s = ct_data(src);
        char *d = ct_data(r);
        for (int64_t i = 0; i < N; i++)
            if (len[i] && row) memcpy(d + (size_t)(i * L) * row, s + (size_t)(i * L) * row, (size_t)len[i] * row);
    }
    ct_tensor_release(src);
    free(len);
    return ku_ret(outs, r);
}

static int k_nested_from_mask_left_aligned(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *t, *mask;
    if (ku_tensor(&a, 0, &t) || ku_tensor(&a, 1, &mask)) return -1;
    if (nested_mask_checks(k, t, mask)) return -1;
    bool all = true;
    for (int64_t i = 0; i < mask->sizes[0] && all; i++) mask_row(mask, i, &all);
    outs[0] = cv_bool(all);
    return 0;
}

static int k_to_padded_tensor(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *t;
    double padding;
    int64_t os[CT_MAX_DIMS];
    int nos;
    if (ku_tensor(&a, 0, &t) || ku_float(&a, 1, &padding) || ku_opt_int_list(&a, 2, os, CT_MAX_DIMS, &nos)) return -1;
    const nested_meta *m = nested_of(t);
    int nd = t->ndim;
    int64_t padded[CT_MAX_DIMS];
    memcpy(padded, t->sizes, sizeof(int64_t) * (size_t)nd);
    if (m) {
        int64_t mx = 0;
        for (int64_t i = 0; i < m->n; i++) mx = m->len[i] > mx ? m->len[i] : mx;
        padded[1] = mx;
    }
    int64_t osz[CT_MAX_DIMS];
    memcpy(osz, padded, sizeof(int64_t) * (size_t)nd);
    if (nos >= 0) {
        if (nos != nd)
            return cts_err_set(k->err, "Length of output_size does not match NestedTensor dims. Broadcasting is not supported.");
        for (int i = 0; i < nd; i++) {
            if (os[i] < padded[i])
                return cts_err_set(k->err,
                                   "Value in output_size is less than NestedTensor padded size. Truncation is not supported.");
            osz[i] = os[i];
        }
    }
    ct_tensor *r = ct_tensor_empty(t->dtype, nd, osz, k->err);
    if (!r) return -1;
    ku_scalar pv = ku_scalar_float(padding);
    ku_fill(r, &pv);
    /* the valid part: t's first `padded` elements of each dim, and for a
     * tagged tensor only the first len[n] rows of sequence n */
    ct_tensor *src = NULL, *dst = NULL;
    int rc = 0;
    if (m) {
        for (int64_t i = 0; i < m->n && rc == 0; i++) {
            if (!m->len[i] || !m->d) continue;
            size_t row = (size_t)m->d * (size_t)ct_dtype_size(t->dtype);
            const char *s = (const char *)ct_data(t) + (size_t)(i * m->l) * row;
            char *d = (char *)ct_data(r) + (size_t)(i * r->strides[0]) * (size_t)ct_dtype_size(t->dtype);
            for (int64_t j = 0; j < m->len[i]; j++)
                memcpy(d + (size_t)(j * r->strides[1]) * (size_t)ct_dtype_size(t->dtype), s + (size_t)j * row, row);
        }
    } else {
        dst = r;
        ct_tensor_retain(dst);
        for (int i = 0; i < nd && dst; i++) {
            ct_tensor *v = ct_slice(dst, i, 0, t->sizes[i], 1, k->err);
            ct_tensor_release(dst);
            dst = v;
        }
        src = t;
        rc = dst ? ku_copy(dst, src, k->err) : -1;
        ct_tensor_release(dst);
    }
    if (rc) {
        ct_tensor_release(r);
        return -1;
    }
    return ku_ret(outs, r);
}

/* ------------------------------------------------------------------------ */
/* multi-head attention                                                      */

/* A boolean mask over the scores [B, heads, T, T]: element (b, h, i, j) at
 * p[b*s[0] + h*s[1] + i*s[2] + j*s[3]], nonzero = masked. */
typedef struct maskview {
    const unsigned char *p;
    int64_t s[4];
    unsigned char *own;
} maskview;

/* masked_softmax of 1.13's attention.cpp and _masked_softmax's CPU checks.
 * T is the sequence length (the scores are [B, nh, T, T]). */
static int mask_prepare(cts_kctx *k, ct_tensor *mask, bool has_type, int64_t mask_type, int64_t B, int64_t nh, int64_t T,
                        maskview *mv) {
    memset(mv, 0, sizeof *mv);
    const char *improve = "  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)";
    int64_t ms[4], mst[4];
    int nd = mask->ndim;
    if (nd == 2) {
        if (mask->sizes[0] != B)
            return cts_err_set(k->err, "Expected attn_mask->sizes()[0] == batch_size to be true, but got false.%s", improve);
        if (mask->sizes[1] != T)
            return cts_err_set(k->err, "Expected attn_mask->sizes()[1] == seq_len to be true, but got false.%s", improve);
        int64_t e[4] = {B, nh, T, T};
        memcpy(ms, e, sizeof ms);
    } else if (nd == 4) {
        memcpy(ms, mask->sizes, sizeof ms);
    }
    int64_t want[4] = {B, nh, T, T};
    if ((nd != 2 && nd != 4) || memcmp(ms, want, sizeof ms))
        return cts_err_set(k->err, "Mask shape should match input shape");
    if (!has_type) return cts_err_set(k->err, "Mask Type should be defined");
    if (mask_type < 0 || mask_type > 2)
        return cts_err_set(k->err, "Mask Type should be 0 (src_mask) or 1 (src_key_padding_mask), or 2 (default_mask)");
    if (mask_type == 0) return cts_err_set(k->err, "src_mask not currently supported on CPU");
    /* the values as bytes: a bool mask in place, else `!= 0` */
    const unsigned char *p;
    if (mask->dtype == CT_BOOL) {
        p = ct_data(mask);
        for (int i = 0; i < nd; i++) mst[i] = mask->strides[i];
    } else {
        int64_t n = ct_numel(mask);
        unsigned char *own = xmalloc(k, (size_t)n, "attention mask");
        if (!own) return -1;
        ct_iter it;
        ct_iter_init(&it, mask);
        const char *base = ct_data(mask);
        int esz = ct_dtype_size(mask->dtype);
        for (int64_t i = 0; i < n; i++) {
            own[i] = ct_load_f64(base + it.pos * esz, mask->dtype) != 0.0;
            ct_iter_next(&it);
        }
        mv->own = own;
        p = own;
        ct_contiguous_strides(nd, mask->sizes, mst);
        for (int i = 0; i < nd; i++)
            if (mask->sizes[i] == 1) mst[i] = 0;
    }
    mv->p = p;
    if (nd == 2) {
        int64_t s[4] = {mst[0], 0, 0, mst[1]};
        memcpy(mv->s, s, sizeof s);
    } else {
        memcpy(mv->s, mst, sizeof mst);
    }
    return 0;
}

/* The float loops of softmax and gelu, in blocks of 8 through temporaries
 * (gcc -O2's very-cheap vectorizer wants a known trip count), compiled
 * plain and as AVX2+FMA clones chosen at run time. */
#define ATT_LOOPS(ATTR, SUF)                                                                  \
    /* s[j] = exp(s[j] - mx) */                                                              \
    ATTR static void exp_shift_##SUF(float *restrict s, int64_t n, float mx) {               \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8) {                                                         \
            float t[8];                                                                      \
            for (int u = 0; u < 8; u++) t[u] = ku_expf(s[j + u] - mx);                       \
            for (int u = 0; u < 8; u++) s[j + u] = t[u];                                     \
        }                                                                                    \
        for (; j < n; j++) s[j] = ku_expf(s[j] - mx);                                        \
    }                                                                                        \
    /* the sum, in 8 lanes as a vectorized reduction */                                     \
    ATTR static float sum_##SUF(const float *restrict s, int64_t n) {                        \
        float acc[8] = {0};                                                                  \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8)                                                           \
            for (int u = 0; u < 8; u++) acc[u] += s[j + u];                                  \
        float r = 0.0f;                                                                      \
        for (int u = 0; u < 8; u++) r += acc[u];                                             \
        for (; j < n; j++) r += s[j];                                                        \
        return r;                                                                            \
    }                                                                                        \
    ATTR static void scale_##SUF(float *restrict s, int64_t n, float f) {                    \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8)                                                           \
            for (int u = 0; u < 8; u++) s[j + u] *= f;                                       \
        for (; j < n; j++) s[j] *= f;                                                        \
    }                                                                                        \
    /* exact (erf) gelu: x/2 (1 + erf(x/sqrt(2))) */                                         \
    ATTR static void gelu_##SUF(float *restrict x, int64_t n) {                              \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8) {                                                         \
            float t[8];                                                                      \
            for (int u = 0; u < 8; u++)                                                      \
                t[u] = x[j + u] * 0.5f * (1.0f + ku_erff(x[j + u] * 0.70710678118654752f));  \
            for (int u = 0; u < 8; u++) x[j + u] = t[u];                                     \
        }                                                                                    \
        for (; j < n; j++) x[j] = x[j] * 0.5f * (1.0f + ku_erff(x[j] * 0.70710678118654752f)); \
    }

ATT_LOOPS(, c)
#if defined(__x86_64__) || defined(__i386__)
ATT_LOOPS(__attribute__((target("avx2,fma"))), avx2)
#define ATT_AVX2 (cts_cpu_isa() >= CTS_ISA_AVX2)
#else
#define ATT_AVX2 0
#define exp_shift_avx2 exp_shift_c
#define sum_avx2 sum_c
#define scale_avx2 scale_c
#define gelu_avx2 gelu_c
#endif

/* Softmax of s[0..n) in place, skipping masked entries (m[j*ms] != 0),
 * which become 0; every entry masked gives NaN, as PyTorch's CPU kernel. */
static void softmax_row(float *s, int64_t n, const unsigned char *m, int64_t ms, bool avx2) {
    float mx = -INFINITY;
    bool any = false;
    for (int64_t j = 0; j < n; j++)
        if (!m || !m[j * ms]) {
            mx = s[j] > mx ? s[j] : mx;
            any = true;
        }
    if (!any) {
        for (int64_t j = 0; j < n; j++) s[j] = NAN;
        return;
    }
    if (avx2) exp_shift_avx2(s, n, mx);
    else exp_shift_c(s, n, mx);
    if (m)
        for (int64_t j = 0; j < n; j++)
            if (m[j * ms]) s[j] = 0.0f;
    float sum = avx2 ? sum_avx2(s, n) : sum_c(s, n);
    if (avx2) scale_avx2(s, n, 1.0f / sum);
    else scale_c(s, n, 1.0f / sum);
}

static void gelu_rows(float *x, int64_t n) {
    if (ATT_AVX2) gelu_avx2(x, n);
    else gelu_c(x, n);
}

/* One (batch, head) pair per task. */
typedef struct attn_job {
    int64_t T, D, nh, dh;
    const float *qkv;       /* [B*T, 3D]: q (scaled) | k | v, biases added */
    const maskview *mask;   /* or NULL */
    const int64_t *len;     /* nested lengths or NULL */
    float *ctx;             /* [B*T, D], zeroed */
    float *weights;         /* [B, nh, T, T] or NULL */
    float *scratch;         /* T*T per thread */
    cts_err *errs;          /* one per thread */
    bool avx2;              /* use the AVX2 loops */
    atomic_int failed;
} attn_job;

static void attn_task(void *vctx, int64_t task, int thread) {
    attn_job *j = vctx;
    int64_t T = j->T, D = j->D, dh = j->dh, b = task / j->nh, h = task % j->nh;
    int64_t n = j->len ? j->len[b] : T; /* valid queries and keys */
    float *S = j->weights ? j->weights + task * T * T : j->scratch + (int64_t)thread * T * T;
    if (j->weights && n < T) memset(S, 0, (size_t)(T * T) * sizeof(float));
    if (n == 0) return;
    const float *q = j->qkv + b * T * 3 * D + h * dh;
    cts_err *err = &j->errs[thread];
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = n;
    g.N = n;
    g.K = dh;
    g.A = q;
    g.lda = 3 * D;
    g.B = q + D;
    g.ldb = 3 * D;
    g.trans_b = true;
    g.C = S;
    g.ldc = T;
    if (cts_sgemm(&g, NULL, err)) {
        atomic_store(&j->failed, 1);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        const unsigned char *m = NULL;
        int64_t ms = 0;
        if (j->mask) {
            m = j->mask->p + b * j->mask->s[0] + h * j->mask->s[1] + i * j->mask->s[2];
            ms = j->mask->s[3];
        }
        softmax_row(S + i * T, n, m, ms, j->avx2);
    }
    cts_sgemm_args c = CTS_SGEMM_ARGS_INIT;
    c.M = n;
    c.N = dh;
    c.K = n;
    c.A = S;
    c.lda = T;
    c.B = q + 2 * D;
    c.ldb = 3 * D;
    c.C = j->ctx + b * T * D + h * dh;
    c.ldc = D;
    if (cts_sgemm(&c, NULL, err)) atomic_store(&j->failed, 1);
}

/* _native_multi_head_attention on tensors.  len: nested lengths of the
 * query (or NULL).  Returns the output [B, T, Dout] (tagged when len) in
 * *out and, when need_weights, the weights in *weights. */
typedef struct mha_args {
    ct_tensor *query, *key, *value;
    int64_t embed_dim, num_head;
    ct_tensor *qkv_weight, *qkv_bias, *proj_weight, *proj_bias, *mask;
    bool need_weights, average, has_mask_type;
    int64_t mask_type;
    const int64_t *len;
} mha_args;

static int mha_run(cts_kctx *k, const mha_args *a, ct_tensor **out, ct_tensor **weights) {
    *out = *weights = NULL;
    ct_tensor *q = a->query, *kt = a->key, *v = a->value;
    int64_t D = a->embed_dim, nh = a->num_head;
    bool nested = a->len != NULL;
    if (a->mask && nested) return cts_err_set(k->err, "NestedTensor with mask is not supported yet");
    if (q->ndim != 3) return cts_err_set(k->err, "expected 3-D `query`, got %d-D tensor", q->ndim);
    if (q->sizes[2] != D)
        return cts_err_set(k->err, "passed-in embed_dim %lld didn't match last dim of query %lld", (long long)D,
                           (long long)q->sizes[2]);
    if (kt->ndim != 3) return cts_err_set(k->err, "expected 3-D `key`, got %d-D tensor", kt->ndim);
    if (v->ndim != 3) return cts_err_set(k->err, "expected 3-D `value`, got %d-D tensor", v->ndim);
    if (!ku_same_shape(3, q->sizes, 3, kt->sizes) || !ku_same_shape(3, kt->sizes, 3, v->sizes))
        return cts_err_set(k->err, "expected `query`/`key`/`value` shapes to match");
    ct_tensor *w = a->qkv_weight, *bq = a->qkv_bias;
    if (w->ndim != 2) return cts_err_set(k->err, "expected 2-D `qkv_weight`, got %d-D tensor", w->ndim);
    if (D * 3 != w->sizes[0]) return cts_err_set(k->err, "expected `qkv_weight` first dim to be 3x embed_dim");
    if (D != w->sizes[1]) return cts_err_set(k->err, "expected `qkv_weight` second dim to be embed_Dim");
    /* (1.13's message says 2-D for this 1-D check) */
    if (bq->ndim != 1) return cts_err_set(k->err, "expected 2-D `qkv_bias`, got %d-D tensor", bq->ndim);
    if (bq->sizes[0] != 3 * D)
        return cts_err_set(k->err, "expected `qkv_bias` first dim and first dim of query to be equal");
    if (nh <= 0) return cts_err_set(k->err, "cts: num_heads must be positive, got %lld", (long long)nh);
    if (D % nh != 0) return cts_err_set(k->err, "`embed_dim` must divide evenly by `num_heads`");
    if (f32_only(k, "_native_multi_head_attention", q) || dtype_match(k, kt) || dtype_match(k, v) ||
        dtype_match(k, w) || dtype_match(k, bq))
        return -1;
    int64_t B = q->sizes[0], T = q->sizes[1], R = B * T, dh = D / nh;
    if (R * 3 * D == 0) {
        /* qkv.numel() == 0: empty_like(query) and no weights */
        ct_tensor *e = result_like(k, B, T, D, a->len);
        if (!e) return -1;
        *out = e;
        return 0;
    }
    maskview mv = {0};
    if (a->mask && mask_prepare(k, a->mask, a->has_mask_type, a->mask_type, B, nh, T, &mv)) return -1;
    ct_tensor *pw = a->proj_weight, *pb = a->proj_bias;
    int rc = -1;
    fmat wm = {0}, pm = {0};
    ct_tensor *qc = NULL, *kc = NULL, *vc = NULL, *o = NULL, *wt = NULL;
    float *qkv = NULL, *ctx = NULL, *scratch = NULL, *own_bq = NULL, *own_pb = NULL;
    cts_err *errs = NULL;
    /* the output projection's checks come after the softmax in PyTorch */
    if (check_linear(k, pw, pb, R, D)) goto done;
    int64_t Dout = pw->sizes[0];
    if (fmat_of(k, w, &wm) || fmat_of(k, pw, &pm)) goto done;
    const float *bqv = vec_of(k, bq, 3 * D, &own_bq), *pbv = bqv ? vec_of(k, pb, Dout, &own_pb) : NULL;
    if (!bqv || !pbv) goto done;
    if (!(qc = ku_contiguous(q, k->err))) goto done;
    bool self = kt == q && v == q;
    if (!self && (!(kc = ku_contiguous(kt, k->err)) || !(vc = ku_contiguous(v, k->err)))) goto done;
    if (!(qkv = xmalloc(k, (size_t)(R * 3 * D) * sizeof(float), "attention projections"))) goto done;
    /* qkv = [q | k | v] projections with their biases */
    if (self) {
        if (gemm_wt(k, k->pool, k->err, R, 3 * D, D, ct_data(qc), D, wm.p, wm.ld, bqv, false, qkv, 3 * D)) goto done;
    } else {
        ct_tensor *src[3] = {qc, kc, vc};
        for (int p = 0; p < 3; p++)
            if (gemm_wt(k, k->pool, k->err, R, D, D, ct_data(src[p]), D, wm.p + p * D * wm.ld, wm.ld, bqv + p * D, false,
                        qkv + p * D, 3 * D))
                goto done;
    }
    const float inv_sqrt = (float)(1.0 / (double)sqrtf((float)dh));
    for (int64_t r = 0; r < R; r++)
        for (int64_t c = 0; c < D; c++) qkv[r * 3 * D + c] *= inv_sqrt;
    /* attention per (batch, head) */
    int nthreads = cts_pool_nthreads(k->pool);
    double flops = 4.0 * (double)B * (double)nh * (double)T * (double)T * (double)dh;
    cts_pool *pool = flops >= CTS_POOL_MIN_FLOPS ? k->pool : NULL;
    if (!pool) nthreads = 1;
    if (!(ctx = xcalloc(k, (size_t)(R * D) * sizeof(float), "attention context"))) goto done;
    if (a->need_weights) {
        int64_t ws[4] = {B, nh, T, T};
        if (!(wt = ct_tensor_empty(CT_FLOAT32, 4, ws, k->err))) goto done;
    } else if (!(scratch = xmalloc(k, (size_t)(nthreads * T * T) * sizeof(float), "attention scores"))) {
        goto done;
    }
    if (!(errs = xcalloc(k, (size_t)nthreads * sizeof(cts_err), "attention errors"))) goto done;
    attn_job job = {T, D, nh, dh, qkv, a->mask ? &mv : NULL, a->len, ctx, wt ? ct_data(wt) : NULL, scratch, errs, ATT_AVX2, 0};
    atomic_init(&job.failed, 0);
    cts_pool_parallel_for(pool, B * nh, attn_task, &job);
    if (atomic_load(&job.failed)) {
        for (int i = 0; i < nthreads; i++)
            if (errs[i].set) {
                cts_err_set(k->err, "%s", errs[i].msg);
                break;
            }
        if (!k->err->set) cts_err_set(k->err, "attention failed");
        goto done;
    }
    /* the output projection */
    if (!(o = result_like(k, B, T, Dout, a->len))) goto done;
    if (gemm_wt(k, k->pool, k->err, R, Dout, D, ctx, D, pm.p, pm.ld, pbv, false, ct_data(o), Dout)) goto done;
    zero_padding(ct_data(o), B, T, Dout, a->len);
    if (wt && a->average) {
        int64_t as[3] = {B, T, T};
        ct_tensor *avg = ct_tensor_empty(CT_FLOAT32, 3, as, k->err);
        if (!avg) goto done;
        const float *src = ct_data(wt);
        float *dst = ct_data(avg);
        for (int64_t b = 0; b < B; b++)
            for (int64_t e = 0; e < T * T; e++) {
                float s = 0.0f;
                for (int64_t h = 0; h < nh; h++) s += src[(b * nh + h) * T * T + e];
                dst[b * T * T + e] = s / (float)nh;
            }
        ct_tensor_release(wt);
        wt = avg;
    }
    *out = o;
    *weights = wt;
    o = wt = NULL;
    rc = 0;
done:
    free(mv.own);
    ct_tensor_release(wm.own);
    ct_tensor_release(pm.own);
    ct_tensor_release(qc);
    ct_tensor_release(kc);
    ct_tensor_release(vc);
    ct_tensor_release(o);
    ct_tensor_release(wt);
    free(qkv);
    free(ctx);
    free(scratch);
    free(own_bq);
    free(own_pb);
    free(errs);
    return rc;
}

static int k_native_mha(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    mha_args m = {0};
    if (ku_tensor(&a, 0, &m.query) || ku_tensor(&a, 1, &m.key) || ku_tensor(&a, 2, &m.value) ||
        ku_int(&a, 3, &m.embed_dim) || ku_int(&a, 4, &m.num_head) || ku_tensor(&a, 5, &m.qkv_weight) ||
        ku_tensor(&a, 6, &m.qkv_bias) || ku_tensor(&a, 7, &m.proj_weight) || ku_tensor(&a, 8, &m.proj_bias) ||
        ku_opt_tensor(&a, 9, &m.mask) || ku_bool(&a, 10, &m.need_weights) || ku_bool(&a, 11, &m.average) ||
        ku_opt_int(&a, 12, &m.mask_type, &m.has_mask_type))
        return -1;
    const nested_meta *nm = nested_of(m.query);
    m.len = nm ? nm->len : NULL;
    ct_tensor *o, *w;
    if (mha_run(k, &m, &o, &w)) return -1;
    outs[0] = cv_tensor(o);
    outs[1] = cv_tensor(w); /* NULL: an undefined tensor, as PyTorch returns */
    return 0;
}

/* ------------------------------------------------------------------------ */
/* the encoder layer                                                         */

/* at::layer_norm(x, {D}, w, b, eps)'s checks. */
static int layer_norm_checks(cts_kctx *k, const ct_tensor *x, int64_t D, const ct_tensor *w, const ct_tensor *b) {
    char s1[64], s2[64];
    if (w->ndim != 1 || w->sizes[0] != D)
        return cts_err_set(k->err,
                           "Expected weight to be of same shape as normalized_shape, but got weight of shape %s and "
                           "normalized_shape = [%lld]",
                           ct_shape_str(w->ndim, w->sizes, s1, sizeof s1), (long long)D);
    if (b->ndim != 1 || b->sizes[0] != D)
        return cts_err_set(k->err,
                           "Expected bias to be of same shape as normalized_shape, but got bias of shape %s and "
                           "normalized_shape = [%lld]",
                           ct_shape_str(b->ndim, b->sizes, s1, sizeof s1), (long long)D);
    if (x->ndim < 1 || x->sizes[x->ndim - 1] != D)
        return cts_err_set(k->err, "Given normalized_shape=[%lld], expected input with shape [*, %lld], but got input of size%s",
                           (long long)D, (long long)D, ct_shape_str(x->ndim, x->sizes, s2, sizeof s2));
    if (dtype_match(k, w) || dtype_match(k, b)) return -1;
    return 0;
}

/* y[r] = layer_norm(x[r]) over rows of D; y may be x. */
static void layer_norm_rows(const float *x, float *y, int64_t rows, int64_t D, const float *w, const float *b,
                            double eps) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * D;
        double mean = 0.0, var = 0.0;
        for (int64_t j = 0; j < D; j++) mean += xr[j];
        mean /= (double)D;
        for (int64_t j = 0; j < D; j++) var += ((double)xr[j] - mean) * ((double)xr[j] - mean);
        var /= (double)D;
        float rstd = (float)(1.0 / sqrt(var + eps)), shift = (float)(-mean) * rstd;
        float *yr = y + r * D;
        for (int64_t j = 0; j < D; j++) yr[j] = (xr[j] * rstd + shift) * w[j] + b[j];
    }
}


static int k_transformer_encoder_layer_fwd(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *src, *qw, *qb, *pw, *pb, *n1w, *n1b, *n2w, *n2b, *f1w, *f1b, *f2w, *f2b, *mask;
    int64_t D, nh, mask_type = 0;
    bool use_gelu, norm_first, has_mt;
    double eps;
    if (ku_tensor(&a, 0, &src) || ku_int(&a, 1, &D) || ku_int(&a, 2, &nh) || ku_tensor(&a, 3, &qw) ||
        ku_tensor(&a, 4, &qb) || ku_tensor(&a, 5, &pw) || ku_tensor(&a, 6, &pb) || ku_bool(&a, 7, &use_gelu) ||
        ku_bool(&a, 8, &norm_first) || ku_float(&a, 9, &eps) || ku_tensor(&a, 10, &n1w) || ku_tensor(&a, 11, &n1b) ||
        ku_tensor(&a, 12, &n2w) || ku_tensor(&a, 13, &n2b) || ku_tensor(&a, 14, &f1w) || ku_tensor(&a, 15, &f1b) ||
        ku_tensor(&a, 16, &f2w) || ku_tensor(&a, 17, &f2b) || ku_opt_tensor(&a, 18, &mask) ||
        ku_opt_int(&a, 19, &mask_type, &has_mt))
        return -1;
    const char *op = "_transformer_encoder_layer_fwd";
    if (f32_only(k, op, src)) return -1;
    const nested_meta *nm = nested_of(src);
    const int64_t *len = nm ? nm->len : NULL;
    if (ct_numel(src) == 0) {
        /* src.clone() (a nested one keeps its lengths) */
        ct_tensor *c = nm ? nested_new(k, src->dtype, nm->n, nm->l, nm->d, nm->len)
                          : ct_tensor_empty(src->dtype, src->ndim, src->sizes, k->err);
        return ku_ret(outs, c);
    }
    int rc = -1;
    ct_tensor *sc = NULL, *xn = NULL, *attn = NULL, *attn_w = NULL, *res = NULL;
    float *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL, *hid = NULL;
    fmat m1 = {0}, m2 = {0};
    if (!(sc = ku_contiguous(src, k->err))) goto done;
    int64_t R = ct_numel(sc) / (sc->ndim ? sc->sizes[sc->ndim - 1] : 1);
    ct_tensor *x = sc;
    const float *w1 = NULL, *b1 = NULL, *w2 = NULL, *b2 = NULL;
    /* norm_first: x = norm1(src) */
    if (norm_first) {
        if (layer_norm_checks(k, sc, D, n1w, n1b)) goto done;
        if (!(w1 = vec_of(k, n1w, D, &o1)) || !(b1 = vec_of(k, n1b, D, &o2))) goto done;
        if (!(xn = ct_tensor_empty(CT_FLOAT32, sc->ndim, sc->sizes, k->err))) goto done;
        layer_norm_rows(ct_data(sc), ct_data(xn), R, D, w1, b1, eps);
        x = xn;
    }
    /* x = self_attention(x) */
    mha_args m = {x, x, x, D, nh, qw, qb, pw, pb, mask, false, true, has_mt, mask_type, len};
    if (mha_run(k, &m, &attn, &attn_w)) goto done;
    ct_tensor_release(attn_w);
    attn_w = NULL;
    /* x.add_(src) */
    int64_t B = sc->sizes[0], T = sc->sizes[1];
    if (attn->sizes[2] != D) {
        size_error(k, attn->sizes[2], D, 2);
        goto done;
    }
    float *xa = ct_data(attn);
    const float *sp = ct_data(sc);
    for (int64_t i = 0; i < R * D; i++) xa[i] += sp[i];
    if (!norm_first) {
        if (layer_norm_checks(k, attn, D, n1w, n1b)) goto done;
        if (!(w1 = vec_of(k, n1w, D, &o1)) || !(b1 = vec_of(k, n1b, D, &o2))) goto done;
        layer_norm_rows(xa, xa, R, D, w1, b1, eps);
    }
    /* pre = x; x = norm2(x) if norm_first */
    const float *fin = xa;
    if (norm_first) {
        if (layer_norm_checks(k, attn, D, n2w, n2b)) goto done;
        if (!(w2 = vec_of(k, n2w, D, &o3)) || !(b2 = vec_of(k, n2b, D, &o4))) goto done;
        ct_tensor_release(xn);
        if (!(xn = ct_tensor_empty(CT_FLOAT32, 3, attn->sizes, k->err))) goto done;
        layer_norm_rows(xa, ct_data(xn), R, D, w2, b2, eps);
        fin = ct_data(xn);
    }
    /* the feed-forward block: linear2(act(linear1(x))) */
    if (f1w->ndim != 2 || f2w->ndim != 2) {
        cts_err_set(k->err, "2d weights expected");
        goto done;
    }
    if (check_linear(k, f1w, f1b, R, D)) goto done;
    int64_t F = f1w->sizes[0];
    float *ob1 = NULL, *ob2 = NULL;
    const float *fb1 = vec_of(k, f1b, F, &ob1);
    if (!fb1 || fmat_of(k, f1w, &m1)) {
        free(ob1);
        goto done;
    }
    hid = xmalloc(k, (size_t)(R * F) * sizeof(float), "feed-forward hidden");
    int e = !hid || gemm_wt(k, k->pool, k->err, R, F, D, fin, D, m1.p, m1.ld, fb1, !use_gelu, hid, F);
    free(ob1);
    if (e) goto done;
    if (use_gelu) gelu_rows(hid, R * F);
    if (check_linear(k, f2w, f2b, R, F)) goto done;
    int64_t D2 = f2w->sizes[0];
    if (D2 != D) {
        size_error(k, D2, D, 2);
        goto done;
    }
    const float *fb2 = vec_of(k, f2b, D2, &ob2);
    if (!fb2 || fmat_of(k, f2w, &m2)) {
        free(ob2);
        goto done;
    }
    if (!(res = result_like(k, B, T, D, len))) {
        free(ob2);
        goto done;
    }
    float *y = ct_data(res);
    e = gemm_wt(k, k->pool, k->err, R, D, F, hid, F, m2.p, m2.ld, fb2, false, y, D);
    free(ob2);
    if (e) goto done;
    /* x.add_(pre); x = norm2(x) unless norm_first */
    for (int64_t i = 0; i < R * D; i++) y[i] += xa[i];
    if (!norm_first) {
        if (layer_norm_checks(k, res, D, n2w, n2b)) goto done;
        if (!(w2 = vec_of(k, n2w, D, &o3)) || !(b2 = vec_of(k, n2b, D, &o4))) goto done;
        layer_norm_rows(y, y, R, D, w2, b2, eps);
    }
    zero_padding(y, B, T, D, len);
    outs[0] = cv_tensor(res);
    res = NULL;
    rc = 0;
done:
    ct_tensor_release(sc);
    ct_tensor_release(xn);
    ct_tensor_release(attn);
    ct_tensor_release(attn_w);
    ct_tensor_release(res);
    ct_tensor_release(m1.own);
    ct_tensor_release(m2.own);
    free(o1);
    free(o2);
    free(o3);
    free(o4);
    free(hid);
    return rc;
}

/* clang-format off */
const cts_op_def cts_ops_attention[] = {
    {"aten::_native_multi_head_attention(Tensor query, Tensor key, Tensor value, int embed_dim, int num_head, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, Tensor? mask=None, bool need_weights=True, bool average_attn_weights=True, int? mask_type=None) -> (Tensor, Tensor)", k_native_mha},
    {"aten::_transformer_encoder_layer_fwd(Tensor src, int embed_dim, int num_heads, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias, bool use_gelu, bool norm_first, float eps, Tensor norm_weight_1, Tensor norm_bias_1, Tensor norm_weight_2, Tensor norm_bias_2, Tensor ffn_weight_1, Tensor ffn_bias_1, Tensor ffn_weight_2, Tensor ffn_bias_2, Tensor? mask=None, int? mask_type=None) -> Tensor", k_transformer_encoder_layer_fwd},
    {"aten::_nested_tensor_from_mask(Tensor t, Tensor mask, bool mask_check=True) -> Tensor", k_nested_from_mask},
    {"aten::_nested_tensor_from_mask_left_aligned(Tensor t, Tensor mask) -> bool", k_nested_from_mask_left_aligned},
    {"aten::to_padded_tensor(Tensor self, float padding, int[]? output_size=None) -> Tensor", k_to_padded_tensor},
};
/* clang-format on */
const int cts_ops_attention_count = (int)(sizeof cts_ops_attention / sizeof *cts_ops_attention);
