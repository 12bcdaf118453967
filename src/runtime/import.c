/* import.c - loading TorchScript archives (torch.jit.save's zip layout).
 *
 * Order as PyTorch's ScriptModuleDeserializer: the version record, then
 * constants.pkl, then data.pkl, whose GLOBALs pull class definitions out of
 * code/ on demand through the compilation unit.  Every size, offset and name
 * taken from the file is checked by the zip and pickle readers; this file
 * adds the archive-level rules (root folder, version range, module root). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../compiler/enum.h"
#include "../core/prefault.h"
#include "../serialize/pickle.h"
#include "../serialize/ptrmap.h"
#include "../serialize/torch_save.h"
#include "module.h"

#define MAX_ARCHIVE ((size_t)64 << 30)

static int keep_text(cts_rt_module *m, char *t, cts_err *err) {
    if (m->ntexts == m->cap_texts) {
        int nc = m->cap_texts ? m->cap_texts * 2 : 16;
        char **p = realloc(m->texts, (size_t)nc * sizeof *p);
        if (!p) return cts_err_oom(err, "archive", 0);
        m->texts = p;
        m->cap_texts = nc;
    }
    m->texts[m->ntexts++] = t;
    return 0;
}

/* code/<qualifier with / for .>.py */
static int load_code(void *ctx, const char *qualifier, const char **text, size_t *len, const char **display,
                     cts_err *err) {
    cts_rt_module *m = ctx;
    char rec[1024];
    int n = snprintf(rec, sizeof rec, "code/%s.py", qualifier);
    if (n < 0 || (size_t)n >= sizeof rec) return cts_err_set(err, "qualified name too long: %s", qualifier);
    for (char *p = rec + 5; *p; p++)
        if (*p == '.' && strcmp(p, ".py") != 0) *p = '/';
    long i = cts_zip_find_record(m->zip, rec);
    if (i < 0) return 0;
    void *data;
    size_t dlen;
    if (cts_zip_read(m->zip, (size_t)i, &data, &dlen, err)) return cts_err_prefix(err, "%s: ", rec);
    if (keep_text(m, data, err)) {
        free(data);
        return -1;
    }
    char *disp = malloc(strlen(rec) + 1);
    if (!disp || keep_text(m, disp, err)) {
        free(disp);
        return cts_err_oom(err, "archive", 0);
    }
    strcpy(disp, rec);
    *text = data;
    *len = dlen;
    *display = disp;
    return 1;
}

typedef struct pickle_ctx {
    cts_rt_module *m;
    const char *dir; /* "data" or "constants" */
} pickle_ctx;

static void release_file_storage(void *ctx, void *data) {
    (void)data;
    ct_storage_release(ctx);
}

static ct_storage *load_storage(void *ctx, const char *key, int scalar_type, int64_t numel, cts_err *err) {
    pickle_ctx *pc = ctx;
    char rec[512];
    snprintf(rec, sizeof rec, "%s/%s", pc->dir, key);
    long i = cts_zip_find_record(pc->m->zip, rec);
    if (i < 0) {
        cts_err_set(err, "tensor storage record '%s' is missing from the archive", rec);
        return NULL;
    }
    ct_storage *s = NULL;
    const void *view;
    size_t vlen;
    /* zero-copy: a stored record of an archive read into a storage becomes a
     * view of it (PyTorch aligns record data to 64 bytes, as cts's own
     * storages are; a record that is not falls back to a copy) */
    if (pc->m->file_storage && cts_zip_entry_at(pc->m->zip, (size_t)i)->method == CTS_ZIP_STORED &&
        cts_zip_peek(pc->m->zip, (size_t)i, &view, &vlen, err) == 0 && ((uintptr_t)view % 64) == 0 && vlen) {
        s = ct_storage_wrap((void *)view, vlen, release_file_storage, pc->m->file_storage, err);
        if (!s) return NULL;
        ct_storage_retain(pc->m->file_storage);
    } else {
        s = cts_zip_read_storage(pc->m->zip, (size_t)i, err);
    }
    if (!s) return NULL;
    int esz = ct_dtype_valid(scalar_type) ? ct_dtype_size((ct_dtype)scalar_type) : 1;
    if ((uint64_t)numel > s->nbytes / (uint64_t)esz) {
        cts_err_set(err, "storage record '%s' holds %zu bytes but the tensor needs %lld elements of %d bytes", rec,
                    s->nbytes, (long long)numel, esz);
        ct_storage_release(s);
        return NULL;
    }
    s->weight = true; /* gemm.h's packed-weight cache may keep packings of it */
    return s;
}

