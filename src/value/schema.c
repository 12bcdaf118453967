/* schema.c - parsing and printing of operator schemas. */
#include "schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sp {
    const char *s;
    size_t pos, len;
    cts_err *err;
    const char *text;
    bool annotated; /* an alias annotation was read (reset per argument) */
} sp;

static void skip_ws(sp *p) {
    while (p->pos < p->len && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static bool peek(sp *p, const char *tok) {
    skip_ws(p);
    size_t n = strlen(tok);
    return p->pos + n <= p->len && memcmp(p->s + p->pos, tok, n) == 0;
}

static bool eat(sp *p, const char *tok) {
    if (!peek(p, tok)) return false;
    p->pos += strlen(tok);
    return true;
}

static int fail(sp *p, const char *what) {
    return cts_err_set(p->err, "schema parse error: %s at offset %zu in '%s'", what, p->pos, p->text);
}

static int expect(sp *p, const char *tok) {
    if (eat(p, tok)) return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "expected '%s'", tok);
    return fail(p, buf);
}

static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* identifier possibly with dots or "::" inside */
static char *ident(sp *p, bool allow_qual) {
    skip_ws(p);
    size_t st = p->pos;
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (is_ident_char(c)) p->pos++;
        else if (allow_qual && c == '.' && p->pos + 1 < p->len && is_ident_char(p->s[p->pos + 1])) p->pos++;
        else if (allow_qual && c == ':' && p->pos + 1 < p->len && p->s[p->pos + 1] == ':') p->pos += 2;
        else break;
    }
    if (p->pos == st) {
        fail(p, "expected an identifier");
        return NULL;
    }
    char *r = malloc(p->pos - st + 1);
    if (!r) {
        cts_err_oom(p->err, "schema", p->pos - st);
        return NULL;
    }
    memcpy(r, p->s + st, p->pos - st);
    r[p->pos - st] = 0;
    return r;
}

/* alias annotation: "(a!)", "(a -> *)", "(b|a)", "!" ; sets *write */
static int alias_annot(sp *p, bool *write) {
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '!') {
        p->pos++;
        *write = true;
        p->annotated = true;
        return 0;
    }
    if (!peek(p, "(")) return 0;
    /* distinguish "(a!)" from a tuple type: alias sets are short identifiers or '*' */
    size_t save = p->pos;
    p->pos++;
    int depth = 1;
    size_t st = p->pos;
    while (p->pos < p->len && depth) {
        char c = p->s[p->pos];
        if (c == '(') depth++;
        else if (c == ')') depth--;
        p->pos++;
    }
    if (depth) {
        p->pos = save;
        return fail(p, "unterminated alias annotation");
    }
    for (size_t i = st; i < p->pos - 1; i++)
        if (p->s[i] == '!') *write = true;
    p->annotated = true;
    return 0;
}

static cts_type *parse_type(sp *p, bool *write);

