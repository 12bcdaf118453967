/* function.h - a compiled (or pending) TorchScript function.
 *
 * Methods and free functions alike: the schema is known as soon as the
 * signature is parsed (callers need it before the callee's body compiles,
 * which is also how recursion between methods works); the graph appears
 * when the body is compiled.  The runtime attaches its executable code. */
#ifndef CTS_IR_FUNCTION_H
#define CTS_IR_FUNCTION_H

#include "../compiler/ast.h"
#include "ir.h"

typedef enum ir_fn_state { FN_PENDING, FN_COMPILING, FN_DONE, FN_FAILED } ir_fn_state;

typedef struct ir_function {
    char *qualname;          /* "__torch__.MyCell.forward" */
    char *name;              /* "forward" */
    cts_schema *schema;      /* arguments (self included for methods) and returns; NULL until known */
    ir_graph *graph;         /* the compiled graph, NULL until FN_DONE */
    cts_type *owner;         /* class of a method (borrowed: the class owns its methods) */
    const ast *def;          /* the S_DEF node (lives in the compilation unit's arena) */
    const cts_source *src;
    ir_fn_state state;
    void *exec;              /* runtime code (owned by the runtime) */
    void (*exec_free)(void *exec);
} ir_function;

void ir_function_free(ir_function *f);

#endif
