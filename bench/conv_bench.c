/* conv_bench.c - GFLOP/s of cts's aten::conv2d kernel on the inference
 * layers of docs/libraries.md and the model zoo (batch 1, float32, NCHW in
 * and out, as a model calls it, the weight marked as a module's so that its
 * packing is cached as at load).  Median and best of 7 samples of >= 20 ms.
 *
 *   conv_bench [threads] [name]       name: only the layers whose name contains it
 *
 * With 1 thread the time is the thread's CPU time, as in gemm_bench.
 * Build (after `cmake --build build`):
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Isrc bench/conv_bench.c build/libcts.a
 *       -lpthread -lm -o /tmp/conv_bench */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_timing.h"
#include "core/pool.h"
#include "ops/op.h"
#include "tensor/tensor.h"
#include "value/type.h"
#include "value/value.h"


typedef struct layer {
    const char *name;
    int c, k, h, kh, stride, pad, groups;
} layer;

static const layer LAYERS[] = {
    {"64->64 56x56 3x3", 64, 64, 56, 3, 1, 1, 1},
    {"128->128 28x28 3x3", 128, 128, 28, 3, 1, 1, 1},
    {"3->64 224x224 7x7/2", 3, 64, 224, 7, 2, 3, 1},
    {"256->256 14x14 3x3", 256, 256, 14, 3, 1, 1, 1},
    {"512->512 7x7 3x3", 512, 512, 7, 3, 1, 1, 1},
    {"64->128 56x56 3x3/2", 64, 128, 56, 3, 2, 1, 1},
    {"256->64 56x56 1x1", 256, 64, 56, 1, 1, 0, 1},
    {"64->256 56x56 1x1", 64, 256, 56, 1, 1, 0, 1},
    {"1024->256 14x14 1x1", 1024, 256, 14, 1, 1, 0, 1},
    {"dw 144 56x56 3x3", 144, 144, 56, 3, 1, 1, 144},
    {"dw 96 112x112 3x3/2", 96, 96, 112, 3, 2, 1, 96},
    /* mobilenet_v3_small's narrow depthwise layers (the channels-last kernel) */
    {"dw 576 7x7 5x5", 576, 576, 7, 5, 1, 2, 576},
    {"dw 96 28x28 5x5/2", 96, 96, 28, 5, 2, 2, 96},
    {"dw 120 14x14 5x5", 120, 120, 14, 5, 1, 2, 120},
    {"3->32 224x224 3x3/2", 3, 32, 224, 3, 2, 1, 1},
    /* mobilenet_v2's pointwise layers: short reductions */
    {"16->96 112x112 1x1", 16, 96, 112, 1, 1, 0, 1},
    {"96->24 56x56 1x1", 96, 24, 56, 1, 1, 0, 1},
    {"24->144 56x56 1x1", 24, 144, 56, 1, 1, 0, 1},
    {"960->160 7x7 1x1", 960, 160, 7, 1, 1, 0, 1},
};

static cv_value ilist2(int64_t v) {
    cts_err e = {0};
    cv_value l;
    if (cv_list_new(T_INT, 2, &l, &e)) exit(2);
    cv_list_push(l.u.l, cv_int(v), &e);
    cv_list_push(l.u.l, cv_int(v), &e);
    return l;
}

static ct_tensor *randn(int nd, const int64_t *shape) {
    cts_err e = {0};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, nd, shape, &e);
    if (!t) exit(2);
    float *p = ct_data(t);
    int64_t n = ct_numel(t);
    uint32_t s = 12345;
    for (int64_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        p[i] = (float)((s >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return t;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    cts_err e = {0};
    cts_pool *pool = threads > 1 ? cts_pool_new(threads, &e) : NULL;
    if (threads <= 1) g_clock = CLOCK_THREAD_CPUTIME_ID;
    cts_kernel_fn conv = cts_op_find_kernel("aten::conv2d", NULL);
    if (!conv) return 2;
    printf("aten::conv2d, batch 1, float32 NCHW, %d thread(s)\n", threads);
    printf("%-24s %10s %10s %10s\n", "layer", "ms", "GFLOP/s", "best");
    for (size_t li = 0; li < sizeof LAYERS / sizeof *LAYERS; li++) {
        const layer *L = &LAYERS[li];
        if (argc > 2 && !strstr(L->name, argv[2])) continue;
        int64_t xs[4] = {1, L->c, L->h, L->h}, ws[4] = {L->k, L->c / L->groups, L->kh, L->kh};
        ct_tensor *x = randn(4, xs), *w = randn(4, ws);
        w->storage->weight = true; /* as a loaded module's: packed once, cached */
        int64_t oh = (L->h + 2 * L->pad - L->kh) / L->stride + 1;
        double flop = 2.0 * L->k * oh * oh * (L->c / L->groups) * L->kh * L->kh;
        cv_value args[7] = {cv_tensor(x), cv_tensor(w), cv_none(), ilist2(L->stride), ilist2(L->pad), ilist2(1),
                            cv_int(L->groups)};
        cts_kctx k = {&e, pool, NULL};
        int iters = 1;
        for (;;) {
            double t0 = now();
            for (int i = 0; i < iters; i++) {
                cv_value out;
                if (conv(&k, args, 7, &out)) {
                    fprintf(stderr, "%s: %s\n", L->name, e.msg);
                    return 1;
                }
                cv_release(out);
            }
            double dt = now() - t0;
            if (dt >= 0.02) break;
            iters = dt <= 0 ? iters * 10 : (int)(iters * 0.025 / dt) + 1;
        }
        double s[7];
        for (int r = 0; r < 7; r++) {
            double t0 = now();
            for (int i = 0; i < iters; i++) {
                cv_value out;
                conv(&k, args, 7, &out);
                cv_release(out);
            }
            s[r] = (now() - t0) / iters;
        }
        qsort(s, 7, sizeof *s, cmp_d);
        printf("%-24s %10.3f %10.1f %10.1f\n", L->name, s[3] * 1e3, flop / s[3] * 1e-9, flop / s[0] * 1e-9);
        for (int i = 0; i < 7; i++) cv_release(args[i]);
    }
    if (pool) cts_pool_free(pool);
    return 0;
}