static cts_type *base_type(sp *p) {
    skip_ws(p);
    if (eat(p, "(")) { /* tuple */
        cts_type *el[64] = {0};
        int n = 0;
        if (!eat(p, ")")) {
            for (;;) {
                if (n == 64) {
                    fail(p, "tuple too long");
                    goto tfail;
                }
                bool w = false;
                cts_type *t = parse_type(p, &w);
                if (!t) goto tfail;
                el[n++] = t;
                skip_ws(p);
                /* a named tuple element in returns "(Tensor a, Tensor b)" is handled by caller */
                if (eat(p, ")")) break;
                if (expect(p, ",")) goto tfail;
            }
        }
        cts_type *r = cts_type_tuple(n, el);
        for (int i = 0; i < n; i++) cts_type_release(el[i]);
        if (!r) cts_err_oom(p->err, "type", 0);
        return r;
    tfail:
        for (int i = 0; i < n; i++) cts_type_release(el[i]);
        return NULL;
    }
    char *id = ident(p, true);
    if (!id) return NULL;
    cts_type *r = NULL;
    static const struct { const char *name; cts_type_kind kind; } simple[] = {
        {"Tensor", TY_TENSOR},      {"Scalar", TY_NUMBER},     {"int", TY_INT},
        {"SymInt", TY_INT},         {"ScalarType", TY_INT},    {"Layout", TY_INT},
        {"MemoryFormat", TY_INT},   {"ConstQuantizerPtr", TY_INT}, {"float", TY_FLOAT},
        {"complex", TY_COMPLEX},    {"bool", TY_BOOL},         {"str", TY_STR},
        {"Dimname", TY_STR},        {"Device", TY_DEVICE},     {"Stream", TY_STREAM},
        {"Generator", TY_GENERATOR},{"Storage", TY_STORAGE},   {"QScheme", TY_QSCHEME},
        {"Quantizer", TY_CAPSULE},  {"Capsule", TY_CAPSULE},   {"Any", TY_ANY},
        {"AnyClassType", TY_ANY_CLASS}, {"AnyEnumType", TY_ANY_ENUM}, {"None", TY_NONE},
        {"NoneType", TY_NONE},      {"t", TY_VAR},
    };
    for (size_t i = 0; i < sizeof simple / sizeof *simple; i++) {
        if (strcmp(id, simple[i].name) == 0) {
            if (simple[i].kind == TY_VAR) break;
            r = cts_type_prim(simple[i].kind);
            free(id);
            return r;
        }
    }
    if (strcmp(id, "Dict") == 0 || strcmp(id, "Union") == 0 || strcmp(id, "Future") == 0 ||
        strcmp(id, "RRef") == 0 || strcmp(id, "Await") == 0) {
        cts_type *el[16] = {0};
        int n = 0;
        if (expect(p, "(")) goto gfail;
        for (;;) {
            bool w = false;
            if (n == 16) {
                fail(p, "too many type arguments");
                goto gfail;
            }
            cts_type *t = parse_type(p, &w);
            if (!t) goto gfail;
            el[n++] = t;
            if (eat(p, ")")) break;
            if (expect(p, ",")) goto gfail;
        }
        if (id[0] == 'D') r = n == 2 ? cts_type_dict(el[0], el[1]) : NULL;
        else if (id[0] == 'U') r = cts_type_union(n, el);
        else if (n == 1) r = cts_type_future(el[0]);
        if (!r) fail(p, "bad type arguments");
    gfail:
        for (int i = 0; i < n; i++) cts_type_release(el[i]);
        free(id);
        return r;
    }
    if (strncmp(id, "__torch__.", 10) == 0) {
        /* TorchBind classes: cts has none; match them as an opaque class */
        r = cts_type_prim(TY_ANY_CLASS);
        free(id);
        return r;
    }
    if (islower((unsigned char)id[0]) && !strchr(id, '.')) {
        r = cts_type_var(id);
        free(id);
        if (!r) cts_err_oom(p->err, "type", 0);
        return r;
    }
    fail(p, "unknown type name");
    free(id);
    return NULL;
}

static cts_type *parse_type(sp *p, bool *write) {
    cts_type *t = base_type(p);
    if (!t) return NULL;
    if (alias_annot(p, write)) goto fail;
    for (;;) {
        skip_ws(p);
        if (eat(p, "?")) {
            cts_type *o = cts_type_optional(t);
            cts_type_release(t);
            t = o;
        } else if (peek(p, "[")) {
            /* "[]" or "[N]" */
            size_t save = p->pos;
            p->pos++;
            skip_ws(p);
            if (p->pos < p->len && isdigit((unsigned char)p->s[p->pos])) {
                /* sized list: leave to the caller (it records N) */
                p->pos = save;
                return t;
            }
            if (expect(p, "]")) goto fail;
            cts_type *l = cts_type_list(t);
            cts_type_release(t);
            t = l;
            if (alias_annot(p, write)) goto fail;
        } else {
            return t;
        }
        if (!t) {
            cts_err_oom(p->err, "type", 0);
            return NULL;
        }
    }
fail:
    cts_type_release(t);
    return NULL;
}

/* sized list "[N]" with optional alias and "?" suffix, applied to t */
static cts_type *sized_suffix(sp *p, cts_type *t, int *N, bool *write) {
    if (!peek(p, "[")) return t;
    p->pos++;
    skip_ws(p);
    int n = 0;
    while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos])) n = n * 10 + (p->s[p->pos++] - '0');
    if (expect(p, "]")) {
        cts_type_release(t);
        return NULL;
    }
    *N = n;
    cts_type *l = cts_type_list(t);
    cts_type_release(t);
    if (!l) return NULL;
    if (alias_annot(p, write)) {
        cts_type_release(l);
        return NULL;
    }
    if (eat(p, "?")) {
        cts_type *o = cts_type_optional(l);
        cts_type_release(l);
        return o;
    }
    return l;
}

