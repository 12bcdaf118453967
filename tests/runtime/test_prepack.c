/* test_prepack.c - weights are packed at load, not on the first call
 * (runtime/prepack.c and the prepack hooks of conv.c and linalg.c).
 *
 * prepack.{scripted,traced}.pt (gen_prepack.py, written by PyTorch) hold
 * five convolutions the direct kernel packs -- a submodule's Conv2d, two
 * inside a Sequential's blocks, a module parameter passed to a free
 * function calling F.conv2d, a Conv1d -- plus a 1x1 and a depthwise
 * convolution that are not packed, and one Linear.  Loading makes exactly
 * those packings; calls make none and give PyTorch's output. */
#include <math.h>
#include <stdio.h>

#include "cts.h"
#include "ops/conv_direct.h"
#include "ops/gemm.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

static void check_archive(const char *kind) {
    char path[512], out_path[512];
    snprintf(path, sizeof path, CTS_TEST_DATA "/runtime/prepack.%s.pt", kind);
    snprintf(out_path, sizeof out_path, CTS_TEST_DATA "/runtime/prepack.%s.out.pt", kind);
    cts_error err;
    int64_t conv0 = cts_conv_cache_packings(), gemm0 = cts_gemm_cache_packings();
    cts_module *m = cts_module_load(path, NULL, &err);
    if (!m) fprintf(stderr, "load %s: %s\n", path, err.message);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_EQ_INT(cts_conv_cache_packings() - conv0, 5);
    CHECK_EQ_INT(cts_gemm_cache_packings() - gemm0, 1);
    cts_value *args = cts_value_load_file(CTS_TEST_DATA "/runtime/prepack.args.pt", &err);
    cts_value *want = cts_value_load_file(out_path, &err);
    CHECK(args != NULL && want != NULL);
    if (args && want) {
        cts_value *x = cts_value_get(args, 0);
        for (int call = 0; call < 2; call++) {
            cts_value *y = NULL;
            int rc = cts_module_forward(m, &x, 1, &y, &err);
            if (rc) fprintf(stderr, "forward: %s\n", err.message);
            CHECK_EQ_INT(rc, 0);
            if (rc) break;
            CHECK_EQ_INT(cts_tensor_numel(y), 10);
            CHECK_EQ_INT(cts_tensor_numel(want), 10);
            const float *a = cts_tensor_data(y), *b = cts_tensor_data(want);
            double scale = 0;
            for (int i = 0; i < 10; i++) scale = fmax(scale, fabs(b[i]));
            for (int i = 0; i < 10; i++) CHECK(fabs(a[i] - b[i]) <= 1e-4 * scale + 1e-4 * fabs(b[i]));
            cts_value_free(y);
        }
        cts_value_free(x);
    }
    /* the calls used the packings made at load */
    CHECK_EQ_INT(cts_conv_cache_packings() - conv0, 5);
    CHECK_EQ_INT(cts_gemm_cache_packings() - gemm0, 1);
    cts_value_free(args);
    cts_value_free(want);
    cts_module_free(m);
}

TEST(scripted_weights_packed_at_load) { check_archive("scripted"); }
TEST(traced_weights_packed_at_load) { check_archive("traced"); }

int main(void) {
    RUN(scripted_weights_packed_at_load);
    RUN(traced_weights_packed_at_load);
    return test_summary();
}
