/* trace_module.c - tracing a module's method through the interpreter
 * (`cts trace`), with TorchScript's mixing rules:
 *   - the method runs on the example inputs; every operator that runs is
 *     recorded (control flow erased);
 *   - a call of a submodule's method stays a prim::CallMethod, and that
 *     method of that submodule is traced into its own graph (the module
 *     hierarchy is kept, as torch.jit.trace keeps it);
 *   - a call of a free (scripted) function stays a prim::CallFunction: the
 *     function runs untraced and keeps its control flow;
 *   - attributes read from a traced module (parameters, submodules) are
 *     prim::GetAttr.
 * Each module instance gets its own class in the result (the original
 * qualified name, mangled with ___torch_mangle_N when taken), with the
 * original's attributes and the traced methods.
 *
 * The interpreter calls the hooks below while a call state carries a trace
 * frame (interp.c); registers are keyed per frame so that non-tensor
 * values (sizes, submodules) are found again where they are used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_trace.h"
#include "module.h"
#include "trace.h"

typedef struct traced_inst {
    cv_object *orig;      /* the instance (borrowed: the source module holds it) */
    ir_graph **graphs;    /* traced methods, by name */
    char **names;
    int nmethods;
    cts_type *type;       /* its class in the result */
    cv_value obj;         /* its object in the result */
} traced_inst;

struct cts_module_trace {
    cts_cu *cu;           /* the result's unit */
    traced_inst *insts;
    int ninsts, cap;
    ir_value **fix_vals;  /* values whose type is a traced instance's class */
    cv_object **fix_objs;
    int nfix, cap_fix;
    cts_err err;
    bool failed;
};

struct cts_trace_frame {
    cts_module_trace *mt;
    cts_tracer *t;
    char *keys;           /* register r's key is keys + r */
    int nregs;
    bool inlined;         /* records into its caller's graph (t is the caller's) */
    bool eager;           /* eager code (cts exec): free functions it calls are recorded inline */
    cv_object *self;
};

static void fail_oom(cts_module_trace *mt) {
    if (!mt->failed) cts_err_oom(&mt->err, "trace", 0);
    mt->failed = true;
}

static const void *reg_key(cts_trace_frame *f, int r) { return r >= 0 && r < f->nregs ? f->keys + r : NULL; }

static traced_inst *inst_of(cts_module_trace *mt, cv_object *o) {
    for (int i = 0; i < mt->ninsts; i++)
        if (mt->insts[i].orig == o) return &mt->insts[i];
    if (mt->ninsts == mt->cap) {
        int nc = mt->cap ? 2 * mt->cap : 16;
        traced_inst *p = realloc(mt->insts, (size_t)nc * sizeof *p);
        if (!p) return NULL;
        mt->insts = p;
        mt->cap = nc;
    }
    traced_inst *ti = &mt->insts[mt->ninsts++];
    memset(ti, 0, sizeof *ti);
    ti->orig = o;
    ti->obj = cv_none();
    return ti;
}

static ir_graph *inst_method(const traced_inst *ti, const char *name) {
    for (int i = 0; i < ti->nmethods; i++)
        if (!strcmp(ti->names[i], name)) return ti->graphs[i];
    return NULL;
}

static void note_type_fix(cts_module_trace *mt, ir_value *v, cv_object *o) {
    if (mt->nfix == mt->cap_fix) {
        int nc = mt->cap_fix ? 2 * mt->cap_fix : 32;
        ir_value **a = realloc(mt->fix_vals, (size_t)nc * sizeof *a);
        if (a) mt->fix_vals = a;
        cv_object **b = realloc(mt->fix_objs, (size_t)nc * sizeof *b);
        if (b) mt->fix_objs = b;
        if (!a || !b) {
            fail_oom(mt);
            return;
        }
        mt->cap_fix = nc;
    }
    mt->fix_vals[mt->nfix] = v;
    mt->fix_objs[mt->nfix++] = o;
}

