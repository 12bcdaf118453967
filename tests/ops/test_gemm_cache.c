/* test_gemm_cache.c - the packed-weight cache (gemm.h, tensor.h): aten::linear
 * and aten::addmm/mm with a loaded weight give bit-identical results with
 * and without the cache; the packing is made once and reused; another view
 * of the same storage gets its own packing; a written weight (new storage
 * version) is packed again; threads racing on a cold cache agree and leave
 * one packing. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/gemm.h"
#include "ops/op.h"
#include "tensor/tensor.h"
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

static uint64_t rng = 0x2545f4914f6cdd1dull;
static float frand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)((double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

static ct_tensor *randn(int nd, const int64_t *sizes) {
    cts_err err = {0};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, nd, sizes, &err);
    if (!t) abort();
    float *p = ct_data(t);
    for (int64_t i = 0; i < ct_numel(t); i++) p[i] = frand();
    return t;
}

/* A copy of t in a fresh storage; weight: marked as a loaded module's. */
static ct_tensor *copy_of(ct_tensor *t, bool weight) {
    cts_err err = {0};
    ct_tensor *c = ct_tensor_empty(t->dtype, t->ndim, t->sizes, &err);
    if (!c || ct_copy_into(c, t, &err)) abort();
    c->storage->weight = weight;
    return c;
}

/* linear(x, w, bias) (bias may be NULL); the result tensor or NULL. */
static ct_tensor *linear(ct_tensor *x, ct_tensor *w, ct_tensor *b) {
    cts_err err = {0};
    cts_kctx k = {&err, NULL, NULL};
    cv_value args[3] = {cv_tensor(x), cv_tensor(w), b ? cv_tensor(b) : cv_none()};
    cv_value out = cv_none();
    if (kernel("aten::linear")(&k, args, 3, &out)) {
        fprintf(stderr, "linear: %s\n", err.msg);
        return NULL;
    }
    return out.u.t;
}

static ct_tensor *binary(const char *op, ct_tensor *a, ct_tensor *b) {
    cts_err err = {0};
    cts_kctx k = {&err, NULL, NULL};
    cv_value args[2] = {cv_tensor(a), cv_tensor(b)};
    cv_value out = cv_none();
    if (kernel(op)(&k, args, 2, &out)) {
        fprintf(stderr, "%s: %s\n", op, err.msg);
        return NULL;
    }
    return out.u.t;
}

static bool same_bits(const ct_tensor *a, const ct_tensor *b) {
    if (!a || !b || ct_numel(a) != ct_numel(b) || !ct_is_contiguous(a) || !ct_is_contiguous(b)) return false;
    return memcmp(ct_data(a), ct_data(b), (size_t)ct_numel(a) * sizeof(float)) == 0;
}

/* Equal to float rounding: |a - b| <= 1e-5 * max|b|. */
static bool close_to(const ct_tensor *a, const ct_tensor *b) {
    if (!a || !b || ct_numel(a) != ct_numel(b) || !ct_is_contiguous(a) || !ct_is_contiguous(b)) return false;
    const float *x = ct_data(a), *y = ct_data(b);
    double scale = 0;
    for (int64_t i = 0; i < ct_numel(b); i++) scale = fmax(scale, fabs(y[i]));
    for (int64_t i = 0; i < ct_numel(b); i++)
        if (!(fabs(x[i] - y[i]) <= 1e-5 * scale)) return false;
    return true;
}

static int aux_entries(ct_storage *s) {
    int n = 0;
    for (ct_storage_aux *a = atomic_load(&s->aux); a; a = a->next) n++;
    return n;
}

