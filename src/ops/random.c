/* random.c - kernel family 'random': PyTorch 1.13's CPU generator (mt19937,
 * see random.h) and the ops that draw from it: rand, randn, randint, the
 * *_like forms, normal(mean, std, size), uniform_, normal_, random_,
 * bernoulli, exponential_, randperm, multinomial.
 *
 * Bit-exactness.  Every sample is computed as PyTorch 1.13's CPU kernels do
 * on an AVX2 machine (its kernels in native/cpu/ are built with -mavx2 -mfma
 * and gcc contracts a*b+c into an FMA there; we write those fmas out):
 *   - uniform float: ((r32 & (2^24-1)) * 2^-24) * (to-from) + from, fused;
 *     double: the same with 53 bits of random64 (two draws, first = high);
 *   - normal, the scalar path (numel < 16, non-contiguous, half of a pair
 *     from the cache): Box-Muller in double, u1 then u2, r = sqrt(-2 log(1-u2)),
 *     theta = 2 pi u1; returns r cos(theta), caches r sin(theta) in the
 *     generator for the next call; result fma(x, std, mean);
 *   - normal, the fill path (contiguous, numel >= 16): all uniforms first,
 *     then Box-Muller on blocks of 16 (u1 = 1 - d[j], u2 = d[j+8], j < 8),
 *     and when numel % 16 != 0 the last 16 are drawn again and recomputed.
 *     float32 uses avx_mathfun's log256_ps/sincos256_ps (Cephes polynomials),
 *     emulated here lane by lane with the same operations and contractions;
 *     double uses libm's log, cos and sin;
 *   - random_/randint: (r % range) + from, with random64 only when the
 *     range is >= 2^32 and the dtype is int64, float, double or bfloat16;
 *   - randperm: Fisher-Yates from the front with random() % (n - i).
 * tests/ops/test_random.c checks these bit for bit against torch 1.13.
 * The fmas are written out with fma()/fmaf(); every other a*b+c must stay
 * two roundings, which holds as gcc does not contract in ISO C mode
 * (-std=c11) and clang contracts only within one expression, where this
 * file has no unfused a*b+c.
 *
 * Element order: in-place fills visit elements as PyTorch's TensorIterator
 * does (dimensions sorted by stride, so memory order for any dense view);
 * *_like results keep the input's dense layout (empty_like's preserve).
 *
 * dtypes: uniform_ and random_ take every real dtype PyTorch takes (half
 * and bfloat16 included), normal_ and exponential_ float32 and float64,
 * bernoulli all but half and bfloat16 (as PyTorch).
 *
 * Not supported (clear errors): an explicit torch.Generator argument,
 * named tensors, normal_/exponential_ on half and bfloat16.  PyTorch's
 * warnings (random_ ranges beyond a float's exact integers) are not given. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "kutil.h"
#include "random.h"

/* ---- the generator ---- */

#define MT_N 624
#define MT_M 397

struct cts_generator {
    uint64_t seed;
    int left;      /* draws left before the next twist, 1..MT_N */
    uint32_t next; /* index of the next state word */
    uint32_t state[MT_N];
    bool has_normal;     /* next_double_normal_sample_ */
    double next_normal;
};

static void gen_seed(cts_generator *g, uint64_t seed) {
    g->seed = seed;
    g->state[0] = (uint32_t)seed;
    for (int j = 1; j < MT_N; j++)
        g->state[j] = 1812433253u * (g->state[j - 1] ^ (g->state[j - 1] >> 30)) + (uint32_t)j;
    g->left = 1;
    g->next = 0;
    g->has_normal = false;
}

static inline uint32_t mt_twist(uint32_t u, uint32_t v) {
    return (((u & 0x80000000u) | (v & 0x7fffffffu)) >> 1) ^ ((v & 1) ? 0x9908b0dfu : 0);
}

static void mt_next_state(cts_generator *g) {
    uint32_t *p = g->state;
    g->left = MT_N;
    g->next = 0;
    for (int j = MT_N - MT_M + 1; --j; p++) *p = p[MT_M] ^ mt_twist(p[0], p[1]);
    for (int j = MT_M; --j; p++) *p = p[MT_M - MT_N] ^ mt_twist(p[0], p[1]);
    *p = p[MT_M - MT_N] ^ mt_twist(p[0], g->state[0]);
}

