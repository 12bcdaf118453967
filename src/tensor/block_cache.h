/* block_cache.h - reuse of large tensor buffers across calls.
 *
 * A model's call allocates and frees the same large activation buffers
 * every time; returned to the C library, they come back as fresh pages the
 * kernel must fault in and zero (15% of mobilenet_v2's time at one thread).
 * Buffers of at least CT_BLOCK_MIN bytes (tensor storage and kernels'
 * scratch alike) are therefore kept, by size class
 * (four classes per power of two, so a block wastes at most a fifth), and
 * handed out again; the cache holds at most ct_block_cache_limit() bytes
 * (CTS_BLOCK_CACHE_MB in the environment, default 1024; 0 disables it) and
 * frees what does not fit.  Thread-safe (one lock; a few hundred operations
 * a call).  Builds with AddressSanitizer keep no blocks, so that a use
 * after free is still caught. */
#ifndef CTS_TENSOR_BLOCK_CACHE_H
#define CTS_TENSOR_BLOCK_CACHE_H

#include <stddef.h>

#define CT_BLOCK_MIN (64 * 1024)

/* A 64-byte aligned block of at least nbytes (>= CT_BLOCK_MIN), or NULL;
 * *cls receives its size class, for ct_block_put. */
void *ct_block_get(size_t nbytes, int *cls);
/* Returns a block from ct_block_get (kept, or freed). */
void ct_block_put(void *block, int cls);
/* Buffers of any size for tensors and kernel scratch: 64-byte aligned, at
 * least nbytes; large ones through the cache (*cls >= 0), small ones from
 * aligned_alloc (*cls = -1).  NULL on out of memory.  Free with
 * ct_scratch_free and the same cls. */
void *ct_scratch_alloc(size_t nbytes, int *cls);
void ct_scratch_free(void *p, int cls);
/* Frees every kept block; returns the bytes released. */
size_t ct_block_cache_trim(void);
/* Bytes kept now, and the limit. */
size_t ct_block_cache_bytes(void);
size_t ct_block_cache_limit(void);

#endif
