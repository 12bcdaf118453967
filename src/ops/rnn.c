/* rnn.c - recurrent layers: aten::lstm, gru, rnn_tanh and rnn_relu over
 * padded (.input) and packed (.data) sequences, and the one-step cells
 * lstm_cell, gru_cell, rnn_tanh_cell and rnn_relu_cell.
 *
 * The semantics are PyTorch 1.13's CPU path (aten/src/ATen/native/RNN.cpp):
 *
 *   - params hold, for each layer and direction (forward before reverse),
 *     w_ih [G, I] and w_hh [G, Hh], then b_ih [G] and b_hh [G] when
 *     has_biases, then w_hr [P, H] for an LSTM with projections, which is
 *     detected as PyTorch does: hx[0] and hx[1] differ in their last size.
 *     G = gates * H; Hh is the size of the hidden state (P or H).
 *   - gate order: LSTM i, f, g, o (c' = f c + i g, h' = o tanh(c'), then
 *     h' = h' w_hr^T with projections); GRU r, z, n with
 *     n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and h' = (h - n) z + n;
 *     rnn_tanh / rnn_relu h' = act(W_hh h + b_hh + W_ih x + b_ih).
 *   - hx is [layers * directions, batch, Hh] (never batch-first); the
 *     output is [T, batch, Hh * directions], or its transpose(0, 1) view
 *     when batch_first, exactly PyTorch's strides.
 *   - bidirectional: the reverse direction walks the steps backwards and
 *     the outputs are concatenated [forward, reverse] on the last axis.
 *   - dropout between layers happens only when train is true, dropout is
 *     nonzero and there is more than one layer.  cts has no random dropout,
 *     so that one combination is an error; every other one is
 *     deterministic and computed.
 *
 * One engine serves both overloads.  A packed sequence's batch_sizes say
 * how many rows are active at each step: a prefix, since sequences are
 * sorted by decreasing length.  Inactive rows keep their state, which
 * gives PyTorch's PackedLayer / ReversedPackedLayer results (a finished
 * sequence's final state stays put; in reverse, a sequence starts from its
 * initial state when it becomes active).  A padded sequence is the case
 * where every step has all rows active.
 *
 * Speed: per layer and direction the input projection of every step is one
 * GEMM ([rows, I] x W_ih^T, b_ih fused); each step is one GEMM of the active
 * hidden rows against W_hh^T (packed once per layer and direction, b_hh
 * fused) followed by a fused, vectorizable gate loop.
 *
 * Only float32 is computed (the dtype of models); other dtypes are a clear
 * error.  Shape errors carry PyTorch's messages for the mistakes that reach
 * the aten op (wrong input size, hidden size, batch, bias length, parameter
 * and state counts). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "../core/pool.h"
#include "gemm.h"
#include "kutil.h"
#include "op.h"

typedef enum cell_kind { CELL_LSTM, CELL_GRU, CELL_TANH, CELL_RELU } cell_kind;

static const char *const CELL_NAME[] = {"lstm", "gru", "rnn_tanh", "rnn_relu"};
static const int CELL_GATES[] = {4, 3, 1, 1};

/* ------------------------------------------------------------------------ */
/* small helpers                                                             */

static void *xmalloc(cts_kctx *k, size_t n, const char *what) {
    void *p = malloc(n ? n : 1);
    if (!p) cts_err_oom(k->err, what, n);
    return p;
}

static int f32_only(cts_kctx *k, const char *op, const ct_tensor *t) {
    if (t->dtype == CT_FLOAT32) return 0;
    return cts_err_set(k->err, "%s: cts computes recurrent layers in float32 only, got a %s tensor", op,
                       ku_dtype_tname(t->dtype));
}

/* PyTorch's message for a weight whose dtype differs from the input's. */
static int same_dtype(cts_kctx *k, const ct_tensor *t) {
    if (t->dtype == CT_FLOAT32) return 0;
    return cts_err_set(k->err, "mat1 and mat2 must have the same dtype");
}

/* maybe_wrap_dim's messages for t.size(dim). */
static int dim_error(cts_kctx *k, int ndim, int dim) {
    if (ndim == 0) return cts_err_set(k->err, "Dimension specified as %d but tensor has no dimensions", dim);
    return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%d, %d], but got %d)", -ndim,
                       ndim - 1, dim);
}

