/* pickle_write.c - the pickler (see pickle_write.h for both dialects).
 *
 * Memo ids count up from 0 and follow every BINPUT, as in both PyTorch's
 * and Python's picklers, so a BINGET always names an earlier BINPUT. */
#include "pickle_write.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hashmap.h"
#include "../core/strbuf.h"
#include "pickle.h"
#include "ptrmap.h"

/* ---- memo keyed by bytes: strings ('S'), globals ('G'), devices ('D') ---- */

typedef struct bent {
    char *key; /* tag byte + bytes */
    size_t n;
    uint64_t h;
    uint32_t id;
} bent;

typedef struct bmap {
    bent *e;
    size_t cap, len;
} bmap;

static void bmap_free(bmap *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->e[i].key);
    free(m->e);
}

static bent *bmap_slot(const bmap *m, const char *k, size_t n, uint64_t h) {
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        bent *e = &m->e[i];
        if (!e->key || (e->h == h && e->n == n && memcmp(e->key, k, n) == 0)) return e;
    }
}

static int bmap_grow(bmap *m) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    bent *ne = calloc(nc, sizeof *ne);
    if (!ne) return -1;
    bmap old = *m;
    m->e = ne;
    m->cap = nc;
    for (size_t i = 0; i < old.cap; i++)
        if (old.e[i].key) *bmap_slot(m, old.e[i].key, old.e[i].n, old.e[i].h) = old.e[i];
    free(old.e);
    return 0;
}

/* ---- writer state ---- */

typedef struct W {
    cts_strbuf out;
    const cts_pickler_cfg *cfg;
    bool py;
    cts_err *err;
    uint32_t next_memo;
    bmap names;         /* strings, globals, devices -> memo id */
    cts_ptrmap by_ptr;  /* heap values -> memo id */
    cts_ptrmap stor_ix; /* storage -> index + 1 into storages */
    cts_pickled_storage *stors;
    size_t nstors, stors_cap;
    size_t depth, max_depth;
} W;

static void op(W *w, uint8_t b) { cts_sb_putc(&w->out, (char)b); }
static void raw(W *w, const void *p, size_t n) { cts_sb_putn(&w->out, p, n); }
static void le(W *w, uint64_t v, int n) {
    char b[8];
    for (int i = 0; i < n; i++) b[i] = (char)(v >> (8 * i));
    raw(w, b, (size_t)n);
}

static uint32_t binput(W *w) {
    uint32_t id = w->next_memo++;
    if (id <= 255) {
        op(w, 'q');
        le(w, id, 1);
    } else {
        op(w, 'r');
        le(w, id, 4);
    }
    return id;
}

static void binget(W *w, uint64_t id) {
    if (id <= 255) {
        op(w, 'h');
        le(w, id, 1);
    } else {
        op(w, 'j');
        le(w, id, 4);
    }
}

