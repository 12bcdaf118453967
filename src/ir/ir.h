/* ir.h - the graph IR: typed SSA values, nodes and nested blocks.
 *
 * The shape is PyTorch's (torch/csrc/jit/ir/ir.h) because cts prints the same
 * graphs and its compiler replays the same construction steps:
 *   - a graph has one top block; a node may own blocks (prim::If has two,
 *     prim::Loop one after SSA conversion);
 *   - a block's inputs are the outputs of its param node and its outputs
 *     the inputs of its return node; the node list runs param -> ... -> return;
 *   - every value has a type, an optional unique debug name and a use list;
 *   - nodes are inserted at the graph's insert point (before a node).
 *
 * Debug names follow Value::setDebugName exactly (see ir_set_name): names
 * are unique per graph, and a name taken from an earlier value renames that
 * value to base.N, which is why graphs print %x.1, %x.3 and %x.
 *
 * Nodes and values are malloc'd and freed when destroyed; all kinds and
 * names are interned or owned.  A graph is single-threaded while built and
 * immutable once a function is finished. */
#ifndef CTS_IR_IR_H
#define CTS_IR_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "../compiler/source.h"
#include "../core/hashmap.h"
#include "../core/strbuf.h"
#include "../value/schema.h"
#include "../value/type.h"
#include "../value/value.h"

/* Node kinds the compiler, passes and interpreter switch on; everything
 * else (aten:: and other operator calls) is K_OP with a schema. */
#define IR_KINDS(X)                                             \
    X(K_OP,                 NULL)                               \
    X(K_PARAM,              "prim::Param")                      \
    X(K_RETURN,             "prim::Return")                     \
    X(K_CONSTANT,           "prim::Constant")                   \
    X(K_IF,                 "prim::If")                         \
    X(K_LOOP,               "prim::Loop")                       \
    X(K_STORE,              "prim::Store")                      \
    X(K_LOAD,               "prim::Load")                       \
    X(K_GETATTR,            "prim::GetAttr")                    \
    X(K_SETATTR,            "prim::SetAttr")                    \
    X(K_CALLMETHOD,         "prim::CallMethod")                 \
    X(K_CALLFUNCTION,       "prim::CallFunction")               \
    X(K_LISTCONSTRUCT,      "prim::ListConstruct")              \
    X(K_LISTUNPACK,         "prim::ListUnpack")                 \
    X(K_TUPLECONSTRUCT,     "prim::TupleConstruct")             \
    X(K_TUPLEUNPACK,        "prim::TupleUnpack")                \
    X(K_TUPLEINDEX,         "prim::TupleIndex")                 \
    X(K_TUPLESLICE,         "prim::TupleSlice")                 \
    X(K_DICTCONSTRUCT,      "prim::DictConstruct")              \
    X(K_RAISE,              "prim::RaiseException")             \
    X(K_UNCHECKEDCAST,      "prim::unchecked_cast")             \
    X(K_UNINITIALIZED,      "prim::Uninitialized")              \
    X(K_RETURNSTMT,         "prim::ReturnStmt")                 \
    X(K_BREAKSTMT,          "prim::BreakStmt")                  \
    X(K_CONTINUESTMT,       "prim::ContinueStmt")               \
    X(K_LOOPCONTINUATION,   "prim::LoopContinuation")           \
    X(K_COMPREHENSIONSCOPE, "prim::ComprehensionScope")         \
    X(K_ISINSTANCE,         "prim::isinstance")                 \
    X(K_CREATEOBJECT,       "prim::CreateObject")               \
    X(K_PRINT,              "prim::Print")                      \
    X(K_ENTER,              "prim::Enter")                      \
    X(K_EXIT,               "prim::Exit")                       \
    X(K_CLOSURE,            "prim::Closure")                    \
    X(K_NUMTOTENSOR,        "prim::NumToTensor")                \
    X(K_TOLIST,             "prim::tolist")

typedef enum ir_kind {
#define X(e, s) e,
    IR_KINDS(X)
#undef X
    K__COUNT
} ir_kind;

typedef struct ir_graph ir_graph;
typedef struct ir_block ir_block;
typedef struct ir_node ir_node;
typedef struct ir_value ir_value;

typedef struct ir_use {
    ir_node *user;
    int offset;
} ir_use;

struct ir_value {
    ir_node *node;     /* defining node (the param node for block inputs) */
    int offset;        /* index among the node's outputs */
    cts_type *type;    /* owned reference */
    const char *name;  /* unique debug name (interned), or NULL */
    int id;            /* unique per graph, printed when there is no name */
    ir_use *uses;
    int nuses, cap_uses;
};

struct ir_node {
    const char *kind;  /* interned "aten::add" */
    ir_kind k;
    ir_graph *graph;
    ir_block *owner;
    ir_node *prev, *next;
    ir_value **inputs;
    int ninputs, cap_inputs;
    ir_value **outputs;
    int noutputs, cap_outputs;
    ir_block **blocks;
    int nblocks, cap_blocks;
    /* attributes */
    bool has_value;        /* prim::Constant with a value (None has none) */
    cv_value value;        /* owned */
    const char *attr_name; /* name= of GetAttr/SetAttr/CallMethod/Store/Load (interned) */
    cts_type **types;      /* types= of prim::isinstance (owned) */
    int ntypes;
    const cts_schema *schema; /* matched operator schema (owned by the compilation unit) */
    void *fn;              /* prim::CallFunction / function constants: the callee */
    int warn_id;
    bool empty_list_literal;  /* `[]` with no type hint: converts to any list type when matched */
    /* source range for `# file:line:col` comments and errors */
    const cts_source *src;
    uint32_t src_start, src_end;
};

