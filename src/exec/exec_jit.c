/* exec_jit.c - torch.jit for `cts exec`: script, trace, save, load, and the
 * script modules and functions they return.
 *
 * Scripting compiles Python definitions with cts's TorchScript compiler in
 * the program's unit: a function by its qualified name (`__torch__.foo` for
 * the program, `__torch__.torch.nn.modules.linear.Linear` for the library);
 * a module instance by building its class from the instance as PyTorch's
 * concrete types do (parameters, buffers, training, plain attributes,
 * submodules; `__constants__` as constants), its methods compiled from the
 * class body.  Instances with the same class and attribute types share one
 * type; a name already taken by another type is mangled
 * (`___torch_mangle_N`).
 *
 * Tracing runs the eager program with a recorder: operator calls record
 * their operators (exec_ops.c runs them with the trace hook), a call of an
 * eager submodule records prim::CallMethod and traces that submodule's
 * forward into its own graph, a call of a scripted module or function
 * records the call and runs it untraced (TorchScript's mixing rules).
 * Parameters, buffers and submodules are read with prim::GetAttr, placed at
 * the start of the graph in reverse order of first use as PyTorch's tracer
 * leaves them. */
#include <stdlib.h>
#include <string.h>

#include "../compiler/printer.h"
#include "../runtime/interp.h"
#include "../passes/passes.h"
#include "../runtime/interp_trace.h"
#include "exec_internal.h"


int x_add_identity_decorator(xstate *x, xns *ns, const char *name);

/* ---- the trace recorder ---- */

typedef struct traced {     /* an eager module instance seen by a trace */
    xo *inst;               /* borrowed (the program holds it during the trace) */
    ir_graph **fwd;         /* a traced forward per call (PyTorch's forward, forward1, ...) */
    bool *pass;             /* that call returned its input: the caller keeps its own value */
    int nfwd, capfwd;
    cts_type *type;         /* its class in the result */
    cv_value obj;           /* its object in the result */
} traced;

typedef struct xtrace {
    cts_tracer *t;
    xo *self;               /* the instance whose forward records, or NULL (a function) */
    struct xtrace *parent;
    struct tsession *s;
    int rec;                /* its record in s->graphs, or -1 */
} xtrace;

/* A submodule's traced graph and, per input, the caller's value it stands
 * for: in PyTorch's tracer they are one value, named once (see name_value). */
typedef struct graph_rec {
    ir_graph *g;
    ir_value **src;         /* src[i]: the caller's value for input i + 1, or NULL */
    int nsrc;
} graph_rec;

typedef struct tsession {
    traced *insts;
    int n, cap;
    graph_rec *graphs;      /* the submodules' traced graphs, in call order */
    int ngraphs, capgraphs;
    ir_value **fresh;       /* results of eager submodule calls: PyTorch's tracer leaves them unnamed */
    ir_value **fresh_src;   /* ... and names the submodule's own value instead (or NULL) */
    int nfresh, capfresh;
    ir_value **fix_vals;    /* values typed by an instance's class once built */
    xo **fix_insts;
    int nfix, capfix;
} tsession;

static traced *traced_of(xstate *x, tsession *s, xo *inst) {
    for (int i = 0; i < s->n; i++)
        if (s->insts[i].inst == inst) return &s->insts[i];
    if (s->n == s->cap) {
        int nc = s->cap ? 2 * s->cap : 16;
        traced *p = realloc(s->insts, (size_t)nc * sizeof *p);
        if (!p) {
            cts_err_oom(x->err, "trace", 0);
            return NULL;
        }
        s->insts = p;
        s->cap = nc;
    }
    traced *t = &s->insts[s->n++];
    memset(t, 0, sizeof *t);
    t->inst = inst;
    t->obj = cv_none();
    return t;
}

/* Grows the pointer array whose address is slot (an `T **` variable) to
 * nc entries; -1 on out of memory (the array stays valid).  memcpy keeps
 * the T ** variable's own type intact. */
static int grow_ptrs(void *slot, int nc) {
    void *old;
    memcpy(&old, slot, sizeof old);
    void *p = realloc(old, (size_t)nc * sizeof(void *));
    if (!p) return -1;
    memcpy(slot, &p, sizeof p);
    return 0;
}

/* Room for one more entry in two parallel arrays of pointers (n used, cap
 * allocated); -1 on out of memory. */
static int grow_pair(void *a, void *b, int n, int *cap) {
    if (n < *cap) return 0;
    int nc = *cap ? 2 * *cap : 16;
    if (grow_ptrs(a, nc) || grow_ptrs(b, nc)) return -1;
    *cap = nc;
    return 0;
}

static int note_fix(xstate *x, tsession *s, ir_value *v, xo *inst) {
    if (grow_pair(&s->fix_vals, &s->fix_insts, s->nfix, &s->capfix))
        return cts_err_oom(x->err, "trace", 0);
    s->fix_vals[s->nfix] = v;
    s->fix_insts[s->nfix++] = inst;
    return 0;
}

static int fresh_index(const tsession *s, const ir_value *v) {
    for (int k = 0; k < s->nfresh; k++)
        if (s->fresh[k] == v) return k;
    return -1;
}

static void set_base_name(ir_value *v, const char *name) {
    char base[256];
    snprintf(base, sizeof base, "%s", name);
    char *dot = strrchr(base, '.');
    if (dot && dot != base && dot[1] >= '0' && dot[1] <= '9') *dot = 0;
    ir_set_name(v, base);
}

/* Names v as PyTorch's tracer names a value at its first use: a submodule's
 * input is the caller's value (named in the caller), the result of a
 * submodule call is the submodule's own value (named there; the caller's
 * copy stays unnamed). */
static void name_value(xtrace *tr, ir_value *v, const char *name, int depth) {
    if (!v || v->name || depth > 64) return;
    int f = fresh_index(tr->s, v);
    if (f >= 0) { /* through nested calls to the value that made it */
        ir_value *src = tr->s->fresh_src[f];
        for (int hops = 0; src && hops < 64 && (f = fresh_index(tr->s, src)) >= 0; hops++) src = tr->s->fresh_src[f];
        if (src && !src->name && src->node->k != K_PARAM) ir_set_name(src, name);
        return;
    }
    if (v->node->k == K_PARAM) {
        if (!tr->parent || tr->rec < 0) return; /* the trace's own inputs keep their names */
        const graph_rec *r = &tr->s->graphs[tr->rec];
        int i = v->offset - 1;
        if (i < 0 || i >= r->nsrc || !r->src[i]) return;
        name_value(tr->parent, r->src[i], name, depth + 1);
        return;
    }
    ir_set_name(v, name);
}

void x_trace_name_args(xstate *x, const cv_value *args, int nargs) {
    if (!x->trace || !x->locals) return;
    for (int i = 0; i < nargs; i++) {
        if (args[i].tag == CV_LIST) { /* a list of tensors (one level: lists of lists name nothing) */
            for (size_t k = 0; k < args[i].u.l->len; k++)
                if (args[i].u.l->items[k].tag == CV_TENSOR) x_trace_name_args(x, &args[i].u.l->items[k], 1);
            continue;
        }
        if (args[i].tag != CV_TENSOR || !args[i].u.t) continue;
        ir_value *v = cts_tracer_value(x->trace->t, args[i]);
        if (!v) continue;
        const xns *l = x->locals;
        for (int k = 0; k < l->n; k++)
            if (l->vals[k].tag == CV_TENSOR && l->vals[k].u.t == args[i].u.t) {
                if (strcmp(l->names[k], "self") != 0) name_value(x->trace, v, l->names[k], 0);
                break;
            }
    }
}

/* at the end of a trace: each submodule input carries the final name of the
 * caller's value it stands for, or none (printed argument_N) */
static void finish_input_names(tsession *s) {
    for (int r = 0; r < s->ngraphs; r++) {
        graph_rec *gr = &s->graphs[r];
        if (!gr->g) continue;
        for (int i = 0; i < gr->nsrc && i + 1 < ir_block_ninputs(gr->g->block); i++) {
            ir_value *in = ir_block_input(gr->g->block, i + 1);
            ir_value *src = gr->src[i];
            if (src && src->name && fresh_index(s, src) < 0) set_base_name(in, src->name);
            else ir_set_name(in, NULL);
        }
    }
}

