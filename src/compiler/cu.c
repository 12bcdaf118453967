/* cu.c - compilation units: sources, class declarations, signatures.
 *
 * Classes come from class bodies as PyTorch's import_source.cpp reads them:
 * `__parameters__` / `__buffers__` lists, `name : T` attributes in slot
 * order, `name : Final[T] = value` constants, `__annotations__["k"] = T`
 * for non-identifier attribute names, and methods.  Bases: Module (a module
 * class), NamedTuple, or none. */
#include "cu.h"
#include "enum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_internal.h"

cts_cu *cts_cu_new(cts_source_loader loader, void *ctx) {
    cts_cu *cu = calloc(1, sizeof *cu);
    if (!cu) return NULL;
    cts_arena_init(&cu->arena);
    cts_map_init(&cu->classes);
    cts_map_init(&cu->functions);
    cts_map_init(&cu->pending);
    cts_map_init(&cu->loaded_files);
    cts_map_init(&cu->schemas);
    cts_map_init(&cu->aliases);
    cu->loader = loader;
    cu->loader_ctx = ctx;
    cu->constants = cv_none();
    return cu;
}

void ir_function_free(ir_function *f) {
    if (!f) return;
    if (f->exec && f->exec_free) f->exec_free(f->exec);
    ir_graph_free(f->graph);
    cts_schema_free(f->schema);
    free(f->qualname);
    free(f->name);
    free(f);
}

void cts_cu_free(cts_cu *cu) {
    if (!cu) return;
    for (int i = 0; i < cu->nfns; i++) ir_function_free(cu->fns[i]);
    free(cu->fns);
    for (size_t i = 0; i < cu->schemas.cap; i++)
        if (cu->schemas.slots[i].key) cts_schema_free(cu->schemas.slots[i].val);
    for (size_t i = 0; i < cu->classes.cap; i++)
        if (cu->classes.slots[i].key) cts_type_release(cu->classes.slots[i].val);
    for (int i = 0; i < cu->ntypes; i++) cts_type_release(cu->owned_types[i]);
    free(cu->owned_types);
    cv_release(cu->constants);
    cts_map_free(&cu->classes);
    cts_map_free(&cu->functions);
    cts_map_free(&cu->pending);
    cts_map_free(&cu->loaded_files);
    cts_map_free(&cu->schemas);
    cts_map_free(&cu->aliases);
    cts_arena_free(&cu->arena);
    free(cu);
}

int cts_cu_hold_type(cts_cu *cu, cts_type *t) {
    if (cu->ntypes == cu->cap_types) {
        int nc = cu->cap_types ? cu->cap_types * 2 : 64;
        cts_type **p = realloc(cu->owned_types, (size_t)nc * sizeof *p);
        if (!p) return -1;
        cu->owned_types = p;
        cu->cap_types = nc;
    }
    cts_type_retain(t);
    cu->owned_types[cu->ntypes++] = t;
    return 0;
}

const cts_schema *cts_cu_schema(cts_cu *cu, const char *text, cts_err *err) {
    cts_schema *s = cts_map_get(&cu->schemas, text);
    if (s) return s;
    s = cts_schema_parse(text, err);
    if (!s) return NULL;
    if (cts_map_put(&cu->schemas, text, s)) {
        cts_schema_free(s);
        cts_err_oom(err, "schema cache", 0);
        return NULL;
    }
    return s;
}

static char *cu_strdup(cts_cu *cu, const char *s, cts_err *err) {
    char *p = cts_arena_strdup(&cu->arena, s);
    if (!p) cts_err_oom(err, "compilation unit", strlen(s));
    return p;
}

/* ---- sources ---- */

/* `import a.b as c` binds c -> "a.b"; `import a.b` binds a -> "a";
 * `from m import x as y` binds y -> "m.x". */
static int record_imports(cts_cu *cu, const ast *s, cts_err *err) {
    for (int i = 0; i < s->nlist; i++) {
        const ast *a = s->list[i];
        char path[512], bound[512];
        if (s->kind == S_IMPORT) {
            snprintf(path, sizeof path, "%s", a->str2 ? a->str : a->str);
            if (!a->str2) {
                const char *dot = strchr(a->str, '.');
                size_t n = dot ? (size_t)(dot - a->str) : strlen(a->str);
                snprintf(path, sizeof path, "%.*s", (int)n, a->str);
            }
            snprintf(bound, sizeof bound, "%s", a->str2 ? a->str2 : path);
        } else {
            if (strcmp(a->str, "*") == 0) continue;
            snprintf(path, sizeof path, "%s.%s", s->str, a->str);
            snprintf(bound, sizeof bound, "%s", a->str2 ? a->str2 : a->str);
        }
        char *k = cts_arena_strdup(&cu->arena, bound), *v = cts_arena_strdup(&cu->arena, path);
        if (!k || !v || cts_map_put(&cu->aliases, k, v)) return cts_err_oom(err, "imports", 0);
    }
    return 0;
}

const char *cts_cu_unalias(cts_cu *cu, const char *name, char *buf, size_t n) {
    const char *dot = strchr(name, '.');
    size_t head = dot ? (size_t)(dot - name) : strlen(name);
    const char *path = cts_map_getn(&cu->aliases, name, head);
    if (!path) return name;
    snprintf(buf, n, "%s%s", path, dot ? dot : "");
    return buf;
}

/* a parsed top-level definition not declared yet */
typedef struct pend {
    ast *def;
    cts_source *src;
} pend;