/* ---- default values ---- */

static int parse_number(sp *p, cv_value *out, bool want_float) {
    skip_ws(p);
    size_t st = p->pos;
    if (p->pos < p->len && (p->s[p->pos] == '-' || p->s[p->pos] == '+')) p->pos++;
    bool isf = false;
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (isdigit((unsigned char)c)) p->pos++;
        else if (c == '.' || c == 'e' || c == 'E') {
            isf = true;
            p->pos++;
            if ((c == 'e' || c == 'E') && p->pos < p->len && (p->s[p->pos] == '-' || p->s[p->pos] == '+')) p->pos++;
        } else if (c == 'i' || c == 'n' || c == 'f' || c == 'a') { /* inf, nan */
            p->pos++;
            isf = true;
        } else break;
    }
    if (p->pos == st) return fail(p, "expected a number");
    char buf[64];
    size_t n = p->pos - st < 63 ? p->pos - st : 63;
    memcpy(buf, p->s + st, n);
    buf[n] = 0;
    if (isf || want_float) *out = cv_float(strtod(buf, NULL));
    else *out = cv_int(strtoll(buf, NULL, 10));
    return 0;
}

static int parse_string_lit(sp *p, cv_value *out) {
    skip_ws(p);
    char q = p->s[p->pos++];
    cts_strbuf sb;
    cts_sb_init(&sb);
    while (p->pos < p->len && p->s[p->pos] != q) {
        char c = p->s[p->pos++];
        if (c == '\\' && p->pos < p->len) {
            char e = p->s[p->pos++];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'f': c = '\f'; break;
            case 'v': c = '\v'; break;
            case 'r': c = '\r'; break;
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            default: c = e;
            }
        }
        cts_sb_putc(&sb, c);
    }
    if (p->pos >= p->len) {
        cts_sb_free(&sb);
        return fail(p, "unterminated string");
    }
    p->pos++;
    int r = cv_str_new(cts_sb_str(&sb), sb.len, out, p->err);
    cts_sb_free(&sb);
    return r;
}

/* one scalar default for element type t */
static int parse_scalar_default(sp *p, const cts_type *t, cv_value *out) {
    skip_ws(p);
    if (p->pos >= p->len) return fail(p, "expected a default value");
    char c = p->s[p->pos];
    if (c == '"' || c == '\'') return parse_string_lit(p, out);
    if (isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.')
        return parse_number(p, out, t->kind == TY_FLOAT);
    char *id = ident(p, false);
    if (!id) return -1;
    static const struct { const char *n; int kind; int64_t v; } names[] = {
        {"None", 0, 0},  {"True", 1, 1}, {"False", 1, 0}, {"long", 2, 4}, {"float", 2, 6},
        {"int", 2, 3},   {"double", 2, 7}, {"complex", 2, 9}, {"strided", 2, 0},
        {"contiguous_format", 2, 0}, {"preserve_format", 2, 1}, {"Mean", 2, 1}, {"Sum", 2, 2},
        {"inf", 3, 0},   {"nan", 4, 0},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strcmp(id, names[i].n)) continue;
        free(id);
        switch (names[i].kind) {
        case 0: *out = cv_none(); return 0;
        case 1: *out = cv_bool(names[i].v != 0); return 0;
        case 2: *out = cv_int(names[i].v); return 0;
        case 3: *out = cv_float(1.0 / 0.0); return 0;
        default: *out = cv_float(0.0 / 0.0); return 0;
        }
    }
    free(id);
    return fail(p, "unknown default value");
}

static cts_type *elem_of(const cts_type *t) {
    if (t->kind == TY_OPTIONAL) t = t->elems[0];
    if (t->kind == TY_LIST) return t->elems[0];
    return NULL;
}

