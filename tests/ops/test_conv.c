/* test_conv.c - convolutions against a naive direct convolution in double
 * over a grid of shapes, strides, paddings, dilations, groups (including
 * depthwise and channel multipliers), bias, 1-D and 2-D, transposed, the
 * "same"/"valid" string paddings and the non-float32 dtypes; and PyTorch
 * 1.13's error messages. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/pool.h"
#include "ops/op.h"
#include "test.h"

extern const cts_op_def cts_ops_conv[];
extern const int cts_ops_conv_count;

static cts_kernel_fn kernel(const char *key) {
    size_t kl = strlen(key);
    for (int i = 0; i < cts_ops_conv_count; i++) {
        const char *s = cts_ops_conv[i].schema;
        if (!strncmp(s, key, kl) && s[kl] == '(') return cts_ops_conv[i].fn;
    }
    fprintf(stderr, "no kernel %s\n", key);
    abort();
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static double urand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static ct_tensor *trand(ct_dtype dt, int nd, const int64_t *s) {
    cts_err err = {0};
    ct_tensor *t = ct_tensor_empty(dt, nd, s, &err);
    int64_t n = ct_numel(t);
    int esz = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        char *e = (char *)ct_data(t) + i * esz;
        if (ct_dtype_is_float(dt)) ct_store_f64(e, dt, dt == CT_BFLOAT16 ? (double)((int)(urand() * 8) - 4) / 2 : urand() * 2 - 1);
        else ct_store_i64(e, dt, (int64_t)(urand() * 7) - 3);
    }
    return t;
}

static ct_tensor *tn(ct_dtype dt, int nd, ...) {
    int64_t s[CT_MAX_DIMS];
    va_list ap;
    va_start(ap, nd);
    for (int i = 0; i < nd; i++) s[i] = va_arg(ap, int);
    va_end(ap);
    return trand(dt, nd, s);
}

static cv_value ilist(int n, const int64_t *v) {
    cts_err err = {0};
    cv_value l;
    cv_list_new(T_INT, (size_t)n, &l, &err);
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, cv_int(v[i]), &err);
    return l;
}

static cv_value il(int n, ...) {
    int64_t v[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) v[i] = va_arg(ap, int);
    va_end(ap);
    return ilist(n, v);
}

static cts_err g_err;
static cts_pool *g_pool;

/* Calls key; releases every argument; returns the result or NULL. */
static ct_tensor *call(const char *key, int n, cv_value *args) {
    cts_kctx k = {&g_err, g_pool, NULL};
    cts_err_clear(&g_err);
    cv_value out = cv_none();
    int rc = kernel(key)(&k, args, n, &out);
    for (int i = 0; i < n; i++) cv_release(args[i]);
    return rc ? NULL : out.u.t;
}

static const char *err_of(ct_tensor *r) {
    if (r) {
        ct_tensor_release(r);
        return "(no error)";
    }
    return g_err.msg;
}

typedef struct cparams {
    int dim;                   /* 1 or 2 */
    int64_t s[2], p[2], pe[2], d[2], op[2];
    int64_t groups;
    bool transposed;
} cparams;

/* Naive convolution in double on contiguous x, w (any dtype); 2-D shapes
 * with dim 1 meaning a unit height. */