TEST(test_linear_cached_weight_is_bit_identical_and_packed_once) {
    int64_t xs[2] = {37, 200}, ws[2] = {70, 200}, bs[1] = {70}, x3s[3] = {3, 9, 200};
    ct_tensor *x = randn(2, xs), *x3 = randn(3, x3s), *w0 = randn(2, ws), *b = randn(1, bs);
    ct_tensor *wu = copy_of(w0, false), *wc = copy_of(w0, true);
    int64_t before = cts_gemm_cache_packings();
    ct_tensor *ru = linear(x, wu, b), *rc = linear(x, wc, b);
    CHECK(same_bits(ru, rc));
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    CHECK_EQ_INT(aux_entries(wu->storage), 0);
    CHECK_EQ_INT(aux_entries(wc->storage), 1);
    /* the packing is found again: same object, no new packing */
    ct_tensor *wt = ct_transpose(wc, 0, 1, &(cts_err){0});
    const cts_gemm_packed *p1 = cts_gemm_cached_b(wt, false);
    CHECK(p1 != NULL);
    ct_tensor *rc2 = linear(x, wc, b), *rn = linear(x, wc, NULL), *rnu = linear(x, wu, NULL);
    CHECK(same_bits(ru, rc2));
    CHECK(same_bits(rn, rnu));
    ct_tensor *r3 = linear(x3, wc, b), *r3u = linear(x3, wu, b);
    CHECK(same_bits(r3, r3u));
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    CHECK(cts_gemm_cached_b(wt, false) == p1);
    CHECK_EQ_INT(aux_entries(wc->storage), 1);
    /* aten::mm / addmm with the same B view reuse it */
    ct_tensor *wtu = ct_transpose(wu, 0, 1, &(cts_err){0});
    ct_tensor *rm = binary("aten::mm", x, wt), *rmu = binary("aten::mm", x, wtu);
    CHECK(same_bits(rm, rmu));
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    /* a small M (GEMV sizes) uses the packing there is (made at load for a
     * module's weight), packs nothing new, and agrees with the in-place dot
     * products to rounding; one row and a few */
    int64_t ss[2] = {3, 200}, s1[2] = {1, 200};
    ct_tensor *xs3 = randn(2, ss), *rs = linear(xs3, wc, b), *rsu = linear(xs3, wu, b);
    ct_tensor *x1 = randn(2, s1), *r1 = linear(x1, wc, b), *r1u = linear(x1, wu, b);
    CHECK(close_to(rs, rsu));
    CHECK(close_to(r1, r1u));
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    /* but a weight without a packing is not packed for a small M */
    ct_tensor *wc2 = copy_of(w0, true), *rs2 = linear(xs3, wc2, b);
    CHECK(same_bits(rs2, rsu));
    CHECK_EQ_INT(aux_entries(wc2->storage), 0);
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    ct_tensor *all[] = {x,   x3,  w0,  b,   wu,   wc, ru, rc, wt,  rc2, rn,  rnu,
                        r3,  r3u, wtu, rm,  rmu, xs3, rs, rsu, x1, r1, r1u, wc2, rs2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) ct_tensor_release(all[i]);
}

TEST(test_other_view_of_the_storage_gets_its_own_packing) {
    int64_t xs[2] = {20, 50}, ws[2] = {64, 60};
    ct_tensor *x = randn(2, xs), *w0 = randn(2, ws);
    ct_tensor *wu = copy_of(w0, false), *wc = copy_of(w0, true);
    cts_err err = {0};
    /* columns 10..59 and 5..54: same storage, same shape, other offsets */
    ct_tensor *cu = ct_slice(wu, 1, 10, 60, 1, &err), *cc = ct_slice(wc, 1, 10, 60, 1, &err);
    ct_tensor *cu2 = ct_slice(wu, 1, 5, 55, 1, &err), *cc2 = ct_slice(wc, 1, 5, 55, 1, &err);
    /* rows 0..31 (fewer outputs) */
    ct_tensor *ru_rows = ct_slice(wu, 0, 0, 32, 1, &err), *rc_rows = ct_slice(wc, 0, 0, 32, 1, &err);
    ct_tensor *ru_r = ru_rows ? ct_slice(ru_rows, 1, 10, 60, 1, &err) : NULL;
    ct_tensor *rc_r = rc_rows ? ct_slice(rc_rows, 1, 10, 60, 1, &err) : NULL;
    ct_tensor *a = linear(x, cc, NULL), *au = linear(x, cu, NULL);
    ct_tensor *b2 = linear(x, cc2, NULL), *bu = linear(x, cu2, NULL);
    ct_tensor *c = linear(x, rc_r, NULL), *cu3 = linear(x, ru_r, NULL);
    CHECK(same_bits(a, au));
    CHECK(same_bits(b2, bu));
    CHECK(same_bits(c, cu3));
    CHECK(!same_bits(a, b2));
    CHECK_EQ_INT(aux_entries(wc->storage), 3);
    ct_tensor *all[] = {x, w0, wu, wc, cu, cc, cu2, cc2, ru_rows, rc_rows, ru_r, rc_r, a, au, b2, bu, c, cu3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) ct_tensor_release(all[i]);
}

