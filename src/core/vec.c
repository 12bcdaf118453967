/* vec.c - growth policy of CTS_VEC. */
#include "vec.h"

#include <stdint.h>

int cts_vec_grow_(void **data, size_t *cap, size_t need, size_t elem) {
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem) return -1;
    void *p = realloc(*data, ncap * elem);
    if (!p) return -1;
    *data = p;
    *cap = ncap;
    return 0;
}
