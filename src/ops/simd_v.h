/* simd_v.h - the small vector vocabulary of the register-tiled kernels
 * (gemm.c, conv_direct.c), so a kernel template written once over V_* is
 * instantiated per instruction set.
 *
 *   #define SIMD_V SIMD_V_AVX2     (or SIMD_V_AVX512, SIMD_V_WIDE)
 *   #include "simd_v.h"
 *   DEFINE_MY_KERNEL(avx2, SIMD_V_TGT, 6)
 *   #include "simd_v_end.h"
 *
 * V_T is the vector type, V_W its float lanes.  SIMD_V_WIDE emulates a
 * 16-lane vector with two AVX2 registers: it runs the AVX-512 blocking on
 * machines without AVX-512, so tests exercise that blocking everywhere.
 * x86 only: include under `#if defined(__x86_64__) || defined(__i386__)`. */
#include <immintrin.h>

#define SIMD_V_AVX2 1
#define SIMD_V_AVX512 2
#define SIMD_V_WIDE 3

#ifndef CTS_SIMD_V_WIDE_HELPERS
#define CTS_SIMD_V_WIDE_HELPERS
typedef struct v16 {
    __m256 lo, hi;
} v16;
#define SIMD_V_WTGT "avx2,fma"
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_load(const float *p) {
    v16 r = {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) void w_store(float *p, v16 x) {
    _mm256_storeu_ps(p, x.lo);
    _mm256_storeu_ps(p + 8, x.hi);
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_set1(float x) {
    v16 r = {_mm256_set1_ps(x), _mm256_set1_ps(x)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_fma(v16 a, v16 b, v16 c) {
    v16 r = {_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_add(v16 a, v16 b) {
    v16 r = {_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_mul(v16 a, v16 b) {
    v16 r = {_mm256_mul_ps(a.lo, b.lo), _mm256_mul_ps(a.hi, b.hi)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_max(v16 a, v16 b) {
    v16 r = {_mm256_max_ps(a.lo, b.lo), _mm256_max_ps(a.hi, b.hi)};
    return r;
}
static inline __attribute__((always_inline, target(SIMD_V_WTGT))) v16 w_min(v16 a, v16 b) {
    v16 r = {_mm256_min_ps(a.lo, b.lo), _mm256_min_ps(a.hi, b.hi)};
    return r;
}
#endif

#if SIMD_V == SIMD_V_AVX2
#define SIMD_V_TGT "avx2,fma"
#define V_T __m256
#define V_W 8
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_STORE(p, x) _mm256_storeu_ps((p), (x))
#define V_BCAST(p) _mm256_broadcast_ss(p)
#define V_FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define V_ZERO() _mm256_setzero_ps()
#define V_ADD(a, b) _mm256_add_ps((a), (b))
#define V_MUL(a, b) _mm256_mul_ps((a), (b))
#define V_SET1(x) _mm256_set1_ps(x)
#define V_MAX(a, b) _mm256_max_ps((a), (b))
#define V_MIN(a, b) _mm256_min_ps((a), (b))
#elif SIMD_V == SIMD_V_AVX512
#define SIMD_V_TGT "avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"
#define V_T __m512
#define V_W 16
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_STORE(p, x) _mm512_storeu_ps((p), (x))
#define V_BCAST(p) _mm512_set1_ps(*(p))
#define V_FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define V_ZERO() _mm512_setzero_ps()
#define V_ADD(a, b) _mm512_add_ps((a), (b))
#define V_MUL(a, b) _mm512_mul_ps((a), (b))
#define V_SET1(x) _mm512_set1_ps(x)
#define V_MAX(a, b) _mm512_max_ps((a), (b))
#define V_MIN(a, b) _mm512_min_ps((a), (b))
#elif SIMD_V == SIMD_V_WIDE
#define SIMD_V_TGT SIMD_V_WTGT
#define V_T v16
#define V_W 16
#define V_LOAD(p) w_load(p)
#define V_STORE(p, x) w_store((p), (x))
#define V_BCAST(p) w_set1(*(p))
#define V_FMA(a, b, c) w_fma((a), (b), (c))
#define V_ZERO() w_set1(0.0f)
#define V_ADD(a, b) w_add((a), (b))
#define V_MUL(a, b) w_mul((a), (b))
#define V_SET1(x) w_set1(x)
#define V_MAX(a, b) w_max((a), (b))
#define V_MIN(a, b) w_min((a), (b))
#else
#error "simd_v.h: define SIMD_V first"
#endif
