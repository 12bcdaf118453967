/* test_pickle_write.c - the pickler: PyTorch's exact JIT bytes, both
 * dialects' encodings, round trips, errors.
 *
 * With an argument DIR it also writes DIR/jit_written.pt, a TorchScript
 * archive whose data.pkl comes from this pickler, for
 * tests/serialize/check_torch_save.py to load with torch.jit.load. */
#include <math.h>

#include "ser_test_util.h"
#include "serialize/pickle.h"
#include "serialize/pickle_write.h"
#include "serialize/torch_save.h"
#include "serialize/zip.h"
#include "test.h"

/* ---- helpers ---- */

static ct_tensor *arange_f32(int n) {
    cts_err err = {0};
    int64_t sz[1] = {n};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, 1, sz, &err);
    for (int i = 0; i < n; i++) ((float *)ct_data(t))[i] = (float)i;
    return t;
}

static cv_value str(const char *s) {
    cv_value v;
    cts_err err = {0};
    cv_str_from(s, &v, &err);
    return v;
}

static cv_value list_of(cts_type *elem, int n, const cv_value *items) {
    cv_value l;
    cts_err err = {0};
    cv_list_new(elem, 0, &l, &err);
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, items[i], &err);
    return l;
}

static cv_value tuple_of(int n, const cv_value *items) {
    cv_value t;
    cts_err err = {0};
    cv_tuple_new(NULL, (size_t)n, items, &t, &err);
    return t;
}

static bool same(cv_value a, cv_value b);

static bool same_tensor(const ct_tensor *a, const ct_tensor *b) {
    if (!a || !b) return a == b;
    if (a->dtype != b->dtype || a->ndim != b->ndim || a->offset != b->offset || a->requires_grad != b->requires_grad)
        return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->sizes[i] != b->sizes[i] || a->strides[i] != b->strides[i]) return false;
    size_t n = a->storage->nbytes < b->storage->nbytes ? a->storage->nbytes : b->storage->nbytes;
    return n == 0 || memcmp(a->storage->data, b->storage->data, n) == 0;
}

static bool same(cv_value a, cv_value b) {
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case CV_FLOAT: return a.u.f == b.u.f || (isnan(a.u.f) && isnan(b.u.f));
    case CV_TENSOR: return same_tensor(a.u.t, b.u.t);
    case CV_LIST:
        if (a.u.l->len != b.u.l->len || !cts_type_equal(a.u.l->elem, b.u.l->elem)) return false;
        for (size_t i = 0; i < a.u.l->len; i++)
            if (!same(a.u.l->items[i], b.u.l->items[i])) return false;
        return true;
    case CV_TUPLE:
        if (a.u.tu->len != b.u.tu->len) return false;
        for (size_t i = 0; i < a.u.tu->len; i++)
            if (!same(a.u.tu->items[i], b.u.tu->items[i])) return false;
        return true;
    case CV_DICT:
        if (a.u.d->len != b.u.d->len || !cts_type_equal(a.u.d->key_type, b.u.d->key_type) ||
            !cts_type_equal(a.u.d->val_type, b.u.d->val_type))
            return false;
        for (size_t i = 0; i < a.u.d->len; i++)
            if (!same(a.u.d->entries[i].key, b.u.d->entries[i].key) ||
                !same(a.u.d->entries[i].val, b.u.d->entries[i].val))
                return false;
        return true;
    case CV_OBJECT:
        if (strcmp(a.u.o->type->cls->qualname, b.u.o->type->cls->qualname) || a.u.o->nslots != b.u.o->nslots)
            return false;
        for (size_t i = 0; i < a.u.o->nslots; i++)
            if (!same(a.u.o->slots[i], b.u.o->slots[i])) return false;
        return true;
    default: return cv_equal(a, b);
    }
}

/* Unpickles r using its own storages as the records. */
static ct_storage *result_storage(void *ctx, const char *key, int st, int64_t numel, cts_err *err) {
    (void)st;
    (void)numel;
    const cts_pickle_result *r = ctx;
    char *end;
    unsigned long i = strtoul(key, &end, 10);
    if (*end || i >= r->nstorages) {
        cts_err_set(err, "no storage '%s'", key);
        return NULL;
    }
    ct_storage_retain(r->storages[i].storage);
    return r->storages[i].storage;
}

/* ---- classes learned from state (as in test_pickle.c) ---- */