static cts_type *resolve_class(void *ctx, const char *module, const char *name, cts_err *err) {
    pickle_ctx *pc = ctx;
    char q[1024];
    snprintf(q, sizeof q, "%s.%s", module, name);
    cts_type *t = cts_cu_get_class(pc->m->cu, q, err);
    if (!t) return NULL;
    cts_type_retain(t);
    return t;
}

static int build_enum(void *ctx, cts_type *cls, cv_value value, cv_value *out, cts_err *err) {
    (void)ctx;
    return cts_enum_from_value(cls, value, out, err);
}

static cts_type *parse_type(void *ctx, const char *annot, cts_err *err) {
    pickle_ctx *pc = ctx;
    return cts_cu_parse_type_str(pc->m->cu, annot, err);
}

static int unpickle_record(cts_rt_module *m, const char *record, const char *dir, cv_value *out, cts_err *err) {
    long i = cts_zip_find_record(m->zip, record);
    if (i < 0) return cts_err_set(err, "archive has no '%s' record: not a TorchScript archive", record);
    void *data;
    size_t len;
    if (cts_zip_read(m->zip, (size_t)i, &data, &len, err)) return cts_err_prefix(err, "%s: ", record);
    pickle_ctx pc = {m, dir};
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ctx = &pc;
    cfg.load_storage = load_storage;
    cfg.resolve_class = resolve_class;
    cfg.parse_type = parse_type;
    cfg.build_enum = build_enum;
    int rc = cts_unpickle(data, len, &cfg, out, err);
    free(data);
    if (rc) return cts_err_prefix(err, "%s: ", record);
    return 0;
}

static int read_version(cts_rt_module *m, cts_err *err) {
    long i = cts_zip_find_record(m->zip, ".data/version");
    if (i < 0) i = cts_zip_find_record(m->zip, "version");
    if (i < 0) return cts_err_set(err, "archive has no 'version' record: not a TorchScript archive");
    void *data;
    size_t len;
    if (cts_zip_read(m->zip, (size_t)i, &data, &len, err)) return -1;
    char buf[32];
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, data, n);
    buf[n] = 0;
    free(data);
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (end == buf || (*end && *end != '\n' && *end != '\r'))
        return cts_err_set(err, "archive version record is not a number: '%.20s'", buf);
    if (v < 1) return cts_err_set(err, "archive version %lld is older than the oldest supported (1)", v);
    if (v > 10)
        return cts_err_set(err, "archive version %lld is newer than cts supports: maximum supported version for reading is 10", v);
    m->version = v;
    bool v2 = cts_zip_find_record(m->zip, "byteorder") >= 0 || cts_zip_find_record(m->zip, ".data/serialization_id") >= 0;
    snprintf(m->producer, sizeof m->producer, "%s", v2 ? "PyTorch 2.x" : "PyTorch 1.x");
    return 0;
}

static int lower_all(cts_rt_module *m, cts_err *err) {
    cts_type *t = m->root.u.o->type;
    for (int i = 0; i < t->cls->nmethods; i++)
        if (cts_lower_function(m->cu, t->cls->methods[i].fn, err)) return -1;
    return 0;
}

/* [p, p + n) widened to whole pages, when it lies in m's mapped archive:
 * the bytes of the pages around it come back from the file alike. */
static bool mapped_pages(const cts_rt_module *m, const void *p, size_t n, void **lo_out, size_t *len_out) {
    if (!m->file_mapped || !n) return false;
    uintptr_t base = (uintptr_t)m->file_storage->data, end = base + m->file_storage->nbytes;
    uintptr_t lo = (uintptr_t)p, hi = lo + n;
    if (lo < base || hi > end) return false;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    lo &= ~(page - 1);
    if (lo < base) lo = base;
    *lo_out = (void *)lo;
    *len_out = hi - lo;
    return true;
}

static size_t tensor_bytes(const ct_tensor *t) { return (size_t)ct_numel(t) * (size_t)ct_dtype_size(t->dtype); }

/* Gives back pages of a mapped archive (see cts_rt_load): called while
 * nothing has written to it, so they come back from the file as they were
 * when next read. */
static void release_range(cts_rt_module *m, const void *p, size_t n) {
    void *lo;
    size_t len;
    if (mapped_pages(m, p, n, &lo, &len)) madvise(lo, len, MADV_DONTNEED);
}

static void release_file_pages(cts_rt_module *m) {
    if (m->file_mapped) release_range(m, m->file_storage->data, m->file_storage->nbytes);
}