static inline uint32_t r32(cts_generator *g) {
    if (--g->left == 0) mt_next_state(g);
    uint32_t y = g->state[g->next++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static inline uint64_t r64(cts_generator *g) {
    uint64_t hi = r32(g);
    return (hi << 32) | r32(g);
}

cts_generator *cts_generator_new(uint64_t seed) {
    cts_generator *g = malloc(sizeof *g);
    if (g) gen_seed(g, seed);
    return g;
}
void cts_generator_free(cts_generator *g) { free(g); }
void cts_generator_manual_seed(cts_generator *g, uint64_t seed) { gen_seed(g, seed); }
uint64_t cts_generator_initial_seed(const cts_generator *g) { return g->seed; }
uint32_t cts_generator_random(cts_generator *g) { return r32(g); }
uint64_t cts_generator_random64(cts_generator *g) { return r64(g); }

/* The per-thread state documented in random.h. */
static _Thread_local cts_generator tl_default;
static _Thread_local bool tl_default_ready;
static _Thread_local cts_generator *tl_current;

cts_generator *cts_generator_current(void) {
    if (tl_current) return tl_current;
    if (!tl_default_ready) {
        gen_seed(&tl_default, CTS_DEFAULT_SEED);
        tl_default_ready = true;
    }
    return &tl_default;
}
void cts_generator_set_current(cts_generator *g) { tl_current = g; }

/* ---- samples ---- */

/* uniform_real_distribution<float>: 24 bits; x * (to - from) + from fused */
static inline float uniform_f(cts_generator *g, float from, float to) {
    float x = (float)(r32(g) & 0xFFFFFFu) * 0x1p-24f;
    return fmaf(x, to - from, from);
}
static inline double uniform_d(cts_generator *g, double from, double to) {
    double x = (double)(r64(g) & ((UINT64_C(1) << 53) - 1)) * 0x1p-53;
    return fma(x, to - from, from);
}

/* normal_distribution<double> with the generator's cached second sample */
static double normal_d(cts_generator *g, double mean, double std) {
    double x;
    if (g->has_normal) {
        g->has_normal = false;
        x = g->next_normal;
    } else {
        double u1 = uniform_d(g, 0.0, 1.0);
        double u2 = uniform_d(g, 0.0, 1.0);
        double r = sqrt(-2.0 * log(1.0 - u2));
        double theta = 2.0 * 3.14159265358979323846 * u1;
        g->next_normal = r * sin(theta);
        g->has_normal = true;
        x = r * cos(theta);
    }
    return fma(x, std, mean);
}

static inline float bits_f(uint32_t b) {
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}
static inline uint32_t f_bits(float f) {
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

/* One lane of avx_mathfun's log256_ps (the Cephes logf polynomial).  The
 * fmas are where gcc contracts its _mm256_mul_ps/_mm256_add_ps pairs. */
static float avx_logf(float x) {
    bool invalid = x <= 0.0f;
    x = x > bits_f(0x00800000u) ? x : bits_f(0x00800000u); /* _mm256_max_ps(x, min_norm_pos) */
    int32_t e_i = (int32_t)(f_bits(x) >> 23) - 0x7f;
    x = bits_f((f_bits(x) & ~0x7f800000u) | f_bits(0.5f));
    float e = (float)e_i + 1.0f;
    bool m = x < (float)0.707106781186547524;
    float tmp = m ? x : 0.0f;
    x = x - 1.0f;
    e = e - (m ? 1.0f : 0.0f);
    x = x + tmp;
    float z = x * x;
    float y = fmaf((float)7.0376836292E-2, x, (float)-1.1514610310E-1);
    y = fmaf(y, x, (float)1.1676998740E-1);
    y = fmaf(y, x, (float)-1.2420140846E-1);
    y = fmaf(y, x, (float)1.4249322787E-1);
    y = fmaf(y, x, (float)-1.6668057665E-1);
    y = fmaf(y, x, (float)2.0000714765E-1);
    y = fmaf(y, x, (float)-2.4999993993E-1);
    y = fmaf(y, x, (float)3.3333331174E-1);
    y = y * x;
    y = fmaf(y, z, e * (float)-2.12194440e-4);
    y = fmaf(-z, 0.5f, y);
    x = x + y;
    x = fmaf(e, 0.693359375f, x);
    return invalid ? bits_f(0xffffffffu) : x; /* NaN for x <= 0 */
}

/* One lane of avx_mathfun's sincos256_ps (Cephes sinf/cosf). */
static void avx_sincosf(float xin, float *s, float *c) {
    uint32_t sign_sin = f_bits(xin) & 0x80000000u;
    float x = fabsf(xin);
    float y = x * (float)1.27323954473516; /* 4 / pi */
    /* cvttps: truncation; out of range gives INT_MIN */
    int32_t j = (y < 2147483648.0f) ? (int32_t)y : INT32_MIN;
    j = (int32_t)(((uint32_t)j + 1u) & ~1u);
    y = (float)j;
    uint32_t swap_sin = ((uint32_t)j & 4u) << 29;
    bool poly = (j & 2) == 0;
    /* extended precision modular arithmetic */
    x = fmaf(y, -0.78515625f, x);
    x = fmaf(y, (float)-2.4187564849853515625e-4, x);
    x = fmaf(y, (float)-3.77489497744594108e-8, x);
    uint32_t sign_cos = (~((uint32_t)j - 2u) & 4u) << 29;
    sign_sin ^= swap_sin;
    float z = x * x;
    float yc = fmaf((float)2.443315711809948E-005, z, (float)-1.388731625493765E-003);
    yc = fmaf(yc, z, (float)4.166664568298827E-002);
    yc = yc * z;
    yc = fmaf(yc, z, -(z * 0.5f));
    yc = yc + 1.0f;
    float ys = fmaf((float)-1.9515295891E-4, z, (float)8.3321608736E-3);
    ys = fmaf(ys, z, (float)-1.6666654611E-1);
    ys = ys * z;
    ys = fmaf(ys, x, x);
    float sin2 = poly ? ys : 0.0f, sin1 = poly ? 0.0f : yc;
    ys = ys - sin2;
    yc = yc - sin1;
    *s = bits_f(f_bits(sin1 + sin2) ^ sign_sin);
    *c = bits_f(f_bits(yc + ys) ^ sign_cos);
}

/* normal_fill_16_AVX2 */
static void normal16_f(float *d, float mean, float std) {
    for (int j = 0; j < 8; j++) {
        float u1 = 1.0f - d[j], u2 = d[j + 8];
        float radius = sqrtf(-2.0f * avx_logf(u1));
        float theta = (float)(2.0f * 3.14159265358979323846) * u2;
        float s, c;
        avx_sincosf(theta, &s, &c);
        d[j] = fmaf(radius * c, std, mean);
        d[j + 8] = fmaf(radius * s, std, mean);
    }
}
/* normal_fill_16<double> */
static void normal16_d(double *d, double mean, double std) {
    for (int j = 0; j < 8; j++) {
        double u1 = 1.0 - d[j], u2 = d[j + 8];
        double radius = sqrt(-2.0 * log(u1));
        double theta = 2.0 * 3.14159265358979323846 * u2;
        d[j] = fma(radius * cos(theta), std, mean);
        d[j + 8] = fma(radius * sin(theta), std, mean);
    }
}

static void normal_fill_f(cts_generator *g, float *d, int64_t n, float mean, float std) {
    for (int64_t i = 0; i < n; i++) d[i] = uniform_f(g, 0.0f, 1.0f);
    for (int64_t i = 0; i < n - 15; i += 16) normal16_f(d + i, mean, std);
    if (n % 16 != 0) {
        d += n - 16;
        for (int i = 0; i < 16; i++) d[i] = uniform_f(g, 0.0f, 1.0f);
        normal16_f(d, mean, std);
    }
}
static void normal_fill_d(cts_generator *g, double *d, int64_t n, double mean, double std) {
    for (int64_t i = 0; i < n; i++) d[i] = uniform_d(g, 0.0, 1.0);
    for (int64_t i = 0; i < n - 15; i += 16) normal16_d(d + i, mean, std);
    if (n % 16 != 0) {
        d += n - 16;
        for (int i = 0; i < 16; i++) d[i] = uniform_d(g, 0.0, 1.0);
        normal16_d(d, mean, std);
    }
}

/* ---- element order (TensorIterator's) ---- */

/* Walks out (and an input of out's shape, broadcast strides allowed) with
 * dimensions sorted as TensorIterator::reorder_dimensions sorts them:
 * smaller stride innermost, operands consulted in order, a broadcast
 * (stride 0) dimension skipped, equal strides broken by size. */
typedef struct rk_iter {
    int nd, nops;
    int64_t size[CT_MAX_DIMS]; /* innermost first */
    int64_t st[2][CT_MAX_DIMS];
    int64_t idx[CT_MAX_DIMS];
    int64_t off[2]; /* element offsets from each operand's data */
} rk_iter;

static int rk_should_swap(const ct_tensor *const *ops, int nops, int d0, int d1) {
    for (int o = 0; o < nops; o++) {
        int64_t s0 = ops[o]->strides[d0], s1 = ops[o]->strides[d1];
        if (s0 == 0 || s1 == 0) continue;
        if (s0 < s1) return -1;
        if (s0 > s1) return 1;
        if (ops[0]->sizes[d0] > ops[0]->sizes[d1]) return 1;
    }
    return 0;
}

static void rk_iter_init(rk_iter *it, const ct_tensor *out, const ct_tensor *in) {
    const ct_tensor *ops[2] = {out, in};
    int nops = in ? 2 : 1;
    int perm[CT_MAX_DIMS], n = 0;
    for (int d = out->ndim - 1; d >= 0; d--)
        if (out->sizes[d] != 1) perm[n++] = d;
    for (int i = 1; i < n; i++) {
        int d1 = i;
        for (int d0 = i - 1; d0 >= 0; d0--) {
            int c = rk_should_swap(ops, nops, perm[d0], perm[d1]);
            if (c > 0) {
                int t = perm[d0];
                perm[d0] = perm[d1];
                perm[d1] = t;
                d1 = d0;
            } else if (c < 0) {
                break;
            }
        }
    }
    it->nd = n;
    it->nops = nops;
    for (int i = 0; i < n; i++) {
        it->size[i] = out->sizes[perm[i]];
        it->idx[i] = 0;
        for (int o = 0; o < nops; o++) it->st[o][i] = ops[o]->strides[perm[i]];
    }
    it->off[0] = it->off[1] = 0;
}

static inline void rk_next(rk_iter *it) {
    for (int d = 0; d < it->nd; d++) {
        for (int o = 0; o < it->nops; o++) it->off[o] += it->st[o][d];
        if (++it->idx[d] < it->size[d]) return;
        for (int o = 0; o < it->nops; o++) it->off[o] -= it->st[o][d] * it->size[d];
        it->idx[d] = 0;
    }
}

static inline void put_f(char *p, ct_dtype dt, double v) {
    if (dt == CT_FLOAT32) *(float *)p = (float)v;
    else if (dt == CT_FLOAT64) *(double *)p = v;
    else ct_store_f64(p, dt, v);
}

/* static_cast<T>(int64_t v) for any dtype (half/bfloat16 through float) */
static inline void put_i(char *p, ct_dtype dt, int64_t v) {
    if (dt == CT_FLOAT16 || dt == CT_BFLOAT16) ct_store_f64(p, dt, (double)(float)v);
    else ct_store_i64(p, dt, v);
}

static bool is_real_float(ct_dtype dt) { return dt == CT_FLOAT32 || dt == CT_FLOAT64; }

/* "\"normal_kernel_cpu\" not implemented for 'Long'" */
static int not_implemented(cts_err *err, const char *what, ct_dtype dt) {
    return cts_err_set(err, "\"%s\" not implemented for '%s'", what, ku_dtype_tname(dt));
}

/* ---- fills ---- */

/* std::numeric_limits<T>::lowest()/max() as double, TypeMeta's name */
static void float_limits(ct_dtype dt, double *max, const char **name) {
    switch (dt) {
    case CT_FLOAT16: *max = 65504.0, *name = "c10::Half"; break;
    case CT_BFLOAT16: *max = 3.3895313892515355e38, *name = "c10::BFloat16"; break;
    case CT_FLOAT32: *max = FLT_MAX, *name = "float"; break;
    default: *max = DBL_MAX, *name = "double"; break;
    }
}

static int uniform_impl(ct_tensor *t, double from, double to, cts_generator *g, cts_err *err) {
    ct_dtype dt = t->dtype;
    if (!ct_dtype_is_float(dt)) return not_implemented(err, "check_uniform_bounds", dt);
    double max;
    const char *name;
    float_limits(dt, &max, &name);
    if (!(from >= -max && from <= max)) return cts_err_set(err, "from is out of bounds for %s", name);
    if (!(to >= -max && to <= max)) return cts_err_set(err, "to is out of bounds for %s", name);
    if (!(from <= to))
        return cts_err_set(err, "uniform_ expects to return a [from, to) range, but found from=%g > to=%g", from, to);
    if (!(to - from <= max))
        return cts_err_set(err,
                           "uniform_ expects to-from <= std::numeric_limits<%s>::max(), but found to=%g and from=%g "
                           "which result in to-from to exceed the limit",
                           ku_dtype_tname(dt), to, from);
    int64_t n = ct_numel(t);
    if (n == 0) return 0;
    if (ku_check_internal_overlap(t, err)) return -1;
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *base = ct_data(t);
    int es = ct_dtype_size(dt);
    if (dt == CT_FLOAT64) {
        for (int64_t i = 0; i < n; i++, rk_next(&it)) *(double *)(base + it.off[0] * es) = uniform_d(g, from, to);
    } else if (dt == CT_FLOAT32) {
        float f = (float)from, tt = (float)to;
        for (int64_t i = 0; i < n; i++, rk_next(&it)) *(float *)(base + it.off[0] * es) = uniform_f(g, f, tt);
    } else {
        /* half, bfloat16: 11 or 8 bits; to - from rounded to the dtype */
        int digits = dt == CT_FLOAT16 ? 11 : 8;
        unsigned char tmp[2];
        ct_store_f64(tmp, dt, from);
        float f = (float)ct_load_f64(tmp, dt);
        ct_store_f64(tmp, dt, to);
        float tt = (float)ct_load_f64(tmp, dt);
        ct_store_f64(tmp, dt, (double)(tt - f));
        float range = (float)ct_load_f64(tmp, dt);
        uint32_t mask = (1u << digits) - 1;
        float div = 1.0f / (float)(1u << digits);
        for (int64_t i = 0; i < n; i++, rk_next(&it)) {
            float x = (float)(r32(g) & mask) * div;
            ct_store_f64(base + it.off[0] * es, dt, fmaf(x, range, f));
        }
    }
    return 0;
}

int cts_random_uniform_(ct_tensor *t, double from, double to, cts_generator *g, cts_err *err) {
    return uniform_impl(t, from, to, g, err);
}

static int normal_impl(ct_tensor *t, double mean, double std, cts_generator *g, cts_err *err) {
    ct_dtype dt = t->dtype;
    if (!(std >= 0.0)) return cts_err_set(err, "normal expects std >= 0.0, but found std %g", std);
    if (!ct_dtype_is_float(dt)) return not_implemented(err, "normal_kernel_cpu", dt);
    if (!is_real_float(dt))
        return cts_err_set(err, "normal_ on %s tensors is not supported by cts", ku_dtype_tname(dt));
    int64_t n = ct_numel(t);
    if (n >= 16 && ct_is_contiguous(t)) {
        if (dt == CT_FLOAT32) normal_fill_f(g, ct_data(t), n, (float)mean, (float)std);
        else normal_fill_d(g, ct_data(t), n, mean, std);
        return 0;
    }
    if (n == 0) return 0;
    if (ku_check_internal_overlap(t, err)) return -1;
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *base = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) put_f(base + it.off[0] * es, dt, normal_d(g, mean, std));
    return 0;
}

int cts_random_normal_(ct_tensor *t, double mean, double std, cts_generator *g, cts_err *err) {
    return normal_impl(t, mean, std, g, err);
}

static int exponential_impl(ct_tensor *t, double lambd, cts_generator *g, cts_err *err) {
    ct_dtype dt = t->dtype;
    if (!(lambd >= 0.0)) return cts_err_set(err, "exponential_ expects lambda >= 0.0, but found lambda=%g", lambd);
    int64_t n = ct_numel(t);
    if (n == 0) return 0;
    if (ku_check_internal_overlap(t, err)) return -1;
    if (!ct_dtype_is_float(dt)) return not_implemented(err, "exponential_cpu", dt);
    if (!is_real_float(dt))
        return cts_err_set(err, "exponential_ on %s tensors is not supported by cts", ku_dtype_tname(dt));
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *base = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) {
        double u = uniform_d(g, 0.0, 1.0);
        put_f(base + it.off[0] * es, dt, -1.0 / lambd * log(1.0 - u));
    }
    return 0;
}

/* bernoulli_(p) for a float p: uniform double < p */
static int bernoulli_scalar_impl(ct_tensor *t, double p, cts_generator *g, cts_err *err) {
    if (!(p >= 0 && p <= 1)) return cts_err_set(err, "bernoulli_ expects p to be in [0, 1], but got p=%g", p);
    if (ku_check_internal_overlap(t, err)) return -1;
    ct_dtype dt = t->dtype;
    if (dt == CT_FLOAT16 || dt == CT_BFLOAT16) return not_implemented(err, "bernoulli_scalar_cpu_", dt);
    int64_t n = ct_numel(t);
    if (n == 0) return 0;
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *base = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) put_i(base + it.off[0] * es, dt, uniform_d(g, 0.0, 1.0) < p);
    return 0;
}

