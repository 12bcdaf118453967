/* dce.c - dead code elimination.
 *
 * Removes nodes whose outputs are unused and that have no side effects,
 * unused outputs of prim::If, and loop-carried values used neither after
 * the loop nor inside it (PyTorch's EliminateDeadCode), to a fixed point. */
#include <string.h>

#include "passes.h"

bool cts_node_has_side_effects(const ir_node *n) {
    switch (n->k) {
    case K_PRINT:
    case K_RAISE:
    case K_CALLMETHOD:
    case K_CALLFUNCTION:
    case K_SETATTR:
    case K_ENTER:
    case K_EXIT:
    case K_RETURNSTMT:
    case K_LOOPCONTINUATION:
    case K_BREAKSTMT:
    case K_CONTINUESTMT:
    case K_STORE:
        return true;
    case K_IF:
    case K_LOOP:
        /* kept when anything inside must be kept */
        for (int b = 0; b < n->nblocks; b++)
            for (const ir_node *c = ir_block_first(n->blocks[b]); c != n->blocks[b]->ret; c = c->next)
                if (cts_node_has_side_effects(c)) return true;
        return false;
    default: break;
    }
    /* operators PyTorch registers with conservative alias analysis (they read
     * or write runtime state): never folded, never removed */
    static const char *const stateful[] = {"aten::warn", "aten::manual_seed", "aten::save", "aten::wait",
                                           "aten::is_grad_enabled", "aten::set_grad_enabled",
                                           "aten::is_autocast_enabled", "aten::is_autocast_cpu_enabled"};
    for (size_t i = 0; i < sizeof stateful / sizeof *stateful; i++)
        if (strcmp(n->kind, stateful[i]) == 0) return true;
    /* mutation: an operator that writes one of its arguments */
    if (n->schema)
        for (int i = 0; i < n->schema->nargs; i++)
            if (n->schema->args[i].is_write) return true;
    if (strcmp(n->kind, "aten::Delete") == 0) return true;
    if (n->kind[0] == '^') return true; /* a PythonOp: a call into Python, kept like any call */
    return false;
}

static bool remove_dead_if_outputs(ir_node *n) {
    bool changed = false;
    for (int i = n->noutputs - 1; i >= 0; i--) {
        if (n->outputs[i]->nuses) continue;
        ir_erase_output(n, i);
        for (int b = 0; b < n->nblocks; b++) ir_block_erase_output(n->blocks[b], i);
        changed = true;
    }
    return changed;
}

static bool remove_dead_loop_outputs(ir_node *n) {
    bool changed = false;
    ir_block *body = n->blocks[0];
    for (int i = n->noutputs - 1; i >= 0; i--) {
        ir_value *in = ir_block_input(body, 1 + i);
        if (n->outputs[i]->nuses || in->nuses) continue;
        /* the body output itself may be the only use of something: that is fine */
        ir_erase_output(n, i);
        ir_remove_input(n, 2 + i);
        ir_block_erase_output(body, 1 + i);
        ir_block_erase_input(body, 1 + i);
        changed = true;
    }
    return changed;
}

static bool sweep(ir_block *b) {
    bool changed = false;
    for (ir_node *n = b->ret->prev; n != b->param;) {
        ir_node *prev = n->prev;
        if (n->k == K_IF) changed |= remove_dead_if_outputs(n);
        if (n->k == K_LOOP) changed |= remove_dead_loop_outputs(n);
        for (int i = 0; i < n->nblocks; i++) changed |= sweep(n->blocks[i]);
        bool used = false;
        for (int i = 0; i < n->noutputs; i++)
            if (n->outputs[i]->nuses) used = true;
        if (!used && !cts_node_has_side_effects(n)) {
            ir_destroy(n);
            changed = true;
        }
        n = prev;
    }
    return changed;
}

void cts_pass_dce(ir_graph *g) {
    while (sweep(g->block)) {
    }
}
