/* test_names.c - value names follow PyTorch's Value::setDebugName. */
#include <math.h>

#include "ir/ir.h"
#include "test.h"

static ir_value *fresh(ir_graph *g) {
    ir_node *n = ir_create(g, "prim::Uninitialized", 1);
    ir_insert(g, n);
    return n->outputs[0];
}

TEST(test_name_taken_renames_previous_owner_with_odd_suffixes) {
    ir_graph *g = ir_graph_new();
    ir_value *a = fresh(g), *b = fresh(g), *c = fresh(g);
    ir_set_name(a, "x");
    ir_set_name(b, "x");
    CHECK_STR(a->name, "x.1");
    CHECK_STR(b->name, "x");
    ir_set_name(c, "x");
    CHECK_STR(b->name, "x.3"); /* one past the last suffix used for the base */
    CHECK_STR(c->name, "x");
    ir_graph_free(g);
}

TEST(test_name_with_numeric_suffix_keeps_its_base) {
    ir_graph *g = ir_graph_new();
    ir_value *a = fresh(g), *b = fresh(g);
    ir_set_name(a, "rv.5");
    ir_set_name(b, "rv.5");
    CHECK_STR(a->name, "rv.6");
    CHECK_STR(b->name, "rv.5");
    ir_graph_free(g);
}

TEST(test_freed_value_releases_its_name) {
    ir_graph *g = ir_graph_new();
    ir_value *a = fresh(g);
    ir_set_name(a, "y");
    ir_destroy(a->node);
    ir_value *b = fresh(g);
    ir_set_name(b, "y");
    CHECK_STR(b->name, "y");
    ir_value *c = fresh(g);
    ir_set_name(c, "y");
    CHECK_STR(b->name, "y.1");
    ir_graph_free(g);
}

TEST(test_unnamed_values_print_their_ids) {
    ir_graph *g = ir_graph_new();
    ir_value *in = ir_block_add_input(g->block, "self");
    ir_value *k = ir_insert_constant(g, cv_int(3), NULL, 0, 0);
    ir_node *t = ir_create(g, "prim::TupleConstruct", 1);
    ir_add_input(t, in);
    ir_add_input(t, k);
    cts_type *el[2] = {T_TENSOR, T_INT};
    cts_type *tt = cts_type_tuple(2, el);
    ir_set_type(t->outputs[0], tt);
    cts_type_release(tt);
    ir_insert(g, t);
    ir_block_register_output(g->block, t->outputs[0]);
    cts_strbuf sb;
    cts_sb_init(&sb);
    ir_print_graph(g, &sb, false);
    char want[256];
    snprintf(want, sizeof want,
             "graph(%%self : Tensor):\n  %%%d : int = prim::Constant[value=3]()\n  %%%d : (Tensor, int) = "
             "prim::TupleConstruct(%%self, %%%d)\n  return (%%%d)\n",
             k->id, t->outputs[0]->id, k->id, t->outputs[0]->id);
    CHECK_STR(cts_sb_str(&sb), want);
    cts_sb_free(&sb);
    ir_graph_free(g);
}

/* prim::Constant attributes print as PyTorch's IValue repr: a NaN with its
 * sign bit (C++ streams), a non-printable string byte as c10's
 * printQuotedString does, with signed char "octal" digits */
TEST(test_constant_nan_sign_and_non_ascii_bytes) {
    ir_graph *g = ir_graph_new();
    double neg_nan = -NAN, pos_nan = NAN;
    ir_value *a = ir_insert_constant(g, cv_float(neg_nan), NULL, 0, 0);
    ir_value *b = ir_insert_constant(g, cv_float(pos_nan), NULL, 0, 0);
    cts_err err = {0};
    cv_value s;
    CHECK(cv_str_new("A\xc3\xa9\x01\x7f", 5, &s, &err) == 0);
    ir_value *c = ir_insert_constant(g, s, NULL, 0, 0);
    cv_release(s);
    ir_block_register_output(g->block, a);
    cts_strbuf sb;
    cts_sb_init(&sb);
    ir_print_graph(g, &sb, false);
    char want[512];
    snprintf(want, sizeof want,
             "graph():\n  %%%d : float = prim::Constant[value=-nan]()\n  %%%d : float = prim::Constant[value=nan]()\n"
             "  %%%d : str = prim::Constant[value=\"A\\0)+\\/.)\\001\\177\"]()\n  return (%%%d)\n",
             a->id, b->id, c->id, a->id);
    CHECK_STR(cts_sb_str(&sb), want);
    cts_sb_free(&sb);
    ir_graph_free(g);
}

int main(void) {
    RUN(test_name_taken_renames_previous_owner_with_odd_suffixes);
    RUN(test_name_with_numeric_suffix_keeps_its_base);
    RUN(test_freed_value_releases_its_name);
    RUN(test_unnamed_values_print_their_ids);
    RUN(test_constant_nan_sign_and_non_ascii_bytes);
    return test_summary();
}
