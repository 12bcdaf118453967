/* test_torch_save.c - writing torch.save files.
 *
 * With an argument DIR it also writes DIR/saved_*.pt for
 * tests/serialize/check_torch_save.py, which loads them with PyTorch's
 * torch.load and compares every value. */
#include <math.h>

#include "ser_test_util.h"
#include "serialize/torch_save.h"
#include "test.h"

static cv_value str(const char *s) {
    cv_value v;
    cts_err err = {0};
    cv_str_from(s, &v, &err);
    return v;
}

static void put(cv_value d, const char *k, cv_value v) {
    cts_err err = {0};
    cv_dict_set(d.u.d, str(k), v, &err);
}

static cv_value tuple_of(int n, const cv_value *items) {
    cv_value t;
    cts_err err = {0};
    cv_tuple_new(NULL, (size_t)n, items, &t, &err);
    return t;
}

static cv_value list_of(int n, const cv_value *items) {
    cv_value l;
    cts_err err = {0};
    cv_list_new(T_ANY, 0, &l, &err);
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, items[i], &err);
    return l;
}

static cv_value load_fixture(const char *name) {
    size_t len;
    uint8_t *buf = fixture(name, &len);
    cv_value v = cv_none();
    cts_err err = {0};
    CHECK(cts_torch_load(buf, len, &v, &err) == 0);
    free(buf);
    return v;
}

/* The values check_torch_save.py expects in saved_basic.pt. */
static cv_value basic_value(void) {
    cts_err err = {0};
    cv_value d;
    cv_dict_new(T_STR, T_ANY, &d, &err);
    put(d, "int", cv_int(7));
    put(d, "neg", cv_int(-123456789012ll));
    put(d, "min", cv_int(INT64_MIN));
    put(d, "float", cv_float(2.5));
    put(d, "nan", cv_float(NAN));
    put(d, "true", cv_bool(true));
    put(d, "false", cv_bool(false));
    put(d, "none", cv_none());
    put(d, "str", str("h\xc3\xa9llo"));
    cv_value inner[1] = {cv_float(3.0)};
    cv_value l[3] = {cv_int(1), str("two"), list_of(1, inner)};
    put(d, "list", list_of(3, l));
    cv_value t2[2] = {cv_int(2), str("x")};
    cv_value t[3] = {cv_int(1), tuple_of(2, t2), tuple_of(0, NULL)};
    put(d, "tuple", tuple_of(3, t));
    put(d, "empty_list", list_of(0, NULL));
    cv_value ed;
    cv_dict_new(T_ANY, T_ANY, &ed, &err);
    put(d, "empty_dict", ed);
    cv_value ik;
    cv_dict_new(T_INT, T_STR, &ik, &err);
    cv_dict_set(ik.u.d, cv_int(1), str("one"), &err);
    cv_dict_set(ik.u.d, cv_int(-2), str("minus two"), &err);
    put(d, "intkeys", ik);
    put(d, "device", cv_device(0, -1));
    put(d, "tensors", load_fixture("dtypes.pt"));
    /* views over one storage */
    int64_t n6[1] = {6};
    ct_tensor *a = ct_tensor_empty(CT_FLOAT32, 1, n6, &err);
    for (int i = 0; i < 6; i++) ((float *)ct_data(a))[i] = (float)i;
    int64_t s23[2] = {2, 3};
    ct_tensor *m = ct_view(a, 2, s23, &err);
    cv_value views[3] = {cv_tensor(a), cv_tensor(ct_slice(a, 0, 1, 6, 2, &err)), cv_tensor(ct_transpose(m, 0, 1, &err))};
    ct_tensor_release(m);
    put(d, "views", tuple_of(3, views));
    put(d, "scalar", cv_tensor(ct_tensor_scalar_f64(CT_FLOAT64, -0.5, &err)));
    int64_t n0[1] = {0};
    put(d, "empty", cv_tensor(ct_tensor_zeros(CT_INT64, 1, n0, &err)));
    ct_tensor *g = ct_tensor_scalar_f64(CT_FLOAT32, 1.0, &err);
    g->requires_grad = true;
    put(d, "grad", cv_tensor(g));
    return d;
}

TEST(test_torch_save_reproduces_pytorch_file) {
    /* dtypes.pt re-saved under the same folder name is the same file, byte for byte */
    size_t len;
    uint8_t *orig = fixture("dtypes.pt", &len);
    cv_value v = load_fixture("dtypes.pt");
    cts_zip_writer w;
    cts_err err = {0};
    CHECK(cts_zipw_init(&w, "dtypes", &err) == 0);
    CHECK(cts_torch_save_to(v, &w, &err) == 0);
    CHECK_EQ_INT(w.len, len);
    CHECK(w.buf && memcmp(w.buf, orig, w.len < len ? w.len : len) == 0);
    if (w.buf && memcmp(w.buf, orig, w.len < len ? w.len : len))
        for (size_t i = 0; i < len && i < w.len; i++)
            if (w.buf[i] != orig[i]) {
                fprintf(stderr, "first difference at byte %zu\n", i);
                break;
            }
    cts_zipw_free(&w);
    cv_release(v);
    free(orig);
}