static void pint(W *w, int64_t v) {
    if (v >= 0 && v <= 0xff) {
        op(w, 'K');
        le(w, (uint64_t)v, 1);
    } else if (v >= 0 && v <= 0xffff) {
        op(w, 'M');
        le(w, (uint64_t)v, 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        op(w, 'J');
        le(w, (uint64_t)(uint32_t)(int32_t)v, 4);
    } else {
        int n = 8;
        if (w->py) {
            /* Python's encode_long: the shortest two's complement */
            while (n > 1) {
                int64_t hi = v >> (8 * (n - 1)), next_sign = (v >> (8 * (n - 1) - 1)) & 1;
                if ((hi == 0 && !next_sign) || (hi == -1 && next_sign)) n--;
                else break;
            }
        }
        op(w, 0x8a);
        le(w, (uint64_t)n, 1);
        le(w, (uint64_t)v, n);
    }
}

static void pfloat(W *w, double d) {
    uint64_t bits;
    memcpy(&bits, &d, 8);
    char b[8];
    for (int i = 0; i < 8; i++) b[i] = (char)(bits >> (8 * (7 - i)));
    op(w, 'G');
    raw(w, b, 8);
}

/* Memo id of (tag, bytes), or -1. */
static int64_t memo_find(W *w, char tag, const char *s, size_t n) {
    if (!w->names.cap) return -1;
    char small[256];
    char *k = n + 1 <= sizeof small ? small : malloc(n + 1);
    if (!k) return -1;
    k[0] = tag;
    memcpy(k + 1, s, n);
    bent *e = bmap_slot(&w->names, k, n + 1, cts_hash_bytes(k, n + 1));
    if (k != small) free(k);
    return e->key ? (int64_t)e->id : -1;
}

/* Writes BINPUT and records (tag, bytes) under its id. */
static int memo_add(W *w, char tag, const char *s, size_t n) {
    if ((w->names.len + 1) * 2 > w->names.cap && bmap_grow(&w->names))
        return cts_err_oom(w->err, "pickler memo", w->names.len);
    char *k = malloc(n + 1);
    if (!k) return cts_err_oom(w->err, "pickler memo", n);
    k[0] = tag;
    memcpy(k + 1, s, n);
    uint64_t h = cts_hash_bytes(k, n + 1);
    bent *e = bmap_slot(&w->names, k, n + 1, h);
    *e = (bent){k, n + 1, h, binput(w)};
    w->names.len++;
    return 0;
}

static int pstring(W *w, const char *s, size_t n) {
    int64_t id = memo_find(w, 'S', s, n);
    if (id >= 0) {
        binget(w, (uint64_t)id);
        return 0;
    }
    if (n > UINT32_MAX) return cts_err_set(w->err, "pickler: string of %zu bytes is too long", n);
    op(w, 'X');
    le(w, n, 4);
    raw(w, s, n);
    return memo_add(w, 'S', s, n);
}

static int pglobal(W *w, const char *mod, const char *name) {
    size_t ml = strlen(mod), nl = strlen(name);
    char *line = malloc(ml + nl + 2);
    if (!line) return cts_err_oom(w->err, "pickler", ml + nl);
    memcpy(line, mod, ml);
    line[ml] = '\n';
    memcpy(line + ml + 1, name, nl);
    line[ml + nl + 1] = '\n';
    int64_t id = memo_find(w, 'G', line, ml + nl + 2);
    int rc = 0;
    if (id >= 0) {
        binget(w, (uint64_t)id);
    } else {
        op(w, 'c');
        raw(w, line, ml + nl + 2);
        rc = memo_add(w, 'G', line, ml + nl + 2);
    }
    free(line);
    return rc;
}

static bool valid_utf8(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 9;
        if (k == 9 || (k == 1 && c < 0xc2) || k > n - i - 1) return false;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xc0) != 0x80) return false;
        if (k == 2 && ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] >= 0xa0))) return false;
        if (k == 3 && ((c == 0xf0 && s[i + 1] < 0x90) || c > 0xf4 || (c == 0xf4 && s[i + 1] >= 0x90))) return false;
        i += k + 1;
    }
    return true;
}

/* ---- values ---- */

static int pvalue(W *w, cv_value v);

/* A tuple of ints written fresh (tensor sizes/strides). */
static void int_tuple(W *w, int n, const int64_t *xs) {
    if (w->py) {
        if (n == 0) {
            op(w, ')');
            return;
        }
        if (n > 3) op(w, '(');
        for (int i = 0; i < n; i++) pint(w, xs[i]);
        op(w, n > 3 ? 't' : (uint8_t)(0x85 + n - 1));
        binput(w);
        return;
    }
    op(w, '(');
    for (int i = 0; i < n; i++) pint(w, xs[i]);
    op(w, 't');
}

static int pstorage(W *w, const ct_tensor *t) {
    ct_storage *s = t->storage;
    uint64_t *ix = cts_ptrmap_get(&w->stor_ix, cts_ptrkey(s));
    size_t i;
    if (ix) {
        i = (size_t)*ix - 1;
        if (w->stors[i].dtype != t->dtype)
            return cts_err_set(w->err, "pickler: tensors of dtypes %s and %s share one storage, which the format "
                                       "cannot express",
                               ct_dtype_name(w->stors[i].dtype), ct_dtype_name(t->dtype));
    } else {
        if (w->nstors == w->stors_cap) {
            size_t nc = w->stors_cap ? w->stors_cap * 2 : 8;
            cts_pickled_storage *p = realloc(w->stors, nc * sizeof *p);
            if (!p) return cts_err_oom(w->err, "pickler", nc);
            w->stors = p;
            w->stors_cap = nc;
        }
        i = w->nstors;
        size_t isz = (size_t)ct_dtype_size(t->dtype);
        int64_t numel = (int64_t)(s->nbytes / isz);
        if (cts_ptrmap_put(&w->stor_ix, cts_ptrkey(s), i + 1)) return cts_err_oom(w->err, "pickler", i);
        ct_storage_retain(s);
        w->stors[w->nstors++] = (cts_pickled_storage){s, t->dtype, numel, (size_t)numel * isz};
    }
    /* JIT: the storage is memoized after BINPERSID.  Python: each reference
     * writes its persistent id again (memoizing the id tuple). */
    uint64_t *m = w->py ? NULL : cts_ptrmap_get(&w->by_ptr, cts_ptrkey(s));
    if (m) {
        binget(w, *m);
        return 0;
    }
    char key[24];
    snprintf(key, sizeof key, "%zu", i);
    op(w, '(');
    if (pstring(w, "storage", 7) || pglobal(w, "torch", ct_dtype_storage_name(t->dtype)) ||
        pstring(w, key, strlen(key)) || pstring(w, "cpu", 3))
        return -1;
    pint(w, w->stors[i].numel);
    op(w, 't');
    if (w->py) {
        binput(w);
        op(w, 'Q');
        return 0;
    }
    op(w, 'Q');
    if (cts_ptrmap_put(&w->by_ptr, cts_ptrkey(s), binput(w))) return cts_err_oom(w->err, "pickler", 0);
    return 0;
}