int cts_cu_add_source(cts_cu *cu, const char *qualifier, const char *display_name, const char *text, size_t len,
                      cts_err *err) {
    cts_source *src = cts_arena_alloc(&cu->arena, sizeof *src);
    if (!src) return cts_err_oom(err, "source", sizeof *src);
    src->name = cu_strdup(cu, display_name, err);
    src->text = text;
    src->len = len;
    src->python_frontend = cu->python_frontend;
    if (!src->name) return -1;
    ast *mod = cts_parse(&cu->arena, src, err);
    if (!mod) return -1;
    char *q = cu_strdup(cu, qualifier, err);
    if (!q || cts_map_put(&cu->loaded_files, q, (void *)1)) return -1;
    for (int i = 0; i < mod->nlist; i++) {
        ast *s = mod->list[i];
        if (s->kind == S_IMPORT || s->kind == S_IMPORTFROM) {
            if (record_imports(cu, s, err)) return -1;
            continue;
        }
        if (s->kind != S_CLASS && s->kind != S_DEF) continue; /* version lines and the like are skipped */
        char buf[1024];
        snprintf(buf, sizeof buf, "%s.%s", qualifier, s->str);
        /* builtin sources define overloads under one name: name, name$1, ... */
        if (strncmp(qualifier, "__builtins__", 12) == 0)
            for (int k = 1; cts_map_get(&cu->pending, buf) && k < 16; k++)
                snprintf(buf, sizeof buf, "%s.%s$%d", qualifier, s->str, k);
        char *name = cu_strdup(cu, buf, err);
        if (!name) return -1;
        /* remember the source of each definition with it */
        pend *p = cts_arena_alloc(&cu->arena, sizeof *p);
        if (!p) return cts_err_oom(err, "compilation unit", 0);
        p->def = s;
        p->src = src;
        if (cts_map_put(&cu->pending, name, p)) return cts_err_oom(err, "compilation unit", 0);
    }
    return 0;
}

static int load_qualifier(cts_cu *cu, const char *qualifier, cts_err *err) {
    if (cts_map_get(&cu->loaded_files, qualifier)) return 0;
    const char *text = NULL, *disp = NULL;
    size_t len = 0;
    int r = 0;
    if (cu->loader) {
        r = cu->loader(cu->loader_ctx, qualifier, &text, &len, &disp, err);
        if (r < 0) return -1;
    }
    if (r == 0 && (text = cts_library_source(qualifier)) != NULL) {
        len = strlen(text);
        disp = "<cts library>";
        r = 1;
        int saved = cu->python_frontend;
        cu->python_frontend = 0;
        char *q = cu_strdup(cu, qualifier, err);
        if (!q || cts_map_put(&cu->loaded_files, q, (void *)1)) return -1;
        int rc = cts_cu_add_source(cu, qualifier, disp, text, len, err);
        cu->python_frontend = saved;
        return rc;
    }
    char *q = cu_strdup(cu, qualifier, err);
    if (!q || cts_map_put(&cu->loaded_files, q, (void *)1)) return -1;
    if (r == 0) return 0;
    return cts_cu_add_source(cu, qualifier, disp, text, len, err);
}

/* finds the pending definition of qualname, loading its file if needed */
static pend *find_pending(cts_cu *cu, const char *qualname, cts_err *err) {
    pend *p = cts_map_get(&cu->pending, qualname);
    if (p) return p;
    const char *dot = strrchr(qualname, '.');
    if (!dot) return NULL;
    char q[1024];
    size_t n = (size_t)(dot - qualname);
    if (n >= sizeof q) return NULL;
    memcpy(q, qualname, n);
    q[n] = 0;
    if (load_qualifier(cu, q, err)) return NULL;
    return cts_map_get(&cu->pending, qualname);
}

/* ---- types from expressions ---- */

static int dotted_name(const ast *e, char *buf, size_t n) {
    if (e->kind == A_NAME) return snprintf(buf, n, "%s", e->str) < (int)n ? 0 : -1;
    if (e->kind == A_ATTR) {
        if (dotted_name(e->a, buf, n)) return -1;
        size_t l = strlen(buf);
        return snprintf(buf + l, n - l, ".%s", e->str) < (int)(n - l) ? 0 : -1;
    }
    return -1;
}

static const struct { const char *name; cts_type_kind kind; } SIMPLE_TYPES[] = {
    {"Tensor", TY_TENSOR}, {"torch.Tensor", TY_TENSOR}, {"int", TY_INT}, {"float", TY_FLOAT},
    {"bool", TY_BOOL},     {"str", TY_STR},             {"complex", TY_COMPLEX}, {"number", TY_NUMBER},
    {"NoneType", TY_NONE}, {"None", TY_NONE},           {"Any", TY_ANY},     {"typing.Any", TY_ANY},
    {"Device", TY_DEVICE}, {"torch.device", TY_DEVICE}, {"Storage", TY_STORAGE}, {"Generator", TY_GENERATOR},
    {"Layout", TY_INT},    {"torch.dtype", TY_INT},     {"ScalarType", TY_INT}, {"Function", TY_FUNCTION},
    {"list", TY_ANY_LIST}, {"tuple", TY_ANY_TUPLE},
};

static const char *strip_typing(const char *n) {
    if (strncmp(n, "typing.", 7) == 0) return n + 7;
    if (strncmp(n, "torch.jit.", 10) == 0) return n + 10;
    return n;
}

