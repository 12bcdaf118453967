/* freeze.c - module attributes become constants (torch.jit.freeze's core).
 *
 * The graph's first input is bound to a known object (the loaded module).
 * Every prim::GetAttr on a known object (that input, or an object constant
 * made here) whose attribute no prim::SetAttr anywhere writes is replaced by
 * a prim::Constant holding the attribute's value: parameters and buffers
 * become tensor constants, submodules object constants whose own reads fold
 * in turn.  The constant holds the same value the read would return (the
 * same tensor, the same list), so in-place changes stay visible exactly as
 * before; only re-assignment (SetAttr) could make the read differ, and
 * attributes that are re-assigned stay reads.  A graph that still calls
 * interface methods is not frozen (what they may assign is not known). */
#include <stdlib.h>
#include <string.h>

#include "../compiler/cu.h"
#include "../ir/function.h"
#include "passes.h"

typedef struct written {
    const cts_class **cls;
    const char **name;
    int n, cap;
} written;

static void note_written(written *w, const cts_class *c, const char *name, ir_graph *g) {
    for (int i = 0; i < w->n; i++)
        if (w->cls[i] == c && !strcmp(w->name[i], name)) return;
    if (w->n == w->cap) {
        int nc = w->cap ? w->cap * 2 : 16;
        const cts_class **a = realloc(w->cls, (size_t)nc * sizeof *a);
        if (!a) ir_oom(g);
        w->cls = a;
        const char **b = realloc(w->name, (size_t)nc * sizeof *b);
        if (!b) ir_oom(g);
        w->name = b;
        w->cap = nc;
    }
    w->cls[w->n] = c;
    w->name[w->n++] = name;
}

static void scan_writes(written *w, ir_block *b, ir_graph *g) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++) scan_writes(w, n->blocks[i], g);
        if (n->k != K_SETATTR) continue;
        const cts_type *t = n->inputs[0]->type;
        if (t->kind == TY_CLASS) note_written(w, t->cls, n->attr_name, g);
    }
}

static bool is_written(const written *w, const cts_class *c, const char *name) {
    for (int i = 0; i < w->n; i++)
        if (w->cls[i] == c && !strcmp(w->name[i], name)) return true;
    return false;
}

static cv_value known_object(const ir_value *v, const ir_value *self_in, cv_value self) {
    if (v == self_in) return self;
    if (v->node->k == K_CONSTANT && v->node->has_value && v->node->value.tag == CV_OBJECT) return v->node->value;
    return cv_none();
}

static int fold_block(ir_block *b, const written *w, const ir_value *self_in, cv_value self) {
    int folded = 0;
    ir_graph *g = b->graph;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) folded += fold_block(n->blocks[i], w, self_in, self);
        if (n->k != K_GETATTR) continue;
        cv_value o = known_object(n->inputs[0], self_in, self);
        if (o.tag != CV_OBJECT) continue;
        const cts_class *c = o.u.o->type->cls;
        int slot = cts_class_find_attr(c, n->attr_name);
        if (slot < 0 || (size_t)slot >= o.u.o->nslots || is_written(w, c, n->attr_name)) continue;
        cv_value v = o.u.o->slots[slot];
        if (v.tag == CV_UNINIT) continue;
        ir_node *saved = g->insert_before;
        ir_set_insert_before(g, n);
        ir_value *k = ir_insert_constant(g, v, n->src, n->src_start, n->src_end);
        g->insert_before = saved == n ? next : saved;
        if (v.tag != CV_NONE) ir_set_type(k, n->outputs[0]->type);
        ir_replace_all_uses(n->outputs[0], k);
        ir_destroy(n);
        folded++;
    }
    return folded;
}

/* Whether a call whose callee only the object knows (an interface method)
 * remains: the functions it may reach need not be compiled yet, so their
 * SetAttrs are unknown. */
static bool dynamic_calls(const ir_block *b) {
    for (const ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++)
            if (dynamic_calls(n->blocks[i])) return true;
        if (n->k == K_CALLMETHOD) {
            const cts_type *t = n->inputs[0]->type;
            if (t->kind != TY_CLASS || t->cls->is_interface) return true;
        }
    }
    return false;
}

int cts_pass_freeze(ir_graph *g, cv_value self, cts_cu *cu) {
    if (self.tag != CV_OBJECT || ir_block_ninputs(g->block) < 1 || dynamic_calls(g->block)) return 0;
    written w = {0};
    scan_writes(&w, g->block, g);
    for (int i = 0; i < cu->nfns; i++)
        if (cu->fns[i]->graph) scan_writes(&w, cu->fns[i]->graph->block, g);
    int n = fold_block(g->block, &w, ir_block_input(g->block, 0), self);
    free(w.cls);
    free(w.name);
    return n;
}
