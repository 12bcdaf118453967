/* test_torch_load.c - reading files written by PyTorch 1.13's torch.save
 * (fixtures from gen_fixtures.py) and rejecting the ones cts cannot read. */
#include <math.h>

#include "ser_test_util.h"
#include "serialize/torch_save.h"
#include "test.h"

static cv_value load_fixture(const char *name) {
    size_t len;
    uint8_t *buf = fixture(name, &len);
    cv_value v = cv_none();
    cts_err err = {0};
    CHECK(cts_torch_load(buf, len, &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s: %s\n", name, err.msg);
    free(buf);
    return v;
}

static cv_value *get(cv_value d, const char *key) {
    if (d.tag != CV_DICT) return NULL;
    for (size_t i = 0; i < d.u.d->len; i++) {
        cv_value k = d.u.d->entries[i].key;
        if (k.tag == CV_STR && strcmp(k.u.s->data, key) == 0) return &d.u.d->entries[i].val;
    }
    return NULL;
}

static ct_tensor *tensor(cv_value d, const char *key) {
    cv_value *v = get(d, key);
    CHECK(v && v->tag == CV_TENSOR);
    return v && v->tag == CV_TENSOR ? v->u.t : NULL;
}

static double at(const ct_tensor *t, int i) {
    return ct_load_f64((const char *)ct_data(t) + (int64_t)i * t->strides[0] * ct_dtype_size(t->dtype), t->dtype);
}
static int64_t iat(const ct_tensor *t, int i) {
    return ct_load_i64((const char *)ct_data(t) + (int64_t)i * t->strides[0] * ct_dtype_size(t->dtype), t->dtype);
}

TEST(test_torch_load_every_dtype) {
    cv_value d = load_fixture("dtypes.pt");
    CHECK(d.tag == CV_DICT && d.u.d->len == 10);
    ct_tensor *t;
    if ((t = tensor(d, "uint8"))) CHECK(t->dtype == CT_UINT8 && iat(t, 2) == 254 && iat(t, 3) == 255);
    if ((t = tensor(d, "int8"))) CHECK(t->dtype == CT_INT8 && iat(t, 0) == -128 && iat(t, 3) == 127);
    if ((t = tensor(d, "int16"))) CHECK(t->dtype == CT_INT16 && iat(t, 0) == -32768 && iat(t, 1) == -2);
    if ((t = tensor(d, "int32"))) CHECK(t->dtype == CT_INT32 && iat(t, 0) == INT32_MIN && iat(t, 3) == INT32_MAX);
    if ((t = tensor(d, "int64"))) CHECK(t->dtype == CT_INT64 && iat(t, 0) == INT64_MIN && iat(t, 3) == INT64_MAX);
    if ((t = tensor(d, "float16")))
        CHECK(t->dtype == CT_FLOAT16 && at(t, 1) == -2.0 && at(t, 2) == 65504.0 && isinf(at(t, 3)));
    if ((t = tensor(d, "float32"))) CHECK(t->dtype == CT_FLOAT32 && at(t, 0) == 1.5 && isnan(at(t, 3)));
    if ((t = tensor(d, "float64")))
        CHECK(t->dtype == CT_FLOAT64 && at(t, 0) == M_PI && at(t, 2) == 5e-324 && signbit(at(t, 3)));
    if ((t = tensor(d, "bool"))) CHECK(t->dtype == CT_BOOL && iat(t, 0) == 1 && iat(t, 1) == 0);
    if ((t = tensor(d, "bfloat16")))
        CHECK(t->dtype == CT_BFLOAT16 && at(t, 1) == -3.5 && at(t, 2) == ldexp(1, 100) && at(t, 3) == 0.0078125);
    if ((t = tensor(d, "int64"))) CHECK(t->ndim == 1 && t->sizes[0] == 4 && t->strides[0] == 1 && !t->requires_grad);
    cv_release(d);
}

TEST(test_torch_load_containers) {
    cv_value d = load_fixture("containers.pt");
    cv_value *v;
    CHECK(d.tag == CV_DICT && d.u.d->key_type->kind == TY_ANY);
    CHECK((v = get(d, "int")) && v->tag == CV_INT && v->u.i == 7);
    CHECK((v = get(d, "neg")) && v->u.i == -5);
    CHECK((v = get(d, "big")) && v->u.i == 1ll << 40);
    CHECK((v = get(d, "min")) && v->u.i == INT64_MIN);
    CHECK((v = get(d, "float")) && v->tag == CV_FLOAT && v->u.f == 2.5);
    CHECK((v = get(d, "true")) && v->tag == CV_BOOL && v->u.b);
    CHECK((v = get(d, "none")) && v->tag == CV_NONE);
    CHECK((v = get(d, "str")) && v->tag == CV_STR && strcmp(v->u.s->data, "h\xc3\xa9llo") == 0);
    if ((v = get(d, "list")) && v->tag == CV_LIST && v->u.l->len == 5) {
        cv_value *it = v->u.l->items;
        CHECK(it[0].u.i == 1 && it[1].u.f == 2.5 && strcmp(it[2].u.s->data, "x") == 0 && it[3].tag == CV_NONE);
        CHECK(it[4].tag == CV_LIST && it[4].u.l->items[1].u.l->items[0].u.i == 4);
    } else {
        CHECK(0);
    }
    if ((v = get(d, "tuple")) && v->tag == CV_TUPLE && v->u.tu->len == 3) {
        CHECK(v->u.tu->items[1].tag == CV_TUPLE && v->u.tu->items[1].u.tu->items[1].u.f == 2.0);
        CHECK(v->u.tu->items[2].tag == CV_TUPLE && v->u.tu->items[2].u.tu->len == 0);
    } else {
        CHECK(0);
    }
    CHECK((v = get(d, "empty_list")) && v->tag == CV_LIST && v->u.l->len == 0);
    CHECK((v = get(d, "empty_dict")) && v->tag == CV_DICT && v->u.d->len == 0);
    if ((v = get(d, "intkeys")) && v->tag == CV_DICT) {
        cv_value *one = cv_dict_get(v->u.d, cv_int(1));
        CHECK(one && strcmp(one->u.s->data, "one") == 0);
    } else {
        CHECK(0);
    }
    CHECK((v = get(d, "device")) && v->tag == CV_DEVICE && v->u.dev.type == 0 && v->u.dev.index == -1);
    CHECK((v = get(d, "size")) && v->tag == CV_TUPLE && v->u.tu->items[1].u.i == 3);
    CHECK((v = get(d, "dtype")) && v->tag == CV_INT && v->u.i == CT_FLOAT16);
    cv_release(d);
}

TEST(test_torch_load_views_share_storage) {
    cv_value d = load_fixture("views.pt");
    ct_tensor *a = tensor(d, "a"), *sl = tensor(d, "slice"), *t = tensor(d, "t"), *sc = tensor(d, "scalar");
    if (a && sl && t && sc) {
        CHECK(a->storage == sl->storage && a->storage == t->storage && a->storage == sc->storage);
        CHECK_EQ_INT(a->storage->nbytes, 40);
        CHECK(sl->offset == 2 && sl->sizes[0] == 3 && sl->strides[0] == 2 && at(sl, 2) == 6.0);
        CHECK(t->ndim == 2 && t->sizes[0] == 5 && t->strides[0] == 1 && t->strides[1] == 5);
        CHECK(sc->ndim == 0 && sc->offset == 3 && ((float *)ct_data(sc))[0] == 3.0f);
    }
    ct_tensor *e = tensor(d, "empty"), *z = tensor(d, "zero_dim"), *p = tensor(d, "param");
    if (e) CHECK(e->ndim == 1 && e->sizes[0] == 0 && e->storage->nbytes == 0);
    if (z) CHECK(z->ndim == 0 && z->dtype == CT_INT64 && *(int64_t *)ct_data(z) == 7);
    if (p) CHECK(p->requires_grad && at(p, 1) == 1.0);
    cv_value *pv = get(d, "param");
    (void)pv;
    cv_release(d);
}

TEST(test_torch_load_state_dict_and_protocol_4) {
    cv_value d = load_fixture("state_dict.pt");
    CHECK(d.tag == CV_DICT && d.u.d->len == 2);
    ct_tensor *w = tensor(d, "weight"), *b = tensor(d, "bias");
    if (w) CHECK(w->ndim == 2 && w->sizes[1] == 3 && ((float *)ct_data(w))[5] == 5.0f && !w->requires_grad);
    if (b) CHECK(at(b, 0) == -1.0);
    cv_release(d);
    d = load_fixture("proto4.pt");
    ct_tensor *t = tensor(d, "t");
    if (t) CHECK(t->dtype == CT_INT16 && iat(t, 1) == 2);
    cv_value *l = get(d, "l");
    CHECK(l && l->tag == CV_LIST && l->u.l->len == 3 && l->u.l->items[2].u.i == 1ll << 40);
    cv_release(d);
}

static void expect_load_error(const void *buf, size_t len, const char *needle) {
    cv_value v;
    cts_err err = {0};
    CHECK(cts_torch_load(buf, len, &v, &err) == -1);
    CHECK(v.tag == CV_NONE);
    CHECK_CONTAINS(err.msg, needle);
}

TEST(test_torch_load_rejects_other_formats) {
    size_t len;
    uint8_t *buf = fixture("jit.pt", &len);
    expect_load_error(buf, len, "this is a TorchScript archive (torch.jit.save)");
    free(buf);
    static const uint8_t legacy[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, '.'};
    expect_load_error(legacy, sizeof legacy, "legacy torch.save format (a pickle stream");
    uint8_t tar[600] = {0};
    memcpy(tar + 257, "ustar", 5);
    expect_load_error(tar, sizeof tar, "legacy tar torch.save format");
    expect_load_error("hello world", 11, "not a torch.save file: no zip signature");
    expect_load_error("", 0, "not a torch.save file");
    cv_value v;
    cts_err err = {0};
    CHECK(cts_torch_load_file("/nonexistent/m.pt", &v, &err) == -1);
    CHECK_CONTAINS(err.msg, "cannot open '/nonexistent/m.pt'");
}

TEST(test_torch_load_rejects_truncated_file) {
    size_t len;
    uint8_t *buf = fixture("views.pt", &len);
    expect_load_error(buf, len - 30, "no end-of-central-directory record");
    for (size_t n = 0; n < len; n += 7) {
        cv_value v;
        cts_err err = {0};
        CHECK(cts_torch_load(buf, n, &v, &err) == -1);
        CHECK(err.set);
    }
    free(buf);
}

/* A torch.save-like archive with a hand-made data.pkl and records. */
static uint8_t *make_file(const char *pkl, size_t pkl_len, const char *rec, const void *data, size_t n, size_t *len) {
    cts_zip_writer w;
    cts_err err = {0};
    cts_zipw_init(&w, "archive", &err);
    cts_zipw_add(&w, "data.pkl", pkl, pkl_len, 0, &err);
    if (rec) cts_zipw_add(&w, rec, data, n, 0, &err);
    cts_zipw_add(&w, "version", "3\n", 2, 0, &err);
    cts_zipw_finish(&w, &err);
    uint8_t *p = cts_zipw_take(&w, len);
    cts_zipw_free(&w);
    return p;
}

static const char ONE_TENSOR[] =
    "\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\n"
    "X\x01\x00\x00\x00" "7X\x03\x00\x00\x00" "cpuK\x04tQK\x00K\x04\x85K\x01\x85\x89" "ccollections\nOrderedDict\n)RtR.";

TEST(test_torch_load_rejects_missing_and_short_storages) {
    size_t len;
    float f[4] = {1, 2, 3, 4};
    uint8_t *b = make_file(ONE_TENSOR, sizeof ONE_TENSOR - 1, "data/0", f, sizeof f, &len);
    expect_load_error(b, len, "data.pkl: unpickler: storage '7' at byte 86: the archive has no record 'archive/data/7'");
    free(b);
    b = make_file(ONE_TENSOR, sizeof ONE_TENSOR - 1, "data/7", f, 12, &len);
    expect_load_error(b, len, "storage '7' holds 12 bytes, but its persistent id needs 4 float32 elements (16 bytes)");
    free(b);
    b = make_file(ONE_TENSOR, sizeof ONE_TENSOR - 1, "data/7", f, sizeof f, &len);
    cv_value v;
    cts_err err = {0};
    CHECK(cts_torch_load(b, len, &v, &err) == 0);
    CHECK(v.tag == CV_TENSOR && ((float *)ct_data(v.u.t))[3] == 4.0f);
    cv_release(v);
    free(b);
    b = make_file("\x80\x02N.", 4, "byteorder", "big", 3, &len);
    expect_load_error(b, len, "big-endian torch.save files are not supported");
    free(b);
    b = make_file("\x80\x02" "cos\nsystem\n.", 14, NULL, NULL, 0, &len);
    expect_load_error(b, len, "data.pkl: unpickler: unknown global 'os system' at byte 2");
    free(b);
}

/* Random damage to real files: errors, never crashes (run under ASan). */
TEST(test_torch_load_survives_random_damage) {
    static const char *names[] = {"views.pt", "containers.pt", "state_dict.pt", "proto4.pt"};
    uint64_t seed = 7;
    for (size_t f = 0; f < 4; f++) {
        size_t len;
        uint8_t *good = fixture(names[f], &len);
        uint8_t *b = malloc(len);
        for (int iter = 0; iter < 800; iter++) {
            memcpy(b, good, len);
            int flips = 1 + (int)(lcg(&seed) % 3);
            for (int k = 0; k < flips; k++) b[lcg(&seed) % len] = (uint8_t)lcg(&seed);
            cv_value v;
            cts_err err = {0};
            if (cts_torch_load(b, len, &v, &err) == 0) cv_release(v);
            else CHECK(err.set && err.msg[0]);
        }
        free(b);
        free(good);
    }
}

int main(void) {
    RUN(test_torch_load_every_dtype);
    RUN(test_torch_load_containers);
    RUN(test_torch_load_views_share_storage);
    RUN(test_torch_load_state_dict_and_protocol_4);
    RUN(test_torch_load_rejects_other_formats);
    RUN(test_torch_load_rejects_truncated_file);
    RUN(test_torch_load_rejects_missing_and_short_storages);
    RUN(test_torch_load_survives_random_damage);
    return test_summary();
}
