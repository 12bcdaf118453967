/* sugar.c - sugared values: what names, attributes and calls denote.
 *
 * PyTorch's SugaredValue hierarchy (sugared_value.cpp) as one tagged struct:
 * a namespace such as `torch` or `ops.prim`, an operator symbol, a method
 * bound to an object, a class, a range, ... Each knows how to take an
 * attribute, be called, be iterated, and become a graph value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ops/schema_list.h"
#include "emit_internal.h"
#include "enum.h"

static sv *special(emitter *e, const char *form) {
    sv *s = sv_new(e, SV_SPECIAL);
    s->name = form;
    return s;
}

static sv *builtin(emitter *e, const char *sym, ir_value *self) {
    sv *s = sv_new(e, SV_BUILTIN);
    s->name = sym;
    s->value = self;
    return s;
}

static sv *magic(emitter *e, const char *m, sv *inner) {
    sv *s = sv_new(e, SV_MAGIC);
    s->name = m;
    s->inner = inner;
    return s;
}

static sv *cast(emitter *e, cts_type *t, const char *op) {
    sv *s = sv_new(e, SV_CAST);
    s->type = t;
    s->name = op;
    return s;
}

static bool has_schemas(const char *qualname) {
    int idx[1];
    return cts_schema_find(qualname, idx, 1) > 0;
}

/* Names every TorchScript function can use (ir_emitter's globals table). */
sv *em_resolve_global(emitter *e, const char *name, uint32_t start, uint32_t end) {
    (void)start;
    (void)end;
    static const struct { const char *name, *magic, *op; } magics[] = {
        {"len", "__len__", "aten::len"},   {"hex", "__hex__", "aten::hex"},
        {"oct", "__oct__", "aten::oct"},   {"round", "__round__", "aten::round"},
    };
    static const struct { const char *name, *op; } builtins[] = {
        {"hash", "aten::hash"}, {"id", "prim::id"},     {"min", "prim::min"},   {"max", "prim::max"},
        {"abs", "prim::abs"},   {"all", "aten::all"},   {"any", "aten::any"},   {"divmod", "aten::divmod"},
        {"sum", "aten::sum"},   {"ord", "aten::ord"},   {"chr", "aten::chr"},   {"bin", "aten::bin"},
        {"pow", "aten::pow"},   {"rangelist", "prim::rangelist"},
        {"sorted", "aten::sorted"},
    };
    static const struct { const char *name, *form; } forms[] = {
        {"tuple", "prim::TupleConstruct"}, {"getattr", "prim::GetAttr"}, {"hasattr", "prim::HasAttr"},
        {"isinstance", "prim::isinstance"}, {"list", "prim::list"}, {"dict", "prim::dict"},
        {"range", "prim::range"}, {"zip", "prim::zip"}, {"enumerate", "prim::enumerate"},
        {"annotate", "prim::annotate"}, {"unchecked_cast", "prim::unchecked_cast"},
        {"uninitialized", "prim::Uninitialized"}, {"fork", "prim::fork"},
    };
    if (strcmp(name, "print") == 0) return sv_new(e, SV_PRINT);
    if (strcmp(name, "float") == 0) return magic(e, "__float__", cast(e, T_FLOAT, "aten::Float"));
    if (strcmp(name, "int") == 0) return magic(e, "__int__", cast(e, T_INT, "aten::Int"));
    if (strcmp(name, "bool") == 0) return magic(e, "__bool__", cast(e, T_BOOL, "aten::Bool"));
    if (strcmp(name, "str") == 0) return magic(e, "__str__", cast(e, T_STR, "aten::str"));
    if (strcmp(name, "complex") == 0) return magic(e, "__complex__", cast(e, cts_type_prim(TY_COMPLEX), "aten::Complex"));
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
        if (strcmp(name, magics[i].name) == 0) return magic(e, magics[i].magic, builtin(e, magics[i].op, NULL));
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(name, builtins[i].name) == 0) return builtin(e, builtins[i].op, NULL);
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        if (strcmp(name, forms[i].name) == 0) return special(e, forms[i].form);
    if (strcmp(name, "AssertionError") == 0) {
        sv *s = sv_new(e, SV_EXCEPTION);
        s->name = "AssertionError";
        s->prefix_message = true;
        return s;
    }
    /* names imported by the source file */
    const char *path = cts_map_get(&e->cu->aliases, name);
    if (path && strncmp(path, "torch.nn.modules.utils.", 23) == 0) {
        /* torch/jit/_builtins.py: _single, _pair, _triple, _quadruple are builtins */
        static const char *const nt[4][2] = {{"_single", "cts::ntuple1"}, {"_pair", "cts::ntuple2"},
                                             {"_triple", "cts::ntuple3"}, {"_quadruple", "cts::ntuple4"}};
        for (int k = 0; k < 4; k++)
            if (strcmp(path + 23, nt[k][0]) == 0) return special(e, nt[k][1]);
    }
    if (path) {
        if (strcmp(path, "torch") == 0 || strncmp(path, "torch.", 6) == 0 || strcmp(path, "math") == 0) {
            sv *s = sv_new(e, SV_NS);
            s->name = path;
            return s;
        }
        sv *s = sv_new(e, SV_NS); /* typing and other modules: usable in annotations only */
        s->name = path;
        return s;
    }
    /* names of the serialized code language (import_source.cpp) */
    if (strcmp(name, "torch") == 0) {
        sv *s = sv_new(e, SV_NS);
        s->name = "aten";
        return s;
    }
    if (strcmp(name, "ops") == 0) {
        sv *s = sv_new(e, SV_NS);
        s->name = "ops";
        return s;
    }
    if (strcmp(name, "CONSTANTS") == 0) return sv_new(e, SV_CONSTANTS);
    /* SourceImporter: graph->insertConstant at the insertion point */
    if (strcmp(name, "inf") == 0) return sv_simple(e, em_const(e, cv_float(INFINITY), start, end));
    if (strcmp(name, "nan") == 0) return sv_simple(e, em_const(e, cv_float(NAN), start, end));
    if (strcmp(name, "__torch__") == 0) {
        sv *s = sv_new(e, SV_QUALIFIER);
        s->name = "__torch__";
        return s;
    }
    if (strcmp(name, "math") == 0) {
        sv *s = sv_new(e, SV_NS);
        s->name = "aten";
        return s;
    }
    /* builtin exception classes */
    static const char *const exceptions[] = {"Exception", "RuntimeError", "ValueError", "TypeError", "KeyError",
                                             "IndexError", "NotImplementedError", "ZeroDivisionError",
                                             "StopIteration", "AttributeError", "OverflowError", "LookupError",
                                             "ArithmeticError", "UserWarning", "Warning"};
    for (size_t i = 0; i < sizeof exceptions / sizeof *exceptions; i++) {
        if (strcmp(name, exceptions[i]) == 0) {
            sv *s = sv_new(e, SV_EXCEPTION);
            char q[64];
            snprintf(q, sizeof q, "builtins.%s", name);
            s->name = em_strdup(e, q);
            return s;
        }
    }
    if (e->cu->resolve_global) {
        ir_function *gf = NULL;
        cts_type *gc = NULL;
        int r = e->cu->resolve_global(e->cu->resolve_ctx, e->fn, name, &gf, &gc, e->err);
        if (r < 0) em_fail(e);
        if (r > 0 && gc) {
            sv *c = sv_new(e, SV_CLASS);
            c->type = gc;
            return c;
        }
        if (r > 0 && gf) {
            sv *f = sv_new(e, SV_FUNCTION);
            f->fn = gf;
            return f;
        }
    }
    /* functions and classes defined next to the function being compiled */
    const char *dot = strrchr(e->fn->qualname, '.');
    if (dot) {
        char q[1024];
        size_t qn = (size_t)(dot - e->fn->qualname);
        if (e->fn->owner) { /* a method: its class's qualifier */
            const char *cq = e->fn->owner->cls->qualname, *cd = strrchr(cq, '.');
            qn = cd ? (size_t)(cd - cq) : 0;
            snprintf(q, sizeof q, "%.*s.%s", (int)qn, cq, name);
        } else {
            snprintf(q, sizeof q, "%.*s.%s", (int)qn, e->fn->qualname, name);
        }
        cts_err tmp = {0};
        cts_type *cls = cts_cu_get_class(e->cu, q, &tmp);
        if (cls) {
            sv *c = sv_new(e, SV_CLASS);
            c->type = cls;
            return c;
        }
        if (tmp.set && !strstr(tmp.msg, "Unknown type name")) { /* the class exists but cannot be declared */
            *e->err = tmp;
            em_fail(e);
        }
        cts_err tmp2 = {0};
        ir_function *fn = cts_cu_get_function(e->cu, q, &tmp2);
        if (fn) {
            sv *f = sv_new(e, SV_FUNCTION);
            f->fn = fn;
            return f;
        }
    }
    return NULL;
}

