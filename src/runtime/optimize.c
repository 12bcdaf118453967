/* optimize.c - the execution copies of a loaded module's methods.
 *
 * At load (cts_rt_prepare), each method of the root module gets a copy of
 * its graph that the passes rewrite for this module object, the way
 * torch.jit.freeze + optimize_for_inference do, but always and before any
 * call (nothing is profiled):
 *
 *   inline        calls of functions and submodule methods become their bodies
 *   freeze        attribute reads on the module become constants
 *   const-prop    constant propagation over immutable values (folds
 *                 `if self.training`, None checks), then dead code (tensor
 *                 constants are not pooled: equal parameters stay distinct
 *                 tensors, as in-place writes need)
 *   eval no-ops   dropout with train=False goes
 *   fold_bn       eval batch_norm folded into the convolution before it
 *   fuse_conv     residual add_ and relu/relu6/hardtanh/clamp fused into the
 *                 convolution's epilogue
 *   cse, dce      repeated pure computations and dead nodes go
 *
 * The passes run in two phases over all root methods: first each copy is
 * made the module's own (inline, freeze, const-prop, no-ops), then what any
 * of them may write in place is collected, so that no method's folding uses
 * a weight another method changes, and then each is folded and fused.
 *
 * The original graphs stay as loaded: `.graph`, `.code`, saving and tracing
 * see them.  API calls of a root method (cts_rt_call) run the copy.  A
 * method whose copy cannot be made (out of memory included) runs as
 * loaded; optimization never fails a load. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "../ir/function.h"
#include "../passes/passes.h"
#include "../serialize/ptrmap.h"
#include "module.h"

static void opt_free(ir_function *f) {
    if (!f) return;
    f->schema = NULL; /* borrowed from the original */
    ir_function_free(f);
}

/* Phase 1: what makes the graph this module's (inline, freeze, constant
 * propagation, evaluation no-ops). */
static int specialize(ir_graph *g, cts_cu *cu, ir_function *fn, cv_value self, cts_err *err) {
    if (cts_pass_inline(g, cu, fn, err) < 0) return -1;
    cts_pass_freeze(g, self, cu);
    cts_pass_lower_simple_tuples(g);
    for (int round = 0; round < 2; round++) {
        if (cts_pass_constant_prop_immutable(g, err)) return -1;
        cts_pass_dce(g);
        if (!cts_pass_remove_eval_noops(g)) break;
    }
    return 0;
}

/* Phase 2: folding, fusion, CSE. */
static void rewrite(ir_graph *g, cts_cu *cu, const cts_fold_hooks *hooks) {
    cts_pass_fold_batch_norm(g, hooks);
    cts_pass_fuse_conv(g, cu);
    cts_pass_cse(g);
    cts_pass_dce(g);
}

int cts_rt_optimize_graph(ir_graph *g, cts_cu *cu, ir_function *fn, cv_value self, cts_err *err) {
    if (specialize(g, cu, fn, self, err)) return -1;
    rewrite(g, cu, NULL);
    return 0;
}

/* ---- the module's copies ---- */

/* What every method of the module may write in place, for folding (a
 * folded weight is a copy made at load: no method may change what it was
 * made from), and whether calls remain that the analysis cannot see into. */
typedef struct module_writes {
    cts_ptrmap storages; /* tensor storages some method's graph may write */
    bool calls_left;
} module_writes;

static void note_writes(module_writes *w, const ir_block *b, cts_mutation *mut) {
    for (const ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++) note_writes(w, n->blocks[i], mut);
        if (n->k == K_CALLMETHOD || n->k == K_CALLFUNCTION) w->calls_left = true;
        if (n->k == K_CONSTANT && n->has_value && n->value.tag == CV_TENSOR &&
            cts_mutation_may_change(mut, n->outputs[0]))
            cts_ptrmap_put(&w->storages, cts_ptrkey(n->value.u.t->storage), 1);
    }
}

typedef struct hooks_ctx {
    cts_rt_module *m;
    module_writes *w;
} hooks_ctx;

