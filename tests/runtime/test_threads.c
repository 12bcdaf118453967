/* test_threads.c - one loaded module serves many threads at once.
 *
 * MyCell (examples/mycell.pt, written by PyTorch) is called from 4 threads,
 * 1000 calls each, every thread with its own inputs; every result must be
 * bit-identical to the single-threaded result for the same inputs. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cts.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

#define NTHREADS 4
#define NCALLS 1000

typedef struct job {
    cts_module *m;
    float x[12], h[12];
    float want[2][12];
    int failures;
    char error[1100];
} job;

static int call_cell(cts_module *m, const float *x, const float *h, float out[2][12], char *error, size_t n) {
    cts_error err;
    int64_t shape[2] = {3, 4};
    cts_value *args[2];
    args[0] = cts_tensor_new(CTS_FLOAT32, 2, shape, x, &err);
    args[1] = cts_tensor_new(CTS_FLOAT32, 2, shape, h, &err);
    cts_value *r = NULL;
    int rc = cts_module_forward(m, args, 2, &r, &err);
    cts_value_free(args[0]);
    cts_value_free(args[1]);
    if (rc) {
        snprintf(error, n, "%s", err.message);
        return -1;
    }
    if (cts_value_kind(r) != CTS_VALUE_TUPLE || cts_value_len(r) != 2) {
        snprintf(error, n, "expected a tuple of two tensors");
        cts_value_free(r);
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        cts_value *t = cts_value_get(r, (size_t)i);
        if (cts_tensor_numel(t) != 12 || cts_tensor_dtype(t) != CTS_FLOAT32) {
            snprintf(error, n, "unexpected output tensor");
            cts_value_free(t);
            cts_value_free(r);
            return -1;
        }
        memcpy(out[i], cts_tensor_data(t), sizeof out[i]);
        cts_value_free(t);
    }
    cts_value_free(r);
    return 0;
}

static void *worker(void *p) {
    job *j = p;
    float got[2][12];
    for (int c = 0; c < NCALLS; c++) {
        if (call_cell(j->m, j->x, j->h, got, j->error, sizeof j->error) || memcmp(got, j->want, sizeof got) != 0)
            j->failures++;
    }
    return NULL;
}

TEST(test_module_called_from_four_threads_gives_every_result) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/../examples/mycell.pt", NULL, &err);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    job jobs[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].m = m;
        for (int i = 0; i < 12; i++) {
            jobs[t].x[i] = (float)(t + 1) * 0.1f * (float)(i - 6);
            jobs[t].h[i] = (float)(t - 2) * 0.05f * (float)i;
        }
        CHECK_EQ_INT(call_cell(m, jobs[t].x, jobs[t].h, jobs[t].want, jobs[t].error, sizeof jobs[t].error), 0);
    }
    /* different inputs give different outputs, so a mixed-up frame would show */
    CHECK(memcmp(jobs[0].want, jobs[1].want, sizeof jobs[0].want) != 0);
    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) pthread_create(&th[t], NULL, worker, &jobs[t]);
    for (int t = 0; t < NTHREADS; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < NTHREADS; t++) {
        if (jobs[t].failures) fprintf(stderr, "thread %d: %d bad results (%s)\n", t, jobs[t].failures, jobs[t].error);
        CHECK_EQ_INT(jobs[t].failures, 0);
    }
    cts_module_free(m);
}

int main(void) {
    RUN(test_module_called_from_four_threads_gives_every_result);
    return test_summary();
}
