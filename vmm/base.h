/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-style fixed width types and small helpers shared by all of pvmm.
 */
#ifndef PVMM_BASE_H
#define PVMM_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define SZ_4K	0x1000ULL
#define SZ_64K	0x10000ULL
#define SZ_1M	0x100000ULL
#define SZ_2M	0x200000ULL

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* For all three, @a must be a power of two. */
static inline u64 align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline u64 align_up(u64 x, u64 a)
{
	return align_down(x + a - 1, a);
}

static inline bool is_aligned(u64 x, u64 a)
{
	return !(x & (a - 1));
}

static inline u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static inline u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

#endif /* PVMM_BASE_H */
