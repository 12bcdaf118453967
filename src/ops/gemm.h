/* gemm.h - matrix multiply kernels: a fast SGEMM and simple f64/i64 loops.
 *
 *   C[M,N] = alpha * op(A)[M,K] . op(B)[K,N] + beta * C  (+ bias_n[j] + bias_m[i], clamped)
 *
 * SGEMM is a GotoBLAS/BLIS loop nest: B is packed into KC x NR panels, A into
 * MR x KC panels, and a register-tiled microkernel computes MR x NR tiles of
 * C (AVX-512: 14x32, AVX2+FMA: 6x16, portable C: 4x16).  The path is chosen
 * once per process from cpuid (core/cpu.h).  Matrices are row-major with
 * arbitrary row strides (lda/ldb/ldc, in elements; a zero stride repeats a
 * row, which broadcast views use); trans_a/trans_b read A/B as stored
 * transposed.
 *
 * Weight prepacking: cts_gemm_pack_b() packs a constant B once into the
 * panel layout; calls that pass it as `packed_b` skip B packing.  A packed B
 * is immutable and may be shared by any number of threads.
 * cts_gemm_cached_b() keeps such a packing on the weight's storage, made on
 * first use (linear, mm, addmm, matmul with a loaded module's weight).
 *
 * The epilogue is fused into the microkernel's store: scaling by alpha and
 * beta, a per-column bias (linear's bias), a per-row bias (a convolution's
 * bias in the NCHW formulation) and a clamp (relu, relu6, hardtanh).  beta
 * == 0 means C is not read.
 *
 * Threading: with a pool, the C matrix is cut into whole MR/NR tiles along N
 * or M (whichever duplicates less packing); work under CTS_POOL_MIN_FLOPS
 * stays serial.  Batched calls run items in parallel when each is small. */
#ifndef CTS_OPS_GEMM_H
#define CTS_OPS_GEMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/cpu.h"
#include "../core/error.h"
#include "../core/pool.h"
#include "../tensor/tensor.h"

/* Which microkernel a call uses.  AUTO is the process's cts_cpu_isa().
 * CTS_GEMM_AVX2_WIDE runs AVX2 code on the AVX-512 blocking (14x32 tiles,
 * each 16-lane vector emulated by two 8-lane ones): it exists so that the
 * AVX-512 path's blocking, packing and edge handling are tested on machines
 * without AVX-512.  A kernel the CPU cannot run falls back to the best one
 * it can. */
typedef enum cts_gemm_kernel {
    CTS_GEMM_AUTO = 0,
    CTS_GEMM_SCALAR,
    CTS_GEMM_AVX2,
    CTS_GEMM_AVX512,
    CTS_GEMM_AVX2_WIDE,
} cts_gemm_kernel;

typedef struct cts_gemm_packed cts_gemm_packed;

typedef struct cts_sgemm_args {
    int64_t M, N, K;
    const float *A; int64_t lda; bool trans_a;  /* op(A)(i,k) = A[i*lda+k], or A[k*lda+i] if trans_a */
    const float *B; int64_t ldb; bool trans_b;  /* op(B)(k,j) = B[k*ldb+j], or B[j*ldb+k] if trans_b */
    const cts_gemm_packed *packed_b;            /* replaces B/ldb/trans_b when set (K, N must match) */
    float *C; int64_t ldc;
    float alpha;            /* CTS_SGEMM_ARGS_INIT sets 1 */
    float beta;             /* 0: C is write-only */
    const float *bias_n;    /* [N] or NULL: added to every row */
    const float *bias_m;    /* [M] or NULL: added to every column */
    bool clamp;             /* min(max(x, clamp_lo), clamp_hi) after everything else (NaN stays) */
    float clamp_lo, clamp_hi;
    cts_gemm_kernel kernel; /* CTS_GEMM_AUTO unless testing */
} cts_sgemm_args;

#define CTS_SGEMM_ARGS_INIT {.alpha = 1.0f}

