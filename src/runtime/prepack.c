/* prepack.c - weights prepared at load, not on the first call.
 *
 * After a module is lowered, cts_rt_prepack walks the code its methods run
 * (their optimized copies where there are, whose weights are constants),
 * starting at every method of the root object, with what is known before
 * any call: the objects (self and, through attribute reads, its submodules,
 * parameters and buffers) and the constants.  Every kernel call whose op has
 * a prepack hook (op.h) gets its arguments as far as they are known
 * (CV_UNINIT elsewhere), so a convolution or linear layer reading its own
 * weight packs it now; calls into other functions and methods are followed
 * with the arguments known at the call site (a submodule's forward runs with
 * that submodule as self).  A function is walked once per set of known
 * arguments (each module instance's forward once).
 *
 * Only values that cannot change between load and call are trusted:
 * constants, and registers written once by an attribute read of a known
 * object.  Registers written by moves (loop-carried and branch-merged
 * values) are unknown.  Nothing here fails a load: the hooks make what they
 * can, and a call makes the rest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../serialize/ptrmap.h"
#include "module.h"

#define PREPACK_MAX_DEPTH 64
#define PREPACK_MAX_WALKS 100000

typedef struct walker {
    cts_ptrmap seen; /* hash of (function, known arguments) -> 1 */
    int walks;
} walker;

/* Identity of the known arguments: heap values by address, scalars by value. */
static uint64_t args_hash(const cv_value *a, int n) {
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++) {
        uint64_t v = a[i].tag >= CV_STR ? (uint64_t)(uintptr_t)a[i].u.rc : (uint64_t)a[i].u.i;
        h = (h ^ (uint64_t)a[i].tag) * 1099511628211ull;
        h = (h ^ v) * 1099511628211ull;
    }
    return h;
}

/* Whether fn was walked with these arguments already; records it otherwise.
 * (Two different walks hashing alike: the second is skipped, which only
 * leaves a weight to be packed by its first call.) */
static bool visited(walker *w, const ir_function *fn, uint64_t args) {
    uint64_t key = (args ^ (uint64_t)(uintptr_t)fn) * 0x9e3779b97f4a7c15ull;
    if (cts_ptrmap_get(&w->seen, key)) return true;
    return cts_ptrmap_put(&w->seen, key, 1) != 0; /* out of memory: walk no further */
}

static cv_value known(const cts_code *c, const cv_value *R, int x) {
    if (x < 0) return c->consts[-1 - x];
    return R[x];
}

static void walk(walker *w, ir_function *fn, const cv_value *params, int nparams, int depth) {
    const cts_code *c = fn->exec;
    if (!c || depth > PREPACK_MAX_DEPTH || ++w->walks > PREPACK_MAX_WALKS) return;
    if (visited(w, fn, args_hash(params, nparams))) return;
    cv_value *R = malloc((size_t)(c->nregs ? c->nregs : 1) * sizeof *R);
    int *defs = calloc((size_t)(c->nregs ? c->nregs : 1), sizeof *defs);
    if (!R || !defs) goto done;
    /* registers written more than once (moves at block ends) stay unknown */
    for (int i = 0; i < c->ncode; i++) {
        const cts_instr *ins = &c->code[i];
        for (int o = 0; o < ins->nout; o++)
            if (ins->out[o] >= 0 && ins->out[o] < c->nregs) defs[ins->out[o]]++;
        if (ins->op == OP_MOVE && ins->a >= 0 && ins->a < c->nregs) defs[ins->a] += 2;
    }
    for (int r = 0; r < c->nregs; r++) R[r] = r < nparams && r < c->nparams ? params[r] : cv_uninit();
    for (int i = 0; i < c->ncode; i++) {
        const cts_instr *ins = &c->code[i];
        if (ins->op == OP_GETATTR && ins->nin == 1 && ins->nout == 1) {
            cv_value o = known(c, R, ins->in[0]);
            int out = ins->out[0];
            if (o.tag == CV_OBJECT && (size_t)ins->a < o.u.o->nslots && out >= 0 && defs[out] == 1)
                R[out] = o.u.o->slots[ins->a];
        } else if (ins->op == OP_KERNEL || ins->op == OP_CALL) {
            cv_value args[64];
            int n = ins->nin < 64 ? ins->nin : 64;
            for (int a = 0; a < n; a++) args[a] = known(c, R, ins->in[a]);
            if (ins->op == OP_CALL) {
                if (ins->callee) walk(w, ins->callee, args, n, depth + 1);
            } else {
                for (int h = 0; h < cts_prepack_count() && n == ins->nin; h++)
                    if (cts_prepack_at(h)->fn == ins->fn) cts_prepack_at(h)->prepack(args, n);
            }
        }
    }
done:
    free(R);
    free(defs);
}

void cts_rt_prepack(cts_rt_module *m) {
    if (m->root.tag != CV_OBJECT) return;
    cts_type *t = m->root.u.o->type;
    walker w = {0};
    cts_ptrmap_init(&w.seen);
    for (int i = 0; i < t->cls->nmethods; i++) walk(&w, cts_rt_runnable(m, t->cls->methods[i].fn), &m->root, 1, 0);
    cts_ptrmap_free(&w.seen);
}