/* torch.float32 and friends: dtypes are ints in TorchScript */
static bool dtype_constant(const char *field, int64_t *out) {
    static const struct { const char *n; int v; } dts[] = {
        {"uint8", 0},   {"int8", 1},    {"int16", 2},  {"short", 2},    {"int32", 3},    {"int", 3},
        {"int64", 4},   {"long", 4},    {"float16", 5}, {"half", 5},    {"float32", 6},  {"float", 6},
        {"float64", 7}, {"double", 7},  {"complex64", 9}, {"cfloat", 9}, {"complex128", 10}, {"cdouble", 10},
        {"bool", 11},   {"bfloat16", 15}, {"strided", 0}, {"contiguous_format", 0}, {"preserve_format", 1},
        {"channels_last", 2},
    };
    for (size_t i = 0; i < sizeof dts / sizeof *dts; i++)
        if (strcmp(field, dts[i].n) == 0) {
            *out = dts[i].v;
            return true;
        }
    return false;
}

/* torch.nn.functional.NAME when NAME is a Python function in PyTorch: the
 * library's TorchScript version (library_functional.c), compiled on first
 * use.  boolean_dispatch functions (max_pool2d: _max_pool2d or
 * max_pool2d_with_indices) and the overloaded interpolate are decided when
 * called (call_functional: the sugared value carries the name).  NULL for
 * the operators (F.conv2d is aten::conv2d). */
static sv *functional_attr(emitter *e, const char *field) {
    static const char *const dispatched[] = {"max_pool1d",          "max_pool2d",          "max_pool3d",
                                             "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
                                             "interpolate"};
    char q[256];
    bool dispatch = false;
    for (size_t i = 0; i < sizeof dispatched / sizeof *dispatched; i++)
        if (strcmp(field, dispatched[i]) == 0) dispatch = true;
    /* F.threshold is the Python function _threshold */
    if ((dispatch && strcmp(field, "interpolate") != 0) || strcmp(field, "threshold") == 0)
        snprintf(q, sizeof q, "__torch__.torch.nn.functional._%s", field);
    else
        snprintf(q, sizeof q, "__torch__.torch.nn.functional.%s", field);
    cts_err tmp = {0};
    ir_function *fn = cts_cu_get_function(e->cu, q, &tmp);
    if (!fn) return NULL;
    sv *s = sv_new(e, SV_FUNCTION);
    s->fn = fn;
    if (dispatch) s->name = em_strdup(e, field);
    return s;
}

