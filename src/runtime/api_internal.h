/* api_internal.h - what the public API's files (api.c, api_ops.c) share. */
#ifndef CTS_RUNTIME_API_INTERNAL_H
#define CTS_RUNTIME_API_INTERNAL_H

#include "../tensor/tensor.h"
#include "cts.h"
#include "module.h"

struct cts_module {
    cts_rt_module *m;
};

struct cts_value {
    cv_value v;
    int64_t shape[CT_MAX_DIMS]; /* cached for cts_tensor_shape */
};

void cts_api_set_err(cts_error *out, const cts_err *e);
void cts_api_clear_err(cts_error *out);
/* The handle of a runtime module (NULL: the error e, or out of memory, is
 * reported into err; rm is freed then). */
cts_module *cts_api_module(cts_rt_module *rm, cts_err *e, cts_error *err);
/* A new handle owning v (released on failure: NULL). */
cts_value *cts_api_wrap(cv_value v);

#endif
