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

/* ---- optimization passes (runtime/optimize.c runs them on an execution
 * copy of a loaded module's methods; each returns how many changes it made,
 * or -1 with err) ---- */

typedef struct cts_cu cts_cu;
typedef struct ir_function ir_function;
typedef struct ct_tensor ct_tensor;

/* Calls of known functions and class-typed methods replaced by the callee's
 * (inlined) body; calls back into self_fn (the graph's own function, may
 * be NULL) or into a function being inlined stay calls. */
int cts_pass_inline(ir_graph *g, cts_cu *cu, ir_function *self_fn, cts_err *err);
/* Attribute reads on self (the value of the graph's first input) and on
 * objects reached from it become constants, unless some SetAttr in g or in
 * cu's functions writes that attribute. */
int cts_pass_freeze(ir_graph *g, cv_value self, cts_cu *cu);
/* dropout (all variants) with train=False: replaced by its input. */
int cts_pass_remove_eval_noops(ir_graph *g);
/* Evaluation-mode batch_norm folded into the preceding convolution.  hooks
 * (may be NULL): `written` says a tensor may be changed in place outside
 * g (another method of the module): it is not folded; `release` hears of
 * each original weight once its folded copy is made (the runtime gives
 * back its pages: runtime/import.c). */
typedef struct cts_fold_hooks {
    void (*release)(void *ctx, const ct_tensor *original);
    bool (*written)(void *ctx, const ct_tensor *t);
    void *ctx;
} cts_fold_hooks;
int cts_pass_fold_batch_norm(ir_graph *g, const cts_fold_hooks *hooks);
/* Convolution + in-place residual add + relu/relu6/hardtanh/clamp or
 * hardswish/hardsigmoid -> cts::conv_act. */
int cts_pass_fuse_conv(ir_graph *g, cts_cu *cu);
/* Common subexpression elimination over pure nodes. */
int cts_pass_cse(ir_graph *g);

/* May-alias analysis: which values may be changed in place (mutation.c). */
typedef struct cts_mutation cts_mutation;
cts_mutation *cts_mutation_analyze(const ir_graph *g); /* NULL: out of memory */
/* True when v may be written in place (or is unknown to the analysis). */
bool cts_mutation_may_change(cts_mutation *m, const ir_value *v);
void cts_mutation_free(cts_mutation *m);

/* Helpers shared by the passes (pass_util.c). */
/* An operator node (with a schema) of one of the kinds ("aten::relu"). */
bool cts_pass_kind_in(const ir_node *n, const char *const *kinds, size_t nk);
bool cts_pass_kind_is(const ir_node *n, const char *kind);
ct_tensor *cts_pass_const_tensor(const ir_value *v);
bool cts_pass_const_none(const ir_value *v);
bool cts_pass_const_bool(const ir_value *v, bool *out);
bool cts_pass_const_number(const ir_value *v, double *out);
/* A non-transposed convolution node (aten::_convolution, convolution, conv1d/2d/3d). */
bool cts_pass_is_conv(const ir_node *n);
/* The one node that reads v's values (v as its first input), other uses
 * reading only its shape (aten::dim, size, numel, ...); NULL otherwise. */
ir_node *cts_pass_sole_value_use(const ir_value *v);
/* Whether values of type t can change in place (lists, dicts, objects but
 * enums, Any...; tensors when `tensors`). */
bool cts_pass_mutable_type(const cts_type *t, bool tensors);
/* Whether n may write anything: an op with a `(a!)` argument or without a
 * schema or with cts_pass_hidden_writes, a call, SetAttr, or such a node in
 * its blocks. */
bool cts_pass_may_write(const ir_node *n);
/* An op that writes arguments its schema does not mark (training batch norm). */
bool cts_pass_hidden_writes(const ir_node *n);

#endif
