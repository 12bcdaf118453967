/* arena.h - bump allocator for compiler data freed all at once.
 *
 * Tokens, AST nodes and IR under construction live in an arena; freeing the
 * arena frees them together.  Allocation failure returns NULL. */
#ifndef CTS_CORE_ARENA_H
#define CTS_CORE_ARENA_H

#include <stddef.h>

typedef struct cts_arena_chunk cts_arena_chunk;
typedef struct cts_arena {
    cts_arena_chunk *head;
    size_t used, cap;   /* within head */
} cts_arena;

void cts_arena_init(cts_arena *a);
void cts_arena_free(cts_arena *a);
/* Zero-filled, 16-byte aligned. */
void *cts_arena_alloc(cts_arena *a, size_t n);
char *cts_arena_strndup(cts_arena *a, const char *s, size_t n);
char *cts_arena_strdup(cts_arena *a, const char *s);

#endif
