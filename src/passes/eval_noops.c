/* eval_noops.c - ops that do nothing in evaluation mode disappear.
 *
 * After freezing, a module's `self.training` is the constant False, and
 * dropout called with train=False returns its input (aten::dropout and its
 * feature/alpha variants, in place or not: PyTorch returns the input
 * itself).  Their uses take the input and the node goes.  nn.Identity
 * needs nothing here: inlining leaves nothing of it. */
#include <string.h>

#include "passes.h"

static bool const_false(const ir_value *v) {
    const ir_node *n = v->node;
    return n->k == K_CONSTANT && n->has_value && n->value.tag == CV_BOOL && !n->value.u.b;
}

static bool is_dropout(const ir_node *n) {
    static const char *const kinds[] = {"aten::dropout",       "aten::dropout_",       "aten::feature_dropout",
                                        "aten::feature_dropout_", "aten::alpha_dropout", "aten::alpha_dropout_",
                                        "aten::feature_alpha_dropout", "aten::feature_alpha_dropout_"};
    if (n->k != K_OP || !n->schema || n->ninputs != 3 || n->noutputs != 1) return false;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(n->kind, kinds[i])) return true;
    return false;
}

static int remove_block(ir_block *b) {
    int removed = 0;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) removed += remove_block(n->blocks[i]);
        if (!is_dropout(n) || !const_false(n->inputs[2])) continue;
        ir_replace_all_uses(n->outputs[0], n->inputs[0]);
        ir_destroy(n);
        removed++;
    }
    return removed;
}

int cts_pass_remove_eval_noops(ir_graph *g) { return remove_block(g->block); }
