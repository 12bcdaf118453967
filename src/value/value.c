/* value.c - heap values: strings, lists, tuples, dicts, objects. */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_heap(cv_value v);

void cv_release(cv_value v) {
    if (!cv_is_heap(&v)) return;
    if (v.tag == CV_TENSOR) {
        ct_tensor_release(v.u.t);
        return;
    }
    if (atomic_fetch_sub_explicit(v.u.rc, 1, memory_order_acq_rel) != 1) return;
    free_heap(v);
}

static void free_heap(cv_value v) {
    switch (v.tag) {
    case CV_STR:
        free(v.u.s);
        break;
    case CV_LIST:
        for (size_t i = 0; i < v.u.l->len; i++) cv_release(v.u.l->items[i]);
        cts_type_release(v.u.l->elem);
        free(v.u.l->items);
        free(v.u.l);
        break;
    case CV_TUPLE:
        for (size_t i = 0; i < v.u.tu->len; i++) cv_release(v.u.tu->items[i]);
        cts_type_release(v.u.tu->type);
        free(v.u.tu);
        break;
    case CV_DICT:
        for (size_t i = 0; i < v.u.d->len; i++) {
            cv_release(v.u.d->entries[i].key);
            cv_release(v.u.d->entries[i].val);
        }
        cts_type_release(v.u.d->key_type);
        cts_type_release(v.u.d->val_type);
        free(v.u.d->entries);
        free(v.u.d->index);
        free(v.u.d);
        break;
    case CV_COMPLEX:
        free(v.u.c);
        break;
    case CV_PY:
        v.u.py->destroy(v.u.py);
        break;
    case CV_OBJECT:
        for (size_t i = 0; i < v.u.o->nslots; i++) cv_release(v.u.o->slots[i]);
        cts_type_release(v.u.o->type);
        free(v.u.o);
        break;
    default:
        break;
    }
}

void cv_for_each_child(cv_value v, void (*fn)(void *ctx, cv_value child), void *ctx) {
    switch (v.tag) {
    case CV_LIST:
        for (size_t i = 0; i < v.u.l->len; i++) fn(ctx, v.u.l->items[i]);
        break;
    case CV_TUPLE:
        for (size_t i = 0; i < v.u.tu->len; i++) fn(ctx, v.u.tu->items[i]);
        break;
    case CV_DICT:
        for (size_t i = 0; i < v.u.d->len; i++) {
            fn(ctx, v.u.d->entries[i].key);
            fn(ctx, v.u.d->entries[i].val);
        }
        break;
    case CV_OBJECT:
        for (size_t i = 0; i < v.u.o->nslots; i++) fn(ctx, v.u.o->slots[i]);
        break;
    default: break;
    }
}

int cv_str_new(const char *s, size_t n, cv_value *out, cts_err *err) {
    if (n > SIZE_MAX / 2) return cts_err_set(err, "string too long");
    cv_str *p = malloc(sizeof *p + n + 1);
    if (!p) return cts_err_oom(err, "string", n);
    atomic_init(&p->rc, 1);
    p->len = n;
    if (n) memcpy(p->data, s, n);
    p->data[n] = 0;
    out->tag = CV_STR;
    out->u.s = p;
    return 0;
}

int cv_str_from(const char *s, cv_value *out, cts_err *err) { return cv_str_new(s, strlen(s), out, err); }

int cv_complex_new(double re, double im, cv_value *out, cts_err *err) {
    cv_complex *c = malloc(sizeof *c);
    if (!c) return cts_err_oom(err, "complex", 1);
    atomic_init(&c->rc, 1);
    c->re = re;
    c->im = im;
    out->tag = CV_COMPLEX;
    out->u.c = c;
    return 0;
}

int cv_list_new(cts_type *elem, size_t cap, cv_value *out, cts_err *err) {
    cv_list *l = calloc(1, sizeof *l);
    if (!l) return cts_err_oom(err, "list", sizeof *l);
    if (cap) {
        if (cap > SIZE_MAX / sizeof(cv_value) || !(l->items = malloc(cap * sizeof(cv_value)))) {
            free(l);
            return cts_err_oom(err, "list", cap);
        }
    }
    atomic_init(&l->rc, 1);
    l->cap = cap;
    l->elem = elem ? elem : T_ANY;
    cts_type_retain(l->elem);
    out->tag = CV_LIST;
    out->u.l = l;
    return 0;
}