void cts_rt_release_file_pages(cts_rt_module *m, const ct_tensor *t) { release_range(m, ct_data(t), tensor_bytes(t)); }

/* ---- weights read in place come back before the first call ---- */

typedef struct back_ctx {
    cts_rt_module *m;
    int depth;
} back_ctx;

/* Every tensor in v (objects, lists, tuples, dicts), depth-limited, is
 * mapped again when it lies in the mapped archive and no packed copy stands
 * in for it (a kernel reads it in place: an embedding table, an unpacked
 * weight, a bias). */
static void bring_back_value(void *ctx, cv_value v) {
    back_ctx *b = ctx;
    if (v.tag == CV_TENSOR) {
#ifdef MADV_POPULATE_READ
        void *lo;
        size_t len;
        if (!atomic_load(&v.u.t->storage->aux) && mapped_pages(b->m, ct_data(v.u.t), tensor_bytes(v.u.t), &lo, &len))
            madvise(lo, len, MADV_POPULATE_READ);
#endif
        return;
    }
    if (b->depth > 64) return;
    b->depth++;
    cv_for_each_child(v, bring_back_value, b);
    b->depth--;
}

/* The constants of fn's code and of the functions it calls. */
static void bring_back_code(back_ctx *b, const ir_function *fn, cts_ptrmap *seen) {
    const cts_code *c = fn->exec;
    if (!c || cts_ptrmap_get(seen, cts_ptrkey(fn)) || cts_ptrmap_put(seen, cts_ptrkey(fn), 1)) return;
    for (int i = 0; i < c->nconsts; i++) bring_back_value(b, c->consts[i]);
    for (int i = 0; i < c->ncode; i++)
        if (c->code[i].op == OP_CALL && c->code[i].callee) bring_back_code(b, c->code[i].callee, seen);
}

/* After the archive's pages were given back: those the code will read in
 * place are mapped again now, at load, rather than one fault at a time in
 * the first call.  With optimized copies, what they read are their
 * constants (folded and packed originals stay out); a method run as
 * loaded may read any of the module's tensors. */
static void bring_back_read_in_place(cts_rt_module *m) {
    if (!m->file_mapped || m->root.tag != CV_OBJECT) return;
    const cts_class *cls = m->root.u.o->type->cls;
    bool all_optimized = m->opt != NULL;
    for (int i = 0; all_optimized && i < cls->nmethods; i++) all_optimized = m->opt[i] != NULL;
    back_ctx b = {m, 0};
    if (!all_optimized) {
        bring_back_value(&b, m->root);
        return;
    }
    cts_ptrmap seen;
    cts_ptrmap_init(&seen);
    for (int i = 0; i < cls->nmethods; i++) bring_back_code(&b, m->opt[i], &seen);
    cts_ptrmap_free(&seen);
}

int cts_rt_prepare(cts_rt_module *m, cts_err *err) {
    if (lower_all(m, err)) return -1;
    if (!m->no_optimize) cts_rt_optimize(m);
    release_file_pages(m); /* folding read the original weights: they go before packing makes more */
    cts_rt_prepack(m);
    release_file_pages(m);
    bring_back_read_in_place(m);
    cts_prefault_code();
    return 0;
}

static cts_rt_module *load_impl(const void *buf, size_t len, ct_storage *fs, const char *name, cts_load_mode mode,
                                bool mapped, cts_err *err) {
    cts_rt_module *m = calloc(1, sizeof *m);
    if (!m) {
        cts_err_oom(err, "module", 0);
        return NULL;
    }
    m->root = cv_none();
    m->file = fs ? NULL : (void *)buf;
    m->file_len = len;
    if (fs) {
        ct_storage_retain(fs);
        m->file_storage = fs;
        m->file_mapped = mapped;
    }
    if (len >= 8 && memcmp((const char *)buf + 4, "PTMF", 4) == 0) {
        cts_err_set(err, "flatbuffer mobile modules (_save_for_lite_interpreter with flatbuffers) are not supported");
        goto fail;
    }
    if (len >= 8 && memcmp(buf, "PYTORCH1", 8) == 0) {
        cts_err_set(err, "legacy PyTorch preview-release format is not supported");
        goto fail;
    }
    if (cts_zip_open(&m->zip, buf, len, err)) goto fail;
    if (!cts_zip_root(m->zip, err)) goto fail;
    if (cts_zip_find_record(m->zip, "model.json") >= 0) {
        cts_err_set(err, "legacy model.json archives (PyTorch 1.0-1.2) are not supported");
        goto fail;
    }
    if (read_version(m, err)) goto fail;
    m->cu = cts_cu_new(load_code, m);
    if (!m->cu) {
        cts_err_oom(err, "compilation unit", 0);
        goto fail;
    }
    m->cu->version = m->version;
    cv_value consts;
    if (unpickle_record(m, "constants.pkl", "constants", &consts, err)) goto fail;
    if (consts.tag != CV_TUPLE) {
        cv_release(consts);
        cts_err_set(err, "constants.pkl: expected a tuple of constants");
        goto fail;
    }
    m->cu->constants = consts;
    if (unpickle_record(m, "data.pkl", "data", &m->root, err)) goto fail;
    if (m->root.tag != CV_OBJECT || !m->root.u.o->type->cls->is_module) {
        cts_err_set(err, "data.pkl: the root object is not a TorchScript module");
        goto fail;
    }
    m->no_optimize = mode == CTS_LOAD_RUN_UNOPTIMIZED;
    if (mode != CTS_LOAD_INSPECT && cts_rt_prepare(m, err)) goto fail;
    return m;
fail:
    cts_err_prefix(err, "%s: ", name);
    m->file = NULL; /* the caller keeps its buffer */
    cts_rt_free(m);
    return NULL;
}

