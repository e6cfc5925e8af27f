/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two commands: "pvmm run" and "pvmm info".
 */
#ifndef PVMM_VMM_H
#define PVMM_VMM_H

#include "cli.h"

int vmm_run(const struct run_opts *o);
int vmm_info(void);

#endif /* PVMM_VMM_H */