cts_type *cts_cu_parse_type_expr(cts_cu *cu, const ast *e, const cts_source *src, cts_err *err) {
    char name[512];
    if (e->kind == A_NONE) {
        cts_type_retain(T_NONE);
        return T_NONE;
    }
    if (e->kind == A_STR) { /* forward reference "Foo" */
        return cts_cu_parse_type_str(cu, e->str, err);
    }
    if (e->kind == A_NAME || e->kind == A_ATTR) {
        if (dotted_name(e, name, sizeof name)) goto bad;
        char ua[512];
        const char *un = cts_cu_unalias(cu, name, ua, sizeof ua);
        if (un != name) snprintf(name, sizeof name, "%s", un);
        for (size_t i = 0; i < sizeof SIMPLE_TYPES / sizeof *SIMPLE_TYPES; i++)
            if (strcmp(name, SIMPLE_TYPES[i].name) == 0) return cts_type_prim(SIMPLE_TYPES[i].kind);
        const char *base = strip_typing(name);
        if (strcmp(base, "List") == 0 || strcmp(base, "Dict") == 0 || strcmp(base, "Tuple") == 0 ||
            strcmp(base, "Optional") == 0)
            return cts_src_error(err, src, e->start, e->end, "Unknown type constructor %s: it needs type arguments",
                                 base),
                   NULL;
        cts_type *c = NULL;
        if (cu->default_qualifier && !strchr(name, '.')) {
            char q[600];
            snprintf(q, sizeof q, "%s.%s", cu->default_qualifier, name);
            cts_err tmp = {0};
            c = cts_cu_get_class(cu, q, &tmp);
            if (!c && tmp.set && !strstr(tmp.msg, "Unknown type name")) {
                *err = tmp;
                return NULL;
            }
        }
        if (!c) c = cts_cu_get_class(cu, name, err);
        if (c) {
            cts_type_retain(c);
            return c;
        }
        cts_src_error(err, src, e->start, e->end, "Unknown type name '%s'", name);
        return NULL;
    }
    if (e->kind == A_SUBSCRIPT) {
        if (dotted_name(e->a, name, sizeof name)) goto bad;
        char ua[512];
        const char *un = cts_cu_unalias(cu, name, ua, sizeof ua);
        if (un != name) snprintf(name, sizeof name, "%s", un);
        const char *base = strip_typing(name);
        ast **args = e->list;
        int nargs = e->nlist;
        if (nargs == 1 && args[0]->kind == A_TUPLE) {
            nargs = args[0]->nlist;
            args = args[0]->list;
        }
        cts_type *el[64];
        if (nargs > 64) goto bad;
        for (int i = 0; i < nargs; i++) {
            el[i] = cts_cu_parse_type_expr(cu, args[i], src, err);
            if (!el[i]) {
                for (int j = 0; j < i; j++) cts_type_release(el[j]);
                return NULL;
            }
        }
        cts_type *r = NULL;
        const char *problem = NULL;
        if (strcmp(base, "List") == 0 || strcmp(base, "list") == 0) {
            if (nargs == 1) r = cts_type_list(el[0]);
            else problem = "List type must have exactly one element type";
        } else if (strcmp(base, "Optional") == 0) {
            if (nargs == 1) r = cts_type_optional(el[0]);
            else problem = "Optional type must have exactly one element type";
        } else if (strcmp(base, "Dict") == 0 || strcmp(base, "dict") == 0) {
            if (nargs == 2) r = cts_type_dict(el[0], el[1]);
            else problem = "Dict type must have exactly two element types";
        } else if (strcmp(base, "Tuple") == 0 || strcmp(base, "tuple") == 0) {
            r = cts_type_tuple(nargs, el);
        } else if (strcmp(base, "Union") == 0) {
            r = cts_type_union(nargs, el);
        } else if (strcmp(base, "Final") == 0) {
            if (nargs == 1) {
                r = el[0];
                cts_type_retain(r);
            } else problem = "Final type must have exactly one element type";
        } else if (strcmp(base, "Future") == 0 || strcmp(base, "torch.jit.Future") == 0) {
            if (nargs == 1) r = cts_type_future(el[0]);
        } else {
            problem = "Unknown type constructor";
        }
        for (int i = 0; i < nargs; i++) cts_type_release(el[i]);
        if (problem) {
            cts_src_error(err, src, e->start, e->end, "%s %s", problem, base);
            cts_type_release(r);
            return NULL;
        }
        if (!r) cts_err_oom(err, "type", 0);
        return r;
    }
bad:
    cts_src_error(err, src, e->start, e->end, "Expression of this kind is not a type");
    return NULL;
}

cts_type *cts_cu_parse_type_str(cts_cu *cu, const char *text, cts_err *err) {
    cts_source *src = cts_arena_alloc(&cu->arena, sizeof *src);
    char *copy = cu_strdup(cu, text, err);
    if (!src || !copy) return NULL;
    src->name = "<type>";
    src->text = copy;
    src->len = strlen(copy);
    ast *e = cts_parse_expr(&cu->arena, src, err);
    if (!e) return NULL;
    return cts_cu_parse_type_expr(cu, e, src, err);
}

/* ---- constant expressions (defaults, Final values) ---- */

/* a scalar default of the wrong kind (toIValue of the Python default fails:
 * a str for an int, a float for an int, an int for a bool ...) */
static bool default_fits(const cts_type *t, cv_value v) {
    if (t->kind == TY_OPTIONAL) {
        if (v.tag == CV_NONE) return true;
        t = t->elems[0];
    }
    switch (t->kind) {
    case TY_INT: return v.tag == CV_INT || v.tag == CV_BOOL;
    case TY_FLOAT: return v.tag == CV_FLOAT || v.tag == CV_INT || v.tag == CV_BOOL;
    case TY_BOOL: return v.tag == CV_BOOL;
    case TY_STR: return v.tag == CV_STR;
    default: return true;
    }
}

