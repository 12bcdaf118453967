/* lower_tuples.c - LowerSimpleTuples: unpacking or indexing a tuple built
 * right there reads the construct's inputs instead. */
#include "passes.h"

static void lower_block(ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        if ((n->k == K_TUPLEUNPACK || n->k == K_TUPLEINDEX) && n->ninputs >= 1 &&
            n->inputs[0]->node->k == K_TUPLECONSTRUCT) {
            ir_node *c = n->inputs[0]->node;
            if (n->k == K_TUPLEUNPACK) {
                for (int i = 0; i < n->noutputs && i < c->ninputs; i++) ir_replace_all_uses(n->outputs[i], c->inputs[i]);
            } else {
                ir_value *idx = n->inputs[1];
                if (idx->node->k == K_CONSTANT && idx->node->has_value && idx->node->value.tag == CV_INT) {
                    int64_t i = idx->node->value.u.i;
                    if (i < 0) i += c->ninputs;
                    if (i >= 0 && i < c->ninputs) ir_replace_all_uses(n->outputs[0], c->inputs[i]);
                }
            }
        }
        for (int i = 0; i < n->nblocks; i++) lower_block(n->blocks[i]);
    }
}

void cts_pass_lower_simple_tuples(ir_graph *g) { lower_block(g->block); }
