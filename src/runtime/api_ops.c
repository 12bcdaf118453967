/* api_ops.c - the public operator API (cts_op_call) and tracing of C
 * functions (cts_trace), include/cts.h.
 *
 * cts_op_call finds the kernel and the PyTorch schema of "ns::name.overload"
 * (once per name),
 * fills omitted trailing arguments with the schema's defaults and runs the
 * kernel.  While cts_trace runs a function on this thread, each call is
 * also recorded (runtime/trace.h) with the argument handles as keys, so an
 * int an operator returned (a size) stays that operator's value in the
 * graph. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hashmap.h"
#include "../ops/op.h"
#include "api_internal.h"
#include "trace.h"

/* Operators by name: the kernel and the parsed schema, looked up once per
 * name and kept for the process (traced graphs hold the schemas). */
typedef struct op_entry {
    cts_kernel_fn fn;
    cts_schema *schema;
} op_entry;

static pthread_mutex_t ops_mu = PTHREAD_MUTEX_INITIALIZER;
static cts_map ops_by_name;
static bool ops_ready;

/* The entry for "ns::name.overload"; NULL with err when cts has no such
 * operator (or on out of memory). */
static const op_entry *op_for(const char *op, cts_err *err) {
    pthread_mutex_lock(&ops_mu);
    if (!ops_ready) {
        cts_map_init(&ops_by_name);
        ops_ready = true;
    }
    op_entry *o = cts_map_get(&ops_by_name, op);
    if (!o) {
        const char *text = NULL;
        cts_kernel_fn fn = cts_op_find_kernel(op, &text);
        cts_schema *s = fn ? cts_schema_parse(text, err) : NULL;
        char *key = s ? malloc(strlen(op) + 1) : NULL;
        o = key ? malloc(sizeof *o) : NULL;
        if (o) {
            strcpy(key, op);
            o->fn = fn;
            o->schema = s;
            if (cts_map_put(&ops_by_name, key, o)) {
                free(o);
                o = NULL;
            }
        }
        if (!o) {
            if (!fn)
                cts_err_set(err, "unknown operator '%s' (`cts ops` lists the operators cts implements, as "
                                 "ns::name.overload)", op);
            else if (s)
                cts_err_oom(err, "operator table", 0);
            free(key);
            cts_schema_free(s);
        }
    }
    pthread_mutex_unlock(&ops_mu);
    return o;
}

#define MAX_OP_ARGS 64

int cts_op_call(const char *op, cts_value *const *args, int nargs, cts_value **out, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    if (out) *out = NULL;
    if (!op || !out || nargs < 0 || (nargs > 0 && !args)) {
        cts_err_set(&e, "cts_op_call: %s", !op ? "no operator name" : !out ? "no result pointer" : "bad arguments");
        goto fail;
    }
    const op_entry *oe = op_for(op, &e);
    if (!oe) goto fail;
    cts_kernel_fn fn = oe->fn;
    const cts_schema *s = oe->schema;
    if (!s->is_vararg && nargs > s->nargs) {
        cts_err_set(&e, "%s takes %d arguments but %d were given", op, s->nargs, nargs);
        goto fail;
    }
    cv_value in[MAX_OP_ARGS];
    const void *keys[MAX_OP_ARGS];
    int n = s->is_vararg ? nargs : s->nargs;
    if (n > MAX_OP_ARGS) {
        cts_err_set(&e, "%s: more than %d arguments", op, MAX_OP_ARGS);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        keys[i] = i < nargs ? args[i] : NULL;
        if (i < nargs) {
            if (!args[i]) {
                cts_err_set(&e, "%s: argument %d ('%s') is NULL", op, i, i < s->nargs ? s->args[i].name : "");
                goto fail;
            }
            in[i] = args[i]->v;
        } else if (s->args[i].has_default) {
            in[i] = s->args[i].default_val;
        } else {
            cts_err_set(&e, "%s() missing value for argument '%s' (argument %d)", op, s->args[i].name, i);
            goto fail;
        }
    }
    cv_value outs[16];
    int nout = s->nrets;
    if (nout > 16) {
        cts_err_set(&e, "%s: too many results", op);
        goto fail;
    }
    cts_call_state cs = {false};
    cts_kctx k = {&e, NULL, &cs};
    if (fn(&k, in, n, outs)) goto fail;
    cts_tracer *tr = cts_tracer_current();
    cv_value res;
    if (nout == 0) {
        res = cv_none();
    } else if (nout == 1) {
        res = outs[0];
    } else {
        for (int i = 0; i < nout; i++) cv_retain(outs[i]);
        if (cv_tuple_new(NULL, (size_t)nout, outs, &res, &e)) {
            for (int i = 0; i < nout; i++) cv_release(outs[i]);
            goto fail;
        }
    }
    cts_value *h = cts_api_wrap(res);
    if (!h) {
        if (nout > 1)
            for (int i = 0; i < nout; i++) cv_release(outs[i]);
        cts_err_oom(&e, "value", 0);
        goto fail;
    }
    if (tr) {
        const void *okeys[16] = {0};
        if (nout == 1) okeys[0] = h;
        int rc = cts_tracer_op_keyed(tr, s, in, keys, n, outs, okeys, nout, &e);
        if (nout > 1)
            for (int i = 0; i < nout; i++) cv_release(outs[i]);
        if (rc) {
            cts_value_free(h);
            goto fail;
        }
    } else if (nout > 1) {
        for (int i = 0; i < nout; i++) cv_release(outs[i]);
    }
    *out = h;
    return 0;
fail:
    cts_api_set_err(err, &e);
    return -1;
}

