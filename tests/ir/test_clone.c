/* test_clone.c - cloning a block names the copies as PyTorch's
 * Block::cloneFrom does (InlineLoopCondition and LoopContinuations clone a
 * loop's condition block, so these names show in every while loop). */
#include "ir/ir.h"
#include "test.h"

static ir_value *named_in(ir_block *b, const char *name) {
    ir_node *n = ir_create(b->graph, "prim::Uninitialized", 1);
    ir_insert_before(n, b->ret);
    ir_set_type(n->outputs[0], T_INT);
    ir_set_name(n->outputs[0], name);
    return n->outputs[0];
}

/* createClone copies the name (the original becomes x.1), then cloneFrom
 * copies it again (the clone takes x.1, the original moves on to x.3) */
TEST(test_block_clone_renames_like_block_clone_from) {
    ir_graph *g = ir_graph_new();
    ir_node *loop = ir_create(g, "prim::Loop", 0);
    ir_insert(g, loop);
    ir_block *src = ir_add_block(loop);
    ir_value *orig = named_in(src, "items");
    ir_block_register_output(src, orig);
    ir_block *dst = ir_add_block(loop);
    ir_block_clone_from(dst, src);
    ir_value *copy = ir_block_output(dst, 0);
    CHECK(copy != orig);
    CHECK_STR(copy->name, "items.1");
    CHECK_STR(orig->name, "items.3");
    ir_graph_free(g);
}

/* values nested in a cloned node's blocks are named the same way */
TEST(test_block_clone_renames_nested_blocks) {
    ir_graph *g = ir_graph_new();
    ir_node *loop = ir_create(g, "prim::Loop", 0);
    ir_insert(g, loop);
    ir_block *src = ir_add_block(loop);
    ir_node *inner = ir_create(g, "prim::If", 1);
    ir_insert_before(inner, src->ret);
    ir_set_type(inner->outputs[0], T_INT);
    ir_set_name(inner->outputs[0], "r");
    ir_block *then_b = ir_add_block(inner);
    ir_value *v = named_in(then_b, "v");
    ir_block_register_output(then_b, v);
    ir_block *dst = ir_add_block(loop);
    ir_block_clone_from(dst, src);
    ir_node *cinner = ir_block_first(dst);
    CHECK(cinner != inner && cinner->nblocks == 1);
    CHECK_STR(cinner->outputs[0]->name, "r.1");
    CHECK_STR(inner->outputs[0]->name, "r.3");
    CHECK_STR(ir_block_output(cinner->blocks[0], 0)->name, "v.1");
    CHECK_STR(v->name, "v.3");
    ir_graph_free(g);
}

int main(void) {
    RUN(test_block_clone_renames_like_block_clone_from);
    RUN(test_block_clone_renames_nested_blocks);
    return test_summary();
}
