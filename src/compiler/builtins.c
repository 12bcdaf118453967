/* builtins.c - operators PyTorch defines in TorchScript itself.
 *
 * Some overloads have no kernel in PyTorch's registry but a small
 * TorchScript definition (builtin_functions.cpp): Scalar-first arithmetic
 * (`2 * x` is x * 2), `in` on strings, tensor properties such as `.shape`.
 * They are matched after every registered schema of the same name and
 * inlined at the call site, as PyTorch does. */
#include <stdio.h>
#include <string.h>

#include "emit_internal.h"

/* one source per namespace; `S` is replaced by float and int */
static const char SCALAR_OPS[] =
    "def mul(a : S, b : Tensor) -> Tensor:\n  return b * a\n"
    "def add(a : S, b : Tensor) -> Tensor:\n  return b + a\n"
    "def ne(a : S, b : Tensor) -> Tensor:\n  return b != a\n"
    "def eq(a : S, b : Tensor) -> Tensor:\n  return b == a\n"
    "def lt(a : S, b : Tensor) -> Tensor:\n  return b > a\n"
    "def le(a : S, b : Tensor) -> Tensor:\n  return b >= a\n"
    "def gt(a : S, b : Tensor) -> Tensor:\n  return b < a\n"
    "def ge(a : S, b : Tensor) -> Tensor:\n  return b <= a\n"
    "def sub(a : S, b : Tensor) -> Tensor:\n  return torch.neg(b) + a\n"
    "def div(a : S, b : Tensor) -> Tensor:\n  return torch.reciprocal(b) * a\n";

static const char ATEN_OTHER[] =
    "def __contains__(self: str, key: str):\n  return self.find(key, 0, len(self)) != -1\n"
    "def floordiv(self : Tensor, other : number) -> Tensor:\n  return torch.floor_divide(self, other)\n"
    "def floordiv(self : Tensor, other : Tensor) -> Tensor:\n  return torch.floor_divide(self, other)\n";

static const char PRIM_PROPS[] =
    "def ndim(a : Tensor) -> int:\n  return a.dim()\n"
    "def T(a : Tensor) -> Tensor:\n  return a.numpy_T()\n"
    "def H(a : Tensor) -> Tensor:\n  return a.matrix_H()\n"
    "def mT(a : Tensor) -> Tensor:\n  return a.mT\n"
    "def mH(a : Tensor) -> Tensor:\n  return a.mH\n"
    "def shape(a : Tensor) -> List[int]:\n  return a.size()\n";

/* The builtin sources live in the unit under the qualifiers
 * __builtins__.<ns>[.<variant>]; functions of the same name in one source
 * are overloads: the unit names them name, name$1, ... */
static int load_builtin_sources(cts_cu *cu, cts_err *err) {
    if (cts_map_get(&cu->loaded_files, "__builtins__")) return 0;
    if (cts_map_put(&cu->loaded_files, "__builtins__", (void *)1)) return cts_err_oom(err, "builtins", 0);
    static const struct { const char *q, *text, *scalar; } srcs[] = {
        {"__builtins__.aten.float", SCALAR_OPS, "float"},
        {"__builtins__.aten.int", SCALAR_OPS, "int"},
        {"__builtins__.aten.other", ATEN_OTHER, NULL},
        {"__builtins__.prim.props", PRIM_PROPS, NULL},
    };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        const char *t = srcs[i].text;
        char *text;
        if (srcs[i].scalar) {
            /* replace the placeholder type S */
            size_t n = strlen(t);
            text = cts_arena_alloc(&cu->arena, n * 2 + 1);
            if (!text) return cts_err_oom(err, "builtins", n);
            size_t o = 0;
            for (size_t k = 0; k < n; k++) {
                if (t[k] == 'S' && k > 0 && t[k - 1] == ' ' && (t[k + 1] == ',' || t[k + 1] == ')')) {
                    memcpy(text + o, srcs[i].scalar, strlen(srcs[i].scalar));
                    o += strlen(srcs[i].scalar);
                } else {
                    text[o++] = t[k];
                }
            }
            text[o] = 0;
        } else {
            text = cts_arena_strdup(&cu->arena, t);
            if (!text) return cts_err_oom(err, "builtins", 0);
        }
        int saved = cu->python_frontend;
        cu->python_frontend = 0;
        int rc = cts_cu_add_source(cu, srcs[i].q, "<builtin>", text, strlen(text), err);
        cu->python_frontend = saved;
        if (rc) return -1;
    }
    return 0;
}

int em_builtin_functions(emitter *e, const char *opname, ir_function **out, int max) {
    const char *sep = strstr(opname, "::");
    if (!sep) return 0;
    char ns[32];
    size_t nl = (size_t)(sep - opname);
    if (nl >= sizeof ns) return 0;
    memcpy(ns, opname, nl);
    ns[nl] = 0;
    const char *name = sep + 2;
    static const char *const quals[] = {"__builtins__.aten.float", "__builtins__.aten.int",
                                        "__builtins__.aten.other", "__builtins__.prim.props"};
    if (strcmp(ns, "aten") && strcmp(ns, "prim")) return 0;
    if (load_builtin_sources(e->cu, e->err)) em_fail(e);
    int n = 0;
    for (size_t i = 0; i < sizeof quals / sizeof *quals; i++) {
        if (strncmp(quals[i] + 13, ns, nl) || quals[i][13 + nl] != '.') continue;
        for (int k = 0; k < 4 && n < max; k++) {
            char q[256];
            if (k == 0) snprintf(q, sizeof q, "%s.%s", quals[i], name);
            else snprintf(q, sizeof q, "%s.%s$%d", quals[i], name, k);
            cts_err tmp = {0};
            ir_function *f = cts_cu_get_function(e->cu, q, &tmp);
            if (!f) break;
            out[n++] = f;
        }
    }
    return n;
}
