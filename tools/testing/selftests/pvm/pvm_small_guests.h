/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small guests of pvm_hostile_test and pvm_perf_test (guest/tlbi.c,
 * serror.c, sve.c, spin.c, tpidr2.c). Each takes x0 = struct writer_params
 * (pvm_writer_guest.h) and ends with a write to @mmio, after:
 *  - tlbi_guest: TLBI VMALLE1 and DSB ISH;
 *  - serror_guest: unmasking SError and a first write to @mmio;
 *  - sve_guest: a first write to @mmio, then enabling SVE in CPACR_EL1
 *    and setting every byte of z0 to 0x5a;
 *  - spin_guest: a loop of @data iterations;
 *  - tpidr2_guest: writing @data to TPIDR2_EL0 unless it is 0, then
 *    reading it and writing what it read; an UNDEF writes its ESR to
 *    @mmio + 8 instead.
 *
 * physread_guest is not one of them: it takes in x0 an address, which it
 * loads into x5 before it asks for PSCI SYSTEM_OFF (guest/physread.S).
 */
#ifndef PVM_SMALL_GUESTS_H
#define PVM_SMALL_GUESTS_H

#include <stdint.h>

#include "pvm_writer_guest.h"

extern const uint32_t tlbi_guest[], tlbi_guest_end[];
extern const uint32_t serror_guest[], serror_guest_end[];
extern const uint32_t sve_guest[], sve_guest_end[];
extern const uint32_t spin_guest[], spin_guest_end[];
extern const uint32_t physread_guest[], physread_guest_end[];
extern const uint32_t tpidr2_guest[], tpidr2_guest_end[];

#endif /* PVM_SMALL_GUESTS_H */
