/* hashmap.c - linear probing, FNV-1a hashing, load factor <= 1/2. */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t cts_hash_bytes(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

void cts_map_init(cts_map *m) { memset(m, 0, sizeof *m); }

void cts_map_free(cts_map *m) {
    free(m->slots);
    memset(m, 0, sizeof *m);
}

void *cts_map_getn(const cts_map *m, const char *key, size_t n) {
    if (!m->cap) return NULL;
    uint64_t h = cts_hash_bytes(key, n);
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        cts_map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == 0) return s->val;
    }
}

void *cts_map_get(const cts_map *m, const char *key) { return cts_map_getn(m, key, strlen(key)); }

static int rehash(cts_map *m, size_t ncap) {
    cts_map_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) return -1;
    for (size_t i = 0; i < m->cap; i++) {
        cts_map_slot *s = &m->slots[i];
        if (!s->key) continue;
        size_t j = s->hash & (ncap - 1);
        while (ns[j].key) j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int cts_map_put(cts_map *m, const char *key, void *val) {
    if ((m->len + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 16)) return -1;
    size_t n = strlen(key);
    uint64_t h = cts_hash_bytes(key, n);
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        cts_map_slot *s = &m->slots[i];
        if (!s->key) {
            s->key = key;
            s->hash = h;
            s->val = val;
            m->len++;
            return 0;
        }
        if (s->hash == h && strcmp(s->key, key) == 0) {
            s->val = val;
            return 0;
        }
    }
}