int x_run(xstate *x, ir_function *fn, const cv_value *args, int nargs, cv_value *out) {
    cts_call_state cs = {false, NULL};
    cts_kctx k = {x->err, x->pool, &cs};
    if (!x->trace) return cts_run_function(fn, args, nargs, out, &k);
    x_trace_name_args(x, args, nargs);
    cts_eager_trace *e = cts_trace_eager_begin(x->trace->t, x->ecu, fn, args, nargs, x->err);
    if (!e) return -1;
    cs.trace = cts_trace_eager_frame(e);
    int rc = cts_run_function(fn, args, nargs, out, &k);
    if (cts_trace_eager_end(e, rc ? &(cts_err){0} : x->err) && !rc) {
        cv_release(*out);
        rc = -1;
    }
    return rc;
}

/* a parameter, buffer or submodule read from the recording module: prim::GetAttr */
static int trace_attrs(xstate *x, xtrace *tr) {
    xo *self = tr->self;
    if (!self) return 0;
    const xns *spaces[2] = {&self->params, &self->buffers};
    cv_value selfv = {CV_PY, {.py = &self->head}};
    const void *sk = self;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < spaces[k]->n; i++) {
            cv_value v = spaces[k]->vals[i];
            if (v.tag != CV_TENSOR || cts_tracer_knows(tr->t, v, NULL)) continue;
            cts_type *ty = T_TENSOR;
            ir_node *nd = cts_tracer_node(tr->t, "prim::GetAttr", NULL, &selfv, &sk, 1, &v, NULL, &ty, 1, x->err);
            if (!nd) return -1;
            nd->attr_name = ir_intern(cts_tracer_graph(tr->t), spaces[k]->names[i]);
            ir_set_name(nd->outputs[0], spaces[k]->names[i]);
        }
    return 0;
}

/* GetAttr nodes of self to the start of the graph, in reverse order of
 * first use; unused ones removed */
static void place_getattrs(ir_graph *g) {
    ir_block *b = g->block;
    ir_value *self = ir_block_ninputs(b) ? ir_block_input(b, 0) : NULL;
    if (!self) return;
    ir_node *attrs[512];
    int na = 0;
    /* first-use order */
    for (ir_node *n = ir_block_first(b); n != b->ret && na < 512; n = n->next)
        for (int i = 0; i < n->ninputs && na < 512; i++) {
            ir_node *p = n->inputs[i]->node;
            if (p->k != K_GETATTR || p->ninputs != 1 || p->inputs[0] != self) continue;
            bool seen = false;
            for (int k = 0; k < na; k++) seen |= attrs[k] == p;
            if (!seen) attrs[na++] = p;
        }
    for (int i = 0; i < b->ret->ninputs && na < 512; i++) {
        ir_node *p = b->ret->inputs[i]->node;
        bool seen = p->k != K_GETATTR || p->ninputs != 1 || p->inputs[0] != self;
        for (int k = 0; k < na && !seen; k++) seen |= attrs[k] == p;
        if (!seen) attrs[na++] = p;
    }
    /* unused GetAttrs of self go */
    for (ir_node *n = ir_block_first(b), *next; n != b->ret; n = next) {
        next = n->next;
        if (n->k != K_GETATTR || n->ninputs != 1 || n->inputs[0] != self) continue;
        bool used = false;
        for (int k = 0; k < na; k++) used |= attrs[k] == n;
        if (!used) ir_destroy(n);
    }
    for (int k = 0; k < na; k++) ir_move_before(attrs[k], ir_block_first(b));
}

static int smod_of_obj(xstate *x, xmod_rt *mrt, cv_value obj, cv_value *out);

/* As PyTorch's tracer: a submodule whose forward returns one of its inputs
 * returns None (its caller keeps using the value it had). */
static void finish_passthrough(ir_graph *g, bool submodule, bool *passthrough) {
    ir_block *b = g->block;
    *passthrough = false;
    if (submodule && ir_block_noutputs(b) == 1 && ir_block_output(b, 0)->node == b->param) {
        ir_set_insert_before(g, b->ret);
        ir_value *none = ir_insert_none(g);
        ir_block_erase_output(b, 0);
        ir_block_register_output(b, none);
        *passthrough = true;
    }
}

/* the value a traced graph reads a submodule as */
static int submodule_value(xstate *x, xtrace *tr, cv_value sub, const void **key) {
    xo *self = tr->self;
    *key = xo_of(sub);
    if (cts_tracer_knows(tr->t, sub, *key)) return 0;
    const char *name = NULL;
    for (int i = 0; self && i < self->modules.n; i++)
        if (self->modules.vals[i].tag == CV_PY && self->modules.vals[i].u.py == sub.u.py) name = self->modules.names[i];
    if (!name)
        return x_error(x, "torch.jit.trace: cts traces calls of the traced module's own submodules only (a module "
                          "reached another way is not part of the traced module)");
    cv_value selfv = {CV_PY, {.py = &self->head}};
    const void *sk = self;
    cts_type *ty = T_ANY;
    if (xo_is(sub, XO_SMOD)) ty = xo_of(sub)->obj.u.o->type;
    ir_node *nd = cts_tracer_node(tr->t, "prim::GetAttr", NULL, &selfv, &sk, 1, &sub, key, &ty, 1, x->err);
    if (!nd) return -1;
    nd->attr_name = ir_intern(cts_tracer_graph(tr->t), name);
    ir_set_name(nd->outputs[0], name);
    if (xo_is(sub, XO_INST)) return note_fix(x, tr->s, nd->outputs[0], xo_of(sub));
    return 0;
}

static bool tensor_like(cv_value v) {
    if (v.tag == CV_TENSOR) return v.u.t != NULL;
    if (v.tag != CV_TUPLE) return false;
    for (size_t i = 0; i < v.u.tu->len; i++)
        if (!tensor_like(v.u.tu->items[i])) return false;
    return true;
}

static int record_call(xstate *x, xtrace *tr, const char *kind, const char *name, cv_value recv, const void *rk,
                       ir_function *fn, const cv_value *args, int nargs, cv_value result, cts_type *out_type) {
    cv_value in[64];
    const void *ik[64];
    int n = 0;
    x_trace_name_args(x, args, nargs);
    bool fn_call = strcmp(kind, "prim::CallFunction") == 0;
    if (!fn_call) in[n] = recv, ik[n++] = rk;
    for (int i = 0; i < nargs && n < 64; i++) in[n] = args[i], ik[n++] = NULL;
    cts_type *rt = fn && fn->schema && fn->schema->nrets ? fn->schema->rets[0].type : NULL;
    if (!fn) rt = NULL;
    if (out_type) rt = out_type;
    ir_node *c = cts_tracer_node(tr->t, kind, NULL, in, ik, n, &result, NULL, rt ? &rt : NULL, 1, x->err);
    if (!c) return -1;
    ir_graph *g = cts_tracer_graph(tr->t);
    if (name) c->attr_name = ir_intern(g, name);
    if (result.tag == CV_TUPLE && result.u.tu->len <= 64) { /* the program unpacks it: prim::TupleUnpack */
        cts_type *ty[64];
        for (size_t i = 0; i < result.u.tu->len; i++) ty[i] = NULL;
        if (!cts_tracer_node(tr->t, "prim::TupleUnpack", NULL, &result, NULL, 1, result.u.tu->items, NULL, ty,
                             (int)result.u.tu->len, x->err))
            return -1;
    }
    if (fn && fn_call) {
        ir_node *k = ir_create(g, "prim::Constant", 1);
        k->fn = fn;
        k->attr_name = ir_intern(g, fn->name);
        ir_set_type(k->outputs[0], cts_type_prim(TY_FUNCTION));
        ir_insert_before(k, c);
        ir_insert_input(c, 0, k->outputs[0]);
    }
    return 0;
}

static bool has_grad_params(cv_value obj, int depth) {
    if (obj.tag != CV_OBJECT || depth > 64) return false;
    for (size_t i = 0; i < obj.u.o->nslots; i++) {
        cv_value v = obj.u.o->slots[i];
        if (v.tag == CV_TENSOR && v.u.t && v.u.t->requires_grad) return true;
        if (v.tag == CV_OBJECT && has_grad_params(v, depth + 1)) return true;
    }
    return false;
}