int cts_random_bernoulli_(ct_tensor *t, double p, cts_generator *g, cts_err *err) {
    return bernoulli_scalar_impl(t, p, g, err);
}

/* bernoulli_(p) for a tensor p broadcast to t: per element, a uniform of
 * p's precision (double for float64 p, else float) below p */
static int bernoulli_tensor_impl(ct_tensor *t, ct_tensor *p, cts_generator *g, cts_err *err) {
    if (ku_check_internal_overlap(t, err)) return -1;
    ct_dtype dt = t->dtype;
    if (dt == CT_FLOAT16 || dt == CT_BFLOAT16) return not_implemented(err, "bernoulli_tensor_cpu_self_", dt);
    ct_tensor *pe = ct_expand(p, t->ndim, t->sizes, err);
    if (!pe) return -1;
    if (!is_real_float(p->dtype)) {
        ct_tensor_release(pe);
        return not_implemented(err, "bernoulli_tensor_cpu_p_", p->dtype);
    }
    int64_t n = ct_numel(t);
    rk_iter it;
    rk_iter_init(&it, t, pe);
    char *base = ct_data(t), *pb = ct_data(pe);
    int es = ct_dtype_size(dt), ps = ct_dtype_size(p->dtype);
    bool dbl = p->dtype == CT_FLOAT64;
    int rc = 0;
    for (int64_t i = 0; i < n; i++, rk_next(&it)) {
        const char *pp = pb + it.off[1] * ps;
        double pv = dbl ? *(const double *)pp : (double)*(const float *)pp;
        if (!(pv >= 0 && pv <= 1)) {
            rc = cts_err_set(err, "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                                  "message be improved?  If so, please report an enhancement request to PyTorch.)");
            break;
        }
        bool b = dbl ? uniform_d(g, 0.0, 1.0) < pv : uniform_f(g, 0.0f, 1.0f) < (float)pv;
        put_i(base + it.off[0] * es, dt, b);
    }
    ct_tensor_release(pe);
    return rc;
}

