/* library.c - TorchScript sources that ship inside cts.
 *
 * PyTorch compiles some Python classes it owns when a program uses them
 * (torch.no_grad() is the class torch.autograd.grad_mode.no_grad); cts
 * carries their TorchScript source here, looked up by qualifier when
 * neither the archive nor the user's file defines them. */
#include <string.h>

#include "cu.h"

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
};

const char *cts_library_source(const char *qualifier) {
    for (size_t i = 0; i < sizeof LIBRARY / sizeof *LIBRARY; i++)
        if (strcmp(LIBRARY[i].qualifier, qualifier) == 0) return LIBRARY[i].text;
    return NULL;
}