int x_trace_script_call(xstate *x, cv_value callee, const char *method, const cv_value *args, int nargs,
                        cv_value result) {
    xtrace *tr = x->trace;
    xo *o = xo_of(callee);
    for (int i = 0; i < nargs; i++)
        if (!tensor_like(args[i]) && args[i].tag != CV_INT && args[i].tag != CV_FLOAT && args[i].tag != CV_BOOL)
            return x_error(x, "torch.jit.trace: cts records calls of script code with tensor, int, float or bool "
                              "arguments only");
    if (o->kind == XO_SFN)
        return record_call(x, tr, "prim::CallFunction", NULL, cv_none(), NULL, o->sfn, args, nargs, result, NULL);
    const void *key;
    if (submodule_value(x, tr, callee, &key)) return -1;
    ir_function *fn = cts_class_find_method(o->obj.u.o->type->cls, method);
    /* autograd would make its floating results require grad when the module has parameters */
    cts_type *rt = NULL;
    if (result.tag == CV_TENSOR && result.u.t && (result.u.t->dtype == CT_FLOAT32 || result.u.t->dtype == CT_FLOAT64) &&
        has_grad_params(o->obj, 0) && !(rt = cts_type_tensor_shaped(NULL, true)))
        return cts_err_oom(x->err, "trace", 0);
    int rc = record_call(x, tr, "prim::CallMethod", method, callee, key, fn, args, nargs, result, rt);
    cts_type_release(rt);
    return rc;
}

static int call_forward_eagerly(xstate *x, xo *inst, const cv_value *args, int nargs, cv_value *out) {
    cv_value self = {CV_PY, {.py = &inst->head}};
    cv_value f = x_class_lookup(inst->klass, "forward");
    if (!xo_is(f, XO_FUNC)) return x_error(x, "NotImplementedError: Module [%s] is missing the required \"forward\" function", inst->klass->name);
    cv_value *all = malloc((size_t)(nargs + 1) * sizeof *all);
    if (!all) return cts_err_oom(x->err, "arguments", 0);
    all[0] = self;
    for (int i = 0; i < nargs; i++) all[i + 1] = args[i];
    int rc = x_call(x, f, all, nargs + 1, NULL, NULL, 0, out);
    free(all);
    return rc;
}

static int add_inputs(xstate *x, cts_tracer *t, const ast *def, int first, const cv_value *args, int nargs) {
    for (int i = 0; i < nargs; i++) {
        int p = first + i;
        const char *nm = def && p < def->nlist ? def->list[p]->str : "input";
        if (!tensor_like(args[i]))
            return x_error(x, "torch.jit.trace: argument '%s' has type %s; traced inputs are tensors and tuples of "
                              "tensors", nm, cv_tag_name(args[i].tag));
        if (cts_tracer_input(t, args[i], nm, x->err)) return -1;
    }
    return 0;
}

/* the name PyTorch's tracer gives the method of call k of a submodule */
static void method_name(int k, char *buf, size_t n) {
    if (k == 0) snprintf(buf, n, "forward");
    else snprintf(buf, n, "forward%d", k);
}

/* traces inst's forward into a graph of its own: each call of a submodule
 * is a method of its own, as PyTorch's tracer records them; *index: which */
static int trace_forward(xstate *x, tsession *s, xtrace *parent, xo *inst, const cv_value *args, int nargs,
                         cv_value *out, int *index) {
    traced *td = traced_of(x, s, inst);
    if (!td) return -1;
    if (td->nfwd == td->capfwd) {
        int nc = td->capfwd ? 2 * td->capfwd : 2;
        ir_graph **a = realloc(td->fwd, (size_t)nc * sizeof *a);
        if (a) td->fwd = a;
        bool *b = a ? realloc(td->pass, (size_t)nc * sizeof *b) : NULL;
        if (!b) return cts_err_oom(x->err, "trace", 0);
        td->pass = b;
        td->capfwd = nc;
    }
    xtrace tr = {cts_tracer_new(x->cu, NULL, x->err), inst, parent, s, -1};
    if (!tr.t) return -1;
    cts_tracer_set_inline_constants(tr.t, true);
    cts_tracer_map_self(tr.t, inst);
    if (parent) { /* the caller's values this call's inputs stand for */
        if (s->ngraphs == s->capgraphs) {
            int nc = s->capgraphs ? 2 * s->capgraphs : 16;
            graph_rec *p = realloc(s->graphs, (size_t)nc * sizeof *p);
            if (!p) {
                cts_tracer_free(tr.t);
                return cts_err_oom(x->err, "trace", 0);
            }
            s->graphs = p;
            s->capgraphs = nc;
        }
        graph_rec *gr = &s->graphs[s->ngraphs];
        memset(gr, 0, sizeof *gr);
        gr->src = calloc((size_t)(nargs ? nargs : 1), sizeof *gr->src);
        if (!gr->src) {
            cts_tracer_free(tr.t);
            return cts_err_oom(x->err, "trace", 0);
        }
        gr->nsrc = nargs;
        for (int i = 0; i < nargs; i++)
            if (args[i].tag == CV_TENSOR) gr->src[i] = cts_tracer_value(parent->t, args[i]);
        tr.rec = s->ngraphs++;
    }
    ir_set_name(ir_block_input(cts_tracer_graph(tr.t)->block, 0), parent ? "self" : "self.1");
    cv_value f = x_class_lookup(inst->klass, "forward");
    const ast *def = xo_is(f, XO_FUNC) ? xo_of(f)->def : NULL;
    /* an input requires grad as the caller's value does (autograd's view of it) */
    bool marked[64] = {0};
    for (int i = 0; parent && tr.rec >= 0 && i < nargs && i < 64; i++) {
        ir_value *src = s->graphs[tr.rec].src[i];
        if (src && src->type->kind == TY_TENSOR && src->type->requires_grad && args[i].u.t &&
            !args[i].u.t->requires_grad)
            marked[i] = args[i].u.t->requires_grad = true;
    }
    int rc = add_inputs(x, tr.t, def, 1, args, nargs);
    for (int i = 0; i < nargs && i < 64; i++)
        if (marked[i]) args[i].u.t->requires_grad = false;
    for (int i = 1; !rc && parent && i < ir_block_ninputs(cts_tracer_graph(tr.t)->block); i++)
        ir_set_name(ir_block_input(cts_tracer_graph(tr.t)->block, i), NULL); /* named where used */
    if (!rc) rc = trace_attrs(x, &tr);
    xtrace *saved = x->trace;
    x->trace = &tr;
    if (!rc) rc = call_forward_eagerly(x, inst, args, nargs, out);
    x->trace = saved;
    if (rc) {
        cts_tracer_free(tr.t);
        return -1;
    }
    if (!tensor_like(*out)) {
        cts_tracer_free(tr.t);
        cv_release(*out);
        return x_error(x, "torch.jit.trace: %s.forward returned a value that is not a tensor or a tuple of tensors",
                       inst->klass->name);
    }
    ir_graph *g = cts_tracer_finish(tr.t, *out, x->err);
    cts_tracer_free(tr.t);
    if (!g) {
        cv_release(*out);
        return -1;
    }
    cts_pass_dce(g);
    place_getattrs(g);
    td = traced_of(x, s, inst); /* the table may have moved */
    *index = td->nfwd;
    td->fwd[td->nfwd] = g;
    if (tr.rec >= 0) s->graphs[tr.rec].g = g;
    finish_passthrough(g, parent != NULL, &td->pass[td->nfwd]);
    td->nfwd++;
    return note_fix(x, s, ir_block_input(g->block, 0), inst);
}

/* the values an eager submodule call gave the caller (its result, or the
 * items unpacked from it) */
static int note_fresh(xstate *x, xtrace *tr, cv_value result, const ir_graph *callee) {
    size_t n = result.tag == CV_TUPLE ? result.u.tu->len : 1;
    const cv_value *it = result.tag == CV_TUPLE ? result.u.tu->items : &result;
    tsession *s = tr->s;
    ir_value *out = callee && ir_block_noutputs(callee->block) == 1 ? ir_block_output(callee->block, 0) : NULL;
    for (size_t i = 0; i < n; i++) {
        ir_value *v = cts_tracer_value(tr->t, it[i]);
        if (!v) continue;
        if (grow_pair(&s->fresh, &s->fresh_src, s->nfresh, &s->capfresh))
            return cts_err_oom(x->err, "trace", 0);
        ir_value *src = NULL;
        if (out && result.tag != CV_TUPLE) src = out;
        else if (out && out->node->k == K_TUPLECONSTRUCT && (int)i < out->node->ninputs) src = out->node->inputs[i];
        s->fresh_src[s->nfresh] = src;
        s->fresh[s->nfresh++] = v;
    }
    return 0;
}