static cts_trace_frame *frame_new(cts_module_trace *mt, const ir_function *fn, cv_object *self) {
    const cts_code *c = fn->exec;
    cts_trace_frame *f = calloc(1, sizeof *f);
    if (!f || !c) {
        free(f);
        fail_oom(mt);
        return NULL;
    }
    f->mt = mt;
    f->nregs = c->nregs;
    f->keys = calloc((size_t)(c->nregs ? c->nregs : 1), 1);
    f->t = cts_tracer_new(mt->cu, NULL, &mt->err);
    if (!f->keys || !f->t) {
        free(f->keys);
        cts_tracer_free(f->t);
        free(f);
        fail_oom(mt);
        return NULL;
    }
    f->self = self;
    cts_tracer_map_self(f->t, reg_key(f, 0));
    note_type_fix(mt, ir_block_input(cts_tracer_graph(f->t)->block, 0), self);
    return f;
}

void cts_trace_frame_free(cts_trace_frame *f) {
    if (!f) return;
    if (!f->inlined) cts_tracer_free(f->t);
    free(f->keys);
    free(f);
}

/* Adds the tensor arguments of a traced method call as graph inputs, named
 * after the method's parameters; other arguments are constants inside. */
static bool is_traceable_input(cv_value v) {
    if (v.tag == CV_TENSOR) return v.u.t != NULL;
    if (v.tag != CV_TUPLE) return false;
    for (size_t i = 0; i < v.u.tu->len; i++)
        if (v.u.tu->items[i].tag != CV_TENSOR || !v.u.tu->items[i].u.t) return false;
    return true;
}

static int frame_inputs(cts_trace_frame *f, const ir_function *fn, const cv_value *in, int nin) {
    for (int i = 1; i < nin; i++) {
        if (!is_traceable_input(in[i])) continue;
        const char *nm = fn->schema && i < fn->schema->nargs ? fn->schema->args[i].name : "input";
        if (cts_tracer_input(f->t, in[i], nm, &f->mt->err)) return -1;
    }
    return 0;
}

/* ---- hooks ---- */

static bool holds_tensor(cv_value v) {
    if (v.tag == CV_TENSOR) return true;
    if (v.tag == CV_LIST || v.tag == CV_TUPLE) {
        size_t n = v.tag == CV_LIST ? v.u.l->len : v.u.tu->len;
        const cv_value *it = v.tag == CV_LIST ? v.u.l->items : v.u.tu->items;
        for (size_t i = 0; i < n; i++)
            if (holds_tensor(it[i])) return true;
    }
    return false;
}

/* Eager code records what PyTorch's tracer sees: operators on traced values
 * and operators that make tensors.  Python-level work on plain values (the
 * list a library function builds with append) is not recorded: its result
 * is a constant where a recorded operator uses it. */
static bool eager_records(cts_trace_frame *f, const cts_instr *ins, const cv_value *in, const cv_value *outs) {
    for (int i = 0; i < ins->nout; i++)
        if (holds_tensor(outs[i])) return true;
    for (int i = 0; i < ins->nin; i++)
        if (cts_tracer_knows(f->t, in[i], reg_key(f, ins->in[i]))) return true;
    return false;
}

void cts_trace_kernel(cts_trace_frame *f, const cts_instr *ins, const cv_value *in, const cv_value *outs) {
    if (f->mt->failed) return;
    const cts_schema *s = ins->node ? ins->node->schema : NULL;
    if (!s || (f->eager && !eager_records(f, ins, in, outs))) {
        for (int i = 0; i < ins->nout; i++) cts_tracer_forget(f->t, reg_key(f, ins->out[i]));
        return;
    }
    if (s->text) { /* the result's unit holds its own copy */
        const cts_schema *own = cts_cu_schema(f->mt->cu, s->text, &f->mt->err);
        if (own) s = own;
    }
    const void *ik[128], *ok[16];
    int nin = ins->nin < 128 ? ins->nin : 128, nout = ins->nout < 16 ? ins->nout : 16;
    for (int i = 0; i < nin; i++) ik[i] = reg_key(f, ins->in[i]);
    for (int i = 0; i < nout; i++) ok[i] = reg_key(f, ins->out[i]);
    if (cts_tracer_op_keyed(f->t, s, in, ik, nin, outs, ok, nout, &f->mt->err)) f->mt->failed = true;
}

