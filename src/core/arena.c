/* arena.c - chunked bump allocation. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct cts_arena_chunk {
    cts_arena_chunk *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void cts_arena_init(cts_arena *a) { memset(a, 0, sizeof *a); }

void cts_arena_free(cts_arena *a) {
    cts_arena_chunk *c = a->head;
    while (c) {
        cts_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    memset(a, 0, sizeof *a);
}

void *cts_arena_alloc(cts_arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->used + n > a->cap) {
        size_t cap = n > 65536 ? n : 65536;
        cts_arena_chunk *c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = a->head;
        c->cap = cap;
        a->head = c;
        a->used = 0;
        a->cap = cap;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *cts_arena_strndup(cts_arena *a, const char *s, size_t n) {
    char *p = cts_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *cts_arena_strdup(cts_arena *a, const char *s) { return cts_arena_strndup(a, s, strlen(s)); }
