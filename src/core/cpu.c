/* cpu.c - cpuid/xgetbv feature detection and the once-computed kernel path.
 *
 * The only static data is `g_once`/`g_state`, written exactly once under
 * pthread_once before any reader can see it and read-only afterwards. */
#include "cpu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define CTS_X86 1

static unsigned long long read_xcr0(void) {
    unsigned int lo, hi;
    /* xgetbv with ecx = 0; only valid when cpuid reports OSXSAVE */
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

void cts_cpu_query(cts_cpu_features *f) {
    memset(f, 0, sizeof *f);
#ifdef CTS_X86
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned int max_leaf = a;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    bool osxsave = (c >> 27) & 1;
    f->fma = (c >> 12) & 1;
    f->avx = (c >> 28) & 1;
    f->f16c = (c >> 29) & 1;
    if (osxsave) {
        unsigned long long xcr0 = read_xcr0();
        f->os_avx = (xcr0 & 0x6) == 0x6;             /* SSE | AVX state */
        f->os_avx512 = f->os_avx && (xcr0 & 0xe0) == 0xe0; /* opmask | ZMM_Hi256 | Hi16_ZMM */
    }
    if (max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        f->avx2 = (b >> 5) & 1;
        f->avx512f = (b >> 16) & 1;
        f->avx512dq = (b >> 17) & 1;
        f->avx512bw = (b >> 30) & 1;
        f->avx512vl = (b >> 31) & 1;
    }
#endif
}

cts_isa cts_cpu_isa_supported(const cts_cpu_features *f) {
    if (f->os_avx512 && f->avx512f && f->avx512bw && f->avx512vl && f->avx512dq && f->fma && f->avx2)
        return CTS_ISA_AVX512;
    if (f->os_avx && f->avx && f->avx2 && f->fma) return CTS_ISA_AVX2;
    return CTS_ISA_SCALAR;
}

typedef struct cpu_state {
    cts_cpu_features f;
    cts_isa isa;
} cpu_state;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static cpu_state g_state;

static void cpu_init(void) {
    cts_cpu_query(&g_state.f);
    cts_isa isa = cts_cpu_isa_supported(&g_state.f);
    const char *cap = getenv("CTS_CPU_ISA");
    if (cap) {
        cts_isa want = isa;
        if (!strcmp(cap, "scalar")) want = CTS_ISA_SCALAR;
        else if (!strcmp(cap, "avx2")) want = CTS_ISA_AVX2;
        else if (!strcmp(cap, "avx512")) want = CTS_ISA_AVX512;
        if (want < isa) isa = want;
    }
    g_state.isa = isa;
}

cts_isa cts_cpu_isa(void) {
    pthread_once(&g_once, cpu_init);
    return g_state.isa;
}

const cts_cpu_features *cts_cpu_features_get(void) {
    pthread_once(&g_once, cpu_init);
    return &g_state.f;
}

const char *cts_isa_name(cts_isa isa) {
    switch (isa) {
    case CTS_ISA_SCALAR: return "scalar";
    case CTS_ISA_AVX2: return "avx2";
    case CTS_ISA_AVX512: return "avx512";
    }
    return "unknown";
}