int x_trace_module_call(xstate *x, xo *inst, const cv_value *args, int nargs, cv_value *out, bool *handled) {
    xtrace *tr = x->trace;
    *handled = true;
    cv_value sub = {CV_PY, {.py = &inst->head}};
    const void *key;
    if (submodule_value(x, tr, sub, &key)) return -1;
    for (int i = 0; i < nargs; i++)
        if (!tensor_like(args[i]))
            return x_error(x, "torch.jit.trace: a submodule called with a %s argument: cts traces submodule calls "
                              "with tensor arguments only", cv_tag_name(args[i].tag));
    int k = 0;
    if (trace_forward(x, tr->s, tr, inst, args, nargs, out, &k)) return -1;
    traced *td = traced_of(x, tr->s, inst);
    if (!td) return -1;
    ir_graph *g = td->fwd[k];
    bool pass = td->pass[k];
    /* the call's result: Tensor as PyTorch prints it, requiring grad as the traced forward's result does */
    cts_type *rt = pass ? NULL : cts_type_unshaped(ir_block_output(g->block, 0)->type, true);
    char name[32];
    method_name(k, name, sizeof name);
    int rc = record_call(x, tr, "prim::CallMethod", name, sub, key, NULL, args, nargs, pass ? cv_none() : *out, rt);
    cts_type_release(rt);
    if (!rc && !pass) rc = note_fresh(x, tr, *out, g);
    return rc;
}

/* ---- classes from instances ---- */

static int mangled_name(xstate *x, const char *qualifier, const char *name, char *buf, size_t cap) {
    snprintf(buf, cap, "%s.%s", qualifier, name);
    if (!cts_map_get(&x->cu->classes, buf)) return 0;
    snprintf(buf, cap, "%s.___torch_mangle_%d.%s", qualifier, x->mangle++, name);
    return 0;
}

static xo *class_module(xo *cls) { return cls->globals; }

static int attr_type(xstate *x, cv_value v, cts_type **out) {
    if (v.tag == CV_LIST && v.u.l->elem->kind == TY_ANY) {
        cts_type *e = T_INT;
        if (v.u.l->len) e = cv_type_of(v.u.l->items[0]);
        else cts_type_retain(e);
        if (!e) return cts_err_oom(x->err, "type", 0);
        *out = cts_type_list(e);
        cts_type_release(e);
        return *out ? 0 : cts_err_oom(x->err, "type", 0);
    }
    *out = cv_type_of(v);
    return *out ? 0 : cts_err_oom(x->err, "type", 0);
}

static int class_bodies(xo *cls, const ast **bodies, const cts_source **srcs, int max) {
    int n = 0;
    for (xo *c = cls; c && n < max; c = xo_of(c->base))
        if (c->cls) {
            bodies[n] = c->cls;
            srcs[n++] = c->globals ? c->globals->src : NULL;
        }
    return n;
}

static bool in_constants(xo *cls, const char *name) {
    cv_value c = x_class_lookup(cls, "__constants__");
    if (c.tag != CV_LIST && c.tag != CV_TUPLE) return false;
    size_t n = c.tag == CV_LIST ? c.u.l->len : c.u.tu->len;
    const cv_value *it = c.tag == CV_LIST ? c.u.l->items : c.u.tu->items;
    for (size_t i = 0; i < n; i++)
        if (it[i].tag == CV_STR && !strcmp(it[i].u.s->data, name)) return true;
    return false;
}

/* torch.nn's containers, which scripted code iterates and indexes */
static int container_kind(const xo *cls) {
    for (const xo *c = cls; c; c = xo_of(c->base)) {
        if (!c->globals || strcmp(c->globals->name, "torch.nn.modules.container") != 0) continue;
        if (!strcmp(c->name, "Sequential") || !strcmp(c->name, "ModuleList")) return 1;
        if (!strcmp(c->name, "ModuleDict")) return 2;
    }
    return 0;
}

static void free_const_value(void *p) {
    cv_value *v = p;
    cv_release(*v);
    free(v);
}

static int script_instance(xstate *x, xo *inst, int depth, cv_value *out);

/* the class of a module instance: script (methods compiled) or traced
 * (forward given by the trace, no other methods) */
static cts_type *instance_class(xstate *x, xo *inst, bool for_trace, cts_type **sub_types) {
    cts_strbuf key;
    cts_sb_init(&key);
    cts_sb_printf(&key, "%p|", (void *)inst->klass);
    const xns *sp[2] = {&inst->params, &inst->buffers};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < sp[k]->n; i++) cts_sb_printf(&key, "%c%s,", k ? 'b' : 'p', sp[k]->names[i]);
    for (int i = 0; i < inst->ns.n; i++) {
        cts_sb_printf(&key, "a%s:", inst->ns.names[i]);
        cts_type *t = NULL;
        if (attr_type(x, inst->ns.vals[i], &t)) {
            cts_sb_free(&key);
            return NULL;
        }
        cts_type_str_annot(t, &key);
        if (in_constants(inst->klass, inst->ns.names[i])) cv_repr(inst->ns.vals[i], &key);
        cts_type_release(t);
        cts_sb_putc(&key, ',');
    }
    for (int i = 0; i < inst->modules.n; i++) cts_sb_printf(&key, "m%s:%p,", inst->modules.names[i], (void *)sub_types[i]);
    cts_type *t = for_trace ? NULL : cts_map_get(&x->type_cache, cts_sb_str(&key));
    if (t) {
        cts_sb_free(&key);
        return t;
    }
    xo *mod = class_module(inst->klass);
    char qn[600];
    mangled_name(x, mod ? mod->qualifier : "__torch__", inst->klass->name, qn, sizeof qn);
    const ast *bodies[16];
    const cts_source *srcs[16];
    int nb = for_trace ? 0 : class_bodies(inst->klass, bodies, srcs, 16);
    t = cts_cu_declare_class(x->cu, qn, true, bodies, srcs, nb, x->err);
    if (!t) {
        cts_sb_free(&key);
        return NULL;
    }
    t->cls->module_container = container_kind(inst->klass);
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++)
        for (int i = 0; i < sp[k]->n && !rc; i++) {
            cts_type *at = sp[k]->vals[i].tag == CV_NONE ? cts_type_optional(T_TENSOR) : T_TENSOR;
            if (at != T_TENSOR && !at) rc = cts_err_oom(x->err, "type", 0);
            else rc = cts_class_add_attr(t->cls, sp[k]->names[i], at, k == 0, k == 1);
            if (at != T_TENSOR) cts_type_release(at);
        }
    if (!rc) rc = cts_class_add_attr(t->cls, "training", T_BOOL, false, false);
    if (!rc) {
        cts_type *ob = cts_type_optional(T_BOOL);
        rc = !ob || cts_class_add_attr(t->cls, "_is_full_backward_hook", ob, false, false);
        cts_type_release(ob);
    }
    for (int i = 0; i < inst->ns.n && !rc; i++) {
        cv_value v = inst->ns.vals[i];
        if (v.tag == CV_PY) continue; /* a Python-only attribute: not part of the script module */
        cts_type *at;
        if ((rc = attr_type(x, v, &at))) break;
        if (in_constants(inst->klass, inst->ns.names[i]) && !for_trace) {
            cv_value *cv = malloc(sizeof *cv);
            if (!cv) rc = cts_err_oom(x->err, "constant", 0);
            else {
                cv_retain(v);
                *cv = v;
                t->cls->free_const = free_const_value;
                rc = cts_class_add_const(t->cls, inst->ns.names[i], at, cv);
            }
        } else if (!for_trace) {
            rc = cts_class_add_attr(t->cls, inst->ns.names[i], at, false, false);
        }
        cts_type_release(at);
    }
    for (int i = 0; i < inst->modules.n && !rc; i++) {
        cts_type *none_t = sub_types[i] ? NULL : cts_type_optional(T_TENSOR); /* a submodule slot set to None */
        rc = cts_class_add_attr(t->cls, inst->modules.names[i], sub_types[i] ? sub_types[i] : none_t, false, false);
        cts_type_release(none_t);
    }
    if (rc) {
        cts_sb_free(&key);
        if (!x->err->set) cts_err_oom(x->err, "class", 0);
        return NULL;
    }
    if (!for_trace) {
        char *k = cts_sb_take(&key);
        if (!k || cts_map_put(&x->type_cache, k, t)) {
            free(k);
            cts_err_oom(x->err, "class", 0);
            return NULL;
        }
    } else {
        cts_sb_free(&key);
    }
    return t;
}

