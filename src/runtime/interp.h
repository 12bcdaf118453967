/* interp.h - linear register code and its interpreter.
 *
 * A compiled function's graph is lowered once to a flat instruction array
 * over numbered registers (one per graph value) and a constant pool; If and
 * Loop become jumps.  A call allocates its own register frame, so any number
 * of threads can run the same code at once; the code itself is immutable.
 *
 * Operands: r >= 0 is register r; r < 0 is constant -1-r of the pool. */
#ifndef CTS_RUNTIME_INTERP_H
#define CTS_RUNTIME_INTERP_H

#include "../compiler/cu.h"
#include "../ops/op.h"

/* Instruction set.  Semantics in the comment: R[x] is a register, V(x) an
 * operand (register or constant). */
#define CTS_OPCODES(X)                                                                  \
    X(OP_KERNEL,      "R[out...] := kernel(V(in...))")                                   \
    X(OP_MOVE,        "R[a] := V(b)")                                                    \
    X(OP_JUMP,        "pc := a")                                                         \
    X(OP_JUMP_FALSE,  "if not V(a): pc := b")                                            \
    X(OP_LOOP_TEST,   "R[a] (counter) < V(b) (trip) and V(c) (cond) else pc := d")       \
    X(OP_INC,         "R[a] := R[a] + 1")                                                \
    X(OP_CALL,        "R[out] := fn(V(in...))")                                          \
    X(OP_CALL_METHOD, "R[out] := method a of V(in0)(V(in...))")                          \
    X(OP_GETATTR,     "R[out] := V(in0).slot[a]")                                        \
    X(OP_SETATTR,     "V(in0).slot[a] := V(in1)")                                        \
    X(OP_LIST,        "R[out] := [V(in...)] with element type t")                        \
    X(OP_LIST_UNPACK, "R[out...] := V(in0) (exactly n items)")                           \
    X(OP_TUPLE,       "R[out] := (V(in...)) with type t")                                \
    X(OP_TUPLE_UNPACK, "R[out...] := V(in0)")                                            \
    X(OP_TUPLE_INDEX, "R[out] := V(in0)[V(in1)]")                                        \
    X(OP_TUPLE_SLICE, "R[out] := V(in0)[V(in1):V(in2)]")                                 \
    X(OP_DICT,        "R[out] := {V(in0): V(in1), ...} with types t")                    \
    X(OP_RAISE,       "raise V(in0) (message), V(in1) (class or None)")                  \
    X(OP_PRINT,       "print V(in...)")                                                  \
    X(OP_ISINSTANCE,  "R[out] := V(in0) is one of types")                                \
    X(OP_CREATE,      "R[out] := new object of class t")                                 \
    X(OP_UNINIT,      "R[out] := uninitialized")                                         \
    X(OP_DROP,        "R[in...] := None (values past their last use)")                   \
    X(OP_RETURN,      "return V(in0)")

typedef enum cts_opcode {
#define X(e, doc) e,
    CTS_OPCODES(X)
#undef X
    OP__COUNT
} cts_opcode;

typedef struct cts_instr {
    cts_opcode op;
    int a, b, c, d;
    int nin, nout;
    int *in, *out;          /* operand lists (owned by the code) */
    cts_kernel_fn fn;        /* OP_KERNEL */
    bool guard_complex;      /* OP_KERNEL: complex tensor inputs go to cfn, or are an error */
    cts_kernel_fn cfn;       /* OP_KERNEL: the complex variant (ops/complex_tensor.c), or NULL */
    bool writes;             /* OP_KERNEL: the schema writes an argument (`Tensor(a!)`) */
    ir_function *callee;     /* OP_CALL / OP_CALL_METHOD */
    cts_type *type;          /* OP_LIST / OP_TUPLE / OP_DICT (elem/key) / OP_CREATE */
    cts_type *type2;         /* OP_DICT value type */
    cts_type **types;        /* OP_ISINSTANCE */
    int ntypes;
    const ir_node *node;     /* for error messages */
    int *drop;               /* registers to release after the instruction */
    int ndrop;
} cts_instr;

typedef struct cts_code {
    cts_instr *code;
    int ncode, cap_code;
    cv_value *consts;
    int nconsts, cap_consts;
    int nregs;
    int nparams;             /* registers 0..nparams-1 hold the arguments */
    ir_function *fn;
} cts_code;

/* Lowers fn (compiling it first if needed) and every function it calls. */
int cts_lower_function(cts_cu *cu, ir_function *fn, cts_err *err);
/* Runs fn on borrowed args (self first for methods); *out receives a new
 * reference.  Thread-safe for lowered functions. */
int cts_run_function(ir_function *fn, const cv_value *args, int nargs, cv_value *out, cts_kctx *k);
const char *cts_opcode_name(cts_opcode op);

#endif
