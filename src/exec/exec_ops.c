/* exec_ops.c - eager operator calls of `cts exec`.
 *
 * Python calls torch.rand(3, 4), x + h or self.weight.mv(input); cts runs
 * each such call as a tiny TorchScript function typed from the runtime
 * values, `def e7(a0: int, a1: int): return torch.rand(a0, a1)`, compiled
 * once per call shape and argument types and cached.  Overload resolution,
 * defaults, the torch.nn.functional library and type promotion are then
 * exactly TorchScript's.  While a trace records (exec_jit.c), the call runs
 * with the trace hook, so the operators it runs land in the traced graph. */
#include <stdlib.h>
#include <string.h>

#include "../runtime/interp.h"
#include "exec_internal.h"

static int annot(xstate *x, cv_value v, cts_strbuf *sb);
static int annot_impl(xstate *x, cv_value v, cts_strbuf *sb);

static int list_annot(xstate *x, const cv_list *l, cts_strbuf *sb) {
    cts_type *e = l->elem;
    if (e->kind == TY_ANY) {
        /* a Python list: its items decide */
        bool ints = true, floats = true, bools = true, tensors = true, strs = true;
        for (size_t i = 0; i < l->len; i++) {
            cv_tag t = l->items[i].tag;
            ints &= t == CV_INT;
            floats &= t == CV_FLOAT || t == CV_INT;
            bools &= t == CV_BOOL;
            tensors &= t == CV_TENSOR;
            strs &= t == CV_STR;
        }
        const char *a = ints ? "int" : floats ? "float" : bools ? "bool" : tensors ? "Tensor" : strs ? "str" : NULL;
        if (!a && l->len) {
            cts_sb_puts(sb, "List[");
            int rc = annot(x, l->items[0], sb);
            cts_sb_putc(sb, ']');
            return rc;
        }
        cts_sb_printf(sb, "List[%s]", a ? a : "int");
        return 0;
    }
    cts_sb_puts(sb, "List[");
    cts_type_str_annot(e, sb);
    cts_sb_putc(sb, ']');
    return 0;
}

static __thread int annot_depth;

static int annot(xstate *x, cv_value v, cts_strbuf *sb) {
    if (annot_depth > 100) return x_error(x, "RecursionError: a list or tuple nested too deep (or holding itself)");
    annot_depth++;
    int rc = annot_impl(x, v, sb);
    annot_depth--;
    return rc;
}

static int annot_impl(xstate *x, cv_value v, cts_strbuf *sb) {
    switch (v.tag) {
    case CV_NONE: cts_sb_puts(sb, "None"); return 0;
    case CV_BOOL: cts_sb_puts(sb, "bool"); return 0;
    case CV_INT: cts_sb_puts(sb, "int"); return 0;
    case CV_FLOAT: cts_sb_puts(sb, "float"); return 0;
    case CV_STR: cts_sb_puts(sb, "str"); return 0;
    case CV_TENSOR: cts_sb_puts(sb, "Tensor"); return 0;
    case CV_DEVICE: cts_sb_puts(sb, "Device"); return 0;
    case CV_COMPLEX: cts_sb_puts(sb, "complex"); return 0;
    case CV_LIST: return list_annot(x, v.u.l, sb);
    case CV_TUPLE:
        cts_sb_puts(sb, "Tuple[");
        if (v.u.tu->len == 0) cts_sb_puts(sb, "()");
        for (size_t i = 0; i < v.u.tu->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            if (annot(x, v.u.tu->items[i], sb)) return -1;
        }
        cts_sb_putc(sb, ']');
        return 0;
    case CV_DICT: {
        cts_sb_puts(sb, "Dict[");
        cts_type *k = v.u.d->key_type, *vt = v.u.d->val_type;
        if (k->kind == TY_ANY && v.u.d->len) annot(x, v.u.d->entries[0].key, sb);
        else cts_type_str_annot(k->kind == TY_ANY ? T_STR : k, sb);
        cts_sb_puts(sb, ", ");
        if (vt->kind == TY_ANY && v.u.d->len) annot(x, v.u.d->entries[0].val, sb);
        else cts_type_str_annot(vt->kind == TY_ANY ? T_TENSOR : vt, sb);
        cts_sb_putc(sb, ']');
        return 0;
    }
    case CV_OBJECT: cts_sb_puts(sb, v.u.o->type->cls->qualname); return 0;
    default: break;
    }
    return x_error(x, "TypeError: a %s cannot be passed to a TorchScript operator",
                   v.tag == CV_PY && xo_of(v)->kind == XO_INST ? "Python object" : "Python value of this kind");
}