static double *ref_conv(const ct_tensor *x, const ct_tensor *w, const ct_tensor *b, const cparams *cp, int64_t *os) {
    int one = cp->dim == 1;
    int64_t N = x->sizes[0], C = x->sizes[1], H = one ? 1 : x->sizes[2], W = x->sizes[one ? 2 : 3];
    int64_t kh = one ? 1 : w->sizes[2], kw = w->sizes[one ? 2 : 3], G = cp->groups;
    int64_t sh = one ? 1 : cp->s[0], sw = cp->s[one ? 0 : 1], ph = one ? 0 : cp->p[0], pw = cp->p[one ? 0 : 1];
    int64_t peh = one ? 0 : cp->pe[0], pew = cp->pe[one ? 0 : 1];
    int64_t dh = one ? 1 : cp->d[0], dw = cp->d[one ? 0 : 1], oph = one ? 0 : cp->op[0], opw = cp->op[one ? 0 : 1];
    int64_t K = cp->transposed ? w->sizes[1] * G : w->sizes[0], Cg = C / G, Kg = K / G;
    int64_t OH, OW;
    if (!cp->transposed) {
        OH = (H + ph + peh - dh * (kh - 1) - 1) / sh + 1;
        OW = (W + pw + pew - dw * (kw - 1) - 1) / sw + 1;
    } else {
        OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
        OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
    }
    os[0] = N;
    os[1] = K;
    os[2] = OH;
    os[3] = OW;
    double *y = calloc((size_t)(N * K * OH * OW + 1), sizeof(double));
    int xs = ct_dtype_size(x->dtype);
    const char *xp = ct_data(x), *wp = ct_data(w);
#define X(n, c, h, ww) ct_load_f64(xp + (((n) * C + (c)) * H * W + (h) * W + (ww)) * xs, x->dtype)
    for (int64_t n = 0; n < N; n++)
        for (int64_t oc = 0; oc < K; oc++) {
            int64_t g = oc / Kg, co = oc % Kg;
            for (int64_t oh = 0; oh < OH; oh++)
                for (int64_t ow = 0; ow < OW; ow++) {
                    double s = b ? ct_load_f64((const char *)ct_data(b) + oc * ct_dtype_size(b->dtype), b->dtype) : 0;
                    for (int64_t ci = 0; ci < Cg; ci++)
                        for (int64_t i = 0; i < kh; i++)
                            for (int64_t j = 0; j < kw; j++) {
                                int64_t ic = g * Cg + ci;
                                double wv;
                                int64_t ih, iw;
                                if (!cp->transposed) {
                                    wv = ct_load_f64(wp + (((oc * Cg + ci) * kh + i) * kw + j) * xs, w->dtype);
                                    ih = oh * sh - ph + i * dh;
                                    iw = ow * sw - pw + j * dw;
                                } else {
                                    wv = ct_load_f64(wp + (((ic * Kg + co) * kh + i) * kw + j) * xs, w->dtype);
                                    int64_t th = oh + ph - i * dh, tw = ow + pw - j * dw;
                                    if (th % sh || tw % sw) continue;
                                    ih = th / sh;
                                    iw = tw / sw;
                                }
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                s += wv * X(n, ic, ih, iw);
                            }
                    y[((n * K + oc) * OH + oh) * OW + ow] = s;
                }
        }
#undef X
    return y;
}

static int compare(const ct_tensor *r, int nd, const int64_t *os4, const double *ref, double tol) {
    if (!r) {
        fprintf(stderr, "  error: %s\n", g_err.msg);
        return 0;
    }
    int64_t want[4];
    int wn = 0;
    for (int i = 0; i < 4; i++)
        if (!(nd == 3 && i == 2)) want[wn++] = os4[i];
    if (r->ndim != wn) {
        fprintf(stderr, "  ndim %d want %d\n", r->ndim, wn);
        return 0;
    }
    for (int i = 0; i < wn; i++)
        if (r->sizes[i] != want[i]) {
            char a[64], b[64];
            fprintf(stderr, "  shape %s want %s\n", ct_shape_str(r->ndim, r->sizes, a, sizeof a),
                    ct_shape_str(wn, want, b, sizeof b));
            return 0;
        }
    int64_t n = ct_numel(r);
    int esz = ct_dtype_size(r->dtype);
    for (int64_t i = 0; i < n; i++) {
        double g = ct_load_f64((const char *)ct_data(r) + i * esz, r->dtype), w = ref[i];
        if (!ct_dtype_is_float(r->dtype)) {
            int64_t tmp[1];
            ct_store_i64(tmp, r->dtype, (int64_t)w);
            w = (double)ct_load_i64(tmp, r->dtype);
        }
        if (!(fabs(g - w) <= tol * (1 + fabs(w)))) {
            fprintf(stderr, "  element %lld: %.9g want %.9g\n", (long long)i, g, w);
            return 0;
        }
    }
    return 1;
}

/* Runs aten::_convolution on (x, w, b) and compares with the reference. */
static int run_conv(ct_tensor *x, ct_tensor *w, ct_tensor *b, const cparams *cp, double tol) {
    int64_t os[4];
    double *ref = ref_conv(x, w, b, cp, os);
    ct_tensor_retain(x);
    ct_tensor_retain(w);
    if (b) ct_tensor_retain(b);
    int dn = cp->dim;
    cv_value args[13] = {cv_tensor(x), cv_tensor(w), b ? cv_tensor(b) : cv_none(), ilist(dn, cp->s), ilist(dn, cp->p),
                         ilist(dn, cp->d), cv_bool(cp->transposed), ilist(dn, cp->op), cv_int(cp->groups),
                         cv_bool(false), cv_bool(false), cv_bool(true), cv_bool(true)};
    ct_tensor *r = call("aten::_convolution", 13, args);
    int ok = compare(r, dn == 1 ? 3 : 4, os, ref, tol);
    if (!ok)
        fprintf(stderr, "  dim=%d s=%lld,%lld p=%lld,%lld d=%lld,%lld g=%lld tr=%d x=[%lld,%lld,..] w=[%lld,%lld,..] dt=%s\n",
                cp->dim, (long long)cp->s[0], (long long)cp->s[1], (long long)cp->p[0], (long long)cp->p[1],
                (long long)cp->d[0], (long long)cp->d[1], (long long)cp->groups, cp->transposed,
                (long long)x->sizes[0], (long long)x->sizes[1], (long long)w->sizes[0], (long long)w->sizes[1],
                ct_dtype_name(x->dtype));
    ct_tensor_release(r);
    free(ref);
    return ok;
}

