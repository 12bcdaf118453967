/* dtype.h - element types, numbered as PyTorch's c10::ScalarType.
 *
 * The numbering is PyTorch's, because pickled archives store dtypes as these
 * integers (`torch.float16` is 5) and storages as `torch <Name>Storage`.
 * CTS_DTYPES is the one list; enum, names and sizes all come from it. */
#ifndef CTS_TENSOR_DTYPE_H
#define CTS_TENSOR_DTYPE_H

#include <stdbool.h>
#include <stdint.h>

/*        enum      id  size  torch name   storage name        IR prefix      C type  */
#define CTS_DTYPES(X)                                                                    \
    X(UINT8,      0,  1, "uint8",      "ByteStorage",     "Byte",        uint8_t)        \
    X(INT8,       1,  1, "int8",       "CharStorage",     "Char",        int8_t)         \
    X(INT16,      2,  2, "int16",      "ShortStorage",    "Short",       int16_t)        \
    X(INT32,      3,  4, "int32",      "IntStorage",      "Int",         int32_t)        \
    X(INT64,      4,  8, "int64",      "LongStorage",     "Long",        int64_t)        \
    X(FLOAT16,    5,  2, "float16",    "HalfStorage",     "Half",        uint16_t)       \
    X(FLOAT32,    6,  4, "float32",    "FloatStorage",    "Float",       float)          \
    X(FLOAT64,    7,  8, "float64",    "DoubleStorage",   "Double",      double)         \
    X(COMPLEX64,  9,  8, "complex64",  "ComplexFloatStorage", "ComplexFloat", float _Complex) \
    X(BOOL,      11,  1, "bool",       "BoolStorage",     "Bool",        bool)           \
    X(BFLOAT16,  15,  2, "bfloat16",   "BFloat16Storage", "BFloat16",    uint16_t)

typedef enum ct_dtype {
#define X(e, id, sz, nm, st, ir, ct) CT_##e = id,
    CTS_DTYPES(X)
#undef X
    CT_DTYPE_LIMIT = 16,
    CT_DTYPE_INVALID = -1
} ct_dtype;

bool ct_dtype_valid(int d);
int ct_dtype_size(ct_dtype d);
const char *ct_dtype_name(ct_dtype d);         /* "float32" */
const char *ct_dtype_storage_name(ct_dtype d); /* "FloatStorage" */
const char *ct_dtype_ir_name(ct_dtype d);      /* "Float" */
/* Known ScalarType numbers cts does not implement (complex, quantized) get a
 * name too so errors can say what they met; NULL for unknown numbers. */
const char *ct_scalar_type_name_any(int id);
ct_dtype ct_dtype_from_storage_name(const char *name); /* CT_DTYPE_INVALID if unknown */
bool ct_dtype_is_float(ct_dtype d);   /* float16/32/64, bfloat16 */
bool ct_dtype_is_int(ct_dtype d);     /* integral, bool excluded */
/* complex64 (pairs of float32: real, imag).  Only the kernels of
 * ops/complex_tensor.c accept complex tensors; the interpreter routes every
 * other tensor operator to a clear error when it meets one. */
bool ct_dtype_is_complex(ct_dtype d);

/* PyTorch's promoteTypes for two tensor dtypes. */
ct_dtype ct_promote(ct_dtype a, ct_dtype b);

/* Half and bfloat16 conversions (round to nearest even). */
float ct_half_to_float(uint16_t h);
uint16_t ct_float_to_half(float f);
float ct_bf16_to_float(uint16_t h);
uint16_t ct_float_to_bf16(float f);

/* Read/write one element of any dtype as double / int64. */
double ct_load_f64(const void *p, ct_dtype d);
int64_t ct_load_i64(const void *p, ct_dtype d);
void ct_store_f64(void *p, ct_dtype d, double v);
void ct_store_i64(void *p, ct_dtype d, int64_t v);

#endif