static int size_error(cts_kctx *k, int64_t a, int64_t b, int dim) {
    return cts_err_set(k->err, "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                       (long long)a, (long long)b, dim);
}

/* A float32 matrix [rows, cols] read in place when its strides allow (unit
 * column stride), else from a contiguous copy held in `own`. */
typedef struct fmat {
    const float *p;
    int64_t rows, cols, ld;
    ct_tensor *own;
} fmat;

static int fmat_of(cts_kctx *k, ct_tensor *t, fmat *m) {
    m->own = NULL;
    m->rows = t->ndim == 2 ? t->sizes[0] : 1;
    m->cols = t->sizes[t->ndim - 1];
    int64_t cs = t->strides[t->ndim - 1], rs = t->ndim == 2 ? t->strides[0] : m->cols;
    if ((cs == 1 || m->cols <= 1) && (m->rows <= 1 || rs >= m->cols)) {
        m->p = ct_data(t);
        m->ld = m->rows <= 1 ? m->cols : rs;
        return 0;
    }
    if (!(m->own = ku_contiguous(t, k->err))) return -1;
    m->p = ct_data(m->own);
    m->ld = m->cols;
    return 0;
}

/* A bias of length n as a contiguous float vector: in place, or a copy
 * (strided, or a single value broadcast as addmm's expand allows). */
static const float *bias_of(cts_kctx *k, ct_tensor *b, int64_t n, float **own) {
    *own = NULL;
    if (b->sizes[0] == n && (b->strides[0] == 1 || n <= 1)) return ct_data(b);
    float *v = xmalloc(k, (size_t)n * sizeof(float), "rnn bias");
    if (!v) return NULL;
    const float *src = ct_data(b);
    for (int64_t i = 0; i < n; i++) v[i] = b->sizes[0] == 1 ? src[0] : src[i * b->strides[0]];
    *own = v;
    return v;
}

/* The check addmm(bias, mat1 [m, kk], w.t()) makes: bias expands to
 * [m, w.size(0)], then the product's shapes. */
static int check_linear(cts_kctx *k, ct_tensor *w, ct_tensor *b, int64_t m, int64_t kk) {
    if (same_dtype(k, w) || (b && same_dtype(k, b))) return -1;
    return ku_check_linear(k->err, w, b, m, kk, "a recurrent layer");
}

/* C[M, N] = A[M, K] . op(B) + bias (op(B) = W^T for a weight W [N, K], or
 * the packed W^T). */
static int gemm_wt(cts_kctx *k, int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const fmat *w,
                   const cts_gemm_packed *packed, const float *bias, float *C, int64_t ldc) {
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = M;
    g.N = N;
    g.K = K;
    g.A = A;
    g.lda = lda > 0 ? lda : 1;
    if (packed) {
        g.packed_b = packed;
    } else {
        g.B = w->p;
        g.ldb = w->ld > 0 ? w->ld : 1;
        g.trans_b = true;
    }
    g.C = C;
    g.ldc = ldc > 0 ? ldc : 1;
    g.bias_n = bias;
    return cts_sgemm(&g, k->pool, k->err);
}

/* ------------------------------------------------------------------------ */
/* gate loops                                                                */

/* The gate arithmetic of one batch row as a few passes of simple loops over
 * contiguous floats, each in blocks of 8 through a temporary: gcc -O2's
 * very-cheap vectorizer wants a known trip count.  The passes are compiled
 * twice, plain and as AVX2+FMA clones chosen at run time; -std=c11 keeps
 * contraction off, so both give the same bits.  gh (W_hh h + b_hh) is
 * scratch and is overwritten; gi (W_ih x + b_ih) is only read. */
static inline float sigm(float x) { return 1.0f / (1.0f + ku_expf(-x)); }
static inline float relu1(float v) { return v < 0.0f ? 0.0f : v; } /* NaN passes, as clamp_min */

/* a[j] = F(a[j] + b[j]) for j < n */
#define GATE_PASS(ATTR, NAME, F)                                                                   \
    ATTR static void NAME(float *restrict a, const float *restrict b, int64_t n) {                 \
        int64_t j = 0;                                                                              \
        for (; j + 8 <= n; j += 8) {                                                                \
            float t[8];                                                                             \
            for (int u = 0; u < 8; u++) t[u] = F(a[j + u] + b[j + u]);                              \
            for (int u = 0; u < 8; u++) a[j + u] = t[u];                                            \
        }                                                                                           \
        for (; j < n; j++) a[j] = F(a[j] + b[j]);                                                   \
    }

#define RNN_ROWS(ATTR, SUF)                                                                                         \
    GATE_PASS(ATTR, sig_pass_##SUF, sigm)                                                                          \
    GATE_PASS(ATTR, tanh_pass_##SUF, ku_tanhf)                                                                     \
    GATE_PASS(ATTR, relu_pass_##SUF, relu1)                                                                        \
    /* g = [i f g o] activated; c' = f c + i g, h' = o tanh(c') */                                                 \
    ATTR static void lstm_out_##SUF(const float *restrict g, int64_t H, float *restrict c, float *restrict h) {   \
        int64_t j = 0;                                                                                              \
        for (; j + 8 <= H; j += 8) {                                                                                \
            float tc[8], th[8];                                                                                     \
            for (int u = 0; u < 8; u++) {                                                                           \
                tc[u] = g[H + j + u] * c[j + u] + g[j + u] * g[2 * H + j + u];                                      \
                th[u] = g[3 * H + j + u] * ku_tanhf(tc[u]);                                                         \
            }                                                                                                       \
            for (int u = 0; u < 8; u++) {                                                                           \
                c[j + u] = tc[u];                                                                                   \
                h[j + u] = th[u];                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
        for (; j < H; j++) {                                                                                        \
            float cy = g[H + j] * c[j] + g[j] * g[2 * H + j];                                                       \
            c[j] = cy;                                                                                              \
            h[j] = g[3 * H + j] * ku_tanhf(cy);                                                                     \
        }                                                                                                           \
    }                                                                                                               \
    /* g = [r z | W_hn h + b_hn]; gi_n = W_in x + b_in; n = tanh(gi_n + r ghn), h' = (h - n) z + n */              \
    ATTR static void gru_out_##SUF(const float *restrict g, const float *restrict gin, int64_t H, float *restrict h) { \
        int64_t j = 0;                                                                                              \
        for (; j + 8 <= H; j += 8) {                                                                                \
            float t[8];                                                                                             \
            for (int u = 0; u < 8; u++) {                                                                           \
                float n = ku_tanhf(gin[j + u] + g[2 * H + j + u] * g[j + u]);                                       \
                t[u] = (h[j + u] - n) * g[H + j + u] + n;                                                           \
            }                                                                                                       \
            for (int u = 0; u < 8; u++) h[j + u] = t[u];                                                            \
        }                                                                                                           \
        for (; j < H; j++) {                                                                                        \
            float n = ku_tanhf(gin[j] + g[2 * H + j] * g[j]);                                                       \
            h[j] = (h[j] - n) * g[H + j] + n;                                                                       \
        }                                                                                                           \
    }                                                                                                               \
    ATTR static void cell_rows_##SUF(cell_kind kind, int64_t n, int64_t H, int64_t G, float *gh, const float *gi, \
                                     int64_t gi_row0, int64_t gi_rstride, float *c, float *hdst, int64_t ldh) {    \
        for (int64_t b = 0; b < n; b++) {                                                                          \
            float *g = gh + b * G;                                                                                 \
            const float *x = gi + (gi_row0 + b * gi_rstride) * G;                                                  \
            float *hr = hdst + b * ldh;                                                                            \
            switch (kind) {                                                                                        \
            case CELL_LSTM:                                                                                        \
                sig_pass_##SUF(g, x, 2 * H);                                                                       \
                tanh_pass_##SUF(g + 2 * H, x + 2 * H, H);                                                          \
                sig_pass_##SUF(g + 3 * H, x + 3 * H, H);                                                           \
                lstm_out_##SUF(g, H, c + b * H, hr);                                                               \
                break;                                                                                             \
            case CELL_GRU:                                                                                         \
                sig_pass_##SUF(g, x, 2 * H);                                                                       \
                gru_out_##SUF(g, x + 2 * H, H, hr);                                                                \
                break;                                                                                             \
            case CELL_TANH:                                                                                        \
                tanh_pass_##SUF(g, x, H);                                                                          \
                memcpy(hr, g, (size_t)H * sizeof(float));                                                          \
                break;                                                                                             \
            case CELL_RELU:                                                                                        \
                relu_pass_##SUF(g, x, H);                                                                          \
                memcpy(hr, g, (size_t)H * sizeof(float));                                                          \
                break;                                                                                             \
            }                                                                                                      \
        }                                                                                                          \
    }

RNN_ROWS(, c)
#if defined(__x86_64__) || defined(__i386__)
RNN_ROWS(__attribute__((target("avx2,fma"))), avx2)
#endif

/* One step's gates for rows 0..n-1: gh row b at gh + b*G, gi row b at
 * gi + (gi_row0 + b*gi_rstride)*G; the LSTM's cell state c is [n, H]; the
 * new hidden rows go to hdst (row stride ldh). */
static void cell_rows(cell_kind kind, int64_t n, int64_t H, int64_t G, float *gh, const float *gi,
                      int64_t gi_row0, int64_t gi_rstride, float *c, float *hdst, int64_t ldh) {
#if defined(__x86_64__) || defined(__i386__)
    if (cts_cpu_isa() >= CTS_ISA_AVX2) {
        cell_rows_avx2(kind, n, H, G, gh, gi, gi_row0, gi_rstride, c, hdst, ldh);
        return;
    }
#endif
    cell_rows_c(kind, n, H, G, gh, gi, gi_row0, gi_rstride, c, hdst, ldh);
}

/* ------------------------------------------------------------------------ */
/* the sequence engine                                                       */

/* One layer and direction's weights, checked and readable. */
typedef struct cellw {
    fmat w_ih, w_hh, w_hr;
    const float *b_ih, *b_hh;
    float *own_bih, *own_bhh;
    bool has_hr;
    cts_gemm_packed *whh_packed, *whr_packed;
} cellw;

static void cellw_free(cellw *w) {
    ct_tensor_release(w->w_ih.own);
    ct_tensor_release(w->w_hh.own);
    ct_tensor_release(w->w_hr.own);
    free(w->own_bih);
    free(w->own_bhh);
    cts_gemm_packed_free(w->whh_packed);
    cts_gemm_packed_free(w->whr_packed);
    memset(w, 0, sizeof *w);
}

/* A call of one of the sequence ops. */
typedef struct rnn_call {
    cts_kctx *k;
    const char *op;
    cell_kind kind;
    ct_tensor *x;            /* input [T, B, I] / [B, T, I] / [T, I], or packed data [N, I] */
    ct_tensor *batch_sizes;  /* packed overload, else NULL */
    ct_tensor *hx, *cx;      /* cx: LSTM only */
    const cv_list *params;
    bool has_biases, train, bidirectional, batch_first;
    int64_t num_layers;
    double dropout;
} rnn_call;

/* Geometry of the steps: at step t, rows 0..bs[t]-1 are active; the
 * layer input row of (t, b) is xrow0[t] + b * xstride in the first layer
 * and row0[t] + b afterwards; the output row is row0[t] + b. */
typedef struct geom {
    int64_t T, B, N;
    int64_t *bs, *row0, *xrow0;
    int64_t xstride;
    bool unbatched;
} geom;

/* Per-direction state and scratch. */
typedef struct dirstate {
    float *h, *c, *gh, *hf;
} dirstate;

/* Checks and prepares the weights of layer-direction `idx`, in the order
 * PyTorch's layer meets them: the input projection of the N rows of `in`
 * features, the sequence length, the first step's hidden product of the
 * [hb, Hh] state, the gate sums against the input batch B, the cell state
 * ([cb, Hc], LSTM) and the projection. */
static int cellw_prepare(rnn_call *rc, int idx, bool has_proj, const geom *g, int64_t in, int64_t hb, int64_t Hh,
                         int64_t cb, int64_t Hc, cellw *w) {
    cts_kctx *k = rc->k;
    int per = (rc->has_biases ? 4 : 2) + (has_proj ? 1 : 0);
    const cv_value *items = rc->params->items + (size_t)idx * (size_t)per;
    ct_tensor *w_ih = items[0].u.t, *w_hh = items[1].u.t;
    ct_tensor *b_ih = rc->has_biases ? items[2].u.t : NULL, *b_hh = rc->has_biases ? items[3].u.t : NULL;
    ct_tensor *w_hr = has_proj ? items[rc->has_biases ? 4 : 2].u.t : NULL;
    int64_t B = g->B;
    memset(w, 0, sizeof *w);
    if (check_linear(k, w_ih, b_ih, g->N, in)) return -1;
    if (g->T == 0) return cts_err_set(k->err, "Expected sequence length to be larger than 0 in RNN");
    int64_t G = w_ih->sizes[0];
    if (check_linear(k, w_hh, b_hh, hb, Hh)) return -1;
    int64_t Gh = w_hh->sizes[0];
    /* gates.add_(input gates): broadcasting reports the last dim first */
    if (Gh != G) return size_error(k, Gh, G, 1);
    if (hb != B) return size_error(k, hb, B, 0);
    int gates = CELL_GATES[rc->kind];
    int64_t chunk = (G + gates - 1) / gates;
    if (rc->kind == CELL_LSTM) {
        /* forget gate * cx, then output gate * tanh(cy) */
        if (chunk != Hc) return size_error(k, chunk, Hc, 1);
        if (cb != B) return size_error(k, B, cb, 0);
        if (G != 4 * Hc) return size_error(k, G - 3 * chunk, Hc, 1);
        if (has_proj) {
            if (same_dtype(k, w_hr)) return -1;
            if (w_hr->ndim != 2)
                return cts_err_set(k->err, "t() expects a tensor with <= 2 dimensions, but self is %dD", w_hr->ndim);
            if (w_hr->sizes[1] != Hc) return ku_mm_error(k->err, B, Hc, w_hr->sizes[1], w_hr->sizes[0]);
            if (w_hr->sizes[0] != Hh) return ku_mm_error(k->err, B, w_hr->sizes[0], Hh, G);
        }
    } else if (rc->kind == CELL_GRU) {
        /* hgates[2] * r, then hidden - new gate */
        if (G != 3 * Hh) return size_error(k, G - 2 * chunk, chunk, 1);
    } else if (G != Hh) {
        return ku_mm_error(k->err, B, G, Hh, G); /* the next step's hidden product */
    }
    if (fmat_of(k, w_ih, &w->w_ih) || fmat_of(k, w_hh, &w->w_hh)) goto fail;
    if (b_ih && !(w->b_ih = bias_of(k, b_ih, G, &w->own_bih))) goto fail;
    if (b_hh && !(w->b_hh = bias_of(k, b_hh, G, &w->own_bhh))) goto fail;
    if (has_proj) {
        if (fmat_of(k, w_hr, &w->w_hr)) goto fail;
        w->has_hr = true;
    }
    return 0;
fail:
    cellw_free(w);
    return -1;
}

/* Runs one direction of one layer over the steps.  gi: [N, G] input
 * projections (rows as the geometry says); y: output rows (already offset
 * to the direction's columns) with row stride ldy; h/c: initial state in,
 * final state out. */
static int run_direction(rnn_call *rc, const geom *g, bool first_layer, bool reverse, cellw *w, int64_t Hh, int64_t Hc,
                         const float *gi, float *y, int64_t ldy, dirstate *st) {
    cts_kctx *k = rc->k;
    int64_t G = w->w_ih.rows;
    /* W_hh^T (and W_hr^T) are read once per step: pack them once */
    if (g->T > 1) {
        if (!(w->whh_packed = cts_gemm_pack_b(Hh, G, w->w_hh.p, w->w_hh.ld, true, CTS_GEMM_AUTO, k->err))) return -1;
        if (w->has_hr &&
            !(w->whr_packed = cts_gemm_pack_b(Hc, Hh, w->w_hr.p, w->w_hr.ld, true, CTS_GEMM_AUTO, k->err)))
            return -1;
    }
    const int64_t *xrow0 = first_layer ? g->xrow0 : g->row0;
    int64_t xstride = first_layer ? g->xstride : 1;
    for (int64_t s = 0; s < g->T; s++) {
        int64_t t = reverse ? g->T - 1 - s : s;
        int64_t n = g->bs[t];
        if (n == 0) continue;
        if (gemm_wt(k, n, G, Hh, st->h, Hh, &w->w_hh, w->whh_packed, w->b_hh, st->gh, G)) return -1;
        if (w->has_hr) {
            cell_rows(rc->kind, n, Hc, G, st->gh, gi, xrow0[t], xstride, st->c, st->hf, Hc);
            if (gemm_wt(k, n, Hh, Hc, st->hf, Hc, &w->w_hr, w->whr_packed, NULL, st->h, Hh)) return -1;
        } else {
            cell_rows(rc->kind, n, Hh, G, st->gh, gi, xrow0[t], xstride, st->c, st->h, Hh);
        }
        for (int64_t b = 0; b < n; b++)
            memcpy(y + (g->row0[t] + b) * ldy, st->h + b * Hh, (size_t)Hh * sizeof(float));
    }
    return 0;
}

/* Copies row `layer` of a state tensor ([L, B, S] or [L, S] unbatched) into
 * a dense [B, S] buffer, or back (to_tensor). */
static void state_copy(ct_tensor *t, int64_t layer, int64_t B, int64_t S, float *buf, bool to_tensor, bool unbatched) {
    float *base = (float *)ct_data(t) + layer * t->strides[0];
    int64_t sb = unbatched ? 0 : t->strides[1], ss = t->strides[unbatched ? 1 : 2];
    for (int64_t b = 0; b < B; b++)
        for (int64_t j = 0; j < S; j++) {
            float *e = base + b * sb + j * ss;
            if (to_tensor) *e = buf[b * S + j];
            else buf[b * S + j] = *e;
        }
}

/* Validates a packed sequence's batch_sizes into g. */
static int packed_geometry(rnn_call *rc, geom *g) {
    cts_kctx *k = rc->k;
    ct_tensor *bsz = rc->batch_sizes;
    if (bsz->dtype != CT_INT64) return cts_err_set(k->err, "expected scalar type Long but found %s", ku_dtype_tname(bsz->dtype));
    if (bsz->ndim != 1 || bsz->sizes[0] == 0)
        return cts_err_set(k->err, "%s: batch_sizes must be a non-empty 1-D tensor", rc->op);
    if (rc->x->ndim != 2)
        return cts_err_set(k->err, "%s: packed data must be 2-D [rows, features], got %d-D", rc->op, rc->x->ndim);
    g->T = bsz->sizes[0];
    g->bs = xmalloc(k, (size_t)g->T * sizeof(int64_t), "batch sizes");
    g->row0 = xmalloc(k, (size_t)g->T * sizeof(int64_t), "batch sizes");
    if (!g->bs || !g->row0) return -1;
    const int64_t *src = ct_data(bsz);
    int64_t sum = 0;
    for (int64_t t = 0; t < g->T; t++) {
        int64_t v = src[t * bsz->strides[0]];
        if (v <= 0 || (t > 0 && v > g->bs[t - 1]))
            return cts_err_set(k->err, "%s: batch_sizes must be positive and non-increasing (got %lld at step %lld)",
                               rc->op, (long long)v, (long long)t);
        g->bs[t] = v;
        g->row0[t] = sum;
        sum += v;
    }
    if (sum != rc->x->sizes[0])
        return cts_err_set(k->err, "%s: batch_sizes sum to %lld but the packed data has %lld rows", rc->op,
                           (long long)sum, (long long)rc->x->sizes[0]);
    g->B = g->bs[0];
    g->N = sum;
    g->xrow0 = g->row0;
    g->xstride = 1;
    return 0;
}

static int dense_geometry(rnn_call *rc, geom *g) {
    cts_kctx *k = rc->k;
    ct_tensor *x = rc->x;
    if (x->ndim == 2 && (rc->kind == CELL_TANH || rc->kind == CELL_RELU) && !rc->batch_first) {
        g->unbatched = true; /* [T, I]: one sequence, states [L, H] */
        g->T = x->sizes[0];
        g->B = 1;
    } else if (x->ndim == 2 && rc->kind == CELL_GRU && !rc->batch_first) {
        return dim_error(k, 1, 1); /* unsafe_chunk(3, 1) of a 1-D step */
    } else if (x->ndim != 3) {
        return cts_err_set(k->err, "%s: cts expects a 3-D input%s, got %d-D", rc->op,
                           rc->kind == CELL_TANH || rc->kind == CELL_RELU ? " (or 2-D unbatched)" : "", x->ndim);
    } else {
        g->T = x->sizes[rc->batch_first ? 1 : 0];
        g->B = x->sizes[rc->batch_first ? 0 : 1];
    }
    g->N = g->T * g->B;
    size_t n = (size_t)(g->T ? g->T : 1) * sizeof(int64_t);
    g->bs = xmalloc(k, n, "rnn steps");
    g->row0 = xmalloc(k, n, "rnn steps");
    g->xrow0 = xmalloc(k, n, "rnn steps");
    if (!g->bs || !g->row0 || !g->xrow0) return -1;
    for (int64_t t = 0; t < g->T; t++) {
        g->bs[t] = g->B;
        g->row0[t] = t * g->B;
        g->xrow0[t] = rc->batch_first ? t : t * g->B;
    }
    g->xstride = rc->batch_first ? g->T : 1;
    return 0;
}

static void geom_free(geom *g) {
    if (g->xrow0 != g->row0) free(g->xrow0);
    free(g->bs);
    free(g->row0);
}

/* The state tensor of the LSTM/GRU/RNN: checks its rank and returns its
 * layer count, batch and size. */
static int state_dims(rnn_call *rc, ct_tensor *s, bool unbatched, int64_t *L, int64_t *B, int64_t *S) {
    int want = unbatched ? 2 : 3;
    if (s->ndim != want) {
        if (s->ndim < want) return dim_error(rc->k, s->ndim, want - 1);
        return cts_err_set(rc->k->err, "%s: the hidden state must be %d-D, got %d-D", rc->op, want, s->ndim);
    }
    *L = s->sizes[0];
    *B = unbatched ? 1 : s->sizes[1];
    *S = s->sizes[want - 1];
    return 0;
}

/* Runs a sequence op; stores its results (output, h_n[, c_n]). */
static int rnn_run(rnn_call *rc, cv_value *outs) {
    cts_kctx *k = rc->k;
    const char *op = rc->op;
    if (f32_only(k, op, rc->x)) return -1;
    bool lstm = rc->kind == CELL_LSTM;
    /* LSTM: projections when hx[0] and hx[1] differ in size(2) */
    bool has_proj = false;
    if (lstm) {
        if (rc->hx->ndim < 3) return dim_error(k, rc->hx->ndim, 2);
        if (rc->cx->ndim < 3) return dim_error(k, rc->cx->ndim, 2);
        has_proj = rc->hx->sizes[2] != rc->cx->sizes[2];
    }
    if (!rc->batch_sizes && rc->batch_first && rc->x->ndim < 2) return dim_error(k, rc->x->ndim, 1);
    /* gather_params */
    int per = rc->has_biases ? (has_proj ? 5 : 4) : (has_proj ? 3 : 2);
    size_t np = rc->params->len;
    if (np % (size_t)per) return cts_err_set(k->err, "got an incorrect number of RNN parameters");
    for (size_t i = 0; i < np; i++)
        if (rc->params->items[i].tag != CV_TENSOR || !rc->params->items[i].u.t)
            return cts_err_set(k->err, "%s: parameter %zu is not a defined tensor", op, i);
    int64_t groups = (int64_t)(np / (size_t)per);
    int dirs = rc->bidirectional ? 2 : 1;
    geom g = {0};
    int rcode = -1;
    float *gi = NULL, *ybuf[2] = {NULL, NULL};
    dirstate st[2] = {{0}, {0}};
    ct_tensor *out = NULL, *hn = NULL, *cn = NULL;
    if (rc->batch_sizes ? packed_geometry(rc, &g) : dense_geometry(rc, &g)) goto done;
    int64_t L = 0, hb = 0, Hh = 0, Lc = 0, cb = 0, Hc = 0;
    if (state_dims(rc, rc->hx, g.unbatched, &L, &hb, &Hh)) goto done;
    Hc = Hh;
    if (lstm && state_dims(rc, rc->cx, false, &Lc, &cb, &Hc)) goto done;
    if (rc->bidirectional && (L % 2 || groups % 2)) {
        cts_err_set(k->err, "Odd number of params or hiddens given to a bidirectional RNN");
        goto done;
    }
    if (rc->num_layers != L / dirs || (lstm && Lc != L)) {
        cts_err_set(k->err, "Expected more hidden states in stacked_rnn");
        goto done;
    }
    if (rc->num_layers != groups / dirs) {
        cts_err_set(k->err, "Expected more weights in stacked_rnn");
        goto done;
    }
    if (rc->train && rc->dropout != 0.0 && rc->num_layers > 1) {
        cts_err_set(k->err,
                    "%s: dropout=%g between layers with train=True draws random numbers, which cts does not do; "
                    "run the model in eval mode (train=False) or with dropout=0",
                    op, rc->dropout);
        goto done;
    }
    if (f32_only(k, op, rc->hx) || (lstm && f32_only(k, op, rc->cx))) goto done;
    int64_t T = g.T, B = g.B, N = g.N, ncol = Hh * dirs;
    /* the layer-0 input as an [N, I] matrix whose rows the geometry names */
    ct_tensor *xc = ku_contiguous(rc->x, k->err);
    if (!xc) goto done;
    int64_t I = xc->sizes[xc->ndim - 1];
    /* outputs */
    {
        int64_t os[3], hs[3];
        int on = 0, hnd = g.unbatched ? 2 : 3;
        if (rc->batch_sizes) {
            os[on++] = N;
        } else {
            os[on++] = T;
            if (!g.unbatched) os[on++] = B;
        }
        os[on++] = ncol;
        hs[0] = L;
        hs[1] = B;
        hs[hnd - 1] = Hh;
        out = ct_tensor_empty(CT_FLOAT32, on, os, k->err);
        hn = out ? ct_tensor_empty(CT_FLOAT32, hnd, hs, k->err) : NULL;
        if (hn && lstm) {
            hs[2] = Hc;
            cn = ct_tensor_empty(CT_FLOAT32, 3, hs, k->err);
        }
        if (!out || !hn || (lstm && !cn)) {
            ct_tensor_release(xc);
            goto done;
        }
    }
    const float *xin = ct_data(xc);
    int64_t in = I, ldx = I;
    for (int64_t l = 0; l < rc->num_layers; l++) {
        bool last = l == rc->num_layers - 1;
        float *y = last ? (float *)ct_data(out) : NULL;
        if (!last) {
            if (!ybuf[l % 2] && !(ybuf[l % 2] = xmalloc(k, (size_t)(N * ncol) * sizeof(float), "rnn layer output"))) {
                ct_tensor_release(xc);
                goto done;
            }
            y = ybuf[l % 2];
        }
        int d;
        for (d = 0; d < dirs; d++) {
            int64_t idx = l * dirs + d;
            cellw w;
            if (cellw_prepare(rc, (int)idx, has_proj, &g, in, hb, Hh, cb, Hc, &w)) break;
            int64_t G = w.w_ih.rows;
            free(gi);
            gi = xmalloc(k, (size_t)(N * G) * sizeof(float), "rnn input gates");
            int ok = gi != NULL;
            fmat xm = {xin, N, in, ldx, NULL};
            ok = ok && gemm_wt(k, N, G, in, xm.p, xm.ld, &w.w_ih, NULL, w.b_ih, gi, G) == 0;
            dirstate *s = &st[d];
            if (ok && !s->h) {
                s->h = xmalloc(k, (size_t)(B * Hh) * sizeof(float), "rnn state");
                s->c = xmalloc(k, (size_t)(B * Hc) * sizeof(float), "rnn state");
                s->gh = xmalloc(k, (size_t)(B * G) * sizeof(float), "rnn state");
                s->hf = xmalloc(k, (size_t)(B * Hc) * sizeof(float), "rnn state");
                ok = s->h && s->c && s->gh && s->hf;
            }
            if (ok) {
                state_copy(rc->hx, idx, B, Hh, s->h, false, g.unbatched);
                if (lstm) state_copy(rc->cx, idx, B, Hc, s->c, false, false);
                ok = run_direction(rc, &g, l == 0, d == 1, &w, Hh, Hc, gi, y + d * Hh, ncol, s) == 0;
            }
            cellw_free(&w);
            if (!ok) break;
            state_copy(hn, idx, B, Hh, s->h, true, g.unbatched);
            if (lstm) state_copy(cn, idx, B, Hc, s->c, true, false);
        }
        if (d < dirs) {
            ct_tensor_release(xc);
            goto done;
        }
        xin = y;
        in = ldx = ncol;
    }
    ct_tensor_release(xc);
    if (rc->num_layers == 0) {
        cts_err_set(k->err, "stack expects a non-empty TensorList"); /* of final hidden states */
        goto done;
    }
    if (rc->batch_first && !rc->batch_sizes) {
        ct_tensor *tr = ct_transpose(out, 0, 1, k->err);
        if (!tr) goto done;
        ct_tensor_release(out);
        out = tr;
    }
    outs[0] = cv_tensor(out);
    outs[1] = cv_tensor(hn);
    if (lstm) outs[2] = cv_tensor(cn);
    out = hn = cn = NULL;
    rcode = 0;
done:
    ct_tensor_release(out);
    ct_tensor_release(hn);
    ct_tensor_release(cn);
    free(gi);
    free(ybuf[0]);
    free(ybuf[1]);
    for (int d = 0; d < 2; d++) {
        free(st[d].h);
        free(st[d].c);
        free(st[d].gh);
        free(st[d].hf);
    }
    geom_free(&g);
    return rcode;
}

/* ------------------------------------------------------------------------ */
/* sequence kernels                                                          */

/* Reads the flags shared by every overload, from argument `i` on:
 * has_biases, num_layers, dropout, train, bidirectional[, batch_first]. */
static int read_flags(const ku_args *a, int i, rnn_call *rc, bool with_batch_first) {
    if (ku_bool(a, i, &rc->has_biases) || ku_int(a, i + 1, &rc->num_layers) || ku_float(a, i + 2, &rc->dropout) ||
        ku_bool(a, i + 3, &rc->train) || ku_bool(a, i + 4, &rc->bidirectional))
        return -1;
    rc->batch_first = false;
    if (with_batch_first && ku_bool(a, i + 5, &rc->batch_first)) return -1;
    if (rc->num_layers < 0) return cts_err_set(a->k->err, "%s: num_layers must be non-negative", rc->op);
    return 0;
}

/* The LSTM's hx list: exactly two tensors. */
static int lstm_hx(const ku_args *a, int i, rnn_call *rc, const char *what) {
    const cv_list *hx;
    if (ku_tensor_list(a, i, &hx)) return -1;
    if (hx->len != 2) return cts_err_set(a->k->err, "%s expects two hidden states", what);
    rc->hx = hx->items[0].u.t;
    rc->cx = hx->items[1].u.t;
    return 0;
}

static int seq_input(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs, cell_kind kind) {
    ku_args a = ku_args_of(k, args, nargs);
    rnn_call rc = {0};
    rc.k = k;
    rc.kind = kind;
    rc.op = CELL_NAME[kind];
    if (ku_tensor(&a, 0, &rc.x)) return -1;
    if (kind == CELL_LSTM ? lstm_hx(&a, 1, &rc, "lstm") : ku_tensor(&a, 1, &rc.hx)) return -1;
    if (ku_tensor_list(&a, 2, &rc.params) || read_flags(&a, 3, &rc, true)) return -1;
    return rnn_run(&rc, outs);
}

static int seq_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs, cell_kind kind) {
    ku_args a = ku_args_of(k, args, nargs);
    rnn_call rc = {0};
    rc.k = k;
    rc.kind = kind;
    rc.op = CELL_NAME[kind];
    if (ku_tensor(&a, 0, &rc.x) || ku_tensor(&a, 1, &rc.batch_sizes)) return -1;
    if (kind == CELL_LSTM ? lstm_hx(&a, 2, &rc, "lstm") : ku_tensor(&a, 2, &rc.hx)) return -1;
    if (ku_tensor_list(&a, 3, &rc.params) || read_flags(&a, 4, &rc, false)) return -1;
    return rnn_run(&rc, outs);
}

static int k_lstm_input(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_input(k, args, nargs, outs, CELL_LSTM);
}
static int k_lstm_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_data(k, args, nargs, outs, CELL_LSTM);
}
static int k_gru_input(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_input(k, args, nargs, outs, CELL_GRU);
}
static int k_gru_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_data(k, args, nargs, outs, CELL_GRU);
}
static int k_rnn_tanh_input(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_input(k, args, nargs, outs, CELL_TANH);
}
static int k_rnn_tanh_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_data(k, args, nargs, outs, CELL_TANH);
}
static int k_rnn_relu_input(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_input(k, args, nargs, outs, CELL_RELU);
}
static int k_rnn_relu_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return seq_data(k, args, nargs, outs, CELL_RELU);
}