/* ---- random_ ---- */

/* digits of std::numeric_limits<T> for the float dtypes */
static int float_digits(ct_dtype dt) {
    return dt == CT_FLOAT16 ? 11 : dt == CT_BFLOAT16 ? 8 : dt == CT_FLOAT32 ? 24 : 53;
}

/* static_cast<int64_t>(static_cast<T>(v)) for a float dtype T (x86: out of
 * range gives INT64_MIN) */
static int64_t round_trip(int64_t v, ct_dtype dt) {
    double d;
    if (dt == CT_FLOAT64) {
        d = (double)v;
    } else {
        float f = (float)v;
        unsigned char tmp[2];
        if (dt != CT_FLOAT32) {
            ct_store_f64(tmp, dt, f);
            f = (float)ct_load_f64(tmp, dt);
        }
        d = f;
    }
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (int64_t)d : INT64_MIN;
}

static int64_t update_from(int64_t from, ct_dtype dt) {
    int64_t from_plus_1 = round_trip((int64_t)((uint64_t)from + 1), dt);
    if (from_plus_1 < from) {
        int64_t f = llabs(from + 1);
        int n = 0;
        while (f >>= 1) ++n;
        from = from_plus_1 + ((int64_t)1 << (n - float_digits(dt) + 1));
    }
    return from;
}

static int64_t update_to(int64_t to, ct_dtype dt) {
    int64_t to_minus_1 = round_trip((int64_t)((uint64_t)to - 1), dt);
    if (to_minus_1 >= to) {
        int64_t t = llabs(to - 1);
        int n = 0;
        while (t >>= 1) ++n;
        to = to_minus_1 - ((int64_t)1 << (n - float_digits(dt) + 1));
    }
    return to;
}

/* numeric_limits of an integral dtype; TypeMeta's name */
static void int_limits(ct_dtype dt, int64_t *min, int64_t *max, const char **name) {
    switch (dt) {
    case CT_BOOL: *min = 0, *max = 1, *name = "bool"; break;
    case CT_UINT8: *min = 0, *max = 255, *name = "unsigned char"; break;
    case CT_INT8: *min = -128, *max = 127, *name = "signed char"; break;
    case CT_INT16: *min = INT16_MIN, *max = INT16_MAX, *name = "short int"; break;
    case CT_INT32: *min = INT32_MIN, *max = INT32_MAX, *name = "int"; break;
    default: *min = INT64_MIN, *max = INT64_MAX, *name = "long int"; break;
    }
}

static int check_from_to_in_range(int64_t from, int64_t to_inc, ct_dtype dt, cts_err *err) {
    const char *name;
    if (ct_dtype_is_float(dt)) {
        double max;
        float_limits(dt, &max, &name);
        if (!((double)from >= -max && (double)from <= max))
            return cts_err_set(err, "from is out of bounds for %s", name);
        if (!((double)to_inc >= -max && (double)to_inc <= max))
            return cts_err_set(err, "to - 1 is out of bounds for %s", name);
    } else {
        int64_t min, max;
        int_limits(dt, &min, &max, &name);
        if (!(from >= min && from <= max)) return cts_err_set(err, "from is out of bounds for %s", name);
        if (!(to_inc >= min && to_inc <= max)) return cts_err_set(err, "to - 1 is out of bounds for %s", name);
    }
    return 0;
}

/* uniform_int_from_to_distribution over [base, base + range) */
static void random_from_to_fill(ct_tensor *t, uint64_t range, int64_t base, cts_generator *g) {
    ct_dtype dt = t->dtype;
    bool wide = (dt == CT_INT64 || dt == CT_FLOAT64 || dt == CT_FLOAT32 || dt == CT_BFLOAT16) &&
                range >= (UINT64_C(1) << 32);
    int64_t n = ct_numel(t);
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *data = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) {
        uint64_t v = wide ? r64(g) : r32(g);
        put_i(data + it.off[0] * es, dt, (int64_t)(v % range + (uint64_t)base));
    }
}