typedef struct chan {
    int64_t C, K, G;
} chan;

static const chan CHANS[] = {{3, 4, 1}, {4, 6, 2}, {6, 6, 6}, {4, 8, 4}, {1, 1, 1}, {8, 3, 1}};
static const int64_t KERNELS[][2] = {{1, 1}, {3, 3}, {2, 3}, {5, 1}};
static const int64_t STRIDES[][2] = {{1, 1}, {2, 2}, {1, 3}};
static const int64_t PADS[][2] = {{0, 0}, {1, 1}, {2, 0}};
static const int64_t DILS[][2] = {{1, 1}, {2, 2}, {1, 2}};

#define N_(a) ((int)(sizeof(a) / sizeof *(a)))

TEST(test_conv2d_grid_float32) {
    int runs = 0;
    for (int c = 0; c < N_(CHANS); c++)
        for (int kk = 0; kk < N_(KERNELS); kk++)
            for (int s = 0; s < N_(STRIDES); s++)
                for (int p = 0; p < N_(PADS); p++)
                    for (int d = 0; d < N_(DILS); d++) {
                        const chan *ch = &CHANS[c];
                        int64_t N = 1 + (c + s) % 2, H = 7, W = 9;
                        if (H + 2 * PADS[p][0] < DILS[d][0] * (KERNELS[kk][0] - 1) + 1) continue;
                        if (W + 2 * PADS[p][1] < DILS[d][1] * (KERNELS[kk][1] - 1) + 1) continue;
                        int64_t xs[4] = {N, ch->C, H, W}, ws[4] = {ch->K, ch->C / ch->G, KERNELS[kk][0], KERNELS[kk][1]};
                        ct_tensor *x = trand(CT_FLOAT32, 4, xs), *w = trand(CT_FLOAT32, 4, ws);
                        ct_tensor *b = (s + p + d) % 2 ? tn(CT_FLOAT32, 1, (int)ch->K) : NULL;
                        cparams cp = {2, {STRIDES[s][0], STRIDES[s][1]}, {PADS[p][0], PADS[p][1]},
                                      {PADS[p][0], PADS[p][1]}, {DILS[d][0], DILS[d][1]}, {0, 0}, ch->G, false};
                        CHECK(run_conv(x, w, b, &cp, 1e-5));
                        runs++;
                        ct_tensor_release(x);
                        ct_tensor_release(w);
                        ct_tensor_release(b);
                    }
    CHECK(runs > 300);
}

TEST(test_conv_transpose2d_grid_float32) {
    static const int64_t ops[][2] = {{0, 0}, {1, 0}};
    for (int c = 0; c < N_(CHANS); c++)
        for (int kk = 0; kk < N_(KERNELS); kk++)
            for (int s = 0; s < N_(STRIDES); s++)
                for (int p = 0; p < 2; p++)
                    for (int d = 0; d < N_(DILS); d++)
                        for (int o = 0; o < 2; o++) {
                            const chan *ch = &CHANS[c];
                            if (ops[o][0] >= STRIDES[s][0] && ops[o][0] >= DILS[d][0]) continue;
                            int64_t H = 4, W = 5;
                            int64_t OH = (H - 1) * STRIDES[s][0] - 2 * PADS[p][0] + DILS[d][0] * (KERNELS[kk][0] - 1) + ops[o][0] + 1;
                            int64_t OW = (W - 1) * STRIDES[s][1] - 2 * PADS[p][1] + DILS[d][1] * (KERNELS[kk][1] - 1) + 1;
                            if (OH < 1 || OW < 1) continue;
                            int64_t xs[4] = {2, ch->C, H, W}, ws[4] = {ch->C, ch->K / ch->G, KERNELS[kk][0], KERNELS[kk][1]};
                            ct_tensor *x = trand(CT_FLOAT32, 4, xs), *w = trand(CT_FLOAT32, 4, ws);
                            ct_tensor *b = (s + d) % 2 ? tn(CT_FLOAT32, 1, (int)ch->K) : NULL;
                            cparams cp = {2, {STRIDES[s][0], STRIDES[s][1]}, {PADS[p][0], PADS[p][1]},
                                          {PADS[p][0], PADS[p][1]}, {DILS[d][0], DILS[d][1]}, {ops[o][0], ops[o][1]},
                                          ch->G, true};
                            CHECK(run_conv(x, w, b, &cp, 1e-5));
                            ct_tensor_release(x);
                            ct_tensor_release(w);
                            ct_tensor_release(b);
                        }
}

