// SPDX-License-Identifier: GPL-2.0
/*
 * The "CONNECT <port>\n" parser: good lines, partial input, and junk.
 */
#include "kselftest_harness.h"

#include "connect_line.h"

/* As int: the harness compares against the (int) enumerators. */
static int clp(const char *s, size_t len, u32 *port, size_t *used)
{
	return connect_line_parse(s, len, port, used);
}

static int parse(const char *s, u32 *port, size_t *used)
{
	return clp(s, strlen(s), port, used);
}

TEST(simple)
{
	size_t used = 0;
	u32 port = 0;

	ASSERT_EQ(CONNECT_LINE_OK, parse("CONNECT 1234\n", &port, &used));
	EXPECT_EQ(1234U, port);
	EXPECT_EQ(13U, used);
}

TEST(extremes)
{
	size_t used;
	u32 port = 1;

	ASSERT_EQ(CONNECT_LINE_OK, parse("CONNECT 0\n", &port, &used));
	EXPECT_EQ(0U, port);
	ASSERT_EQ(CONNECT_LINE_OK, parse("CONNECT 4294967295\n", &port, &used));
	EXPECT_EQ(4294967295U, port);
	EXPECT_EQ(19U, used);
}

TEST(data_after_line_not_consumed)
{
	size_t used;
	u32 port;

	ASSERT_EQ(CONNECT_LINE_OK, parse("CONNECT 52\nGET / HTTP/1.0\n", &port,
					 &used));
	EXPECT_EQ(52U, port);
	EXPECT_EQ(11U, used);
}

TEST(crlf_accepted)
{
	size_t used;
	u32 port;

	ASSERT_EQ(CONNECT_LINE_OK, parse("CONNECT 80\r\n", &port, &used));
	EXPECT_EQ(80U, port);
	EXPECT_EQ(12U, used);
}

TEST(partial_input_needs_more)
{
	static const char *const partial[] = {
		"", "C", "CONN", "CONNECT", "CONNECT ", "CONNECT 1",
		"CONNECT 4294967295", "CONNECT 12\r",
	};
	size_t used = 99;
	u32 port = 99;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(partial); i++) {
		EXPECT_EQ(CONNECT_LINE_MORE, parse(partial[i], &port, &used))
			TH_LOG("input '%s'", partial[i]);
	}
	EXPECT_EQ(99U, port);
	EXPECT_EQ(99U, used);
}

TEST(byte_by_byte)
{
	const char *line = "CONNECT 2049\n";
	size_t i, n = strlen(line), used;
	u32 port;

	for (i = 0; i < n - 1; i++) {
		ASSERT_EQ(CONNECT_LINE_MORE,
			  clp(line, i, &port, &used));
	}
	ASSERT_EQ(CONNECT_LINE_OK, clp(line, n, &port, &used));
	EXPECT_EQ(2049U, port);
}

TEST(malformed)
{
	static const char *const bad[] = {
		"connect 1\n", "CONNECT\n", "CONNECT\x20\n", "CONNECT -1\n",
		"CONNECT +1\n", "CONNECT 1\x20\n", "CONNECT  1\n", "CONNECT 0x10\n",
		"CONNECT 4294967296\n", "CONNECT 99999999999\n",
		"CONNECT 12a\n", "CONNECT\t1\n", "CONNECT 1\r\r\n", "\n",
		"X", "CONNEC\n", "GET / HTTP/1.1\r\n",
		"CONNECT 00000000001\n",
	};
	size_t used;
	u32 port;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(CONNECT_LINE_BAD, parse(bad[i], &port, &used))
			TH_LOG("input '%s'", bad[i]);
	}
}

TEST(embedded_nul)
{
	static const char line[] = "CONNECT 1\0002\n";
	size_t used;
	u32 port;

	EXPECT_EQ(CONNECT_LINE_BAD,
		  clp(line, sizeof(line) - 1, &port, &used));
}

TEST(too_long_without_newline)
{
	char buf[CONNECT_LINE_MAX + 8];
	size_t used;
	u32 port;

	memset(buf, '1', sizeof(buf));
	memcpy(buf, "CONNECT ", 8);
	EXPECT_EQ(CONNECT_LINE_MORE,
		  clp(buf, CONNECT_LINE_MAX - 1, &port, &used));
	EXPECT_EQ(CONNECT_LINE_BAD,
		  clp(buf, CONNECT_LINE_MAX, &port, &used));
	EXPECT_EQ(CONNECT_LINE_BAD,
		  clp(buf, sizeof(buf), &port, &used));
}

TEST_HARNESS_MAIN
