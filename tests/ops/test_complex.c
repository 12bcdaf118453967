/* test_complex.c - complex scalar kernels (complex.c) and complex64 tensor
 * kernels (complex_tensor.c).  Expected values are PyTorch 1.13's: the
 * scalars from a scripted function, the tensors from eager torch:
 *
 *   a, b = complex(1.5, -2.0), complex(0.5, 0.25)
 *   a*b = 1.25-0.625j   a/b = 0.8-4.4j   a-b = 1-2.25j   a+1 = 2.5-2j
 *   abs(a) = 2.5   str(a) = '1.5-2.j'   a == b: False   str(b) = '0.5+0.25j'
 *   z = torch.complex([3, 0, -1], [4, 2, 0])
 *   z*2 = [6+8j, 0+4j, -2+0j]   z.abs() = [5, 2, 1]   z.angle() = [0.9273, 1.5708, 3.1416]
 *   z + [[1], [2]] = [[4+4j, 1+2j, 0+0j], [5+4j, 2+2j, 1+0j]]
 *   torch.tensor([-1., 0., 2.]).angle() = [3.1416, 0, 0] */
#include <string.h>

#include "ops/complex_tensor.h"
#include "ops/op.h"
#include "ops/str.h"
#include "test.h"

static cts_err err;
static cts_kctx kc = {&err, NULL, NULL};

static int call(const char *key, const cv_value *args, int n, cv_value *out) {
    cts_kernel_fn fn = cts_op_find_kernel(key, NULL);
    CHECK(fn != NULL);
    if (!fn) return -1;
    return fn(&kc, args, n, out);
}

static cv_value cx(double re, double im) {
    cv_value v = cv_none();
    CHECK(cv_complex_new(re, im, &v, &err) == 0);
    return v;
}

static void check_cx(cv_value v, double re, double im) {
    CHECK(v.tag == CV_COMPLEX);
    if (v.tag != CV_COMPLEX) return;
    CHECK_NEAR(v.u.c->re, re, 1e-12);
    CHECK_NEAR(v.u.c->im, im, 1e-12);
}

TEST(test_complex_scalar_arithmetic_matches_pytorch) {
    cv_value a = cx(1.5, -2.0), b = cx(0.5, 0.25), r;
    cv_value ab[2] = {a, b};
    CHECK(call("aten::mul.complex", ab, 2, &r) == 0);
    check_cx(r, 1.25, -0.625);
    cv_release(r);
    CHECK(call("aten::div.complex", ab, 2, &r) == 0);
    check_cx(r, 0.8, -4.4);
    cv_release(r);
    CHECK(call("aten::sub.complex", ab, 2, &r) == 0);
    check_cx(r, 1.0, -2.25);
    cv_release(r);
    cv_value a1[2] = {a, cv_int(1)};
    CHECK(call("aten::add.complex_int", a1, 2, &r) == 0);
    check_cx(r, 2.5, -2.0);
    cv_release(r);
    CHECK(call("prim::abs.complex", &a, 1, &r) == 0);
    CHECK(r.tag == CV_FLOAT && r.u.f == 2.5);
    CHECK(call("aten::eq.complex", ab, 2, &r) == 0);
    CHECK(r.tag == CV_BOOL && !r.u.b);
    CHECK(call("aten::ne.complex", ab, 2, &r) == 0);
    CHECK(r.tag == CV_BOOL && r.u.b);
    cv_value ff[2] = {cv_float(1.0), cv_float(2.0)};
    CHECK(call("aten::Complex.float_float", ff, 2, &r) == 0);
    check_cx(r, 1.0, 2.0);
    cv_release(r);
    CHECK(call("aten::str", &a, 1, &r) == 0);
    CHECK(r.tag == CV_STR && strcmp(r.u.s->data, "1.5-2.j") == 0);
    cv_release(r);
    CHECK(call("aten::str", &b, 1, &r) == 0);
    CHECK(r.tag == CV_STR && strcmp(r.u.s->data, "0.5+0.25j") == 0);
    cv_release(r);
    cv_release(a);
    cv_release(b);
}

static ct_tensor *f32(int ndim, const int64_t *sizes, const float *vals) {
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, ndim, sizes, &err);
    CHECK(t != NULL);
    if (t) memcpy(ct_data(t), vals, sizeof(float) * (size_t)ct_numel(t));
    return t;
}

static void check_floats(const ct_tensor *t, const float *want, int n, double tol) {
    for (int i = 0; i < n; i++) CHECK_NEAR(((const float *)ct_data(t))[i], want[i], tol);
}