/* Python lists hold what they like; TorchScript lists are typed: a list
 * whose items are ints where floats are wanted is copied as floats. */
static int coerce(xstate *x, cv_value v, cv_value *out) {
    if (v.tag == CV_TUPLE && v.u.tu->len) { /* (2, 3) or torch.Size where TorchScript wants int[] */
        cv_tag t0 = v.u.tu->items[0].tag;
        bool same = t0 == CV_INT || t0 == CV_FLOAT || t0 == CV_TENSOR;
        for (size_t i = 1; i < v.u.tu->len && same; i++) same = v.u.tu->items[i].tag == t0;
        if (same) {
            cv_value l;
            if (cv_list_new(t0 == CV_INT ? T_INT : t0 == CV_FLOAT ? T_FLOAT : T_TENSOR, v.u.tu->len, &l, x->err))
                return -1;
            for (size_t i = 0; i < v.u.tu->len; i++) {
                cv_retain(v.u.tu->items[i]);
                if (cv_list_push(l.u.l, v.u.tu->items[i], x->err)) {
                    cv_release(l);
                    return -1;
                }
            }
            *out = l;
            return 0;
        }
    }
    if (v.tag == CV_TUPLE && v.u.tu->type && v.u.tu->len == 0) { /* torch.Size([]) */
        return cv_list_new(T_INT, 0, out, x->err);
    }
    cv_retain(v);
    *out = v;
    if (v.tag != CV_LIST || v.u.l->elem->kind != TY_ANY) return 0;
    cv_list *l = v.u.l;
    bool floats = false, ints = true;
    for (size_t i = 0; i < l->len; i++) {
        if (l->items[i].tag == CV_FLOAT) floats = true;
        if (l->items[i].tag != CV_INT) ints = false;
    }
    cts_type *et = floats ? T_FLOAT : ints ? T_INT : NULL;
    if (!et && l->len) {
        cts_type *t0 = cv_type_of(l->items[0]);
        et = t0;
        if (!t0) return cts_err_oom(x->err, "type", 0);
        cv_value n;
        int rc = cv_list_new(et, l->len, &n, x->err);
        cts_type_release(t0);
        if (rc) return -1;
        for (size_t i = 0; i < l->len; i++) {
            cv_retain(l->items[i]);
            if (cv_list_push(n.u.l, l->items[i], x->err)) {
                cv_release(n);
                return -1;
            }
        }
        cv_release(*out);
        *out = n;
        return 0;
    }
    cv_value n;
    if (cv_list_new(et ? et : T_INT, l->len, &n, x->err)) return -1;
    for (size_t i = 0; i < l->len; i++) {
        cv_value it = l->items[i];
        if (floats && it.tag == CV_INT) it = cv_float((double)it.u.i);
        cv_retain(it);
        if (cv_list_push(n.u.l, it, x->err)) {
            cv_release(n);
            return -1;
        }
    }
    cv_release(*out);
    *out = n;
    return 0;
}

int x_run(xstate *x, ir_function *fn, const cv_value *args, int nargs, cv_value *out);