TEST(test_conv1d_and_other_dtypes) {
    static const ct_dtype dts[] = {CT_FLOAT32, CT_FLOAT64, CT_INT64, CT_INT32, CT_UINT8, CT_INT8, CT_BFLOAT16};
    for (int t = 0; t < N_(dts); t++) {
        ct_dtype dt = dts[t];
        double tol = dt == CT_FLOAT32 ? 1e-5 : dt == CT_BFLOAT16 ? 1e-2 : 1e-12;
        for (int tr = 0; tr < 2; tr++)
            for (int c = 0; c < 4; c++) {
                const chan *ch = &CHANS[c];
                /* 1-D */
                int64_t xs[3] = {2, ch->C, 11}, ws[3] = {tr ? ch->C : ch->K, tr ? ch->K / ch->G : ch->C / ch->G, 3};
                ct_tensor *x = trand(dt, 3, xs), *w = trand(dt, 3, ws), *b = tn(dt, 1, (int)ch->K);
                cparams cp = {1, {2, 0}, {1, 0}, {1, 0}, {2, 0}, {tr ? 1 : 0, 0}, ch->G, tr};
                CHECK(run_conv(x, w, b, &cp, tol));
                ct_tensor_release(x);
                ct_tensor_release(w);
                ct_tensor_release(b);
                /* 2-D */
                int64_t xs2[4] = {1, ch->C, 6, 5}, ws2[4] = {ws[0], ws[1], 3, 2};
                x = trand(dt, 4, xs2);
                w = trand(dt, 4, ws2);
                cparams cp2 = {2, {1, 2}, {1, 1}, {1, 1}, {1, 2}, {0, tr ? 1 : 0}, ch->G, tr};
                CHECK(run_conv(x, w, NULL, &cp2, tol));
                ct_tensor_release(x);
                ct_tensor_release(w);
            }
    }
}

