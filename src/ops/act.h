/* act.h - activations applied in place to float32 runs, for fused epilogues.
 *
 * cts::conv_act (conv.c) applies the activation that followed a
 * convolution to each run of outputs as the kernel writes it, while the run
 * is in cache; the functions are pointwise.c's own loops (the vectorized
 * ones where the CPU has AVX2), so the fused result is the unfused one's. */
#ifndef CTS_OPS_ACT_H
#define CTS_OPS_ACT_H

#include <stdint.h>

/* The activation codes of cts::conv_act's `act` argument. */
typedef enum cts_act {
    CTS_ACT_NONE = 0,    /* only the clamp [min, max] (relu, relu6, hardtanh, clamp) */
    CTS_ACT_HARDSWISH,
    CTS_ACT_HARDSIGMOID,
    CTS_ACT__COUNT
} cts_act;

typedef void (*cts_act_fn)(float *y, int64_t n);

/* y[0..n) = act(y[0..n)); NULL for CTS_ACT_NONE or an unknown code.
 * (silu and sigmoid are not among them: fused so, efficientnet_b0 ran
 * slower than with them as separate ops, 45 against 37 ms, for a reason
 * not found yet.) */
cts_act_fn cts_act_f32(int act);
/* The in-place PyTorch op of an activation ("aten::silu_"), or NULL. */
const char *cts_act_inplace_op(int act);

#endif