/* an attribute of a Python module seen from TorchScript: torch, torch.nn.functional, math, torch.jit */
static sv *module_attr(emitter *e, const char *path, const char *field, uint32_t start, uint32_t end) {
    char sub[512];
    snprintf(sub, sizeof sub, "%s.%s", path, field);
    if (strcmp(path, "math") == 0) {
        static const struct { const char *n; double v; } mc[] = {
            {"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"tau", 6.283185307179586},
            {"inf", INFINITY}, {"nan", NAN}};
        /* a Python value made a constant at the insertion point (not
         * materialized at the graph start as literals are); math.nan is
         * CPython's positive quiet NaN */
        for (size_t i = 0; i < sizeof mc / sizeof *mc; i++)
            if (strcmp(field, mc[i].n) == 0) return sv_simple(e, em_const(e, cv_float(mc[i].v), start, end));
        char op[160];
        /* torch/jit/_builtins.py maps math.remainder to aten::mathremainder
         * (aten::remainder is Python's %), every other math.f to aten::f */
        snprintf(op, sizeof op, "aten::%s", strcmp(field, "remainder") == 0 ? "mathremainder" : field);
        if (has_schemas(op)) return builtin(e, em_strdup(e, op), NULL);
        em_error(e, start, end, "Python builtin <built-in function %s> is currently not supported in Torchscript", field);
    }
    if (strcmp(path, "torch.jit") == 0) {
        if (strcmp(field, "annotate") == 0) return special(e, "prim::annotate");
        if (strcmp(field, "is_scripting") == 0) return builtin(e, "aten::is_scripting", NULL);
        if (strcmp(field, "_unwrap_optional") == 0) return builtin(e, "aten::_unwrap_optional", NULL);
        if (strcmp(field, "isinstance") == 0) return special(e, "prim::isinstance");
        em_error(e, start, end, "torch.jit.%s is not supported by cts", field);
    }
    int64_t dt;
    if (strcmp(path, "torch") == 0 && dtype_constant(field, &dt)) return sv_simple(e, em_const(e, cv_int(dt), start, end));
    if (strcmp(path, "torch") == 0 && strcmp(field, "no_grad") == 0) {
        cts_type *cls = cts_cu_get_class(e->cu, "__torch__.torch.autograd.grad_mode.no_grad", e->err);
        if (!cls) em_fail(e);
        sv *c = sv_new(e, SV_CLASS);
        c->type = cls;
        return c;
    }
    if (strcmp(path, "torch.nn.functional") == 0) {
        sv *f = functional_attr(e, field);
        if (f) return f;
    }
    /* torch.fft.fft, torch.linalg.norm, torch.special.expit: PyTorch's
     * builtin table maps them to aten::fft_fft, aten::linalg_norm, ... */
    static const char *const prefixed[] = {"torch.fft", "torch.linalg", "torch.special"};
    for (size_t i = 0; i < sizeof prefixed / sizeof *prefixed; i++) {
        if (strcmp(path, prefixed[i])) continue;
        char pop[200];
        snprintf(pop, sizeof pop, "aten::%s_%s", path + 6, field);
        if (has_schemas(pop)) return builtin(e, em_strdup(e, pop), NULL);
        em_error(e, start, end, "Unknown builtin op: %s.%s.", path, field);
    }
    bool ns_parent = strcmp(path, "torch") == 0 || strcmp(path, "torch.nn") == 0 || strcmp(path, "torch.autograd") == 0;
    if (ns_parent && (strcmp(field, "jit") == 0 || strcmp(field, "nn") == 0 || strcmp(field, "functional") == 0 ||
                      strcmp(field, "linalg") == 0 || strcmp(field, "fft") == 0 || strcmp(field, "special") == 0 ||
                      strcmp(field, "autograd") == 0)) {
        sv *ns = sv_new(e, SV_NS);
        ns->name = em_strdup(e, sub);
        return ns;
    }
    char op[160];
    snprintf(op, sizeof op, "aten::%s", field);
    if (has_schemas(op)) return builtin(e, em_strdup(e, op), NULL);
    em_error(e, start, end, "Unknown builtin op: %s.%s.", path, field);
}

/* ---- as value ---- */

ir_value *sv_as_value(emitter *e, sv *s, uint32_t start, uint32_t end) {
    switch (s->kind) {
    case SV_SIMPLE: return s->value;
    case SV_TUPLE_SV: {
        ir_value **vals = em_alloc(e, (size_t)(s->nchildren + 1) * sizeof *vals);
        for (int i = 0; i < s->nchildren; i++) vals[i] = sv_as_value(e, s->children[i], start, end);
        return em_tuple(e, vals, s->nchildren, NULL);
    }
    case SV_FUNCTION: {
        ir_node *n = em_insert(e, "prim::Constant", 1, start, end);
        n->fn = s->fn;
        n->attr_name = ir_intern(e->g, s->fn->name);
        ir_set_type(n->outputs[0], cts_type_prim(TY_FUNCTION));
        return n->outputs[0];
    }
    case SV_NS: em_error(e, start, end, "Module '%s' cannot be used as a value", s->name);
    case SV_BUILTIN: em_error(e, start, end, "builtin cannot be used as a value");
    case SV_METHOD: em_error(e, start, end, "method cannot be used as a value");
    case SV_CLASS: em_error(e, start, end, "class cannot be used as a value");
    case SV_RANGE: em_error(e, start, end, "range cannot be used as a value");
    case SV_EXCEPTION:
    case SV_EXCEPTION_MSG: em_error(e, start, end, "exception cannot be used as a value");
    default: em_error(e, start, end, "this value cannot be used as a value");
    }
}

/* ---- attributes ---- */

/* the submodules of a scripted module container (ModuleList, Sequential,
 * ModuleDict), in order: their attribute names */
static int container_items(const cts_type *t, const char **names, int max) {
    int n = 0;
    for (int i = 0; i < t->cls->nattrs && n < max; i++) {
        const cts_type *at = t->cls->attrs[i].type;
        if (at->kind == TY_CLASS && at->cls->is_module) names[n++] = t->cls->attrs[i].name;
    }
    return n;
}

static bool is_container(const cts_type *t, int kind) {
    return t->kind == TY_CLASS && t->cls->module_container == kind;
}

/* ModuleList / Sequential iterate over their submodules, ModuleDict over its
 * keys (or items / values): PyTorch unrolls such loops */
static sv *container_tuple(emitter *e, sv *s, int what, uint32_t start, uint32_t end) {
    const char *names[512];
    int n = container_items(s->value->type, names, 512);
    sv *tv = sv_new(e, SV_TUPLE_SV);
    tv->children = em_alloc(e, (size_t)(n + 1) * sizeof *tv->children);
    for (int i = 0; i < n; i++) {
        sv *key = NULL;
        if (what != 1) {
            cv_value k;
            cts_err tmp = {0};
            if (cv_str_from(names[i], &k, &tmp)) em_error(e, start, end, "out of memory");
            key = sv_simple(e, em_const(e, k, start, end));
            cv_release(k);
        }
        sv *mod = what != 0 ? sv_attr(e, s, names[i], start, end) : NULL;
        if (what == 0) tv->children[i] = key;
        else if (what == 1) tv->children[i] = mod;
        else {
            sv *pair = sv_new(e, SV_TUPLE_SV);
            pair->children = em_alloc(e, 2 * sizeof *pair->children);
            pair->children[0] = key;
            pair->children[1] = mod;
            pair->nchildren = 2;
            pair->has_static_len = true;
            pair->static_len = 2;
            tv->children[i] = pair;
        }
    }
    tv->nchildren = n;
    tv->has_static_len = true;
    tv->static_len = n;
    return tv;
}

static sv *simple_attr(emitter *e, sv *s, const char *field, uint32_t start, uint32_t end) {
    ir_value *v = s->value;
    cts_type *t = v->type;
    /* SimpleValue::attr: tolist on a Tensor is a special form (it needs
     * the type hint of its result) */
    if (t->kind == TY_TENSOR && strcmp(field, "tolist") == 0) return special(e, "prim::tolist");
    if (t->kind == TY_TENSOR) {
        static const char *const props[] = {"dtype", "device", "grad", "data", "shape", "is_cuda", "is_cpu",
                                            "is_sparse", "is_quantized", "is_meta", "is_leaf", "is_nested",
                                            "requires_grad", "layout", "T", "mT", "H", "mH", "real", "imag",
                                            "name", "ndim", "is_mkldnn", "is_xpu", "is_mps", "is_vulkan",
                                            "is_sparse_csr", "is_xla", "is_ipu"};
        for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
            if (strcmp(field, props[i])) continue;
            char op[64];
            /* builtin_properties: real and imag are aten ops */
            bool aten = strcmp(field, "real") == 0 || strcmp(field, "imag") == 0;
            snprintf(op, sizeof op, "%s::%s", aten ? "aten" : "prim", field);
            nval a = {0};
            a.value = v;
            return sv_simple(e, em_builtin_call(e, em_strdup(e, op), &a, 1, NULL, 0, NULL, start, end));
        }
    }
    if (t->kind == TY_DEVICE && (strcmp(field, "type") == 0 || strcmp(field, "index") == 0)) {
        char op[64];
        snprintf(op, sizeof op, "prim::%s", field);
        nval a = {0};
        a.value = v;
        return sv_simple(e, em_builtin_call(e, em_strdup(e, op), &a, 1, NULL, 0, NULL, start, end));
    }
    if (t->kind == TY_CLASS && t->cls->is_enum) return em_enum_value_attr(e, v, field, start, end);
    if (t->kind == TY_CLASS && t->cls->module_container && strcmp(field, "_modules") == 0)
        return container_tuple(e, s, 1, start, end); /* ModuleList.__len__'s len(self._modules) */
    if (t->kind == TY_CLASS && t->cls->module_container == 2 &&
        (strcmp(field, "items") == 0 || strcmp(field, "keys") == 0 || strcmp(field, "values") == 0)) {
        /* ModuleDict.items() / keys() / values(): unrolled when called (emit_apply) */
        sv *view = special(e, strcmp(field, "items") == 0 ? "cts::mdict_items"
                              : strcmp(field, "keys") == 0 ? "cts::mdict_keys" : "cts::mdict_values");
        view->inner = s;
        return view;
    }
    if (t->kind == TY_CLASS) {
        cts_class *c = t->cls;
        if (cts_cu_get_method(e->cu, t, field, e->err)) {
            sv *m = sv_new(e, SV_METHOD);
            m->value = v;
            m->name = em_strdup(e, field);
            return m;
        }
        int slot = cts_class_find_attr(c, field);
        if (slot >= 0) {
            ir_node *n = em_insert(e, "prim::GetAttr", 1, start, end);
            n->attr_name = ir_intern(e->g, field);
            ir_add_input(n, v);
            ir_set_type(n->outputs[0], c->attrs[slot].type);
            /* Graph::createGetAttr names the output after the attribute
             * (normalizeAttrName: a numeric name gets a leading '_') */
            if (field[0] >= '0' && field[0] <= '9') {
                char nm[256];
                snprintf(nm, sizeof nm, "_%s", field);
                ir_set_name(n->outputs[0], nm);
            } else {
                ir_set_name(n->outputs[0], field);
            }
            return sv_simple(e, n->outputs[0]);
        }
        int ci = cts_class_find_const(c, field);
        if (ci >= 0) return sv_simple(e, em_const(e, *(cv_value *)c->consts[ci].value, start, end));
        em_error(e, start, end, "Module '%s' has no attribute '%s' ", c->qualname, field);
    }
    if (t->kind == TY_TUPLE && t->name) {
        for (int i = 0; i < t->n; i++) {
            if (strcmp(t->fields[i], field)) continue;
            ir_node *n = em_insert(e, "prim::TupleIndex", 1, start, end);
            ir_add_input(n, v);
            ir_add_input(n, em_const(e, cv_int(i), start, end));
            ir_set_type(n->outputs[0], t->elems[i]);
            return sv_simple(e, n->outputs[0]);
        }
    }
    /* x.float(), x.long(), ...: aten::to with the dtype (TensorCastValue) */
    if (t->kind == TY_TENSOR) {
        static const struct { const char *n; int dt; } casts[] = {
            {"byte", 0}, {"char", 1}, {"short", 2}, {"int", 3}, {"long", 4}, {"half", 5},
            {"float", 6}, {"double", 7}, {"bfloat16", 15}}; /* no bool(): 1.13's TensorCastValue has none */
        for (size_t i = 0; i < sizeof casts / sizeof *casts; i++) {
            if (strcmp(field, casts[i].n)) continue;
            sv *c = sv_new(e, SV_SPECIAL);
            c->name = "tensor_cast";
            c->value = v;
            c->static_len = casts[i].dt;
            return c;
        }
    }
    /* a builtin method: aten::<field> with self bound; no schema takes a
     * complex self (1.13 has no .real/.imag on a complex scalar) */
    if (t->kind == TY_COMPLEX)
        em_error(e, start, end, "'%s' object has no attribute or method '%s'.", em_type_str(e, t), field);
    char op[128];
    snprintf(op, sizeof op, "aten::%s", field);
    if (has_schemas(op)) return builtin(e, em_strdup(e, op), v);
    em_error(e, start, end, "'%s' object has no attribute or method '%s'.", em_type_str(e, t), field);
}