TEST(test_written_weight_is_packed_again) {
    int64_t xs[2] = {16, 40}, ws[2] = {24, 40};
    ct_tensor *x = randn(2, xs), *w = randn(2, ws);
    w->storage->weight = true;
    ct_tensor *r1 = linear(x, w, NULL);
    int64_t before = cts_gemm_cache_packings();
    /* an in-place write, as the interpreter reports it after a Tensor(a!) kernel */
    float *p = ct_data(w);
    for (int64_t i = 0; i < ct_numel(w); i++) p[i] *= 2.0f;
    ct_storage_bump_version(w->storage);
    ct_tensor *r2 = linear(x, w, NULL);
    CHECK_EQ_INT(cts_gemm_cache_packings() - before, 1);
    ct_tensor *wu = copy_of(w, false), *r2u = linear(x, wu, NULL);
    CHECK(same_bits(r2, r2u));
    CHECK(!same_bits(r1, r2));
    /* the cache is bounded: past CT_AUX_MAX entries calls pack as they go */
    for (int i = 0; i < CT_AUX_MAX + 2; i++) {
        ct_storage_bump_version(w->storage);
        ct_tensor *r = linear(x, w, NULL);
        CHECK(same_bits(r, r2u));
        ct_tensor_release(r);
    }
    CHECK_EQ_INT(aux_entries(w->storage), CT_AUX_MAX);
    ct_tensor *all[] = {x, w, r1, r2, wu, r2u};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) ct_tensor_release(all[i]);
}

#define NTHREADS 4
#define NCALLS 20

typedef struct job {
    pthread_barrier_t *start;
    ct_tensor *x, *w, *b, *want;
    int failures;
} job;

static void *worker(void *arg) {
    job *j = arg;
    pthread_barrier_wait(j->start);
    for (int i = 0; i < NCALLS; i++) {
        ct_tensor *r = linear(j->x, j->w, j->b);
        if (!same_bits(r, j->want)) j->failures++;
        ct_tensor_release(r);
    }
    return NULL;
}

TEST(test_threads_share_one_packing) {
    int64_t xs[2] = {33, 300}, ws[2] = {150, 300}, bs[1] = {150};
    ct_tensor *w0 = randn(2, ws), *b = randn(1, bs);
    ct_tensor *wu = copy_of(w0, false), *wc = copy_of(w0, true);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, NTHREADS);
    job jobs[NTHREADS];
    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        jobs[t] = (job){&start, randn(2, xs), wc, b, NULL, 0};
        jobs[t].want = linear(jobs[t].x, wu, b);
    }
    for (int t = 0; t < NTHREADS; t++) pthread_create(&th[t], NULL, worker, &jobs[t]);
    for (int t = 0; t < NTHREADS; t++) pthread_join(th[t], NULL);
    pthread_barrier_destroy(&start);
    for (int t = 0; t < NTHREADS; t++) {
        CHECK_EQ_INT(jobs[t].failures, 0);
        ct_tensor_release(jobs[t].x);
        ct_tensor_release(jobs[t].want);
    }
    CHECK_EQ_INT(aux_entries(wc->storage), 1);
    ct_tensor_release(w0);
    ct_tensor_release(b);
    ct_tensor_release(wu);
    ct_tensor_release(wc);
}

int main(void) {
    RUN(test_linear_cached_weight_is_bit_identical_and_packed_once);
    RUN(test_other_view_of_the_storage_gets_its_own_packing);
    RUN(test_written_weight_is_packed_again);
    RUN(test_threads_share_one_packing);
    return test_summary();
}