int cv_list_push(cv_list *l, cv_value item, cts_err *err) {
    if (l->len == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        cv_value *p = realloc(l->items, nc * sizeof *p);
        if (!p) {
            cv_release(item);
            return cts_err_oom(err, "list", nc);
        }
        l->items = p;
        l->cap = nc;
    }
    l->items[l->len++] = item;
    return 0;
}

int cv_tuple_new(cts_type *type, size_t n, const cv_value *items, cv_value *out, cts_err *err) {
    cv_tuple *t = malloc(sizeof *t + n * sizeof(cv_value));
    if (!t) {
        for (size_t i = 0; i < n; i++) cv_release(items[i]);
        return cts_err_oom(err, "tuple", n);
    }
    atomic_init(&t->rc, 1);
    t->type = type;
    cts_type_retain(type);
    t->len = n;
    if (n) memcpy(t->items, items, n * sizeof *items);
    out->tag = CV_TUPLE;
    out->u.tu = t;
    return 0;
}

int cv_object_new(cts_type *cls, cv_value *out, cts_err *err) {
    size_t n = (size_t)cls->cls->nattrs;
    cv_object *o = malloc(sizeof *o + n * sizeof(cv_value));
    if (!o) return cts_err_oom(err, "object", n);
    atomic_init(&o->rc, 1);
    o->type = cls;
    cts_type_retain(cls);
    o->nslots = n;
    for (size_t i = 0; i < n; i++) o->slots[i] = cv_none();
    out->tag = CV_OBJECT;
    out->u.o = o;
    return 0;
}

int cv_enum_new(cts_type *enum_type, cv_value name, cv_value value, cv_value *out, cts_err *err) {
    cv_object *o = malloc(sizeof *o + 2 * sizeof(cv_value));
    if (!o) return cts_err_oom(err, "enum", 2);
    atomic_init(&o->rc, 1);
    o->type = enum_type;
    cts_type_retain(enum_type);
    o->nslots = 2;
    cv_retain(name);
    cv_retain(value);
    o->slots[0] = name;
    o->slots[1] = value;
    out->tag = CV_OBJECT;
    out->u.o = o;
    return 0;
}

/* ---- dicts: insertion-ordered entries plus a hash index ---- */

