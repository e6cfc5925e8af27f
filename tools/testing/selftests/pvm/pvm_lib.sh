#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the pvm selftest scripts, which source this file.

# The value of kernel parameter $1 on this boot's command line (the last,
# if it is given more than once), or nothing.
cmdline_value()
{
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}