static int const_value(cts_cu *cu, const ast *e, const cts_source *src, cv_value *out, cts_err *err) {
    switch (e->kind) {
    case A_INT: *out = cv_int(e->ival); return 0;
    case A_FLOAT: *out = cv_float(e->fval); return 0;
    case A_TRUE: *out = cv_bool(true); return 0;
    case A_FALSE: *out = cv_bool(false); return 0;
    case A_NONE: *out = cv_none(); return 0;
    case A_STR: return cv_str_new(e->str, e->slen, out, err);
    case A_UNOP:
        if (e->op == T_MINUS) {
            if (const_value(cu, e->a, src, out, err)) return -1;
            if (out->tag == CV_INT) *out = cv_int((int64_t)(0u - (uint64_t)out->u.i));
            else if (out->tag == CV_FLOAT) *out = cv_float(-out->u.f);
            else return cts_src_error(err, src, e->start, e->end, "cannot negate this constant");
            return 0;
        }
        break;
    case A_NAME:
        if (strcmp(e->str, "inf") == 0) {
            *out = cv_float(1.0 / 0.0);
            return 0;
        }
        if (strcmp(e->str, "nan") == 0) {
            *out = cv_float(0.0 / 0.0);
            return 0;
        }
        break;
    case A_TUPLE:
    case A_LIST: {
        cv_value items[64];
        if (e->nlist > 64) break;
        for (int i = 0; i < e->nlist; i++) {
            if (const_value(cu, e->list[i], src, &items[i], err)) {
                for (int j = 0; j < i; j++) cv_release(items[j]);
                return -1;
            }
        }
        if (e->kind == A_TUPLE) return cv_tuple_new(NULL, (size_t)e->nlist, items, out, err);
        cts_type *el = e->nlist ? cv_type_of(items[0]) : T_TENSOR;
        if (!el) return cts_err_oom(err, "constant", 0);
        int r = cv_list_new(el, (size_t)e->nlist, out, err);
        cts_type_release(el);
        if (r) {
            for (int j = 0; j < e->nlist; j++) cv_release(items[j]);
            return -1;
        }
        for (int i = 0; i < e->nlist; i++) cv_list_push(out->u.l, items[i], err);
        return 0;
    }
    case A_CALL: {
        /* torch.device("cpu") */
        char name[128];
        if (dotted_name(e->a, name, sizeof name) == 0 && strcmp(name, "torch.device") == 0 && e->nlist == 1 &&
            e->list[0]->kind == A_STR) {
            *out = cv_device(strncmp(e->list[0]->str, "cpu", 3) == 0 ? 0 : 1, -1);
            return 0;
        }
        break;
    }
    default: break;
    }
    return cts_src_error(err, src, e->start, e->end, "Expected a constant expression");
}

static void free_const(void *p) {
    if (!p) return;
    cv_release(*(cv_value *)p);
    free(p);
}

/* ---- signatures ---- */

/* splits a `# type: (A, B) -> R` comment into argument and return texts */
static int parse_type_comment(cts_cu *cu, const char *tc, const cts_source *src, const ast *def, cts_type **args,
                              int nargs, cts_type **ret, cts_err *err) {
    const char *p = tc;
    while (*p == ' ') p++;
    if (*p != '(') return cts_src_error(err, src, def->start, def->end, "invalid type comment: expected '('");
    int depth = 0;
    const char *q = p;
    for (; *q; q++) {
        if (*q == '(' || *q == '[') depth++;
        else if (*q == ')' || *q == ']') {
            if (--depth == 0 && *q == ')') break;
        }
    }
    if (!*q) return cts_src_error(err, src, def->start, def->end, "invalid type comment: unbalanced parentheses");
    const char *arrow = strstr(q, "->");
    if (!arrow) return cts_src_error(err, src, def->start, def->end, "invalid type comment: expected '->'");
    /* arguments: parse "(A, B)" as a tuple expression */
    char buf[1024];
    size_t n = (size_t)(q - p + 1);
    if (n >= sizeof buf) return cts_src_error(err, src, def->start, def->end, "type comment too long");
    memcpy(buf, p, n);
    buf[n] = 0;
    /* make "(A)" a tuple "(A,)" so the parser returns a list of types */
    if (n > 2) {
        buf[n - 1] = ',';
        buf[n] = ')';
        buf[n + 1] = 0;
    }
    cts_source *s = cts_arena_alloc(&cu->arena, sizeof *s);
    char *copy = cu_strdup(cu, buf, err);
    if (!s || !copy) return -1;
    s->name = src->name;
    s->text = copy;
    s->len = strlen(copy);
    ast *tuple = cts_parse_expr(&cu->arena, s, err);
    if (!tuple) return -1;
    int got = tuple->kind == A_TUPLE ? tuple->nlist : 1;
    if (got != nargs && !(n <= 2 && nargs == 0))
        return cts_src_error(err, src, def->start, def->end,
                             "Number of type annotations for function parameters (%d) does not match the number of "
                             "parameters on the function (%d)!",
                             got, nargs);
    for (int i = 0; i < nargs; i++) {
        args[i] = cts_cu_parse_type_expr(cu, tuple->kind == A_TUPLE ? tuple->list[i] : tuple, s, err);
        if (!args[i]) return -1;
    }
    const char *r = arrow + 2;
    *ret = cts_cu_parse_type_str(cu, r, err);
    return *ret ? 0 : -1;
}

/* `BroadcastingListN[T]` (torch._jit_internal), possibly inside Optional[...]:
 * a List[T] argument that also takes a single T, repeated N times
 * (ScriptTypeParser::parseBroadcastList).  Returns N and sets *out (new
 * reference), 0 when the annotation is something else, -1 on error. */
