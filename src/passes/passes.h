/* passes.h - graph passes.  Each takes a graph and leaves a valid graph.
 *
 * The compiler runs, after emitting a function, the same sequence as
 * PyTorch's ir_emitter: ConvertToSSA (with loop-condition inlining and
 * exit transforms), then the cleanup passes (tuple lowering, constant
 * propagation over immutable types, constant pooling, output
 * canonicalization, dead code elimination). */
#ifndef CTS_PASSES_PASSES_H
#define CTS_PASSES_PASSES_H

#include "../core/error.h"
#include "../ir/ir.h"

int cts_pass_convert_to_ssa(ir_graph *g, cts_err *err);
void cts_pass_transform_exits(ir_graph *g);
/* Loops with a trip count and a condition become while loops with an
 * explicit counter.  schemas: aten::gt.int, aten::__and__.bool,
 * aten::add.int, aten::lt.int (parsed by the caller). */
void cts_pass_canonicalize_modified_loops(ir_graph *g, const cts_schema *const *schemas);
int cts_pass_cleanup(ir_graph *g, cts_err *err);

void cts_pass_lower_simple_tuples(ir_graph *g);
/* Constant propagation on nodes whose inputs and outputs are immutable
 * (int, float, bool, str, None, Device, tuples of them); folds prim::If on
 * constant conditions and removes loops that never run. */
int cts_pass_constant_prop_immutable(ir_graph *g, cts_err *err);
void cts_pass_constant_pooling(ir_graph *g);
void cts_pass_canonicalize_outputs(ir_graph *g);
void cts_pass_dce(ir_graph *g);

/* Whether a node must be kept even when its outputs are unused. */
bool cts_node_has_side_effects(const ir_node *n);

#endif