sv *sv_attr(emitter *e, sv *s, const char *field, uint32_t start, uint32_t end) {
    switch (s->kind) {
    case SV_SIMPLE: return simple_attr(e, s, field, start, end);
    case SV_NS: {
        if (strcmp(s->name, "torch") == 0 || strncmp(s->name, "torch.", 6) == 0 || strcmp(s->name, "math") == 0)
            return module_attr(e, s->name, field, start, end);
        if (strcmp(s->name, "ops") == 0) {
            sv *ns = sv_new(e, SV_NS);
            ns->name = em_strdup(e, field);
            return ns;
        }
        if (strcmp(s->name, "aten") == 0 && (strcmp(field, "autograd") == 0 || strcmp(field, "jit") == 0)) {
            sv *ns = sv_new(e, SV_NS);
            ns->name = "aten";
            return ns;
        }
        char op[160];
        snprintf(op, sizeof op, "%s::%s", s->name, field);
        return builtin(e, em_strdup(e, op), NULL);
    }
    case SV_CONSTANTS: {
        if (field[0] != 'c') em_error(e, start, end, "unknown constant %s", field);
        char *endp;
        long long idx = strtoll(field + 1, &endp, 10);
        cv_value t = e->cu->constants;
        if (*endp || t.tag != CV_TUPLE || idx < 0 || (size_t)idx >= t.u.tu->len)
            em_error(e, start, end, "constant CONSTANTS.%s is not in the archive's constants table", field);
        return sv_simple(e, em_const(e, t.u.tu->items[idx], start, end));
    }
    case SV_QUALIFIER: {
        char q[512];
        snprintf(q, sizeof q, "%s.%s", s->name, field);
        const char *qn = em_strdup(e, q);
        cts_err tmp = {0};
        cts_type *cls = cts_cu_get_class(e->cu, qn, &tmp);
        if (cls) {
            sv *c = sv_new(e, SV_CLASS);
            c->type = cls;
            return c;
        }
        if (tmp.set && !strstr(tmp.msg, "Unknown type name")) {
            *e->err = tmp;
            em_fail(e);
        }
        cts_err tmp2 = {0};
        ir_function *fn = cts_cu_get_function(e->cu, qn, &tmp2);
        if (fn) {
            sv *f = sv_new(e, SV_FUNCTION);
            f->fn = fn;
            return f;
        }
        if (tmp2.set && !strstr(tmp2.msg, "Unknown")) {
            *e->err = tmp2;
            em_fail(e);
        }
        sv *r = sv_new(e, SV_QUALIFIER);
        r->name = qn;
        return r;
    }
    case SV_CLASS: {
        if (s->type->kind == TY_CLASS && s->type->cls->is_enum) return em_enum_class_attr(e, s->type, field, start, end);
        if (strcmp(field, "__new__") == 0) return special(e, "prim::CreateObject");
        ir_function *m = cts_cu_get_method(e->cu, s->type, field, e->err);
        if (m) {
            sv *f = sv_new(e, SV_FUNCTION);
            f->fn = m;
            return f;
        }
        em_error(e, start, end, "class '%s' has no attribute '%s'", s->type->cls->qualname, field);
    }
    default: em_error(e, start, end, "attribute lookup is not defined on this value");
    }
}

/* ---- calls ---- */