static int broadcasting_list(cts_cu *cu, const ast *ann, const cts_source *src, cts_type **out, cts_err *err) {
    char name[256];
    if (ann->kind != A_SUBSCRIPT || ann->nlist != 1 || dotted_name(ann->a, name, sizeof name)) return 0;
    char ua[512];
    const char *base = strip_typing(cts_cu_unalias(cu, name, ua, sizeof ua));
    if (strncmp(base, "torch._jit_internal.", 20) == 0) base += 20;
    if (strcmp(base, "Optional") == 0) {
        cts_type *inner = NULL;
        int n = broadcasting_list(cu, ann->list[0], src, &inner, err);
        if (n <= 0) return n;
        *out = cts_type_optional(inner);
        cts_type_release(inner);
        return *out ? n : cts_err_oom(err, "type", 0);
    }
    if (strncmp(base, "BroadcastingList", 16) != 0 || base[16] < '1' || base[16] > '9' || base[17]) return 0;
    cts_type *el = cts_cu_parse_type_expr(cu, ann->list[0], src, err);
    if (!el) return -1;
    *out = cts_type_list(el);
    cts_type_release(el);
    return *out ? base[16] - '0' : cts_err_oom(err, "type", 0);
}

int cts_cu_ensure_schema(cts_cu *cu, ir_function *fn, cts_err *err) {
    if (fn->schema) return 0;
    const ast *def = fn->def;
    cts_schema *s = calloc(1, sizeof *s);
    if (!s) return cts_err_oom(err, "schema", 0);
    int nparams = def->nlist;
    s->args = calloc((size_t)(nparams ? nparams : 1), sizeof *s->args);
    s->rets = calloc(1, sizeof *s->rets);
    s->name = malloc(strlen(fn->name) + 1);
    s->overload = calloc(1, 1);
    if (!s->args || !s->rets || !s->name || !s->overload) {
        cts_schema_free(s);
        return cts_err_oom(err, "schema", 0);
    }
    strcpy(s->name, fn->name);
    cts_type *comment_args[64] = {0}, *comment_ret = NULL;
    int first = fn->owner ? 1 : 0;
    if (fn->owner && nparams == 0) {
        cts_schema_free(s);
        return cts_src_error(err, fn->src, def->start, def->end, "methods must have a self argument");
    }
    if (def->str2) {
        if (nparams - first > 64 ||
            parse_type_comment(cu, def->str2, fn->src, def, comment_args, nparams - first, &comment_ret, err)) {
            for (int i = 0; i < 64; i++) cts_type_release(comment_args[i]);
            cts_schema_free(s);
            return -1;
        }
    }
    for (int i = 0; i < nparams; i++) {
        const ast *p = def->list[i];
        cts_arg *a = &s->args[s->nargs++];
        a->name = malloc(strlen(p->str) + 1);
        if (!a->name) goto oom;
        strcpy(a->name, p->str);
        a->default_val = cv_none();
        if (p->flags & (P_VARARGS | P_KWARGS)) {
            cts_src_error(err, fn->src, p->start, p->end, "Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults");
            goto fail;
        }
        a->kwarg_only = (p->flags & P_KWONLY) != 0;
        if (i == 0 && fn->owner) {
            a->type = fn->owner;
            cts_type_retain(a->type);
        } else if (p->a && (a->N = broadcasting_list(cu, p->a, fn->src, &a->type, err)) != 0) {
            if (a->N < 0) goto fail;
        } else if (p->a) {
            a->type = cts_cu_parse_type_expr(cu, p->a, fn->src, err);
            if (!a->type) goto fail;
        } else if (def->str2) {
            a->type = comment_args[i - first];
            comment_args[i - first] = NULL;
        } else {
            a->type = T_TENSOR; /* unannotated parameters are Tensors */
        }
        if (p->b && a->kwarg_only && fn->src->python_frontend) {
            /* frontend.py build_param_list: keyword-only parameters may not have defaults */
            cts_src_error(err, fn->src, p->b->start, p->b->end, "Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults");
            goto fail;
        }
        if (p->b) {
            if (const_value(cu, p->b, fn->src, &a->default_val, err)) goto fail;
            if (!default_fits(a->type, a->default_val)) {
                cts_strbuf tn;
                cts_sb_init(&tn);
                cts_type_str_ir(a->type, &tn);
                cts_src_error(err, fn->src, def->start, def->end, "Expected a default value of type %s on parameter \"%s\".",
                              cts_sb_str(&tn), a->name);
                cts_sb_free(&tn);
                goto fail;
            }
            a->has_default = true;
            if (a->type->kind == TY_FLOAT && a->default_val.tag == CV_INT)
                a->default_val = cv_float((double)a->default_val.u.i);
        }
    }
    s->nrets = 1;
    s->rets[0].name = calloc(1, 1);
    s->rets[0].default_val = cv_none();
    if (!s->rets[0].name) goto oom;
    if (def->a) {
        s->rets[0].type = cts_cu_parse_type_expr(cu, def->a, fn->src, err);
        if (!s->rets[0].type) goto fail;
    } else if (comment_ret) {
        s->rets[0].type = comment_ret;
        comment_ret = NULL;
    } else {
        s->rets[0].type = T_ANY; /* inferred when the body compiles */
    }
    for (int i = 0; i < 64; i++) cts_type_release(comment_args[i]);
    cts_type_release(comment_ret);
    fn->schema = s;
    return 0;
oom:
    cts_err_oom(err, "schema", 0);
fail:
    for (int i = 0; i < 64; i++) cts_type_release(comment_args[i]);
    cts_type_release(comment_ret);
    cts_schema_free(s);
    return -1;
}