/* ------------------------------------------------------------------------ */
/* cells                                                                     */

/* check_rnn_cell_forward_input / _hidden of RNN.cpp. */
static int cell_checks(cts_kctx *k, ct_tensor *x, ct_tensor *h, int64_t in_size, int64_t hidden_size) {
    if (x->ndim < 2) return dim_error(k, x->ndim, 1);
    if (x->sizes[1] != in_size)
        return cts_err_set(k->err, "input has inconsistent input_size: got %lld expected %lld", (long long)x->sizes[1],
                           (long long)in_size);
    if (h->ndim < 1) return dim_error(k, h->ndim, 0);
    if (x->sizes[0] != h->sizes[0])
        return cts_err_set(k->err, "Input batch size %lld doesn't match hidden0 batch size %lld", (long long)x->sizes[0],
                           (long long)h->sizes[0]);
    if (h->ndim < 2) return dim_error(k, h->ndim, 1);
    if (h->sizes[1] != hidden_size)
        return cts_err_set(k->err, "hidden0 has inconsistent hidden_size: got %lld, expected %lld",
                           (long long)h->sizes[1], (long long)hidden_size);
    return 0;
}

/* The common body of the cells: hy (and cy for the LSTM) from x [B, I],
 * h [B, H], c [B, H]. */
