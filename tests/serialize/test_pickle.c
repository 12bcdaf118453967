/* test_pickle.c - the unpickler: PyTorch's JIT pickles, Python's opcodes,
 * type tags, tensors, objects, and hostile input. */
#include "compiler/enum.h"
#include "pk_builder.h"
#include "ser_test_util.h"
#include "serialize/pickle.h"
#include "serialize/torch_save.h"
#include "serialize/zip.h"
#include "test.h"

/* ---- test hooks: classes learned from their pickled state ---- */

typedef struct tctx {
    const cts_zip *z;
    cts_type *classes[16];
    int ncls;
    int storage_calls;
    ct_storage *mem; /* storage "0" for hand-made pickles */
} tctx;

static cts_type *t_resolve(void *ctx, const char *mod, const char *name, cts_err *err) {
    tctx *c = ctx;
    char q[256];
    snprintf(q, sizeof q, "%s.%s", mod, name);
    for (int i = 0; i < c->ncls; i++)
        if (strcmp(c->classes[i]->cls->qualname, q) == 0) {
            cts_type_retain(c->classes[i]);
            return c->classes[i];
        }
    if (strstr(name, "Missing")) {
        cts_err_set(err, "no code for '%s'", q);
        return NULL;
    }
    if (c->ncls == 16) return NULL;
    cts_type *t = cts_type_class(q, true);
    c->classes[c->ncls++] = t;
    cts_type_retain(t);
    return t;
}

/* Declares the attributes of a fresh class from the state's keys, in order. */
static int t_build(void *ctx, cts_type *cls, cv_value state, cv_value *out, cts_err *err) {
    if (cls->cls->nattrs == 0 && state.tag == CV_DICT)
        for (size_t i = 0; i < state.u.d->len; i++)
            cts_class_add_attr(cls->cls, state.u.d->entries[i].key.u.s->data, T_ANY, false, false);
    return cts_unpickle_build_object(ctx, cls, state, out, err);
}

static ct_storage *t_storage(void *ctx, const char *key, int st, int64_t numel, cts_err *err) {
    (void)st;
    (void)numel;
    tctx *c = ctx;
    c->storage_calls++;
    if (c->mem) {
        if (strcmp(key, "0") != 0) {
            cts_err_set(err, "no storage named '%s'", key);
            return NULL;
        }
        ct_storage_retain(c->mem);
        return c->mem;
    }
    char rec[64];
    snprintf(rec, sizeof rec, "data/%s", key);
    long i = cts_zip_find_record(c->z, rec);
    if (i < 0) {
        cts_err_set(err, "no record '%s'", rec);
        return NULL;
    }
    return cts_zip_read_storage(c->z, (size_t)i, err);
}

static void tctx_free(tctx *c) {
    for (int i = 0; i < c->ncls; i++) cts_type_release(c->classes[i]);
    ct_storage_release(c->mem);
}

static cts_unpickler_cfg cfg_of(tctx *c) {
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ctx = c;
    cfg.load_storage = t_storage;
    cfg.resolve_class = t_resolve;
    cfg.build_object = t_build;
    return cfg;
}

static cv_value *attr(cv_value obj, const char *name) {
    int i = cts_class_find_attr(obj.u.o->type->cls, name);
    return i < 0 ? NULL : &obj.u.o->slots[i];
}

static const char *annot(cts_type *t, char *buf, size_t n) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_type_str_annot(t, &sb);
    snprintf(buf, n, "%s", cts_sb_str(&sb));
    cts_sb_free(&sb);
    return buf;
}

