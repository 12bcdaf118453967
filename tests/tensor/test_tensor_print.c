/* test_tensor_print.c - ct_tensor_repr and ct_tensor_print_cpp against
 * strings PyTorch 1.13 printed for the same tensors (print_cases.h, made by
 * gen_print_cases.py). */
#include <math.h>
#include <stdint.h>

#include "tensor/tensor.h"
#include "tensor/tensor_print.h"
#include "test.h"

#include "print_cases.h"

static ct_tensor *build(const print_case *pc) {
    cts_err err = {0};
    ct_tensor *t = ct_tensor_empty(pc->dtype, pc->ndim, pc->sizes, &err);
    if (!t) return NULL;
    int64_t n = ct_numel(t);
    char *p = ct_data(t);
    int es = ct_dtype_size(pc->dtype);
    for (int64_t i = 0; i < n; i++) {
        if (pc->ivals) ct_store_i64(p + i * es, pc->dtype, pc->ivals[i]);
        else if (pc->vals) ct_store_f64(p + i * es, pc->dtype, pc->vals[i]);
        else ct_store_f64(p + i * es, pc->dtype, pc->start + (double)i * pc->step);
    }
    if (pc->transpose) {
        ct_tensor *v = ct_transpose(t, -1, -2, &err);
        ct_tensor_release(t);
        t = v;
    }
    return t;
}

TEST(test_tensor_print_matches_pytorch) {
    int n = (int)(sizeof print_cases / sizeof *print_cases);
    for (int i = 0; i < n; i++) {
        ct_tensor *t = build(&print_cases[i]);
        CHECK(t != NULL);
        if (!t) continue;
        cts_strbuf sb;
        cts_sb_init(&sb);
        ct_tensor_repr(t, &sb);
        if (strcmp(cts_sb_str(&sb), print_cases[i].repr)) fprintf(stderr, "case %d (repr):\n", i);
        CHECK_STR(cts_sb_str(&sb), print_cases[i].repr);
        cts_sb_clear(&sb);
        ct_tensor_print_cpp(t, &sb);
        if (strcmp(cts_sb_str(&sb), print_cases[i].cpp)) fprintf(stderr, "case %d (cpp):\n", i);
        CHECK_STR(cts_sb_str(&sb), print_cases[i].cpp);
        cts_sb_free(&sb);
        ct_tensor_release(t);
    }
}

TEST(test_tensor_repr_requires_grad_suffix) {
    cts_err err = {0};
    ct_tensor *t = ct_tensor_scalar_f64(CT_FLOAT32, 1.5, &err);
    t->requires_grad = true;
    cts_strbuf sb;
    cts_sb_init(&sb);
    ct_tensor_repr(t, &sb);
    CHECK_STR(cts_sb_str(&sb), "tensor(1.5000)");
    cts_sb_clear(&sb);
    ct_tensor_repr_ex(t, true, &sb);
    CHECK_STR(cts_sb_str(&sb), "tensor(1.5000, requires_grad=True)");
    cts_sb_free(&sb);
    ct_tensor_release(t);
}

TEST(test_tensor_print_undefined) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    ct_tensor_print_cpp(NULL, &sb);
    CHECK_STR(cts_sb_str(&sb), "[ Tensor (undefined) ]");
    cts_sb_free(&sb);
}

int main(void) {
    RUN(test_tensor_print_matches_pytorch);
    RUN(test_tensor_repr_requires_grad_suffix);
    RUN(test_tensor_print_undefined);
    return test_summary();
}