/* random_(from, to) with to = NULL for None */
static int random_from_to(ct_tensor *t, int64_t from, const int64_t *to_opt, cts_generator *g, cts_err *err) {
    ct_dtype dt = t->dtype;
    if (ct_dtype_is_complex(dt)) return not_implemented(err, "random_from_to_kernel_cpu", dt);
    if (ku_check_internal_overlap(t, err)) return -1;
    bool isf = ct_dtype_is_float(dt);
    if (to_opt) {
        int64_t to = *to_opt;
        if (!(from < to))
            return cts_err_set(err, "random_ expects 'from' to be less than 'to', but got from=%lld >= to=%lld",
                               (long long)from, (long long)to);
        if (isf) {
            from = update_from(from, dt);
            to = update_to(to, dt);
            if (!(from < to))
                return cts_err_set(err,
                                   "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but "
                                   "got from=%lld >= to=%lld",
                                   (long long)from, (long long)to);
        }
        if (check_from_to_in_range(from, to - 1, dt, err)) return -1;
        if (ct_numel(t) == 0) return 0;
        random_from_to_fill(t, (uint64_t)to - (uint64_t)from, from, g);
        return 0;
    }
    if (from != INT64_MIN) {
        int64_t to_inc;
        if (isf) {
            int digits = float_digits(dt);
            to_inc = digits >= 63 ? INT64_MAX : (int64_t)1 << digits;
            from = update_from(from, dt);
            if (!(from < to_inc))
                return cts_err_set(err,
                                   "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted "
                                   "to dtype, but got from=%lld > to_inc=%lld",
                                   (long long)from, (long long)to_inc);
        } else {
            int64_t min;
            const char *name;
            int_limits(dt, &min, &to_inc, &name);
        }
        if (check_from_to_in_range(from, to_inc, dt, err)) return -1;
        if (ct_numel(t) == 0) return 0;
        random_from_to_fill(t, (uint64_t)to_inc - (uint64_t)from + 1, from, g);
        return 0;
    }
    /* [INT64_MIN, INT64_MAX]: all 64 bits */
    if (ct_numel(t) == 0) return 0;
    if (dt == CT_BOOL || dt == CT_FLOAT16) return not_implemented(err, "random_full_64_bits_range_kernel_cpu", dt);
    if (!(dt == CT_INT64 || dt == CT_FLOAT64 || dt == CT_FLOAT32 || dt == CT_BFLOAT16))
        return cts_err_set(err, "random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16");
    int64_t n = ct_numel(t);
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *data = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) put_i(data + it.off[0] * es, dt, (int64_t)r64(g));
    return 0;
}

/* random_(): [0, max] for integers, [0, 2^digits] for floats */
static int random_plain(ct_tensor *t, cts_generator *g, cts_err *err) {
    ct_dtype dt = t->dtype;
    int64_t n = ct_numel(t);
    if (n == 0) return 0;
    if (ku_check_internal_overlap(t, err)) return -1;
    if (ct_dtype_is_complex(dt)) return not_implemented(err, "random_kernel_cpu", dt);
    rk_iter it;
    rk_iter_init(&it, t, NULL);
    char *data = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++, rk_next(&it)) {
        char *p = data + it.off[0] * es;
        switch (dt) {
        case CT_BOOL: ct_store_i64(p, dt, r32(g) & 1); break;
        case CT_INT64: ct_store_i64(p, dt, (int64_t)(r64(g) % (UINT64_C(1) << 63))); break;
        case CT_FLOAT64: put_f(p, dt, (double)(r64(g) % ((UINT64_C(1) << 53) + 1))); break;
        case CT_FLOAT32:
        case CT_FLOAT16:
        case CT_BFLOAT16: put_f(p, dt, (double)(r32(g) % ((UINT64_C(1) << float_digits(dt)) + 1))); break;
        default: {
            int64_t min, max;
            const char *name;
            int_limits(dt, &min, &max, &name);
            ct_store_i64(p, dt, (int64_t)(r32(g) % ((uint64_t)max + 1)));
        }
        }
    }
    return 0;
}

/* ---- argument helpers ---- */

/* A `Generator? generator` argument must be None. */
static int no_generator(const ku_args *a, int i) {
    if (i < a->n && a->v[i].tag != CV_NONE)
        return cts_err_set(a->k->err, "explicit torch.Generator objects are not supported by cts (argument %d); "
                                      "use torch.manual_seed",
                           i);
    return 0;
}

/* A `str[]? names` argument must be None. */
static int no_names(const ku_args *a, int i) {
    if (i < a->n && a->v[i].tag != CV_NONE)
        return cts_err_set(a->k->err, "named tensors are not supported by cts (argument %d)", i);
    return 0;
}

/* empty(size) with the dtype, layout, device, pin_memory group at opt */
static ct_tensor *new_sized(const ku_args *a, int size_i, int opt, ct_dtype deflt) {
    int64_t sizes[CT_MAX_DIMS];
    int n;
    ct_dtype dt;
    if (ku_int_list(a, size_i, sizes, CT_MAX_DIMS, &n) || ku_tensor_options(a, opt, &dt)) return NULL;
    for (int i = 0; i < n; i++)
        if (sizes[i] < 0) {
            char buf[256];
            cts_err_set(a->k->err, "Trying to create tensor with negative dimension %lld: %s", (long long)sizes[i],
                        ct_shape_str(n, sizes, buf, sizeof buf));
            return NULL;
        }
    return ct_tensor_empty(dt == CT_DTYPE_INVALID ? deflt : dt, n, sizes, a->k->err);
}

/* empty_like(self, dtype, memory_format): preserve keeps self's dense
 * layout (infer_dense_strides: self's dimensions sorted by stride) */
static ct_tensor *new_like(cts_err *err, const ct_tensor *self, ct_dtype dt, int memfmt) {
    int nd = self->ndim;
    int64_t st[CT_MAX_DIMS];
    if (memfmt == 2 || memfmt == 3) {
        int want = memfmt == 2 ? 4 : 5;
        if (nd != want) {
            cts_err_set(err, "required rank %d tensor to use %s format", want,
                        memfmt == 2 ? "channels_last" : "channels_last_3d");
            return NULL;
        }
        int64_t s = 1;
        st[1] = 1;
        s = self->sizes[1] > 1 ? self->sizes[1] : 1;
        for (int d = nd - 1; d >= 2; d--) {
            st[d] = s;
            s *= self->sizes[d] > 1 ? self->sizes[d] : 1;
        }
        st[0] = s;
    } else if (memfmt == 0 || ct_is_contiguous(self)) {
        return ct_tensor_empty(dt, nd, self->sizes, err);
    } else {
        /* stable sort of the dimensions by stride, innermost first */
        int perm[CT_MAX_DIMS];
        for (int i = 0; i < nd; i++) perm[i] = nd - 1 - i;
        for (int i = 1; i < nd; i++) {
            int d1 = i;
            for (int d0 = i - 1; d0 >= 0; d0--) {
                int64_t s0 = self->strides[perm[d0]], s1 = self->strides[perm[d1]];
                int c = 0;
                if (s0 != 0 && s1 != 0) c = s0 < s1 ? -1 : s0 > s1 ? 1 : self->sizes[perm[d0]] > self->sizes[perm[d1]];
                if (c > 0) {
                    int t = perm[d0];
                    perm[d0] = perm[d1];
                    perm[d1] = t;
                    d1 = d0;
                } else if (c < 0) {
                    break;
                }
            }
        }
        int64_t s = 1;
        for (int i = 0; i < nd; i++) {
            st[perm[i]] = s;
            s *= self->sizes[perm[i]] > 1 ? self->sizes[perm[i]] : 1;
        }
    }
    ct_tensor *c = ct_tensor_empty(dt, nd, self->sizes, err);
    if (!c) return NULL;
    ct_tensor *v = ct_tensor_from_storage(c->storage, dt, 0, nd, self->sizes, st, err);
    ct_tensor_release(c);
    return v;
}

