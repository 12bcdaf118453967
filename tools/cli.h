/* cli.h - shared pieces of the cts command's subcommands. */
#ifndef CTS_TOOLS_CLI_H
#define CTS_TOOLS_CLI_H

#include "../src/core/error.h"
#include "../src/core/strbuf.h"
#include "../src/value/value.h"

/* Each subcommand: argv[0] is the subcommand name; returns the exit status. */
int cmd_run(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_ops(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_script(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_exec(int argc, char **argv);

/* Prints "cts: <message>" (first line only unless verbose) to stderr; returns 1. */
int cli_fail(const cts_err *err);
int cli_usage_error(const char *fmt, ...) CTS_PRINTF(1, 2);
/* Python-style repr of a value: tensors as PyTorch prints them. */
void cli_repr(cv_value v, cts_strbuf *sb);

#endif
