/* test_random.c - the generator and the random ops of src/ops/random.c
 * against PyTorch 1.13.
 *
 * random_cases.h holds what torch 1.13.1 (the system python3) draws for
 * the same call sequences (tests/ops/gen_random_cases.py; each TEST below
 * mirrors one block of it, call for call).  Every value is compared bit
 * for bit: uniform, the scalar and fill paths of normal (float32 through
 * the emulated AVX2 log/sincos, float64 through libm), exponential,
 * randint/random_, bernoulli, randperm and multinomial.  Error messages are
 * PyTorch's. */
#include <pthread.h>

#include "ops/random.h"
#include "random_cases.h"
#include "tensor_optest.h"

/* Calls any registered kernel (registry.c), keeping the result. */
static cv_value rcallv(const char *key, int n, va_list ap) {
    cv_value args[16], out = cv_none();
    for (int i = 0; i < n && i < 16; i++) args[i] = va_arg(ap, cv_value);
    cts_kernel_fn fn = cts_op_find_kernel(key, NULL);
    cts_err_clear(&ot_err_);
    if (!fn) {
        cts_err_set(&ot_err_, "no kernel for %s", key);
        return cv_uninit();
    }
    cts_kctx k = {&ot_err_, NULL, NULL};
    if (fn(&k, args, n, &out)) {
        if (!ot_err_.set) cts_err_set(&ot_err_, "kernel failed without a message");
        return cv_uninit();
    }
    return keep(out);
}

static ct_tensor *rcall(const char *key, int n, ...) {
    va_list ap;
    va_start(ap, n);
    cv_value v = rcallv(key, n, ap);
    va_end(ap);
    if (v.tag != CV_TENSOR) {
        fprintf(stderr, "  call %s failed: %s\n", key, ot_err_.msg);
        return NULL;
    }
    return v.u.t;
}

static const char *rerr(const char *key, int n, ...) {
    va_list ap;
    va_start(ap, n);
    cv_value v = rcallv(key, n, ap);
    va_end(ap);
    return v.tag == CV_UNINIT ? ot_err_.msg : "(succeeded)";
}

