/* annotation.c - parser for the type annotations of pickled type tags.
 *
 * restore_type_tag carries TorchScript annotation text ("Dict[str, int]",
 * "List[__torch__.Foo]"); this parses the subset that type tags use, with
 * class names resolved by the caller.  Recursive descent, nesting bounded. */
#include "annotation.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>


typedef struct AP {
    const char *s;
    size_t pos;
    int depth;
    cts_type *(*resolve)(void *, const char *, const char *, cts_err *);
    void *ctx;
    cts_err *err;
} AP;

static cts_type *ap_fail(AP *a, const char *fmt, ...) CTS_PRINTF(2, 3);
static cts_type *ap_fail(AP *a, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cts_err_set(a->err, "type annotation '%.300s': %s", a->s, msg);
    return NULL;
}

static void ap_ws(AP *a) {
    while (a->s[a->pos] == ' ') a->pos++;
}

static bool ap_eat(AP *a, char c) {
    ap_ws(a);
    if (a->s[a->pos] != c) return false;
    a->pos++;
    return true;
}

static cts_type *ap_type(AP *a);

/* Parses "T, T, ...]" after a '['; at most max types. */
static int ap_args(AP *a, cts_type **out, int max, int *n) {
    *n = 0;
    do {
        if (*n == max) {
            ap_fail(a, "too many type arguments");
            goto fail;
        }
        if (!(out[*n] = ap_type(a))) goto fail;
        (*n)++;
    } while (ap_eat(a, ','));
    if (!ap_eat(a, ']')) {
        ap_fail(a, "expected ']' at offset %zu", a->pos);
        goto fail;
    }
    return 0;
fail:
    for (int i = 0; i < *n; i++) cts_type_release(out[i]);
    *n = 0;
    return -1;
}

static cts_type *ap_type(AP *a) {
    if (++a->depth > 64) return ap_fail(a, "nested too deeply");
    ap_ws(a);
    size_t start = a->pos;
    while (a->s[a->pos] == '_' || a->s[a->pos] == '.' || (a->s[a->pos] >= 'a' && a->s[a->pos] <= 'z') ||
           (a->s[a->pos] >= 'A' && a->s[a->pos] <= 'Z') || (a->s[a->pos] >= '0' && a->s[a->pos] <= '9'))
        a->pos++;
    size_t n = a->pos - start;
    if (n == 0) return ap_fail(a, "expected a type name at offset %zu", start);
    char name[256];
    if (n >= sizeof name) return ap_fail(a, "type name too long");
    memcpy(name, a->s + start, n);
    name[n] = 0;
    cts_type *r = NULL;
    if (ap_eat(a, '[')) {
        cts_type *args[64];
        int na = 0;
        if (strcmp(name, "Tuple") == 0) {
            ap_ws(a);
            if (a->s[a->pos] == '(' && a->s[a->pos + 1] == ')') {
                a->pos += 2;
                if (!ap_eat(a, ']')) return ap_fail(a, "expected ']' after Tuple[()");
                r = cts_type_tuple(0, NULL);
                goto made;
            }
            if (ap_args(a, args, 64, &na)) return NULL;
            r = cts_type_tuple(na, args);
        } else if (strcmp(name, "List") == 0 || strcmp(name, "Optional") == 0 || strcmp(name, "Future") == 0) {
            if (ap_args(a, args, 1, &na)) return NULL;
            r = name[0] == 'L' ? cts_type_list(args[0]) : name[0] == 'O' ? cts_type_optional(args[0])
                                                                          : cts_type_future(args[0]);
        } else if (strcmp(name, "Dict") == 0) {
            if (ap_args(a, args, 2, &na)) return NULL;
            if (na != 2) {
                cts_type_release(args[0]);
                return ap_fail(a, "Dict needs two type arguments");
            }
            r = cts_type_dict(args[0], args[1]);
        } else if (strcmp(name, "Union") == 0) {
            if (ap_args(a, args, 64, &na)) return NULL;
            r = cts_type_union(na, args);
        } else {
            return ap_fail(a, "unknown generic type '%s'", name);
        }
        for (int i = 0; i < na; i++) cts_type_release(args[i]);
    made:
        if (!r) return ap_fail(a, "out of memory");
        a->depth--;
        return r;
    }
    static const struct {
        const char *name;
        cts_type_kind kind;
    } prims[] = {
        {"Tensor", TY_TENSOR}, {"int", TY_INT},          {"float", TY_FLOAT},       {"bool", TY_BOOL},
        {"str", TY_STR},       {"None", TY_NONE},        {"NoneType", TY_NONE},     {"Any", TY_ANY},
        {"number", TY_NUMBER}, {"Scalar", TY_NUMBER},    {"complex", TY_COMPLEX},   {"Device", TY_DEVICE},
        {"device", TY_DEVICE}, {"Generator", TY_GENERATOR}, {"Storage", TY_STORAGE}, {"Layout", TY_LAYOUT},
        {"Stream", TY_STREAM}, {"Capsule", TY_CAPSULE}, {"QScheme", TY_QSCHEME},
        {"AnyClassType", TY_ANY_CLASS}, {"AnyEnumType", TY_ANY_ENUM},
    };
    for (size_t i = 0; i < sizeof prims / sizeof *prims; i++)
        if (strcmp(name, prims[i].name) == 0) {
            a->depth--;
            return cts_type_prim(prims[i].kind);
        }
    char *dot = strrchr(name, '.');
    if (dot && strncmp(name, "__torch__.", 10) == 0 && dot[1]) {
        if (!a->resolve) return ap_fail(a, "class '%s' found but no class resolver was given", name);
        *dot = 0;
        r = a->resolve(a->ctx, name, dot + 1, a->err);
        if (!r) {
            *dot = '.';
            cts_err_prefix(a->err, "type annotation '%.300s': ", a->s);
            return NULL;
        }
        a->depth--;
        return r;
    }
    return ap_fail(a, "unknown type name '%s'", name);
}

cts_type *cts_parse_annotation(const char *annot,
                               cts_type *(*resolve_class)(void *ctx, const char *module, const char *name,
                                                          cts_err *err),
                               void *ctx, cts_err *err) {
    AP a = {annot, 0, 0, resolve_class, ctx, err};
    cts_type *t = ap_type(&a);
    if (!t) return NULL;
    ap_ws(&a);
    if (annot[a.pos]) {
        cts_type_release(t);
        return ap_fail(&a, "unexpected text at offset %zu", a.pos);
    }
    return t;
}