static int fill_object(xstate *x, xo *inst, cts_type *t, const cv_value *subs, bool for_trace, cv_value *out) {
    if (cv_object_new(t, out, x->err)) return -1;
    cv_object *o = out->u.o;
    int slot = 0;
    const xns *sp[2] = {&inst->params, &inst->buffers};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < sp[k]->n; i++) {
            cv_retain(sp[k]->vals[i]);
            o->slots[slot++] = sp[k]->vals[i];
        }
    o->slots[slot++] = cv_bool(inst->training);
    o->slots[slot++] = cv_none();
    for (int i = 0; i < inst->ns.n; i++) {
        cv_value v = inst->ns.vals[i];
        if (v.tag == CV_PY || for_trace || in_constants(inst->klass, inst->ns.names[i])) continue;
        cv_value c = v;
        if (v.tag == CV_LIST && v.u.l->elem->kind == TY_ANY) { /* typed copy */
            cts_type *at;
            if (attr_type(x, v, &at)) return -1;
            int rc = cv_list_new(at->elems[0], v.u.l->len, &c, x->err);
            cts_type_release(at);
            if (rc) return -1;
            for (size_t j = 0; j < v.u.l->len; j++) {
                cv_retain(v.u.l->items[j]);
                if (cv_list_push(c.u.l, v.u.l->items[j], x->err)) return -1;
            }
        } else {
            cv_retain(c);
        }
        o->slots[slot++] = c;
    }
    for (int i = 0; i < inst->modules.n; i++) {
        cv_retain(subs[i]);
        o->slots[slot++] = subs[i];
    }
    return 0;
}

static int script_instance(xstate *x, xo *inst, int depth, cv_value *out) {
    if (depth > 64) return x_error(x, "torch.jit.script: module tree too deep");
    int n = inst->modules.n;
    cv_value *subs = calloc((size_t)(n ? n : 1), sizeof *subs);
    cts_type **types = calloc((size_t)(n ? n : 1), sizeof *types);
    int rc = subs && types ? 0 : cts_err_oom(x->err, "script", 0);
    for (int i = 0; i < n && !rc; i++) {
        cv_value v = inst->modules.vals[i];
        if (xo_is(v, XO_SMOD)) {
            cv_retain(subs[i] = xo_of(v)->obj);
        } else if (xo_is(v, XO_INST)) {
            rc = script_instance(x, xo_of(v), depth + 1, &subs[i]);
        } else {
            subs[i] = cv_none();
        }
        if (!rc && subs[i].tag == CV_OBJECT) types[i] = subs[i].u.o->type;
    }
    cts_type *t = rc ? NULL : instance_class(x, inst, false, types);
    if (!t) rc = -1;
    if (!rc) rc = fill_object(x, inst, t, subs, false, out);
    for (int i = 0; subs && i < n; i++) cv_release(subs[i]);
    free(subs);
    free(types);
    return rc;
}

/* A scripted module's class keeps the methods scripting compiled (forward
 * and what it calls), as PyTorch's; the others (__init__, extra_repr) go. */
static void prune_methods(cv_value obj, int depth) {
    if (obj.tag != CV_OBJECT || depth > 64) return;
    cts_class *c = obj.u.o->type->cls;
    int k = 0;
    for (int i = 0; i < c->nmethods; i++) {
        ir_function *fn = c->methods[i].fn;
        if (fn->state == FN_DONE) c->methods[k++] = c->methods[i];
        else free(c->methods[i].name);
    }
    c->nmethods = k;
    for (size_t i = 0; i < obj.u.o->nslots; i++) prune_methods(obj.u.o->slots[i], depth + 1);
}

/* ---- script modules and functions ---- */

static xmod_rt *new_mrt(xstate *x, cts_rt_module *rt) {
    xmod_rt *m = calloc(1, sizeof *m);
    if (!m || x->nrts == x->cap_rts) {
        int nc = x->cap_rts ? 2 * x->cap_rts : 8;
        xmod_rt **p = m ? realloc(x->rts, (size_t)nc * sizeof *p) : NULL;
        if (!p) {
            free(m);
            cts_err_oom(x->err, "module", 0);
            return NULL;
        }
        x->rts = p;
        x->cap_rts = nc;
    }
    m->rt = rt;
    x->rts[x->nrts++] = m;
    return m;
}

/* a module of the program's unit (scripted or traced): no archive */
static xmod_rt *unit_mrt(xstate *x, cv_value root) {
    cts_rt_module *rt = calloc(1, sizeof *rt);
    if (!rt) {
        cts_err_oom(x->err, "module", 0);
        return NULL;
    }
    rt->cu = x->cu;
    cv_retain(root);
    rt->root = root;
    rt->version = 0;
    snprintf(rt->producer, sizeof rt->producer, "cts exec");
    xmod_rt *m = new_mrt(x, rt);
    if (!m) {
        cv_release(root);
        free(rt);
    }
    return m;
}

static int smod_of_obj(xstate *x, xmod_rt *mrt, cv_value obj, cv_value *out) {
    if (xo_new(x, XO_SMOD, obj.u.o->type->cls->qualname, out)) return -1;
    xo *m = xo_of(*out);
    m->mrt = mrt;
    cv_retain(obj);
    m->obj = obj;
    return 0;
}

static bool is_traced_obj(xstate *x, const cv_object *o) {
    for (int i = 0; i < x->ntraced; i++)
        if (x->traced_objs[i] == o) return true;
    return false;
}

static const char *original_name(const cts_class *c) {
    const char *d = strrchr(c->qualname, '.');
    return d ? d + 1 : c->qualname;
}

int x_module_repr_parts(xstate *x, const char *name, const char *extra, const char *const *child_names,
                        cv_value *children, int nchildren, cts_strbuf *sb);

static int obj_repr(xstate *x, xmod_rt *mrt, cv_object *o, cts_strbuf *sb) {
    const cts_class *c = o->type->cls;
    const char *names[256];
    cv_value kids[256];
    int nk = 0, rc = 0;
    for (int i = 0; i < c->nattrs && i < (int)o->nslots && nk < 256; i++) {
        cv_value v = o->slots[i];
        if (v.tag != CV_OBJECT || !v.u.o->type->cls->is_module) continue;
        names[nk] = c->attrs[i].name;
        if (smod_of_obj(x, mrt, v, &kids[nk])) break;
        nk++;
    }
    char extra[300];
    snprintf(extra, sizeof extra, "original_name=%s", original_name(c));
    rc = x_module_repr_parts(x, is_traced_obj(x, o) ? original_name(c) : "RecursiveScriptModule", extra, names, kids,
                             nk, sb);
    for (int i = 0; i < nk; i++) cv_release(kids[i]);
    return rc;
}

int x_smod_repr(xstate *x, xo *m, cts_strbuf *sb) { return obj_repr(x, m->mrt, m->obj.u.o, sb); }

static ir_function *obj_method(xstate *x, xo *m, const char *name) {
    ir_function *fn = cts_class_find_method(m->obj.u.o->type->cls, name);
    if (!fn) {
        x_error(x, "AttributeError: script module '%s' has no method '%s'", original_name(m->obj.u.o->type->cls), name);
        return NULL;
    }
    if (cts_lower_function(m->mrt->rt->cu, fn, x->err)) return NULL;
    return fn;
}

static int print_code(xstate *x, ir_function *fn, cts_cu *cu, bool method, cv_value *out) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_printer_ctx ctx;
    cts_printer_ctx_init(&ctx, cu);
    int rc = cts_cu_ensure_compiled(cu, fn, x->err);
    if (!rc) rc = cts_print_function_code(fn, method, &sb, &ctx, x->err);
    cts_printer_ctx_free(&ctx);
    if (!rc) rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
    cts_sb_free(&sb);
    return rc;
}

