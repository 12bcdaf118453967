/* registry.c - the list of kernel family tables and kernel lookup.
 *
 * Each family file defines `const cts_op_def cts_ops_<family>[]` and
 * `const int cts_ops_<family>_count`.  Lookup compares the `name.overload`
 * prefix of each schema string; it runs at load time only (the interpreter
 * holds kernel pointers), so a linear scan is fine. */
#include "op.h"

#include <string.h>

#define CTS_OP_FAMILIES(X) \
    X(pointwise)           \
    X(reduce)              \
    X(factory)             \
    X(shape)               \
    X(linalg)              \
    X(conv)                \
    X(scalar)              \
    X(list)                \
    X(str)                 \
    X(nn)                  \
    X(rnn)                 \
    X(attention)           \
    X(enum)                \
    X(complex)             \
    X(complex_tensor)      \
    X(random)              \
    X(conv_fused)

#define X(f)                                  \
    extern const cts_op_def cts_ops_##f[];    \
    extern const int cts_ops_##f##_count;
CTS_OP_FAMILIES(X)
#undef X

typedef struct family {
    const cts_op_def *defs;
    const int *count;
} family;

static const family FAMILIES[] = {
#define X(f) {cts_ops_##f, &cts_ops_##f##_count},
    CTS_OP_FAMILIES(X)
#undef X
};
#define NFAMILIES ((int)(sizeof FAMILIES / sizeof *FAMILIES))

int cts_op_count(void) {
    int n = 0;
    for (int i = 0; i < NFAMILIES; i++) n += *FAMILIES[i].count;
    return n;
}

const cts_op_def *cts_op_at(int i) {
    for (int f = 0; f < NFAMILIES; f++) {
        if (i < *FAMILIES[f].count) return &FAMILIES[f].defs[i];
        i -= *FAMILIES[f].count;
    }
    return NULL;
}

/* Length of the "ns::name.overload" prefix of a schema string. */
static size_t key_len(const char *schema) {
    const char *p = strchr(schema, '(');
    return p ? (size_t)(p - schema) : strlen(schema);
}

cts_kernel_fn cts_op_find_kernel(const char *key, const char **schema_out) {
    size_t kl = strlen(key);
    for (int f = 0; f < NFAMILIES; f++) {
        for (int j = 0; j < *FAMILIES[f].count; j++) {
            const char *s = FAMILIES[f].defs[j].schema;
            if (key_len(s) == kl && memcmp(s, key, kl) == 0) {
                if (schema_out) *schema_out = s;
                return FAMILIES[f].defs[j].fn;
            }
        }
    }
    return NULL;
}

/* Families with prepack hooks. */
extern const cts_prepack_def cts_prepack_conv[], cts_prepack_linalg[];
extern const int cts_prepack_conv_count, cts_prepack_linalg_count;

int cts_prepack_count(void) { return cts_prepack_conv_count + cts_prepack_linalg_count; }

const cts_prepack_def *cts_prepack_at(int i) {
    if (i < cts_prepack_conv_count) return &cts_prepack_conv[i];
    i -= cts_prepack_conv_count;
    return i < cts_prepack_linalg_count ? &cts_prepack_linalg[i] : NULL;
}
