/* pool.c - persistent pthread workers woken per job by a condition variable.
 *
 * Latency: a model's call runs hundreds of operators back to back, each one
 * a job.  Waking a sleeping worker (and the submitter waiting for it) costs
 * tens of microseconds in a VM, more than a small operator takes.  So a
 * worker that has just finished a job watches `gen` for a short while
 * (CTS_POOL_SPIN_NS, 100 us) before it blocks, and the submitter watches
 * `active` for as long before it blocks: within a call the threads stay
 * awake; an idle pool sleeps after 100 us.
 *
 * Invariants (all under `mu` unless atomic):
 *   - `gen` counts published jobs; a worker runs a job when it sees a `gen`
 *     it has not run yet, then decrements `active`;
 *   - `active` is the number of workers that have not yet finished the
 *     current job; the submitter waits for it to reach 0 before returning,
 *     so `fn`/`ctx` are never used after parallel_for returns;
 *   - `busy` (a mutex taken with trylock) is held by the one caller whose job
 *     owns the pool; other callers fall back to running serially. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct worker_arg {
    cts_pool *pool;
    int index; /* thread index passed to fn: 1..nthreads-1 */
} worker_arg;

struct cts_pool {
    int nthreads;
    int nworkers_started;
    pthread_t *threads;
    worker_arg *args;

    pthread_mutex_t busy;  /* held by the submitter of the running job */
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* workers wait for a new gen or stop */
    pthread_cond_t done_cv; /* submitter waits for active == 0 */

    /* current job, published under mu */
    cts_pool_fn fn;
    void *ctx;
    int64_t n_tasks;
    atomic_llong next;
    atomic_ullong gen;
    atomic_int active;
    atomic_bool stop;
};

static void run_tasks(cts_pool *p, cts_pool_fn fn, void *ctx, int64_t n, int thread) {
    for (;;) {
        int64_t t = (int64_t)atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (t >= n) break;
        fn(ctx, t, thread);
    }
}

#define CTS_POOL_SPIN_NS 100000LL

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Watches *flag until it differs from `from` or CTS_POOL_SPIN_NS pass;
 * whether it changed. */
static bool spin_ull(atomic_ullong *flag, unsigned long long from, atomic_bool *stop) {
    long long t0 = now_ns();
    for (int i = 1;; i++) {
        if (atomic_load_explicit(flag, memory_order_acquire) != from || atomic_load(stop)) return true;
        cpu_relax();
        if (!(i & 63) && now_ns() - t0 > CTS_POOL_SPIN_NS) return false;
    }
}

static bool spin_zero(atomic_int *v) {
    long long t0 = now_ns();
    for (int i = 1;; i++) {
        if (atomic_load_explicit(v, memory_order_acquire) == 0) return true;
        cpu_relax();
        if (!(i & 63) && now_ns() - t0 > CTS_POOL_SPIN_NS) return false;
    }
}

static void *worker_main(void *arg) {
    worker_arg *wa = arg;
    cts_pool *p = wa->pool;
    /* gen is 0 until cts_pool_new has returned, so a worker that starts
     * late still sees the first job as new */
    unsigned long long seen = 0;
    for (;;) {
        spin_ull(&p->gen, seen, &p->stop); /* a next job usually comes soon */
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->gen == seen) pthread_cond_wait(&p->work_cv, &p->mu);
        if (p->stop) break;
        seen = p->gen;
        cts_pool_fn fn = p->fn;
        void *ctx = p->ctx;
        int64_t n = p->n_tasks;
        pthread_mutex_unlock(&p->mu);
        run_tasks(p, fn, ctx, n, wa->index);
        pthread_mutex_lock(&p->mu);
        if (atomic_fetch_sub(&p->active, 1) == 1) pthread_cond_signal(&p->done_cv);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static long online_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

cts_pool *cts_pool_new(int nthreads, cts_err *err) {
    if (nthreads <= 0) nthreads = (int)(online_cpus() > 1024 ? 1024 : online_cpus());
    if (nthreads > 1024) {
        cts_err_set(err, "thread pool of %d threads: at most 1024", nthreads);
        return NULL;
    }
    cts_pool *p = calloc(1, sizeof *p);
    if (!p) {
        cts_err_oom(err, "thread pool", sizeof *p);
        return NULL;
    }
    p->nthreads = nthreads;
    atomic_init(&p->next, 0);
    atomic_init(&p->gen, 0);
    atomic_init(&p->active, 0);
    atomic_init(&p->stop, false);
    int nw = nthreads - 1;
    if (nw > 0) {
        p->threads = calloc((size_t)nw, sizeof *p->threads);
        p->args = calloc((size_t)nw, sizeof *p->args);
        if (!p->threads || !p->args) {
            free(p->threads);
            free(p->args);
            free(p);
            cts_err_oom(err, "thread pool", (size_t)nw * sizeof *p->threads);
            return NULL;
        }
    }
    pthread_mutex_init(&p->busy, NULL);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    for (int i = 0; i < nw; i++) {
        p->args[i].pool = p;
        p->args[i].index = i + 1;
        int rc = pthread_create(&p->threads[i], NULL, worker_main, &p->args[i]);
        if (rc) {
            p->nthreads = i + 1; /* keep the workers that started */
            cts_pool_free(p);
            cts_err_set(err, "thread pool: pthread_create failed (error %d)", rc);
            return NULL;
        }
        p->nworkers_started = i + 1;
    }
    return p;
}

void cts_pool_free(cts_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers_started; i++) pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->busy);
    free(p->threads);
    free(p->args);
    free(p);
}

int cts_pool_nthreads(const cts_pool *p) { return p ? p->nthreads : 1; }

void cts_pool_parallel_for(cts_pool *p, int64_t n_tasks, cts_pool_fn fn, void *ctx) {
    if (n_tasks <= 0) return;
    if (!p || p->nworkers_started == 0 || n_tasks == 1 || pthread_mutex_trylock(&p->busy) != 0) {
        for (int64_t t = 0; t < n_tasks; t++) fn(ctx, t, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->n_tasks = n_tasks;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    p->active = p->nworkers_started;
    p->gen++;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);

    run_tasks(p, fn, ctx, n_tasks, 0);

    if (!spin_zero(&p->active)) {
        pthread_mutex_lock(&p->mu);
        while (p->active > 0) pthread_cond_wait(&p->done_cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
    } else {
        /* the last worker signals under mu: take it once so that it has
         * left the job before fn/ctx go away */
        pthread_mutex_lock(&p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_unlock(&p->busy);
}
