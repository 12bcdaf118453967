/* block_cache.c - see block_cache.h. */
#include "block_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define CT_BLOCK_CACHE_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CT_BLOCK_CACHE_OFF 1
#endif
#endif

#define NCLASSES 160 /* 64 KiB << 40: far past any allocation */
#define ALIGN 64

typedef struct block {
    struct block *next;
} block;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static block *lists[NCLASSES];
static size_t kept, limit;
static int limit_read;

/* Class c: size (4 + c % 4) * 2^(c / 4) * CT_BLOCK_MIN / 4. */
static size_t class_size(int c) { return ((size_t)(4 + c % 4) << (c / 4)) * (CT_BLOCK_MIN / 4); }

/* The smallest class holding n bytes (n >= 1). */
static int class_of(size_t n) {
    size_t q = (n + CT_BLOCK_MIN / 4 - 1) / (CT_BLOCK_MIN / 4); /* in quarter-blocks */
    if (q <= 4) return 0;
    int e = 0; /* q in (4 << e, 8 << e] */
    while (((size_t)8 << e) < q) e++;
    int c = 4 * e;
    while (c < NCLASSES && class_size(c) < n) c++; /* at most four steps */
    return c;
}

size_t ct_block_cache_limit(void) {
    pthread_mutex_lock(&mu);
    if (!limit_read) {
        const char *e = getenv("CTS_BLOCK_CACHE_MB");
        char *end = NULL;
        long mb = e ? strtol(e, &end, 10) : 1024;
        if (!e || *end || mb < 0) mb = 1024;
        limit = (size_t)mb << 20;
#ifdef CT_BLOCK_CACHE_OFF
        limit = 0;
#endif
        limit_read = 1;
    }
    size_t l = limit;
    pthread_mutex_unlock(&mu);
    return l;
}

/* A fresh block, its pages mapped now in one system call rather than by
 * one page fault per 4 KiB page at first touch (a model's first call was
 * mostly such faults: 1181 of them, 4 ms, in mobilenet_v3_small's 9). */
static void *new_block(size_t size) {
    void *p = aligned_alloc(ALIGN, size);
#ifdef MADV_POPULATE_WRITE
    if (p) {
        uintptr_t page = 4096, lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + size) & ~(page - 1);
        if (hi > lo) madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE); /* best effort */
    }
#endif
    return p;
}

void *ct_block_get(size_t nbytes, int *cls) {
    int c = class_of(nbytes);
    *cls = -1;
    if (c >= NCLASSES) return NULL;
    if (ct_block_cache_limit()) {
        pthread_mutex_lock(&mu);
        block *b = lists[c];
        if (b) {
            lists[c] = b->next;
            kept -= class_size(c);
        }
        pthread_mutex_unlock(&mu);
        if (b) {
            *cls = c;
            return b;
        }
    }
    void *p = new_block(class_size(c));
    if (p) *cls = c;
    return p;
}

void ct_block_put(void *p, int c) {
    if (!p) return;
    size_t sz = class_size(c);
    if (ct_block_cache_limit()) {
        pthread_mutex_lock(&mu);
        if (kept + sz <= limit) {
            block *b = p;
            b->next = lists[c];
            lists[c] = b;
            kept += sz;
            p = NULL;
        }
        pthread_mutex_unlock(&mu);
    }
    free(p);
}

size_t ct_block_cache_trim(void) {
    pthread_mutex_lock(&mu);
    size_t n = kept;
    for (int c = 0; c < NCLASSES; c++) {
        for (block *b = lists[c], *next; b; b = next) {
            next = b->next;
            free(b);
        }
        lists[c] = NULL;
    }
    kept = 0;
    pthread_mutex_unlock(&mu);
    return n;
}

size_t ct_block_cache_bytes(void) {
    pthread_mutex_lock(&mu);
    size_t n = kept;
    pthread_mutex_unlock(&mu);
    return n;
}

void *ct_scratch_alloc(size_t nbytes, int *cls) {
    *cls = -1;
    if (nbytes >= CT_BLOCK_MIN) return ct_block_get(nbytes, cls);
    size_t n = nbytes ? (nbytes + ALIGN - 1) / ALIGN * ALIGN : ALIGN;
    return aligned_alloc(ALIGN, n);
}

void ct_scratch_free(void *p, int cls) {
    if (cls >= 0) ct_block_put(p, cls);
    else free(p);
}