TEST(test_conv_front_ends) {
    cts_err err = {0};
    /* conv2d with defaults, unbatched input, non-contiguous input */
    int64_t xs[4] = {2, 3, 8, 10}, ws[4] = {5, 3, 3, 3};
    ct_tensor *x = trand(CT_FLOAT32, 4, xs), *w = trand(CT_FLOAT32, 4, ws), *b = tn(CT_FLOAT32, 1, 5);
    ct_tensor *xt = ct_transpose(x, 2, 3, &err); /* [2,3,10,8] strided */
    ct_tensor *xc = ct_contiguous(xt, &err);
    cparams cp = {2, {2, 1}, {1, 2}, {1, 2}, {1, 1}, {0, 0}, 1, false};
    int64_t os[4];
    double *ref = ref_conv(xc, w, b, &cp, os);
    ct_tensor_retain(xt);
    ct_tensor_retain(w);
    ct_tensor_retain(b);
    cv_value a[7] = {cv_tensor(xt), cv_tensor(w), cv_tensor(b), il(2, 2, 1), il(2, 1, 2), il(1, 1), cv_int(1)};
    ct_tensor *r = call("aten::conv2d", 7, a);
    CHECK(compare(r, 4, os, ref, 1e-5));
    ct_tensor_release(r);
    free(ref);
    /* unbatched: [C,H,W] */
    ct_tensor *x0 = ct_select(xc, 0, 1, &err), *x0c = ct_contiguous(x0, &err);
    int64_t one[4] = {1, 3, 10, 8};
    ct_tensor *x0b = ct_view(x0c, 4, one, &err);
    cparams cp0 = {2, {1, 1}, {0, 0}, {0, 0}, {1, 1}, {0, 0}, 1, false};
    ref = ref_conv(x0b, w, NULL, &cp0, os);
    ct_tensor_retain(x0);
    ct_tensor_retain(w);
    cv_value a0[7] = {cv_tensor(x0), cv_tensor(w), cv_none(), il(1, 1), il(1, 0), il(1, 1), cv_int(1)};
    r = call("aten::conv2d", 7, a0);
    CHECK(r && r->ndim == 3 && r->sizes[0] == os[1] && r->sizes[1] == os[2] && r->sizes[2] == os[3]);
    if (r && r->ndim == 3) {
        int ok = 1;
        for (int64_t i = 0; i < ct_numel(r); i++)
            if (fabs(((float *)ct_data(r))[i] - ref[i]) > 1e-4) ok = 0;
        CHECK(ok);
    }
    ct_tensor_release(r);
    free(ref);
    /* padding='same' with an even kernel and dilation (asymmetric padding) */
    int64_t ws2[4] = {4, 3, 4, 2};
    ct_tensor *w2 = trand(CT_FLOAT32, 4, ws2);
    cparams cps = {2, {1, 1}, {1, 0}, {2, 1}, {1, 1}, {0, 0}, 1, false};
    ref = ref_conv(xc, w2, NULL, &cps, os);
    CHECK(os[2] == 10 && os[3] == 8);
    ct_tensor_retain(xc);
    ct_tensor_retain(w2);
    cv_value sv;
    cv_str_from("same", &sv, &err);
    cv_value as[7] = {cv_tensor(xc), cv_tensor(w2), cv_none(), il(1, 1), sv, il(1, 1), cv_int(1)};
    r = call("aten::conv2d.padding", 7, as);
    CHECK(compare(r, 4, os, ref, 1e-5));
    ct_tensor_release(r);
    free(ref);
    /* dilated 'same': total padding d*(k-1) */
    cparams cpd = {2, {1, 1}, {4, 1}, {5, 1}, {3, 2}, {0, 0}, 1, false};
    ref = ref_conv(xc, w2, NULL, &cpd, os);
    CHECK(os[2] == 10 && os[3] == 8);
    ct_tensor_retain(xc);
    ct_tensor_retain(w2);
    cv_str_from("same", &sv, &err);
    cv_value ad[7] = {cv_tensor(xc), cv_tensor(w2), cv_none(), il(1, 1), sv, il(2, 3, 2), cv_int(1)};
    r = call("aten::conv2d.padding", 7, ad);
    CHECK(compare(r, 4, os, ref, 1e-5));
    ct_tensor_release(r);
    free(ref);
    /* 'valid' */
    ref = ref_conv(xc, w2, NULL, &(cparams){2, {2, 2}, {0, 0}, {0, 0}, {1, 1}, {0, 0}, 1, false}, os);
    ct_tensor_retain(xc);
    ct_tensor_retain(w2);
    cv_str_from("valid", &sv, &err);
    cv_value av[7] = {cv_tensor(xc), cv_tensor(w2), cv_none(), il(1, 2), sv, il(1, 1), cv_int(1)};
    r = call("aten::conv2d.padding", 7, av);
    CHECK(compare(r, 4, os, ref, 1e-5));
    ct_tensor_release(r);
    free(ref);
    /* conv1d with a double bias: converted (PyTorch 1.13 accepts it) */
    int64_t x1s[3] = {2, 3, 9}, w1s[3] = {4, 3, 3};
    ct_tensor *x1 = trand(CT_FLOAT32, 3, x1s), *w1 = trand(CT_FLOAT32, 3, w1s), *bd = tn(CT_FLOAT64, 1, 4);
    ref = ref_conv(x1, w1, bd, &(cparams){1, {1, 0}, {0, 0}, {0, 0}, {1, 0}, {0, 0}, 1, false}, os);
    ct_tensor_retain(x1);
    ct_tensor_retain(w1);
    ct_tensor_retain(bd);
    cv_value a1[7] = {cv_tensor(x1), cv_tensor(w1), cv_tensor(bd), il(1, 1), il(1, 0), il(1, 1), cv_int(1)};
    r = call("aten::conv1d", 7, a1);
    CHECK(compare(r, 3, os, ref, 1e-5));
    CHECK(r && r->dtype == CT_FLOAT32);
    ct_tensor_release(r);
    free(ref);
    /* conv_transpose2d.input: stride 2, output_padding 1, groups 1 */
    int64_t wts[4] = {3, 2, 3, 3};
    ct_tensor *wt = trand(CT_FLOAT32, 4, wts);
    ref = ref_conv(xc, wt, NULL, &(cparams){2, {2, 2}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 1, true}, os);
    CHECK(os[2] == 20 && os[3] == 16);
    ct_tensor_retain(xc);
    ct_tensor_retain(wt);
    cv_value at[8] = {cv_tensor(xc), cv_tensor(wt), cv_none(), il(1, 2), il(1, 1), il(1, 1), cv_int(1), il(1, 1)};
    r = call("aten::conv_transpose2d.input", 8, at);
    CHECK(compare(r, 4, os, ref, 1e-5));
    ct_tensor_release(r);
    free(ref);
    ct_tensor *objs[] = {x, w, b, xt, xc, x0, x0c, x0b, w2, x1, w1, bd, wt};
    for (int i = 0; i < N_(objs); i++) ct_tensor_release(objs[i]);
}

TEST(test_conv_threads_and_big_shapes) {
    cts_err err = {0};
    g_pool = cts_pool_new(2, &err);
    struct {
        int64_t C, K, G, H, k, s, p;
    } cs[] = {{16, 32, 1, 28, 3, 1, 1}, {3, 16, 1, 64, 7, 2, 3}, {32, 32, 32, 30, 3, 1, 1}, {32, 16, 1, 20, 1, 1, 0},
              {24, 24, 24, 17, 5, 2, 2}};
    for (int i = 0; i < N_(cs); i++) {
        int64_t xs[4] = {2, cs[i].C, cs[i].H, cs[i].H}, ws[4] = {cs[i].K, cs[i].C / cs[i].G, cs[i].k, cs[i].k};
        ct_tensor *x = trand(CT_FLOAT32, 4, xs), *w = trand(CT_FLOAT32, 4, ws), *b = tn(CT_FLOAT32, 1, (int)cs[i].K);
        cparams cp = {2, {cs[i].s, cs[i].s}, {cs[i].p, cs[i].p}, {cs[i].p, cs[i].p}, {1, 1}, {0, 0}, cs[i].G, false};
        CHECK(run_conv(x, w, b, &cp, 1e-5));
        ct_tensor_release(x);
        ct_tensor_release(w);
        ct_tensor_release(b);
    }
    cts_pool_free(g_pool);
    g_pool = NULL;
}