static int print_graph(xstate *x, ir_function *fn, cts_cu *cu, cv_value *out) {
    if (cts_cu_ensure_compiled(cu, fn, x->err)) return -1;
    cts_strbuf sb;
    cts_sb_init(&sb);
    ir_print_graph(fn->graph, &sb, true);
    int rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
    cts_sb_free(&sb);
    return rc;
}

static int save_obj(xstate *x, xmod_rt *mrt, cv_value obj, cv_value path) {
    if (path.tag != CV_STR) return x_error(x, "TypeError: save expects a file name");
    cts_rt_module tmp = *mrt->rt;
    tmp.root = obj;
    return cts_rt_save(&tmp, path.u.s->data, x->err);
}

NATIVE(smod_method_call) {
    /* a[0] = (module, method name) */
    cv_value recv = a[0];
    xo *m = xo_of(recv.u.tu->items[0]);
    const char *name = recv.u.tu->items[1].u.s->data;
    if (!strcmp(name, "save")) {
        (void)kwn;
        (void)kwv;
        if (n != 2 || nkw) return x_error(x, "TypeError: save(f) expects a file name");
        *out = cv_none();
        return save_obj(x, m->mrt, m->obj, a[1]);
    }
    return x_smod_call(x, m, name, a + 1, n - 1, kwn, kwv, nkw, out);
}

int x_smod_getattr(xstate *x, xo *m, const char *name, cv_value *out) {
    const cts_class *c = m->obj.u.o->type->cls;
    if (!strcmp(name, "graph") || !strcmp(name, "code")) {
        ir_function *fn = cts_class_find_method(c, "forward");
        if (!fn) return x_error(x, "AttributeError: script module '%s' has no forward", original_name(c));
        return name[0] == 'g' ? print_graph(x, fn, m->mrt->rt->cu, out) : print_code(x, fn, m->mrt->rt->cu, true, out);
    }
    if (!strcmp(name, "original_name")) return cv_str_from(original_name(c), out, x->err);
    int slot = cts_class_find_attr(c, name);
    if (slot >= 0 && slot < (int)m->obj.u.o->nslots) {
        cv_value v = m->obj.u.o->slots[slot];
        if (v.tag == CV_OBJECT && v.u.o->type->cls->is_module) return smod_of_obj(x, m->mrt, v, out);
        cv_retain(v);
        *out = v;
        return 0;
    }
    if (cts_class_find_method(c, name) || !strcmp(name, "save")) {
        cv_value pair[2], recv;
        cv_retain(pair[0] = (cv_value){CV_PY, {.py = &m->head}});
        if (cv_str_from(name, &pair[1], x->err)) {
            cv_release(pair[0]);
            return -1;
        }
        if (cv_tuple_new(NULL, 2, pair, &recv, x->err)) return -1;
        int rc = xo_native_new(x, name, smod_method_call, recv, out);
        cv_release(recv);
        return rc;
    }
    return x_error(x, "AttributeError: script module '%s' has no attribute '%s'", original_name(c), name);
}

static int bind_schema(xstate *x, ir_function *fn, bool method, cv_value self, const cv_value *args, int nargs,
                       const char *const *kwn, const cv_value *kwv, int nkw, cv_value *all, int *nall) {
    const cts_schema *s = fn->schema;
    int first = method ? 1 : 0;
    if (nargs + first > s->nargs) return x_error(x, "TypeError: %s() takes %d arguments but %d were given", fn->name, s->nargs - first, nargs);
    if (method) all[0] = self;
    for (int i = 0; i < nargs; i++) all[first + i] = args[i];
    for (int i = first + nargs; i < s->nargs; i++) {
        bool got = false;
        for (int k = 0; k < nkw; k++)
            if (!strcmp(kwn[k], s->args[i].name)) all[i] = kwv[k], got = true;
        if (!got) {
            if (!s->args[i].has_default) return x_error(x, "TypeError: %s() missing value for argument '%s'", fn->name, s->args[i].name);
            all[i] = s->args[i].default_val;
        }
    }
    for (int k = 0; k < nkw; k++) { /* every keyword names a parameter not given by position */
        int i = first + nargs;
        while (i < s->nargs && strcmp(kwn[k], s->args[i].name)) i++;
        if (i == s->nargs) {
            for (i = 0; i < first + nargs && strcmp(kwn[k], s->args[i].name); i++) {}
            return x_error(x, i < first + nargs ? "TypeError: %s() got multiple values for argument '%s'"
                                                : "TypeError: %s() got an unexpected keyword argument '%s'",
                           fn->name, kwn[k]);
        }
    }
    *nall = s->nargs;
    return 0;
}

/* Runs a scripted method or function (lowered) on Python arguments; while
 * tracing, the call is recorded as a call and runs untraced. */
static int run_script(xstate *x, xo *callee, ir_function *fn, const char *method, cv_value self, const cv_value *args,
                      int nargs, const char *const *kwn, const cv_value *kwv, int nkw, cv_value *out) {
    cv_value all[64];
    int nall = 0;
    if (fn->schema->nargs > 64) return x_error(x, "too many arguments");
    if (bind_schema(x, fn, method != NULL, self, args, nargs, kwn, kwv, nkw, all, &nall)) return -1;
    xtrace *tr = x->trace;
    x->trace = NULL;
    cts_call_state cs = {false, NULL};
    cts_kctx k = {x->err, x->pool, &cs};
    int rc = cts_run_function(fn, all, nall, out, &k);
    x->trace = tr;
    if (!rc && tr) {
        cv_value me = {CV_PY, {.py = &callee->head}};
        rc = method ? x_trace_script_call(x, me, method, args, nargs, *out)
                    : x_trace_script_call(x, me, NULL, all, nall, *out);
    }
    return rc;
}

int x_smod_call(xstate *x, xo *m, const char *method, const cv_value *args, int nargs, const char *const *kwn,
                const cv_value *kwv, int nkw, cv_value *out) {
    ir_function *fn = obj_method(x, m, method);
    if (!fn) return -1;
    return run_script(x, m, fn, method, m->obj, args, nargs, kwn, kwv, nkw, out);
}

int x_sfn_getattr(xstate *x, xo *f, const char *name, cv_value *out) {
    if (!strcmp(name, "graph")) return print_graph(x, f->sfn, f->scu, out);
    if (!strcmp(name, "code")) return print_code(x, f->sfn, f->scu, false, out);
    if (!strcmp(name, "name") || !strcmp(name, "__name__")) return cv_str_from(f->sfn->name, out, x->err);
    if (!strcmp(name, "qualified_name")) return cv_str_from(f->sfn->qualname, out, x->err);
    return x_error(x, "AttributeError: script function has no attribute '%s'", name);
}

int x_sfn_call(xstate *x, xo *f, const cv_value *args, int nargs, const char *const *kwn, const cv_value *kwv, int nkw,
               cv_value *out) {
    if (cts_lower_function(f->scu, f->sfn, x->err)) return -1;
    return run_script(x, f, f->sfn, NULL, cv_none(), args, nargs, kwn, kwv, nkw, out);
}

static int sfn_new(xstate *x, ir_function *fn, cts_cu *cu, cv_value *out) {
    if (xo_new(x, XO_SFN, fn->qualname, out)) return -1;
    xo_of(*out)->sfn = fn;
    xo_of(*out)->scu = cu;
    return 0;
}

int x_script_function(xstate *x, xo *fn, cv_value *out) {
    if (fn->scripted.tag != CV_NONE) {
        cv_retain(fn->scripted);
        *out = fn->scripted;
        return 0;
    }
    if (fn->closure) return x_error(x, "torch.jit.script: nested function '%s' is not supported by cts exec", fn->name);
    char q[600];
    snprintf(q, sizeof q, "%s.%s", fn->globals->qualifier, fn->name);
    ir_function *f = cts_cu_get_function(x->cu, q, x->err);
    if (!f || cts_cu_ensure_compiled(x->cu, f, x->err)) return -1;
    if (sfn_new(x, f, x->cu, out)) return -1;
    cv_retain(*out);
    fn->scripted = *out;
    return 0;
}

