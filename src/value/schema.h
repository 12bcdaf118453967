/* schema.h - operator schemas: `aten::add.Tensor(Tensor self, Tensor other,
 * *, Scalar alpha=1) -> Tensor`, parsed as PyTorch's function_schema_parser.
 *
 * Argument types are the "fake" types used for matching (Scalar = number,
 * SymInt/ScalarType/Layout/MemoryFormat = int, Dimname = str); type
 * variables (`t`, `tVal`) are TY_VAR.  Defaults are parsed with the
 * argument's type (`int[2] stride=1` gives [1, 1]).  A parsed schema owns
 * its types and default values; it is immutable afterwards. */
#ifndef CTS_VALUE_SCHEMA_H
#define CTS_VALUE_SCHEMA_H

#include <stdbool.h>

#include "../core/error.h"
#include "../core/strbuf.h"
#include "type.h"
#include "value.h"

typedef struct cts_arg {
    char *name;          /* "" for unnamed returns */
    cts_type *type;      /* fake type for matching */
    int N;               /* fixed size of a broadcasting list (`int[2]`), 0 if none */
    bool kwarg_only;
    bool has_default;
    cv_value default_val;
    bool is_write;       /* alias annotation with `!` */
    bool is_alias;       /* any alias annotation (`Tensor(a)`, `Tensor(a!)`, `t(a -> *)`): may share memory */
    bool is_out;         /* a kwarg-only written Tensor (out= argument) */
} cts_arg;

typedef struct cts_schema {
    char *name;          /* "aten::add" */
    char *overload;      /* "Tensor", or "" */
    int nargs, nrets;
    cts_arg *args, *rets;
    bool is_vararg, is_varret;
    const char *text;    /* the source text (not owned) when parsed from a table */
} cts_schema;

/* Parses one schema string (len bytes); returns NULL and sets err on a
 * malformed schema.  `text` is remembered (not copied) if keep_text. */
cts_schema *cts_schema_parse(const char *text, cts_err *err);
void cts_schema_free(cts_schema *s);
/* Prints the schema as PyTorch does (for messages and `cts ops`). */
void cts_schema_str(const cts_schema *s, cts_strbuf *sb);
/* Parses a schema type string ("int[]", "Tensor?", "(int, str)", ...). */
cts_type *cts_schema_parse_type(const char *text, cts_err *err);
/* Number of args without default that are not kwarg-only. */
int cts_schema_min_args(const cts_schema *s);

#endif
