/* test_trace.c - tracing C functions (cts_trace, cts_op_call; runtime/
 * trace.c), as torch.jit.trace traces Python functions:
 *   - foo(x, y) = 2*x + y: the module replays it on other inputs;
 *   - control flow is erased: a branch on the data is recorded as taken;
 *   - sizes stay aten::size in the graph: a flatten traced on a 2x3 input
 *     flattens a 4x5 input too; a size only printed into a constant does not;
 *   - several outputs come back as a tuple;
 *   - errors: an unknown operator, a missing argument, a failing function,
 *     a non-tensor input, nested traces.
 *   - a loaded module (cts_module_trace) traces to a module computing the same.
 * With a directory argument it also saves the traced modules there
 * (foo.pt, flatten.pt, branch.pt, pair.pt, net.pt) for check_trace.py,
 * which loads them in PyTorch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cts.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

static cts_value *tensor(int64_t r, int64_t c, float base) {
    cts_error err;
    int64_t shape[2] = {r, c};
    float *d = malloc((size_t)(r * c) * sizeof *d);
    for (int64_t i = 0; i < r * c; i++) d[i] = base + (float)i * 0.5f;
    cts_value *t = cts_tensor_new(CTS_FLOAT32, 2, shape, d, &err);
    free(d);
    return t;
}

static cts_value *call(const char *op, cts_value **args, int n, cts_error *err) {
    cts_value *r = NULL;
    return cts_op_call(op, args, n, &r, err) ? NULL : r;
}

/* foo(x, y) = 2 * x + y */
static int foo(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    cts_value *two = cts_int_new(2);
    cts_value *a[2] = {in[0], two};
    cts_value *m = call("aten::mul.Scalar", a, 2, err);
    cts_value_free(two);
    if (!m) return -1;
    cts_value *b[2] = {m, in[1]};
    *out = call("aten::add.Tensor", b, 2, err); /* alpha from the schema's default */
    cts_value_free(m);
    return *out ? 0 : -1;
}

/* relu(x) if sum(x) > 0 else neg(x): the branch taken is what is recorded */
static int branch(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    cts_value *a[1] = {in[0]};
    cts_value *s = call("aten::sum", a, 1, err);
    if (!s) return -1;
    double total = ((const float *)cts_tensor_data(s))[0];
    cts_value_free(s);
    *out = call(total > 0 ? "aten::relu" : "aten::neg", a, 1, err);
    return *out ? 0 : -1;
}

/* x.view(x.size(0) * x.size(1)), the product taken by aten::mul.int */
static int flatten(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    cts_value *d0 = cts_int_new(0), *d1 = cts_int_new(1);
    cts_value *a0[2] = {in[0], d0}, *a1[2] = {in[0], d1};
    cts_value *s0 = call("aten::size.int", a0, 2, err), *s1 = call("aten::size.int", a1, 2, err);
    cts_value *m[2] = {s0, s1};
    cts_value *p = s0 && s1 ? call("aten::mul.int", m, 2, err) : NULL;
    cts_value *l = p ? cts_list_new(&p, 1, err) : NULL;
    cts_value *v[2] = {in[0], l};
    *out = l ? call("aten::view", v, 2, err) : NULL;
    cts_value_free(d0), cts_value_free(d1), cts_value_free(s0), cts_value_free(s1), cts_value_free(p);
    cts_value_free(l);
    return *out ? 0 : -1;
}

/* the same with the size read as a plain number: a constant in the graph */
static int flatten_const(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    const int64_t *sh = cts_tensor_shape(in[0]);
    int64_t total = sh[0] * sh[1];
    cts_value *l = cts_int_list_new(&total, 1);
    cts_value *v[2] = {in[0], l};
    *out = call("aten::view", v, 2, err);
    cts_value_free(l);
    return *out ? 0 : -1;
}

/* (tanh(x), sigmoid(x)) */
static int pair(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    cts_value *a[1] = {in[0]};
    cts_value *r[2] = {call("aten::tanh", a, 1, err), call("aten::sigmoid", a, 1, err)};
    *out = r[0] && r[1] ? cts_tuple_new(r, 2) : NULL;
    cts_value_free(r[0]), cts_value_free(r[1]);
    return *out ? 0 : -1;
}