void cts_trace_getattr(cts_trace_frame *f, const cts_instr *ins, cv_value obj, cv_value v) {
    const void *ok = reg_key(f, ins->out[0]), *ik = reg_key(f, ins->in[0]);
    if (f->mt->failed || !ins->node || obj.tag != CV_OBJECT || !cts_tracer_knows(f->t, obj, ik)) {
        cts_tracer_forget(f->t, ok);
        return;
    }
    cts_type *ty = ins->node->outputs[0]->type;
    ir_node *n = cts_tracer_node(f->t, "prim::GetAttr", NULL, &obj, &ik, 1, &v, &ok, &ty, 1, &f->mt->err);
    if (!n) {
        f->mt->failed = true;
        return;
    }
    n->attr_name = ir_intern(cts_tracer_graph(f->t), ins->node->attr_name);
    if (v.tag == CV_OBJECT && v.u.o->type->cls->is_module) note_type_fix(f->mt, n->outputs[0], v.u.o);
}

void cts_trace_move(cts_trace_frame *f, int dst, int src) { cts_tracer_alias(f->t, reg_key(f, dst), reg_key(f, src)); }

void cts_trace_forget(cts_trace_frame *f, const cts_instr *ins) {
    for (int i = 0; i < ins->nout; i++) cts_tracer_forget(f->t, reg_key(f, ins->out[i]));
}

void cts_trace_construct(cts_trace_frame *f, const cts_instr *ins, cv_value made) {
    const void *ok = reg_key(f, ins->out[0]);
    bool any = false;
    const void *ik[128];
    cv_value iv[128];
    int n = ins->nin < 128 ? ins->nin : 128;
    const cv_value *items = made.tag == CV_LIST ? made.u.l->items : made.u.tu->items;
    for (int i = 0; i < n; i++) {
        ik[i] = reg_key(f, ins->in[i]);
        iv[i] = items[i];
        any = any || cts_tracer_knows(f->t, iv[i], ik[i]);
    }
    if (f->mt->failed || !any) {
        cts_tracer_forget(f->t, ok);
        return;
    }
    cts_type *ty = ins->node ? ins->node->outputs[0]->type : NULL;
    if (!cts_tracer_node(f->t, made.tag == CV_LIST ? "prim::ListConstruct" : "prim::TupleConstruct", NULL, iv, ik, n,
                         &made, &ok, &ty, 1, &f->mt->err))
        f->mt->failed = true;
}

void cts_trace_unpack(cts_trace_frame *f, const cts_instr *ins, cv_value from, const cv_value *outs) {
    const void *ik = reg_key(f, ins->in[0]);
    if (f->mt->failed || !cts_tracer_knows(f->t, from, ik)) {
        cts_trace_forget(f, ins);
        return;
    }
    const void *ok[64];
    cts_type *ty[64];
    int n = ins->nout < 64 ? ins->nout : 64;
    for (int i = 0; i < n; i++) {
        ok[i] = reg_key(f, ins->out[i]);
        ty[i] = ins->node ? ins->node->outputs[i]->type : NULL;
    }
    const char *kind = ins->op == OP_LIST_UNPACK ? "prim::ListUnpack" : "prim::TupleUnpack";
    if (!cts_tracer_node(f->t, kind, NULL, &from, &ik, 1, outs, ok, ty, n, &f->mt->err)) f->mt->failed = true;
}

void cts_trace_tuple_index(cts_trace_frame *f, const cts_instr *ins, cv_value tup, cv_value idx, cv_value v) {
    const void *ok = reg_key(f, ins->out[0]);
    const void *ik[2] = {reg_key(f, ins->in[0]), reg_key(f, ins->in[1])};
    if (f->mt->failed || !cts_tracer_knows(f->t, tup, ik[0])) {
        cts_tracer_forget(f->t, ok);
        return;
    }
    cv_value iv[2] = {tup, idx};
    cts_type *ty = ins->node ? ins->node->outputs[0]->type : NULL;
    if (!cts_tracer_node(f->t, "prim::TupleIndex", NULL, iv, ik, 2, &v, &ok, &ty, 1, &f->mt->err)) f->mt->failed = true;
}

