/* vec.h - typed growable arrays as macros.
 *
 *   CTS_VEC(int) v = {0};
 *   if (CTS_VEC_PUSH(&v, 3)) ...out of memory...
 *   CTS_VEC_FREE(&v);
 *
 * PUSH evaluates to 0 on success and -1 when the allocation fails (the vector
 * is then unchanged). */
#ifndef CTS_CORE_VEC_H
#define CTS_CORE_VEC_H

#include <stddef.h>
#include <stdlib.h>

#define CTS_VEC(T) struct { T *data; size_t len, cap; }

int cts_vec_grow_(void **data, size_t *cap, size_t need, size_t elem);

#define CTS_VEC_RESERVE(v, n) \
    ((n) <= (v)->cap ? 0 : cts_vec_grow_((void **)&(v)->data, &(v)->cap, (n), sizeof *(v)->data))
#define CTS_VEC_PUSH(v, x) \
    (CTS_VEC_RESERVE((v), (v)->len + 1) ? -1 : ((v)->data[(v)->len++] = (x), 0))
#define CTS_VEC_FREE(v) (free((v)->data), (v)->data = NULL, (v)->len = (v)->cap = 0)
#define CTS_VEC_LAST(v) ((v)->data[(v)->len - 1])

#endif