cts_rt_module *cts_rt_load_buffer(const void *buf, size_t len, const char *name, cts_load_mode mode, cts_err *err) {
    return load_impl(buf, len, NULL, name, mode, false, err);
}

static void unmap_file(void *ctx, void *data) { munmap(data, (size_t)(uintptr_t)ctx); }

/* The whole file in one storage: mapped (copy-on-write, so in-place writes
 * to parameters stay private) when `map`, read into a 64-byte aligned buffer
 * otherwise or when mapping fails.  *mapped says which. */
static ct_storage *read_file_storage(const char *path, size_t *len, bool map, bool *mapped, cts_err *err) {
    *mapped = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cts_err_set(err, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
        fclose(f);
        return NULL; /* not a regular file: the caller reads it the general way */
    }
    if ((uint64_t)st.st_size > MAX_ARCHIVE) {
        fclose(f);
        cts_err_set(err, "'%s' is larger than the limit of %zu bytes", path, (size_t)MAX_ARCHIVE);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    if (map && n) {
        void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(f), 0);
        if (p != MAP_FAILED) {
            fclose(f);
            ct_storage *s = ct_storage_wrap(p, n, unmap_file, (void *)(uintptr_t)n, err);
            if (!s) {
                munmap(p, n);
                return NULL;
            }
            *len = n;
            *mapped = true;
            return s;
        }
    }
    ct_storage *s = ct_storage_new(n ? n : 1, false, err);
    if (!s) {
        fclose(f);
        return NULL;
    }
    size_t got = n ? fread(s->data, 1, n, f) : 0;
    int bad = got != n || ferror(f);
    fclose(f);
    if (bad) {
        ct_storage_release(s);
        cts_err_set(err, "error reading '%s'", path);
        return NULL;
    }
    *len = n;
    return s;
}

cts_rt_module *cts_rt_load(const char *path, cts_load_mode mode, cts_err *err) {
    return cts_rt_load_file(path, mode, mode == CTS_LOAD_RUN, err);
}

cts_rt_module *cts_rt_load_file(const char *path, cts_load_mode mode, bool map, cts_err *err) {
    size_t len = 0;
    bool mapped;
    /* A module loaded to run keeps only what its optimized code reads: the
     * archive is mapped, and while loading (nothing has written to it yet)
     * its pages are given back (cts_rt_prepare); those still needed
     * (weights read in place) come back from the file on first use, while
     * the originals of folded and packed weights stay out of memory. */
    ct_storage *fs = read_file_storage(path, &len, map && mode != CTS_LOAD_INSPECT, &mapped, err);
    if (fs) {
        cts_rt_module *m = load_impl(fs->data, len, fs, path, mode, mapped, err);
        ct_storage_release(fs); /* the module and the tensors viewing it hold it */
        return m;
    }
    if (err->set) return NULL;
    void *buf;
    if (cts_read_file(path, MAX_ARCHIVE, &buf, &len, err)) return NULL;
    cts_rt_module *m = cts_rt_load_buffer(buf, len, path, mode, err);
    if (!m) {
        free(buf);
        return NULL;
    }
    return m;
}

