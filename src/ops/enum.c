/* enum.c - kernels on Enum members (objects of an is_enum class whose two
 * slots are the member's name and value, see cv_enum_new). */
#include "op.h"

static int enum_arg(cts_kctx *k, const cv_value *a, int i, const char *op) {
    if (!cv_is_enum(a[i])) return cts_err_set(k->err, "%s: expected an Enum value, got %s", op, cv_tag_name(a[i].tag));
    return 0;
}

static int k_enum_name(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    if (enum_arg(k, a, 0, "prim::EnumName")) return -1;
    o[0] = a[0].u.o->slots[0];
    cv_retain(o[0]);
    return 0;
}

static int k_enum_value(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    if (enum_arg(k, a, 0, "prim::EnumValue")) return -1;
    o[0] = a[0].u.o->slots[1];
    cv_retain(o[0]);
    return 0;
}

static int k_eq_enum(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    if (enum_arg(k, a, 0, "aten::eq") || enum_arg(k, a, 1, "aten::eq")) return -1;
    o[0] = cv_bool(cv_equal(a[0], a[1]));
    return 0;
}

static int k_ne_enum(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    (void)n;
    if (enum_arg(k, a, 0, "aten::ne") || enum_arg(k, a, 1, "aten::ne")) return -1;
    o[0] = cv_bool(!cv_equal(a[0], a[1]));
    return 0;
}

const cts_op_def cts_ops_enum[] = {
    {"prim::EnumName(AnyEnumType enum) -> str",          k_enum_name},
    {"prim::EnumValue.int(AnyEnumType enum) -> int",     k_enum_value},
    {"prim::EnumValue.float(AnyEnumType enum) -> float", k_enum_value},
    {"prim::EnumValue.str(AnyEnumType enum) -> str",     k_enum_value},
    {"aten::eq.enum(AnyEnumType a, AnyEnumType b) -> bool", k_eq_enum},
    {"aten::ne.enum(AnyEnumType a, AnyEnumType b) -> bool", k_ne_enum},
};
const int cts_ops_enum_count = (int)(sizeof cts_ops_enum / sizeof *cts_ops_enum);