static uint64_t key_hash(cv_value k) {
    uint64_t h;
    switch (k.tag) {
    case CV_STR: {
        h = 1469598103934665603ull;
        for (size_t i = 0; i < k.u.s->len; i++) h = (h ^ (unsigned char)k.u.s->data[i]) * 1099511628211ull;
        return h;
    }
    case CV_INT: h = (uint64_t)k.u.i; break;
    case CV_BOOL: h = k.u.b; break;
    case CV_FLOAT: {
        double d = k.u.f == 0 ? 0 : k.u.f;
        memcpy(&h, &d, 8);
        break;
    }
    case CV_TENSOR: h = (uint64_t)(uintptr_t)k.u.t; break;
    case CV_DEVICE: h = (uint64_t)(k.u.dev.type * 1000 + k.u.dev.index); break;
    default: h = 0;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static bool key_eq(cv_value a, cv_value b) {
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case CV_STR: return a.u.s->len == b.u.s->len && memcmp(a.u.s->data, b.u.s->data, a.u.s->len) == 0;
    case CV_INT: return a.u.i == b.u.i;
    case CV_BOOL: return a.u.b == b.u.b;
    case CV_FLOAT: return a.u.f == b.u.f;
    case CV_TENSOR: return a.u.t == b.u.t;
    case CV_DEVICE: return a.u.dev.type == b.u.dev.type && a.u.dev.index == b.u.dev.index;
    default: return false;
    }
}

static int dict_reindex(cv_dict *d, size_t cap) {
    uint32_t *ix = calloc(cap, sizeof *ix);
    if (!ix) return -1;
    for (size_t i = 0; i < d->len; i++) {
        size_t j = key_hash(d->entries[i].key) & (cap - 1);
        while (ix[j]) j = (j + 1) & (cap - 1);
        ix[j] = (uint32_t)(i + 1);
    }
    free(d->index);
    d->index = ix;
    d->index_cap = cap;
    return 0;
}

int cv_dict_new(cts_type *key_type, cts_type *val_type, cv_value *out, cts_err *err) {
    cv_dict *d = calloc(1, sizeof *d);
    if (!d) return cts_err_oom(err, "dict", sizeof *d);
    atomic_init(&d->rc, 1);
    d->key_type = key_type ? key_type : T_ANY;
    d->val_type = val_type ? val_type : T_ANY;
    cts_type_retain(d->key_type);
    cts_type_retain(d->val_type);
    out->tag = CV_DICT;
    out->u.d = d;
    return 0;
}

static long dict_find(const cv_dict *d, cv_value key) {
    if (!d->index_cap) return -1;
    size_t mask = d->index_cap - 1;
    for (size_t j = key_hash(key) & mask;; j = (j + 1) & mask) {
        uint32_t e = d->index[j];
        if (!e) return -1;
        if (key_eq(d->entries[e - 1].key, key)) return (long)(e - 1);
    }
}

cv_value *cv_dict_get(const cv_dict *d, cv_value key) {
    long i = dict_find(d, key);
    return i < 0 ? NULL : &d->entries[i].val;
}

int cv_dict_set(cv_dict *d, cv_value key, cv_value val, cts_err *err) {
    long i = dict_find(d, key);
    if (i >= 0) {
        cv_release(d->entries[i].val);
        cv_release(key);
        d->entries[i].val = val;
        return 0;
    }
    if (d->len == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 8;
        cv_dict_entry *p = realloc(d->entries, nc * sizeof *p);
        if (!p) goto oom;
        d->entries = p;
        d->cap = nc;
    }
    if ((d->len + 1) * 2 > d->index_cap && dict_reindex(d, d->index_cap ? d->index_cap * 2 : 16)) goto oom;
    d->entries[d->len] = (cv_dict_entry){key, val};
    size_t mask = d->index_cap - 1, j = key_hash(key) & mask;
    while (d->index[j]) j = (j + 1) & mask;
    d->index[j] = (uint32_t)(d->len + 1);
    d->len++;
    return 0;
oom:
    cv_release(key);
    cv_release(val);
    return cts_err_oom(err, "dict", d->len);
}

int cv_dict_del(cv_dict *d, cv_value key) {
    long i = dict_find(d, key);
    if (i < 0) return -1;
    cv_release(d->entries[i].key);
    cv_release(d->entries[i].val);
    memmove(&d->entries[i], &d->entries[i + 1], (d->len - (size_t)i - 1) * sizeof *d->entries);
    d->len--;
    /* rebuild the index in place: no allocation, so it cannot fail */
    memset(d->index, 0, d->index_cap * sizeof *d->index);
    for (size_t e = 0; e < d->len; e++) {
        size_t j = key_hash(d->entries[e].key) & (d->index_cap - 1);
        while (d->index[j]) j = (j + 1) & (d->index_cap - 1);
        d->index[j] = (uint32_t)(e + 1);
    }
    return 0;
}

bool cv_hashable(cv_value v) {
    return v.tag == CV_STR || v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL ||
           v.tag == CV_TENSOR || v.tag == CV_DEVICE;
}

bool cv_equal(cv_value a, cv_value b) {
    /* numbers compare across int/float/bool as Python does */
    if ((a.tag == CV_INT || a.tag == CV_FLOAT || a.tag == CV_BOOL) &&
        (b.tag == CV_INT || b.tag == CV_FLOAT || b.tag == CV_BOOL)) {
        if (a.tag == CV_FLOAT || b.tag == CV_FLOAT) {
            double x = a.tag == CV_FLOAT ? a.u.f : a.tag == CV_INT ? (double)a.u.i : a.u.b;
            double y = b.tag == CV_FLOAT ? b.u.f : b.tag == CV_INT ? (double)b.u.i : b.u.b;
            return x == y;
        }
        int64_t x = a.tag == CV_INT ? a.u.i : a.u.b, y = b.tag == CV_INT ? b.u.i : b.u.b;
        return x == y;
    }
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case CV_NONE: return true;
    case CV_STR:
    case CV_DEVICE: return key_eq(a, b);
    case CV_TENSOR: return a.u.t == b.u.t;
    case CV_LIST:
        if (a.u.l->len != b.u.l->len) return false;
        for (size_t i = 0; i < a.u.l->len; i++)
            if (!cv_equal(a.u.l->items[i], b.u.l->items[i])) return false;
        return true;
    case CV_TUPLE:
        if (a.u.tu->len != b.u.tu->len) return false;
        for (size_t i = 0; i < a.u.tu->len; i++)
            if (!cv_equal(a.u.tu->items[i], b.u.tu->items[i])) return false;
        return true;
    case CV_DICT:
        if (a.u.d->len != b.u.d->len) return false;
        for (size_t i = 0; i < a.u.d->len; i++) {
            cv_value *o = cv_dict_get(b.u.d, a.u.d->entries[i].key);
            if (!o || !cv_equal(a.u.d->entries[i].val, *o)) return false;
        }
        return true;
    case CV_OBJECT:
        /* enum members compare by class and name (EnumHolder::operator==) */
        if (cv_is_enum(a) && cv_is_enum(b))
            return cts_type_equal(a.u.o->type, b.u.o->type) && cv_equal(a.u.o->slots[0], b.u.o->slots[0]);
        return a.u.o == b.u.o;
    case CV_FUNC: return a.u.fn == b.u.fn;
    case CV_COMPLEX: return a.u.c->re == b.u.c->re && a.u.c->im == b.u.c->im;
    case CV_PY: return a.u.py == b.u.py;
    default: return false;
    }
}