static ir_function *compile_eager(xstate *x, const char *key, const char *body, const cts_strbuf *params) {
    ir_function *fn = cts_map_get(&x->eager_cache, key);
    if (fn) return fn;
    char name[32];
    snprintf(name, sizeof name, "e%d", x->neager++);
    cts_strbuf src;
    cts_sb_init(&src);
    if (x->neager == 1) cts_sb_puts(&src, "import torch.nn.functional as F\n");
    cts_sb_printf(&src, "def %s(%s):\n  %s\n", name, params->s ? params->s : "", body);
    char *text = cts_arena_alloc(&x->arena, src.len + 1);
    char *k = malloc(strlen(key) + 1);
    if (!text || !k) {
        cts_sb_free(&src);
        free(k);
        cts_err_oom(x->err, "eager call", 0);
        return NULL;
    }
    memcpy(text, src.s, src.len + 1);
    size_t tlen = src.len;
    cts_sb_free(&src);
    strcpy(k, key);
    char q[64];
    snprintf(q, sizeof q, "__eager__.%s", name);
    cts_err e = {0};
    if (cts_cu_add_source(x->ecu, "__eager__", "<eager call>", text, tlen, &e) ||
        !(fn = cts_cu_get_function(x->ecu, q, &e)) || cts_lower_function(x->ecu, fn, &e)) {
        free(k);
        /* the compiler's message names the operator and the argument types; the
           excerpt of the generated source goes */
        const char *m = e.msg;
        const char *here = strstr(m, "\n  File \"<eager call>\"");
        cts_err_set(x->err, "%.*s", here ? (int)(here - m) : (int)strlen(m), m);
        return NULL;
    }
    if (cts_map_put(&x->eager_cache, k, fn)) {
        free(k);
        cts_err_oom(x->err, "eager call", 0);
        return NULL;
    }
    return fn;
}

/* ints_as_floats: Python passes an int where a float is wanted, TorchScript
 * does not; a call that does not compile is tried once more so. */
static int eager_impl(xstate *x, const char *body, const cv_value *args, int nargs, bool ints_as_floats,
                      cv_value *out) {
    cts_strbuf key, params;
    cts_sb_init(&key);
    cts_sb_init(&params);
    cv_value conv[64];
    int nconv = 0, rc = -1;
    if (nargs > 64) {
        x_error(x, "too many arguments");
        goto done;
    }
    cts_sb_puts(&key, body);
    cts_sb_putc(&key, '|');
    for (int i = 0; i < nargs; i++) {
        if (i) cts_sb_puts(&params, ", ");
        cts_sb_printf(&params, "a%d: ", i);
        size_t at = params.len;
        cv_value a = args[i];
        if (ints_as_floats && a.tag == CV_INT) a = cv_float((double)a.u.i);
        if (coerce(x, a, &conv[nconv])) goto done;
        nconv++;
        if (annot(x, conv[i], &params)) goto done;
        cts_sb_putn(&key, params.s + at, params.len - at);
        cts_sb_putc(&key, ',');
    }
    ir_function *fn = compile_eager(x, cts_sb_str(&key), body, &params);
    if (!fn) {
        rc = -2; /* did not compile */
        goto done;
    }
    rc = x_run(x, fn, conv, nargs, out);
done:
    for (int i = 0; i < nconv; i++) cv_release(conv[i]);
    cts_sb_free(&key);
    cts_sb_free(&params);
    return rc;
}

int x_eager(xstate *x, const char *body, const cv_value *args, int nargs, cv_value *out) {
    int rc = eager_impl(x, body, args, nargs, false, out);
    if (rc != -2) return rc;
    bool ints = false;
    for (int i = 0; i < nargs; i++) ints |= args[i].tag == CV_INT;
    if (!ints) return -1;
    cts_err first = *x->err;
    cts_err_clear(x->err);
    rc = eager_impl(x, body, args, nargs, true, out);
    if (rc == -2) *x->err = first; /* the first attempt's message names the call as written */
    return rc ? -1 : 0;
}