static int fails(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx, (void)n;
    cts_value *a[2] = {in[0], in[0]};
    *out = call("aten::mm", a, 2, err); /* 2x3 @ 2x3: shapes do not fit */
    return *out ? 0 : -1;
}

static int nested(void *ctx, cts_value *const *in, int n, cts_value **out, cts_error *err) {
    (void)ctx;
    cts_module *m = cts_trace(foo, NULL, in, NULL, n, err);
    if (m) {
        cts_module_free(m);
        return -1; /* must not happen */
    }
    *out = NULL;
    return -1;
}

static float at(cts_value *t, int i) { return ((const float *)cts_tensor_data(t))[i]; }

static cts_value *run(cts_module *m, cts_value *x, cts_value *y) {
    cts_error err;
    cts_value *args[2] = {x, y}, *r = NULL;
    if (cts_module_forward(m, args, y ? 2 : 1, &r, &err)) fprintf(stderr, "forward: %s\n", err.message);
    return r;
}

static const char *save_dir;

static void save(cts_module *m, const char *name) {
    if (!save_dir || !m) return;
    char path[512];
    cts_error err;
    snprintf(path, sizeof path, "%s/%s", save_dir, name);
    if (cts_save(m, path, &err)) fprintf(stderr, "save %s: %s\n", path, err.message);
    CHECK_EQ_INT(err.code, 0);
}

TEST(trace_foo_replays_on_other_inputs) {
    cts_error err;
    cts_value *x = tensor(2, 3, 1), *y = tensor(2, 3, -4);
    cts_value *in[2] = {x, y};
    const char *names[2] = {"x", "y"};
    cts_module *m = cts_trace(foo, NULL, in, names, 2, &err);
    if (!m) fprintf(stderr, "trace: %s\n", err.message);
    CHECK(m != NULL);
    cts_value *a = tensor(4, 5, 3), *b = tensor(4, 5, 0.25f);
    cts_value *r = m ? run(m, a, b) : NULL;
    CHECK(r && cts_tensor_numel(r) == 20);
    for (int i = 0; r && i < 20; i++) CHECK_NEAR(at(r, i), 2 * at(a, i) + at(b, i), 1e-6);
    save(m, "foo.pt");
    cts_value_free(r), cts_value_free(a), cts_value_free(b), cts_value_free(x), cts_value_free(y);
    cts_module_free(m);
}

TEST(trace_erases_control_flow) {
    cts_error err;
    cts_value *pos = tensor(1, 4, 1); /* sum > 0: relu recorded */
    cts_module *m = cts_trace(branch, NULL, &pos, NULL, 1, &err);
    CHECK(m != NULL);
    cts_value *neg = tensor(1, 4, -10); /* all negative: relu gives zeros, neg would not */
    cts_value *r = m ? run(m, neg, NULL) : NULL;
    CHECK(r != NULL);
    for (int i = 0; r && i < 4; i++) CHECK_EQ_INT(at(r, i) == 0.0f, 1);
    save(m, "branch.pt");
    cts_value_free(r), cts_value_free(neg), cts_value_free(pos);
    cts_module_free(m);
}

TEST(trace_keeps_sizes_dynamic) {
    cts_error err;
    cts_value *x = tensor(2, 3, 0);
    cts_module *m = cts_trace(flatten, NULL, &x, NULL, 1, &err);
    if (!m) fprintf(stderr, "trace: %s\n", err.message);
    CHECK(m != NULL);
    cts_value *big = tensor(4, 5, 0);
    cts_value *r = m ? run(m, big, NULL) : NULL;
    CHECK(r && cts_tensor_ndim(r) == 1 && cts_tensor_shape(r)[0] == 20);
    save(m, "flatten.pt");
    cts_value_free(r);
    /* a size read as a plain number is a constant: 6 elements only */
    cts_module *c = cts_trace(flatten_const, NULL, &x, NULL, 1, &err);
    CHECK(c != NULL);
    cts_value *same = tensor(3, 2, 0);
    r = c ? run(c, same, NULL) : NULL;
    CHECK(r && cts_tensor_shape(r)[0] == 6);
    cts_value_free(r);
    cts_value *out = NULL;
    cts_value *args[1] = {big};
    CHECK_EQ_INT(c ? cts_module_forward(c, args, 1, &out, &err) : 0, -1);
    CHECK_CONTAINS(err.message, "invalid for input of size 20");
    cts_value_free(same), cts_value_free(big), cts_value_free(x);
    cts_module_free(m);
    cts_module_free(c);
}

