/* pool.h - a small persistent pthread pool for data-parallel kernel loops.
 *
 *   cts_pool *p = cts_pool_new(2, &err);          // 2 = caller + 1 worker
 *   cts_pool_parallel_for(p, ntiles, run_tile, &ctx);
 *   cts_pool_free(p);
 *
 * A job is `n_tasks` calls fn(ctx, task, thread) with task in [0, n_tasks)
 * and thread in [0, cts_pool_nthreads(p)); each task is handed out exactly
 * once (an atomic counter), so callers cut work into whole tiles and size
 * per-thread scratch by the thread index.  The calling thread works too, as
 * thread 0, and parallel_for returns when every task has finished.
 *
 * Idle workers block on a condition variable.  Between the jobs of one call
 * they watch for the next for at most 100 us before blocking (waking a
 * sleeping thread costs more than a small operator), and the submitter
 * watches its job's end as long before it blocks; an idle pool sleeps.
 *
 * Concurrency: one job runs on the pool at a time.  A caller that finds the
 * pool busy (another thread's job, or a parallel_for nested inside a task)
 * does not wait: it runs its whole job serially on its own thread.  So any
 * number of threads may share one pool, nested use cannot deadlock, and a
 * caller never blocks behind another caller's job.
 *
 * Callers decide when work is too small to split (DESIGN: stay serial under
 * about CTS_POOL_MIN_FLOPS); a NULL pool or n_tasks <= 1 runs serially. */
#ifndef CTS_CORE_POOL_H
#define CTS_CORE_POOL_H

#include <stdint.h>

#include "error.h"

typedef struct cts_pool cts_pool;

typedef void (*cts_pool_fn)(void *ctx, int64_t task, int thread);

/* Work below this many floating-point operations stays on one thread. */
#define CTS_POOL_MIN_FLOPS 500000.0

/* A pool of nthreads participants (the caller plus nthreads-1 workers);
 * nthreads <= 0 means the number of online CPUs.  NULL and err on failure. */
cts_pool *cts_pool_new(int nthreads, cts_err *err);
/* Joins the workers.  Must not be called while a job runs; NULL is a no-op. */
void cts_pool_free(cts_pool *p);
/* Participants of a job: 1 for a NULL pool. */
int cts_pool_nthreads(const cts_pool *p);
void cts_pool_parallel_for(cts_pool *p, int64_t n_tasks, cts_pool_fn fn, void *ctx);

#endif