TEST(test_torch_save_round_trip) {
    cv_value v = basic_value();
    uint8_t *buf;
    size_t len;
    cts_err err = {0};
    CHECK(cts_torch_save_mem(v, &buf, &len, &err) == 0);
    CHECK(len > 4 && memcmp(buf, "PK\3\4", 4) == 0);
    cv_value back;
    CHECK(cts_torch_load(buf, len, &back, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    CHECK(back.tag == CV_DICT && back.u.d->len == v.u.d->len);
    if (back.tag == CV_DICT && back.u.d->len == v.u.d->len) {
        for (size_t i = 0; i < v.u.d->len; i++) {
            cv_value a = v.u.d->entries[i].val, b = back.u.d->entries[i].val;
            CHECK(cv_equal(v.u.d->entries[i].key, back.u.d->entries[i].key));
            CHECK_EQ_INT(a.tag, b.tag);
            if (a.tag == CV_FLOAT && isnan(a.u.f)) CHECK(isnan(b.u.f));
            else if (a.tag != CV_TENSOR && a.tag != CV_DICT && a.tag != CV_TUPLE) CHECK(cv_equal(a, b));
        }
        cv_value *views = cv_dict_get(back.u.d, v.u.d->entries[back.u.d->len - 4].key);
        CHECK(views && views->tag == CV_TUPLE);
        if (views && views->tag == CV_TUPLE) {
            ct_tensor *x = views->u.tu->items[0].u.t, *y = views->u.tu->items[1].u.t, *z = views->u.tu->items[2].u.t;
            CHECK(x->storage == y->storage && y->storage == z->storage);
            CHECK(y->offset == 1 && y->strides[0] == 2 && z->strides[0] == 1 && z->strides[1] == 3);
            CHECK(((float *)ct_data(z))[5] == 5.0f);
        }
    }
    cv_release(back);
    free(buf);
    cv_release(v);
}

TEST(test_torch_save_errors_name_the_file) {
    cts_err err = {0};
    cts_type *cls = cts_type_class("__torch__.C", false);
    cv_value o;
    cv_object_new(cls, &o, &err);
    CHECK(cts_torch_save(o, "/tmp/cts_never_written.pt", &err) == -1);
    CHECK_CONTAINS(err.msg, "saving '/tmp/cts_never_written.pt': pickler: torch.save cannot write an object of class "
                            "'__torch__.C'");
    cv_release(o);
    cts_type_release(cls);
    CHECK(cts_torch_save(cv_int(1), "/nonexistent/dir/x.pt", &err) == -1);
    CHECK_CONTAINS(err.msg, "cannot create '/nonexistent/dir/x.pt'");
}

static int write_outputs(const char *dir) {
    cts_err err = {0};
    char path[512];
    cv_value v = basic_value();
    snprintf(path, sizeof path, "%s/saved_basic.pt", dir);
    int rc = cts_torch_save(v, path, &err);
    for (int k = 0; k < 2 && !rc; k++) {
        /* zip64 sizes and counts everywhere (torch.load reads it); and zip64
         * offsets too (only zipfile can check that on a small file) */
        const char *name = k ? "saved_zip64_offsets" : "saved_zip64";
        cts_zip_writer w;
        rc = cts_zipw_init(&w, name, &err);
        w.zip64_threshold = 1;
        if (k) w.zip64_offset_threshold = 1;
        if (!rc) rc = cts_torch_save_to(v, &w, &err);
        snprintf(path, sizeof path, "%s/%s.pt", dir, name);
        if (!rc) rc = cts_zipw_write_file(&w, path, &err);
        cts_zipw_free(&w);
    }
    cv_release(v);
    if (!rc) {
        snprintf(path, sizeof path, "%s/saved_int.pt", dir);
        rc = cts_torch_save(cv_int(-3), path, &err);
    }
    if (rc) fprintf(stderr, "writing outputs: %s\n", err.msg);
    return rc;
}

int main(int argc, char **argv) {
    RUN(test_torch_save_reproduces_pytorch_file);
    RUN(test_torch_save_round_trip);
    RUN(test_torch_save_errors_name_the_file);
    if (argc > 1 && write_outputs(argv[1])) return 1;
    return test_summary();
}