struct ir_block {
    ir_graph *graph;
    ir_node *owning_node;  /* NULL for the top block */
    ir_node *param, *ret;  /* sentinels: param->next is the first node */
};

struct ir_graph {
    ir_block *block;
    ir_node *insert_before; /* insertion point: new nodes go before it */
    cts_map names;          /* unique debug name -> ir_value* */
    cts_map suffixes;       /* name base -> next suffix (stored as intptr) */
    cts_map interned;       /* kind and attribute strings */
    int next_value_id;
    void *oom_jmp;          /* jmp_buf* of the compiler entry, or NULL */
};

ir_graph *ir_graph_new(void);
void ir_graph_free(ir_graph *g);
const char *ir_intern(ir_graph *g, const char *s);

ir_kind ir_kind_of(const char *kind);
const char *ir_kind_name(ir_kind k);

/* Creates a detached node with n outputs of type Tensor (set types after). */
ir_node *ir_create(ir_graph *g, const char *kind, int noutputs);
/* Inserts a detached node at the insert point; returns it. */
ir_node *ir_insert(ir_graph *g, ir_node *n);
ir_node *ir_insert_before(ir_node *n, ir_node *before);
ir_node *ir_insert_after(ir_node *n, ir_node *after);
void ir_move_before(ir_node *n, ir_node *before);
void ir_move_after(ir_node *n, ir_node *after);
/* Destroys a node (its outputs must have no uses), with its blocks. */
void ir_destroy(ir_node *n);

ir_value *ir_add_input(ir_node *n, ir_value *v);
void ir_insert_input(ir_node *n, int i, ir_value *v);
void ir_replace_input(ir_node *n, int i, ir_value *v);
void ir_remove_input(ir_node *n, int i);
void ir_remove_all_inputs(ir_node *n);
ir_value *ir_add_output(ir_node *n);
void ir_erase_output(ir_node *n, int i);
ir_block *ir_add_block(ir_node *n);
void ir_erase_block(ir_node *n, int i);

ir_value *ir_block_add_input(ir_block *b, const char *name);
void ir_block_erase_input(ir_block *b, int i);
int ir_block_register_output(ir_block *b, ir_value *v);
void ir_block_erase_output(ir_block *b, int i);
static inline int ir_block_ninputs(const ir_block *b) { return b->param->noutputs; }
static inline ir_value *ir_block_input(const ir_block *b, int i) { return b->param->outputs[i]; }
static inline int ir_block_noutputs(const ir_block *b) { return b->ret->ninputs; }
static inline ir_value *ir_block_output(const ir_block *b, int i) { return b->ret->inputs[i]; }
static inline ir_node *ir_block_first(const ir_block *b) { return b->param->next; }
static inline bool ir_block_empty(const ir_block *b) { return b->param->next == b->ret; }

/* Sets the value's type (retaining t, releasing the old one). */
void ir_set_type(ir_value *v, cts_type *t);
/* PyTorch's Value::setDebugName; "" or NULL clears. */
void ir_set_name(ir_value *v, const char *name);
void ir_replace_all_uses(ir_value *v, ir_value *with);
void ir_replace_all_uses_after(ir_value *v, ir_value *with, ir_node *after);

/* Insertion points. */
static inline void ir_set_insert_before(ir_graph *g, ir_node *n) { g->insert_before = n; }
static inline void ir_set_insert_end(ir_graph *g, ir_block *b) { g->insert_before = b->ret; }
static inline ir_block *ir_insert_block(ir_graph *g) { return g->insert_before->owner; }

/* Constant helpers: new prim::Constant node inserted at the insert point. */
ir_value *ir_insert_constant(ir_graph *g, cv_value v, const cts_source *src, uint32_t start, uint32_t end);
ir_value *ir_insert_none(ir_graph *g);

/* Node order: true if a comes before b (same block, or via ancestors). */
bool ir_is_before(const ir_node *a, const ir_node *b);
ir_node *ir_node_in_block(ir_node *n, ir_block *b); /* ancestor of n in b, or NULL */

/* Printing in PyTorch's `print(graph)` format (source comments omitted
 * unless with_source). */
void ir_print_graph(const ir_graph *g, cts_strbuf *sb, bool with_source);
void ir_print_value_name(const ir_value *v, cts_strbuf *sb);

/* Out of memory while building: longjmps to g->oom_jmp when set (the
 * compiler entry point frees the graph there), otherwise aborts: a small
 * allocation failing outside the compiler has no way to recover. */
_Noreturn void ir_oom(ir_graph *g);



/* Copies src's inputs, nodes and outputs into the empty block dst (values
 * defined outside src are used as they are; names are copied, which
 * renames earlier owners exactly as PyTorch's cloneFrom does). */
void ir_block_clone_from(ir_block *dst, ir_block *src);
/* Inlines callee's graph at g's insert point with its inputs bound to
 * `inputs` (PyTorch's insertGraph); returns the value of its output. */
ir_value *ir_insert_graph(ir_graph *g, const ir_graph *callee, ir_value *const *inputs);
#endif