TEST(trace_tuple_output) {
    cts_error err;
    cts_value *x = tensor(2, 2, -1);
    cts_module *m = cts_trace(pair, NULL, &x, NULL, 1, &err);
    CHECK(m != NULL);
    cts_value *r = m ? run(m, x, NULL) : NULL;
    CHECK(r && cts_value_kind(r) == CTS_VALUE_TUPLE && cts_value_len(r) == 2);
    save(m, "pair.pt");
    cts_value_free(r), cts_value_free(x);
    cts_module_free(m);
}

TEST(trace_errors_are_clear) {
    cts_error err;
    cts_value *x = tensor(2, 3, 0), *r = NULL;
    CHECK_EQ_INT(cts_op_call("aten::no_such_op", &x, 1, &r, &err), -1);
    CHECK_CONTAINS(err.message, "unknown operator 'aten::no_such_op'");
    CHECK_EQ_INT(cts_op_call("aten::add.Tensor", &x, 1, &r, &err), -1);
    CHECK_CONTAINS(err.message, "missing value for argument 'other'");
    cts_value *three[3] = {x, x, x};
    CHECK_EQ_INT(cts_op_call("aten::relu", three, 3, &r, &err), -1);
    CHECK_CONTAINS(err.message, "takes 1 arguments but 3 were given");
    CHECK(cts_trace(fails, NULL, &x, NULL, 1, &err) == NULL);
    CHECK_CONTAINS(err.message, "mat1 and mat2 shapes cannot be multiplied");
    cts_value *i = cts_int_new(3);
    CHECK(cts_trace(foo, NULL, &i, NULL, 1, &err) == NULL);
    CHECK_CONTAINS(err.message, "traced inputs are tensors");
    cts_value *xy[2] = {x, x};
    CHECK(cts_trace(nested, NULL, xy, NULL, 2, &err) == NULL);
    CHECK_CONTAINS(err.message, "failed");
    /* the thread traces again afterwards */
    cts_module *m = cts_trace(foo, NULL, xy, NULL, 2, &err);
    CHECK(m != NULL);
    cts_module_free(m);
    cts_value_free(i), cts_value_free(x);
}

TEST(trace_loaded_module_keeps_hierarchy) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/runtime/prepack.scripted.pt", NULL, &err);
    CHECK(m != NULL);
    if (!m) return;
    cts_value *args = cts_value_load_file(CTS_TEST_DATA "/runtime/prepack.args.pt", &err);
    cts_value *x = args ? cts_value_get(args, 0) : NULL;
    cts_module *t = x ? cts_module_trace(m, NULL, &x, 1, &err) : NULL;
    if (!t) fprintf(stderr, "trace: %s\n", err.message);
    CHECK(t != NULL);
    cts_value *a = t ? run(t, x, NULL) : NULL, *b = run(m, x, NULL);
    CHECK(a && b && cts_tensor_numel(a) == 10 && cts_tensor_numel(b) == 10);
    if (a && b) CHECK(!memcmp(cts_tensor_data(a), cts_tensor_data(b), 10 * sizeof(float)));
    save(t, "net.pt");
    /* a non-tensor input is refused, as torch.jit.trace refuses it */
    cts_value *i = cts_int_new(1);
    CHECK(cts_module_trace(m, NULL, &i, 1, &err) == NULL);
    CHECK_CONTAINS(err.message, "traced inputs are tensors");
    CHECK(cts_module_trace(m, "no_such_method", &x, 1, &err) == NULL);
    CHECK_CONTAINS(err.message, "no_such_method");
    cts_value_free(i), cts_value_free(a), cts_value_free(b), cts_value_free(x), cts_value_free(args);
    cts_module_free(t);
    cts_module_free(m);
}

int main(int argc, char **argv) {
    save_dir = argc > 1 ? argv[1] : NULL;
    RUN(trace_foo_replays_on_other_inputs);
    RUN(trace_erases_control_flow);
    RUN(trace_keeps_sizes_dynamic);
    RUN(trace_tuple_output);
    RUN(trace_errors_are_clear);
    RUN(trace_loaded_module_keeps_hierarchy);
    return test_summary();
}
