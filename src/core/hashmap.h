/* hashmap.h - open-addressing map from NUL-terminated string keys to pointers.
 *
 * Keys are not copied: the caller keeps them alive as long as the map (they
 * usually live in an arena or in the value stored). */
#ifndef CTS_CORE_HASHMAP_H
#define CTS_CORE_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct cts_map_slot {
    const char *key;   /* NULL = empty */
    uint64_t hash;
    void *val;
} cts_map_slot;

typedef struct cts_map {
    cts_map_slot *slots;
    size_t cap, len;   /* cap is a power of two or 0 */
} cts_map;

uint64_t cts_hash_bytes(const void *p, size_t n);
void cts_map_init(cts_map *m);
void cts_map_free(cts_map *m);
/* Returns the stored value or NULL. */
void *cts_map_get(const cts_map *m, const char *key);
void *cts_map_getn(const cts_map *m, const char *key, size_t n);
/* Inserts or replaces; returns 0, or -1 on out-of-memory. */
int cts_map_put(cts_map *m, const char *key, void *val);

#endif