TEST(test_depthwise_vector_paths) {
    /* widths that exercise full, overlapping-tail and border vectors, at
     * strides 1 and 2 (the stride-2 rows split into even and odd columns) */
    static const int64_t kk[][2] = {{3, 3}, {5, 3}, {1, 7}};
    for (int w = 17; w <= 65; w += 8)
        for (int k = 0; k < 3; k++)
            for (int d = 1; d <= 2; d++)
                for (int p = 0; p <= 2; p++)
                    for (int s = 1; s <= 2; s++) {
                        int64_t xs[4] = {1, 5, 6, w}, ws[4] = {5, 1, kk[k][0], kk[k][1]};
                        if (6 + 2 * p < d * (kk[k][0] - 1) + 1 || w + 2 * p < d * (kk[k][1] - 1) + 1) continue;
                        ct_tensor *x = trand(CT_FLOAT32, 4, xs), *wt = trand(CT_FLOAT32, 4, ws);
                        ct_tensor *b = tn(CT_FLOAT32, 1, 5);
                        cparams cp = {2, {s, s}, {p, p}, {p, p}, {d, d}, {0, 0}, 5, false};
                        CHECK(run_conv(x, wt, b, &cp, 1e-5));
                        ct_tensor_release(x);
                        ct_tensor_release(wt);
                        ct_tensor_release(b);
                    }
}

TEST(test_depthwise_channels_last) {
    /* channels in whole vectors and narrow, strided or large kernels: the
     * channels-last kernel (conv.c's dw_channels_last), two images */
    static const int64_t kk[][2] = {{3, 3}, {5, 5}, {1, 7}};
    static const int64_t chans[] = {8, 24};
    for (int w = 3; w <= 20; w += 5)
        for (int k = 0; k < 3; k++)
            for (int s = 1; s <= 2; s++)
                for (int d = 1; d <= 2; d++)
                    for (int ci = 0; ci < 2; ci++) {
                        int64_t C = chans[ci], p = kk[k][1] / 2;
                        int64_t xs[4] = {2, C, 9, w}, ws[4] = {C, 1, kk[k][0], kk[k][1]};
                        if (9 + 2 * p < d * (kk[k][0] - 1) + 1 || w + 2 * p < d * (kk[k][1] - 1) + 1) continue;
                        ct_tensor *x = trand(CT_FLOAT32, 4, xs), *wt = trand(CT_FLOAT32, 4, ws);
                        ct_tensor *b = (w + k) % 2 ? tn(CT_FLOAT32, 1, C) : NULL;
                        cparams cp = {2, {s, s}, {p, p}, {p, p}, {d, d}, {0, 0}, C, false};
                        CHECK(run_conv(x, wt, b, &cp, 1e-5));
                        ct_tensor_release(x);
                        ct_tensor_release(wt);
                        ct_tensor_release(b);
                    }
}

TEST(test_conv_empty) {
    ct_tensor *r = call("aten::conv2d", 7,
                        (cv_value[]){cv_tensor(tn(CT_FLOAT32, 4, 0, 3, 5, 5)), cv_tensor(tn(CT_FLOAT32, 4, 4, 3, 3, 3)),
                                     cv_tensor(tn(CT_FLOAT32, 1, 4)), il(1, 1), il(1, 0), il(1, 1), cv_int(1)});
    CHECK(r && r->sizes[0] == 0 && r->sizes[1] == 4 && r->sizes[2] == 3);
    ct_tensor_release(r);
}

static cv_value opt(ct_tensor *b) { return b ? cv_tensor(b) : cv_none(); }

/* conv2d(x, w, bias, stride, padding, dilation, groups) error text */
static const char *conv2d_err(ct_tensor *x, ct_tensor *w, ct_tensor *b, cv_value s, cv_value p, cv_value d, int64_t g) {
    cv_value a[7] = {cv_tensor(x), cv_tensor(w), b ? cv_tensor(b) : cv_none(), s, p, d, cv_int(g)};
    return err_of(call("aten::conv2d", 7, a));
}

#define F(...) tn(CT_FLOAT32, __VA_ARGS__)
#define D(...) tn(CT_FLOAT64, __VA_ARGS__)
#define ONE il(1, 1)
#define ZERO il(1, 0)