const char *cv_tag_name(cv_tag t) {
    static const char *const names[] = {"None", "bool", "int", "float", "Device", "str", "Tensor",
                                        "List", "Tuple", "Dict", "Object", "Function", "Uninitialized",
                                        "complex", "object"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

cts_type *cv_type_of(cv_value v) {
    cts_type *t = NULL;
    switch (v.tag) {
    case CV_NONE: t = T_NONE; break;
    case CV_BOOL: t = T_BOOL; break;
    case CV_INT: t = T_INT; break;
    case CV_FLOAT: t = T_FLOAT; break;
    case CV_DEVICE: t = T_DEVICE; break;
    case CV_STR: t = T_STR; break;
    case CV_TENSOR: t = T_TENSOR; break;
    case CV_COMPLEX: t = cts_type_prim(TY_COMPLEX); break;
    case CV_PY: t = T_ANY; break;
    case CV_LIST: return cts_type_list(v.u.l->elem);
    case CV_DICT: return cts_type_dict(v.u.d->key_type, v.u.d->val_type);
    case CV_OBJECT: t = v.u.o->type; break;
    case CV_TUPLE: {
        if (v.u.tu->type) {
            t = v.u.tu->type;
            break;
        }
        size_t n = v.u.tu->len;
        cts_type **el = calloc(n ? n : 1, sizeof *el);
        if (!el) return NULL;
        for (size_t i = 0; i < n; i++) el[i] = cv_type_of(v.u.tu->items[i]);
        cts_type *r = cts_type_tuple((int)n, el);
        for (size_t i = 0; i < n; i++) cts_type_release(el[i]);
        free(el);
        return r;
    }
    case CV_FUNC: t = cts_type_prim(TY_FUNCTION); break;
    default: t = T_ANY;
    }
    cts_type_retain(t);
    return t;
}

/* ---- printing ---- */

void cv_float_repr(double d, cts_strbuf *sb) {
    if ((isnormal(d) || d == 0) && fabs(d) < 1e10 && d == (double)(int64_t)d) {
        if (d == 0 && signbit(d)) cts_sb_puts(sb, "-0.");
        else cts_sb_printf(sb, "%lld.", (long long)(int64_t)d);
        return;
    }
    if (isnan(d)) {
        /* C++ streams print the sign bit of a NaN: x86 arithmetic makes
         * negative ones (inf - inf, sqrt(-1.0) folded to constants) */
        cts_sb_puts(sb, signbit(d) ? "-nan" : "nan");
        return;
    }
    if (isinf(d)) {
        cts_sb_puts(sb, d < 0 ? "-inf" : "inf");
        return;
    }
    cts_sb_printf(sb, "%.17g", d);
}

void cv_float_str(double d, cts_strbuf *sb) {
    if (isnan(d)) {
        cts_sb_puts(sb, "nan");
        return;
    }
    if (isinf(d)) {
        cts_sb_puts(sb, d < 0 ? "-inf" : "inf");
        return;
    }
    /* shortest round-tripping repr, as Python */
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    /* Python uses exponent form only when exp < -4 or >= 16 */
    int exp10 = d == 0 ? 0 : (int)floor(log10(fabs(d)));
    if (strchr(buf, 'e') && exp10 >= -4 && exp10 < 16) {
        int digits = 0;
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
            if (strtod(buf, NULL) == d) {
                digits = prec;
                break;
            }
        }
        int decimals = digits - 1 - exp10;
        if (decimals < 0) decimals = 0;
        snprintf(buf, sizeof buf, "%.*f", decimals, d);
    } else if (strchr(buf, 'e')) {
        /* Python writes e-05 as e-05 and e+16 as e+16: same as C */
    }
    cts_sb_puts(sb, buf);
    if (!strchr(buf, '.') && !strchr(buf, 'e') && !strchr(buf, 'n') && !strchr(buf, 'i')) cts_sb_puts(sb, ".0");
}

void cv_str_quote(const char *s, size_t n, cts_strbuf *sb) {
    cts_sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': cts_sb_puts(sb, "\\\\"); break;
        case '\'': cts_sb_puts(sb, "\\'"); break;
        case '"': cts_sb_puts(sb, "\\\""); break;
        case '\a': cts_sb_puts(sb, "\\a"); break;
        case '\b': cts_sb_puts(sb, "\\b"); break;
        case '\f': cts_sb_puts(sb, "\\f"); break;
        case '\n': cts_sb_puts(sb, "\\n"); break;
        case '\r': cts_sb_puts(sb, "\\r"); break;
        case '\t': cts_sb_puts(sb, "\\t"); break;
        case '\v': cts_sb_puts(sb, "\\v"); break;
        default:
            if (c >= 0x20 && c < 0x7f) cts_sb_putc(sb, (char)c);
            else {
                /* c10::printQuotedString: three "octal digits" computed
                 * with signed char arithmetic, so that a byte >= 0x80
                 * prints as e.g. \0)+ (0xC3), byte-exact with PyTorch */
                int sc = (int)(signed char)c;
                char buf[4] = "000";
                buf[2] = (char)(buf[2] + sc % 8);
                sc /= 8;
                buf[1] = (char)(buf[1] + sc % 8);
                sc /= 8;
                buf[0] = (char)(buf[0] + sc);
                cts_sb_putc(sb, '\\');
                cts_sb_puts(sb, buf);
            }
        }
    }
    cts_sb_putc(sb, '"');
}