typedef struct lctx {
    const cts_zip *z;
    cts_type *classes[8];
    int ncls;
} lctx;

static cts_type *l_resolve(void *ctx, const char *mod, const char *name, cts_err *err) {
    (void)err;
    lctx *c = ctx;
    char q[256];
    snprintf(q, sizeof q, "%s.%s", mod, name);
    for (int i = 0; i < c->ncls; i++)
        if (strcmp(c->classes[i]->cls->qualname, q) == 0) {
            cts_type_retain(c->classes[i]);
            return c->classes[i];
        }
    cts_type *t = cts_type_class(q, true);
    c->classes[c->ncls++] = t;
    cts_type_retain(t);
    return t;
}

static int l_build(void *ctx, cts_type *cls, cv_value state, cv_value *out, cts_err *err) {
    if (cls->cls->nattrs == 0 && state.tag == CV_DICT)
        for (size_t i = 0; i < state.u.d->len; i++)
            cts_class_add_attr(cls->cls, state.u.d->entries[i].key.u.s->data, T_ANY, false, false);
    return cts_unpickle_build_object(ctx, cls, state, out, err);
}

static ct_storage *l_storage(void *ctx, const char *key, int st, int64_t numel, cts_err *err) {
    (void)st;
    (void)numel;
    lctx *c = ctx;
    char rec[64];
    snprintf(rec, sizeof rec, "data/%s", key);
    long i = cts_zip_find_record(c->z, rec);
    if (i < 0) {
        cts_err_set(err, "no record '%s'", rec);
        return NULL;
    }
    return cts_zip_read_storage(c->z, (size_t)i, err);
}

/* Takes one extra reference on every tensor and object, as the Python
 * objects behind a scripted module do in PyTorch (their use_count > 1 is
 * why PyTorch memoizes them). */
static void hold_refs(cv_value v, cv_value *held, int *n) {
    if (v.tag == CV_TENSOR || v.tag == CV_OBJECT) {
        cv_retain(v);
        held[(*n)++] = v;
    }
    if (v.tag == CV_OBJECT)
        for (size_t i = 0; i < v.u.o->nslots; i++) hold_refs(v.u.o->slots[i], held, n);
    if (v.tag == CV_LIST)
        for (size_t i = 0; i < v.u.l->len; i++) hold_refs(v.u.l->items[i], held, n);
}

