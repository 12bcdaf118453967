/* dtype.c - dtype metadata, promotion and scalar conversions. */
#include "dtype.h"

#include <math.h>
#include <string.h>

typedef struct dtinfo {
    const char *name, *storage, *ir;
    int size;
} dtinfo;

static const dtinfo DT[CT_DTYPE_LIMIT] = {
#define X(e, id, sz, nm, st, ir, ct) [id] = {nm, st, ir, sz},
    CTS_DTYPES(X)
#undef X
};

bool ct_dtype_valid(int d) { return d >= 0 && d < CT_DTYPE_LIMIT && DT[d].name != NULL; }
int ct_dtype_size(ct_dtype d) { return ct_dtype_valid(d) ? DT[d].size : 0; }
const char *ct_dtype_name(ct_dtype d) { return ct_dtype_valid(d) ? DT[d].name : "?"; }
const char *ct_dtype_storage_name(ct_dtype d) { return ct_dtype_valid(d) ? DT[d].storage : "?"; }
const char *ct_dtype_ir_name(ct_dtype d) { return ct_dtype_valid(d) ? DT[d].ir : "?"; }

const char *ct_scalar_type_name_any(int id) {
    static const char *const all[] = {
        "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
        "complex32", "complex64", "complex128", "bool", "qint8", "quint8", "qint32",
        "bfloat16", "quint4x2", "quint2x4"};
    if (id < 0 || id >= (int)(sizeof all / sizeof *all)) return NULL;
    return all[id];
}

ct_dtype ct_dtype_from_storage_name(const char *name) {
    for (int i = 0; i < CT_DTYPE_LIMIT; i++)
        if (DT[i].name && strcmp(DT[i].storage, name) == 0) return (ct_dtype)i;
    return CT_DTYPE_INVALID;
}

bool ct_dtype_is_float(ct_dtype d) {
    return d == CT_FLOAT16 || d == CT_FLOAT32 || d == CT_FLOAT64 || d == CT_BFLOAT16;
}

bool ct_dtype_is_complex(ct_dtype d) { return d == CT_COMPLEX64; }

bool ct_dtype_is_int(ct_dtype d) {
    return d == CT_UINT8 || d == CT_INT8 || d == CT_INT16 || d == CT_INT32 || d == CT_INT64;
}

ct_dtype ct_promote(ct_dtype a, ct_dtype b) {
    if (a == b) return a;
    if (a == CT_BOOL) return b;
    if (b == CT_BOOL) return a;
    if (ct_dtype_is_complex(a) || ct_dtype_is_complex(b)) return CT_COMPLEX64;
    bool fa = ct_dtype_is_float(a), fb = ct_dtype_is_float(b);
    if (fa && !fb) return a;
    if (fb && !fa) return b;
    if (fa && fb) {
        /* half + bfloat16 -> float32; otherwise the wider */
        if ((a == CT_FLOAT16 && b == CT_BFLOAT16) || (a == CT_BFLOAT16 && b == CT_FLOAT16))
            return CT_FLOAT32;
        return ct_dtype_size(a) >= ct_dtype_size(b) ? a : b;
    }
    /* both integral */
    if (a == CT_UINT8 || b == CT_UINT8) {
        ct_dtype o = a == CT_UINT8 ? b : a;
        return o == CT_INT8 ? CT_INT16 : o; /* uint8 + int8 -> int16 */
    }
    return ct_dtype_size(a) >= ct_dtype_size(b) ? a : b;
}