static sv *call_method(emitter *e, ir_value *self, const char *name, nval *args, int nargs, nval *kwargs, int nkwargs,
                       uint32_t start, uint32_t end) {
    ir_function *m = cts_cu_get_method(e->cu, self->type, name, e->err);
    if (!m) em_error(e, start, end, "method %s not found", name);
    if (cts_cu_ensure_schema(e->cu, m, e->err)) em_fail(e);
    /* a call defines the callee first (GraphFunction::ensure_defined), which
     * is how PyTorch finds recursion, direct or through other functions */
    if (m->state == FN_COMPILING)
        em_error(e, start, end, " method '%s' is called recursively. Recursive calls are not supported", m->name);
    if (cts_cu_ensure_compiled(e->cu, m, e->err)) em_fail(e);
    nval *all = em_alloc(e, (size_t)(nargs + 1) * sizeof *all);
    all[0].value = self;
    memcpy(all + 1, args, (size_t)nargs * sizeof *args);
    matched mt;
    const cts_schema *sch = m->schema;
    em_match_schemas(e, &sch, 1, all, nargs + 1, kwargs, nkwargs, NULL, &mt, start, end);
    ir_node *n = em_insert(e, "prim::CallMethod", 1, start, end);
    n->attr_name = ir_intern(e->g, name);
    for (int i = 0; i < mt.ninputs; i++) ir_add_input(n, mt.inputs[i]);
    ir_set_type(n->outputs[0], mt.ret_types[0]);
    return sv_simple(e, n->outputs[0]);
}

/* prim::CallFunction of fn with matched arguments; the callee is a
 * `Function` constant named after it (its unqualified name). */
static sv *emit_call_function(emitter *e, ir_function *fn, const matched *mt, uint32_t start, uint32_t end) {
    ir_node *c = em_insert(e, "prim::Constant", 1, start, end);
    c->fn = fn;
    c->attr_name = ir_intern(e->g, fn->name);
    ir_set_type(c->outputs[0], cts_type_prim(TY_FUNCTION));
    ir_node *n = em_insert(e, "prim::CallFunction", 1, start, end);
    ir_add_input(n, c->outputs[0]);
    for (int i = 0; i < mt->ninputs; i++) ir_add_input(n, mt->inputs[i]);
    ir_set_type(n->outputs[0], mt->ret_types[0]);
    return sv_simple(e, n->outputs[0]);
}

/* What a Python decorator makes of a function called from TorchScript:
 * @torch.jit.ignore keeps it Python (a PythonOp), @torch.jit.unused and
 * @torch.jit.ignore(drop=True) drop it (the call raises).  Neither body is
 * ever compiled. */
typedef enum { PY_FN_SCRIPTED, PY_FN_IGNORED, PY_FN_UNUSED } py_fn_modifier;

static py_fn_modifier python_fn_modifier(emitter *e, const ir_function *fn) {
    if (!fn->def || fn->def->kind != S_DEF) return PY_FN_SCRIPTED;
    for (int i = 0; i < fn->def->nlist3; i++) {
        const ast *d = fn->def->list3[i], *x = d->kind == A_CALL ? d->a : d;
        const ast *parts[8];
        int depth = 0;
        while (x && x->kind == A_ATTR && depth < 8) {
            parts[depth++] = x;
            x = x->a;
        }
        if (!x || x->kind != A_NAME) continue;
        char name[256], buf[512];
        size_t off = (size_t)snprintf(name, sizeof name, "%s", x->str);
        for (int k = depth - 1; k >= 0 && off < sizeof name; k--)
            off += (size_t)snprintf(name + off, sizeof name - off, ".%s", parts[k]->str);
        const char *full = cts_cu_unalias(e->cu, name, buf, sizeof buf);
        if (strcmp(full, "torch.jit.unused") == 0) return PY_FN_UNUSED;
        if (strcmp(full, "torch.jit.ignore") != 0) continue;
        /* ignore(drop=True) is the older spelling of unused */
        if (d->kind == A_CALL)
            for (int k = 0; k < d->nlist2 && k < d->nnames; k++)
                if (strcmp(d->names[k], "drop") == 0 && d->list2[k]->kind == A_TRUE) return PY_FN_UNUSED;
        return PY_FN_IGNORED;
    }
    return PY_FN_SCRIPTED;
}

/* A call of a function TorchScript leaves to Python.  Ignored: a PythonOp
 * node, printed as PyTorch prints one (`^name[]()(inputs)`), which the
 * interpreter turns into an error if it is reached.  Unused: the call
 * raises PyTorch's message (PythonValue::call), its value is uninitialized. */
static sv *call_python_function(emitter *e, ir_function *fn, py_fn_modifier mod, nval *args, int nargs, nval *kwargs,
                                int nkwargs, uint32_t start, uint32_t end) {
    if (cts_cu_ensure_schema(e->cu, fn, e->err)) em_fail(e);
    /* the signature PyTorch takes from the Python function has no defaults:
     * every argument must be given */
    cts_schema *plain = em_alloc(e, sizeof *plain);
    *plain = *fn->schema;
    plain->args = em_alloc(e, (size_t)(plain->nargs ? plain->nargs : 1) * sizeof *plain->args);
    for (int i = 0; i < plain->nargs; i++) {
        plain->args[i] = fn->schema->args[i];
        plain->args[i].has_default = false;
    }
    matched mt;
    const cts_schema *sch = plain;
    em_match_schemas(e, &sch, 1, args, nargs, kwargs, nkwargs, NULL, &mt, start, end);
    cts_type *rt = mt.nrets > 0 ? mt.ret_types[0] : T_NONE;
    if (mod == PY_FN_IGNORED) {
        char kind[300];
        snprintf(kind, sizeof kind, "^%s[]()", fn->name);
        ir_node *n = em_insert(e, kind, 1, start, end);
        for (int i = 0; i < mt.ninputs; i++) ir_add_input(n, mt.inputs[i]);
        ir_set_type(n->outputs[0], rt);
        return sv_simple(e, n->outputs[0]);
    }
    static const char msg[] = "This Python function is annotated to be ignored and cannot be run";
    cv_value m;
    if (cv_str_new(msg, sizeof msg - 1, &m, e->err)) em_fail(e);
    nval a[2] = {{0}, {0}};
    a[0].value = ir_insert_constant(e->g, m, NULL, 0, 0); /* no source range, as graph->insert gives */
    cv_release(m);
    a[1].value = ir_insert_constant(e->g, cv_none(), NULL, 0, 0);
    em_builtin_call(e, "prim::RaiseException", a, 2, NULL, 0, NULL, start, end);
    ir_node *u = em_insert(e, "prim::Uninitialized", 1, start, end);
    ir_set_type(u->outputs[0], rt);
    return sv_simple(e, u->outputs[0]);
}

