/* conv_direct.h - direct convolution on channels-last data with weights
 * prepacked once (float32, 2-D, not transposed).
 *
 * The kernel computes a tile of MR output pixels (along a row) by NR output
 * channels in registers, summing over every tap and input channel: per
 * input channel one NR-wide load of the packed weight and MR broadcasts of
 * the input.  The input is read channels-last (NHWC) from a zero-padded copy
 * made per call, so strides, dilation and padding are only address
 * arithmetic; the tile is written back to the NCHW output with the bias.
 * Tiles: AVX-512 14x32, AVX2 6x16, "AVX2 wide" 14x32 (for tests of the
 * AVX-512 blocking), portable C 4x16.
 *
 * Packed weight layout (float, 64-byte aligned), for group g, output
 * channel block kb (NR channels of the group, zero past K/G), tap t =
 * ki*kw + kj, input channel c of the group:
 *   data[(((g*KB + kb)*taps + t)*Cg + c)*NR + j] = w[g*Kg + kb*NR + j][c][ki][kj]
 *
 * conv.c uses it when cts_conv_direct_suits() says so; packings are cached
 * on the weight's storage (tensor.h's derived-data cache, as gemm.h does
 * for linear weights) and made at load for the convolutions a module's
 * code calls with its own weights (ops/prepack), so no call packs. */
#ifndef CTS_OPS_CONV_DIRECT_H
#define CTS_OPS_CONV_DIRECT_H

#include "../core/error.h"
#include "../tensor/tensor.h"
#include "act.h"
#include "gemm.h"

typedef struct cts_pool cts_pool;

/* One convolution on contiguous NCHW data (2-D, after 1-D views).  ph, pw
 * pad the start; the end padding is whatever OH, OW imply. */
typedef struct conv_prob {
    int64_t N, C, H, W;          /* input */
    int64_t K, kh, kw;           /* output channels, kernel */
    int64_t OH, OW;
    int64_t sh, sw, ph, pw, dh, dw;
    int64_t G;                   /* groups */
} conv_prob;

typedef struct cts_conv_packed cts_conv_packed;

/* Whether the direct kernel is cts's choice for a weight [K, C/G, kh, kw]
 * with G groups: spatial kernels (not 1x1, which is a GEMM on the input as
 * it lies), groups of at least 8 output channels, not depthwise. */
bool cts_conv_direct_suits(int64_t K, int64_t Cg, int64_t kh, int64_t kw, int64_t G);

/* Packs a contiguous float32 weight [K, Cg, kh, kw] for the kernel `kind`
 * (CTS_GEMM_AUTO: this machine's).  NULL with err on out of memory. */
cts_conv_packed *cts_conv_pack(cts_gemm_kernel kind, const float *w, int64_t K, int64_t Cg, int64_t kh, int64_t kw,
                               int64_t G, cts_err *err);
void cts_conv_packed_free(cts_conv_packed *p);

/* The cached packing of a contiguous float32 4-D weight for G groups, made
 * now when absent and `create`; NULL when there is none to use (not
 * suitable, cache full, out of memory).  Borrowed: valid while w's storage
 * lives.  Staleness as cts_gemm_cached_b. */
const cts_conv_packed *cts_conv_cached_weight(const ct_tensor *w, int64_t G, bool create);
/* Packings made by cts_conv_cached_weight in this process (for tests). */
int64_t cts_conv_cache_packings(void);

/* What is done to each output as it is written (cts::conv_act): the
 * residual (NULL: none; y's shape, contiguous) is added after the bias,
 * the value clamped to [lo, hi] (NaN stays NaN), and `act` (NULL: none)
 * applied to each run of outputs once written (act.h). */
typedef struct conv_epi {
    const float *res;
    float lo, hi;
    cts_act_fn act;
} conv_epi;

/* The activation over a run of n outputs, a last partial vector through a
 * padded copy (the activations' loops are vectorized eight at a time and
 * their scalar tails cost several times as much per value: rows of 7 and
 * 14 are common). */
static inline void conv_epi_act(const conv_epi *e, float *y, int64_t n) {
    int64_t body = n & ~(int64_t)7;
    if (body) e->act(y, body);
    if (body == n) return;
    float t[8] = {0};
    for (int64_t i = body; i < n; i++) t[i - body] = y[i];
    e->act(t, 8);
    for (int64_t i = body; i < n; i++) y[i] = t[i - body];
}

/* One output value through the epilogue (res: its residual, or NULL). */
static inline float conv_epi_apply(const conv_epi *e, float v, const float *res) {
    if (res) v += *res;
    if (v < e->lo) v = e->lo;
    if (v > e->hi) v = e->hi;
    return v;
}

/* y [N, K, OH, OW] = epilogue(conv(x [N, C, H, W], packed weight) + bias),
 * bias and epi NULL for none, all contiguous.  p must match the packing (K, C/G, kh, kw, G).  Returns
 * -1 with err on out of memory or a mismatched packing. */
int cts_conv_direct(const conv_prob *p, const cts_conv_packed *pk, const float *x, const float *bias,
                    const conv_epi *epi, float *y, cts_pool *pool, cts_err *err);

#endif