void cts_rt_free(cts_rt_module *m) {
    if (!m) return;
    cts_rt_optimize_free(m);
    cv_release(m->root);
    cts_cu_free(m->cu);
    cts_zip_close(m->zip);
    for (int i = 0; i < m->ntexts; i++) free(m->texts[i]);
    free(m->texts);
    free(m->file);
    if (m->file_storage) ct_storage_release(m->file_storage);
    if (m->pool) cts_pool_free(m->pool);
    free(m);
}

ir_function *cts_rt_method(cts_rt_module *m, const char *name, cts_err *err) {
    cts_type *t = m->root.u.o->type;
    ir_function *f = cts_class_find_method(t->cls, name);
    if (!f) {
        cts_err_set(err, "module '%s' has no method '%s'", t->cls->qualname, name);
        return NULL;
    }
    return f;
}

static const char *type_name(const cts_type *t, char *buf, size_t n) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_type_str_annot(t, &sb);
    snprintf(buf, n, "%s", cts_sb_str(&sb));
    cts_sb_free(&sb);
    return buf;
}

/* checks a runtime value against a declared type (for call arguments) */
static bool value_fits(cv_value v, const cts_type *t) {
    switch (t->kind) {
    case TY_ANY: return true;
    case TY_TENSOR: return v.tag == CV_TENSOR && v.u.t;
    case TY_INT: return v.tag == CV_INT;
    case TY_FLOAT: return v.tag == CV_FLOAT;
    case TY_BOOL: return v.tag == CV_BOOL;
    case TY_STR: return v.tag == CV_STR;
    case TY_NONE: return v.tag == CV_NONE;
    case TY_NUMBER: return v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL;
    case TY_DEVICE: return v.tag == CV_DEVICE;
    case TY_OPTIONAL: return v.tag == CV_NONE || value_fits(v, t->elems[0]);
    case TY_LIST:
        if (v.tag != CV_LIST) return false;
        for (size_t i = 0; i < v.u.l->len; i++)
            if (!value_fits(v.u.l->items[i], t->elems[0])) return false;
        return true;
    case TY_TUPLE:
        if (v.tag != CV_TUPLE || (int)v.u.tu->len != t->n) return false;
        for (int i = 0; i < t->n; i++)
            if (!value_fits(v.u.tu->items[i], t->elems[i])) return false;
        return true;
    case TY_DICT:
        if (v.tag != CV_DICT) return false;
        for (size_t i = 0; i < v.u.d->len; i++)
            if (!value_fits(v.u.d->entries[i].key, t->elems[0]) || !value_fits(v.u.d->entries[i].val, t->elems[1]))
                return false;
        return true;
    case TY_UNION:
        for (int i = 0; i < t->n; i++)
            if (value_fits(v, t->elems[i])) return true;
        return false;
    case TY_CLASS: return v.tag == CV_OBJECT && cts_type_equal(v.u.o->type, t);
    default: return false;
    }
}

static const char *value_type_name(cv_value v, char *buf, size_t n) {
    cts_type *t = cv_type_of(v);
    if (!t) return "?";
    type_name(t, buf, n);
    cts_type_release(t);
    return buf;
}

int cts_rt_call(cts_rt_module *m, const char *method, const cv_value *args, int nargs, cv_value *out, cts_err *err) {
    ir_function *f = cts_rt_method(m, method, err);
    if (!f) return -1;
    if (!f->exec && cts_lower_function(m->cu, f, err)) return -1;
    const cts_schema *s = f->schema;
    int want = s->nargs - 1;
    if (nargs > want)
        return cts_err_set(err, "%s() expected at most %d argument(s) but received %d argument(s). Declaration: %s",
                           method, want, nargs, f->qualname);
    cv_value full[64];
    if (s->nargs > 64) return cts_err_set(err, "%s() has too many parameters", method);
    full[0] = m->root;
    for (int i = 1; i < s->nargs; i++) {
        const cts_arg *a = &s->args[i];
        cv_value v;
        if (i - 1 < nargs) {
            v = args[i - 1];
        } else if (a->has_default) {
            v = a->default_val;
        } else {
            return cts_err_set(err, "%s() is missing value for argument '%s'", method, a->name);
        }
        if (!value_fits(v, a->type)) {
            char want_t[128], got_t[128];
            return cts_err_set(err, "%s(): expected a value of type '%s' for argument '%s' but instead found type '%s'",
                               method, type_name(a->type, want_t, sizeof want_t), a->name,
                               value_type_name(v, got_t, sizeof got_t));
        }
        full[i] = v;
    }
    cts_kctx k = {err, m->pool, NULL};
    return cts_run_function(cts_rt_runnable(m, f), full, s->nargs, out, &k);
}
