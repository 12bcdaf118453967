/* library_sources.h - the TorchScript texts library.c serves (one per
 * qualifier), defined in library_*.c. */
#ifndef CTS_COMPILER_LIBRARY_SOURCES_H
#define CTS_COMPILER_LIBRARY_SOURCES_H

extern const char CTS_LIB_FUNCTIONAL[];               /* __torch__.torch.nn.functional */
extern const char CTS_LIB_FUNCTIONAL_INTERPOLATE_1[]; /* ...functional.___torch_mangle_0 */
extern const char CTS_LIB_FUNCTIONAL_INTERPOLATE_2[]; /* ...functional.___torch_mangle_1 */
extern const char CTS_LIB_FUNCTIONAL_INTERPOLATE_3[]; /* ...functional.___torch_mangle_2 */
extern const char CTS_LIB_REDUCTION[];                /* __torch__.torch.nn._reduction */
extern const char CTS_LIB_MODULES_UTILS[];            /* __torch__.torch.nn.modules.utils */

#endif