/* ---- functions and classes ---- */

static ir_function *new_function(cts_cu *cu, const char *qualname, const char *name, const ast *def,
                                 const cts_source *src, cts_type *owner, cts_err *err) {
    if (cu->nfns == cu->cap_fns) {
        int nc = cu->cap_fns ? cu->cap_fns * 2 : 32;
        ir_function **p = realloc(cu->fns, (size_t)nc * sizeof *p);
        if (!p) {
            cts_err_oom(err, "function table", 0);
            return NULL;
        }
        cu->fns = p;
        cu->cap_fns = nc;
    }
    ir_function *f = calloc(1, sizeof *f);
    if (!f) {
        cts_err_oom(err, "function", 0);
        return NULL;
    }
    f->qualname = malloc(strlen(qualname) + 1);
    f->name = malloc(strlen(name) + 1);
    if (!f->qualname || !f->name) {
        ir_function_free(f);
        cts_err_oom(err, "function", 0);
        return NULL;
    }
    strcpy(f->qualname, qualname);
    strcpy(f->name, name);
    f->def = def;
    f->src = src;
    f->owner = owner;
    cu->fns[cu->nfns++] = f;
    return f;
}

/* A new empty class, registered in the unit under its own copy of the name
 * (qualname is the caller's); borrowed. */
static cts_type *register_class(cts_cu *cu, const char *qualname, bool is_module, cts_err *err) {
    cts_type *t = cts_type_class(qualname, is_module);
    if (!t) {
        cts_err_oom(err, "class", 0);
        return NULL;
    }
    t->cls->free_const = free_const;
    if (cts_map_put(&cu->classes, t->cls->qualname, t)) {
        cts_type_release(t);
        cts_err_oom(err, "class", 0);
        return NULL;
    }
    return t;
}

static bool str_in_list(const ast *list, const char *name) {
    if (!list) return false;
    for (int i = 0; i < list->nlist; i++)
        if (list->list[i]->kind == A_STR && strcmp(list->list[i]->str, name) == 0) return true;
    return false;
}

static cts_type *declare_class(cts_cu *cu, const char *qualname, pend *p, cts_err *err) {
    const ast *c = p->def;
    const cts_source *src = p->src;
    bool is_module = false, is_nt = false;
    for (int i = 0; i < c->nlist; i++) {
        char b[256];
        if (dotted_name(c->list[i], b, sizeof b)) {
            cts_src_error(err, src, c->start, c->end, "invalid base class");
            return NULL;
        }
        const char *bn = strrchr(b, '.') ? strrchr(b, '.') + 1 : b;
        if (strcmp(bn, "Module") == 0) is_module = true;
        else if (strcmp(bn, "NamedTuple") == 0) is_nt = true;
        else if (strcmp(bn, "Enum") == 0 && c->nlist == 1) return cts_enum_declare(cu, qualname, c, src, err);
        else if (strcmp(bn, "Enum") == 0 || strcmp(bn, "Interface") == 0 || strcmp(bn, "ModuleInterface") == 0) {
            cts_src_error(err, src, c->start, c->end, "%s classes %sare not supported by cts yet", bn,
                          strcmp(bn, "Enum") == 0 ? "with other base classes " : "");
            return NULL;
        } else if (strcmp(bn, "object") != 0) {
            cts_src_error(err, src, c->list[i]->start, c->list[i]->end,
                          "Torchscript does not support class inheritance.");
            return NULL;
        }
    }
    if (is_nt) {
        cts_type *el[64];
        const char *fields[64];
        int n = 0;
        for (int i = 0; i < c->nlist2; i++) {
            const ast *s = c->list2[i];
            if (s->kind == S_ANNASSIGN && s->a->kind == A_NAME) {
                if (n == 64) {
                    cts_src_error(err, src, s->start, s->end, "NamedTuple with too many fields");
                    goto ntfail;
                }
                el[n] = cts_cu_parse_type_expr(cu, s->b, src, err);
                if (!el[n]) goto ntfail;
                fields[n++] = s->a->str;
            } else if (s->kind == S_EXPR && s->a->kind == A_STR) {
                continue; /* docstring */
            } else if (s->kind != S_PASS) {
                cts_src_error(err, src, s->start, s->end, "Unexpected statement in a NamedTuple class body");
                goto ntfail;
            }
        }
        cts_type *t = cts_type_namedtuple(qualname, n, el, fields);
        for (int i = 0; i < n; i++) cts_type_release(el[i]);
        /* the key is the type's own copy of the name: qualname is the caller's */
        if (!t || cts_map_put(&cu->classes, t->name, t)) {
            cts_type_release(t);
            cts_err_oom(err, "class", 0);
            return NULL;
        }
        return t;
    ntfail:
        for (int i = 0; i < n; i++) cts_type_release(el[i]);
        return NULL;
    }
    /* registered first so that attributes may refer to the class itself */
    cts_type *t = register_class(cu, qualname, is_module, err);
    if (!t) return NULL;
    const ast *params = NULL, *buffers = NULL;
    for (int i = 0; i < c->nlist2; i++) {
        const ast *s = c->list2[i];
        if (s->kind == S_ASSIGN && s->nlist == 1 && s->list[0]->kind == A_NAME) {
            if (strcmp(s->list[0]->str, "__parameters__") == 0) params = s->a;
            else if (strcmp(s->list[0]->str, "__buffers__") == 0) buffers = s->a;
        }
    }
    for (int i = 0; i < c->nlist2; i++) {
        const ast *s = c->list2[i];
        if (s->kind == S_ANNASSIGN && s->a->kind == A_NAME) {
            const char *name = s->a->str;
            /* Final[...] with a value: a constant */
            if (s->c) {
                cts_type *ty = cts_cu_parse_type_expr(cu, s->b, src, err);
                if (!ty) return NULL;
                cv_value *v = malloc(sizeof *v);
                if (!v) {
                    cts_type_release(ty);
                    cts_err_oom(err, "constant", 0);
                    return NULL;
                }
                if (const_value(cu, s->c, src, v, err) || cts_class_add_const(t->cls, name, ty, v)) {
                    free(v);
                    cts_type_release(ty);
                    if (!err->set) cts_err_oom(err, "constant", 0);
                    return NULL;
                }
                cts_type_release(ty);
                continue;
            }
            cts_type *ty = cts_cu_parse_type_expr(cu, s->b, src, err);
            if (!ty) return NULL;
            int r = cts_class_add_attr(t->cls, name, ty, str_in_list(params, name), str_in_list(buffers, name));
            cts_type_release(ty);
            if (r) {
                cts_err_oom(err, "attribute", 0);
                return NULL;
            }
        } else if (s->kind == S_ASSIGN && s->nlist == 1 && s->list[0]->kind == A_SUBSCRIPT &&
                   s->list[0]->a->kind == A_NAME && strcmp(s->list[0]->a->str, "__annotations__") == 0) {
            const ast *key = s->list[0]->list[0];
            if (key->kind != A_STR) {
                cts_src_error(err, src, key->start, key->end, "__annotations__ keys must be string literals");
                return NULL;
            }
            cts_type *ty = cts_cu_parse_type_expr(cu, s->a, src, err);
            if (!ty) return NULL;
            int r = cts_class_add_attr(t->cls, key->str, ty, str_in_list(params, key->str),
                                       str_in_list(buffers, key->str));
            cts_type_release(ty);
            if (r) {
                cts_err_oom(err, "attribute", 0);
                return NULL;
            }
        } else if (s->kind == S_ASSIGN && s->nlist == 1 && s->list[0]->kind == A_NAME) {
            const char *n = s->list[0]->str;
            if (strcmp(n, "__parameters__") && strcmp(n, "__buffers__") && strcmp(n, "__annotations__") &&
                strcmp(n, "__forward_hooks__") && strcmp(n, "__forward_pre_hooks__")) {
                cts_src_error(err, src, s->start, s->end, "Unexpected assignment in a class body");
                return NULL;
            }
        } else if (s->kind == S_DEF) {
            char q[1024];
            snprintf(q, sizeof q, "%s.%s", qualname, s->str);
            ir_function *f = new_function(cu, q, s->str, s, src, t, err);
            if (!f || cts_class_add_method(t->cls, s->str, f)) {
                if (!err->set) cts_err_oom(err, "method", 0);
                return NULL;
            }
        } else if (s->kind == S_PASS || (s->kind == S_EXPR && s->a->kind == A_STR)) {
            continue;
        } else {
            cts_src_error(err, src, s->start, s->end, "Unexpected statement in a class body");
            return NULL;
        }
    }
    return t;
}