static void release_original(void *ctx, const ct_tensor *t) { cts_rt_release_file_pages(((hooks_ctx *)ctx)->m, t); }

static bool written_elsewhere(void *ctx, const ct_tensor *t) {
    const module_writes *w = ((hooks_ctx *)ctx)->w;
    return w->calls_left || cts_ptrmap_get(&w->storages, cts_ptrkey(t->storage)) != NULL;
}

/* A copy of method fn's graph in a function of its own (phase 1 done), or
 * NULL.  Running out of memory in the passes (ir_oom) comes back here. */
static ir_function *specialized(cts_rt_module *m, ir_function *fn) {
    if (!fn->graph) return NULL;
    ir_function *volatile f = calloc(1, sizeof *f); /* volatile: read after longjmp */
    if (!f) return NULL;
    f->qualname = strdup(fn->qualname);
    f->name = strdup(fn->name);
    f->graph = ir_graph_new();
    if (!f->qualname || !f->name || !f->graph) {
        opt_free(f);
        return NULL;
    }
    f->schema = fn->schema;
    f->owner = fn->owner;
    f->def = fn->def;
    f->src = fn->src;
    f->state = FN_DONE;
    jmp_buf oom;
    if (setjmp(oom)) {
        opt_free(f);
        return NULL;
    }
    f->graph->oom_jmp = &oom;
    cts_err err = {0};
    ir_block_clone_from(f->graph->block, fn->graph->block);
    int rc = specialize(f->graph, m->cu, fn, m->root, &err);
    f->graph->oom_jmp = NULL;
    if (rc) {
        opt_free(f);
        return NULL;
    }
    return f;
}

/* Phase 2 and lowering for f; false when f cannot be used. */
static bool finish(cts_rt_module *m, ir_function *f, const cts_fold_hooks *hooks) {
    jmp_buf oom;
    if (setjmp(oom)) return false;
    f->graph->oom_jmp = &oom;
    rewrite(f->graph, m->cu, hooks);
    f->graph->oom_jmp = NULL;
    cts_err err = {0};
    return cts_lower_function(m->cu, f, &err) == 0;
}

void cts_rt_optimize(cts_rt_module *m) {
    if (m->root.tag != CV_OBJECT || m->opt) return;
    cts_class *c = m->root.u.o->type->cls;
    m->opt = calloc((size_t)(c->nmethods ? c->nmethods : 1), sizeof *m->opt);
    if (!m->opt) return;
    for (int i = 0; i < c->nmethods; i++) m->opt[i] = specialized(m, c->methods[i].fn);
    module_writes w = {0};
    cts_ptrmap_init(&w.storages);
    for (int i = 0; i < c->nmethods; i++) {
        if (!m->opt[i]) {
            w.calls_left = true; /* a method run as loaded may write anything */
            continue;
        }
        cts_mutation *mut = cts_mutation_analyze(m->opt[i]->graph);
        if (!mut) w.calls_left = true;
        else note_writes(&w, m->opt[i]->graph->block, mut);
        cts_mutation_free(mut);
    }
    hooks_ctx hc = {m, &w};
    cts_fold_hooks hooks = {release_original, written_elsewhere, &hc};
    for (int i = 0; i < c->nmethods; i++)
        if (m->opt[i] && !finish(m, m->opt[i], &hooks)) {
            opt_free(m->opt[i]);
            m->opt[i] = NULL;
        }
    cts_ptrmap_free(&w.storages);
}

ir_function *cts_rt_runnable(const cts_rt_module *m, ir_function *fn) {
    if (!m->opt || m->root.tag != CV_OBJECT) return fn;
    const cts_class *c = m->root.u.o->type->cls;
    for (int i = 0; i < c->nmethods; i++)
        if (c->methods[i].fn == fn) return m->opt[i] ? m->opt[i] : fn;
    return fn;
}

void cts_rt_optimize_free(cts_rt_module *m) {
    if (m->opt && m->root.tag == CV_OBJECT)
        for (int i = 0; i < m->root.u.o->type->cls->nmethods; i++) opt_free(m->opt[i]);
    free(m->opt);
    m->opt = NULL;
}