static int ptensor(W *w, const ct_tensor *t) {
    if (!t) return cts_err_set(w->err, "pickler: cannot pickle an undefined tensor");
    if (pglobal(w, "torch._utils", "_rebuild_tensor_v2")) return -1;
    op(w, '(');
    if (pstorage(w, t)) return -1;
    pint(w, t->offset);
    int_tuple(w, t->ndim, t->sizes);
    int_tuple(w, t->ndim, t->strides);
    op(w, t->requires_grad ? 0x88 : 0x89);
    if (pglobal(w, "collections", "OrderedDict")) return -1;
    op(w, ')');
    op(w, 'R');
    if (w->py) binput(w);
    op(w, 't');
    if (w->py) binput(w);
    op(w, 'R');
    return 0;
}

static int ptype_tag(W *w, const char *prefix, cts_type *const *ts, int n) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_sb_puts(&sb, prefix);
    cts_sb_putc(&sb, '[');
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_puts(&sb, ", ");
        cts_type_str_annot(ts[i], &sb);
    }
    cts_sb_putc(&sb, ']');
    int rc = sb.oom ? cts_err_oom(w->err, "pickler", sb.len) : pstring(w, sb.s, sb.len);
    cts_sb_free(&sb);
    return rc;
}

/* Python's _batch_appends / _batch_setitems: batches of 1000, a batch of
 * one as APPEND / SETITEM. */
static int py_list_items(W *w, const cv_list *l) {
    for (size_t i = 0; i < l->len; i += 1000) {
        size_t k = l->len - i < 1000 ? l->len - i : 1000;
        if (k > 1) op(w, '(');
        for (size_t j = 0; j < k; j++)
            if (pvalue(w, l->items[i + j])) return -1;
        op(w, k > 1 ? 'e' : 'a');
    }
    return 0;
}

static int py_dict_items(W *w, const cv_dict *d) {
    for (size_t i = 0; i < d->len; i += 1000) {
        size_t k = d->len - i < 1000 ? d->len - i : 1000;
        if (k > 1) op(w, '(');
        for (size_t j = 0; j < k; j++)
            if (pvalue(w, d->entries[i + j].key) || pvalue(w, d->entries[i + j].val)) return -1;
        op(w, k > 1 ? 'u' : 's');
    }
    return 0;
}

static int plist(W *w, cv_value v) {
    cv_list *l = v.u.l;
    if (w->py) {
        op(w, ']');
        if (cts_ptrmap_put(&w->by_ptr, cts_ptrkey(l), binput(w))) return cts_err_oom(w->err, "pickler", 0);
        return py_list_items(w, l);
    }
    cts_type_kind k = l->elem->kind;
    const char *special = k == TY_INT ? "build_intlist" : k == TY_FLOAT ? "build_doublelist"
                        : k == TY_BOOL ? "build_boollist" : k == TY_TENSOR ? "build_tensorlist" : NULL;
    if (special) {
        if (pglobal(w, "torch.jit._pickle", special)) return -1;
        op(w, '(');
        op(w, ']');
        op(w, '(');
        for (size_t i = 0; i < l->len; i++) {
            cv_value x = l->items[i];
            cv_tag want = k == TY_INT ? CV_INT : k == TY_FLOAT ? CV_FLOAT : k == TY_BOOL ? CV_BOOL : CV_TENSOR;
            if (x.tag != want)
                return cts_err_set(w->err, "pickler: element %zu of a List[%s] is a %s", i,
                                   cv_tag_name(want), cv_tag_name(x.tag));
            if (k == TY_INT) pint(w, x.u.i);
            else if (k == TY_FLOAT) pfloat(w, x.u.f);
            else if (k == TY_BOOL) op(w, x.u.b ? 0x88 : 0x89);
            else if (pvalue(w, x)) return -1;
        }
        op(w, 'e');
        op(w, 't');
        op(w, 'R');
        return 0;
    }
    if (pglobal(w, "torch.jit._pickle", "restore_type_tag")) return -1;
    op(w, ']');
    op(w, '(');
    for (size_t i = 0; i < l->len; i++)
        if (pvalue(w, l->items[i])) return -1;
    op(w, 'e');
    if (ptype_tag(w, "List", &l->elem, 1)) return -1;
    op(w, 0x86);
    op(w, 'R');
    return 0;
}

