/* interp_trace.h - the interpreter's tracing hooks (trace_module.c): while
 * the call state carries a trace frame, exec_code reports what each
 * instruction did.  Registers are the frame's; `ins` is the instruction. */
#ifndef CTS_RUNTIME_INTERP_TRACE_H
#define CTS_RUNTIME_INTERP_TRACE_H

#include "interp.h"
#include "trace.h"

typedef struct cts_trace_frame cts_trace_frame;
typedef struct cts_module_trace cts_module_trace;

/* An operator ran: in (the arguments) gave outs. */
void cts_trace_kernel(cts_trace_frame *f, const cts_instr *ins, const cv_value *in, const cv_value *outs);
/* obj.attr read into the output register. */
void cts_trace_getattr(cts_trace_frame *f, const cts_instr *ins, cv_value obj, cv_value v);
/* R[dst] := R[src] (or a constant when src < 0). */
void cts_trace_move(cts_trace_frame *f, int dst, int src);
/* The instruction's outputs are not traced values. */
void cts_trace_forget(cts_trace_frame *f, const cts_instr *ins);
/* A list or tuple was built from the instruction's inputs. */
void cts_trace_construct(cts_trace_frame *f, const cts_instr *ins, cv_value made);
/* A list or tuple was unpacked into the outputs. */
void cts_trace_unpack(cts_trace_frame *f, const cts_instr *ins, cv_value from, const cv_value *outs);
/* t[idx] of a tuple into the output. */
void cts_trace_tuple_index(cts_trace_frame *f, const cts_instr *ins, cv_value tup, cv_value idx, cv_value v);
/* Frees a frame cts_trace_call_begin made (the call failed). */
void cts_trace_frame_free(cts_trace_frame *f);
/* Around OP_CALL: begin returns the frame that traces the callee (a
 * module's method not traced yet), or NULL (the callee runs untraced);
 * end records the call in the caller's graph and frees `child`. */
cts_trace_frame *cts_trace_call_begin(cts_trace_frame *f, const cts_instr *ins, const cv_value *in, int nin);
void cts_trace_call_end(cts_trace_frame *f, cts_trace_frame *child, const cts_instr *ins, const cv_value *in, int nin,
                        cv_value result);

/* Eager code (cts exec) recording into tracer t: fn (lowered) runs with
 * cts_trace_eager_frame(e) as its call state's trace; the operators it runs,
 * and those of the free functions it calls, are recorded into t.  end
 * reports a recording failure (out of memory) and frees e. */
typedef struct cts_eager_trace cts_eager_trace;
cts_eager_trace *cts_trace_eager_begin(cts_tracer *t, cts_cu *cu, const ir_function *fn, const cv_value *args,
                                       int nargs, cts_err *err);
cts_trace_frame *cts_trace_eager_frame(cts_eager_trace *e);
int cts_trace_eager_end(cts_eager_trace *e, cts_err *err);

#endif