cts_value *cts_int_list_new(const int64_t *v, size_t n) {
    cts_err e = {0};
    cv_value l;
    if (cv_list_new(T_INT, n, &l, &e)) return NULL;
    for (size_t i = 0; i < n; i++) l.u.l->items[i] = cv_int(v[i]);
    l.u.l->len = n;
    return cts_api_wrap(l);
}

cts_value *cts_list_new(cts_value *const *items, size_t n, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    cts_type *et = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!items[i]) {
            cts_err_set(&e, "cts_list_new: item %zu is NULL", i);
            goto fail;
        }
        cv_tag tg = items[i]->v.tag;
        cts_type *t = tg == CV_INT ? T_INT : tg == CV_FLOAT ? T_FLOAT : tg == CV_BOOL ? T_BOOL
                    : tg == CV_TENSOR ? T_TENSOR : NULL;
        if (!t || (et && et != t)) {
            cts_err_set(&e, "cts_list_new: item %zu is a %s; a list holds ints, floats, bools or tensors, all of "
                            "one kind", i, cv_tag_name(tg));
            goto fail;
        }
        et = t;
    }
    cv_value l;
    if (cv_list_new(et ? et : T_INT, n, &l, &e)) goto fail;
    const void *keys[MAX_OP_ARGS];
    for (size_t i = 0; i < n; i++) {
        cv_retain(items[i]->v);
        l.u.l->items[i] = items[i]->v;
        if (i < MAX_OP_ARGS) keys[i] = items[i];
    }
    l.u.l->len = n;
    cts_value *h = cts_api_wrap(l);
    if (!h) {
        cts_err_oom(&e, "list", n);
        goto fail;
    }
    cts_tracer *tr = cts_tracer_current();
    if (tr && cts_tracer_list(tr, h->v, n <= MAX_OP_ARGS ? keys : NULL, h, &e)) {
        cts_value_free(h);
        goto fail;
    }
    return h;
fail:
    cts_api_set_err(err, &e);
    return NULL;
}

cts_value *cts_none_new(void) { return cts_api_wrap(cv_none()); }

cts_value *cts_tuple_new(cts_value *const *items, size_t n) {
    cts_err e = {0};
    cv_value stack[16] = {{0}}, *tmp = n <= 16 ? stack : malloc(n * sizeof *tmp);
    if (!tmp) return NULL;
    for (size_t i = 0; i < n; i++) {
        tmp[i] = items[i] ? items[i]->v : cv_none();
        cv_retain(tmp[i]);
    }
    cv_value t;
    int rc = cv_tuple_new(NULL, n, tmp, &t, &e);
    if (tmp != stack) free(tmp);
    return rc ? NULL : cts_api_wrap(t);
}

cts_module *cts_trace(cts_trace_fn fn, void *ctx, cts_value *const *inputs, const char *const *names, int ninputs,
                      cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    if (!fn || ninputs < 0 || (ninputs > 0 && !inputs)) {
        cts_err_set(&e, "cts_trace: %s", !fn ? "no function" : "bad inputs");
        cts_api_set_err(err, &e);
        return NULL;
    }
    if (cts_tracer_current()) {
        cts_err_set(&e, "cts_trace: this thread is already tracing (traces do not nest)");
        cts_api_set_err(err, &e);
        return NULL;
    }
    cts_cu *cu = cts_cu_new(NULL, NULL);
    cts_tracer *t = cu ? cts_tracer_new(cu, NULL, &e) : NULL;
    cts_value *res = NULL;
    ir_graph *g = NULL;
    cts_rt_module *rm = NULL;
    if (!cu) cts_err_oom(&e, "compilation unit", 0);
    for (int i = 0; t && i < ninputs; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "input%d", i);
        if (!inputs[i] || cts_tracer_input(t, inputs[i]->v, names && names[i] ? names[i] : nm, &e)) {
            if (!inputs[i]) cts_err_set(&e, "cts_trace: input %d is NULL", i);
            goto done;
        }
    }
    if (!t) goto done;
    cts_tracer_set_current(t);
    cts_error ferr = {0};
    int rc = fn(ctx, inputs, ninputs, &res, &ferr);
    cts_tracer_set_current(NULL);
    if (rc || !res) {
        cts_err_set(&e, "cts_trace: the traced function failed: %s", ferr.code ? ferr.message : "no result");
        goto done;
    }
    g = cts_tracer_finish(t, res->v, &e);
    if (!g) goto done;
    rm = cts_rt_traced_module(cu, g, "__torch__.PlaceholderModule", &e);
    if (rm) cu = NULL; /* the module owns it */
done:
    cts_value_free(res);
    cts_tracer_free(t);
    cts_cu_free(cu);
    return cts_api_module(rm, &e, err);
}

cts_module *cts_module_trace(cts_module *m, const char *method, cts_value *const *inputs, int ninputs,
                             cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    cv_value stack[16], *in = ninputs <= 16 ? stack : malloc((size_t)ninputs * sizeof *in);
    if (!m || ninputs < 0 || (ninputs > 0 && !inputs) || !in) {
        if (in != stack) free(in);
        cts_err_set(&e, "cts_module_trace: %s", !m ? "no module" : !in ? "out of memory" : "bad inputs");
        cts_api_set_err(err, &e);
        return NULL;
    }
    for (int i = 0; i < ninputs; i++) in[i] = inputs[i] ? inputs[i]->v : cv_none();
    cts_rt_module *t = cts_rt_trace(m->m, method ? method : "forward", in, ninputs, m->m->pool, &e);
    if (in != stack) free(in);
    return cts_api_module(t, &e, err);
}