static int parse_default(sp *p, cts_arg *a) {
    const cts_type *t = a->type;
    if (t->kind == TY_OPTIONAL && peek(p, "None")) return parse_scalar_default(p, t, &a->default_val);
    cts_type *el = elem_of(t);
    if (el && peek(p, "[")) {
        p->pos++;
        cv_value lst;
        if (cv_list_new(el, 4, &lst, p->err)) return -1;
        if (!eat(p, "]")) {
            for (;;) {
                cv_value v;
                if (parse_scalar_default(p, el, &v)) goto lfail;
                if (cv_list_push(lst.u.l, v, p->err)) goto lfail;
                if (eat(p, "]")) break;
                if (expect(p, ",")) goto lfail;
            }
        }
        a->default_val = lst;
        return 0;
    lfail:
        cv_release(lst);
        return -1;
    }
    if (el) {
        /* a single value for a (sized) list repeats N times */
        cv_value v, lst;
        if (parse_scalar_default(p, el, &v)) return -1;
        if (v.tag == CV_NONE) {
            a->default_val = v;
            return 0;
        }
        if (cv_list_new(el, 4, &lst, p->err)) return -1;
        int n = a->N > 0 ? a->N : 1;
        for (int i = 0; i < n; i++) {
            cv_retain(v);
            if (cv_list_push(lst.u.l, v, p->err)) {
                cv_release(lst);
                cv_release(v);
                return -1;
            }
        }
        cv_release(v);
        a->default_val = lst;
        return 0;
    }
    const cts_type *base = t->kind == TY_OPTIONAL ? t->elems[0] : t;
    if (parse_scalar_default(p, base, &a->default_val)) return -1;
    if (base->kind == TY_FLOAT && a->default_val.tag == CV_INT) a->default_val = cv_float((double)a->default_val.u.i);
    if (base->kind == TY_DEVICE && a->default_val.tag == CV_STR) {
        bool cpu = strcmp(a->default_val.u.s->data, "cpu") == 0;
        cv_release(a->default_val);
        a->default_val = cv_device(cpu ? 0 : 1, -1);
    }
    return 0;
}

static void arg_clear(cts_arg *a) {
    free(a->name);
    cts_type_release(a->type);
    cv_release(a->default_val);
}

void cts_schema_free(cts_schema *s) {
    if (!s) return;
    for (int i = 0; i < s->nargs; i++) arg_clear(&s->args[i]);
    for (int i = 0; i < s->nrets; i++) arg_clear(&s->rets[i]);
    free(s->args);
    free(s->rets);
    free(s->name);
    free(s->overload);
    free(s);
}

static int push_arg(cts_arg **arr, int *n, int *cap, cts_arg a, cts_err *err) {
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        cts_arg *p = realloc(*arr, (size_t)nc * sizeof *p);
        if (!p) return cts_err_oom(err, "schema", 0);
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = a;
    return 0;
}