/* exact comparison in logical row-major order */
static int check_vals_(const char *file, int line, const ct_tensor *t, ct_dtype dt, const double *want, int n) {
    if (!t || t->dtype != dt || ct_numel(t) != n) {
        fprintf(stderr, "%s:%d: got %s with %lld elements, want %s with %d\n", file, line,
                t ? ct_dtype_name(t->dtype) : "no tensor", t ? (long long)ct_numel(t) : 0LL, ct_dtype_name(dt), n);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (at(t, i) != want[i]) {
            fprintf(stderr, "%s:%d: element %d is %a (%.9g), want %a (%.9g)\n", file, line, i, at(t, i), at(t, i),
                    want[i], want[i]);
            return 0;
        }
    return 1;
}
static int check_ints_(const char *file, int line, const ct_tensor *t, ct_dtype dt, const int64_t *want, int n) {
    if (!t || t->dtype != dt || ct_numel(t) != n) {
        fprintf(stderr, "%s:%d: got %s with %lld elements, want %s with %d\n", file, line,
                t ? ct_dtype_name(t->dtype) : "no tensor", t ? (long long)ct_numel(t) : 0LL, ct_dtype_name(dt), n);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (ati(t, i) != want[i]) {
            fprintf(stderr, "%s:%d: element %d is %lld, want %lld\n", file, line, i, (long long)ati(t, i),
                    (long long)want[i]);
            return 0;
        }
    return 1;
}
#define NV(a) (int)(sizeof(a) / sizeof((a)[0]))
#define CHECK_VALS(t, dt, a) CHECK(check_vals_(__FILE__, __LINE__, (t), (dt), (a), NV(a)))
#define CHECK_INTS(t, dt, a) CHECK(check_ints_(__FILE__, __LINE__, (t), (dt), (a), NV(a)))

static ct_tensor *zeros(ct_dtype dt, const int64_t *sizes, int nd) {
    static const double z = 0;
    return mk(dt, sizes, nd, &z, 1);
}
static ct_tensor *kept(ct_tensor *t) {
    if (t) keep(cv_tensor(t));
    return t;
}

/* the generator the tests use, reseeded per test */
static cts_generator *G;

/* ---- the generator ---- */

/* runs before anything else touches this thread's default generator */
TEST(test_default_generator_has_pytorch_default_seed) {
    cts_generator *d = cts_generator_current();
    CHECK(d != NULL);
    CHECK(cts_generator_initial_seed(d) == UINT64_C(67280421310721));
    CHECK_VALS(rcall("aten::rand", 5, LI(3), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_default_rand3);
    CHECK_VALS(rcall("aten::randn", 5, LI(5), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_default_randn5);
}

static void *other_thread(void *arg) {
    (void)arg;
    static bool ok;
    cts_generator *d = cts_generator_current();
    ok = d != G && cts_generator_initial_seed(d) == CTS_DEFAULT_SEED;
    return &ok;
}

TEST(test_generators_are_per_thread_and_reseedable) {
    cts_generator_set_current(NULL);
    cts_generator *d = cts_generator_current();
    CHECK(d != G);
    cts_generator_set_current(G);
    CHECK(cts_generator_current() == G);
    /* another thread has its own default, seeded afresh */
    pthread_t th;
    void *res = NULL;
    CHECK(pthread_create(&th, NULL, other_thread, NULL) == 0);
    pthread_join(th, &res);
    CHECK(res && *(bool *)res);
    /* the default comes back and keeps its state */
    cts_generator_set_current(NULL);
    CHECK(cts_generator_current() == d);
    cts_generator_set_current(G);
    /* reseeding restarts the sequence and drops the cached normal */
    cts_generator_manual_seed(G, 0);
    uint32_t a = cts_generator_random(G);
    uint64_t b = cts_generator_random64(G);
    cts_generator_manual_seed(G, 0);
    CHECK(cts_generator_random(G) == a);
    CHECK(cts_generator_random64(G) == b);
    CHECK(cts_generator_initial_seed(G) == 0);
    cts_generator_manual_seed(G, 5);
    ct_tensor *x = rcall("aten::randn", 5, LI(3), nv(), nv(), nv(), nv());
    cts_generator_manual_seed(G, 5);
    ct_tensor *y = rcall("aten::randn", 5, LI(3), nv(), nv(), nv(), nv());
    CHECK(x && y && at(x, 2) == at(y, 2));
    /* a seed above 2^32: only its low 32 bits seed mt19937 */
    cts_generator_manual_seed(G, (UINT64_C(1) << 40) + 17);
    CHECK(cts_generator_initial_seed(G) == (UINT64_C(1) << 40) + 17);
    CHECK_VALS(rcall("aten::rand", 5, LI(4), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_seed_high_rand4);
}

/* ---- rand, randn ---- */

TEST(test_manual_seed_then_rand_and_randn_match_pytorch) {
    cts_generator_manual_seed(G, 0);
    CHECK_VALS(rcall("aten::rand", 5, LI(3, 4), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_seed0_rand34);
    CHECK_VALS(rcall("aten::randn", 5, LI(5), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_seed0_randn5);
    CHECK_VALS(rcall("aten::randn", 5, LI(37), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_seed0_randn37);
    CHECK_VALS(rcall("aten::randn", 5, LI(20), iv(CT_FLOAT64), nv(), nv(), nv()), CT_FLOAT64, RC_seed0_randn20_f64);
    CHECK_VALS(rcall("aten::randn", 5, LI(7), iv(CT_FLOAT64), nv(), nv(), nv()), CT_FLOAT64, RC_seed0_randn7_f64);
    CHECK_VALS(rcall("aten::rand", 5, LI(6), iv(CT_FLOAT64), nv(), nv(), nv()), CT_FLOAT64, RC_seed0_rand6_f64);
}

TEST(test_state_and_normal_cache_carry_across_calls) {
    cts_generator_manual_seed(G, 42);
    CHECK_VALS(rcall("aten::rand", 5, LI(3), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_rand3);
    CHECK_VALS(rcall("aten::randn", 5, LI(5), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_randn5);
    CHECK_VALS(rcall("aten::rand.generator", 6, LI(2), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_rand2);
    CHECK_VALS(rcall("aten::randn.names", 6, LI(3), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_randn3);
    CHECK_VALS(rcall("aten::randn.generator", 6, LI(37), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_randn37);
    CHECK_VALS(rcall("aten::randn", 5, LI(1), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_randn1);
    CHECK_VALS(rcall("aten::rand.names", 6, LI(1), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_mix_rand1);
}

/* ---- uniform_, normal_, exponential_ ---- */

TEST(test_inplace_fills_match_pytorch_in_its_element_order) {
    cts_err e = {0};
    cts_generator_manual_seed(G, 7);
    CHECK_VALS(rcall("aten::uniform_", 4, tv(zeros(CT_FLOAT32, S(7, 5))), fv(-2), fv(3), nv()), CT_FLOAT32,
               RC_ip_uniform75);
    CHECK_VALS(rcall("aten::normal_", 4, tv(zeros(CT_FLOAT32, S(7, 5))), fv(1), fv(0.5), nv()), CT_FLOAT32,
               RC_ip_normal75);
    CHECK_VALS(rcall("aten::_no_grad_normal_", 3, tv(zeros(CT_FLOAT32, S(7, 5))), fv(-0.25), fv(0.37)), CT_FLOAT32,
               RC_ip_normal75_b);
    /* transposed and sliced views: filled in memory order, as TensorIterator */
    ct_tensor *t = kept(ct_transpose(zeros(CT_FLOAT32, S(5, 7)), 0, 1, &e));
    CHECK_VALS(rcall("aten::_no_grad_uniform_", 3, tv(t), fv(0.5), fv(1.5)), CT_FLOAT32, RC_ip_uniform_t);
    t = kept(ct_transpose(zeros(CT_FLOAT32, S(6, 4)), 0, 1, &e));
    CHECK_VALS(rcall("aten::normal_", 4, tv(t), fv(2), fv(3), nv()), CT_FLOAT32, RC_ip_normal_t);
    t = kept(ct_slice(zeros(CT_FLOAT32, S(4, 9)), 1, 1, 8, 2, &e));
    ct_tensor *r = rcall("aten::uniform_", 4, tv(t), fv(0), fv(1), nv());
    CHECK(r == t);
    CHECK_VALS(r, CT_FLOAT32, RC_ip_uniform_slice);
    CHECK_VALS(rcall("aten::normal_", 4, tv(zeros(CT_FLOAT64, S(3, 7))), fv(0.5), fv(0.37), nv()), CT_FLOAT64,
               RC_ip_normal_f64);
    CHECK_VALS(rcall("aten::uniform_", 4, tv(zeros(CT_FLOAT64, S(9))), fv(-1), fv(1), nv()), CT_FLOAT64,
               RC_ip_uniform_f64);
    CHECK_VALS(rcall("aten::exponential_", 3, tv(zeros(CT_FLOAT32, S(10))), fv(1.5), nv()), CT_FLOAT32,
               RC_ip_exponential);
    CHECK_VALS(rcall("aten::exponential_", 3, tv(zeros(CT_FLOAT64, S(6))), fv(1), nv()), CT_FLOAT64,
               RC_ip_exponential_f64);
    CHECK_VALS(rcall("aten::uniform_", 4, tv(zeros(CT_FLOAT16, S(10))), fv(-1), fv(2), nv()), CT_FLOAT16,
               RC_ip_uniform_f16);
    CHECK_VALS(rcall("aten::uniform_", 4, tv(zeros(CT_BFLOAT16, S(10))), fv(-1), fv(2), nv()), CT_BFLOAT16,
               RC_ip_uniform_bf16);
    CHECK_VALS(rcall("aten::normal.float_float", 8, fv(2), fv(3), LI(5), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32,
               RC_ip_normal_ff);
}

/* ---- randint, random_ ---- */

TEST(test_randint_and_random_match_pytorch) {
    cts_generator_manual_seed(G, 3);
    CHECK_INTS(rcall("aten::randint.low", 7, iv(3), iv(10), LI(20), iv(CT_INT64), nv(), nv(), nv()), CT_INT64,
               RC_int_randint_3_10);
    CHECK_INTS(rcall("aten::randint", 6, iv(5), LI(4, 2), iv(CT_INT64), nv(), nv(), nv()), CT_INT64, RC_int_randint_5);
    CHECK_INTS(rcall("aten::randint.low", 7, iv(-100), iv(100), LI(6), iv(CT_INT32), nv(), nv(), nv()), CT_INT32,
               RC_int_randint_i32);
    CHECK_INTS(rcall("aten::randint.low_generator", 8, iv(0), iv(256), LI(6), nv(), iv(CT_UINT8), nv(), nv(), nv()),
               CT_UINT8, RC_int_randint_u8);
    CHECK_VALS(rcall("aten::randint.low", 7, iv(-5), iv(5), LI(6), iv(CT_FLOAT32), nv(), nv(), nv()), CT_FLOAT32,
               RC_int_randint_f32);
    CHECK_INTS(rcall("aten::randint.low", 7, iv(0), iv(INT64_C(1) << 40), LI(5), iv(CT_INT64), nv(), nv(), nv()),
               CT_INT64, RC_int_randint_wide);
    CHECK_INTS(rcall("aten::randint.low", 7, iv(-(INT64_C(1) << 62)), iv(INT64_C(1) << 62), LI(5), iv(CT_INT64), nv(),
                     nv(), nv()),
               CT_INT64, RC_int_randint_neg);
    CHECK_INTS(rcall("aten::random_", 2, tv(zeros(CT_INT64, S(5))), nv()), CT_INT64, RC_int_random_i64);
    CHECK_INTS(rcall("aten::random_", 2, tv(zeros(CT_INT32, S(5))), nv()), CT_INT32, RC_int_random_i32);
    CHECK_INTS(rcall("aten::random_", 2, tv(zeros(CT_UINT8, S(5))), nv()), CT_UINT8, RC_int_random_u8);
    CHECK_INTS(rcall("aten::random_", 2, tv(zeros(CT_BOOL, S(8))), nv()), CT_BOOL, RC_int_random_bool);
    CHECK_VALS(rcall("aten::random_", 2, tv(zeros(CT_FLOAT32, S(5))), nv()), CT_FLOAT32, RC_int_random_f32);
    CHECK_VALS(rcall("aten::random_", 2, tv(zeros(CT_FLOAT64, S(5))), nv()), CT_FLOAT64, RC_int_random_f64);
    CHECK_INTS(rcall("aten::random_.from", 4, tv(zeros(CT_INT16, S(5))), iv(-7), nv(), nv()), CT_INT16,
               RC_int_random_from_i16);
    CHECK_INTS(rcall("aten::random_.from", 4, tv(zeros(CT_INT64, S(5))), iv(INT64_MIN), nv(), nv()), CT_INT64,
               RC_int_random_full);
    CHECK_INTS(rcall("aten::random_.to", 3, tv(zeros(CT_INT64, S(6))), iv(9), nv()), CT_INT64, RC_int_random_to);
    CHECK_VALS(rcall("aten::random_", 2, tv(zeros(CT_FLOAT16, S(5))), nv()), CT_FLOAT16, RC_int_random_f16);
    CHECK_VALS(rcall("aten::random_.from", 4, tv(zeros(CT_FLOAT16, S(5))), iv(-5), iv(100), nv()), CT_FLOAT16,
               RC_int_random_from_f16);
    /* to - 1 is not a bfloat16: PyTorch's update_to moves `to` down to 2^40 - 2^32 */
    CHECK_VALS(rcall("aten::random_.from", 4, tv(zeros(CT_BFLOAT16, S(5))), iv(-(INT64_C(1) << 40)),
                     iv(INT64_C(1) << 40), nv()),
               CT_BFLOAT16, RC_int_random_bf16_wide);
    CHECK_VALS(rcall("aten::random_.from", 4, tv(zeros(CT_FLOAT32, S(5))), iv(3), iv((INT64_C(1) << 33) + 5), nv()),
               CT_FLOAT32, RC_int_random_f32_wide);
    CHECK_INTS(rcall("aten::randint_like.low_dtype", 8, tv(zeros(CT_INT32, S(2, 3))), iv(4), iv(8), nv(), nv(), nv(),
                     nv(), nv()),
               CT_INT32, RC_int_randint_like);
    CHECK_VALS(rcall("aten::randint_like", 7, tv(zeros(CT_FLOAT32, S(5))), iv(3), nv(), nv(), nv(), nv(), nv()),
               CT_FLOAT32, RC_int_randint_like_high);
}

/* ---- bernoulli ---- */

TEST(test_bernoulli_matches_pytorch) {
    cts_err e = {0};
    cts_generator_manual_seed(G, 11);
    CHECK_VALS(rcall("aten::bernoulli.p", 3, tv(zeros(CT_FLOAT32, S(4, 5))), fv(0.3), nv()), CT_FLOAT32, RC_ber_p03);
    CHECK_INTS(rcall("aten::bernoulli_.float", 3, tv(zeros(CT_INT64, S(7))), fv(0.5), nv()), CT_INT64,
               RC_ber_inplace_i64);
    CHECK_VALS(rcall("aten::bernoulli", 2, tv(mk(CT_FLOAT32, S(8), V(0.1, 0.5, 0.9, 0.0, 1.0, 0.25, 0.75, 0.6))), nv()),
               CT_FLOAT32, RC_ber_probs_f32);
    CHECK_VALS(rcall("aten::bernoulli", 2, tv(mk(CT_FLOAT64, S(6), V(0.1, 0.5, 0.9, 0.0, 1.0, 0.25))), nv()),
               CT_FLOAT64, RC_ber_probs_f64);
    CHECK_VALS(rcall("aten::bernoulli_.Tensor", 3, tv(zeros(CT_FLOAT32, S(3, 4))),
                     tv(mk(CT_FLOAT32, S(4), V(0.2, 0.4, 0.6, 0.8))), nv()),
               CT_FLOAT32, RC_ber_tensor_bcast);
    ct_tensor *p = kept(ct_transpose(mk(CT_FLOAT32, S(4, 3), V(0.5)), 0, 1, &e));
    CHECK_VALS(rcall("aten::bernoulli", 2, tv(p), nv()), CT_FLOAT32, RC_ber_probs_t);
}

/* dropout in training mode draws its noise as PyTorch's CPU dropout does */
TEST(test_dropout_in_training_matches_pytorch) {
    cts_err e = {0};
    cts_generator_manual_seed(G, 5);
    double v[24];
    for (int i = 0; i < 24; i++) v[i] = i / 8.0 - 1;
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3, 4), v, 24);
    ct_tensor *xd = kept(ku_to_dtype(x, CT_FLOAT64, &e));
    CHECK_VALS(rcall("aten::dropout", 3, tv(x), fv(0.5), bv(true)), CT_FLOAT32, RC_drop_05);
    CHECK_VALS(rcall("aten::dropout", 3, tv(xd), fv(0.2), bv(true)), CT_FLOAT64, RC_drop_02_f64);
    CHECK_VALS(rcall("aten::feature_dropout", 3, tv(x), fv(0.5), bv(true)), CT_FLOAT32, RC_drop_feature);
    CHECK_VALS(rcall("aten::alpha_dropout", 3, tv(x), fv(0.3), bv(true)), CT_FLOAT32, RC_drop_alpha);
    CHECK_VALS(rcall("aten::feature_alpha_dropout", 3, tv(x), fv(0.3), bv(true)), CT_FLOAT32, RC_drop_feature_alpha);
    ct_tensor *xc = kept(ku_to_dtype(x, CT_FLOAT32, &e));
    ct_tensor *xt = kept(ct_transpose(xc, 1, 2, &e));
    CHECK_VALS(rcall("aten::dropout_", 3, tv(xt), fv(0.5), bv(true)), CT_FLOAT32, RC_drop_inplace_t);
    /* the input of the out-of-place forms is left alone */
    CHECK(((float *)ct_data(x))[23] == (float)v[23]);
    CHECK_STR(rerr("aten::dropout", 3, tv(mk(CT_INT64, S(2), V(1, 2))), fv(0.5), bv(true)),
              "dropout with train=True: cts supports float and double inputs, got Long");
}

/* ---- randperm, multinomial ---- */

TEST(test_randperm_and_multinomial_match_pytorch) {
    cts_err e = {0};
    cts_generator_manual_seed(G, 13);
    CHECK_INTS(rcall("aten::randperm", 5, iv(10), iv(CT_INT64), nv(), nv(), nv()), CT_INT64, RC_perm_10);
    CHECK_INTS(rcall("aten::randperm.generator", 6, iv(100), nv(), iv(CT_INT32), nv(), nv(), nv()), CT_INT32,
               RC_perm_100_i32);
    CHECK_VALS(rcall("aten::randperm", 5, iv(7), iv(CT_FLOAT32), nv(), nv(), nv()), CT_FLOAT32, RC_perm_7_f32);
    ct_tensor *probs = mk(CT_FLOAT32, S(5), V(0.1, 0.2, 0.3, 0.15, 0.25));
    CHECK_INTS(rcall("aten::multinomial", 4, tv(probs), iv(1), bv(false), nv()), CT_INT64, RC_mn_one);
    CHECK_INTS(rcall("aten::multinomial", 4, tv(probs), iv(3), bv(false), nv()), CT_INT64, RC_mn_three);
    ct_tensor *rows = mk(CT_FLOAT32, S(3, 5), V(1, 2, 3, 0, 4, 0.5, 0.5, 0, 0, 1, 3, 1, 1, 1, 1));
    ct_tensor *r = rcall("aten::multinomial", 4, tv(rows), iv(1), bv(false), nv());
    CHECK(r && r->ndim == 2 && r->sizes[0] == 3 && r->sizes[1] == 1);
    CHECK_INTS(r, CT_INT64, RC_mn_rows_one);
    CHECK_INTS(rcall("aten::multinomial", 4, tv(rows), iv(10), bv(true), nv()), CT_INT64, RC_mn_rows_repl);
    ct_tensor *pd = mk(CT_FLOAT64, S(5), V(0.1, 0.2, 0.3, 0.15, 0.25));
    CHECK_INTS(rcall("aten::multinomial", 4, tv(pd), iv(20), bv(true), nv()), CT_INT64, RC_mn_repl_f64);
    CHECK_INTS(rcall("aten::multinomial", 4, tv(mk(CT_FLOAT32, S(6), V(0.5, 0, 0, 0.5, 0, 0))), iv(6), bv(false), nv()),
               CT_INT64, RC_mn_zero_ties);
    ct_tensor *wide = mk(CT_FLOAT32, S(200), V(1));
    for (int i = 0; i < 200; i++) ((float *)ct_data(wide))[i] = (float)(i + 1);
    CHECK_INTS(rcall("aten::multinomial", 4, tv(wide), iv(10), bv(false), nv()), CT_INT64, RC_mn_wide);
    /* a transposed-dense input: q ~ Exp(1) is drawn in its memory order */
    ct_tensor *rt = kept(ct_transpose(mk(CT_FLOAT32, S(5, 3), V(1, 0.5, 3, 2, 0.5, 1, 3, 0, 1, 0, 0, 1, 4, 1, 1)), 0,
                                      1, &e));
    CHECK_INTS(rcall("aten::multinomial", 4, tv(rt), iv(2), bv(false), nv()), CT_INT64, RC_mn_rows_t);
    CHECK_STR(rerr("aten::multinomial", 4, tv(probs), iv(0), bv(false), nv()), "cannot sample n_sample <= 0 samples");
    CHECK_STR(rerr("aten::multinomial", 4, tv(probs), iv(6), bv(false), nv()),
              "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_INT64, S(2), V(1, 2))), iv(1), bv(false), nv()),
              "multinomial only supports floating-point dtypes for input, got: Long");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_FLOAT32, S0, V(1))), iv(1), bv(false), nv()),
              "prob_dist must be 1 or 2 dim");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_FLOAT32, S(2), V(1, -2))), iv(1), bv(false), nv()),
              "probability tensor contains either `inf`, `nan` or element < 0");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_FLOAT32, S(2, 2), V(1, 2, 0, 0))), iv(1), bv(false), nv()),
              "invalid multinomial distribution (sum of probabilities <= 0)");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_FLOAT32, S(2), V(1, NAN))), iv(3), bv(true), nv()),
              "invalid multinomial distribution (encountering probability entry < 0)");
    CHECK_STR(rerr("aten::multinomial", 4, tv(mk(CT_FLOAT32, S(2), V(0, 0))), iv(3), bv(true), nv()),
              "invalid multinomial distribution (sum of probabilities <= 0)");
    CHECK_STR(rerr("aten::randperm", 5, iv(-1), iv(CT_INT64), nv(), nv(), nv()),
              "Trying to create tensor with negative dimension -1: [-1]");
    CHECK_STR(rerr("aten::randperm", 5, iv(1000), iv(CT_INT8), nv(), nv(), nv()),
              "value cannot be converted to type int8_t without overflow");
    CHECK_STR(rerr("aten::randperm", 5, iv(5), iv(CT_BOOL), nv(), nv(), nv()),
              "\"randperm\" not implemented for 'Bool'");
    CHECK_STR(rerr("aten::randperm", 5, iv(3000), iv(CT_FLOAT16), nv(), nv(), nv()),
              "n cannot be greater than 2049 for Half type.");
}

