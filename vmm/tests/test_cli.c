// SPDX-License-Identifier: GPL-2.0
/*
 * "pvmm run" option parsing: the vsock backends and what goes with them.
 */
#include "kselftest_harness.h"

#include "cli.h"
#include "log.h"

#define MAX_ARGS	16

/* Parse "run --kernel K" followed by the NULL-terminated @extra. */
static int parse(struct run_opts *o, const char *const *extra)
{
	char *argv[MAX_ARGS] = { "run", "--kernel", "Image" };
	int argc = 3;

	while (*extra && argc < MAX_ARGS - 1) {
		argv[argc++] = (char *)*extra++;
	}
	argv[argc] = NULL;
	return cli_parse_run(argc, argv, o);
}

#define PARSE(o, ...) ({					\
		static const char *const a[] = { __VA_ARGS__, NULL };	\
		parse(o, a);					\
	})

TEST(user_backend_is_the_default)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	ASSERT_EQ(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v"));
	EXPECT_EQ(VSOCK_BACKEND_USER, o.vsock_backend);
	EXPECT_EQ(3U, o.vsock_cid);
	EXPECT_STREQ("/tmp/v", o.vsock_uds);
	ASSERT_EQ(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v",
			   "--vsock-backend", "user"));
	EXPECT_EQ(VSOCK_BACKEND_USER, o.vsock_backend);
}

TEST(vhost_backend)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	ASSERT_EQ(0, PARSE(&o, "--vsock-cid", "42", "--vsock-backend",
			   "vhost"));
	EXPECT_EQ(VSOCK_BACKEND_VHOST, o.vsock_backend);
	EXPECT_EQ(42U, o.vsock_cid);
	EXPECT_EQ(NULL, o.vsock_uds);
	EXPECT_FALSE(o.protected);
}

TEST(vhost_refused_for_protected_vms)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	EXPECT_NE(0, PARSE(&o, "--protected", "--vsock-cid", "3",
			   "--vsock-backend", "vhost"));
	EXPECT_NE(0, PARSE(&o, "--vsock-backend", "vhost", "--vsock-cid",
			   "3", "--protected"));
	/* The user backend is fine for them. */
	EXPECT_EQ(0, PARSE(&o, "--protected", "--vsock-cid", "3",
			   "--vsock-uds", "/tmp/v"));
}

TEST(vsock_option_mistakes)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	EXPECT_NE(0, PARSE(&o, "--vsock-backend", "vhost"));
	EXPECT_NE(0, PARSE(&o, "--vsock-backend", "user"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-backend", "vhost",
			   "--vsock-uds", "/tmp/v"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-backend",
			   "kernel"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-backend", ""));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3"));
	EXPECT_NE(0, PARSE(&o, "--vsock-uds", "/tmp/v"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "2", "--vsock-backend",
			   "vhost"));
}

TEST(vsock_connect_timeout)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	ASSERT_EQ(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v"));
	EXPECT_EQ(0U, o.vsock_connect_timeout_ms);
	ASSERT_EQ(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v",
			   "--vsock-connect-timeout", "250"));
	EXPECT_EQ(250U, o.vsock_connect_timeout_ms);
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v",
			   "--vsock-connect-timeout", "0"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v",
			   "--vsock-connect-timeout", "600001"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-uds", "/tmp/v",
			   "--vsock-connect-timeout", "2s"));
	EXPECT_NE(0, PARSE(&o, "--vsock-connect-timeout", "250"));
	EXPECT_NE(0, PARSE(&o, "--vsock-cid", "3", "--vsock-backend", "vhost",
			   "--vsock-connect-timeout", "250"));
}

TEST(disks)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	ASSERT_EQ(0, PARSE(&o, "--disk", "/a.img", "--disk",
			   "/b.img,ro,id=payload", "--vendor", "/v.img"));
	ASSERT_EQ(2U, o.nr_disks);
	EXPECT_STREQ("/a.img", o.disk[0].path);
	EXPECT_FALSE(o.disk[0].read_only);
	EXPECT_STREQ("", o.disk[0].id);
	EXPECT_STREQ("/b.img", o.disk[1].path);
	EXPECT_TRUE(o.disk[1].read_only);
	EXPECT_STREQ("payload", o.disk[1].id);
	EXPECT_STREQ("/v.img", o.vendor);
	ASSERT_EQ(0, PARSE(&o, "--disk", "/a.img,id=12345678901234567890"));
	EXPECT_STREQ("12345678901234567890", o.disk[0].id);
}

TEST(disk_mistakes)
{
	struct run_opts o;

	log_set_level(LOG_ERR);
	EXPECT_NE(0, PARSE(&o, "--disk", ""));
	EXPECT_NE(0, PARSE(&o, "--disk", ",ro"));
	EXPECT_NE(0, PARSE(&o, "--disk", "/a.img,rw"));
	EXPECT_NE(0, PARSE(&o, "--disk", "/a.img,ro,"));
	EXPECT_NE(0, PARSE(&o, "--disk", "/a.img,id="));
	EXPECT_NE(0, PARSE(&o, "--disk", "/a.img,id=123456789012345678901"));
	EXPECT_NE(0, PARSE(&o, "--disk", "/1", "--disk", "/2", "--disk", "/3",
			   "--disk", "/4", "--disk", "/5"));
}

TEST_HARNESS_MAIN