TEST(test_unpickle_jit_module_archive) {
    size_t len;
    uint8_t *buf = fixture("jit.pt", &len);
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    long i = cts_zip_find_record(z, "data.pkl");
    void *pkl = NULL;
    size_t n = 0;
    CHECK(i >= 0 && cts_zip_read(z, (size_t)i, &pkl, &n, &err) == 0);
    tctx c = {0};
    c.z = z;
    cts_unpickler_cfg cfg = cfg_of(&c);
    cv_value m;
    CHECK(cts_unpickle(pkl, n, &cfg, &m, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    char tb[128];
    CHECK_EQ_INT(m.tag, CV_OBJECT);
    if (m.tag == CV_OBJECT) {
        CHECK_STR(m.u.o->type->cls->qualname, "__torch__.M");
        cv_value *buf_t = attr(m, "buf");
        CHECK(buf_t && buf_t->tag == CV_TENSOR);
        ct_tensor *t = buf_t->u.t;
        CHECK_EQ_INT(t->dtype, CT_INT32);
        CHECK_EQ_INT(t->ndim, 2);
        CHECK_EQ_INT(t->sizes[1], 3);
        CHECK_EQ_INT(t->strides[0], 3);
        CHECK_EQ_INT(((int32_t *)ct_data(t))[5], 5);
        CHECK(!t->requires_grad);
        CHECK(attr(m, "training")->tag == CV_BOOL && attr(m, "training")->u.b);
        CHECK(attr(m, "_is_full_backward_hook")->tag == CV_NONE);
        cv_value *names = attr(m, "names");
        CHECK(names->tag == CV_LIST && names->u.l->len == 2);
        CHECK_STR(annot(names->u.l->elem, tb, sizeof tb), "str");
        CHECK_STR(names->u.l->items[1].u.s->data, "b");
        cv_value *table = attr(m, "table");
        CHECK(table->tag == CV_DICT && table->u.d->len == 2);
        CHECK_EQ_INT(table->u.d->key_type->kind, TY_STR);
        CHECK_EQ_INT(table->u.d->val_type->kind, TY_INT);
        CHECK_EQ_INT(table->u.d->entries[1].val.u.i, 2);
        cv_value *ints = attr(m, "ints");
        CHECK(ints->u.l->elem->kind == TY_INT && ints->u.l->items[2].u.i == 300);
        CHECK(attr(m, "floats")->u.l->elem->kind == TY_FLOAT && attr(m, "floats")->u.l->items[1].u.f == 1.5);
        CHECK(attr(m, "flags")->u.l->elem->kind == TY_BOOL && !attr(m, "flags")->u.l->items[1].u.b);
        cv_value *ts = attr(m, "ts");
        CHECK(ts->u.l->elem->kind == TY_TENSOR && ts->u.l->len == 2);
        CHECK_EQ_INT(((float *)ct_data(ts->u.l->items[0].u.t))[1], 1);
        cv_value *nested = attr(m, "nested");
        CHECK_STR(annot(nested->u.l->elem, tb, sizeof tb), "List[int]");
        CHECK(nested->u.l->items[1].u.l->elem->kind == TY_INT && nested->u.l->items[1].u.l->items[1].u.i == 3);
        cv_value *tup = attr(m, "tup");
        CHECK(tup->tag == CV_TUPLE && tup->u.tu->len == 3 && tup->u.tu->items[2].u.f == 2.5);
        CHECK_STR(tup->u.tu->items[1].u.s->data, "a");
        CHECK(attr(m, "scale")->u.f == 2.5);
        CHECK(attr(m, "opt")->tag == CV_NONE);
        cv_value *sub = attr(m, "sub");
        CHECK(sub->tag == CV_OBJECT);
        CHECK_STR(sub->u.o->type->cls->qualname, "__torch__.Sub");
        ct_tensor *w = attr(*sub, "w")->u.t;
        CHECK(w->requires_grad && w->dtype == CT_FLOAT32 && ((float *)ct_data(w))[3] == 3);
        CHECK_EQ_INT(c.storage_calls, 4);
    }
    cv_release(m);
    tctx_free(&c);
    free(pkl);
    cts_zip_close(z);
    free(buf);
}

/* ---- hand-made pickles ---- */

static int up(const void *b, size_t n, cv_value *out, cts_err *err) {
    cts_err_clear(err);
    return cts_unpickle(b, n, NULL, out, err);
}
#define UP(lit, out, err) up(lit, sizeof(lit) - 1, out, err)

static void expect_err(const void *b, size_t n, const cts_unpickler_cfg *cfg, const char *needle) {
    cv_value v;
    cts_err err = {0};
    CHECK(cts_unpickle(b, n, cfg, &v, &err) == -1);
    CHECK_CONTAINS(err.msg, needle);
}
#define EXPECT_ERR(lit, needle) expect_err(lit, sizeof(lit) - 1, NULL, needle)

TEST(test_unpickle_scalars_and_python_opcodes) {
    cv_value v;
    cts_err err = {0};
    /* BININT1/2/4, LONG1 of several lengths, BINFLOAT, bools, None */
    static const char p1[] = "\x80\x02(K\xffM\x00\x01J\xfb\xff\xff\xff\x8a\x01\xff\x8a\x02\xff\x00\x8a\x00"
                             "\x8a\x05\x00\x00\x00\x00\x80\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80"
                             "G\x40\x04\x00\x00\x00\x00\x00\x00\x88\x89Nt.";
    CHECK(UP(p1, &v, &err) == 0);
    CHECK(v.tag == CV_TUPLE && v.u.tu->len == 12);
    if (v.tag == CV_TUPLE && v.u.tu->len == 12) {
        cv_value *it = v.u.tu->items;
        CHECK_EQ_INT(it[0].u.i, 255);
        CHECK_EQ_INT(it[1].u.i, 256);
        CHECK_EQ_INT(it[2].u.i, -5);
        CHECK_EQ_INT(it[3].u.i, -1);
        CHECK_EQ_INT(it[4].u.i, 255);
        CHECK_EQ_INT(it[5].u.i, 0);
        CHECK_EQ_INT(it[6].u.i, -(1ll << 39));
        CHECK(it[7].u.i == INT64_MIN);
        CHECK(it[8].tag == CV_FLOAT && it[8].u.f == 2.5);
        CHECK(it[9].u.b && !it[10].u.b && it[11].tag == CV_NONE);
    }
    cv_release(v);
    /* protocol 4: FRAME, SHORT_BINUNICODE, BINUNICODE8, MEMOIZE */
    static const char p2[] = "\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x02hi\x94\x8d\x01\x00\x00\x00"
                             "\x00\x00\x00\x00!h\x00\x87.";
    CHECK(UP(p2, &v, &err) == 0);
    CHECK(v.tag == CV_TUPLE && v.u.tu->len == 3);
    if (v.tag == CV_TUPLE && v.u.tu->len == 3) {
        CHECK_STR(v.u.tu->items[0].u.s->data, "hi");
        CHECK_STR(v.u.tu->items[1].u.s->data, "!");
        CHECK(v.u.tu->items[2].u.s == v.u.tu->items[0].u.s);
    }
    cv_release(v);
    /* POP, DUP, POP_MARK */
    CHECK(UP("\x80\x02K\x01K\x02" "0\x32(K\x05\x31\x86.", &v, &err) == 0);
    CHECK(v.tag == CV_TUPLE && v.u.tu->len == 2 && v.u.tu->items[1].u.i == 1);
    cv_release(v);
    /* LIST, DICT, APPEND, SETITEM, sparse memo ids */
    CHECK(UP("\x80\x02((K\x01K\x02l]K\x03" "a(X\x01\x00\x00\x00" "aK\x01" "d}K\x07K\x08sr\xff\xff\xff\xffj\xff\xff\xff\xff"
             "t.",
             &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    CHECK(v.tag == CV_TUPLE && v.u.tu->len == 5);
    if (v.tag == CV_TUPLE && v.u.tu->len == 5) {
        cv_value *it = v.u.tu->items;
        CHECK(it[0].tag == CV_LIST && it[0].u.l->len == 2 && it[0].u.l->elem->kind == TY_ANY);
        CHECK(it[1].tag == CV_LIST && it[1].u.l->items[0].u.i == 3);
        CHECK(it[2].tag == CV_DICT && cv_dict_get(it[2].u.d, it[2].u.d->entries[0].key)->u.i == 1);
        CHECK(it[3].tag == CV_DICT && it[3].u.d->entries[0].val.u.i == 8 && it[3].u.d->key_type->kind == TY_ANY);
        CHECK(it[4].u.d == it[3].u.d);
    }
    cv_release(v);
    /* torch globals that stand for integers; device; Size */
    CHECK(UP("\x80\x02(ctorch\nfloat16\nctorch\nBFloat16Storage\nctorch\nchannels_last\n"
             "ctorch\ndevice\nX\x06\x00\x00\x00" "cuda:1\x85R"
             "ctorch\ndevice\nX\x04\x00\x00\x00" "cudaK\x02\x86R"
             "ctorch\nSize\nK\x02K\x03\x86\x85Rt.",
             &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    if (v.tag == CV_TUPLE && v.u.tu->len == 6) {
        cv_value *it = v.u.tu->items;
        CHECK(it[0].u.i == 5 && it[1].u.i == 15 && it[2].u.i == 2);
        CHECK(it[3].tag == CV_DEVICE && it[3].u.dev.type == 1 && it[3].u.dev.index == 1);
        CHECK(it[4].tag == CV_DEVICE && it[4].u.dev.index == 2);
        CHECK(it[5].tag == CV_TUPLE && it[5].u.tu->items[1].u.i == 3);
    } else {
        CHECK(0);
    }
    cv_release(v);
}

TEST(test_unpickle_type_tags) {
    cv_value v;
    cts_err err = {0};
    char tb[128];
    pkb p = {0};
    pk_proto(&p);
    pk_op(&p, '(');
    pk_global(&p, "torch.jit._pickle", "build_intlist");
    pk_raw(&p, "(](K\x01K\x02" "etR", 10);
    pk_global(&p, "torch.jit._pickle", "restore_type_tag");
    pk_raw(&p, "}(X\x01\x00\x00\x00k]u", 10);
    pk_str(&p, "Dict[str, List[int]]");
    pk_raw(&p, "\x86R", 2);
    pk_global(&p, "torch.jit._pickle", "restore_type_tag");
    pk_raw(&p, "](Ne", 4);
    pk_str(&p, "List[Optional[Tuple[int, str]]]");
    pk_raw(&p, "\x86R", 2);
    pk_raw(&p, "t.", 2);
    CHECK(up(p.b, p.n, &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    if (v.tag == CV_TUPLE && v.u.tu->len == 3) {
        cv_value *it = v.u.tu->items;
        CHECK(it[0].u.l->elem->kind == TY_INT);
        CHECK_STR(annot(it[1].u.d->val_type, tb, sizeof tb), "List[int]");
        CHECK_EQ_INT(it[1].u.d->key_type->kind, TY_STR);
        CHECK_STR(annot(it[2].u.l->elem, tb, sizeof tb), "Optional[Tuple[int, str]]");
    } else {
        CHECK(0);
    }
    cv_release(v);

    p.n = 0;
    pk_proto(&p);
    pk_global(&p, "torch.jit._pickle", "build_intlist");
    pk_raw(&p, "(](K\x01", 5);
    pk_str(&p, "a");
    pk_raw(&p, "etR.", 4);
    expect_err(p.b, p.n, NULL, "build_intlist: element 1 is a str");

    p.n = 0;
    pk_proto(&p);
    pk_global(&p, "torch.jit._pickle", "restore_type_tag");
    pk_raw(&p, "](e", 3);
    pk_str(&p, "List[Foo]");
    pk_raw(&p, "\x86R.", 3);
    expect_err(p.b, p.n, NULL, "type annotation 'List[Foo]': unknown type name 'Foo'");

    p.n = 0;
    pk_proto(&p);
    pk_global(&p, "torch.jit._pickle", "restore_type_tag");
    pk_raw(&p, "](e", 3);
    pk_str(&p, "Dict[str, int]");
    pk_raw(&p, "\x86R.", 3);
    expect_err(p.b, p.n, NULL, "restore_type_tag: a list cannot have type 'Dict[str, int]'");
}

TEST(test_parse_annotation) {
    static const char *ok[] = {"int", "List[int]", "Dict[str, Tensor]", "Optional[List[Tuple[int, str]]]",
                               "Tuple[()]", "Union[int, str]", "List[List[float]]", "Any", "Device",
                               "Future[bool]"};
    char tb[128];
    cts_err err = {0};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        cts_type *t = cts_parse_annotation(ok[i], NULL, NULL, &err);
        CHECK(t != NULL);
        if (t) CHECK_STR(annot(t, tb, sizeof tb), ok[i]);
        cts_type_release(t);
    }
    cts_type *t = cts_parse_annotation(" List[ NoneType ] ", NULL, NULL, &err);
    CHECK(t && t->kind == TY_LIST && t->elems[0]->kind == TY_NONE);
    cts_type_release(t);
    tctx c = {0};
    t = cts_parse_annotation("Dict[str, __torch__.a.Foo]", t_resolve, &c, &err);
    CHECK(t && t->elems[1]->kind == TY_CLASS);
    if (t) CHECK_STR(t->elems[1]->cls->qualname, "__torch__.a.Foo");
    cts_type_release(t);
    CHECK(cts_parse_annotation("List[__torch__.Missing]", t_resolve, &c, &err) == NULL);
    CHECK_CONTAINS(err.msg, "type annotation 'List[__torch__.Missing]': no code for '__torch__.Missing'");
    tctx_free(&c);
    static const struct {
        const char *s, *msg;
    } bad[] = {
        {"List[int", "expected ']'"},          {"Foo", "unknown type name 'Foo'"},
        {"Dict[int]", "Dict needs two"},       {"List[int, str]", "too many type arguments"},
        {"int]", "unexpected text"},           {"", "expected a type name"},
        {"Set[int]", "unknown generic type 'Set'"}, {"__torch__.X", "no class resolver"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cts_err_clear(&err);
        CHECK(cts_parse_annotation(bad[i].s, NULL, NULL, &err) == NULL);
        CHECK_CONTAINS(err.msg, bad[i].msg);
    }
    char deep[400];
    size_t k = 0;
    for (int i = 0; i < 70; i++) k += (size_t)snprintf(deep + k, sizeof deep - k, "List[");
    CHECK(cts_parse_annotation(deep, NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.msg, "nested too deeply");
}

/* ---- tensors ---- */

static tctx mem_ctx(void) {
    tctx c = {0};
    cts_err err = {0};
    c.mem = ct_storage_new(16, true, &err);
    float *f = c.mem->data;
    for (int i = 0; i < 4; i++) f[i] = (float)(i + 1);
    return c;
}

TEST(test_unpickle_tensors_share_storage_and_map_cuda_to_cpu) {
    tctx c = mem_ctx();
    cts_unpickler_cfg cfg = cfg_of(&c);
    pkb p = {0};
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "0", "cuda:0", 4, 1, 2, 2); /* [2, 4] */
    pk_tensor(&p, "FloatStorage", "0", "cpu", 4, 0, 4, 1);
    pk_op(&p, 0x86);
    pk_op(&p, '.');
    cv_value v;
    cts_err err = {0};
    CHECK(cts_unpickle(p.b, p.n, &cfg, &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    if (v.tag == CV_TUPLE) {
        ct_tensor *a = v.u.tu->items[0].u.t, *b = v.u.tu->items[1].u.t;
        CHECK(a->storage == b->storage && a->storage == c.mem);
        CHECK_EQ_INT(a->offset, 1);
        CHECK_EQ_INT(a->strides[0], 2);
        CHECK_EQ_INT(((float *)ct_data(a))[2], 4);
        CHECK_EQ_INT(c.storage_calls, 1);
    }
    cv_release(v);
    tctx_free(&c);
}

TEST(test_unpickle_rejects_bad_tensors) {
    tctx c = mem_ctx();
    cts_unpickler_cfg cfg = cfg_of(&c);
    pkb p = {0};
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "7", "cpu", 4, 0, 4, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "unpickler: storage '7' at byte 89: no storage named '7'");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "0", "cpu", 5, 0, 4, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "storage '0' holds 16 bytes, but its persistent id needs 5 float32 elements (20 bytes)");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "0", "cpu", 4, 3, 2, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "tensor over storage '0' at byte");
    expect_err(p.b, p.n, &cfg, "lies outside its storage");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "0", "xla:0", 4, 0, 4, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "storage '0' is on device 'xla:0'");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "ComplexDoubleStorage", "0", "cpu", 2, 0, 2, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "storage '0' has dtype complex128, which cts does not support");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "UInt16Storage", "0", "cpu", 2, 0, 2, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "unsupported storage type 'torch UInt16Storage'");

    p.n = 0;
    pk_proto(&p);
    pk_tensor(&p, "FloatStorage", "0", "cpu", 4, 0, 4, 1);
    pk_op(&p, '.');
    expect_err(p.b, p.n, NULL, "pickle refers to storage '0' but no storage loader was given");

    /* persistent ids of another shape */
    p.n = 0;
    pk_proto(&p);
    pk_str(&p, "module");
    pk_op(&p, 0x85);
    pk_op(&p, 'Q');
    pk_op(&p, '.');
    expect_err(p.b, p.n, &cfg, "persistent id must be a 5-tuple");

    /* quantized and sparse tensors */
    EXPECT_ERR("\x80\x02" "ctorch._utils\n_rebuild_qtensor\n.", "quantized tensors are not supported");
    EXPECT_ERR("\x80\x02" "ctorch._utils\n_rebuild_sparse_tensor\n.", "sparse tensors are not supported");
    tctx_free(&c);
}

/* ---- objects ---- */

static cts_type *fixed_class(void *ctx, const char *mod, const char *name, cts_err *err) {
    (void)ctx;
    (void)err;
    char q[128];
    snprintf(q, sizeof q, "%s.%s", mod, name);
    cts_type *t = cts_type_class(q, false);
    cts_class_add_attr(t->cls, "a", T_INT, false, false);
    cts_class_add_attr(t->cls, "b", T_STR, false, false);
    return t;
}

TEST(test_unpickle_objects) {
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.resolve_class = fixed_class;
    cv_value v;
    cts_err err = {0};
    static const char ok[] = "\x80\x02" "c__torch__.x\nM\nq\x00)\x81}(X\x01\x00\x00\x00" "bX\x01\x00\x00\x00y"
                             "X\x01\x00\x00\x00" "aK\x01X\x01\x00\x00\x00" "cNub.";
    CHECK(cts_unpickle(ok, sizeof ok - 1, &cfg, &v, &err) == 0);
    if (err.set) fprintf(stderr, "%s\n", err.msg);
    CHECK(v.tag == CV_OBJECT && v.u.o->nslots == 2);
    if (v.tag == CV_OBJECT) {
        CHECK_STR(v.u.o->type->cls->qualname, "__torch__.x.M");
        CHECK_EQ_INT(v.u.o->slots[0].u.i, 1);
        CHECK_STR(v.u.o->slots[1].u.s->data, "y");
    }
    cv_release(v);
    static const char missing[] = "\x80\x02" "c__torch__\nM\n)\x81}(X\x01\x00\x00\x00" "aK\x01ub.";
    expect_err(missing, sizeof missing - 1, &cfg,
               "object of class '__torch__.M' at byte 28: object of class '__torch__.M' has no value for attribute 'b'");
    static const char notdict[] = "\x80\x02" "c__torch__\nM\n)\x81]b.";
    expect_err(notdict, sizeof notdict - 1, &cfg, "state is a List, expected a dict of attributes");
    static const char enum_[] = "\x80\x02" "c__torch__\nE\nK\x01R.";
    expect_err(enum_, sizeof enum_ - 1, &cfg, "REDUCE of class '__torch__.E' (an enum?) is not supported");
    EXPECT_ERR("\x80\x02" "c__torch__\nFoo\n)\x81}b.", "class '__torch__.Foo' found but no class resolver was given");
    /* class resolution failing in the hook */
    tctx c = {0};
    cts_unpickler_cfg cfg2 = cfg_of(&c);
    static const char miss[] = "\x80\x02" "c__torch__.m\nMissing\n)\x81}b.";
    expect_err(miss, sizeof miss - 1, &cfg2, "unpickler: class '__torch__.m.Missing' at byte 2: no code for");
    tctx_free(&c);
    /* BUILD on a dict (OrderedDict attributes) keeps the dict */
    CHECK(cts_unpickle("\x80\x02" "ccollections\nOrderedDict\n)R}b.", 33, NULL, &v, &err) == 0);
    CHECK(v.tag == CV_DICT);
    cv_release(v);
}

TEST(test_unpickle_builds_complex_scalars) {
    cv_value v;
    cts_err err = {0};
    /* complex(1.5, -2.0) as both picklers write it: GLOBAL, two floats, TUPLE2, REDUCE */
    static const char ok[] = "\x80\x02" "cbuiltins\ncomplex\n"
                             "G\x3f\xf8\x00\x00\x00\x00\x00\x00" "G\xc0\x00\x00\x00\x00\x00\x00\x00" "\x86R.";
    CHECK(cts_unpickle(ok, sizeof ok - 1, NULL, &v, &err) == 0);
    CHECK(v.tag == CV_COMPLEX && v.u.c->re == 1.5 && v.u.c->im == -2.0);
    cv_release(v);
    EXPECT_ERR("\x80\x02" "cbuiltins\ncomplex\nK\x01\x85R.", "complex expects 2 arguments, got 1");
    EXPECT_ERR("\x80\x02" "cbuiltins\ncomplex\nK\x01X\x01\x00\x00\x00" "a\x86R.", "complex: argument 2 must be a float");
}

/* Enum members in a pickle: GLOBAL class, value, TUPLE1, REDUCE (the JIT
 * pickler's form) give the member with that value, through the unit's
 * enum class. */
static cts_type *cu_resolve(void *ctx, const char *mod, const char *name, cts_err *err) {
    char q[256];
    snprintf(q, sizeof q, "%s.%s", mod, name);
    cts_type *t = cts_cu_get_class(ctx, q, err);
    if (t) cts_type_retain(t);
    return t;
}
static int cu_enum(void *ctx, cts_type *cls, cv_value value, cv_value *out, cts_err *err) {
    (void)ctx;
    return cts_enum_from_value(cls, value, out, err);
}

TEST(test_unpickle_enum_members) {
    static const char src[] = "class Mode(Enum):\n  TRAIN = \"train\"\n  EVAL = \"eval\"\n";
    cts_err err = {0};
    cts_cu *cu = cts_cu_new(NULL, NULL);
    CHECK(cu && cts_cu_add_source(cu, "__torch__.e", "code/__torch__/e.py", src, sizeof src - 1, &err) == 0);
    if (!cu) return;
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ctx = cu;
    cfg.resolve_class = cu_resolve;
    cfg.build_enum = cu_enum;
    static const char ok[] = "\x80\x02" "c__torch__.e\nMode\nX\x04\x00\x00\x00" "eval\x85R.";
    cv_value v;
    CHECK(cts_unpickle(ok, sizeof ok - 1, &cfg, &v, &err) == 0);
    CHECK(cv_is_enum(v));
    if (cv_is_enum(v)) {
        CHECK_STR(v.u.o->slots[0].u.s->data, "EVAL");
        CHECK_STR(v.u.o->slots[1].u.s->data, "eval");
    }
    cv_release(v);
    static const char bad[] = "\x80\x02" "c__torch__.e\nMode\nX\x04\x00\x00\x00" "nope\x85R.";
    expect_err(bad, sizeof bad - 1, &cfg, "\"nope\" is not a valid __torch__.e.Mode");
    cts_cu_free(cu);
}

/* ---- hostile input ---- */

TEST(test_unpickle_rejects_unknown_global) {
    EXPECT_ERR("\x80\x02" "cos\nsystem\nq\x00.", "unpickler: unknown global 'os system' at byte 2");
    EXPECT_ERR("\x80\x04\x8c\x02os\x8c\x06system\x93.", "unpickler: unknown global 'os system' at byte 14");
    EXPECT_ERR("\x80\x02" "ctorch\nload\n.", "unknown global 'torch load'");
    EXPECT_ERR("\x80\x02" "c__builtin__\neval\n.", "unknown global '__builtin__ eval'");
    EXPECT_ERR("\x80\x02" "ctorch\0x\nload\n.", "GLOBAL name contains a NUL byte");
    EXPECT_ERR("\x80\x02" "ctorch\nload", "GLOBAL name has no end of line");
    EXPECT_ERR("\x80\x02" "ctorch.jit._pickle\nbuild_tensor_from_id\n.", "tensor tables are not supported");
}

TEST(test_unpickle_rejects_bad_opcodes_and_truncation) {
    cv_value v;
    cts_err err = {0};
    EXPECT_ERR("\x80\x02\xff", "unpickler: bad opcode 0xff at byte 2");
    EXPECT_ERR("\x80\x02S'a'\n.", "unsupported opcode STRING (0x53) at byte 2");
    EXPECT_ERR("\x80\x02" "C\x01x.", "unsupported opcode SHORT_BINBYTES");
    EXPECT_ERR("\x80\x02\x8f.", "unsupported opcode EMPTY_SET");
    EXPECT_ERR("\x80\x01N.", "unsupported pickle protocol 1");
    EXPECT_ERR("N.", "not a pickle of protocol 2 or higher (first byte 0x4e)");
    CHECK(up("", 0, &v, &err) == -1);
    CHECK_CONTAINS(err.msg, "empty pickle");
    EXPECT_ERR("\x80\x02X\x10\x00\x00\x00" "ab", "pickle is truncated: string of 16 bytes, 2 left at byte 2");
    EXPECT_ERR("\x80\x02J\x01\x02", "pickle is truncated: BININT needs 4 bytes, 2 left at byte 2");
    EXPECT_ERR("\x80\x02N", "pickle ends without STOP at byte 3");
    EXPECT_ERR("\x80\x02R.", "stack underflow: REDUCE needs 2 items, 0 available at byte 2");
    EXPECT_ERR("\x80\x02N(\x85.", "stack underflow: TUPLE1 needs 1 item, 0 available at byte 4");
    EXPECT_ERR("\x80\x02t.", "TUPLE without a MARK at byte 2");
    EXPECT_ERR("\x80\x02(e.", "APPENDS without a list below its mark");
    EXPECT_ERR("\x80\x02N(Ne.", "APPENDS on a None (expected a List)");
    EXPECT_ERR("\x80\x02.", "STOP with an empty stack");
    EXPECT_ERR("\x80\x02" "ccollections\nOrderedDict\n.", "pickle result is a global 'collections OrderedDict'");
    EXPECT_ERR("\x80\x02\x8a\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09.", "integer of 9 bytes does not fit in 64 bits");
    EXPECT_ERR("\x80\x02}]Ns.", "SETITEM: a List cannot be a dict key");
    EXPECT_ERR("\x80\x02}K\x01s.", "stack underflow: SETITEM needs 3 items");
    EXPECT_ERR("\x80\x02K\x01K\x02R.", "REDUCE needs a global to call, found a int");
    EXPECT_ERR("\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00N.", "FRAME of 255 bytes runs past the end");
}

TEST(test_unpickle_rejects_absurd_memo_ids) {
    cv_value v;
    cts_err err = {0};
    EXPECT_ERR("\x80\x02j\x00\x28\x6b\xee.", "unpickler: memo id 4000000000 was never stored at byte 2");
    EXPECT_ERR("\x80\x02h\x05.", "memo id 5 was never stored");
    EXPECT_ERR("\x80\x02q\x00.", "memo store with an empty stack");
    /* huge sparse ids cost nothing */
    CHECK(UP("\x80\x02K\x07r\xfe\xff\xff\xffr\x00\x00\x00\x80j\x00\x00\x00\x80\x86.", &v, &err) == 0);
    CHECK(v.tag == CV_TUPLE && v.u.tu->items[1].u.i == 7);
    cv_release(v);
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_memo = 3;
    static const char many[] = "\x80\x02Nq\x00q\x01q\x02q\x03.";
    expect_err(many, sizeof many - 1, &cfg, "memo grows beyond 3 entries at byte 9");
    cfg.max_memo = 0;
    cfg.max_stack = 10;
    static const char tall[] = "\x80\x02NNNNNNNNNNNN.";
    expect_err(tall, sizeof tall - 1, &cfg, "stack grows beyond 10 items");
}

TEST(test_unpickle_rejects_deep_nesting) {
    static uint8_t b[20000];
    size_t n = 0;
    b[n++] = 0x80;
    b[n++] = 2;
    b[n++] = 'N';
    for (int i = 0; i < 5000; i++) b[n++] = 0x85;
    b[n++] = '.';
    expect_err(b, n, NULL, "containers nested deeper than 1000 levels at byte 1003");
    /* marks and LIST */
    n = 2;
    for (int i = 0; i < 3000; i++) b[n++] = '(';
    for (int i = 0; i < 3000; i++) b[n++] = 'l';
    b[n++] = '.';
    expect_err(b, n, NULL, "containers nested deeper than 1000 levels");
    /* the limit is configurable and exact */
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_depth = 10;
    b[2] = 'N';
    n = 3;
    for (int i = 0; i < 10; i++) b[n++] = 0x85;
    b[n++] = '.';
    cv_value v;
    cts_err err = {0};
    CHECK(cts_unpickle(b, n, &cfg, &v, &err) == 0);
    cv_release(v);
    b[n - 1] = 0x85;
    b[n++] = '.';
    expect_err(b, n, &cfg, "nested deeper than 10 levels");
    /* nesting built through the memo and APPEND counts too */
    n = 2;
    b[n++] = ']';
    b[n++] = 'q';
    b[n++] = 0;
    b[n++] = '0';
    for (int i = 0; i < 1100; i++) {
        static const uint8_t level[] = {']', 'h', 0, 'a', 'q', 0, '0'}; /* memo[0] = [memo[0]] */
        memcpy(b + n, level, sizeof level);
        n += sizeof level;
    }
    b[n++] = 'h';
    b[n++] = 0;
    b[n++] = '.';
    expect_err(b, n, NULL, "containers nested deeper than 1000 levels");
}

TEST(test_unpickle_rejects_recursive_structures) {
    EXPECT_ERR("\x80\x02]q\x00h\x00" "a.", "APPEND of a list into itself");
    EXPECT_ERR("\x80\x02]q\x00]q\x01" "ah\x01h\x00" "a.", "APPEND on a List that is already part of another value");
    EXPECT_ERR("\x80\x02}q\x00K\x01h\x00s.", "SETITEM of a dict into itself");
    EXPECT_ERR("\x80\x02]q\x00h\x00\x85h\x00K\x01" "a.", "already part of another value");
}

/* Random damage to real pickles: errors, never crashes (run under ASan). */
TEST(test_unpickle_survives_random_damage) {
    size_t len;
    uint8_t *buf = fixture("jit.pt", &len);
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    void *pkl;
    size_t n;
    CHECK(cts_zip_read(z, (size_t)cts_zip_find_record(z, "data.pkl"), &pkl, &n, &err) == 0);
    uint8_t *b = malloc(n);
    uint64_t seed = 99;
    int ok = 0;
    for (int iter = 0; iter < 4000; iter++) {
        memcpy(b, pkl, n);
        int flips = 1 + (int)(lcg(&seed) % 3);
        for (int k = 0; k < flips; k++) b[lcg(&seed) % n] = (uint8_t)lcg(&seed);
        size_t m = iter % 5 == 0 ? lcg(&seed) % n : n;
        tctx c = {0};
        c.z = z;
        cts_unpickler_cfg cfg = cfg_of(&c);
        cv_value v;
        cts_err e2 = {0};
        if (cts_unpickle(b, m, &cfg, &v, &e2) == 0) {
            ok++;
            cv_release(v);
        } else {
            CHECK(e2.set && strncmp(e2.msg, "unpickler: ", 11) == 0);
        }
        tctx_free(&c);
    }
    CHECK(ok > 0);
    free(b);
    free(pkl);
    cts_zip_close(z);
    free(buf);
}

int main(void) {
    RUN(test_unpickle_jit_module_archive);
    RUN(test_unpickle_scalars_and_python_opcodes);
    RUN(test_unpickle_type_tags);
    RUN(test_parse_annotation);
    RUN(test_unpickle_tensors_share_storage_and_map_cuda_to_cpu);
    RUN(test_unpickle_rejects_bad_tensors);
    RUN(test_unpickle_objects);
    RUN(test_unpickle_builds_complex_scalars);
    RUN(test_unpickle_enum_members);
    RUN(test_unpickle_rejects_unknown_global);
    RUN(test_unpickle_rejects_bad_opcodes_and_truncation);
    RUN(test_unpickle_rejects_absurd_memo_ids);
    RUN(test_unpickle_rejects_deep_nesting);
    RUN(test_unpickle_rejects_recursive_structures);
    RUN(test_unpickle_survives_random_damage);
    return test_summary();
}