TEST(test_conv_error_messages) {
    CHECK_STR(conv2d_err(F(2, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(3, 4, 3, 3), NULL, il(2, 1, 1), il(2, 0, 0), il(2, 1, 1), 1),
              "expected stride to be a single integer value or a list of 1 values to match the convolution "
              "dimensions, but got stride=[1, 1]");
    CHECK_STR(conv2d_err(F(4, 1, 2, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 5, 5] to have 3 channels, but got 2 "
              "channels instead");
    CHECK_STR(conv2d_err(F(4, 1, 3, 2, 2), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater "
              "than actual input size");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), F(1, 3), ONE, ZERO, ONE, 1),
              "Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of "
              "size [3] instead");
    CHECK_STR(conv2d_err(F(4, 1, 6, 5, 5), F(4, 3, 3, 3, 3), NULL, ONE, ZERO, ONE, 2),
              "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 3, "
              "3, 3]] instead");
    CHECK_STR(conv2d_err(F(4, 1, 6, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 0),
              "non-positive groups is not supported");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, il(1, 0), ZERO, ONE, 1),
              "non-positive stride is not supported");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, il(1, 0), il(1, -1), ONE, 1),
              "negative padding is not supported");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, il(3, 1, 2, 3), ZERO, ONE, 0),
              "non-positive groups is not supported");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, il(3, 1, 2, 3), ZERO, ONE, 1),
              "expected stride to be a single integer value or a list of 2 values to match the convolution "
              "dimensions, but got stride=[1, 2, 3]");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, il(1, 0), 1),
              "dilation should be greater than zero, but got [0, 0]");
    /* a bare int for int[2] means [v, v] */
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(3, 4, 3, 3), NULL, cv_int(1), cv_int(0), cv_int(1), 1),
              "expected stride to be a single integer value or a list of 1 values to match the convolution "
              "dimensions, but got stride=[1, 1]");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, il(1, -1), 1),
              "dilation should be greater than zero, but got [-1, -1]");
    CHECK_STR(conv2d_err(F(4, 1, 2, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, il(1, 0), 1),
              "Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 5, 5] to have 3 channels, but got 2 "
              "channels instead");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), D(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "expected scalar type Float but found Double");
    CHECK_STR(conv2d_err(D(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "expected scalar type Double but found Float");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), D(1, 4), ONE, ZERO, ONE, 1),
              "Input type (float) and bias type (double) should be the same");
    CHECK_STR(conv2d_err(tn(CT_INT64, 4, 1, 3, 5, 5), tn(CT_INT64, 4, 4, 3, 3, 3), tn(CT_BFLOAT16, 1, 4), ONE, ZERO,
                         ONE, 1),
              "Input type (long int) and bias type (c10::BFloat16) should be the same");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(4, 0, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "Given groups=1, expected weight to be at least 1 at dimension 0, but got weight of size [0, 3, 3, 3] "
              "instead");
    CHECK_STR(conv2d_err(tn(CT_FLOAT16, 4, 1, 3, 5, 5), tn(CT_FLOAT16, 4, 4, 3, 3, 3), NULL, ONE, ZERO, ONE, 1),
              "\"slow_conv2d_cpu\" not implemented for 'Half'");
    CHECK_STR(conv2d_err(tn(CT_BOOL, 4, 1, 3, 5, 5), tn(CT_BOOL, 4, 4, 3, 3, 3), NULL, ONE, ZERO, il(1, 2), 1),
              "\"slow_conv_dilated<>\" not implemented for 'Bool'");
    CHECK_STR(conv2d_err(F(4, 1, 3, 5, 5), F(2, 4, 3), NULL, il(2, 1, 1), il(2, 0, 0), il(2, 1, 1), 1),
              "weight should have at least three dimensions");
    /* string padding */
    cts_err e = {0};
    cv_value sv;
    cv_value a[7];
#define CONVP(x, w, s, pad, d)                                                                                     \
    (cv_str_from(pad, &sv, &e), a[0] = cv_tensor(x), a[1] = cv_tensor(w), a[2] = cv_none(), a[3] = (s), a[4] = sv, \
     a[5] = (d), a[6] = cv_int(1), err_of(call("aten::conv2d.padding", 7, a)))
    CHECK_STR(CONVP(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), il(1, 2), "same", ONE),
              "padding='same' is not supported for strided convolutions");
    CHECK_STR(CONVP(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), ONE, "foo", ONE), "Invalid padding string: 'foo'");
    CHECK_STR(CONVP(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), ONE, "same", il(3, 1, 2, 3)),
              "dilation cannot broadcast to 2 dimensions");
    CHECK_STR(CONVP(F(4, 1, 3, 5, 5), F(4, 4, 3, 3, 3), il(3, 1, 2, 1), "same", ONE),
              "stride cannot broadcast to 2 dimensions");
    CHECK_STR(CONVP(F(3, 1, 3, 5), F(4, 4, 3, 3, 3), ONE, "same", ONE),
              "Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 1, 3, 5] to have 3 channels, but got 1 "
              "channels instead");
