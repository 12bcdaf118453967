/* test_pool.c - the thread pool: every task runs exactly once, thread
 * indices stay in range, NULL pools and nested calls run serially, several
 * caller threads can share one pool, and idle workers do not spin. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "core/pool.h"
#include "test.h"

typedef struct count_ctx {
    atomic_int *hits;
    atomic_int bad_thread;
    int nthreads;
    atomic_llong sum;
} count_ctx;

static void count_task(void *ctx, int64_t task, int thread) {
    count_ctx *c = ctx;
    atomic_fetch_add(&c->hits[task], 1);
    atomic_fetch_add(&c->sum, task);
    if (thread < 0 || thread >= c->nthreads) atomic_store(&c->bad_thread, 1);
}

static int run_counted(cts_pool *p, int64_t n) {
    count_ctx c;
    c.hits = calloc((size_t)n + 1, sizeof *c.hits);
    atomic_init(&c.bad_thread, 0);
    atomic_init(&c.sum, 0);
    c.nthreads = cts_pool_nthreads(p);
    cts_pool_parallel_for(p, n, count_task, &c);
    int ok = atomic_load(&c.bad_thread) == 0 && atomic_load(&c.sum) == n * (n - 1) / 2;
    for (int64_t i = 0; i < n; i++)
        if (atomic_load(&c.hits[i]) != 1) ok = 0;
    free(c.hits);
    return ok;
}

TEST(test_pool_runs_every_task_once) {
    cts_err err = {0};
    cts_pool *p = cts_pool_new(3, &err);
    CHECK(p != NULL);
    CHECK_EQ_INT(cts_pool_nthreads(p), 3);
    static const int64_t ns[] = {0, 1, 2, 3, 7, 100, 10000};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) CHECK(run_counted(p, ns[i]));
    for (int rep = 0; rep < 2000; rep++) CHECK(run_counted(p, 1 + rep % 5));
    cts_pool_free(p);
}

TEST(test_pool_null_is_serial) {
    CHECK_EQ_INT(cts_pool_nthreads(NULL), 1);
    CHECK(run_counted(NULL, 50));
}

TEST(test_pool_default_size_and_single) {
    cts_err err = {0};
    cts_pool *p = cts_pool_new(0, &err);
    CHECK(p && cts_pool_nthreads(p) >= 1);
    CHECK(run_counted(p, 64));
    cts_pool_free(p);
    p = cts_pool_new(1, &err);
    CHECK(p && cts_pool_nthreads(p) == 1);
    CHECK(run_counted(p, 64));
    cts_pool_free(p);
}

typedef struct nest_ctx {
    cts_pool *pool;
    atomic_int inner;
} nest_ctx;

static void inner_task(void *ctx, int64_t task, int thread) {
    (void)task;
    (void)thread;
    atomic_fetch_add(&((nest_ctx *)ctx)->inner, 1);
}

static void outer_task(void *ctx, int64_t task, int thread) {
    (void)task;
    (void)thread;
    nest_ctx *n = ctx;
    cts_pool_parallel_for(n->pool, 10, inner_task, n);
}

TEST(test_pool_nested_call_runs_serially) {
    cts_err err = {0};
    nest_ctx n;
    n.pool = cts_pool_new(2, &err);
    atomic_init(&n.inner, 0);
    cts_pool_parallel_for(n.pool, 8, outer_task, &n);
    CHECK_EQ_INT(atomic_load(&n.inner), 80);
    cts_pool_free(n.pool);
}

typedef struct caller_arg {
    cts_pool *pool;
    int ok;
} caller_arg;

static void *caller_main(void *arg) {
    caller_arg *a = arg;
    a->ok = 1;
    for (int i = 0; i < 300; i++)
        if (!run_counted(a->pool, 1 + i % 37)) a->ok = 0;
    return NULL;
}

TEST(test_pool_shared_by_many_callers) {
    cts_err err = {0};
    cts_pool *p = cts_pool_new(2, &err);
    enum { NC = 4 };
    pthread_t th[NC];
    caller_arg args[NC];
    for (int i = 0; i < NC; i++) {
        args[i].pool = p;
        pthread_create(&th[i], NULL, caller_main, &args[i]);
    }
    for (int i = 0; i < NC; i++) {
        pthread_join(th[i], NULL);
        CHECK(args[i].ok);
    }
    cts_pool_free(p);
}

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

TEST(test_pool_idle_workers_do_not_spin) {
    cts_err err = {0};
    cts_pool *p = cts_pool_new(4, &err);
    CHECK(run_counted(p, 16));
    double c0 = cpu_seconds();
    struct timespec nap = {0, 200 * 1000 * 1000};
    nanosleep(&nap, NULL);
    double used = cpu_seconds() - c0;
    CHECK(used < 0.05); /* three spinning workers would burn ~0.6 s */
    cts_pool_free(p);
}

int main(void) {
    RUN(test_pool_runs_every_task_once);
    RUN(test_pool_null_is_serial);
    RUN(test_pool_default_size_and_single);
    RUN(test_pool_nested_call_runs_serially);
    RUN(test_pool_shared_by_many_callers);
    RUN(test_pool_idle_workers_do_not_spin);
    return test_summary();
}