int x_resolve_global(void *ctx, const ir_function *in, const char *name, ir_function **fn, cts_type **cls,
                     cts_err *err) {
    xstate *x = ctx;
    (void)cls;
    (void)err;
    /* the module that defines `in`: the qualifier before its name (or its class's) */
    const char *qn = in->owner ? in->owner->cls->qualname : in->qualname;
    const char *dot = strrchr(qn, '.');
    if (!dot) return 0;
    char q[600];
    snprintf(q, sizeof q, "%.*s", (int)(dot - qn), qn);
    char *m = strstr(q, ".___torch_mangle_");
    if (m) *m = 0;
    for (int i = 0; i < x->modules.n; i++) {
        xo *mod = xo_of(x->modules.vals[i]);
        if (!mod || !mod->qualifier || strcmp(mod->qualifier, q)) continue;
        cv_value *v = xns_get(&mod->ns, name);
        if (!v) return 0;
        if (xo_is(*v, XO_SFN)) {
            *fn = xo_of(*v)->sfn;
            return 1;
        }
        if (xo_is(*v, XO_FUNC) && xo_of(*v)->scripted.tag != CV_NONE) {
            *fn = xo_of(xo_of(*v)->scripted)->sfn;
            return 1;
        }
        return 0;
    }
    return 0;
}

/* ---- torch.jit ---- */

NATIVE(j_script) {
    (void)kwn;
    (void)kwv;
    if (n < 1 || nkw > 1) return x_error(x, "TypeError: torch.jit.script(obj)");
    cv_value v = a[0];
    if (xo_is(v, XO_SMOD) || xo_is(v, XO_SFN)) {
        cv_retain(v);
        *out = v;
        return 0;
    }
    if (xo_is(v, XO_FUNC)) return x_script_function(x, xo_of(v), out);
    if (xo_is(v, XO_INST) && xo_of(v)->klass->is_module) {
        cv_value obj;
        if (script_instance(x, xo_of(v), 0, &obj)) return -1;
        /* compile forward now: errors belong to this call */
        ir_function *fwd = cts_class_find_method(obj.u.o->type->cls, "forward");
        if (!fwd) {
            cv_release(obj);
            return x_error(x, "torch.jit.script: %s has no forward method", xo_of(v)->klass->name);
        }
        if (cts_cu_ensure_compiled(x->cu, fwd, x->err) || cts_lower_function(x->cu, fwd, x->err)) {
            cv_release(obj);
            return -1;
        }
        prune_methods(obj, 0);
        xmod_rt *mrt = unit_mrt(x, obj);
        int rc = mrt ? smod_of_obj(x, mrt, obj, out) : -1;
        cv_release(obj);
        return rc;
    }
    if (xo_is(v, XO_CLASS)) return x_error(x, "torch.jit.script of a class is not supported by cts exec yet");
    return x_error(x, "TypeError: torch.jit.script expects a function or an nn.Module instance");
}

/* the result's classes and objects for the instances a trace saw */
static int build_traced(xstate *x, tsession *s, xo *inst, int depth, cv_value *out) {
    if (depth > 64) return x_error(x, "torch.jit.trace: module tree too deep");
    traced *td = traced_of(x, s, inst);
    if (!td) return -1;
    if (td->type) {
        cv_retain(td->obj);
        *out = td->obj;
        return 0;
    }
    int n = inst->modules.n;
    cv_value *subs = calloc((size_t)(n ? n : 1), sizeof *subs);
    cts_type **types = calloc((size_t)(n ? n : 1), sizeof *types);
    int rc = subs && types ? 0 : cts_err_oom(x->err, "trace", 0);
    for (int i = 0; i < n && !rc; i++) {
        cv_value v = inst->modules.vals[i];
        if (xo_is(v, XO_SMOD)) cv_retain(subs[i] = xo_of(v)->obj);
        else if (xo_is(v, XO_INST)) rc = build_traced(x, s, xo_of(v), depth + 1, &subs[i]);
        else subs[i] = cv_none();
        if (!rc && subs[i].tag == CV_OBJECT) types[i] = subs[i].u.o->type;
    }
    cts_type *t = rc ? NULL : instance_class(x, inst, true, types);
    if (!t) rc = -1;
    td = traced_of(x, s, inst);
    if (!rc) rc = fill_object(x, inst, t, subs, true, out);
    if (!rc) {
        td->type = t;
        cv_retain(*out);
        td->obj = *out;
        if (x->ntraced == x->cap_traced) {
            int nc = x->cap_traced ? 2 * x->cap_traced : 16;
            void **p = realloc(x->traced_objs, (size_t)nc * sizeof *p);
            if (!p) rc = cts_err_oom(x->err, "trace", 0);
            else {
                x->traced_objs = p;
                x->cap_traced = nc;
            }
        }
        if (!rc) x->traced_objs[x->ntraced++] = out->u.o;
    }
    for (int i = 0; subs && i < n; i++) cv_release(subs[i]);
    free(subs);
    free(types);
    return rc;
}

static void session_free(tsession *s) {
    for (int i = 0; i < s->n; i++) {
        for (int k = 0; k < s->insts[i].nfwd; k++) ir_graph_free(s->insts[i].fwd[k]);
        free(s->insts[i].fwd);
        free(s->insts[i].pass);
        cv_release(s->insts[i].obj);
    }
    free(s->insts);
    free(s->fix_vals);
    free(s->fix_insts);
    free(s->fresh);
    free(s->fresh_src);
    for (int i = 0; i < s->ngraphs; i++) free(s->graphs[i].src);
    free(s->graphs);
}

static int trace_function(xstate *x, xo *fn, const cv_value *args, int nargs, bool keep, cv_value *out) {
    tsession s = {0};
    xtrace tr = {cts_tracer_new(x->cu, NULL, x->err), NULL, NULL, &s, -1};
    if (!tr.t) return -1;
    cts_tracer_set_inline_constants(tr.t, true);
    int rc = add_inputs(x, tr.t, fn->def, 0, args, nargs);
    cv_value r = cv_none();
    xtrace *saved = x->trace;
    x->trace = &tr;
    if (!rc) rc = x_call(x, (cv_value){CV_PY, {.py = &fn->head}}, args, nargs, NULL, NULL, 0, &r);
    x->trace = saved;
    if (!rc && !tensor_like(r)) rc = x_error(x, "torch.jit.trace: %s returned a value that is not a tensor or a tuple of tensors", fn->name);
    ir_graph *g = rc ? NULL : cts_tracer_finish(tr.t, r, x->err);
    cv_release(r);
    cts_tracer_free(tr.t);
    if (!g) {
        session_free(&s);
        return -1;
    }
    if (!keep) { /* check_trace's second recording: only its effects count */
        ir_graph_free(g);
        session_free(&s);
        *out = cv_none();
        return 0;
    }
    ir_block_erase_input(g->block, 0); /* a function has no self */
    cts_pass_dce(g);
    char q[600];
    snprintf(q, sizeof q, "%s.%s", fn->globals->qualifier, fn->name);
    char qn[600];
    snprintf(qn, sizeof qn, "%s", q);
    if (cts_map_get(&x->cu->functions, qn)) {
        const char *d = strrchr(q, '.');
        snprintf(qn, sizeof qn, "%.*s.___torch_mangle_%d.%s", (int)(d - q), q, x->mangle++, d + 1);
    }
    ir_function *f = cts_cu_define_function(x->cu, qn, g, x->err);
    session_free(&s);
    if (!f) {
        ir_graph_free(g);
        return -1;
    }
    return sfn_new(x, f, x->cu, out);
}

static int trace_module(xstate *x, xo *inst, const cv_value *args, int nargs, bool keep, cv_value *out) {
    tsession s = {0};
    cv_value r = cv_none(), root = cv_none();
    int first = 0;
    int rc = trace_forward(x, &s, NULL, inst, args, nargs, &r, &first);
    cv_release(r);
    if (!keep) { /* check_trace's second recording: only its effects count */
        session_free(&s);
        *out = cv_none();
        return rc;
    }
    if (!rc) finish_input_names(&s);
    if (!rc) rc = build_traced(x, &s, inst, 0, &root);
    for (int i = 0; !rc && i < s.nfix; i++) {
        traced *td = traced_of(x, &s, s.fix_insts[i]);
        if (!td || !td->type) rc = x_error(x, "torch.jit.trace: a module used in the trace is not part of the traced module");
        else ir_set_type(s.fix_vals[i], td->type);
    }
    for (int i = 0; !rc && i < s.n; i++) {
        traced *td = &s.insts[i];
        for (int k = 0; !rc && td->type && k < td->nfwd; k++) {
            ir_graph *g = td->fwd[k];
            td->fwd[k] = NULL;
            char name[32];
            method_name(k, name, sizeof name);
            if (!cts_cu_define_method(x->cu, td->type, name, g, x->err)) {
                ir_graph_free(g);
                rc = -1;
            }
        }
    }
    xmod_rt *mrt = rc ? NULL : unit_mrt(x, root);
    if (!rc && !mrt) rc = -1;
    if (!rc) rc = smod_of_obj(x, mrt, root, out);
    cv_release(root);
    session_free(&s);
    return rc;
}