/* an argument as text: bools and None are written as literals (TorchScript
 * wants some of them constant: F.max_pool2d's return_indices), the rest are
 * parameters a<n> */
static void arg_text(cts_strbuf *body, cv_value v, cv_value *all, int *n) {
    if (v.tag == CV_BOOL) cts_sb_puts(body, v.u.b ? "True" : "False");
    else if (v.tag == CV_NONE) cts_sb_puts(body, "None");
    else {
        cts_sb_printf(body, "a%d", *n);
        all[(*n)++] = v;
    }
}

/* Python's tensor arithmetic takes a number as a wrapped 0-dim tensor (the
 * Tensor overload), which PyTorch's tracer records as a tensor constant */
static bool wraps_numbers(const char *callee, bool method) {
    static const char *const ops[] = {"add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_"};
    const char *name = method ? callee : !strncmp(callee, "torch.", 6) ? callee + 6 : NULL;
    if (!name) return false;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(name, ops[i])) return true;
    return false;
}

int x_eager_call(xstate *x, const char *callee, cv_value self, bool method, const cv_value *args, int nargs,
                 const char *const *kwn, const cv_value *kwv, int nkw, cv_value *out) {
    cv_value all[64];
    int n = 0;
    if (nargs + nkw + 1 > 64) return x_error(x, "too many arguments");
    /* factories' requires_grad= (Python's API; TorchScript's schemas lack it): set on the result */
    for (int i = 0; i < nkw; i++) {
        if (strcmp(kwn[i], "requires_grad") != 0 || method || kwv[i].tag != CV_BOOL) continue;
        const char *kn[64];
        cv_value kv[64];
        int m = 0;
        for (int k = 0; k < nkw; k++)
            if (k != i) kn[m] = kwn[k], kv[m++] = kwv[k];
        if (x_eager_call(x, callee, self, method, args, nargs, kn, kv, m, out)) return -1;
        if (out->tag == CV_TENSOR && out->u.t) out->u.t->requires_grad = kwv[i].u.b;
        return 0;
    }
    int other = method ? 0 : 1; /* the `other` operand */
    if (x->trace && nargs > other && (args[other].tag == CV_INT || args[other].tag == CV_FLOAT) &&
        wraps_numbers(callee, method)) {
        cv_value w[64];
        for (int i = 0; i < nargs; i++) w[i] = args[i];
        ct_tensor *t = args[other].tag == CV_FLOAT ? ct_tensor_scalar_f64(CT_FLOAT64, args[other].u.f, x->err)
                                                   : ct_tensor_scalar_i64(CT_INT64, args[other].u.i, x->err);
        if (!t) return -1;
        w[other] = cv_tensor(t);
        int rc = x_eager_call(x, callee, self, method, w, nargs, kwn, kwv, nkw, out);
        cv_release(w[other]);
        return rc;
    }
    cts_strbuf body;
    cts_sb_init(&body);
    if (method) {
        all[n++] = self;
        cts_sb_printf(&body, "return a0.%s(", callee);
    } else if (!strncmp(callee, "torch.nn.functional.", 20)) { /* the unit imports it as F */
        cts_sb_printf(&body, "return F.%s(", callee + 20);
    } else {
        cts_sb_printf(&body, "return %s(", callee);
    }
    for (int i = 0; i < nargs; i++) {
        if (i) cts_sb_puts(&body, ", ");
        arg_text(&body, args[i], all, &n);
    }
    for (int i = 0; i < nkw; i++) {
        cts_sb_printf(&body, "%s%s=", nargs || i ? ", " : "", kwn[i]);
        arg_text(&body, kwv[i], all, &n);
    }
    cts_sb_putc(&body, ')');
    int rc = x_eager(x, cts_sb_str(&body), all, n, out);
    cts_sb_free(&body);
    return rc;
}
