/* cts.c - the cts command: run, inspect and (later) build TorchScript programs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../src/tensor/tensor_print.h"
#include "cli.h"

static const char USAGE[] =
    "usage: cts <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  run MODEL.pt [--method NAME] [--args ARGS.pt] [--output OUT.pt] [--threads N] [--no-optimize]\n"
    "                      call a method (default forward) and print the result\n"
    "  graph MODEL.pt [--method NAME] [--optimized]\n"
    "                      print the method's graph (PyTorch's .graph format); --optimized: the copy cts runs\n"
    "  code MODEL.pt [--method NAME]    print the method's code (PyTorch's .code format)\n"
    "  info MODEL.pt                    module tree, parameters, version, operators used\n"
    "  script FILE.py [--graph NAME] [--run NAME [--args ARGS.pt] [--output OUT.pt] [--no-print-result]]\n"
    "                      compile the @torch.jit.script functions of a Python file; print or run one\n"
    "  save IN.pt OUT.pt                load an archive and write it again (PyTorch loads the result)\n"
    "  trace MODEL.pt --args ARGS.pt [--method NAME] [--save OUT.pt]\n"
    "                      run the method on the inputs, record what runs (as torch.jit.trace), print the graph\n"
    "  exec FILE.py [--threads N]       run a Python program of the TorchScript tutorial (torch.jit.trace/script/save/load)\n"
    "  ops                              list the operators cts implements\n"
    "  bench MODEL.pt [--args ARGS.pt] [--threads N] [--runs N] [--warmup N] [--json] [--no-optimize]\n"
    "                      load time, first-call and median/min/max latency, peak RSS\n"
    "                      (--no-optimize: run the methods as loaded, without cts's passes)\n"
    "  help                             this text\n";

int cli_fail(const cts_err *err) {
    fprintf(stderr, "cts: error: %s\n", err->set ? err->msg : "unknown error");
    return 1;
}

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("cts: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(run 'cts help' for usage)\n", stderr);
    va_end(ap);
    return 2;
}

void cli_repr(cv_value v, cts_strbuf *sb) {
    switch (v.tag) {
    case CV_TENSOR:
        if (v.u.t) ct_tensor_repr(v.u.t, sb);
        else cts_sb_puts(sb, "None");
        break;
    case CV_FLOAT: cv_float_str(v.u.f, sb); break;
    case CV_STR: {
        /* Python's repr of a str uses single quotes */
        cts_sb_putc(sb, '\'');
        for (size_t i = 0; i < v.u.s->len; i++) {
            char c = v.u.s->data[i];
            if (c == '\'' || c == '\\') cts_sb_putc(sb, '\\');
            if (c == '\n') cts_sb_puts(sb, "\\n");
            else cts_sb_putc(sb, c);
        }
        cts_sb_putc(sb, '\'');
        break;
    }
    case CV_TUPLE:
        cts_sb_putc(sb, '(');
        for (size_t i = 0; i < v.u.tu->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cli_repr(v.u.tu->items[i], sb);
        }
        if (v.u.tu->len == 1) cts_sb_putc(sb, ',');
        cts_sb_putc(sb, ')');
        break;
    case CV_LIST:
        cts_sb_putc(sb, '[');
        for (size_t i = 0; i < v.u.l->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cli_repr(v.u.l->items[i], sb);
        }
        cts_sb_putc(sb, ']');
        break;
    case CV_DICT:
        cts_sb_putc(sb, '{');
        for (size_t i = 0; i < v.u.d->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cli_repr(v.u.d->entries[i].key, sb);
            cts_sb_puts(sb, ": ");
            cli_repr(v.u.d->entries[i].val, sb);
        }
        cts_sb_putc(sb, '}');
        break;
    default: cv_repr(v, sb);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "graph") == 0) return cmd_graph(argc - 1, argv + 1);
    if (strcmp(cmd, "code") == 0) return cmd_code(argc - 1, argv + 1);
    if (strcmp(cmd, "info") == 0) return cmd_info(argc - 1, argv + 1);
    if (strcmp(cmd, "ops") == 0) return cmd_ops(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 1, argv + 1);
    if (strcmp(cmd, "script") == 0) return cmd_script(argc - 1, argv + 1);
    if (strcmp(cmd, "save") == 0) return cmd_save(argc - 1, argv + 1);
    if (strcmp(cmd, "trace") == 0) return cmd_trace(argc - 1, argv + 1);
    if (strcmp(cmd, "exec") == 0) return cmd_exec(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    return cli_usage_error("unknown command '%s'", cmd);
}