TEST(test_complex_tensor_kernels_match_pytorch) {
    int64_t three[1] = {3}, col[2] = {2, 1};
    ct_tensor *re = f32(1, three, (const float[]){3, 0, -1}), *im = f32(1, three, (const float[]){4, 2, 0});
    cv_value parts[2] = {cv_tensor(re), cv_tensor(im)}, z;
    CHECK(call("aten::complex", parts, 2, &z) == 0);
    CHECK(z.tag == CV_TENSOR && z.u.t->dtype == CT_COMPLEX64 && z.u.t->ndim == 1);
    if (z.tag != CV_TENSOR) return;
    check_floats(z.u.t, (const float[]){3, 4, 0, 2, -1, 0}, 6, 0);

    /* every tensor operator is guarded; mul.Scalar has a complex variant */
    cts_kernel_fn variant;
    CHECK(cts_has_complex_tensor(&z, 1));
    CHECK(!cts_has_complex_tensor(parts, 2));

    cv_value r, zs[2] = {z, cv_int(2)};
    cts_err perr = {0};
    cts_schema *mul = cts_schema_parse("aten::mul.Scalar(Tensor self, Scalar other) -> Tensor", &perr);
    cts_schema *sin = cts_schema_parse("aten::sin(Tensor self) -> Tensor", &perr);
    cts_schema *dt = cts_schema_parse("prim::dtype(Tensor a) -> int", &perr);
    CHECK(mul && sin && dt);
    if (!mul || !sin || !dt) return;
    CHECK(cts_complex_guard(mul, "aten::mul.Scalar", &variant) && variant != NULL);
    CHECK(variant(&kc, zs, 2, &r) == 0);
    check_floats(r.u.t, (const float[]){6, 8, 0, 4, -2, 0}, 6, 0);
    cv_release(r);
    CHECK(cts_complex_guard(sin, "aten::sin", &variant) && variant == NULL); /* an error at run time */
    CHECK(!cts_complex_guard(dt, "prim::dtype", &variant));                  /* reads no elements */
    cts_schema_free(mul);
    cts_schema_free(sin);
    cts_schema_free(dt);

    /* abs and angle are float32 */
    cts_kernel_fn cabs_k = NULL, cangle_k = NULL;
    cts_schema *abs = cts_schema_parse("aten::abs(Tensor self) -> Tensor", &perr);
    cts_schema *ang = cts_schema_parse("aten::angle(Tensor self) -> Tensor", &perr);
    CHECK(abs && ang);
    if (abs) cts_complex_guard(abs, "aten::abs", &cabs_k);
    if (ang) cts_complex_guard(ang, "aten::angle", &cangle_k);
    CHECK(cabs_k && cangle_k);
    if (cabs_k && cabs_k(&kc, &z, 1, &r) == 0) {
        CHECK(r.u.t->dtype == CT_FLOAT32);
        check_floats(r.u.t, (const float[]){5, 2, 1}, 3, 1e-6);
        cv_release(r);
    }
    if (cangle_k && cangle_k(&kc, &z, 1, &r) == 0) {
        check_floats(r.u.t, (const float[]){0.92729522f, 1.57079633f, 3.14159265f}, 3, 1e-6);
        cv_release(r);
    }
    cts_schema_free(abs);
    cts_schema_free(ang);
    ct_tensor *neg = f32(1, three, (const float[]){-1, 0, 2});
    cv_value nv = cv_tensor(neg);
    CHECK(call("aten::angle", &nv, 1, &r) == 0);
    check_floats(r.u.t, (const float[]){3.14159265f, 0, 0}, 3, 1e-6);
    cv_release(r);
    cv_release(nv);

    /* real and imag are float32 views into the complex storage */
    CHECK(call("aten::real", &z, 1, &r) == 0);
    CHECK(r.u.t->dtype == CT_FLOAT32 && r.u.t->storage == z.u.t->storage && r.u.t->strides[0] == 2);
    CHECK(((float *)ct_data(r.u.t))[0] == 3.0f);
    cv_release(r);
    CHECK(call("aten::imag", &z, 1, &r) == 0);
    CHECK(r.u.t->offset == 1 && ((float *)ct_data(r.u.t))[2 * 2] == 0.0f && ((float *)ct_data(r.u.t))[0] == 4.0f);
    cv_release(r);
    CHECK(call("aten::imag", parts, 1, &r) == -1); /* a real tensor has no imag */
    CHECK_CONTAINS(err.msg, "non-complex");

    /* broadcasting add with a real column */
    cts_kernel_fn add_k = NULL;
    cts_schema *add = cts_schema_parse("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", &perr);
    if (add) cts_complex_guard(add, "aten::add.Tensor", &add_k);
    CHECK(add_k != NULL);
    ct_tensor *c = f32(2, col, (const float[]){1, 2});
    cv_value args[3] = {z, cv_tensor(c), cv_int(1)};
    if (add_k && add_k(&kc, args, 3, &r) == 0) {
        CHECK(r.u.t->ndim == 2 && r.u.t->sizes[0] == 2 && r.u.t->sizes[1] == 3);
        check_floats(r.u.t, (const float[]){4, 4, 1, 2, 0, 0, 5, 4, 2, 2, 1, 0}, 12, 0);
        cv_release(r);
    }
    cts_schema_free(add);
    cv_release(args[1]);

    /* converting a complex tensor to a real dtype is an error, not a silent cast */
    ct_tensor *real = ct_tensor_empty(CT_FLOAT32, 1, three, &err);
    CHECK(real && ct_copy_into(real, z.u.t, &err) == -1);
    ct_tensor_release(real);

    cv_release(z);
    cv_release(parts[0]);
    cv_release(parts[1]);
}

int main(void) {
    RUN(test_complex_scalar_arithmetic_matches_pytorch);
    RUN(test_complex_tensor_kernels_match_pytorch);
    return test_summary();
}
