/* library.c - TorchScript sources that ship inside cts.
 *
 * PyTorch compiles some Python classes it owns when a program uses them
 * (torch.no_grad() is the class torch.autograd.grad_mode.no_grad, F.relu
 * the function torch.nn.functional.relu); cts carries their TorchScript
 * source here (torch.nn.functional in library_functional.c), looked up by
 * qualifier when neither the archive nor the user's file defines them. */
#include <string.h>

#include "cu.h"
#include "library_sources.h"

typedef struct lib_source {
    const char *qualifier;
    const char *text;
} lib_source;

static const lib_source LIBRARY[] = {
    {"__torch__.torch.autograd.grad_mode",
     "class no_grad:\n"
     "  prev : bool\n"
     "  def __init__(self) -> None:\n"
     "    self.prev = False\n"
     "  def __enter__(self) -> None:\n"
     "    self.prev = torch.is_grad_enabled()\n"
     "    torch.set_grad_enabled(False)\n"
     "  def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:\n"
     "    torch.set_grad_enabled(self.prev)\n"},
    {"__torch__.torch.nn.functional",                   CTS_LIB_FUNCTIONAL},
    {"__torch__.torch.nn.functional.___torch_mangle_0", CTS_LIB_FUNCTIONAL_INTERPOLATE_1},
    {"__torch__.torch.nn.functional.___torch_mangle_1", CTS_LIB_FUNCTIONAL_INTERPOLATE_2},
    {"__torch__.torch.nn.functional.___torch_mangle_2", CTS_LIB_FUNCTIONAL_INTERPOLATE_3},
    {"__torch__.torch.nn._reduction",                   CTS_LIB_REDUCTION},
    {"__torch__.torch.nn.modules.utils",                CTS_LIB_MODULES_UTILS},
};

const char *cts_library_source(const char *qualifier) {
    for (size_t i = 0; i < sizeof LIBRARY / sizeof *LIBRARY; i++)
        if (strcmp(LIBRARY[i].qualifier, qualifier) == 0) return LIBRARY[i].text;
    return NULL;
}
