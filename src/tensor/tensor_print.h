/* tensor_print.h - tensors as text, in PyTorch 1.13's two formats.
 *
 * ct_tensor_repr writes what Python's repr(t) / print(t) shows
 * (torch/_tensor_str.py): `tensor([[0.1000, 0.2000]])`, `tensor(3.)`,
 * `tensor([], size=(0, 3))`, `tensor([1, 2], dtype=torch.int32)`, with the
 * same fixed/scientific/integer choice, column widths, 80-column wrapping,
 * and `...` summaries of tensors over 1000 elements (3 edge items).  CPU
 * only; cts tensors carry no autograd graph, so no `grad_fn=` suffix is ever
 * written and `requires_grad=True` is written only when asked for.
 *
 * ct_tensor_print_cpp writes ATen's C++ `operator<<` format, which
 * TorchScript's str(t), print(t) and "{}".format(t) produce:
 * " 0.1000  0.2000\n[ CPUFloatType{1,2} ]".
 *
 * Both accept any strided view and every cts dtype (half and bfloat16
 * included); a NULL tensor prints as undefined. */
#ifndef CTS_TENSOR_TENSOR_PRINT_H
#define CTS_TENSOR_TENSOR_PRINT_H

#include <stdbool.h>

#include "../core/strbuf.h"
#include "tensor.h"

void ct_tensor_repr(const ct_tensor *t, cts_strbuf *sb);
/* As ct_tensor_repr, adding Python's `requires_grad=True` suffix when
 * show_requires_grad and t->requires_grad. */
void ct_tensor_repr_ex(const ct_tensor *t, bool show_requires_grad, cts_strbuf *sb);

void ct_tensor_print_cpp(const ct_tensor *t, cts_strbuf *sb);

#endif