static sv *call_function(emitter *e, ir_function *fn, nval *args, int nargs, nval *kwargs, int nkwargs, uint32_t start,
                         uint32_t end) {
    py_fn_modifier mod = python_fn_modifier(e, fn);
    if (mod != PY_FN_SCRIPTED) return call_python_function(e, fn, mod, args, nargs, kwargs, nkwargs, start, end);
    if (cts_cu_ensure_schema(e->cu, fn, e->err)) em_fail(e);
    /* as in call_method: define the callee first, refuse recursion */
    if (fn->state == FN_COMPILING)
        em_error(e, start, end, " function '%s' is called recursively. Recursive calls are not supported", fn->name);
    if (cts_cu_ensure_compiled(e->cu, fn, e->err)) em_fail(e);
    matched mt;
    const cts_schema *sch = fn->schema;
    em_match_schemas(e, &sch, 1, args, nargs, kwargs, nkwargs, NULL, &mt, start, end);
    return emit_call_function(e, fn, &mt, start, end);
}

/* torch.nn.functional's dispatching functions (see functional_attr):
 * boolean_dispatch picks a function by the constant `return_indices`
 * (absent: False), interpolate the first of its overloads that matches. */
static sv *call_functional(emitter *e, const char *name, nval *args, int nargs, nval *kwargs, int nkwargs,
                           uint32_t start, uint32_t end) {
    char q[256];
    if (strcmp(name, "interpolate") == 0) {
        static const char *const overloads[] = {
            "__torch__.torch.nn.functional.interpolate",
            "__torch__.torch.nn.functional.___torch_mangle_0.interpolate",
            "__torch__.torch.nn.functional.___torch_mangle_1.interpolate",
            "__torch__.torch.nn.functional.___torch_mangle_2.interpolate",
        };
        ir_function *fns[4];
        const cts_schema *schemas[4];
        for (int i = 0; i < 4; i++) {
            fns[i] = cts_cu_get_function(e->cu, overloads[i], e->err);
            if (!fns[i] || cts_cu_ensure_schema(e->cu, fns[i], e->err)) em_fail(e);
            schemas[i] = fns[i]->schema;
        }
        matched mt;
        int k = em_match_schemas(e, schemas, 4, args, nargs, kwargs, nkwargs, NULL, &mt, start, end);
        if (cts_cu_ensure_compiled(e->cu, fns[k], e->err)) em_fail(e);
        return emit_call_function(e, fns[k], &mt, start, end);
    }
    /* max_poolNd(input, kernel_size, stride, padding, dilation, ceil_mode,
     * return_indices), adaptive_max_poolNd(input, output_size, return_indices) */
    int index = strncmp(name, "adaptive_", 9) == 0 ? 2 : 6;
    nval *flag = nargs > index ? &args[index] : NULL;
    for (int i = 0; i < nkwargs; i++)
        if (strcmp(kwargs[i].name, "return_indices") == 0) flag = &kwargs[i];
    bool with_indices = false;
    if (flag) {
        ir_value *v = nval_value(e, flag);
        if (v->node->k != K_CONSTANT || !v->node->has_value || v->node->value.tag != CV_BOOL)
            em_error(e, start, end, "value for return_indices must be a constant");
        with_indices = v->node->value.u.b;
    }
    if (with_indices) snprintf(q, sizeof q, "__torch__.torch.nn.functional.%s_with_indices", name);
    else snprintf(q, sizeof q, "__torch__.torch.nn.functional._%s", name);
    ir_function *fn = cts_cu_get_function(e->cu, q, e->err);
    if (!fn) em_fail(e);
    return call_function(e, fn, args, nargs, kwargs, nkwargs, start, end);
}

sv *sv_call(emitter *e, sv *s, nval *args, int nargs, nval *kwargs, int nkwargs, int n_binders, uint32_t start,
            uint32_t end) {
    (void)n_binders;
    switch (s->kind) {
    case SV_BUILTIN: {
        nval self = {0};
        if (s->value) {
            self.name = "self";
            self.value = s->value;
        }
        return sv_simple(e, em_builtin_call(e, s->name, args, nargs, kwargs, nkwargs, s->value ? &self : NULL, start, end));
    }
    case SV_METHOD: return call_method(e, s->value, s->name, args, nargs, kwargs, nkwargs, start, end);
    case SV_FUNCTION:
        if (s->name) return call_functional(e, s->name, args, nargs, kwargs, nkwargs, start, end);
        return call_function(e, s->fn, args, nargs, kwargs, nkwargs, start, end);
    case SV_MAGIC: {
        if (nargs > 0) {
            ir_value *a0 = nval_value(e, &args[0]);
            if (a0->type->kind == TY_CLASS && cts_cu_get_method(e->cu, a0->type, s->name, e->err))
                return call_method(e, a0, s->name, args + 1, nargs - 1, kwargs, nkwargs, start, end);
        }
        return sv_call(e, s->inner, args, nargs, kwargs, nkwargs, n_binders, start, end);
    }
    case SV_CAST: {
        if (nargs == 1 && nkwargs == 0) {
            /* PyTorch's CastValue: an (unused unless needed) zero constant,
             * identity casts vanish, bool() of a container is len() > 0 */
            ir_value *zero = em_const(e, cv_int(0), start, end);
            ir_value *v = nval_value(e, &args[0]);
            if (cts_type_subtype(v->type, s->type)) return sv_simple(e, v);
            if (s->type->kind == TY_BOOL &&
                (v->type->kind == TY_LIST || v->type->kind == TY_STR || v->type->kind == TY_DICT)) {
                nval a = {0};
                a.value = v;
                ir_value *len = em_builtin_call(e, "aten::len", &a, 1, NULL, 0, NULL, start, end);
                nval b[2] = {{0}, {0}};
                b[0].value = len;
                b[1].value = zero;
                return sv_simple(e, em_builtin_call(e, "aten::gt", b, 2, NULL, 0, NULL, start, end));
            }
        }
        return sv_simple(e, em_builtin_call(e, s->name, args, nargs, kwargs, nkwargs, NULL, start, end));
    }
    case SV_PRINT: {
        for (int i = 0; i < nkwargs; i++)
            if (strcmp(kwargs[i].name, "sep") && strcmp(kwargs[i].name, "end"))
                em_error(e, start, end, "print doesn't accept the keyword argument '%s'", kwargs[i].name);
        if (nkwargs) em_error(e, start, end, "print's sep and end arguments are not supported by cts yet");
        ir_node *n = em_insert(e, "prim::Print", 0, start, end);
        for (int i = 0; i < nargs; i++) ir_add_input(n, nval_value(e, &args[i]));
        return sv_simple(e, em_const(e, cv_none(), start, end));
    }
    case SV_EXCEPTION: {
        sv *m = sv_new(e, SV_EXCEPTION_MSG);
        if (s->prefix_message) {
            char pre[128];
            snprintf(pre, sizeof pre, "%s: ", s->name);
            cv_value ps;
            if (cv_str_from(pre, &ps, e->err)) em_fail(e);
            ir_value *msg = em_const(e, ps, start, end);
            cv_release(ps);
            for (int i = 0; i < nargs; i++) {
                ir_value *a = nval_value(e, &args[i]);
                if (a->type->kind != TY_STR) {
                    nval x = {0};
                    x.value = a;
                    a = em_builtin_call(e, "aten::str", &x, 1, NULL, 0, NULL, start, end);
                }
                nval y[2] = {{0}, {0}};
                y[0].value = msg;
                y[1].value = a;
                msg = em_builtin_call(e, "aten::add", y, 2, NULL, 0, NULL, start, end);
            }
            m->value = msg;
            m->name = s->name;
            return m;
        }
        ir_value *msg;
        if (nargs == 0) {
            cv_value es;
            if (cv_str_new("", 0, &es, e->err)) em_fail(e);
            msg = em_const(e, es, start, end);
            cv_release(es);
        } else if (nargs == 1) {
            msg = nval_value(e, &args[0]);
        } else {
            ir_value **vals = em_alloc(e, (size_t)(nargs + nkwargs) * sizeof *vals);
            for (int i = 0; i < nargs; i++) vals[i] = nval_value(e, &args[i]);
            for (int i = 0; i < nkwargs; i++) vals[nargs + i] = nval_value(e, &kwargs[i]);
            msg = em_tuple(e, vals, nargs + nkwargs, NULL);
        }
        cv_value cs;
        if (cv_str_from(s->name, &cs, e->err)) em_fail(e);
        m->cls_value = em_const(e, cs, start, end);
        cv_release(cs);
        m->value = msg;
        m->name = s->name;
        return m;
    }
    case SV_CLASS: {
        cts_type *t = s->type;
        if (t->kind == TY_CLASS && t->cls->is_enum)
            em_error(e, start, end, "calling Enum class %s (a lookup by value) is not supported by cts; use %s.MEMBER",
                     t->cls->qualname, t->cls->qualname);
        if (t->kind == TY_TUPLE) {
            /* NamedTuple constructor */
            matched mt;
            ir_value **vals = em_alloc(e, (size_t)(t->n + 1) * sizeof *vals);
            if (nargs + nkwargs > t->n) em_error(e, start, end, "too many arguments for %s", t->name);
            for (int i = 0; i < t->n; i++) {
                nval *hit = NULL;
                if (i < nargs) hit = &args[i];
                for (int k = 0; k < nkwargs; k++)
                    if (strcmp(kwargs[k].name, t->fields[i]) == 0) hit = &kwargs[k];
                if (!hit) em_error(e, start, end, "Argument %s not provided.", t->fields[i]);
                vals[i] = em_convert(e, t->elems[i], nval_value(e, hit), true, start, end);
            }
            (void)mt;
            return sv_simple(e, em_tuple(e, vals, t->n, t));
        }
        ir_node *o = em_insert(e, "prim::CreateObject", 1, start, end);
        ir_set_type(o->outputs[0], t);
        call_method(e, o->outputs[0], "__init__", args, nargs, kwargs, nkwargs, start, end);
        return sv_simple(e, o->outputs[0]);
    }
    case SV_SIMPLE:
        if (s->value->type->kind == TY_CLASS && cts_cu_get_method(e->cu, s->value->type, "forward", e->err))
            return call_method(e, s->value, "forward", args, nargs, kwargs, nkwargs, start, end);
        em_error(e, start, end, "'%s' object is not callable", em_type_str(e, s->value->type));
    default: em_error(e, start, end, "this value cannot be called");
    }
}

