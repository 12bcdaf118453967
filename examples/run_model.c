/* run_model.c - the tutorial of include/cts.h as a complete program:
 * load an archive, call forward with tensors stored in a torch.save file,
 * print the shape and first values of every tensor in the result. */
#include <stdio.h>

#include <cts.h>

static void show(cts_value *v, int depth) {
    switch (cts_value_kind(v)) {
    case CTS_VALUE_TENSOR: {
        int nd = cts_tensor_ndim(v);
        const int64_t *shape = cts_tensor_shape(v);
        printf("%*stensor of shape [", depth * 2, "");
        for (int i = 0; i < nd; i++) printf(i ? ", %lld" : "%lld", (long long)shape[i]);
        printf("]");
        if (cts_tensor_dtype(v) == CTS_FLOAT32) {
            const float *d = cts_tensor_data(v);
            int64_t n = cts_tensor_numel(v);
            printf(" first values:");
            for (int64_t i = 0; i < n && i < 4; i++) printf(" %.4f", d[i]);
        }
        printf("\n");
        break;
    }
    case CTS_VALUE_TUPLE:
    case CTS_VALUE_LIST:
        printf("%*s%zu values:\n", depth * 2, "", cts_value_len(v));
        for (size_t i = 0; i < cts_value_len(v); i++) {
            cts_value *e = cts_value_get(v, i);
            show(e, depth + 1);
            cts_value_free(e);
        }
        break;
    default: printf("%*s(a non-tensor value)\n", depth * 2, ""); break;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL.pt ARGS.pt\n", argv[0]);
        return 2;
    }
    cts_error err;
    cts_module *m = cts_module_load(argv[1], NULL, &err);
    if (!m) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    cts_value *args = cts_value_load_file(argv[2], &err);
    if (!args) {
        fprintf(stderr, "%s\n", err.message);
        cts_module_free(m);
        return 1;
    }
    size_t n = cts_value_len(args);
    cts_value *argv_vals[16];
    if (n > 16) n = 16;
    for (size_t i = 0; i < n; i++) argv_vals[i] = cts_value_get(args, i);
    cts_value *out = NULL;
    int rc = cts_module_forward(m, argv_vals, (int)n, &out, &err);
    if (rc) fprintf(stderr, "%s\n", err.message);
    else show(out, 0);
    cts_value_free(out);
    for (size_t i = 0; i < n; i++) cts_value_free(argv_vals[i]);
    cts_value_free(args);
    cts_module_free(m);
    return rc ? 1 : 0;
}