void cv_repr(cv_value v, cts_strbuf *sb) {
    switch (v.tag) {
    case CV_PY: cts_sb_puts(sb, "<object>"); break;
    case CV_NONE: cts_sb_puts(sb, "None"); break;
    case CV_BOOL: cts_sb_puts(sb, v.u.b ? "True" : "False"); break;
    case CV_INT: cts_sb_printf(sb, "%lld", (long long)v.u.i); break;
    case CV_FLOAT: cv_float_repr(v.u.f, sb); break;
    case CV_DEVICE:
        cts_sb_puts(sb, v.u.dev.type == 0 ? "cpu" : "cuda");
        if (v.u.dev.index >= 0) cts_sb_printf(sb, ":%d", v.u.dev.index);
        break;
    case CV_STR: cv_str_quote(v.u.s->data, v.u.s->len, sb); break;
    case CV_TENSOR: cts_sb_puts(sb, "<Tensor>"); break;
    case CV_LIST:
        cts_sb_putc(sb, '[');
        for (size_t i = 0; i < v.u.l->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cv_repr(v.u.l->items[i], sb);
        }
        cts_sb_putc(sb, ']');
        break;
    case CV_TUPLE:
        cts_sb_putc(sb, '(');
        for (size_t i = 0; i < v.u.tu->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cv_repr(v.u.tu->items[i], sb);
        }
        if (v.u.tu->len == 1) cts_sb_putc(sb, ',');
        cts_sb_putc(sb, ')');
        break;
    case CV_DICT:
        cts_sb_putc(sb, '{');
        for (size_t i = 0; i < v.u.d->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cv_repr(v.u.d->entries[i].key, sb);
            cts_sb_puts(sb, ": ");
            cv_repr(v.u.d->entries[i].val, sb);
        }
        cts_sb_putc(sb, '}');
        break;
    case CV_OBJECT:
        if (cv_is_enum(v)) /* IValue::repr of an enum: its qualified member name */
            cts_sb_printf(sb, "%s.%s", v.u.o->type->cls->qualname, v.u.o->slots[0].u.s->data);
        else
            cts_sb_printf(sb, "<%s object>", v.u.o->type->cls->qualname);
        break;
    case CV_FUNC: cts_sb_puts(sb, "<Function>"); break;
    case CV_UNINIT: cts_sb_puts(sb, "<uninitialized>"); break;
    case CV_COMPLEX: /* printComplex: real, sign, |imag|, j */
        cv_float_repr(v.u.c->re, sb);
        cts_sb_putc(sb, v.u.c->im >= 0 || isnan(v.u.c->im) ? '+' : '-');
        cv_float_repr(fabs(v.u.c->im), sb);
        cts_sb_putc(sb, 'j');
        break;
    }
}

