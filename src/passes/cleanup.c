/* cleanup.c - the passes run on every freshly compiled function, in
 * PyTorch's runCleanupPasses order. */
#include "passes.h"

int cts_pass_cleanup(ir_graph *g, cts_err *err) {
    cts_pass_lower_simple_tuples(g);
    if (cts_pass_constant_prop_immutable(g, err)) return -1;
    cts_pass_constant_pooling(g);
    cts_pass_canonicalize_outputs(g);
    cts_pass_dce(g);
    return 0;
}