/* C = epilogue(alpha * op(A) op(B) + beta * C).  Errors: negative sizes,
 * mismatched packed B, out of memory. */
int cts_sgemm(const cts_sgemm_args *g, cts_pool *pool, cts_err *err);
/* `batch` independent products; item b uses A + b*stride_a, B + b*stride_b
 * (unless packed_b, shared by all items), C + b*stride_c.  Strides may be
 * 0 (a broadcast operand). */
int cts_sgemm_batched(const cts_sgemm_args *g, int64_t batch, int64_t stride_a, int64_t stride_b,
                      int64_t stride_c, cts_pool *pool, cts_err *err);

/* Packs op(B) (K x N) for `kernel`'s panel layout (CTS_GEMM_AUTO normally).
 * Returns a new object owned by the caller, or NULL with err set. */
cts_gemm_packed *cts_gemm_pack_b(int64_t K, int64_t N, const float *B, int64_t ldb, bool trans_b,
                                 cts_gemm_kernel kernel, cts_err *err);
void cts_gemm_packed_free(cts_gemm_packed *p);
int64_t cts_gemm_packed_k(const cts_gemm_packed *p);
int64_t cts_gemm_packed_n(const cts_gemm_packed *p);
size_t cts_gemm_packed_bytes(const cts_gemm_packed *p);

/* Packed-weight cache.  The packed form of a float32 weight is computed on
 * first use and kept on the weight's storage (tensor.h's derived-data
 * cache), so later calls, from any thread, skip B packing.  b is op(B)
 * itself, a 2-D [K, N] view (linear passes weight.t()); the key is the view
 * (offset, sizes, row or column layout and stride) plus the kernel's panel
 * layout, so another view of the same storage never gets a wrong packing.
 * Staleness: an entry belongs to the storage version it was packed at; the
 * interpreter bumps a storage's version after every kernel that writes an
 * argument (schema `Tensor(a!)`), so a weight written in place is packed
 * again.  Writes that bypass the interpreter (a C caller changing a tensor's
 * memory) must call ct_storage_bump_version().
 * Returns the cached packing (borrowed: valid while b's storage lives), or
 * NULL when there is none to use (not float32 2-D row/column-major, cache
 * full, out of memory, or absent and !create); the caller then packs as it
 * goes.  Packing is race-free: two threads may both pack, one copy is kept. */
const cts_gemm_packed *cts_gemm_cached_b(const ct_tensor *b, bool create);
/* Packings made by cts_gemm_cached_b in this process (for tests). */
int64_t cts_gemm_cache_packings(void);

/* The kernel AUTO resolves to in this process, and its register tile. */
cts_gemm_kernel cts_gemm_kernel_auto(void);
const char *cts_gemm_kernel_name(cts_gemm_kernel k);
void cts_gemm_tile(cts_gemm_kernel k, int *mr, int *nr);

/* Double precision, same conventions (no packing, no bias_m/clamp). */
typedef struct cts_dgemm_args {
    int64_t M, N, K;
    const double *A; int64_t lda; bool trans_a;
    const double *B; int64_t ldb; bool trans_b;
    double *C; int64_t ldc;
    double alpha, beta;     /* set both; beta == 0 means C is write-only */
} cts_dgemm_args;
int cts_dgemm(const cts_dgemm_args *g, cts_pool *pool, cts_err *err);

/* Integer products with two's-complement wrap-around (as PyTorch's integer
 * matmul): operands are int64, results wrap modulo 2^64 and are then
 * narrowed by the caller. */
typedef struct cts_igemm_args {
    int64_t M, N, K;
    const int64_t *A; int64_t lda; bool trans_a;
    const int64_t *B; int64_t ldb; bool trans_b;
    int64_t *C; int64_t ldc;
    int64_t alpha, beta;
} cts_igemm_args;
int cts_igemm(const cts_igemm_args *g, cts_pool *pool, cts_err *err);

#endif