TEST(test_pickle_jit_reproduces_pytorch_bytes) {
    size_t len;
    uint8_t *buf = fixture("jit.pt", &len);
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    void *pkl;
    size_t n;
    CHECK(cts_zip_read(z, (size_t)cts_zip_find_record(z, "data.pkl"), &pkl, &n, &err) == 0);
    lctx c = {0};
    c.z = z;
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ctx = &c;
    cfg.load_storage = l_storage;
    cfg.resolve_class = l_resolve;
    cfg.build_object = l_build;
    cv_value m;
    CHECK(cts_unpickle(pkl, n, &cfg, &m, &err) == 0);
    cv_value held[32];
    int nh = 0;
    hold_refs(m, held, &nh);
    cts_pickle_result r;
    CHECK(cts_pickle(m, NULL, &r, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    CHECK_EQ_INT(r.len, n);
    CHECK(r.data && memcmp(r.data, pkl, n < r.len ? n : r.len) == 0);
    if (r.data && memcmp(r.data, pkl, n < r.len ? n : r.len) != 0)
        for (size_t i = 0; i < n && i < r.len; i++)
            if (r.data[i] != ((uint8_t *)pkl)[i]) {
                fprintf(stderr, "first difference at byte %zu\n", i);
                break;
            }
    /* storages in first-reference order, whole records */
    CHECK_EQ_INT(r.nstorages, 4);
    for (size_t i = 0; i < r.nstorages; i++) {
        char rec[32];
        snprintf(rec, sizeof rec, "data/%zu", i);
        const cts_zip_entry *e = cts_zip_entry_at(z, (size_t)cts_zip_find_record(z, rec));
        CHECK_EQ_INT(r.storages[i].nbytes, e->size);
    }
    CHECK_EQ_INT(r.storages[0].dtype, CT_INT32);
    cts_pickle_result_free(&r);
    for (int i = 0; i < nh; i++) cv_release(held[i]);
    cv_release(m);
    for (int i = 0; i < c.ncls; i++) cts_type_release(c.classes[i]);
    free(pkl);
    cts_zip_close(z);
    free(buf);
}

static void expect_bytes(cv_value v, cts_pickle_dialect d, const char *want, size_t wn) {
    cts_pickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.dialect = d;
    cts_pickle_result r;
    cts_err err = {0};
    CHECK(cts_pickle(v, &cfg, &r, &err) == 0);
    CHECK_EQ_INT(r.len, wn);
    CHECK(r.data && memcmp(r.data, want, r.len < wn ? r.len : wn) == 0);
    if (r.data && (r.len != wn || memcmp(r.data, want, wn))) {
        for (size_t i = 0; i < r.len; i++) fprintf(stderr, "%02x ", r.data[i]);
        fprintf(stderr, "\n");
    }
    cts_pickle_result_free(&r);
}
#define EXPECT_BYTES(v, d, lit) expect_bytes(v, d, lit, sizeof(lit) - 1)

TEST(test_pickle_int_encodings) {
    cv_value items[9] = {cv_int(0),          cv_int(255),     cv_int(256),          cv_int(65535),
                         cv_int(65536),      cv_int(-1),      cv_int(INT32_MIN),    cv_int(1ll << 31),
                         cv_int(-(1ll << 39))};
    cv_value t = tuple_of(9, items);
    /* JIT: LONG1 always 8 bytes */
    EXPECT_BYTES(t, CTS_PICKLE_JIT,
                 "\x80\x02(K\x00K\xffM\x00\x01M\xff\xffJ\x00\x00\x01\x00J\xff\xff\xff\xffJ\x00\x00\x00\x80"
                 "\x8a\x08\x00\x00\x00\x80\x00\x00\x00\x00\x8a\x08\x00\x00\x00\x00\x80\xff\xff\xfft.");
    /* Python: LONG1 as short as two's complement allows; tuples memoized */
    EXPECT_BYTES(t, CTS_PICKLE_PYTHON,
                 "\x80\x02(K\x00K\xffM\x00\x01M\xff\xffJ\x00\x00\x01\x00J\xff\xff\xff\xffJ\x00\x00\x00\x80"
                 "\x8a\x05\x00\x00\x00\x80\x00\x8a\x05\x00\x00\x00\x00\x80tq\x00.");
    cv_release(t);
    cv_value f[2] = {cv_float(2.5), cv_float(-0.0)};
    t = tuple_of(2, f);
    EXPECT_BYTES(t, CTS_PICKLE_JIT, "\x80\x02G@\x04\x00\x00\x00\x00\x00\x00G\x80\x00\x00\x00\x00\x00\x00\x00\x86.");
    cv_release(t);
}

TEST(test_pickle_jit_memoization) {
    /* strings by value; unshared containers not memoized; shared ones are */
    cv_value s2[2] = {str("ab"), str("ab")};
    cv_value t = tuple_of(2, s2);
    EXPECT_BYTES(t, CTS_PICKLE_JIT, "\x80\x02X\x02\x00\x00\x00" "abq\x00h\x00\x86.");
    cv_release(t);
    cv_value one = cv_int(1);
    cv_value inner = list_of(T_INT, 1, &one);
    cv_retain(inner);
    cv_value pair[2] = {inner, inner};
    t = tuple_of(2, pair);
    EXPECT_BYTES(t, CTS_PICKLE_JIT,
                 "\x80\x02" "ctorch.jit._pickle\nbuild_intlist\nq\x00(](K\x01" "etRq\x01h\x01\x86.");
    /* Python: every container memoized, lists before their items */
    EXPECT_BYTES(t, CTS_PICKLE_PYTHON, "\x80\x02]q\x00K\x01" "ah\x00\x86q\x01.");
    cv_release(t);
    /* generic lists and dicts carry type tags */
    cv_value strs[1] = {str("x")};
    cv_value l = list_of(T_STR, 1, strs);
    EXPECT_BYTES(l, CTS_PICKLE_JIT,
                 "\x80\x02" "ctorch.jit._pickle\nrestore_type_tag\nq\x00](X\x01\x00\x00\x00xq\x01" "e"
                 "X\x09\x00\x00\x00List[str]q\x02\x86R.");
    cv_release(l);
    cv_value d;
    cts_err err = {0};
    cv_dict_new(T_STR, T_INT, &d, &err);
    cv_dict_set(d.u.d, str("k"), cv_int(3), &err);
    EXPECT_BYTES(d, CTS_PICKLE_JIT,
                 "\x80\x02" "ctorch.jit._pickle\nrestore_type_tag\nq\x00}(X\x01\x00\x00\x00kq\x01K\x03u"
                 "X\x0e\x00\x00\x00" "Dict[str, int]q\x02\x86R.");
    EXPECT_BYTES(d, CTS_PICKLE_PYTHON, "\x80\x02}q\x00X\x01\x00\x00\x00kq\x01K\x03s.");
    cv_release(d);
    /* devices memoized by their string */
    cv_value devs[2] = {cv_device(1, 0), cv_device(1, 0)};
    t = tuple_of(2, devs);
    EXPECT_BYTES(t, CTS_PICKLE_JIT,
                 "\x80\x02" "ctorch\ndevice\nq\x00X\x06\x00\x00\x00" "cuda:0q\x01\x85Rq\x02h\x02\x86.");
    cv_release(t);
}

TEST(test_pickle_python_batches) {
    cv_value items[1001];
    for (int i = 0; i < 1001; i++) items[i] = cv_int(i % 200);
    cv_value l = list_of(T_INT, 1001, items);
    cts_pickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.dialect = CTS_PICKLE_PYTHON;
    cts_pickle_result r;
    cts_err err = {0};
    CHECK(cts_pickle(l, &cfg, &r, &err) == 0);
    /* ] q0 ( 1000 x K.. e K.. a . */
    CHECK_EQ_INT(r.len, 2 + 3 + 1 + 2000 + 1 + 2 + 1 + 1);
    CHECK_EQ_INT(r.data[5], '(');
    CHECK_EQ_INT(r.data[2006], 'e');
    CHECK_EQ_INT(r.data[2009], 'a');
    cv_value back;
    CHECK(cts_unpickle(r.data, r.len, NULL, &back, &err) == 0);
    CHECK(back.tag == CV_LIST && back.u.l->len == 1001 && back.u.l->items[1000].u.i == 0);
    cv_release(back);
    cts_pickle_result_free(&r);
    cv_release(l);
}

/* A value of every kind the pickler writes, with shared storages and views. */
static cv_value rich_value(bool objects) {
    cts_err err = {0};
    ct_tensor *a = arange_f32(6);
    int64_t sz[2] = {2, 3};
    ct_tensor *mat = ct_view(a, 2, sz, &err);
    ct_tensor *mt = ct_transpose(mat, 0, 1, &err);
    ct_tensor *sl = ct_slice(a, 0, 1, 6, 2, &err);
    int64_t bsz[1] = {3};
    ct_tensor *b = ct_tensor_empty(CT_BOOL, 1, bsz, &err);
    ((bool *)ct_data(b))[1] = true;
    ((bool *)ct_data(b))[0] = ((bool *)ct_data(b))[2] = false;
    ct_tensor *h = ct_tensor_scalar_f64(CT_FLOAT16, 0.5, &err);
    h->requires_grad = true;
    ct_tensor *e = ct_tensor_empty(CT_INT64, 1, (int64_t[]){0}, &err);
    cv_value ints[3] = {cv_int(1), cv_int(-7), cv_int(1ll << 40)};
    cv_value floats[2] = {cv_float(0.25), cv_float(NAN)};
    cv_value bools[2] = {cv_bool(true), cv_bool(false)};
    cv_value inner1[1] = {cv_int(1)}, inner2[2] = {cv_int(2), cv_int(3)};
    cv_value nested_items[2] = {list_of(T_INT, 1, inner1), list_of(T_INT, 2, inner2)};
    cts_type *li = cts_type_list(T_INT);
    cv_value nested = list_of(li, 2, nested_items);
    cts_type_release(li);
    cv_value tl_items[2] = {cv_tensor(mt), cv_tensor(sl)};
    cv_value d;
    cv_dict_new(T_STR, T_TENSOR, &d, &err);
    cv_dict_set(d.u.d, str("weight"), cv_tensor(a), &err);
    cv_dict_set(d.u.d, str("half"), cv_tensor(h), &err);
    cv_value di;
    cv_dict_new(T_INT, T_STR, &di, &err);
    cv_dict_set(di.u.d, cv_int(1), str("one"), &err);
    cv_dict_set(di.u.d, cv_int(-2), str("h\xc3\xa9"), &err);
    cv_value tup_items[4] = {cv_none(), cv_bool(true), str("s"), tuple_of(0, NULL)};
    cv_value top[10] = {
        list_of(T_INT, 3, ints), list_of(T_FLOAT, 2, floats), list_of(T_BOOL, 2, bools), nested,
        list_of(T_TENSOR, 2, tl_items), d, di, tuple_of(4, tup_items), cv_tensor(b), cv_tensor(e)};
    ct_tensor_release(mat);
    cv_value v = tuple_of(10, top);
    if (!objects) return v;
    cts_type *cls = cts_type_class("__torch__.pkg.Thing", false);
    cts_class_add_attr(cls->cls, "payload", T_ANY, false, false);
    cts_class_add_attr(cls->cls, "n", T_INT, false, false);
    cv_value o;
    cv_object_new(cls, &o, &err);
    cts_type_release(cls);
    o.u.o->slots[0] = v;
    o.u.o->slots[1] = cv_int(5);
    return o;
}

static cts_type *thing_class(void *ctx, const char *mod, const char *name, cts_err *err) {
    (void)ctx;
    char q[128];
    snprintf(q, sizeof q, "%s.%s", mod, name);
    if (strcmp(q, "__torch__.pkg.Thing")) {
        cts_err_set(err, "unexpected class %s", q);
        return NULL;
    }
    cts_type *t = cts_type_class(q, false);
    cts_class_add_attr(t->cls, "payload", T_ANY, false, false);
    cts_class_add_attr(t->cls, "n", T_INT, false, false);
    return t;
}

static void round_trip(cts_pickle_dialect dialect) {
    bool py = dialect == CTS_PICKLE_PYTHON;
    cv_value v = rich_value(!py);
    cts_pickler_cfg pc;
    memset(&pc, 0, sizeof pc);
    pc.dialect = dialect;
    cts_pickle_result r;
    cts_err err = {0};
    CHECK(cts_pickle(v, &pc, &r, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    CHECK_EQ_INT(r.nstorages, 4); /* a (shared by 4 tensors), h, b, e */
    cts_unpickler_cfg uc;
    memset(&uc, 0, sizeof uc);
    uc.ctx = &r;
    uc.load_storage = result_storage;
    uc.resolve_class = thing_class;
    cv_value back;
    CHECK(cts_unpickle(r.data, r.len, &uc, &back, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    if (py) {
        /* untagged: element types become Any; compare structure only */
        CHECK(back.tag == CV_TUPLE && back.u.tu->len == 10);
        if (back.tag == CV_TUPLE && back.u.tu->len == 10) {
            CHECK(back.u.tu->items[0].u.l->elem->kind == TY_ANY);
            CHECK(cv_equal(back.u.tu->items[0], v.u.tu->items[0]));
            CHECK(cv_equal(back.u.tu->items[6], v.u.tu->items[6]));
            CHECK(same(back.u.tu->items[7], v.u.tu->items[7]));
            CHECK(same(back.u.tu->items[8], v.u.tu->items[8]));
            cv_dict *d = back.u.tu->items[5].u.d;
            CHECK(same(d->entries[0].val, v.u.tu->items[5].u.d->entries[0].val));
            CHECK(same(d->entries[1].val, v.u.tu->items[5].u.d->entries[1].val));
            cv_list *tl = back.u.tu->items[4].u.l;
            CHECK(same(tl->items[0], v.u.tu->items[4].u.l->items[0]));
            CHECK(tl->items[0].u.t->storage == d->entries[0].val.u.t->storage);
        }
    } else {
        CHECK(same(back, v));
        cv_value p = back.u.o->slots[0];
        CHECK(p.u.tu->items[4].u.l->items[1].u.t->storage == p.u.tu->items[5].u.d->entries[0].val.u.t->storage);
    }
    cv_release(back);
    cts_pickle_result_free(&r);
    cv_release(v);
}

TEST(test_pickle_round_trip_jit) { round_trip(CTS_PICKLE_JIT); }
TEST(test_pickle_round_trip_python) { round_trip(CTS_PICKLE_PYTHON); }

static int getstate_hook(void *ctx, cv_value obj, cv_value *state, cts_err *err) {
    (void)ctx;
    (void)err;
    *state = obj.u.o->slots[1];
    return 1;
}

TEST(test_pickle_getstate_hook) {
    cts_err err = {0};
    cts_type *cls = cts_type_class("__torch__.S", false);
    cts_class_add_attr(cls->cls, "a", T_INT, false, false);
    cts_class_add_attr(cls->cls, "b", T_INT, false, false);
    cv_value o;
    cv_object_new(cls, &o, &err);
    o.u.o->slots[1] = cv_int(9);
    cts_pickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.getstate = getstate_hook;
    cts_pickle_result r;
    CHECK(cts_pickle(o, &cfg, &r, &err) == 0);
    static const char want[] = "\x80\x02" "c__torch__\nS\nq\x00)\x81K\x09" "b.";
    CHECK(r.len == sizeof want - 1 && memcmp(r.data, want, r.len) == 0);
    cts_pickle_result_free(&r);
    cv_release(o);
    cts_type_release(cls);
}

TEST(test_pickle_errors) {
    cts_err err = {0};
    cts_pickle_result r;
    cts_pickler_cfg py;
    memset(&py, 0, sizeof py);
    py.dialect = CTS_PICKLE_PYTHON;
    CHECK(cts_pickle(cv_tensor(NULL), NULL, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "cannot pickle an undefined tensor");
    CHECK(cts_pickle(cv_func(NULL), NULL, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "cannot pickle a Function");
    cv_value bad = str("\xff\xfe");
    CHECK(cts_pickle(bad, &py, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "not valid UTF-8");
    CHECK(cts_pickle(bad, NULL, &r, &err) == 0); /* the JIT writes bytes as they are */
    cts_pickle_result_free(&r);
    cv_release(bad);
    cv_value o = rich_value(true);
    CHECK(cts_pickle(o, &py, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "torch.save cannot write an object of class '__torch__.pkg.Thing'");
    cv_release(o);
    /* a list holding itself */
    cv_value l;
    cv_list_new(T_ANY, 0, &l, &err);
    cv_retain(l);
    cv_list_push(l.u.l, l, &err);
    CHECK(cts_pickle(l, NULL, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "nested deeper than 1000 levels");
    l.u.l->len = 0; /* break the cycle */
    cv_release(l);
    cv_release(l);
    /* one storage, two dtypes */
    ct_tensor *a = arange_f32(4);
    ct_tensor *b = ct_alias(a, &err);
    b->dtype = CT_INT32;
    cv_value two[2] = {cv_tensor(a), cv_tensor(b)};
    cv_value t = tuple_of(2, two);
    CHECK(cts_pickle(t, NULL, &r, &err) == -1);
    CHECK_CONTAINS(err.msg, "tensors of dtypes float32 and int32 share one storage");
    cv_release(t);
}

/* ---- a TorchScript archive for torch.jit.load (see check_torch_save.py) ---- */

static const char JIT_CODE[] =
    "class Sub(Module):\n"
    "  __parameters__ = []\n"
    "  __buffers__ = []\n"
    "  training : bool\n"
    "  k : int\n"
    "class M(Module):\n"
    "  __parameters__ = [\"w\", ]\n"
    "  __buffers__ = []\n"
    "  training : bool\n"
    "  w : Tensor\n"
    "  v : Tensor\n"
    "  names : List[str]\n"
    "  table : Dict[str, int]\n"
    "  ints : List[int]\n"
    "  floats : List[float]\n"
    "  flags : List[bool]\n"
    "  ts : List[Tensor]\n"
    "  nested : List[List[int]]\n"
    "  tup : Tuple[int, str, float]\n"
    "  opt : Optional[int]\n"
    "  sub : __torch__.Sub\n"
    "  def forward(self: __torch__.M,\n"
    "    x: Tensor) -> Tensor:\n"
    "    return torch.add(x, self.w)\n";

static int write_jit_archive(const char *dir, cts_err *err) {
    cts_type *sub_t = cts_type_class("__torch__.Sub", true);
    cts_class_add_attr(sub_t->cls, "training", T_BOOL, false, false);
    cts_class_add_attr(sub_t->cls, "k", T_INT, false, false);
    cts_type *m_t = cts_type_class("__torch__.M", true);
    static const char *names[] = {"training", "w", "v", "names", "table", "ints", "floats",
                                  "flags", "ts", "nested", "tup", "opt", "sub"};
    for (int i = 0; i < 13; i++) cts_class_add_attr(m_t->cls, names[i], T_ANY, i == 1, false);
    cv_value sub, m;
    cv_object_new(sub_t, &sub, err);
    sub.u.o->slots[0] = cv_bool(false);
    sub.u.o->slots[1] = cv_int(42);
    cv_object_new(m_t, &m, err);
    ct_tensor *w = arange_f32(6);
    int64_t sz[2] = {2, 3};
    ct_tensor *wv = ct_view(w, 2, sz, err);
    ct_tensor_release(w);
    wv->requires_grad = true;
    ct_tensor *v = ct_transpose(wv, 0, 1, err);
    v->requires_grad = false;
    cv_value *s = m.u.o->slots;
    s[0] = cv_bool(true);
    s[1] = cv_tensor(wv);
    s[2] = cv_tensor(v);
    cv_value nm[2] = {str("a"), str("b")};
    s[3] = list_of(T_STR, 2, nm);
    cv_dict_new(T_STR, T_INT, &s[4], err);
    cv_dict_set(s[4].u.d, str("x"), cv_int(1), err);
    cv_dict_set(s[4].u.d, str("y"), cv_int(2), err);
    cv_value ints[5] = {cv_int(1), cv_int(2), cv_int(300), cv_int(-5), cv_int(1ll << 40)};
    s[5] = list_of(T_INT, 5, ints);
    cv_value fl[2] = {cv_float(0.5), cv_float(-1.5)};
    s[6] = list_of(T_FLOAT, 2, fl);
    cv_value bl[2] = {cv_bool(true), cv_bool(false)};
    s[7] = list_of(T_BOOL, 2, bl);
    ct_tensor *one = ct_tensor_scalar_f64(CT_FLOAT64, 1.25, err);
    int64_t isz[1] = {3};
    ct_tensor *it = ct_tensor_empty(CT_INT16, 1, isz, err);
    for (int i = 0; i < 3; i++) ((int16_t *)ct_data(it))[i] = (int16_t)(i - 1);
    cv_value ts[2] = {cv_tensor(one), cv_tensor(it)};
    s[8] = list_of(T_TENSOR, 2, ts);
    cv_value i1[1] = {cv_int(1)}, i2[2] = {cv_int(2), cv_int(3)};
    cv_value nest[2] = {list_of(T_INT, 1, i1), list_of(T_INT, 2, i2)};
    cts_type *li = cts_type_list(T_INT);
    s[9] = list_of(li, 2, nest);
    cts_type_release(li);
    cv_value tu[3] = {cv_int(1), str("a"), cv_float(2.5)};
    s[10] = tuple_of(3, tu);
    s[11] = cv_none();
    s[12] = sub;

    cts_pickle_result r;
    int rc = cts_pickle(m, NULL, &r, err);
    cts_zip_writer zw;
    if (!rc) rc = cts_zipw_init(&zw, "jit_written", err);
    for (size_t i = 0; !rc && i < r.nstorages; i++) {
        char rec[32];
        snprintf(rec, sizeof rec, "data/%zu", i);
        rc = cts_zipw_add(&zw, rec, r.storages[i].storage->data, r.storages[i].nbytes, 0, err);
    }
    if (!rc) rc = cts_zipw_add(&zw, "data.pkl", r.data, r.len, 0, err);
    if (!rc) rc = cts_zipw_add(&zw, "code/__torch__.py", JIT_CODE, strlen(JIT_CODE), 9, err);
    if (!rc) rc = cts_zipw_add(&zw, "constants.pkl", "\x80\x02).", 4, 0, err);
    if (!rc) rc = cts_zipw_add(&zw, "version", "3\n", 2, 0, err);
    if (!rc) rc = cts_zipw_finish(&zw, err);
    char path[512];
    snprintf(path, sizeof path, "%s/jit_written.pt", dir);
    if (!rc) rc = cts_zipw_write_file(&zw, path, err);
    cts_zipw_free(&zw);
    cts_pickle_result_free(&r);
    cv_release(m);
    cts_type_release(m_t);
    cts_type_release(sub_t);
    return rc;
}

int main(int argc, char **argv) {
    RUN(test_pickle_jit_reproduces_pytorch_bytes);
    RUN(test_pickle_int_encodings);
    RUN(test_pickle_jit_memoization);
    RUN(test_pickle_python_batches);
    RUN(test_pickle_round_trip_jit);
    RUN(test_pickle_round_trip_python);
    RUN(test_pickle_getstate_hook);
    RUN(test_pickle_errors);
    if (argc > 1) {
        cts_err err = {0};
        if (write_jit_archive(argv[1], &err)) {
            fprintf(stderr, "writing jit_written.pt: %s\n", err.msg);
            return 1;
        }
    }
    return test_summary();
}
