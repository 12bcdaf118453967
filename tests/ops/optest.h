/* optest.h - calling kernels of one op family in unit tests.
 *
 * Tests walk the family's own table (not registry.c, which needs every
 * family linked) and show results as TorchScript's str() would, so expected
 * values can be copied from PyTorch: `str(7 // -2)` is "-4".
 *
 *   OPS(cts_ops_scalar, cts_ops_scalar_count);
 *   CHECK_STR(R("aten::floordiv.int", 2, I(7), I(-2)), "-4");
 *
 * R() takes ownership of its arguments (cv_retain what you keep) and
 * returns the result text, or "ERR: <message>" when the kernel fails. */
#ifndef CTS_TESTS_OPTEST_H
#define CTS_TESTS_OPTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ops/op.h"
#include "ops/str.h"

static const cts_op_def *optest_defs_;
static int optest_n_;
#define OPS(defs, count) (optest_defs_ = (defs), optest_n_ = (count))

static inline cts_kernel_fn optest_find(const char *key) {
    size_t kl = strlen(key);
    for (int i = 0; i < optest_n_; i++) {
        const char *s = optest_defs_[i].schema;
        const char *p = strchr(s, '(');
        size_t sl = p ? (size_t)(p - s) : strlen(s);
        if (sl == kl && memcmp(s, key, kl) == 0) return optest_defs_[i].fn;
    }
    return NULL;
}

/* The number of results of key's schema: "-> (float, int)" is 2 (a
 * kernel writes one output per result), anything else 1. */
static inline int optest_nret(const char *key) {
    size_t kl = strlen(key);
    for (int i = 0; i < optest_n_; i++) {
        const char *s = optest_defs_[i].schema;
        if (strncmp(s, key, kl) || s[kl] != '(') continue;
        const char *r = strstr(s, ") -> (");
        if (!r) return 1;
        int n = 1, depth = 0;
        for (r += 6; *r && !(depth == 0 && *r == ')'); r++) {
            if (*r == '(' || *r == '[') depth++;
            else if (*r == ')' || *r == ']') depth--;
            else if (*r == ',' && depth == 0) n++;
        }
        return n;
    }
    return 1;
}

/* Runs key on args (borrowed); 0 or -1, with *out or err set.  A kernel
 * with several results writes one output each: *out is then their tuple. */
static inline int optest_call(const char *key, cv_value *args, int nargs, cv_value *out, cts_err *err) {
    cts_kernel_fn fn = optest_find(key);
    if (!fn) return cts_err_set(err, "no kernel for %s", key);
    cts_kctx k = {err, NULL, NULL};
    cv_value outs[8];
    int nret = optest_nret(key);
    if (nret > 8) return cts_err_set(err, "%s: too many results for the test", key);
    for (int i = 0; i < 8; i++) outs[i] = cv_none();
    int rc = fn(&k, args, nargs, outs);
    if (rc || nret == 1) {
        *out = outs[0];
        return rc;
    }
    return cv_tuple_new(NULL, (size_t)nret, outs, out, err);
}

static char optest_ring_[16][4096];
static int optest_next_;

static inline const char *optest_text(int rc, cv_value out, const cts_err *err) {
    char *buf = optest_ring_[optest_next_++ & 15];
    if (rc) {
        snprintf(buf, 4096, "ERR: %s", err->msg);
        return buf;
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_ivalue_str(out, &sb);
    snprintf(buf, 4096, "%s", cts_sb_str(&sb));
    cts_sb_free(&sb);
    return buf;
}

/* The result of key(args...) as text; releases the args and the result. */
static inline const char *R(const char *key, int nargs, ...) {
    cv_value args[16];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs && i < 16; i++) args[i] = va_arg(ap, cv_value);
    va_end(ap);
    cts_err err = {0};
    cv_value out;
    int rc = optest_call(key, args, nargs, &out, &err);
    const char *t = optest_text(rc, out, &err);
    if (!rc) cv_release(out);
    for (int i = 0; i < nargs && i < 16; i++) cv_release(args[i]);
    return t;
}

/* Value builders (each returns an owned value). */
static inline cv_value I(int64_t i) { return cv_int(i); }
static inline cv_value F(double f) { return cv_float(f); }
static inline cv_value B(bool b) { return cv_bool(b); }
static inline cv_value N(void) { return cv_none(); }
static inline cv_value S(const char *s) {
    cv_value v;
    cts_err err = {0};
    if (cv_str_from(s, &v, &err)) return cv_none();
    return v;
}
/* List of elem type t from n values (taking ownership). */
static inline cv_value LIST(cts_type *t, int n, ...) {
    cv_value l;
    cts_err err = {0};
    if (cv_list_new(t, (size_t)n, &l, &err)) return cv_none();
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, va_arg(ap, cv_value), &err);
    va_end(ap);
    return l;
}
static inline cv_value TUP(int n, ...) {
    cv_value items[16], t;
    cts_err err = {0};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n && i < 16; i++) items[i] = va_arg(ap, cv_value);
    va_end(ap);
    if (cv_tuple_new(NULL, (size_t)n, items, &t, &err)) return cv_none();
    return t;
}
/* A new reference to v, for passing something the test keeps. */
static inline cv_value KEEP(cv_value v) {
    cv_retain(v);
    return v;
}
/* str() of a value the test keeps. */
static inline const char *SHOW(cv_value v) {
    cts_err err = {0};
    return optest_text(0, v, &err);
}

/* A 0-dim tensor, or a 1-d one of n values. */
static inline cv_value TEN0(ct_dtype dt, double v) {
    cts_err err = {0};
    return cv_tensor(ct_tensor_scalar_f64(dt, v, &err));
}
static inline cv_value TEN1(ct_dtype dt, int n, const double *v) {
    cts_err err = {0};
    int64_t size = n;
    ct_tensor *t = ct_tensor_empty(dt, 1, &size, &err);
    for (int i = 0; t && i < n; i++) ct_store_f64((char *)ct_data(t) + i * ct_dtype_size(dt), dt, v[i]);
    return cv_tensor(t);
}

/* Every schema key of the table appears once. */
static inline int optest_duplicate_keys(void) {
    int dups = 0;
    for (int i = 0; i < optest_n_; i++) {
        const char *s = optest_defs_[i].schema, *p = strchr(s, '(');
        size_t l = p ? (size_t)(p - s) : strlen(s);
        for (int j = i + 1; j < optest_n_; j++) {
            const char *t = optest_defs_[j].schema, *q = strchr(t, '(');
            size_t m = q ? (size_t)(q - t) : strlen(t);
            if (l == m && memcmp(s, t, l) == 0) {
                fprintf(stderr, "duplicate schema key: %.*s\n", (int)l, s);
                dups++;
            }
        }
    }
    return dups;
}

#endif