int cv_device_parse(const char *s, size_t n, cv_value *out, cts_err *err) {
    int type;
    size_t at;
    if (n >= 3 && memcmp(s, "cpu", 3) == 0) type = 0, at = 3;
    else if (n >= 4 && memcmp(s, "cuda", 4) == 0) type = 1, at = 4;
    else
        return cts_err_set(err, "Expected one of cpu, cuda device type at start of device string: %.*s",
                           (int)(n > 60 ? 60 : n), s);
    long index = -1;
    if (at < n) {
        if (s[at] != ':' || at + 1 == n || n - at > 6)
            return cts_err_set(err, "Invalid device string: '%.*s'", (int)(n > 60 ? 60 : n), s);
        index = 0;
        for (size_t i = at + 1; i < n; i++) {
            if (s[i] < '0' || s[i] > '9' || (i == at + 1 && s[i] == '0' && n > at + 2))
                return cts_err_set(err, "Invalid device string: '%.*s'", (int)(n > 60 ? 60 : n), s);
            index = index * 10 + (s[i] - '0');
        }
        if (index > 32767) return cts_err_set(err, "Invalid device string: '%.*s'", (int)(n > 60 ? 60 : n), s);
    }
    *out = cv_device(type, (int)index);
    return 0;
}

int64_t cv_slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step) {
    int64_t s = *start, e = *stop;
    if (s == INT64_MAX) s = step < 0 ? INT64_MAX : 0;
    if (e == INT64_MAX) e = step < 0 ? INT64_MIN : INT64_MAX;
    if (s < 0) {
        s += len;
        if (s < 0) s = step < 0 ? -1 : 0;
    } else if (s >= len) {
        s = step < 0 ? len - 1 : len;
    }
    if (e < 0) {
        e += len;
        if (e < 0) e = step < 0 ? -1 : 0;
    } else if (e >= len) {
        e = step < 0 ? len - 1 : len;
    }
    *start = s;
    *stop = e;
    if (step < 0) return e < s ? (int64_t)(((uint64_t)s - (uint64_t)e - 1) / (0 - (uint64_t)step) + 1) : 0;
    return s < e ? (int64_t)(((uint64_t)e - (uint64_t)s - 1) / (uint64_t)step + 1) : 0;
}