/* *_like(self, ..., *, dtype, layout, device, pin_memory, memory_format) at opt */
static ct_tensor *like_args(const ku_args *a, int opt, ct_tensor **self_out) {
    ct_tensor *self;
    ct_dtype dt;
    int memfmt;
    if (ku_tensor(a, 0, &self) || ku_tensor_options(a, opt, &dt) || ku_opt_memory_format(a, opt + 4, &memfmt))
        return NULL;
    if (self_out) *self_out = self;
    return new_like(a->k->err, self, dt == CT_DTYPE_INVALID ? self->dtype : dt, memfmt);
}

/* Returns the filled new tensor t, or releases it on failure. */
static int ret_filled(cv_value *outs, ct_tensor *t, int rc) {
    if (rc) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, t);
}

/* ---- kernels ---- */

/* rand/randn(size, [generator | names,] *, dtype, layout, device, pin_memory) */
static int rand_impl(cts_kctx *k, const cv_value *args, int nargs, int extra, bool normal, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    if (extra == 1 && no_generator(&A, 1)) return -1;
    if (extra == 2 && no_names(&A, 1)) return -1;
    ct_tensor *t = new_sized(&A, 0, extra ? 2 : 1, CT_FLOAT32);
    if (!t) return -1;
    cts_generator *g = cts_generator_current();
    int rc = normal ? normal_impl(t, 0.0, 1.0, g, k->err) : uniform_impl(t, 0.0, 1.0, g, k->err);
    return ret_filled(outs, t, rc);
}
static int k_rand(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 0, false, o); }
static int k_rand_gen(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 1, false, o); }
static int k_rand_names(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 2, false, o); }
static int k_randn(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 0, true, o); }
static int k_randn_gen(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 1, true, o); }
static int k_randn_names(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_impl(k, a, n, 2, true, o); }

static int rand_like_impl(cts_kctx *k, const cv_value *args, int nargs, bool normal, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *t = like_args(&A, 1, NULL);
    if (!t) return -1;
    cts_generator *g = cts_generator_current();
    int rc = normal ? normal_impl(t, 0.0, 1.0, g, k->err) : uniform_impl(t, 0.0, 1.0, g, k->err);
    return ret_filled(outs, t, rc);
}
static int k_rand_like(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_like_impl(k, a, n, false, o); }
static int k_randn_like(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return rand_like_impl(k, a, n, true, o); }

/* normal.float_float(mean, std, size, *, generator, dtype, layout, device, pin_memory) */
static int k_normal_float_float(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    double mean, std;
    if (ku_float(&A, 0, &mean) || ku_float(&A, 1, &std) || no_generator(&A, 3)) return -1;
    ct_tensor *t = new_sized(&A, 2, 4, CT_FLOAT32);
    if (!t) return -1;
    return ret_filled(outs, t, normal_impl(t, mean, std, cts_generator_current(), k->err));
}

/* uniform_/normal_(self, a=0, b=1, *, generator); _no_grad_* have no generator */
static int two_float_inplace(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    double a, b;
    if (ku_tensor(&A, 0, &self) || ku_float(&A, 1, &a) || ku_float(&A, 2, &b) || no_generator(&A, 3)) return -1;
    cts_generator *g = cts_generator_current();
    int rc = kind ? normal_impl(self, a, b, g, k->err) : uniform_impl(self, a, b, g, k->err);
    return rc ? -1 : ku_ret_self(outs, self);
}
static int k_uniform_(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return two_float_inplace(k, a, n, 0, o); }
static int k_normal_(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return two_float_inplace(k, a, n, 1, o); }

static int k_exponential_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    double lambd;
    if (ku_tensor(&A, 0, &self) || ku_float(&A, 1, &lambd) || no_generator(&A, 2)) return -1;
    if (exponential_impl(self, lambd, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}

/* randint([low,] high, size, [generator,] *, dtype=int64, layout, device, pin_memory) */
static int randint_impl(cts_kctx *k, const cv_value *args, int nargs, bool low, bool gen, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t lo = 0, hi;
    int i = 0;
    if (low && ku_int(&A, i++, &lo)) return -1;
    if (ku_int(&A, i++, &hi)) return -1;
    int size_i = i++;
    if (gen && no_generator(&A, i++)) return -1;
    ct_tensor *t = new_sized(&A, size_i, i, CT_FLOAT32);
    if (!t) return -1;
    return ret_filled(outs, t, random_from_to(t, lo, &hi, cts_generator_current(), k->err));
}
static int k_randint(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_impl(k, a, n, false, false, o);
}
static int k_randint_gen(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_impl(k, a, n, false, true, o);
}
static int k_randint_low(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_impl(k, a, n, true, false, o);
}
static int k_randint_low_gen(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_impl(k, a, n, true, true, o);
}

/* randint_like(self, [low,] high, *, dtype, layout, device, pin_memory, memory_format) */
static int randint_like_impl(cts_kctx *k, const cv_value *args, int nargs, bool low, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t lo = 0, hi;
    if (low && ku_int(&A, 1, &lo)) return -1;
    if (ku_int(&A, low ? 2 : 1, &hi)) return -1;
    ct_tensor *t = like_args(&A, low ? 3 : 2, NULL);
    if (!t) return -1;
    return ret_filled(outs, t, random_from_to(t, lo, &hi, cts_generator_current(), k->err));
}
static int k_randint_like(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_like_impl(k, a, n, false, o);
}
static int k_randint_like_low(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randint_like_impl(k, a, n, true, o);
}

static int k_random_from(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t from, to;
    bool has_to;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &from) || ku_opt_int(&A, 2, &to, &has_to) || no_generator(&A, 3))
        return -1;
    if (random_from_to(self, from, has_to ? &to : NULL, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}
static int k_random_to(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t to;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &to) || no_generator(&A, 2)) return -1;
    if (random_from_to(self, 0, &to, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}
static int k_random_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self) || no_generator(&A, 1)) return -1;
    if (random_plain(self, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}

/* bernoulli(self): a contiguous tensor of self's shape and dtype, each
 * element 1 with probability self[i] */
static int k_bernoulli(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self) || no_generator(&A, 1)) return -1;
    ct_tensor *t = ct_tensor_empty(self->dtype, self->ndim, self->sizes, k->err);
    if (!t) return -1;
    return ret_filled(outs, t, bernoulli_tensor_impl(t, self, cts_generator_current(), k->err));
}
static int k_bernoulli_p(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    double p;
    if (ku_tensor(&A, 0, &self) || ku_float(&A, 1, &p) || no_generator(&A, 2)) return -1;
    ct_tensor *t = ct_tensor_empty(self->dtype, self->ndim, self->sizes, k->err);
    if (!t) return -1;
    return ret_filled(outs, t, bernoulli_scalar_impl(t, p, cts_generator_current(), k->err));
}
static int k_bernoulli_float_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    double p;
    if (ku_tensor(&A, 0, &self) || ku_float(&A, 1, &p) || no_generator(&A, 2)) return -1;
    if (bernoulli_scalar_impl(self, p, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}
static int k_bernoulli_tensor_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *p;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &p) || no_generator(&A, 2)) return -1;
    if (bernoulli_tensor_impl(self, p, cts_generator_current(), k->err)) return -1;
    return ku_ret_self(outs, self);
}

