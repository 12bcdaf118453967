/* rnn.c - kernel family 'rnn' (see op.h for the calling convention). */
#include "op.h"

const cts_op_def cts_ops_rnn[] = {
    {"", NULL},
};
const int cts_ops_rnn_count = 0;