cts_type *cts_cu_get_class(cts_cu *cu, const char *qualname, cts_err *err) {
    cts_type *t = cts_map_get(&cu->classes, qualname);
    if (t) return t;
    pend *p = find_pending(cu, qualname, err);
    if (err && err->set) return NULL;
    if (!p || p->def->kind != S_CLASS) {
        cts_err_set(err, "Unknown type name '%s'", qualname);
        return NULL;
    }
    t = declare_class(cu, qualname, p, err);
    /* a TorchScript class's attributes come from assignments in __init__:
     * compile it before anything else looks at the class */
    if (t && t->kind == TY_CLASS && !t->cls->is_module) {
        ir_function *init = cts_class_find_method(t->cls, "__init__");
        if (init && cts_cu_ensure_compiled(cu, init, err)) return NULL;
    }
    return t;
}

ir_function *cts_cu_get_function(cts_cu *cu, const char *qualname, cts_err *err) {
    ir_function *f = cts_map_get(&cu->functions, qualname);
    if (f) return f;
    pend *p = find_pending(cu, qualname, err);
    if (err && err->set) return NULL;
    if (!p || p->def->kind != S_DEF) {
        cts_err_set(err, "Unknown function '%s'", qualname);
        return NULL;
    }
    const char *dot = strrchr(qualname, '.');
    f = new_function(cu, qualname, dot ? dot + 1 : qualname, p->def, p->src, NULL, err);
    if (!f) return NULL;
    char *key = cu_strdup(cu, qualname, err);
    if (!key || cts_map_put(&cu->functions, key, f)) {
        if (!err->set) cts_err_oom(err, "function", 0);
        return NULL;
    }
    return f;
}

ir_function *cts_cu_get_method(cts_cu *cu, cts_type *cls, const char *name, cts_err *err) {
    (void)cu;
    (void)err;
    if (cls->kind != TY_CLASS) return NULL;
    return cts_class_find_method(cls->cls, name);
}

int cts_cu_ensure_compiled(cts_cu *cu, ir_function *fn, cts_err *err) {
    if (fn->state == FN_DONE) return 0;
    if (fn->state == FN_FAILED) return cts_err_set(err, "function %s failed to compile", fn->qualname);
    if (fn->state == FN_COMPILING) return 0; /* recursion: the schema is enough */
    if (cts_cu_ensure_schema(cu, fn, err)) return -1;
    fn->state = FN_COMPILING;
    if (cts_emit_function(cu, fn, err)) {
        fn->state = FN_FAILED;
        return -1;
    }
    return 0;
}