static int pdict(W *w, cv_value v) {
    cv_dict *d = v.u.d;
    if (w->py) {
        op(w, '}');
        if (cts_ptrmap_put(&w->by_ptr, cts_ptrkey(d), binput(w))) return cts_err_oom(w->err, "pickler", 0);
        return py_dict_items(w, d);
    }
    if (pglobal(w, "torch.jit._pickle", "restore_type_tag")) return -1;
    op(w, '}');
    op(w, '(');
    for (size_t i = 0; i < d->len; i++)
        if (pvalue(w, d->entries[i].key) || pvalue(w, d->entries[i].val)) return -1;
    op(w, 'u');
    cts_type *kv[2] = {d->key_type, d->val_type};
    if (ptype_tag(w, "Dict", kv, 2)) return -1;
    op(w, 0x86);
    op(w, 'R');
    return 0;
}

static int ptuple(W *w, cv_value v) {
    cv_tuple *t = v.u.tu;
    size_t n = t->len;
    if (n == 0) {
        op(w, ')');
        return 0;
    }
    if (n > 3) op(w, '(');
    for (size_t i = 0; i < n; i++)
        if (pvalue(w, t->items[i])) return -1;
    op(w, n > 3 ? 't' : (uint8_t)(0x85 + n - 1));
    return 0;
}

static int pobject(W *w, cv_value v) {
    cv_object *o = v.u.o;
    const cts_class *c = o->type->cls;
    if (w->py)
        return cts_err_set(w->err, "pickler: torch.save cannot write an object of class '%s'", c->qualname);
    const char *dot = strrchr(c->qualname, '.');
    if (!dot) return cts_err_set(w->err, "pickler: class name '%s' has no module prefix", c->qualname);
    size_t pl = (size_t)(dot - c->qualname);
    char *prefix = malloc(pl + 1);
    if (!prefix) return cts_err_oom(w->err, "pickler", pl);
    memcpy(prefix, c->qualname, pl);
    prefix[pl] = 0;
    int rc = pglobal(w, prefix, dot + 1);
    free(prefix);
    if (rc) return -1;
    if (cv_is_enum(v)) { /* Class(value): GLOBAL, value, TUPLE1, REDUCE (as the JIT pickler) */
        if (pvalue(w, o->slots[1])) return -1;
        op(w, 0x85);
        op(w, 'R');
        return 0;
    }
    op(w, ')');
    op(w, 0x81);
    cv_value state = cv_none();
    int has = w->cfg && w->cfg->getstate ? w->cfg->getstate(w->cfg->ctx, v, &state, w->err) : 0;
    if (has < 0) return cts_err_prefix(w->err, "pickler: __getstate__ of '%s': ", c->qualname);
    if (has) {
        rc = pvalue(w, state);
        cv_release(state);
        if (rc) return -1;
    } else {
        op(w, '}');
        op(w, '(');
        for (size_t i = 0; i < o->nslots && i < (size_t)c->nattrs; i++) {
            const char *nm = c->attrs[i].name;
            if (pstring(w, nm, strlen(nm)) || pvalue(w, o->slots[i])) return -1;
        }
        op(w, 'u');
    }
    op(w, 'b');
    return 0;
}

static int pdevice(W *w, cv_value v) {
    char s[32];
    const char *type = v.u.dev.type == 0 ? "cpu" : v.u.dev.type == 1 ? "cuda" : NULL;
    if (!type) return cts_err_set(w->err, "pickler: device type %d cannot be pickled", v.u.dev.type);
    if (v.u.dev.index >= 0) snprintf(s, sizeof s, "%s:%d", type, v.u.dev.index);
    else snprintf(s, sizeof s, "%s", type);
    int64_t id = memo_find(w, 'D', s, strlen(s));
    if (id >= 0) {
        binget(w, (uint64_t)id);
        return 0;
    }
    if (pglobal(w, "torch", "device") || pstring(w, s, strlen(s))) return -1;
    op(w, 0x85);
    if (w->py) binput(w); /* Python memoizes the argument tuple too */
    op(w, 'R');
    return memo_add(w, 'D', s, strlen(s));
}

