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
    X(str)

#define X(f)                                  \
    extern const cts_op_def cts_ops_##f[];    \
    extern const int cts_ops_##f##_count;
CTS_OP_FAMILIES(X)
#undef X

static const cts_op_table *tables(int *n) {
    static const cts_op_table T[] = {
#define X(f) {cts_ops_##f, 0},
        CTS_OP_FAMILIES(X)
#undef X
    };
    *n = (int)(sizeof T / sizeof *T);
    return T;
}

static int family_count(int i) {
    static const int *const counts[] = {
#define X(f) &cts_ops_##f##_count,
        CTS_OP_FAMILIES(X)
#undef X
    };
    return *counts[i];
}

const cts_op_table *cts_op_tables(int *ntables) { return tables(ntables); }

/* Length of the "ns::name.overload" prefix of a schema string. */
static size_t key_len(const char *schema) {
    const char *p = strchr(schema, '(');
    return p ? (size_t)(p - schema) : strlen(schema);
}

cts_kernel_fn cts_op_find_kernel(const char *key, const char **schema_out) {
    int n;
    const cts_op_table *T = tables(&n);
    size_t kl = strlen(key);
    for (int i = 0; i < n; i++) {
        int cnt = family_count(i);
        for (int j = 0; j < cnt; j++) {
            const char *s = T[i].defs[j].schema;
            if (key_len(s) == kl && memcmp(s, key, kl) == 0) {
                if (schema_out) *schema_out = s;
                return T[i].defs[j].fn;
            }
        }
    }
    return NULL;
}
