/* cmd_bench.c - `cts bench`: load time, first-call and steady latency, peak RSS.
 *
 *   cts bench MODEL.pt [--args ARGS.pt] [--method NAME] [--threads N]
 *             [--runs N] [--warmup N] [--json]
 *
 * One process does: load (timed), the first call (timed alone: it pays for
 * whatever is lazy), --warmup untimed calls, then --runs timed calls whose
 * median / min / max are reported. Peak RSS is the process's high-water mark
 * (getrusage ru_maxrss, KiB on Linux) after the last call. With --json the
 * only output on stdout is one JSON object with the keys load_ms, first_ms,
 * median_ms, min_ms, max_ms, runs, threads, peak_rss_kb, which
 * bench/compare.py reads next to bench/libtorch_bench.py's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../src/runtime/module.h"
#include "../src/serialize/torch_save.h"
#include "cli.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long peak_rss_kb(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) return ru.ru_maxrss;
    return -1;
}

static int parse_count(const char *opt, const char *v, long lo, long hi, long *out) {
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return cli_usage_error("%s expects a number from %ld to %ld, got '%s'", opt, lo, hi, v);
    *out = n;
    return 0;
}

/* One timed call; the result is dropped. Returns 0 or the failing status. */
static int timed_call(cts_rt_module *m, const char *method, const cv_value *args, int nargs, double *ms,
                      cts_err *err) {
    cv_value result;
    double t0 = now_ms();
    int rc = cts_rt_call(m, method, args, nargs, &result, err);
    *ms = now_ms() - t0;
    if (rc == 0) cv_release(result);
    return rc;
}

int cmd_bench(int argc, char **argv) {
    const char *model = NULL, *method = "forward", *args_path = NULL;
    long threads = 0, runs = 10, warmup = 1;
    int json = 0;
    cts_load_mode mode = CTS_LOAD_RUN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--no-optimize") == 0) {
            mode = CTS_LOAD_RUN_UNOPTIMIZED;
        } else if (strcmp(a, "--method") == 0 || strcmp(a, "--args") == 0 || strcmp(a, "--threads") == 0 ||
                   strcmp(a, "--runs") == 0 || strcmp(a, "--warmup") == 0) {
            if (i + 1 >= argc) return cli_usage_error("option %s needs a value", a);
            const char *v = argv[++i];
            int st = 0;
            if (strcmp(a, "--method") == 0) method = v;
            else if (strcmp(a, "--args") == 0) args_path = v;
            else if (strcmp(a, "--threads") == 0) st = parse_count(a, v, 1, 1024, &threads);
            else if (strcmp(a, "--runs") == 0) st = parse_count(a, v, 1, 100000000, &runs);
            else st = parse_count(a, v, 0, 100000000, &warmup);
            if (st) return st;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("bench: unknown option '%s'", a);
        } else if (!model) {
            model = a;
        } else {
            return cli_usage_error("bench: unexpected argument '%s'", a);
        }
    }
    if (!model) return cli_usage_error("bench: missing MODEL.pt");

    cts_err err = {0};
    cv_value args = cv_none();
    if (args_path && cts_torch_load_file(args_path, &args, &err)) return cli_fail(&err);
    cv_value *argv_vals = NULL;
    int nargs = 0;
    if (args.tag == CV_TUPLE) {
        argv_vals = args.u.tu->items;
        nargs = (int)args.u.tu->len;
    } else if (args.tag == CV_LIST) {
        argv_vals = args.u.l->items;
        nargs = (int)args.u.l->len;
    } else if (args.tag != CV_NONE) {
        argv_vals = &args;
        nargs = 1;
    }

    double t0 = now_ms();
    cts_rt_module *m = cts_rt_load(model, mode, &err);
    double load_ms = now_ms() - t0;
    if (!m) {
        cv_release(args);
        return cli_fail(&err);
    }
    /* As `cts run`: no pool for one thread; threads 0 = the machine's cores. */
    if (threads != 1) {
        m->pool = cts_pool_new((int)threads, &err);
        if (!m->pool) {
            cts_rt_free(m);
            cv_release(args);
            return cli_fail(&err);
        }
    }
    int nthreads = cts_pool_nthreads(m->pool);

    double *lat = malloc(sizeof *lat * (size_t)runs);
    int status = 0;
    double first_ms = 0, ignored;
    if (!lat) {
        fputs("cts: error: out of memory\n", stderr);
        status = 1;
        goto done;
    }
    if (timed_call(m, method, argv_vals, nargs, &first_ms, &err)) goto fail;
    for (long i = 0; i < warmup; i++)
        if (timed_call(m, method, argv_vals, nargs, &ignored, &err)) goto fail;
    for (long i = 0; i < runs; i++)
        if (timed_call(m, method, argv_vals, nargs, &lat[i], &err)) goto fail;

    qsort(lat, (size_t)runs, sizeof *lat, cmp_double);
    double median = runs % 2 ? lat[runs / 2] : (lat[runs / 2 - 1] + lat[runs / 2]) / 2;
    long rss = peak_rss_kb();
    if (json) {
        printf("{\"load_ms\": %.4f, \"first_ms\": %.4f, \"median_ms\": %.4f, \"min_ms\": %.4f, "
               "\"max_ms\": %.4f, \"runs\": %ld, \"threads\": %d, \"peak_rss_kb\": %ld}\n",
               load_ms, first_ms, median, lat[0], lat[runs - 1], runs, nthreads, rss);
    } else {
        printf("model:       %s (%s)\n", model, method);
        printf("threads:     %d\n", nthreads);
        printf("load:        %.3f ms\n", load_ms);
        printf("first call:  %.3f ms\n", first_ms);
        printf("runs:        %ld (after %ld warm-up)\n", runs, warmup);
        printf("median:      %.3f ms\n", median);
        printf("min / max:   %.3f / %.3f ms\n", lat[0], lat[runs - 1]);
        printf("peak RSS:    %ld KiB\n", rss);
    }
    goto done;
fail:
    status = cli_fail(&err);
done:
    free(lat);
    cts_rt_free(m);
    cv_release(args);
    return status;
}