/* ---- iteration ---- */

sv *sv_module_dict_view(emitter *e, sv *view, uint32_t start, uint32_t end) {
    const char *w = view->name + 11; /* after "cts::mdict_" */
    return container_tuple(e, view->inner, strcmp(w, "keys") == 0 ? 0 : strcmp(w, "values") == 0 ? 1 : 2, start, end);
}

bool sv_should_unroll(const sv *s) {
    if (s->kind == SV_TUPLE_SV) return true;
    if (s->kind == SV_ITER_TREE)
        for (int i = 0; i < s->nchildren; i++)
            if (sv_should_unroll(s->children[i])) return true;
    return false;
}

sv *sv_iter(emitter *e, sv *s, uint32_t start, uint32_t end) {
    switch (s->kind) {
    case SV_RANGE:
    case SV_ITER_TREE:
    case SV_TUPLE_SV: return s;
    case SV_CLASS:
        if (s->type->kind == TY_CLASS && s->type->cls->is_enum) return em_enum_iter(e, s->type, start, end);
        em_error(e, start, end, "class '%s' is not iterable", s->type->cls ? s->type->cls->qualname : "?");
    case SV_SIMPLE: {
        cts_type *t = s->value->type;
        if (t->kind == TY_LIST || t->kind == TY_STR || t->kind == TY_TENSOR) return s;
        if (is_container(t, 1)) return container_tuple(e, s, 1, start, end);
        if (is_container(t, 2)) return container_tuple(e, s, 0, start, end);
        if (t->kind == TY_DICT) {
            nval a = {0};
            a.value = s->value;
            return sv_simple(e, em_builtin_call(e, "aten::keys", &a, 1, NULL, 0, NULL, start, end));
        }
        if (t->kind == TY_TUPLE) {
            sv *parts[128];
            int n = sv_as_tuple(e, s, parts, 128, -1, start, end);
            sv *tv = sv_new(e, SV_TUPLE_SV);
            tv->children = em_alloc(e, (size_t)(n + 1) * sizeof *tv->children);
            memcpy(tv->children, parts, (size_t)n * sizeof *parts);
            tv->nchildren = n;
            tv->has_static_len = true;
            tv->static_len = n;
            return tv;
        }
        em_error(e, start, end, "'%s' object is not iterable", em_type_str(e, t));
    }
    default: em_error(e, start, end, "this value is not iterable");
    }
}

static void iter_tree_lens(emitter *e, sv *s, ir_value **lens, int *n, uint32_t start, uint32_t end) {
    for (int i = 0; i < s->nchildren; i++) {
        if (s->children[i]->kind == SV_ITER_TREE) iter_tree_lens(e, s->children[i], lens, n, start, end);
        else if (*n < 64) lens[(*n)++] = sv_len(e, s->children[i], start, end);
        else em_error(e, start, end, "too many iterables in one for loop");
    }
}

ir_value *sv_len(emitter *e, sv *s, uint32_t start, uint32_t end) {
    switch (s->kind) {
    case SV_RANGE: {
        if (s->nrange == 1) return s->range[1];
        nval a[3] = {{0}, {0}, {0}};
        a[0].value = s->range[0] ? s->range[0] : em_int_const(e, 0, start, end);
        a[1].value = s->range[1];
        a[2].value = s->range[2] ? s->range[2] : em_int_const(e, 1, start, end);
        return em_builtin_call(e, "aten::__range_length", a, 3, NULL, 0, NULL, start, end);
    }
    case SV_ITER_TREE: {
        /* IterableTree::len: the min of the lengths of its base iterables
         * (nested trees flattened, as get_base_iterables does) */
        ir_value *lens[64];
        int n = 0;
        iter_tree_lens(e, s, lens, &n, start, end);
        ir_value *lst = em_list(e, T_INT, lens, n);
        nval a = {0};
        a.value = lst;
        return em_builtin_call(e, "prim::min", &a, 1, NULL, 0, NULL, start, end);
    }
    case SV_SIMPLE: {
        if (s->value->type->kind == TY_CLASS && s->value->type->cls->module_container) {
            const char *names[512];
            return em_int_const(e, container_items(s->value->type, names, 512), start, end);
        }
        nval a = {0};
        a.value = s->value;
        return em_builtin_call(e, "aten::len", &a, 1, NULL, 0, NULL, start, end);
    }
    case SV_TUPLE_SV: return em_int_const(e, s->nchildren, start, end);
    default: em_error(e, start, end, "object has no len()");
    }
}