/* one argument or return: type [name] [= default] */
static int parse_arg(sp *p, cts_arg *a, bool is_return, bool kwonly) {
    memset(a, 0, sizeof *a);
    a->kwarg_only = kwonly;
    bool w = false;
    p->annotated = false;
    a->type = parse_type(p, &w);
    if (!a->type) return -1;
    a->type = sized_suffix(p, a->type, &a->N, &w);
    if (!a->type) return -1;
    a->is_write = w;
    a->is_alias = p->annotated;
    skip_ws(p);
    if (p->pos < p->len && (isalpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')) {
        a->name = ident(p, false);
        if (!a->name) return -1;
    } else {
        a->name = calloc(1, 1);
        if (!a->name) return cts_err_oom(p->err, "schema", 1);
        if (!is_return) return fail(p, "expected an argument name");
    }
    if (!is_return && eat(p, "=")) {
        if (parse_default(p, a)) return -1;
        a->has_default = true;
    }
    a->is_out = kwonly && w && a->type->kind == TY_TENSOR;
    return 0;
}

cts_schema *cts_schema_parse(const char *text, cts_err *err) {
    sp p = {text, 0, strlen(text), err, text, false};
    cts_schema *s = calloc(1, sizeof *s);
    if (!s) {
        cts_err_oom(err, "schema", sizeof *s);
        return NULL;
    }
    s->text = text;
    char *full = ident(&p, true);
    if (!full) goto fail;
    /* split name.overload at the first '.' after "::" */
    char *colons = strstr(full, "::");
    char *dot = strchr(colons ? colons + 2 : full, '.');
    if (dot) {
        *dot = 0;
        s->overload = malloc(strlen(dot + 1) + 1);
        if (s->overload) strcpy(s->overload, dot + 1);
    } else {
        s->overload = calloc(1, 1);
    }
    s->name = full;
    if (!s->overload) {
        cts_err_oom(err, "schema", 0);
        goto fail;
    }
    if (expect(&p, "(")) goto fail;
    int cap = 0;
    bool kwonly = false;
    if (!eat(&p, ")")) {
        for (;;) {
            if (eat(&p, "...")) {
                s->is_vararg = true;
            } else if (peek(&p, "*") && !peek(&p, "*)")) {
                p.pos++;
                kwonly = true;
            } else {
                cts_arg a;
                if (parse_arg(&p, &a, false, kwonly)) {
                    arg_clear(&a);
                    goto fail;
                }
                if (push_arg(&s->args, &s->nargs, &cap, a, err)) {
                    arg_clear(&a);
                    goto fail;
                }
            }
            if (eat(&p, ")")) break;
            if (expect(&p, ",")) goto fail;
        }
    }
    if (expect(&p, "->")) goto fail;
    cap = 0;
    skip_ws(&p);
    if (eat(&p, "...")) {
        s->is_varret = true;
    } else if (peek(&p, "(")) {
        /* could be a tuple of returns or a tuple type as the single return:
         * PyTorch treats a parenthesized list after -> as multiple returns */
        p.pos++;
        if (!eat(&p, ")")) {
            for (;;) {
                if (eat(&p, "...")) {
                    s->is_varret = true;
                } else {
                    cts_arg a;
                    if (parse_arg(&p, &a, true, false)) {
                        arg_clear(&a);
                        goto fail;
                    }
                    if (push_arg(&s->rets, &s->nrets, &cap, a, err)) {
                        arg_clear(&a);
                        goto fail;
                    }
                }
                if (eat(&p, ")")) break;
                if (expect(&p, ",")) goto fail;
            }
        }
    } else {
        cts_arg a;
        if (parse_arg(&p, &a, true, false)) {
            arg_clear(&a);
            goto fail;
        }
        if (push_arg(&s->rets, &s->nrets, &cap, a, err)) {
            arg_clear(&a);
            goto fail;
        }
    }
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters");
        goto fail;
    }
    return s;
fail:
    cts_schema_free(s);
    return NULL;
}

cts_type *cts_schema_parse_type(const char *text, cts_err *err) {
    sp p = {text, 0, strlen(text), err, text, false};
    bool w = false;
    cts_type *t = parse_type(&p, &w);
    if (!t) return NULL;
    int N = 0;
    t = sized_suffix(&p, t, &N, &w);
    if (!t) return NULL;
    skip_ws(&p);
    if (p.pos != p.len) {
        cts_type_release(t);
        fail(&p, "trailing characters");
        return NULL;
    }
    return t;
}

int cts_schema_min_args(const cts_schema *s) {
    int n = 0;
    for (int i = 0; i < s->nargs; i++)
        if (!s->args[i].kwarg_only && !s->args[i].has_default) n++;
    return n;
}

void cts_schema_str(const cts_schema *s, cts_strbuf *sb) {
    if (s->text) {
        cts_sb_puts(sb, s->text);
        return;
    }
    cts_sb_puts(sb, s->name);
    if (s->overload[0]) cts_sb_printf(sb, ".%s", s->overload);
    cts_sb_putc(sb, '(');
    bool kw = false;
    for (int i = 0; i < s->nargs; i++) {
        if (i) cts_sb_puts(sb, ", ");
        if (s->args[i].kwarg_only && !kw) {
            cts_sb_puts(sb, "*, ");
            kw = true;
        }
        cts_type_str_ir(s->args[i].type, sb);
        cts_sb_printf(sb, " %s", s->args[i].name);
        if (s->args[i].has_default) {
            cts_sb_putc(sb, '=');
            cv_repr(s->args[i].default_val, sb);
        }
    }
    if (s->is_vararg) cts_sb_puts(sb, s->nargs ? ", ..." : "...");
    cts_sb_puts(sb, ") -> ");
    if (s->nrets == 1 && !s->is_varret) {
        cts_type_str_ir(s->rets[0].type, sb);
    } else {
        cts_sb_putc(sb, '(');
        for (int i = 0; i < s->nrets; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_ir(s->rets[i].type, sb);
        }
        if (s->is_varret) cts_sb_puts(sb, "...");
        cts_sb_putc(sb, ')');
    }
}