static int cell_run(cts_kctx *k, cell_kind kind, const cv_value *args, int nargs, ct_tensor *x, ct_tensor *h,
                    ct_tensor *c, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    const char *op = CELL_NAME[kind];
    ct_tensor *w_ih, *w_hh, *b_ih, *b_hh;
    if (ku_tensor(&a, 2, &w_ih) || ku_tensor(&a, 3, &w_hh) || ku_opt_tensor(&a, 4, &b_ih) || ku_opt_tensor(&a, 5, &b_hh))
        return -1;
    if (w_ih->ndim < 2) return dim_error(k, w_ih->ndim, 1);
    if (w_hh->ndim < 2) return dim_error(k, w_hh->ndim, 1);
    if (cell_checks(k, x, h, w_ih->sizes[1], w_hh->sizes[1])) return -1;
    if (c && cell_checks(k, x, c, w_ih->sizes[1], w_hh->sizes[1])) return -1;
    if (x->ndim != 2 || h->ndim != 2 || (c && c->ndim != 2))
        return cts_err_set(k->err, "%s_cell: cts expects 2-D input and hidden states", op);
    if (f32_only(k, op, x) || f32_only(k, op, h) || (c && f32_only(k, op, c))) return -1;
    int64_t B = x->sizes[0], I = x->sizes[1], H = h->sizes[1];
    if (check_linear(k, w_hh, b_hh, B, H) || check_linear(k, w_ih, b_ih, B, I)) return -1;
    int64_t G = w_ih->sizes[0];
    if (w_hh->sizes[0] != G) return size_error(k, w_hh->sizes[0], G, 1);
    int gates = CELL_GATES[kind];
    int64_t chunk = (G + gates - 1) / gates;
    if (kind == CELL_LSTM && G != 4 * H) return size_error(k, chunk != H ? chunk : G - 3 * chunk, H, 1);
    if (kind == CELL_GRU && G != 3 * H) return size_error(k, H, chunk != H ? chunk : G - 2 * chunk, 1);
    if ((kind == CELL_TANH || kind == CELL_RELU) && G != H)
        return cts_err_set(k->err, "%s_cell: %lld gates for a hidden size of %lld", op, (long long)G, (long long)H);
    fmat wi = {0}, wh = {0};
    float *obi = NULL, *obh = NULL, *gi = NULL, *gh = NULL;
    const float *bi = NULL, *bh = NULL;
    ct_tensor *hy = NULL, *cy = NULL;
    int rcode = -1;
    int64_t s2[2] = {B, H};
    if (fmat_of(k, w_ih, &wi) || fmat_of(k, w_hh, &wh)) goto done;
    if (b_ih && !(bi = bias_of(k, b_ih, G, &obi))) goto done;
    if (b_hh && !(bh = bias_of(k, b_hh, G, &obh))) goto done;
    fmat xm, hm;
    ct_tensor *xc = ku_contiguous(x, k->err);
    if (!xc) goto done;
    xm.p = ct_data(xc);
    xm.ld = I;
    hy = ct_tensor_empty(CT_FLOAT32, 2, s2, k->err);
    if (hy && c) cy = ct_tensor_empty(CT_FLOAT32, 2, s2, k->err);
    gi = xmalloc(k, (size_t)(B * G) * sizeof(float), "cell gates");
    gh = xmalloc(k, (size_t)(B * G) * sizeof(float), "cell gates");
    if (!hy || (c && !cy) || !gi || !gh) {
        ct_tensor_release(xc);
        goto done;
    }
    /* the new state starts as the old one and is updated in place */
    if (ku_copy(hy, h, k->err) || (c && ku_copy(cy, c, k->err))) {
        ct_tensor_release(xc);
        goto done;
    }
    hm.p = ct_data(hy);
    hm.ld = H;
    int e = gemm_wt(k, B, G, H, hm.p, hm.ld, &wh, NULL, bh, gh, G) || gemm_wt(k, B, G, I, xm.p, xm.ld, &wi, NULL, bi, gi, G);
    ct_tensor_release(xc);
    if (e) goto done;
    cell_rows(kind, B, H, G, gh, gi, 0, 1, c ? (float *)ct_data(cy) : NULL, ct_data(hy), H);
    outs[0] = cv_tensor(hy);
    if (c) outs[1] = cv_tensor(cy);
    hy = cy = NULL;
    rcode = 0;
done:
    ct_tensor_release(wi.own);
    ct_tensor_release(wh.own);
    ct_tensor_release(hy);
    ct_tensor_release(cy);
    free(obi);
    free(obh);
    free(gi);
    free(gh);
    return rcode;
}

