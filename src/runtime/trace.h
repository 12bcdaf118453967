/* trace.h - recording the operators a computation runs into a graph, as
 * torch.jit.trace does: control flow is erased (only the operators that
 * ran are recorded, in order); a tensor the recording has seen is the
 * value that made it, any other tensor becomes a constant; every argument
 * that is not a traced value (ints, floats, lists of ints, ...) is a
 * constant, except values an operator returned while recording (sizes from
 * aten::size stay aten::size, so the graph follows other input shapes).
 *
 *   cts_tracer *t = cts_tracer_new(cu, err);
 *   cts_tracer_input(t, x, "x", err);            // each example input
 *   ... cts_tracer_op(t, schema, in, nin, out, nout, err) per operator ...
 *   ir_graph *g = cts_tracer_finish(t, result, err);   // self + inputs -> result
 *
 * Recording from the public op API (cts_op_call) goes to the calling
 * thread's current tracer (cts_tracer_current). */
#ifndef CTS_RUNTIME_TRACE_H
#define CTS_RUNTIME_TRACE_H

#include "../compiler/cu.h"
#include "../value/value.h"

typedef struct cts_tracer cts_tracer;

/* A tracer whose graph's first input is `self` of type self_type (a module
 * class; it may be NULL and set later by cts_tracer_set_self_type). Schemas
 * recorded must live as long as cu (cts_cu_schema). */
cts_tracer *cts_tracer_new(cts_cu *cu, cts_type *self_type, cts_err *err);
void cts_tracer_free(cts_tracer *t);
void cts_tracer_set_self_type(cts_tracer *t, cts_type *self_type);

/* Adds a graph input for an example input: a tensor, or a tuple or list of
 * them (unpacked in the graph as PyTorch does).  name: its debug name. */
int cts_tracer_input(cts_tracer *t, cv_value v, const char *name, cts_err *err);
/* Records one operator call that has run: its schema, the arguments it got
 * (schema order, defaults filled) and the values it returned. */
int cts_tracer_op(cts_tracer *t, const cts_schema *s, const cv_value *in, int nin, const cv_value *out, int nout,
                  cts_err *err);
/* The graph: inputs (self, then the example inputs), the recorded nodes,
 * and `result` (a tensor, or tuples/lists of tensors) as the output.  The
 * caller owns the graph; the tracer is spent. */
ir_graph *cts_tracer_finish(cts_tracer *t, cv_value result, cts_err *err);

/* cts_tracer_op with keys: in_keys[i] / out_keys[i] (either array may be
 * NULL, entries NULL) identify non-tensor values across calls (an API
 * handle); a consumer passing the key a producer gave gets its value. */
int cts_tracer_op_keyed(cts_tracer *t, const cts_schema *s, const cv_value *in, const void *const *in_keys, int nin,
                        const cv_value *out, const void *const *out_keys, int nout, cts_err *err);
/* A list built from values that may be traced (item_keys as above; NULL
 * entries: by identity): recorded as prim::ListConstruct under `key` when
 * an item is traced, else nothing (the list is a constant where used). */
int cts_tracer_list(cts_tracer *t, cv_value list, const void *const *item_keys, const void *key, cts_err *err);
/* The general form: a node of `kind` (schema s, may be NULL) over the
 * arguments' values, with outputs of out_types (NULL, or NULL entries: the
 * schema's or the value's type); the caller may set attributes on it
 * (attr_name, fn).  NULL on out of memory. */
ir_node *cts_tracer_node(cts_tracer *t, const char *kind, const cts_schema *s, const cv_value *in,
                         const void *const *in_keys, int nin, const cv_value *out, const void *const *out_keys,
                         cts_type *const *out_types, int nout, cts_err *err);
/* Constants as PyTorch's tracer records Python values (on): one per use,
 * inserted where it is used, lists of numbers as a ListConstruct of item
 * constants; off (the default): pooled at the start of the graph. */
void cts_tracer_set_inline_constants(cts_tracer *t, bool on);
/* The graph value a traced tensor, list or tuple is, or NULL. */
ir_value *cts_tracer_value(cts_tracer *t, cv_value v);
/* Whether v (or key) is a traced value. */
bool cts_tracer_knows(cts_tracer *t, cv_value v, const void *key);
/* dst_key now names what src_key names (nothing, if src_key names nothing). */
void cts_tracer_alias(cts_tracer *t, const void *dst_key, const void *src_key);
/* key names the graph's self input. */
void cts_tracer_map_self(cts_tracer *t, const void *key);
ir_graph *cts_tracer_graph(cts_tracer *t);
/* The key's value is gone (its handle was freed). */
void cts_tracer_forget(cts_tracer *t, const void *key);

/* The calling thread's current tracer (NULL: not tracing). */
cts_tracer *cts_tracer_current(void);
void cts_tracer_set_current(cts_tracer *t);

/* A module of class `qualname` (defined in cu, a module with `training`)
 * whose forward is the traced graph g (self first), lowered and ready to
 * run.  It takes g; on success the module owns cu too, on failure the
 * caller keeps cu. */
typedef struct cts_rt_module cts_rt_module;
cts_rt_module *cts_rt_traced_module(cts_cu *cu, ir_graph *g, const char *qualname, cts_err *err);

#endif