#undef CONVP
    /* conv1d */
    a[0] = cv_tensor(F(3, 1, 3, 5));
    a[1] = cv_tensor(F(4, 4, 3, 3, 3));
    a[2] = cv_none();
    a[3] = ONE;
    a[4] = ZERO;
    a[5] = ONE;
    a[6] = cv_int(1);
    CHECK_STR(err_of(call("aten::conv1d", 7, a)),
              "Expected 4-dimensional input for 4-dimensional weight [4, 3, 3, 3], but got 3-dimensional input of size "
              "[1, 3, 5] instead");
    a[0] = cv_tensor(F(4, 1, 3, 5, 5));
    a[1] = cv_tensor(F(3, 4, 3, 3));
    a[2] = cv_none();
    a[3] = ONE;
    a[4] = ZERO;
    a[5] = ONE;
    CHECK_STR(err_of(call("aten::conv1d", 7, a)),
              "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 3, 5, 5]");
    a[0] = cv_tensor(F(3, 1, 3, 5));
    a[1] = cv_tensor(F(3, 4, 3, 3));
    a[2] = cv_none();
    a[3] = ONE;
    a[4] = ZERO;
    a[5] = il(1, 0);
    CHECK_STR(err_of(call("aten::conv1d", 7, a)), "dilation should be greater than zero, but got [1, 0]");
    /* transposed */
    cv_value t[8];
#define CT(x, w, b, s, p, op, g, d)                                                                             \
    (t[0] = cv_tensor(x), t[1] = cv_tensor(w), t[2] = opt(b), t[3] = (s), t[4] = (p), \
     t[5] = (op), t[6] = cv_int(g), t[7] = (d), err_of(call("aten::conv_transpose2d.input", 8, t)))
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), NULL, il(1, 2), il(1, 1), il(1, 2), 1, ONE),
              "output padding must be smaller than either stride or dilation, but got output_padding_height: 2 "
              "output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1");
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), F(1, 5), ONE, ZERO, ZERO, 1, ONE),
              "Given transposed=1, weight of size [3, 4, 3, 3], expected bias to be 1-dimensional with 4 elements, "
              "but got bias of size [5] instead");
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), D(1, 4), ONE, ZERO, ZERO, 1, ONE),
              "expected scalar type Float but found Double");
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), NULL, ONE, il(1, 5), ZERO, 1, ONE),
              "Given input size per channel: (5 x 5). Calculated output size per channel: (-3 x -3). Output size is "
              "too small");
    CHECK_STR(CT(F(4, 1, 4, 5, 5), F(4, 4, 2, 3, 3), NULL, ONE, ZERO, ZERO, 3, ONE),
              "Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [[4, 2, 3, "
              "3]] instead");
    CHECK_STR(CT(F(2, 5, 5), F(4, 4, 2, 3, 3), NULL, ONE, ZERO, ZERO, 2, ONE),
              "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [5, 5]");
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), NULL, ONE, ZERO, il(1, -1), 1, ONE),
              "negative output_padding is not supported");
    CHECK_STR(CT(F(4, 1, 3, 5, 5), F(4, 3, 4, 3, 3), NULL, ONE, ZERO, il(3, 1, 2, 3), 1, ONE),
              "expected output_padding to be a single integer value or a list of 2 values to match the convolution "
              "dimensions, but got output_padding=[1, 2, 3]");
    CHECK_STR(CT(tn(CT_FLOAT16, 4, 1, 3, 5, 5), tn(CT_FLOAT16, 4, 3, 4, 3, 3), NULL, ONE, ZERO, ZERO, 1, ONE),
              "\"slow_conv_transpose2d_out_cpu\" not implemented for 'Half'");
#undef CT
    a[0] = cv_tensor(F(4, 1, 3, 5, 5));
    a[1] = cv_tensor(F(4, 4, 3, 3, 3));
    a[2] = cv_none();
    a[3] = il(2, 1, 1);
    a[4] = il(2, 0, 0);
    a[5] = il(2, 1, 1);
    a[6] = cv_bool(true);
    cv_value a13[13] = {a[0], a[1], a[2], a[3], a[4], a[5], a[6], il(2, 0, 0), cv_int(1), cv_bool(false),
                        cv_bool(false), cv_bool(true), cv_bool(true)};
    CHECK_STR(err_of(call("aten::_convolution", 13, a13)),
              "Given transposed=1, weight of size [4, 3, 3, 3], expected input[1, 3, 5, 5] to have 4 channels, but got "
              "3 channels instead");
}

int main(void) {
    RUN(test_conv2d_grid_float32);
    RUN(test_conv_transpose2d_grid_float32);
    RUN(test_conv1d_and_other_dtypes);
    RUN(test_conv_front_ends);
    RUN(test_conv_threads_and_big_shapes);
    RUN(test_depthwise_vector_paths);
    RUN(test_depthwise_channels_last);
    RUN(test_conv_empty);
    RUN(test_conv_error_messages);
    return test_summary();
}
