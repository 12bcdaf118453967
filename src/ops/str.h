/* str.h - values as text, the way TorchScript's str(), print() and
 * "{}".format() write them (PyTorch's `std::ostream << IValue`).
 *
 * This differs from cv_repr (the code printer's spelling): strings inside
 * containers are unquoted (`[a, b]`), floats print as `1.`, `0.10000000000000001`
 * or `1e+20`, and tensors print in ATen's C++ format (" 1\n 2\n[ CPULongType{2} ]"),
 * not Python's `tensor([1, 2])`. */
#ifndef CTS_OPS_STR_H
#define CTS_OPS_STR_H

#include "../core/strbuf.h"
#include "../value/value.h"

void cts_ivalue_str(cv_value v, cts_strbuf *sb);

/* A float as `std::ostream << IValue(double)` writes it. */
void cts_ivalue_float_str(double d, cts_strbuf *sb);

#endif