/* ---- *_like ---- */

TEST(test_like_forms_keep_the_input_layout) {
    cts_err e = {0};
    cts_generator_manual_seed(G, 5);
    ct_tensor *t = kept(ct_transpose(zeros(CT_FLOAT32, S(3, 5)), 0, 1, &e));
    ct_tensor *r = rcall("aten::rand_like", 6, tv(t), nv(), nv(), nv(), nv(), nv());
    CHECK(r && r->strides[0] == 1 && r->strides[1] == 5);
    CHECK_VALS(r, CT_FLOAT32, RC_like_rand_t);
    t = kept(ct_transpose(zeros(CT_FLOAT32, S(4, 5)), 0, 1, &e));
    CHECK_VALS(rcall("aten::randn_like", 6, tv(t), nv(), nv(), nv(), nv(), nv()), CT_FLOAT32, RC_like_randn_t);
    CHECK_VALS(rcall("aten::randn_like", 6, tv(zeros(CT_FLOAT32, S(17))), iv(CT_FLOAT64), nv(), nv(), nv(), nv()),
               CT_FLOAT64, RC_like_randn_f64);
    r = rcall("aten::rand_like", 6, tv(zeros(CT_FLOAT32, S(2, 3, 2, 2))), nv(), nv(), nv(), nv(), iv(2));
    CHECK(r && r->strides[1] == 1);
    CHECK_VALS(r, CT_FLOAT32, RC_like_rand_cl);
}