sv *sv_getitem(emitter *e, sv *s, ir_value *idx, uint32_t start, uint32_t end) {
    switch (s->kind) {
    case SV_RANGE: {
        if (s->nrange == 1) return sv_simple(e, idx);
        nval a[3] = {{0}, {0}, {0}};
        a[0].value = idx;
        a[1].value = s->range[0] ? s->range[0] : em_int_const(e, 0, start, end);
        a[2].value = s->range[2] ? s->range[2] : em_int_const(e, 1, start, end);
        return sv_simple(e, em_builtin_call(e, "aten::__derive_index", a, 3, NULL, 0, NULL, start, end));
    }
    case SV_ITER_TREE: {
        ir_value **vals = em_alloc(e, (size_t)(s->nchildren + 1) * sizeof *vals);
        for (int i = 0; i < s->nchildren; i++)
            vals[i] = sv_as_value(e, sv_getitem(e, s->children[i], idx, start, end), start, end);
        return sv_simple(e, em_tuple(e, vals, s->nchildren, NULL));
    }
    case SV_TUPLE_SV: {
        if (idx->node->k != K_CONSTANT || !idx->node->has_value || idx->node->value.tag != CV_INT)
            em_error(e, start, end, "tuple index must be an integer constant");
        int64_t i = idx->node->value.u.i;
        if (i < 0) i += s->nchildren;
        if (i < 0 || i >= s->nchildren) em_error(e, start, end, "Tuple index out of range");
        return s->children[i];
    }
    case SV_SIMPLE: {
        ir_value *v = s->value;
        cts_type *t = v->type;
        if (t->kind == TY_LIST || t->kind == TY_STR || t->kind == TY_DICT) {
            nval a[2] = {{0}, {0}};
            a[0].value = v;
            a[1].value = idx;
            return sv_simple(e, em_builtin_call(e, "aten::__getitem__", a, 2, NULL, 0, NULL, start, end));
        }
        if (t->kind == TY_TENSOR) {
            nval a[3] = {{0}, {0}, {0}};
            a[0].value = v;
            a[1].is_const = true;
            a[1].cval = cv_int(0);
            a[2].value = idx;
            return sv_simple(e, em_builtin_call(e, "aten::select", a, 3, NULL, 0, NULL, start, end));
        }
        if (t->kind == TY_TUPLE) {
            int64_t i;
            if (idx->node->k == K_CONSTANT && idx->node->has_value && idx->node->value.tag == CV_INT) {
                i = idx->node->value.u.i;
                if (i < 0) i += t->n;
                if (i < 0 || i >= t->n)
                    em_error(e, start, end, "Tuple index out of range. Tuple is length %d and index is %lld", t->n,
                             (long long)idx->node->value.u.i);
            } else {
                em_error(e, start, end, "tuple indices must be integer constants");
            }
            ir_node *n = em_insert(e, "prim::TupleIndex", 1, start, end);
            ir_add_input(n, v);
            ir_add_input(n, em_int_const(e, i, start, end));
            ir_set_type(n->outputs[0], t->elems[i]);
            return sv_simple(e, n->outputs[0]);
        }
        if (t->kind == TY_CLASS && t->cls->module_container) {
            /* a constant index (ModuleList, Sequential) or key (ModuleDict) */
            const char *names[512];
            int n = container_items(t, names, 512);
            bool konst = idx->node->k == K_CONSTANT && idx->node->has_value;
            if (t->cls->module_container == 1) {
                if (!konst || idx->node->value.tag != CV_INT)
                    em_error(e, start, end, "Expected integer literal for index: ModuleList/Sequential indexing is "
                                            "only supported with integer literals");
                int64_t i = idx->node->value.u.i;
                if (i < 0) i += n;
                if (i < 0 || i >= n) em_error(e, start, end, "Index %lld out of range", (long long)idx->node->value.u.i);
                return sv_attr(e, s, names[i], start, end);
            }
            if (!konst || idx->node->value.tag != CV_STR)
                em_error(e, start, end, "Unable to extract string literal index. ModuleDict indexing is only supported "
                                        "with string literals.");
            for (int i = 0; i < n; i++)
                if (strcmp(names[i], idx->node->value.u.s->data) == 0) return sv_attr(e, s, names[i], start, end);
            em_error(e, start, end, "Key Error, %s", idx->node->value.u.s->data);
        }
        if (t->kind == TY_CLASS) {
            nval a = {0};
            a.value = idx;
            return call_method(e, v, "__getitem__", &a, 1, NULL, 0, start, end);
        }
        em_error(e, start, end, "'%s' object is not subscriptable", em_type_str(e, t));
    }
    default: em_error(e, start, end, "object is not subscriptable");
    }
}

int sv_as_tuple(emitter *e, sv *s, sv **out, int max, int n, uint32_t start, uint32_t end) {
    if (s->kind == SV_TUPLE_SV) {
        int k = s->nchildren < max ? s->nchildren : max;
        memcpy(out, s->children, (size_t)k * sizeof *out);
        return s->nchildren;
    }
    if (s->kind != SV_SIMPLE) em_error(e, start, end, "this value cannot be used as a tuple");
    ir_value *v = s->value;
    cts_type *t = v->type;
    if (t->kind == TY_TUPLE) {
        if (t->n > max) em_error(e, start, end, "tuple too long");
        if (v->node->k == K_TUPLECONSTRUCT) { /* createTupleUnpack's peephole: the construct's inputs */
            for (int i = 0; i < t->n; i++) out[i] = sv_simple(e, v->node->inputs[i]);
            return t->n;
        }
        ir_node *u = em_insert(e, "prim::TupleUnpack", t->n, start, end);
        ir_add_input(u, v);
        for (int i = 0; i < t->n; i++) {
            ir_set_type(u->outputs[i], t->elems[i]);
            out[i] = sv_simple(e, u->outputs[i]);
        }
        return t->n;
    }
    if (t->kind == TY_LIST) {
        if (n < 0) em_error(e, start, end, "cannot statically infer the expected size of a list in this context");
        if (n > max) em_error(e, start, end, "list too long");
        ir_node *u = em_insert(e, "prim::ListUnpack", n, start, end);
        ir_add_input(u, v);
        for (int i = 0; i < n; i++) {
            ir_set_type(u->outputs[i], t->elems[0]);
            out[i] = sv_simple(e, u->outputs[i]);
        }
        return n;
    }
    em_error(e, start, end, "%s cannot be used as a tuple", em_type_str(e, t));
}
