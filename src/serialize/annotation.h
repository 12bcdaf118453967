/* annotation.h - TorchScript type annotations as written in type tags. */
#ifndef CTS_SERIALIZE_ANNOTATION_H
#define CTS_SERIALIZE_ANNOTATION_H

#include "../core/error.h"
#include "../value/type.h"

/* Parses a TorchScript annotation as written in type tags: int, float,
 * bool, str, Tensor, None/NoneType, Any, number, complex, Device,
 * Optional[T], List[T], Dict[K, V], Tuple[T, ...] (Tuple[()] empty),
 * Union[...], Future[T], and qualified __torch__ names (through
 * resolve_class, which may be NULL).  Returns a new reference, or NULL with
 * err naming the annotation and the problem. */
cts_type *cts_parse_annotation(const char *annot,
                               cts_type *(*resolve_class)(void *ctx, const char *module, const char *name,
                                                          cts_err *err),
                               void *ctx, cts_err *err);

#endif
