/* attention.c - kernel family 'attention' (see op.h for the calling convention). */
#include "op.h"

const cts_op_def cts_ops_attention[] = {
    {"", NULL},
};
const int cts_ops_attention_count = 0;