/* A method of the module itself other than forward (self._forward_impl(x))
 * is a plain Python call in the module PyTorch traced: it is recorded
 * inline, into the caller's graph.  Calls on another module stay calls
 * (the module hierarchy). */
static bool inlines(const cts_trace_frame *f, const ir_function *fn, cv_value receiver) {
    if (f->eager && !fn->owner) return f->t != NULL;
    return f->t && receiver.tag == CV_OBJECT && receiver.u.o == f->self && strcmp(fn->name, "forward") != 0;
}

static cts_trace_frame *inline_frame(cts_trace_frame *f, const cts_instr *ins, const ir_function *fn, int nin) {
    const cts_code *c = fn->exec;
    cts_trace_frame *g = calloc(1, sizeof *g);
    char *keys = c ? calloc((size_t)(c->nregs ? c->nregs : 1), 1) : NULL;
    if (!g || !keys) {
        free(g);
        free(keys);
        fail_oom(f->mt);
        return NULL;
    }
    g->mt = f->mt;
    g->t = f->t;
    g->keys = keys;
    g->nregs = c->nregs;
    g->inlined = true;
    g->eager = f->eager;
    g->self = f->self;
    /* the callee's parameters are the caller's argument values */
    for (int i = 0; i < nin && i < c->nparams; i++) cts_tracer_alias(g->t, reg_key(g, i), reg_key(f, ins->in[i]));
    return g;
}

cts_trace_frame *cts_trace_call_begin(cts_trace_frame *f, const cts_instr *ins, const cv_value *in, int nin) {
    ir_function *fn = ins->callee;
    if (!f->mt->failed && fn && f->eager && !fn->owner) return inline_frame(f, ins, fn, nin);
    if (f->mt->failed || !fn || nin < 1 || !fn->owner || in[0].tag != CV_OBJECT || !in[0].u.o->type->cls->is_module)
        return NULL; /* a free function (recorded at the end) or not a module: runs untraced */
    if (inlines(f, fn, in[0])) return inline_frame(f, ins, fn, nin);
    traced_inst *ti = inst_of(f->mt, in[0].u.o);
    if (!ti) {
        fail_oom(f->mt);
        return NULL;
    }
    if (inst_method(ti, fn->name)) return NULL; /* traced at an earlier call */
    cts_trace_frame *child = frame_new(f->mt, fn, in[0].u.o);
    if (child && frame_inputs(child, fn, in, nin)) {
        f->mt->failed = true;
        cts_trace_frame_free(child);
        return NULL;
    }
    return child;
}