float ct_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0) {
        if (man == 0) {
            bits = sign;
        } else { /* subnormal */
            exp = 127 - 15 + 1;
            while (!(man & 0x400)) {
                man <<= 1;
                exp--;
            }
            man &= 0x3ff;
            bits = sign | (exp << 23) | (man << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (man << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ct_float_to_half(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t absx = x & 0x7fffffffu;
    if (absx > 0x7f800000u) return (uint16_t)(sign | 0x7e00 | ((absx >> 13) & 0x3ff)); /* nan */
    if (absx >= 0x477ff000u) return (uint16_t)(sign | 0x7c00);                          /* inf / overflow */
    if (absx < 0x38800000u) { /* subnormal or zero in half */
        if (absx < 0x33000000u) return (uint16_t)sign;
        uint32_t e = absx >> 23, m = (absx & 0x7fffff) | 0x800000;
        int shift = 126 - (int)e; /* 14 - (e - 127) - 1 + 13 */
        uint32_t r = m >> (shift);
        uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (r & 1))) r++;
        return (uint16_t)(sign | r);
    }
    uint32_t r = absx - 0x38000000u; /* rebias 127 -> 15 */
    uint32_t rem = r & 0x1fff;
    r >>= 13;
    if (rem > 0x1000 || (rem == 0x1000 && (r & 1))) r++;
    return (uint16_t)(sign | r);
}

float ct_bf16_to_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ct_float_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;
    uint32_t rounding = 0x7fff + ((x >> 16) & 1);
    return (uint16_t)((x + rounding) >> 16);
}

double ct_load_f64(const void *p, ct_dtype d) {
    switch (d) {
    case CT_UINT8: return *(const uint8_t *)p;
    case CT_INT8: return *(const int8_t *)p;
    case CT_INT16: return *(const int16_t *)p;
    case CT_INT32: return *(const int32_t *)p;
    case CT_INT64: return (double)*(const int64_t *)p;
    case CT_FLOAT16: return ct_half_to_float(*(const uint16_t *)p);
    case CT_FLOAT32: return *(const float *)p;
    case CT_FLOAT64: return *(const double *)p;
    case CT_BOOL: return *(const uint8_t *)p != 0;
    case CT_BFLOAT16: return ct_bf16_to_float(*(const uint16_t *)p);
    default: return 0;
    }
}

/* float -> int conversions follow C truncation like PyTorch's static_cast,
 * with out-of-range values clamped rather than invoking undefined behaviour */
static int64_t f2i(double v) {
    if (v != v) return INT64_MIN;
    if (v >= 9.2233720368547758e18) return INT64_MIN; /* what x86 cvttsd2si yields */
    if (v <= -9.2233720368547758e18) return INT64_MIN;
    return (int64_t)v;
}

int64_t ct_load_i64(const void *p, ct_dtype d) {
    switch (d) {
    case CT_UINT8: return *(const uint8_t *)p;
    case CT_INT8: return *(const int8_t *)p;
    case CT_INT16: return *(const int16_t *)p;
    case CT_INT32: return *(const int32_t *)p;
    case CT_INT64: return *(const int64_t *)p;
    case CT_BOOL: return *(const uint8_t *)p != 0;
    default: return f2i(ct_load_f64(p, d));
    }
}

/* float -> integers narrower than 64 bits: x86 converts through int32
 * (cvttss2si), so NaN and out-of-int32-range values give INT32_MIN before
 * truncation to the target width -- PyTorch's results on this machine. */
static int32_t f2i32(double v) {
    if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
    return (int32_t)v;
}

void ct_store_f64(void *p, ct_dtype d, double v) {
    switch (d) {
    case CT_UINT8: *(uint8_t *)p = (uint8_t)f2i32(v); break;
    case CT_INT8: *(int8_t *)p = (int8_t)f2i32(v); break;
    case CT_INT16: *(int16_t *)p = (int16_t)f2i32(v); break;
    case CT_INT32: *(int32_t *)p = f2i32(v); break;
    case CT_INT64: *(int64_t *)p = f2i(v); break;
    case CT_FLOAT16: *(uint16_t *)p = ct_float_to_half((float)v); break;
    case CT_FLOAT32: *(float *)p = (float)v; break;
    case CT_FLOAT64: *(double *)p = v; break;
    case CT_BOOL: *(uint8_t *)p = v != 0; break;
    case CT_BFLOAT16: *(uint16_t *)p = ct_float_to_bf16((float)v); break;
    default: break;
    }
}

void ct_store_i64(void *p, ct_dtype d, int64_t v) {
    switch (d) {
    case CT_UINT8: *(uint8_t *)p = (uint8_t)v; break;
    case CT_INT8: *(int8_t *)p = (int8_t)v; break;
    case CT_INT16: *(int16_t *)p = (int16_t)v; break;
    case CT_INT32: *(int32_t *)p = (int32_t)v; break;
    case CT_INT64: *(int64_t *)p = v; break;
    case CT_BOOL: *(uint8_t *)p = v != 0; break;
    default: ct_store_f64(p, d, (double)v); break;
    }
}
