/* complex_tensor.h - how the interpreter keeps complex tensors away from
 * kernels that do not know them (see complex_tensor.c). */
#ifndef CTS_OPS_COMPLEX_TENSOR_H
#define CTS_OPS_COMPLEX_TENSOR_H

#include <stdbool.h>

#include "../value/schema.h"
#include "op.h"

/* At load time: whether calls of the operator `key` ("name.overload") with
 * schema s must be checked for complex tensor inputs; *variant gets the
 * complex kernel to run instead, or NULL (such calls are errors). */
bool cts_complex_guard(const cts_schema *s, const char *key, cts_kernel_fn *variant);
/* At run time: whether a tensor (or a tensor of a Tensor[]) in args is complex. */
bool cts_has_complex_tensor(const cv_value *args, int n);

#endif
