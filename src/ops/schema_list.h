/* schema_list.h - PyTorch 1.13's operator schemas in registry order. */
#ifndef CTS_OPS_SCHEMA_LIST_H
#define CTS_OPS_SCHEMA_LIST_H

int cts_schema_count(void);
const char *cts_schema_text(int i);
/* Fills out[] with the registry indices of every schema named qualname
 * ("aten::add"), in registry order; returns how many exist (may exceed max). */
int cts_schema_find(const char *qualname, int *out, int max);

#endif
