// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_debug: /proc/sys/vm/reliable_debug and reliable_debug=.
 *
 *   mem_reliable_debug check VALUE [LOG...]
 *	the sysctl is 0600 root's, reads VALUE (15 less what reliable_debug=
 *	switched off), refuses every bad write and an unprivileged reader,
 *	and the kernel log has each LOG line
 *   mem_reliable_debug clear BIT
 *	switch feature BIT (2 fallback, 4 tmpfs, 8 page cache) off: then it
 *	cannot be switched on again, and the other bits are unchanged
 *   mem_reliable_debug off
 *	clear bit 0: every feature off, the Reliable lines and
 *	/proc/<pid>/reliable gone, nothing can be switched on again
 *   mem_reliable_debug absent
 *	tiering did not come up: there is no sysctl
 *
 * Bits only ever go off, so "clear" and "off" run last in their boot; the
 * effect of each bit on new allocations is checked by mem_reliable_steer
 * run after them.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define SYSCTL	"/proc/sys/vm/reliable_debug"

static int value(void)
{
	return (int)mr_read_ll(SYSCTL, -1);
}

static const char *err_str(int err)
{
	return err ? strerror(-err) : "ok";
}

static void test_check(int want, int nlog, char **log)
{
	static const char * const bad[] = {
		"16", "-1", "abc", "15x", "4294967311", "0x10", "99999999999",
	};
	struct stat st;
	int i, status, fds[2], unpriv = 0;
	bool ok = true;
	pid_t pid;

	ksft_test_result(!stat(SYSCTL, &st) && (st.st_mode & 07777) == 0600 &&
			 !st.st_uid,
			 "%s: mode %o, owner %u\n", SYSCTL, st.st_mode & 07777,
			 st.st_uid);
	ksft_test_result(value() == want, "reads %d, expected %d\n", value(), want);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		int err = mr_write(SYSCTL, bad[i]);

		if (err != -EINVAL || value() != want) {
			ksft_print_msg("'%s': %s, now %d\n", bad[i], err_str(err),
				       value());
			ok = false;
		}
	}
	ksft_test_result(ok, "%zu bad values: EINVAL, value kept\n",
			 ARRAY_SIZE(bad));

	/* Writing the value in force is no change and allowed. */
	{
		char buf[8];

		snprintf(buf, sizeof(buf), "%d", want);
		i = mr_write(SYSCTL, buf);
	}
	ksft_test_result(!i && value() == want, "writing %d again: %s\n", want,
			 err_str(i));

	if (pipe(fds))
		ksft_exit_fail_msg("pipe\n");
	pid = fork();
	if (!pid) {
		char buf[8];
		int r[2];

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		r[0] = mr_read(SYSCTL, buf, sizeof(buf));
		r[1] = mr_write(SYSCTL, "0");
		if (write(fds[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	{
		int r[2] = { 1, 1 };

		if (read(fds[0], r, sizeof(r)) == sizeof(r) && r[0] == -EACCES &&
		    r[1] == -EACCES)
			unpriv = 1;
		ksft_test_result(unpriv && value() == want,
				 "unprivileged: read %s, write %s, value %d\n",
				 err_str(r[0]), err_str(r[1]), value());
	}
	close(fds[0]);
	waitpid(pid, &status, 0);

	for (i = 0; i < nlog; i++)
		ksft_test_result(mr_klog_has(log[i]), "kernel log: '%s'\n", log[i]);
}

static void test_clear(int bit)
{
	int old = value(), want = old & ~bit, err, back, b;
	char buf[16];
	bool others = true;

	snprintf(buf, sizeof(buf), "%d", want);
	err = mr_write(SYSCTL, buf);
	ksft_test_result(!err && value() == want,
			 "clear bit %d: %d -> %s, reads %d\n", bit, old, err_str(err),
			 value());
	snprintf(buf, sizeof(buf), "%d", want | bit);
	back = mr_write(SYSCTL, buf);
	ksft_test_result(back == -EINVAL && value() == want,
			 "writing %d to switch it on again: %s, reads %d\n",
			 want | bit, err_str(back), value());
	/* Nor any other bit that is off. */
	for (b = 2; b <= 8; b <<= 1) {
		if (want & b)
			continue;
		snprintf(buf, sizeof(buf), "%d", want | b);
		if (mr_write(SYSCTL, buf) != -EINVAL || value() != want)
			others = false;
	}
	ksft_test_result(others, "no bit that is off can be switched on (%d)\n",
			 value());
	ksft_test_result(mr_meminfo("ReliableTotal") > 0,
			 "tiering still on: ReliableTotal %lld kB\n",
			 mr_meminfo("ReliableTotal"));
}

static void test_off(void)
{
	int old = value(), err, b, r;
	char buf[16];
	bool none_on = true;

	snprintf(buf, sizeof(buf), "%d", old & ~1);
	err = mr_write(SYSCTL, buf);
	ksft_test_result(!err && value() == 0,
			 "bit 0 cleared (%d -> %s): reads %d\n", old, buf, value());
	for (b = 1; b <= 15; b++) {
		snprintf(buf, sizeof(buf), "%d", b);
		if (mr_write(SYSCTL, buf) != -EINVAL || value() != 0)
			none_on = false;
	}
	ksft_test_result(none_on, "1..15 refused, reads %d\n", value());
	ksft_test_result(mr_meminfo("ReliableTotal") < 0 &&
			 mr_meminfo("ReliableShmem") < 0 &&
			 mr_meminfo("FileCache") < 0,
			 "no Reliable lines in /proc/meminfo\n");
	r = mr_write("/proc/self/reliable", "0");
	ksft_test_result(r == -EACCES, "/proc/self/reliable: %s\n", err_str(r));
	{
		char *st = mr_read_file("/proc/self/status");

		ksft_test_result(st && !strstr(st, "\nReliable:"),
				 "no Reliable: line in /proc/self/status\n");
		free(st);
	}
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	ksft_print_header();
	if (!strcmp(what, "check") && argc >= 3) {
		ksft_set_plan(5 + argc - 3);
		test_check(atoi(argv[2]), argc - 3, argv + 3);
	} else if (!strcmp(what, "clear") && argc == 3) {
		ksft_set_plan(4);
		test_clear(atoi(argv[2]));
	} else if (!strcmp(what, "off")) {
		ksft_set_plan(5);
		test_off();
	} else if (!strcmp(what, "absent")) {
		struct stat st;
		int err;

		ksft_set_plan(1);
		err = stat(SYSCTL, &st) ? -errno : 0;
		ksft_test_result(err == -ENOENT, "tiering off: no %s (%s)\n",
				 SYSCTL, err_str(err));
	} else {
		ksft_exit_fail_msg("usage: %s check VALUE [LOG...] | clear BIT | off | absent\n",
				   argv[0]);
	}
	ksft_finished();
}
