/* case_stream.h - shared by test_rnn.c and test_attention.c: the kernel
 * lookup in one op table and the generator's value stream
 * (gen_rnn_cases.py: Stream), a splitmix64 sequence both sides reproduce
 * exactly, so the cases store no inputs. */
#ifndef CTS_TESTS_OPS_CASE_STREAM_H
#define CTS_TESTS_OPS_CASE_STREAM_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "tensor/tensor.h"

static inline cts_kernel_fn table_kernel(const cts_op_def *defs, int n, const char *key) {
    size_t kl = strlen(key);
    for (int i = 0; i < n; i++) {
        const char *s = defs[i].schema;
        if (!strncmp(s, key, kl) && s[kl] == '(') return defs[i].fn;
    }
    fprintf(stderr, "no kernel %s\n", key);
    abort();
}

typedef struct stream {
    uint64_t s;
} stream;

static inline uint64_t next64(stream *st) {
    uint64_t z = (st->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A float32 tensor of nd dims (int64_t sizes follow) drawn from st, values
 * in [-1, 1) / 2^scale. */
static inline ct_tensor *draw(stream *st, int scale, int nd, ...) {
    int64_t s[CT_MAX_DIMS];
    va_list ap;
    va_start(ap, nd);
    for (int i = 0; i < nd; i++) s[i] = va_arg(ap, int64_t);
    va_end(ap);
    cts_err err = {0};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, nd, s, &err);
    if (!t) abort();
    float *p = ct_data(t);
    for (int64_t i = 0; i < ct_numel(t); i++)
        p[i] = (float)(((double)(int64_t)(next64(st) >> 40) - 8388608.0) / 8388608.0 / (double)(1 << scale));
    return t;
}

#endif