void cts_trace_call_end(cts_trace_frame *f, cts_trace_frame *child, const cts_instr *ins, const cv_value *in, int nin,
                        cv_value result) {
    cts_module_trace *mt = f->mt;
    ir_function *fn = ins->callee;
    const void *ok = reg_key(f, ins->out[0]);
    if (child && child->inlined) { /* recorded into this graph already */
        cts_trace_frame_free(child);
        return;
    }
    bool method = child || (fn && fn->owner && nin >= 1 && in[0].tag == CV_OBJECT && in[0].u.o->type->cls->is_module);
    if (child) {
        ir_graph *g = mt->failed ? NULL : cts_tracer_finish(child->t, result, &mt->err);
        traced_inst *ti = g ? inst_of(mt, in[0].u.o) : NULL;
        char **nn = ti ? realloc(ti->names, (size_t)(ti->nmethods + 1) * sizeof *nn) : NULL;
        if (nn) ti->names = nn;
        ir_graph **ng = nn ? realloc(ti->graphs, (size_t)(ti->nmethods + 1) * sizeof *ng) : NULL;
        if (ng) ti->graphs = ng;
        char *name = ng ? malloc(strlen(fn->name) + 1) : NULL;
        if (!name) {
            ir_graph_free(g);
            fail_oom(mt);
        } else {
            strcpy(name, fn->name);
            ti->names[ti->nmethods] = name;
            ti->graphs[ti->nmethods++] = g;
        }
        cts_trace_frame_free(child);
    }
    if (mt->failed) return;
    /* the call itself, in the caller's graph */
    cv_value iv[64];
    const void *ik[64];
    int n = 0;
    if (method) {
        iv[n] = in[0];
        ik[n++] = reg_key(f, ins->in[0]);
        for (int i = 1; i < nin && n < 64; i++)
            if (is_traceable_input(in[i])) iv[n] = in[i], ik[n++] = reg_key(f, ins->in[i]);
        if (!cts_tracer_knows(f->t, in[0], ik[0])) { /* a module the trace did not reach: untraced */
            cts_tracer_forget(f->t, ok);
            return;
        }
        ir_node *c = cts_tracer_node(f->t, "prim::CallMethod", NULL, iv, ik, n, &result, &ok, NULL, 1, &mt->err);
        if (!c) {
            mt->failed = true;
            return;
        }
        c->attr_name = ir_intern(cts_tracer_graph(f->t), fn->name);
        return;
    }
    if (!fn || fn->owner) { /* a method of a plain object: its result is a constant where used */
        cts_tracer_forget(f->t, ok);
        return;
    }
    /* a free function: prim::CallFunction of a Function constant */
    cv_value fv = cv_none();
    iv[n] = fv;
    ik[n++] = NULL;
    for (int i = 0; i < nin && n < 64; i++) iv[n] = in[i], ik[n++] = reg_key(f, ins->in[i]);
    cts_type *rt = fn->schema && fn->schema->nrets ? fn->schema->rets[0].type : NULL;
    ir_node *c = cts_tracer_node(f->t, "prim::CallFunction", NULL, iv, ik, n, &result, &ok, &rt, 1, &mt->err);
    if (!c) {
        mt->failed = true;
        return;
    }
    /* replace the None placeholder by the function constant */
    ir_graph *g = cts_tracer_graph(f->t);
    ir_node *k = ir_create(g, "prim::Constant", 1);
    k->fn = fn;
    k->attr_name = ir_intern(g, fn->name);
    ir_set_type(k->outputs[0], cts_type_prim(TY_FUNCTION));
    ir_insert_before(k, c);
    ir_replace_input(c, 0, k->outputs[0]);
}

/* ---- the whole trace ---- */

/* A class name for a traced instance: the original's, mangled when taken. */
static int class_name(cts_module_trace *mt, const char *orig, char *buf, size_t cap) {
    const char *dot = strrchr(orig, '.');
    const char *name = dot ? dot + 1 : orig;
    size_t plen = dot ? (size_t)(dot - orig) : 0;
    /* strip an earlier mangle component from the prefix */
    char prefix[400];
    snprintf(prefix, sizeof prefix, "%.*s", (int)(plen < sizeof prefix ? plen : sizeof prefix - 1), orig);
    char *m = strstr(prefix, ".___torch_mangle_");
    if (m) *m = 0;
    snprintf(buf, cap, "%s%s%s", prefix, *prefix ? "." : "", name);
    for (int k = 0; cts_map_get(&mt->cu->classes, buf); k++)
        snprintf(buf, cap, "%s%s___torch_mangle_%d.%s", prefix, *prefix ? "." : "", k, name);
    return 0;
}

/* The result's class and object for every module instance reachable from o. */
static traced_inst *build(cts_module_trace *mt, cv_object *o, int depth) {
    traced_inst *ti = inst_of(mt, o);
    if (!ti || depth > 64) {
        fail_oom(mt);
        return NULL;
    }
    if (ti->type) return ti;
    const cts_class *oc = o->type->cls;
    char qn[512];
    class_name(mt, oc->qualname, qn, sizeof qn);
    cts_type *t = cts_cu_define_class(mt->cu, qn, true, &mt->err);
    if (!t) {
        mt->failed = true;
        return NULL;
    }
    ti->type = t;
    /* the class (submodules first: their classes are the attributes' types) */
    int n = oc->nattrs < (int)o->nslots ? oc->nattrs : (int)o->nslots;
    for (int i = 0; i < n; i++) {
        const cts_attr *a = &oc->attrs[i];
        cv_value v = o->slots[i];
        cts_type *at = a->type;
        if (v.tag == CV_OBJECT && v.u.o->type->cls->is_module) {
            traced_inst *sub = build(mt, v.u.o, depth + 1);
            if (!sub) return NULL;
            at = sub->type;
        }
        if (cts_class_add_attr(t->cls, a->name, at, a->is_param, a->is_buffer)) {
            fail_oom(mt);
            return NULL;
        }
    }
    /* then the object */
    ti = inst_of(mt, o); /* the table may have moved */
    if (cv_object_new(t, &ti->obj, &mt->err)) {
        mt->failed = true;
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        cv_value v = o->slots[i];
        if (v.tag == CV_OBJECT && v.u.o->type->cls->is_module) v = inst_of(mt, v.u.o)->obj;
        cv_retain(v);
        ti->obj.u.o->slots[i] = v;
    }
    return ti;
}