/* randperm(n, [generator,] *, dtype=int64, layout, device, pin_memory):
 * Fisher-Yates from the front, swapping r[i] with r[i + random() % (n - i)] */
static int randperm_impl(cts_kctx *k, const cv_value *args, int nargs, bool gen, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t n;
    ct_dtype dt;
    if (ku_int(&A, 0, &n) || (gen && no_generator(&A, 1)) || ku_tensor_options(&A, gen ? 2 : 1, &dt)) return -1;
    if (dt == CT_DTYPE_INVALID) dt = CT_FLOAT32;
    if (n < 0)
        return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: [%lld]", (long long)n,
                           (long long)n);
    if (ct_dtype_is_complex(dt) || dt == CT_BOOL) return not_implemented(k->err, "randperm", dt);
    /* check_supported_max_int_with_precision: n - 1 must fit the dtype */
    if (!ct_dtype_is_float(dt)) {
        int64_t min, max;
        const char *name;
        int_limits(dt, &min, &max, &name);
        if (n - 1 > max) {
            static const char *const names[] = {"uint8_t", "int8_t", "int16_t", "int32_t", "int64_t"};
            int i = dt == CT_UINT8 ? 0 : dt == CT_INT8 ? 1 : dt == CT_INT16 ? 2 : dt == CT_INT32 ? 3 : 4;
            return cts_err_set(k->err, "value cannot be converted to type %s without overflow", names[i]);
        }
    } else if (dt == CT_FLOAT16 && n > 2049) {
        return cts_err_set(k->err, "n cannot be greater than 2049 for Half type.");
    } else if (dt == CT_FLOAT32 && n > (INT64_C(1) << 24) + 1) {
        return cts_err_set(k->err, "n cannot be greater than 2^24+1 for Float type.");
    } else if (dt == CT_FLOAT64 && n > (INT64_C(1) << 53) + 1) {
        return cts_err_set(k->err, "n cannot be greater than 2^53+1 for Double type.");
    }
    ct_tensor *t = ct_tensor_empty(dt, 1, &n, k->err);
    if (!t) return -1;
    int64_t *r = malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
    if (!r) {
        ct_tensor_release(t);
        return cts_err_set(k->err, "randperm: out of memory for %lld elements", (long long)n);
    }
    for (int64_t i = 0; i < n; i++) r[i] = i;
    cts_generator *g = cts_generator_current();
    for (int64_t i = 0; i < n - 1; i++) {
        int64_t z = (int64_t)r32(g) % (n - i);
        int64_t sav = r[i];
        r[i] = r[z + i];
        r[z + i] = sav;
    }
    char *data = ct_data(t);
    int es = ct_dtype_size(dt);
    for (int64_t i = 0; i < n; i++) put_i(data + i * es, dt, r[i]);
    free(r);
    return ku_ret(outs, t);
}
static int k_randperm(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return randperm_impl(k, a, n, false, o); }
static int k_randperm_gen(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return randperm_impl(k, a, n, true, o);
}

/* multinomial(self, num_samples, replacement=False).  Without replacement,
 * or for one sample, PyTorch draws q ~ Exp(1) over empty_like(self) and
 * takes the argmax (topk) of self / q; with replacement it searches each
 * row's normalized cumulative sums (in self's dtype) for a uniform double.
 * topk's order among equal keys (in practice: zero-probability categories
 * once the others are drawn) comes from libstdc++'s nth_element and sort;
 * cts puts equal keys in descending index order, which is what they give
 * for small rows, but that is not guaranteed to match. */
