/* cpu.h - CPU feature detection for choosing kernel paths at run time.
 *
 * Kernels have a portable C path and vectorized paths (AVX2+FMA, AVX-512),
 * each compiled with __attribute__((target(...))) so that no build needs
 * -march=native.  Which path runs is decided here, from cpuid and from the
 * OS's XSAVE state mask (xgetbv): a CPU may report AVX-512 while the OS does
 * not save the ZMM registers, and then AVX-512 code must not run.
 *
 *   cts_cpu_query(&f)   asks the CPU now (cpuid + xgetbv), no caching.
 *   cts_cpu_isa()       the best usable path; computed once per process
 *                       (pthread_once) into a value that is never written
 *                       again, so it is read-only shared state, not mutable
 *                       global state.  Caching matters: in a VM each cpuid
 *                       traps to the hypervisor (microseconds).
 *
 * The environment variable CTS_CPU_ISA=scalar|avx2|avx512, read once at that
 * first call, caps the choice (it never raises it above what the CPU and OS
 * support); CI uses it to run the portable path on a vector machine. */
#ifndef CTS_CORE_CPU_H
#define CTS_CORE_CPU_H

#include <stdbool.h>

typedef struct cts_cpu_features {
    bool avx, avx2, fma, f16c;
    bool avx512f, avx512bw, avx512vl, avx512dq;
    bool os_avx;     /* XCR0 enables XMM and YMM state */
    bool os_avx512;  /* XCR0 also enables opmask, ZMM_Hi256 and Hi16_ZMM state */
} cts_cpu_features;

/* Kernel paths, in increasing order of capability. */
typedef enum cts_isa {
    CTS_ISA_SCALAR = 1,  /* portable C */
    CTS_ISA_AVX2 = 2,    /* AVX2 + FMA (+ F16C) */
    CTS_ISA_AVX512 = 3,  /* AVX-512 F/BW/VL/DQ + FMA */
} cts_isa;

/* Fills *f from cpuid/xgetbv now; all false on non-x86 targets. */
void cts_cpu_query(cts_cpu_features *f);
/* The best path this CPU and OS support, ignoring CTS_CPU_ISA. */
cts_isa cts_cpu_isa_supported(const cts_cpu_features *f);
/* The path kernels use: supported, capped by CTS_CPU_ISA; computed once. */
cts_isa cts_cpu_isa(void);
/* The features as computed at that first call (never modified afterwards). */
const cts_cpu_features *cts_cpu_features_get(void);
const char *cts_isa_name(cts_isa isa);

#endif