cts_rt_module *cts_rt_trace(cts_rt_module *src, const char *method, const cv_value *args, int nargs, cts_pool *pool,
                            cts_err *err) {
    if (src->root.tag != CV_OBJECT) {
        cts_err_set(err, "trace: the module has no root object");
        return NULL;
    }
    ir_function *fn = cts_rt_method(src, method, err);
    if (!fn || cts_lower_function(src->cu, fn, err)) return NULL;
    cts_module_trace mt = {0};
    mt.cu = cts_cu_new(NULL, NULL);
    cts_rt_module *res = NULL;
    cv_value *in = calloc((size_t)nargs + 1, sizeof *in);
    if (!mt.cu || !in) {
        cts_err_oom(err, "trace", 0);
        goto done;
    }
    if (cts_cu_ensure_schema(src->cu, fn, err)) goto done;
    int total = fn->schema->nargs;
    if (nargs + 1 > total) {
        cts_err_set(err, "trace: %s() takes %d arguments but %d were given", fn->name, total - 1, nargs);
        goto done;
    }
    cv_value *all = realloc(in, (size_t)total * sizeof *in);
    if (!all) {
        cts_err_oom(err, "trace", 0);
        goto done;
    }
    in = all;
    for (int i = 0; i < nargs; i++)
        if (!is_traceable_input(args[i])) {
            /* as torch.jit.trace: only tensors are example inputs */
            cts_err_set(err, "trace: argument '%s' of %s() has type %s; traced inputs are tensors and tuples of tensors",
                        i + 1 < fn->schema->nargs ? fn->schema->args[i + 1].name : "?", fn->name,
                        cv_tag_name(args[i].tag));
            goto done;
        }
    in[0] = src->root;
    for (int i = 0; i < nargs; i++) in[i + 1] = args[i];
    for (int i = nargs + 1; i < total; i++) {
        if (!fn->schema->args[i].has_default) {
            cts_err_set(err, "trace: %s() missing value for argument '%s'", fn->name, fn->schema->args[i].name);
            goto done;
        }
        in[i] = fn->schema->args[i].default_val;
    }
    nargs = total - 1;
    cts_instr call = {0};
    call.op = OP_CALL;
    call.callee = fn;
    cts_trace_frame top = {&mt, NULL, NULL, 0, false, false, NULL};
    cts_trace_frame *f = cts_trace_call_begin(&top, &call, in, nargs + 1);
    if (!f) {
        if (!mt.failed) cts_err_set(&mt.err, "trace: cannot trace %s", fn->qualname);
        goto fail;
    }
    cts_call_state cs = {false, f};
    cts_kctx k = {err, pool, &cs};
    cv_value r;
    if (cts_run_function(fn, in, nargs + 1, &r, &k)) {
        cts_trace_frame_free(f);
        goto done; /* err holds the method's error */
    }
    /* the top frame: finish it as a method of the root */
    ir_graph *g = mt.failed ? NULL : cts_tracer_finish(f->t, r, &mt.err);
    cv_release(r);
    cts_trace_frame_free(f);
    if (!g) goto fail;
    traced_inst *root = inst_of(&mt, src->root.u.o);
    char **nn = root ? realloc(root->names, (size_t)(root->nmethods + 1) * sizeof *nn) : NULL;
    if (nn) root->names = nn;
    ir_graph **ng = nn ? realloc(root->graphs, (size_t)(root->nmethods + 1) * sizeof *ng) : NULL;
    if (ng) root->graphs = ng;
    char *name = ng ? malloc(strlen(fn->name) + 1) : NULL;
    if (!name) {
        ir_graph_free(g);
        fail_oom(&mt);
        goto fail;
    }
    strcpy(name, fn->name);
    nn[root->nmethods] = name;
    ng[root->nmethods++] = g;
    /* classes and objects, then the methods (graphs pass to the unit) */
    root = build(&mt, src->root.u.o, 0);
    if (!root) goto fail;
    for (int i = 0; i < mt.nfix; i++) {
        traced_inst *ti = inst_of(&mt, mt.fix_objs[i]);
        if (ti && !ti->type && !build(&mt, mt.fix_objs[i], 0)) goto fail;
        if (ti) ir_set_type(mt.fix_vals[i], inst_of(&mt, mt.fix_objs[i])->type);
    }
    for (int i = 0; i < mt.ninsts; i++) {
        traced_inst *ti = &mt.insts[i];
        for (int j = 0; j < ti->nmethods; j++) {
            ir_graph *mg = ti->graphs[j];
            ti->graphs[j] = NULL;
            if (!ti->type || !cts_cu_define_method(mt.cu, ti->type, ti->names[j], mg, &mt.err)) {
                ir_graph_free(mg);
                goto fail;
            }
        }
    }
    res = calloc(1, sizeof *res);
    if (!res) {
        fail_oom(&mt);
        goto fail;
    }
    res->root = root->obj;
    root->obj = cv_none();
    res->version = 3;
    snprintf(res->producer, sizeof res->producer, "cts trace");
    res->cu = mt.cu;
    if (cts_rt_prepare(res, &mt.err)) {
        res->cu = NULL;
        cts_rt_free(res);
        res = NULL;
        goto fail;
    }
    mt.cu = NULL;
    goto done;
fail:
    cts_err_prefix(&mt.err, "trace: ");
    *err = mt.err;
done:
    for (int i = 0; i < mt.ninsts; i++) {
        for (int j = 0; j < mt.insts[i].nmethods; j++) {
            ir_graph_free(mt.insts[i].graphs[j]);
            free(mt.insts[i].names[j]);
        }
        free(mt.insts[i].graphs);
        free(mt.insts[i].names);
        cv_release(mt.insts[i].obj);
    }
    free(mt.insts);
    free(mt.fix_vals);
    free(mt.fix_objs);
    cts_cu_free(mt.cu);
    free(in);
    return res;
}

