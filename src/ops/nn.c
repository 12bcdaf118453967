/* nn.c - kernel family 'nn' (see op.h for the calling convention). */
#include "op.h"

const cts_op_def cts_ops_nn[] = {
    {"", NULL},
};
const int cts_ops_nn_count = 0;
