/* pk_builder.h - writes hand-made pickles for the unpickler tests. */
#ifndef CTS_PK_BUILDER_H
#define CTS_PK_BUILDER_H

#include <stdint.h>
#include <string.h>

typedef struct pkb {
    uint8_t b[8192];
    size_t n;
} pkb;

static inline void pk_raw(pkb *p, const void *s, size_t n) {
    if (p->n + n > sizeof p->b) return;
    memcpy(p->b + p->n, s, n);
    p->n += n;
}
static inline void pk_op(pkb *p, uint8_t op) { pk_raw(p, &op, 1); }
static inline void pk_proto(pkb *p) {
    pk_op(p, 0x80);
    pk_op(p, 2);
}
static inline void pk_str(pkb *p, const char *s) {
    uint32_t n = (uint32_t)strlen(s);
    uint8_t h[5] = {'X', (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
    pk_raw(p, h, 5);
    pk_raw(p, s, n);
}
static inline void pk_int(pkb *p, int32_t v) {
    uint32_t u = (uint32_t)v;
    uint8_t h[5] = {'J', (uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
    pk_raw(p, h, 5);
}
static inline void pk_global(pkb *p, const char *mod, const char *name) {
    pk_op(p, 'c');
    pk_raw(p, mod, strlen(mod));
    pk_op(p, '\n');
    pk_raw(p, name, strlen(name));
    pk_op(p, '\n');
}

/* _rebuild_tensor_v2 over storage (type, key, location, numel), 1-d. */
static inline void pk_tensor(pkb *p, const char *type, const char *key, const char *loc, int numel, int offset,
                             int size, int stride) {
    pk_global(p, "torch._utils", "_rebuild_tensor_v2");
    pk_op(p, '(');
    pk_op(p, '(');
    pk_str(p, "storage");
    pk_global(p, "torch", type);
    pk_str(p, key);
    pk_str(p, loc);
    pk_int(p, numel);
    pk_op(p, 't');
    pk_op(p, 'Q');
    pk_int(p, offset);
    pk_int(p, size);
    pk_op(p, 0x85);
    pk_int(p, stride);
    pk_op(p, 0x85);
    pk_op(p, 0x89);
    pk_global(p, "collections", "OrderedDict");
    pk_op(p, ')');
    pk_op(p, 'R');
    pk_op(p, 't');
    pk_op(p, 'R');
}

#endif
