/* enum.h - Enum classes: declaration from a class body, members as values,
 * and the sugared forms the emitter needs (see enum.c). */
#ifndef CTS_COMPILER_ENUM_H
#define CTS_COMPILER_ENUM_H

#include "cu.h"

/* Declares `class Name(Enum)` from its body c (registered in cu->classes). */
cts_type *cts_enum_declare(cts_cu *cu, const char *qualname, const ast *c, const cts_source *src, cts_err *err);
/* The members' value type (int, float or str), NULL for a non-enum or an empty enum. */
cts_type *cts_enum_value_type(const cts_type *t);
/* Member i of enum type t as a value (new reference). */
int cts_enum_member(cts_type *t, int i, cv_value *out, cts_err *err);

/* The member of t whose value is value (or a 1-tuple of it, as pickles
 * reduce enums); an error naming the value if there is none. */
int cts_enum_from_value(cts_type *t, cv_value value, cv_value *out, cts_err *err);

#ifdef CTS_COMPILER_EMIT_INTERNAL_H
/* `Color.RED`: a constant member (errors if field is no member). */
sv *em_enum_class_attr(emitter *e, cts_type *t, const char *field, uint32_t start, uint32_t end);
/* `x.name` / `x.value` on an enum value. */
sv *em_enum_value_attr(emitter *e, ir_value *v, const char *field, uint32_t start, uint32_t end);
/* `for x in Color`: a constant list of all members. */
sv *em_enum_iter(emitter *e, cts_type *t, uint32_t start, uint32_t end);
#endif

#endif
