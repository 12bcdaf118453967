/* ptrmap.h - small open-addressing maps used inside the serialization layer.
 *
 * cts_ptrmap maps a pointer (or any non-zero 64-bit key) to a 64-bit value:
 * the unpickler keys its memo by id + 1 and tracks containers by address;
 * the pickler memoizes values by identity.  Internal to src/serialize/. */
#ifndef CTS_SERIALIZE_PTRMAP_H
#define CTS_SERIALIZE_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cts_ptrmap {
    uint64_t *keys; /* 0 = empty */
    uint64_t *vals;
    size_t cap, len; /* cap is a power of two or 0 */
} cts_ptrmap;

void cts_ptrmap_init(cts_ptrmap *m);
void cts_ptrmap_free(cts_ptrmap *m);
/* Pointer to the value for key (non-zero), or NULL. */
uint64_t *cts_ptrmap_get(const cts_ptrmap *m, uint64_t key);
/* Inserts or replaces; -1 on out-of-memory. */
int cts_ptrmap_put(cts_ptrmap *m, uint64_t key, uint64_t val);

static inline uint64_t cts_ptrkey(const void *p) { return (uint64_t)(uintptr_t)p; }

#endif