static int pvalue(W *w, cv_value v) {
    switch (v.tag) {
    case CV_NONE: op(w, 'N'); return 0;
    case CV_BOOL: op(w, v.u.b ? 0x88 : 0x89); return 0;
    case CV_INT: pint(w, v.u.i); return 0;
    case CV_FLOAT: pfloat(w, v.u.f); return 0;
    case CV_STR:
        if (w->py && !valid_utf8((const unsigned char *)v.u.s->data, v.u.s->len))
            return cts_err_set(w->err, "pickler: string is not valid UTF-8, which Python cannot load");
        return pstring(w, v.u.s->data, v.u.s->len);
    case CV_DEVICE: return pdevice(w, v);
    case CV_FUNC:
    case CV_UNINIT: return cts_err_set(w->err, "pickler: cannot pickle a %s", cv_tag_name(v.tag));
    default: break;
    }
    if (v.tag == CV_TENSOR && !v.u.t) return cts_err_set(w->err, "pickler: cannot pickle an undefined tensor");
    /* heap values: memoized by identity (Python: always; JIT: when shared) */
    uint64_t key = cts_ptrkey(v.u.rc);
    uint64_t *m = cts_ptrmap_get(&w->by_ptr, key);
    if (m) {
        binget(w, *m);
        return 0;
    }
    bool memo = w->py ? !(v.tag == CV_TUPLE && v.u.tu->len == 0)
                      : atomic_load_explicit(v.u.rc, memory_order_relaxed) > 1;
    if (++w->depth > w->max_depth)
        return cts_err_set(w->err, "pickler: value nested deeper than %zu levels (does a container hold itself?)",
                           w->max_depth);
    int rc;
    switch (v.tag) {
    case CV_TENSOR: rc = ptensor(w, v.u.t); break;
    case CV_LIST: rc = plist(w, v); break;
    case CV_DICT: rc = pdict(w, v); break;
    case CV_TUPLE: rc = ptuple(w, v); break;
    case CV_OBJECT: rc = pobject(w, v); break;
    case CV_COMPLEX: /* builtins.complex(real, imag), as both picklers write it */
        rc = pglobal(w, "builtins", "complex");
        if (!rc) {
            pfloat(w, v.u.c->re);
            pfloat(w, v.u.c->im);
            op(w, 0x86);
            op(w, 'R');
        }
        break;
    default: rc = cts_err_set(w->err, "pickler: cannot pickle a %s", cv_tag_name(v.tag)); break;
    }
    w->depth--;
    if (rc) return -1;
    /* Python lists and dicts were memoized before their items */
    if (memo && !(w->py && (v.tag == CV_LIST || v.tag == CV_DICT)))
        if (cts_ptrmap_put(&w->by_ptr, key, binput(w))) return cts_err_oom(w->err, "pickler", 0);
    return 0;
}

void cts_pickle_result_free(cts_pickle_result *r) {
    if (!r) return;
    for (size_t i = 0; i < r->nstorages; i++) ct_storage_release(r->storages[i].storage);
    free(r->storages);
    free(r->data);
    memset(r, 0, sizeof *r);
}

int cts_pickle(cv_value v, const cts_pickler_cfg *cfg, cts_pickle_result *out, cts_err *err) {
    memset(out, 0, sizeof *out);
    W w;
    memset(&w, 0, sizeof w);
    cts_sb_init(&w.out);
    cts_ptrmap_init(&w.by_ptr);
    cts_ptrmap_init(&w.stor_ix);
    w.cfg = cfg;
    w.py = cfg && cfg->dialect == CTS_PICKLE_PYTHON;
    w.err = err;
    w.max_depth = cfg && cfg->max_depth ? cfg->max_depth : CTS_PICKLE_MAX_DEPTH;
    op(&w, 0x80);
    op(&w, 2);
    int rc = pvalue(&w, v);
    op(&w, '.');
    if (!rc && w.out.oom) rc = cts_err_oom(err, "pickle", w.out.len);
    bmap_free(&w.names);
    cts_ptrmap_free(&w.by_ptr);
    cts_ptrmap_free(&w.stor_ix);
    if (rc) {
        for (size_t i = 0; i < w.nstors; i++) ct_storage_release(w.stors[i].storage);
        free(w.stors);
        cts_sb_free(&w.out);
        return -1;
    }
    out->len = w.out.len;
    out->data = (uint8_t *)cts_sb_take(&w.out);
    out->storages = w.stors;
    out->nstorages = w.nstors;
    return 0;
}