/* ---- long runs ---- */

TEST(test_long_runs_stay_in_step) {
    cts_generator_manual_seed(G, 123456789);
    ct_tensor *t = rcall("aten::randn", 5, LI(100003), nv(), nv(), nv(), nv());
    CHECK(t && ct_numel(t) == 100003);
    if (t) {
        double s = 0;
        for (int64_t i = 0; i < 100003; i++) s += at(t, i);
        CHECK(s == RS_big_randn);
        for (int i = 0; i < 8; i++) {
            CHECK(at(t, i) == RC_big_randn_head[i]);
            CHECK(at(t, 100003 - 8 + i) == RC_big_randn_tail[i]);
        }
    }
    t = rcall("aten::rand", 5, LI(50001), iv(CT_FLOAT64), nv(), nv(), nv());
    CHECK(t != NULL);
    if (t) {
        double s = 0;
        for (int64_t i = 0; i < 50001; i++) s += at(t, i);
        CHECK(s == RS_big_rand_f64);
    }
}

/* ---- errors ---- */

TEST(test_bad_arguments_give_pytorch_errors) {
    cts_err e = {0};
    CHECK_STR(rerr("aten::rand", 5, LI(2, -1), nv(), nv(), nv(), nv()),
              "Trying to create tensor with negative dimension -1: [2, -1]");
    CHECK_STR(rerr("aten::randint.low", 7, iv(10), iv(3), LI(3), iv(CT_INT64), nv(), nv(), nv()),
              "random_ expects 'from' to be less than 'to', but got from=10 >= to=3");
    CHECK_STR(rerr("aten::randint", 6, iv(0), LI(3), iv(CT_INT64), nv(), nv(), nv()),
              "random_ expects 'from' to be less than 'to', but got from=0 >= to=0");
    CHECK_STR(rerr("aten::random_.from", 4, tv(zeros(CT_INT8, S(3))), iv(0), iv(1000), nv()),
              "to - 1 is out of bounds for signed char");
    CHECK_STR(rerr("aten::random_.from", 4, tv(zeros(CT_INT8, S(3))), iv(-1000), iv(10), nv()),
              "from is out of bounds for signed char");
    CHECK_STR(rerr("aten::random_.from", 4, tv(zeros(CT_INT32, S(3))), iv(INT64_MIN), nv(), nv()),
              "random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16");
    CHECK_STR(rerr("aten::random_.from", 4, tv(zeros(CT_BOOL, S(3))), iv(INT64_MIN), nv(), nv()),
              "\"random_full_64_bits_range_kernel_cpu\" not implemented for 'Bool'");
    CHECK_STR(rerr("aten::uniform_", 4, tv(zeros(CT_INT64, S(3))), fv(0), fv(1), nv()),
              "\"check_uniform_bounds\" not implemented for 'Long'");
    CHECK_STR(rerr("aten::rand", 5, LI(3), iv(CT_INT64), nv(), nv(), nv()),
              "\"check_uniform_bounds\" not implemented for 'Long'");
    CHECK_STR(rerr("aten::uniform_", 4, tv(zeros(CT_FLOAT32, S(3))), fv(3), fv(2), nv()),
              "uniform_ expects to return a [from, to) range, but found from=3 > to=2");
    CHECK_STR(rerr("aten::uniform_", 4, tv(zeros(CT_FLOAT32, S(3))), fv(-3e38), fv(3e38), nv()),
              "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and from=-3e+38 "
              "which result in to-from to exceed the limit");
    CHECK_STR(rerr("aten::uniform_", 4, tv(zeros(CT_FLOAT32, S(3))), fv(-1e39), fv(3), nv()),
              "from is out of bounds for float");
    CHECK_STR(rerr("aten::normal_", 4, tv(zeros(CT_FLOAT32, S(3))), fv(0), fv(-1), nv()),
              "normal expects std >= 0.0, but found std -1");
    CHECK_STR(rerr("aten::normal_", 4, tv(zeros(CT_INT64, S(3))), fv(0), fv(1), nv()),
              "\"normal_kernel_cpu\" not implemented for 'Long'");
    CHECK_STR(rerr("aten::exponential_", 3, tv(zeros(CT_FLOAT32, S(3))), fv(-1), nv()),
              "exponential_ expects lambda >= 0.0, but found lambda=-1");
    CHECK_STR(rerr("aten::exponential_", 3, tv(zeros(CT_INT64, S(3))), fv(1), nv()),
              "\"exponential_cpu\" not implemented for 'Long'");
    CHECK_STR(rerr("aten::bernoulli_.float", 3, tv(zeros(CT_FLOAT32, S(3))), fv(1.5), nv()),
              "bernoulli_ expects p to be in [0, 1], but got p=1.5");
    CHECK_STR(rerr("aten::bernoulli_.float", 3, tv(zeros(CT_FLOAT16, S(3))), fv(0.5), nv()),
              "\"bernoulli_scalar_cpu_\" not implemented for 'Half'");
    CHECK_STR(rerr("aten::bernoulli_.Tensor", 3, tv(zeros(CT_FLOAT32, S(3))), tv(mk(CT_FLOAT32, S(3), V(0.5, 2, 0.1))),
                   nv()),
              "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  "
              "If so, please report an enhancement request to PyTorch.)");
    CHECK_STR(rerr("aten::bernoulli", 2, tv(mk(CT_INT64, S(2), V(1, 0))), nv()),
              "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'");
    CHECK_STR(rerr("aten::bernoulli_.Tensor", 3, tv(zeros(CT_FLOAT32, S(3))), tv(zeros(CT_FLOAT32, S(2))), nv()),
              "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
              "Target sizes: [3].  Tensor sizes: [2]");
    ct_tensor *x = zeros(CT_FLOAT32, S(3));
    ct_tensor *xe = kept(ct_expand(x, 2, (const int64_t[]){2, 3}, &e));
    CHECK_STR(rerr("aten::uniform_", 4, tv(xe), fv(0), fv(1), nv()),
              "unsupported operation: more than one element of the written-to tensor refers to a single memory "
              "location. Please clone() the tensor before performing the operation.");
    CHECK_CONTAINS(rerr("aten::rand.generator", 6, LI(3), iv(0), nv(), nv(), nv(), nv()),
                   "explicit torch.Generator objects are not supported by cts");
    CHECK_CONTAINS(rerr("aten::uniform_", 4, tv(x), fv(0), fv(1), iv(0)),
                   "explicit torch.Generator objects are not supported by cts");
    CHECK_CONTAINS(rerr("aten::randn.names", 6, LI(3), LI(1), nv(), nv(), nv(), nv()),
                   "named tensors are not supported by cts");
    /* empty tensors draw nothing */
    cts_generator_manual_seed(G, 9);
    uint32_t first = cts_generator_random(G);
    cts_generator_manual_seed(G, 9);
    CHECK(rcall("aten::randn", 5, LI(0, 4), nv(), nv(), nv(), nv()) != NULL);
    CHECK(rcall("aten::randint", 6, iv(4), LI(0), iv(CT_INT64), nv(), nv(), nv()) != NULL);
    CHECK(cts_generator_random(G) == first);
}

int main(void) {
    RUN_OP(test_default_generator_has_pytorch_default_seed);
    G = cts_generator_new(0);
    if (!G) return 2;
    cts_generator_set_current(G);
    RUN_OP(test_generators_are_per_thread_and_reseedable);
    RUN_OP(test_manual_seed_then_rand_and_randn_match_pytorch);
    RUN_OP(test_state_and_normal_cache_carry_across_calls);
    RUN_OP(test_inplace_fills_match_pytorch_in_its_element_order);
    RUN_OP(test_randint_and_random_match_pytorch);
    RUN_OP(test_bernoulli_matches_pytorch);
    RUN_OP(test_dropout_in_training_matches_pytorch);
    RUN_OP(test_randperm_and_multinomial_match_pytorch);
    RUN_OP(test_like_forms_keep_the_input_layout);
    RUN_OP(test_long_runs_stay_in_step);
    RUN_OP(test_bad_arguments_give_pytorch_errors);
    cts_generator_set_current(NULL);
    cts_generator_free(G);
    return test_summary();
}
