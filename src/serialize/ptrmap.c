/* ptrmap.c - linear probing over 64-bit keys, load factor <= 1/2. */
#include "ptrmap.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t k, size_t mask) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k & mask;
}

void cts_ptrmap_init(cts_ptrmap *m) { memset(m, 0, sizeof *m); }

void cts_ptrmap_free(cts_ptrmap *m) {
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

uint64_t *cts_ptrmap_get(const cts_ptrmap *m, uint64_t key) {
    if (!m->cap || !key) return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
        if (m->keys[i] == key) return &m->vals[i];
        if (!m->keys[i]) return NULL;
    }
}

static int grow(cts_ptrmap *m) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    uint64_t *nk = calloc(nc, sizeof *nk), *nv = malloc(nc * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = slot_of(m->keys[i], nc - 1);
        while (nk[j]) j = (j + 1) & (nc - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
    return 0;
}

int cts_ptrmap_put(cts_ptrmap *m, uint64_t key, uint64_t val) {
    if (!key) return -1;
    uint64_t *v = cts_ptrmap_get(m, key);
    if (v) {
        *v = val;
        return 0;
    }
    if ((m->len + 1) * 2 > m->cap && grow(m)) return -1;
    size_t mask = m->cap - 1, i = slot_of(key, mask);
    while (m->keys[i]) i = (i + 1) & mask;
    m->keys[i] = key;
    m->vals[i] = val;
    m->len++;
    return 0;
}