static int k_multinomial(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t ns;
    bool repl;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &ns) || ku_bool(&A, 2, &repl) || no_generator(&A, 3)) return -1;
    cts_err *err = k->err;
    if (self->ndim < 1 || self->ndim > 2) return cts_err_set(err, "prob_dist must be 1 or 2 dim");
    if (!ct_dtype_is_float(self->dtype))
        return cts_err_set(err, "multinomial only supports floating-point dtypes for input, got: %s",
                           ku_dtype_tname(self->dtype));
    if (ns <= 0) return cts_err_set(err, "cannot sample n_sample <= 0 samples");
    int64_t nc = self->sizes[self->ndim - 1];
    if (!repl && ns > nc)
        return cts_err_set(err, "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    if (nc > (INT64_C(1) << 24)) return cts_err_set(err, "number of categories cannot exceed 2^24");
    if (!is_real_float(self->dtype))
        return cts_err_set(err, "multinomial on %s tensors is not supported by cts", ku_dtype_tname(self->dtype));
    bool dbl = self->dtype == CT_FLOAT64;
    int64_t nd = self->ndim == 2 ? self->sizes[0] : 1;
    int64_t rs[2] = {nd, ns};
    ct_tensor *res = self->ndim == 2 ? ct_tensor_empty(CT_INT64, 2, rs, err) : ct_tensor_empty(CT_INT64, 1, &ns, err);
    if (!res) return -1;
    int64_t *out = ct_data(res);
    if (nd == 0) return ku_ret(outs, res);
    const char *sp = ct_data(self);
    int64_t s0 = self->ndim == 2 ? self->strides[0] : 0, s1 = self->strides[self->ndim - 1];
    int es = ct_dtype_size(self->dtype);
#define PROB(i, j)                                            \
    (dbl ? *(const double *)(sp + ((i) * s0 + (j) * s1) * es) \
         : (double)*(const float *)(sp + ((i) * s0 + (j) * s1) * es))
    cts_generator *g = cts_generator_current();
    if (!repl || ns == 1) {
        bool bad = false, zero_row = false;
        for (int64_t i = 0; i < nd; i++) {
            bool any = false;
            for (int64_t j = 0; j < nc; j++) {
                double v = PROB(i, j);
                if (!(v >= 0 && v < INFINITY)) bad = true;
                if (v != 0) any = true;
            }
            if (!any) zero_row = true;
        }
        if (bad || zero_row) {
            ct_tensor_release(res);
            return bad ? cts_err_set(err, "probability tensor contains either `inf`, `nan` or element < 0")
                       : cts_err_set(err, "invalid multinomial distribution (sum of probabilities <= 0)");
        }
        ct_tensor *q = new_like(err, self, self->dtype, -1);
        if (!q || exponential_impl(q, 1.0, g, err)) {
            if (q) ct_tensor_release(q);
            ct_tensor_release(res);
            return -1;
        }
        const char *qp = ct_data(q);
        int64_t q0 = q->ndim == 2 ? q->strides[0] : 0, q1 = q->strides[q->ndim - 1];
        double *key = malloc((size_t)nc * sizeof *key);
        int64_t *idx = malloc((size_t)nc * sizeof *idx);
        if (!key || !idx) {
            free(key);
            free(idx);
            ct_tensor_release(q);
            ct_tensor_release(res);
            return cts_err_set(err, "multinomial: out of memory");
        }
        for (int64_t i = 0; i < nd; i++) {
            for (int64_t j = 0; j < nc; j++) {
                const char *e = qp + (i * q0 + j * q1) * es;
                /* self / q in self's dtype */
                key[j] = dbl ? PROB(i, j) / *(const double *)e : (double)((float)PROB(i, j) / *(const float *)e);
                idx[j] = j;
            }
            /* the ns largest keys, largest first (NaN counts as largest) */
            for (int64_t a = 0; a < ns; a++) {
                int64_t best = a;
                for (int64_t b = a + 1; b < nc; b++) {
                    double kb = key[b], kx = key[best];
                    bool better = (isnan(kb) && !isnan(kx)) || kb > kx ||
                                  (ns > 1 && kb == kx && idx[b] > idx[best]);
                    if (better) best = b;
                }
                double tk = key[a];
                int64_t ti = idx[a];
                key[a] = key[best], idx[a] = idx[best];
                key[best] = tk, idx[best] = ti;
                out[i * ns + a] = idx[a];
            }
        }
        free(key);
        free(idx);
        ct_tensor_release(q);
        return ku_ret(outs, res);
    }
    /* with replacement */
    double *cum = malloc((size_t)nc * sizeof *cum);
    if (!cum) {
        ct_tensor_release(res);
        return cts_err_set(err, "multinomial: out of memory");
    }
    for (int64_t i = 0; i < nd; i++) {
        double sum = 0;
        float sumf = 0;
        for (int64_t j = 0; j < nc; j++) {
            double v = PROB(i, j);
            const char *msg = NULL;
            if (!(v >= 0)) msg = "invalid multinomial distribution (encountering probability entry < 0)";
            else if (!isfinite(v))
                msg = "invalid multinomial distribution (encountering probability entry = infinity or NaN)";
            if (msg) {
                free(cum);
                ct_tensor_release(res);
                return cts_err_set(err, "%s", msg);
            }
            if (dbl) cum[j] = sum += v;
            else cum[j] = sumf += (float)v;
        }
        if (!dbl) sum = sumf;
        if (!(sum > 0)) {
            free(cum);
            ct_tensor_release(res);
            return cts_err_set(err, "invalid multinomial distribution (sum of probabilities <= 0)");
        }
        for (int64_t j = 0; j < nc; j++) cum[j] = dbl ? cum[j] / sum : (double)((float)cum[j] / sumf);
        cum[nc - 1] = 1;
        for (int64_t j = 0; j < ns; j++) {
            double u = uniform_d(g, 0.0, 1.0);
            int64_t lo = 0, hi = nc;
            while (hi - lo > 0) {
                int64_t mid = lo + (hi - lo) / 2;
                if (cum[mid] < u) lo = mid + 1;
                else hi = mid;
            }
            out[i * ns + j] = lo;
        }
    }
#undef PROB
    free(cum);
    return ku_ret(outs, res);
}

const cts_op_def cts_ops_random[] = {
    {"aten::rand(int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_rand},
    {"aten::rand.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_rand_gen},
    {"aten::rand.names(int[] size, *, str[]? names, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_rand_names},
    {"aten::randn(int[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randn},
    {"aten::randn.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randn_gen},
    {"aten::randn.names(int[] size, *, str[]? names, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randn_names},
    {"aten::rand_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_rand_like},
    {"aten::randn_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_randn_like},
    {"aten::normal.float_float(float mean, float std, int[] size, *, Generator? generator=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_normal_float_float},
    {"aten::uniform_(Tensor(a!) self, float from=0., float to=1., *, Generator? generator=None) -> Tensor(a!)", k_uniform_},
    {"aten::normal_(Tensor(a!) self, float mean=0., float std=1., *, Generator? generator=None) -> Tensor(a!)", k_normal_},
    {"aten::_no_grad_uniform_(Tensor(a!) tensor, float a, float b) -> Tensor(a!)", k_uniform_},
    {"aten::_no_grad_normal_(Tensor(a!) tensor, float mean, float std) -> Tensor(a!)", k_normal_},
    {"aten::exponential_(Tensor(a!) self, float lambd=1., *, Generator? generator=None) -> Tensor(a!)", k_exponential_},
    {"aten::randint(int high, int[] size, *, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randint},
    {"aten::randint.generator(int high, int[] size, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randint_gen},
    {"aten::randint.low(int low, int high, int[] size, *, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randint_low},
    {"aten::randint.low_generator(int low, int high, int[] size, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randint_low_gen},
    {"aten::randint_like(Tensor self, int high, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_randint_like},
    {"aten::randint_like.low_dtype(Tensor self, int low, int high, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_randint_like_low},
    {"aten::random_.from(Tensor(a!) self, int from, int? to, *, Generator? generator=None) -> Tensor(a!)", k_random_from},
    {"aten::random_.to(Tensor(a!) self, int to, *, Generator? generator=None) -> Tensor(a!)", k_random_to},
    {"aten::random_(Tensor(a!) self, *, Generator? generator=None) -> Tensor(a!)", k_random_},
    {"aten::bernoulli(Tensor self, *, Generator? generator=None) -> Tensor", k_bernoulli},
    {"aten::bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor", k_bernoulli_p},
    {"aten::bernoulli_.float(Tensor(a!) self, float p=0.5, *, Generator? generator=None) -> Tensor(a!)", k_bernoulli_float_},
    {"aten::bernoulli_.Tensor(Tensor(a!) self, Tensor p, *, Generator? generator=None) -> Tensor(a!)", k_bernoulli_tensor_},
    {"aten::randperm(int n, *, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randperm},
    {"aten::randperm.generator(int n, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_randperm_gen},
    {"aten::multinomial(Tensor self, int num_samples, bool replacement=False, *, Generator? generator=None) -> Tensor", k_multinomial},
};
const int cts_ops_random_count = (int)(sizeof cts_ops_random / sizeof cts_ops_random[0]);