static int k_lstm_cell(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *x;
    const cv_list *hx;
    if (ku_tensor(&a, 0, &x) || ku_tensor_list(&a, 1, &hx)) return -1;
    if (hx->len != 2) return cts_err_set(k->err, "lstm_cell expects two hidden states");
    return cell_run(k, CELL_LSTM, args, nargs, x, hx->items[0].u.t, hx->items[1].u.t, outs);
}

static int one_state_cell(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs, cell_kind kind) {
    ku_args a = ku_args_of(k, args, nargs);
    ct_tensor *x, *h;
    if (ku_tensor(&a, 0, &x) || ku_tensor(&a, 1, &h)) return -1;
    return cell_run(k, kind, args, nargs, x, h, NULL, outs);
}
static int k_gru_cell(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return one_state_cell(k, args, nargs, outs, CELL_GRU);
}
static int k_rnn_tanh_cell(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return one_state_cell(k, args, nargs, outs, CELL_TANH);
}
static int k_rnn_relu_cell(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return one_state_cell(k, args, nargs, outs, CELL_RELU);
}

/* clang-format off */
const cts_op_def cts_ops_rnn[] = {
    {"aten::lstm.input(Tensor input, Tensor[] hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor, Tensor)", k_lstm_input},
    {"aten::lstm.data(Tensor data, Tensor batch_sizes, Tensor[] hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional) -> (Tensor, Tensor, Tensor)", k_lstm_data},
    {"aten::gru.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)", k_gru_input},
    {"aten::gru.data(Tensor data, Tensor batch_sizes, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional) -> (Tensor, Tensor)", k_gru_data},
    {"aten::rnn_tanh.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)", k_rnn_tanh_input},
    {"aten::rnn_tanh.data(Tensor data, Tensor batch_sizes, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional) -> (Tensor, Tensor)", k_rnn_tanh_data},
    {"aten::rnn_relu.input(Tensor input, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor)", k_rnn_relu_input},
    {"aten::rnn_relu.data(Tensor data, Tensor batch_sizes, Tensor hx, Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional) -> (Tensor, Tensor)", k_rnn_relu_data},
    {"aten::lstm_cell(Tensor input, Tensor[] hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> (Tensor, Tensor)", k_lstm_cell},
    {"aten::gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", k_gru_cell},
    {"aten::rnn_tanh_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", k_rnn_tanh_cell},
    {"aten::rnn_relu_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None) -> Tensor", k_rnn_relu_cell},
};
/* clang-format on */
const int cts_ops_rnn_count = (int)(sizeof cts_ops_rnn / sizeof *cts_ops_rnn);
