/* test_weight_cache.c - a weight written in place is not used through a
 * stale packing (ops/gemm.h's packed-weight cache, storage versions bumped
 * by the interpreter after `Tensor(a!)` kernels).
 *
 * weight_cache.pt (gen_weight_cache.py, written by PyTorch) returns
 * (linear(x, w), linear(x, 2 * w)) where 2 * w is written into w in place
 * and undone afterwards; z == 2 * y holds bit for bit.  Its batch of 10
 * rows is past the GEMV sizes, so both products use the cache; enough
 * calls are made to fill the storage's cache (CT_AUX_MAX entries). */
#include <stdio.h>
#include <string.h>

#include "cts.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

TEST(test_weight_written_in_place_is_packed_again) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/runtime/weight_cache.pt", NULL, &err);
    if (!m) {
        fprintf(stderr, "load: %s\n", err.message);
        CHECK(m != NULL);
        return;
    }
    float x[10 * 32];
    for (int i = 0; i < 10 * 32; i++) x[i] = (float)((i * 37) % 19) / 8.0f - 1.0f;
    int64_t shape[2] = {10, 32};
    for (int call = 0; call < 12; call++) {
        cts_value *arg = cts_tensor_new(CTS_FLOAT32, 2, shape, x, &err);
        cts_value *r = NULL;
        int rc = cts_module_forward(m, &arg, 1, &r, &err);
        cts_value_free(arg);
        if (rc) fprintf(stderr, "forward: %s\n", err.message);
        CHECK(rc == 0);
        if (rc) break;
        CHECK(cts_value_kind(r) == CTS_VALUE_TUPLE && cts_value_len(r) == 2);
        cts_value *y = cts_value_get(r, 0), *z = cts_value_get(r, 1);
        CHECK_EQ_INT(cts_tensor_numel(y), 640);
        CHECK_EQ_INT(cts_tensor_numel(z), 640);
        const float *yp = cts_tensor_data(y), *zp = cts_tensor_data(z);
        int bad = 0;
        for (int i = 0; i < 640; i++) bad += zp[i] != 2.0f * yp[i];
        CHECK_EQ_INT(bad, 0);
        cts_value_free(y);
        cts_value_free(z);
        cts_value_free(r);
    }
    cts_module_free(m);
}

int main(void) {
    RUN(test_weight_written_in_place_is_packed_again);
    return test_summary();
}