int cts_cu_compile_all(cts_cu *cu, cts_err *err) {
    for (int i = 0; i < cu->nfns; i++)
        if (cts_cu_ensure_compiled(cu, cu->fns[i], err)) return -1;
    return 0;
}

/* ---- classes and methods built from graphs (traced modules) ---- */

cts_type *cts_cu_define_class(cts_cu *cu, const char *qualname, bool is_module, cts_err *err) {
    if (cts_map_get(&cu->classes, qualname)) {
        cts_err_set(err, "class %s is already defined", qualname);
        return NULL;
    }
    return register_class(cu, qualname, is_module, err);
}

/* A parameter name from a value's debug name: "x.1" -> "x". */
static char *param_name(const ir_value *v, int i) {
    char buf[64];
    if (v->name) {
        snprintf(buf, sizeof buf, "%s", v->name);
        char *dot = strrchr(buf, '.');
        if (dot && dot != buf && dot[1] >= '0' && dot[1] <= '9') *dot = 0;
    } else {
        if (i) snprintf(buf, sizeof buf, "argument_%d", i); /* as PyTorch names an unnamed input */
        else snprintf(buf, sizeof buf, "self");
    }
    char *r = malloc(strlen(buf) + 1);
    if (r) strcpy(r, buf);
    return r;
}

/* A function (a method of cls when cls is set: self is the graph's first
 * input) whose body is the finished graph g. */
static ir_function *define_graph_function(cts_cu *cu, cts_type *cls, const char *qual, const char *name,
                                          ir_graph *g, cts_err *err) {
    ir_block *top = g->block;
    if (ir_block_noutputs(top) != 1 || ir_block_ninputs(top) < (cls ? 1 : 0)) {
        cts_err_set(err, "%s: the graph needs %sone output", name, cls ? "self and " : "");
        return NULL;
    }
    cts_schema *s = calloc(1, sizeof *s);
    if (!s) goto oom;
    int n = ir_block_ninputs(top);
    s->name = malloc(strlen(name) + 1);
    s->overload = calloc(1, 1);
    s->args = calloc((size_t)n, sizeof *s->args);
    s->rets = calloc(1, sizeof *s->rets);
    if (!s->name || !s->overload || !s->args || !s->rets) goto oom;
    strcpy(s->name, name);
    for (int i = 0; i < n; i++) {
        cts_arg *a = &s->args[i];
        s->nargs = i + 1;
        a->default_val = cv_none();
        a->name = param_name(ir_block_input(top, i), i);
        if (!a->name) goto oom;
        /* a traced graph's tensor shapes are not part of the signature */
        if (i == 0 && cls) {
            a->type = cls;
            cts_type_retain(a->type);
        } else if (!(a->type = cts_type_unshaped(ir_block_input(top, i)->type, false))) {
            goto oom;
        }
    }
    s->nrets = 1;
    s->rets[0].default_val = cv_none();
    s->rets[0].name = calloc(1, 1);
    if (!s->rets[0].name) goto oom;
    if (!(s->rets[0].type = cts_type_unshaped(ir_block_output(top, 0)->type, false))) goto oom;
    ir_function *f = new_function(cu, qual, name, NULL, NULL, cls, err);
    if (!f) {
        cts_schema_free(s);
        return NULL;
    }
    if (cls ? cts_class_add_method(cls->cls, name, f) != 0 : cts_map_put(&cu->functions, f->qualname, f) != 0) {
        cts_schema_free(s);
        cts_err_oom(err, "method", 0);
        return NULL;
    }
    f->schema = s;
    f->graph = g;
    f->state = FN_DONE;
    return f;
oom:
    cts_schema_free(s);
    cts_err_oom(err, "method", 0);
    return NULL;
}

ir_function *cts_cu_define_method(cts_cu *cu, cts_type *cls, const char *name, ir_graph *g, cts_err *err) {
    char qual[512];
    snprintf(qual, sizeof qual, "%s.%s", cls->cls->qualname, name);
    return define_graph_function(cu, cls, qual, name, g, err);
}

ir_function *cts_cu_define_function(cts_cu *cu, const char *qualname, ir_graph *g, cts_err *err) {
    if (cts_map_get(&cu->functions, qualname)) {
        cts_err_set(err, "function %s is already defined", qualname);
        return NULL;
    }
    const char *dot = strrchr(qualname, '.');
    return define_graph_function(cu, NULL, qualname, dot ? dot + 1 : qualname, g, err);
}

cts_type *cts_cu_declare_class(cts_cu *cu, const char *qualname, bool is_module, const ast *const *bodies,
                               const cts_source *const *srcs, int nbodies, cts_err *err) {
    if (cts_map_get(&cu->classes, qualname)) {
        cts_err_set(err, "class %s is already defined", qualname);
        return NULL;
    }
    cts_type *t = register_class(cu, qualname, is_module, err);
    if (!t) return NULL;
    for (int b = 0; b < nbodies; b++) {
        const ast *c = bodies[b];
        for (int i = 0; i < c->nlist2; i++) {
            const ast *st = c->list2[i];
            if (st->kind != S_DEF || cts_class_find_method(t->cls, st->str)) continue;
            char q[1024];
            snprintf(q, sizeof q, "%s.%s", qualname, st->str);
            ir_function *f = new_function(cu, q, st->str, st, srcs[b], t, err);
            if (!f || cts_class_add_method(t->cls, st->str, f)) {
                if (!err->set) cts_err_oom(err, "method", 0);
                return NULL;
            }
        }
    }
    return t;
}