/* tensors of a value cloned (torch.jit's _clone_inputs) */
static int clone_inputs(xstate *x, const cv_value *args, int nargs, cv_value *out) {
    for (int i = 0; i < nargs; i++) {
        if (args[i].tag == CV_TENSOR) {
            if (x_eager(x, "return a0.clone()", &args[i], 1, &out[i])) return -1;
        } else if (args[i].tag == CV_TUPLE) {
            size_t k = args[i].u.tu->len;
            cv_value *it = calloc(k + 1, sizeof *it);
            if (!it || clone_inputs(x, args[i].u.tu->items, (int)k, it)) {
                free(it);
                return it ? -1 : cts_err_oom(x->err, "trace", 0);
            }
            int rc = cv_tuple_new(NULL, k, it, &out[i], x->err);
            free(it);
            if (rc) return -1;
        } else {
            cv_retain(args[i]);
            out[i] = args[i];
        }
    }
    return 0;
}

static int outputs_close(xstate *x, cv_value a, cv_value b, bool *same) {
    if (a.tag == CV_TUPLE && b.tag == CV_TUPLE && a.u.tu->len == b.u.tu->len) {
        for (size_t i = 0; i < a.u.tu->len && *same; i++)
            if (outputs_close(x, a.u.tu->items[i], b.u.tu->items[i], same)) return -1;
        return 0;
    }
    if (a.tag != CV_TENSOR || b.tag != CV_TENSOR) {
        *same = false;
        return 0;
    }
    cv_value ab[2] = {a, b}, r;
    if (x_eager(x, "return torch.allclose(a0, a1, 1e-05, 1e-05)", ab, 2, &r)) return -1;
    *same = *same && r.tag == CV_BOOL && r.u.b;
    return 0;
}

/* torch.jit.trace's check_trace (on by default): the function is traced a
 * second time, the trace and the Python function run on copies of the
 * inputs, and, when they agree, the second trace runs too.  Only the
 * effects stay (running statistics of modules in training mode, the random
 * numbers drawn), as in PyTorch; a disagreement is PyTorch's TracerWarning. */
static int check_trace(xstate *x, cv_value f, cv_value result, const cv_value *args, int nargs) {
    cv_value in[64], r1 = cv_none(), r2 = cv_none(), dummy = cv_none();
    if (nargs > 64) return 0;
    int rc = clone_inputs(x, args, nargs, in);
    if (rc) return -1;
    if (xo_is(f, XO_FUNC)) rc = trace_function(x, xo_of(f), in, nargs, false, &dummy);
    else rc = trace_module(x, xo_of(f), in, nargs, false, &dummy);
    if (!rc) rc = x_call(x, result, in, nargs, NULL, NULL, 0, &r1);
    if (!rc) rc = x_call(x, f, in, nargs, NULL, NULL, 0, &r2);
    bool same = true;
    if (!rc) rc = outputs_close(x, r1, r2, &same);
    if (!rc && !same)
        fprintf(stderr, "%s: TracerWarning: Output nr 1. of the traced function does not match the corresponding "
                        "output of the Python function.\n", x->file);
    cv_release(r1);
    r1 = cv_none();
    if (!rc && same) rc = x_call(x, result, in, nargs, NULL, NULL, 0, &r1);
    cv_release(r1);
    cv_release(r2);
    for (int i = 0; i < nargs; i++) cv_release(in[i]);
    return rc;
}

NATIVE(j_trace) {
    cv_value ex = n > 1 ? a[1] : cv_none();
    bool check = true;
    for (int i = 0; i < nkw; i++) {
        if (!strcmp(kwn[i], "example_inputs")) ex = kwv[i];
        else if (!strcmp(kwn[i], "check_trace")) check = kwv[i].tag == CV_BOOL ? kwv[i].u.b : true;
        else if (strcmp(kwn[i], "strict") && strcmp(kwn[i], "check_tolerance"))
            return x_error(x, "TypeError: torch.jit.trace: keyword '%s' is not supported by cts exec", kwn[i]);
    }
    if (n < 1 || ex.tag == CV_NONE) return x_error(x, "TypeError: torch.jit.trace(func, example_inputs)");
    if (x->trace) return x_error(x, "torch.jit.trace inside a trace is not supported by cts exec");
    const cv_value *args = &ex;
    int nargs = 1;
    if (ex.tag == CV_TUPLE) {
        args = ex.u.tu->items;
        nargs = (int)ex.u.tu->len;
    }
    cv_value f = a[0];
    if (xo_is(f, XO_SMOD) || xo_is(f, XO_SFN)) { /* already TorchScript: as PyTorch, returned as it is */
        cv_retain(f);
        *out = f;
        return 0;
    }
    int rc;
    if (xo_is(f, XO_FUNC)) rc = trace_function(x, xo_of(f), args, nargs, true, out);
    else if (xo_is(f, XO_INST) && xo_of(f)->klass->is_module) rc = trace_module(x, xo_of(f), args, nargs, true, out);
    else return x_error(x, "TypeError: torch.jit.trace expects a function or an nn.Module instance");
    if (!rc && check && check_trace(x, f, *out, args, nargs)) {
        cv_release(*out);
        *out = cv_none();
        return -1;
    }
    return rc;
}

NATIVE(j_save) {
    (void)kwn;
    (void)kwv;
    if (n != 2 || nkw) return x_error(x, "TypeError: torch.jit.save(m, f)");
    if (!xo_is(a[0], XO_SMOD)) return x_error(x, "TypeError: torch.jit.save expects a ScriptModule");
    xo *m = xo_of(a[0]);
    *out = cv_none();
    return save_obj(x, m->mrt, m->obj, a[1]);
}

NATIVE(j_load) {
    (void)kwn;
    (void)kwv;
    if (n < 1 || a[0].tag != CV_STR) return x_error(x, "TypeError: torch.jit.load(f) expects a file name");
    (void)nkw;
    cts_rt_module *rt = cts_rt_load(a[0].u.s->data, CTS_LOAD_RUN_UNOPTIMIZED, x->err);
    if (!rt) return -1;
    xmod_rt *mrt = new_mrt(x, rt);
    if (!mrt) {
        cts_rt_free(rt);
        return -1;
    }
    return smod_of_obj(x, mrt, rt->root, out);
}

NATIVE(j_false) {
    (void)a;
    (void)n;
    (void)kwn;
    (void)kwv;
    (void)nkw;
    (void)x;
    *out = cv_bool(false);
    return 0;
}

cv_value x_jit_module(xstate *x) {
    cv_value m;
    if (xo_new(x, XO_MODULE, "torch.jit", &m)) return cv_none();
    xo *mo = xo_of(m);
    static const struct { const char *n; xnative_fn f; } fns[] = {
        {"script", j_script}, {"trace", j_trace}, {"save", j_save}, {"load", j_load},
        {"is_scripting", j_false}, {"is_tracing", j_false},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof fns / sizeof *fns && !rc; i++) {
        cv_value f;
        if ((rc = xo_native_new(x, fns[i].n, fns[i].f, cv_none(), &f))) break;
        rc = xns_set(&mo->ns, fns[i].n, f, x->err);
        cv_release(f);
    }
    static const char *const keep[] = {"ignore", "unused", "export", "script_if_tracing"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep && !rc; i++) rc = x_add_identity_decorator(x, &mo->ns, keep[i]);
    if (rc) {
        cv_release(m);
        return cv_none();
    }
    return m;
}

void x_jit_free(xstate *x) {
    for (int i = 0; i < x->nrts; i++) {
        cts_rt_module *rt = x->rts[i]->rt;
        if (rt->cu == x->cu) { /* the program's unit: freed by the program */
            cv_release(rt->root);
            free(rt);
        } else {
            cts_rt_free(rt);
        }
        free(x->rts[i]);
    }
    free(x->rts);
    free(x->traced_objs);
}
