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
 * The original graphs stay as loaded: `.graph`, `.code`, saving and tracing
 * see them.  API calls of a root method (cts_rt_call) run the copy.  A
 * method whose copy cannot be made runs as loaded; optimization never fails
 * a load. */
#include <stdlib.h>
#include <string.h>

#include "../ir/function.h"
#include "../passes/passes.h"
#include "module.h"

static void opt_free(ir_function *f) {
    if (!f) return;
    f->schema = NULL; /* borrowed from the original */
    ir_function_free(f);
}

static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int cts_rt_optimize_graph(ir_graph *g, cts_cu *cu, ir_function *fn, cv_value self, const cts_fold_release *rel,
                          cts_err *err) {
    if (cts_pass_inline(g, cu, fn, err) < 0) return -1;
    cts_pass_freeze(g, self, cu);
    cts_pass_lower_simple_tuples(g);
    for (int round = 0; round < 2; round++) {
        if (cts_pass_constant_prop_immutable(g, err)) return -1;
        cts_pass_dce(g);
        if (!cts_pass_remove_eval_noops(g)) break;
    }
    cts_pass_fold_batch_norm(g, rel);
    cts_pass_fuse_conv(g, cu);
    cts_pass_cse(g);
    cts_pass_dce(g);
    return 0;
}

static void release_original(void *ctx, const ct_tensor *t) { cts_rt_release_file_pages(ctx, t); }

/* The optimized copy of method fn of m's root, lowered; NULL when it cannot be made. */
static ir_function *optimized(cts_rt_module *m, ir_function *fn) {
    cts_err err = {0};
    if (!fn->graph) return NULL;
    ir_function *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->qualname = dup(fn->qualname);
    f->name = dup(fn->name);
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
    ir_block_clone_from(f->graph->block, fn->graph->block);
    cts_fold_release rel = {release_original, m};
    if (cts_rt_optimize_graph(f->graph, m->cu, fn, m->root, &rel, &err) || cts_lower_function(m->cu, f, &err)) {
        opt_free(f);
        return NULL;
    }
    return f;
}

void cts_rt_optimize(cts_rt_module *m) {
    if (m->root.tag != CV_OBJECT || m->opt) return;
    cts_class *c = m->root.u.o->type->cls;
    m->opt = calloc((size_t)(c->nmethods ? c->nmethods : 1), sizeof *m->opt);
    if (!m->opt) return;
    m->nopt = c->nmethods;
    for (int i = 0; i < c->nmethods; i++) m->opt[i] = optimized(m, c->methods[i].fn);
}

ir_function *cts_rt_runnable(const cts_rt_module *m, ir_function *fn) {
    if (!m->opt || m->root.tag != CV_OBJECT) return fn;
    const cts_class *c = m->root.u.o->type->cls;
    for (int i = 0; i < m->nopt && i < c->nmethods; i++)
        if (c->methods[i].fn == fn) return m->opt[i] ? m->opt[i] : fn;
    return fn;
}

void cts_rt_optimize_free(cts_rt_module *m) {
    for (int i = 0; i < m->nopt; i++) opt_free(m->opt[i]);
    free(m->opt);
    m->opt = NULL;
    m->nopt = 0;
}