/* ---- eager code (cts exec) ---- */

struct cts_eager_trace {
    cts_module_trace mt;
    cts_trace_frame *f;
};

cts_eager_trace *cts_trace_eager_begin(cts_tracer *t, cts_cu *cu, const ir_function *fn, const cv_value *args,
                                       int nargs, cts_err *err) {
    cts_eager_trace *e = calloc(1, sizeof *e);
    const cts_code *c = fn->exec;
    if (!e || !c) {
        free(e);
        cts_err_oom(err, "trace", 0);
        return NULL;
    }
    e->mt.cu = cu;
    cts_trace_frame *f = calloc(1, sizeof *f);
    char *keys = calloc((size_t)(c->nregs ? c->nregs : 1), 1);
    if (!f || !keys) {
        free(f);
        free(keys);
        free(e);
        cts_err_oom(err, "trace", 0);
        return NULL;
    }
    f->mt = &e->mt;
    f->t = t;
    f->keys = keys;
    f->nregs = c->nregs;
    f->inlined = true;
    f->eager = true;
    e->f = f;
    /* lists built by the program from traced tensors: a ListConstruct */
    for (int i = 0; i < nargs && i < c->nparams; i++)
        if (args[i].tag == CV_LIST && cts_tracer_list(t, args[i], NULL, reg_key(f, i), err)) {
            cts_trace_frame_free(f);
            free(e);
            return NULL;
        }
    return e;
}

cts_trace_frame *cts_trace_eager_frame(cts_eager_trace *e) { return e->f; }

int cts_trace_eager_end(cts_eager_trace *e, cts_err *err) {
    if (!e) return 0;
    int rc = 0;
    if (e->mt.failed) {
        *err = e->mt.err;
        rc = -1;
    }
    cts_trace_frame_free(e->f);
    free(e->mt.insts);
    free(e->mt.fix_vals);
    free(e->mt.fix_objs);
    free(e);
    return rc;
}
