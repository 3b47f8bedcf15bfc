// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_limit: the limits of mirrored page cache and tmpfs.
 *
 *   mem_reliable_limit sysctl      reliable_pagecache_max_bytes and
 *                                  shmem_reliable_bytes_limit: mode, default,
 *                                  the range 0..ReliableTotal, EINVAL with the
 *                                  old value kept, EACCES for an unprivileged
 *                                  writer
 *   mem_reliable_limit pagecache   64 MiB read from ext4 (/dev/vda) by an
 *                                  ordinary process with the limit 16 MiB
 *                                  above ReliableFileCache: 16 MiB mirrored,
 *                                  the rest in ZONE_MOVABLE; a reliable
 *                                  process's read is not held back
 *   mem_reliable_limit shmem on    the same for 64 MiB written to tmpfs
 *   mem_reliable_limit shmem off   fallback switched off first (for the rest
 *                                  of the boot): the write stops at the limit
 *                                  with ENOSPC, a fault there gets SIGBUS,
 *                                  fallocate() ENOSPC, nobody is OOM-killed;
 *                                  a reliable process still writes
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define MiB		(1024UL * 1024)
#define PAGES(b)	((b) / 4096)
#define TL		"/proc/sys/vm/task_reliable_limit"
#define PC		"/proc/sys/vm/reliable_pagecache_max_bytes"
#define SH		"/proc/sys/vm/shmem_reliable_bytes_limit"
#define DEBUG		"/proc/sys/vm/reliable_debug"
#define TMPFS		"/mnt/mr_limit"
/* Pages a folio batch of lru_add holds on each CPU before they count. */
#define LRU_BATCH	31

static struct mr_blocks blocks;

static const char *err_str(int err)
{
	return err ? strerror(-err) : "ok";
}

static unsigned long long sysctl_value(const char *path)
{
	char buf[32];

	if (mr_read(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 10);
}

static int set_limit(const char *path, unsigned long long bytes)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", bytes);
	return mr_write(path, buf);
}

/* How many times the kernel log has @s. */
static int klog_count(const char *s)
{
	int size = klogctl(10, NULL, 0), n, count = 0;
	char *buf = size > 0 ? malloc(size + 1) : NULL, *p;

	if (!buf)
		return -1;
	n = klogctl(3, buf, size);
	buf[n < 0 ? 0 : n] = '\0';
	for (p = buf; (p = strstr(p, s)); p += strlen(s))
		count++;
	free(buf);
	return count;
}

/* A line of /proc/meminfo in pages. */
static long long meminfo_pages(const char *name)
{
	long long kb = mr_meminfo(name);

	return kb < 0 ? -1 : kb / 4;
}

static void check_sysctl(const char *path, unsigned long long dflt,
			 const char *other_max, bool task)
{
	unsigned long long total = mr_meminfo("ReliableTotal") * 1024ULL;
	unsigned long long used = mr_meminfo("ReliableTaskUsed") * 1024ULL;
	char big[32], bad_total[32], low[32];
	const char *bad[8];
	unsigned long long low_ok;
	int i, err, status;
	struct stat st;
	bool ok = true;
	pid_t pid;

	snprintf(bad_total, sizeof(bad_total), "%llu", total + 1);
	snprintf(big, sizeof(big), "%llu", total * 2);
	snprintf(low, sizeof(low), "%llu", used - 16 * MiB);
	bad[0] = bad_total;
	bad[1] = "-1";
	bad[2] = "abc";
	bad[3] = "18446744073709551616";
	bad[4] = big;
	bad[5] = other_max;
	bad[6] = task ? "0" : NULL;
	bad[7] = task ? low : NULL;
	ksft_test_result(!stat(path, &st) && (st.st_mode & 07777) == 0644 &&
			 !st.st_uid, "%s: mode %o, owner %u\n", path,
			 st.st_mode & 07777, st.st_uid);
	ksft_test_result(sysctl_value(path) == dflt, "%s reads %llu, default %llu\n",
			 path, sysctl_value(path), dflt);

	err = set_limit(path, total);
	ksft_test_result(!err && sysctl_value(path) == total,
			 "ReliableTotal (%llu bytes) accepted: %s, reads %llu\n",
			 total, err_str(err), sysctl_value(path));
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		if (!bad[i])
			continue;
		err = mr_write(path, bad[i]);
		if (err != -EINVAL || sysctl_value(path) != total) {
			ksft_print_msg("'%s': %s, now %llu\n", bad[i], err_str(err),
				       sysctl_value(path));
			ok = false;
		}
	}
	ksft_test_result(ok, "%s, negative, not a number, too big: EINVAL, value kept\n",
			 task ? "above ReliableTotal, below ReliableTaskUsed" :
			 "above ReliableTotal");

	/* The lowest value allowed, and one not a whole number of pages. */
	low_ok = task ? used + 64 * MiB + 1 : 4097;
	err = set_limit(path, task ? used + 64 * MiB : 0) ?:
	      set_limit(path, low_ok) ?: (sysctl_value(path) != low_ok ? -EIO : 0);
	ksft_test_result(!err, "%s and %llu accepted and read back: %s\n",
			 task ? "ReliableTaskUsed + 64 MiB" : "0", low_ok, err_str(err));

	pid = fork();
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		err = mr_write(path, "0");
		_exit(err == -EACCES || err == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 sysctl_value(path) == low_ok,
			 "an unprivileged writer is refused, value kept (status %#x)\n",
			 status);

	err = set_limit(path, dflt);
	ksft_test_result(!err && sysctl_value(path) == dflt,
			 "the default written back: %s\n", err_str(err));
}

static void test_sysctl(void)
{
	check_sysctl(TL, 18446744073709551615ULL, NULL, true);
	check_sysctl(PC, 18446744073709551615ULL, NULL, false);
	check_sysctl(SH, 9223372036854775807ULL, "18446744073709551615", false);
}

/* In a child, reliable or not: read (@write: write) @path, @len bytes. */
static int in_child(bool reliable, const char *path, size_t len, bool write)
{
	int status;
	pid_t pid;

	pid = fork();
	if (!pid) {
		char buf[65536];
		int fd;

		if (reliable && mr_write("/proc/self/reliable", "1"))
			_exit(5);
		if (write)
			_exit(mr_write_file(path, len) ? 6 : 0);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(7);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void test_pagecache(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long f0, f1, limit;
	struct mr_tiers t, r;
	int status, err;

	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL))
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	err = mr_write_file("/mnt/vda/a", 64 * MiB) ?:
	      mr_write_file("/mnt/vda/b", 32 * MiB);
	if (err)
		ksft_exit_fail_msg("write to ext4: %s\n", strerror(-err));
	sync();
	mr_write("/proc/sys/vm/drop_caches", "3");

	f0 = meminfo_pages("ReliableFileCache");
	limit = f0 + PAGES(16 * MiB);
	err = set_limit(PC, limit * 4096);
	if (err)
		ksft_exit_fail_msg("limit of %lld pages: %s\n", limit, err_str(err));
	status = in_child(false, "/mnt/vda/a", 64 * MiB, false);
	f1 = meminfo_pages("ReliableFileCache");
	err = mr_file_tiers(&blocks, "/mnt/vda/a", 64 * MiB, &t);
	ksft_print_msg("ReliableFileCache %lld -> %lld pages, limit %lld\n",
		       f0, f1, limit);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !err &&
			 f1 <= limit + LRU_BATCH * ncpu,
			 "ordinary read of 64 MiB: ReliableFileCache %lld pages, at most the limit %lld + %ld\n",
			 f1, limit, LRU_BATCH * ncpu);
	ksft_test_result(!err && t.mirrored + t.movable == PAGES(64 * MiB) &&
			 t.mirrored + 64 >= PAGES(16 * MiB) &&
			 t.mirrored <= PAGES(16 * MiB) + LRU_BATCH * ncpu,
			 "its pages: 16 MiB mirrored, the rest in ZONE_MOVABLE (%s)\n",
			 mr_tiers_str(&t));

	status = in_child(true, "/mnt/vda/b", 32 * MiB, false);
	err = mr_file_tiers(&blocks, "/mnt/vda/b", 32 * MiB, &r);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !err &&
			 r.mirrored == PAGES(32 * MiB),
			 "a reliable process's read over the limit: all mirrored (%s)\n",
			 mr_tiers_str(&r));

	err = set_limit(PC, 18446744073709551615ULL);
	if (err)
		ksft_exit_fail_msg("limit lifted: %s\n", err_str(err));
	unlink("/mnt/vda/a");
	unlink("/mnt/vda/b");
	umount("/mnt/vda");
}

/* Fallback on: tmpfs over the limit goes to ZONE_MOVABLE. */
static void shmem_fallback(void)
{
	long long s0, s1, s2, s3, limit;
	struct mr_tiers t, r;
	int status, err;

	s0 = meminfo_pages("ReliableShmem");
	limit = s0 + PAGES(16 * MiB);
	err = set_limit(SH, limit * 4096);
	if (err)
		ksft_exit_fail_msg("limit of %lld pages: %s\n", limit, err_str(err));
	status = in_child(false, TMPFS "/a", 64 * MiB, true);
	s1 = meminfo_pages("ReliableShmem");
	err = mr_file_tiers(&blocks, TMPFS "/a", 64 * MiB, &t);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !err &&
			 s1 <= limit,
			 "ordinary write of 64 MiB: ReliableShmem %lld -> %lld pages, limit %lld\n",
			 s0, s1, limit);
	ksft_test_result(!err && t.mirrored + t.movable == PAGES(64 * MiB) &&
			 t.mirrored + 32 >= PAGES(16 * MiB) &&
			 t.mirrored <= PAGES(16 * MiB),
			 "its pages: 16 MiB mirrored, the rest in ZONE_MOVABLE (%s)\n",
			 mr_tiers_str(&t));

	status = in_child(true, TMPFS "/b", 16 * MiB, true);
	s2 = meminfo_pages("ReliableShmem");
	err = mr_file_tiers(&blocks, TMPFS "/b", 16 * MiB, &r);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !err &&
			 r.mirrored == PAGES(16 * MiB) &&
			 s2 == s1 + (long long)PAGES(16 * MiB),
			 "a reliable process's write over the limit: all mirrored, ReliableShmem %lld (%s)\n",
			 s2, mr_tiers_str(&r));

	unlink(TMPFS "/a");
	unlink(TMPFS "/b");
	s3 = meminfo_pages("ReliableShmem");
	ksft_test_result(s3 == s0, "files removed: ReliableShmem %lld, was %lld\n",
			 s3, s0);
}

struct outcome {
	long long written;
	int err;
};

/* Fallback off: tmpfs refuses a page over the limit; nobody is killed. */
static void shmem_no_fallback(struct outcome *o)
{
	long long s0, s1, limit, oom0 = mr_vmstat("oom_kill");
	int status, err, fd, dbg;
	struct mr_tiers t;
	pid_t pid;

	dbg = (int)mr_read_ll(DEBUG, -1);
	{
		char buf[8];

		snprintf(buf, sizeof(buf), "%d", dbg & ~2);
		err = mr_write(DEBUG, buf);
	}
	if (err || (mr_read_ll(DEBUG, -1) & 2))
		ksft_exit_fail_msg("fallback not switched off: %s\n", err_str(err));

	s0 = meminfo_pages("ReliableShmem");
	limit = s0 + PAGES(16 * MiB);
	err = set_limit(SH, limit * 4096);
	if (err)
		ksft_exit_fail_msg("limit of %lld pages: %s\n", limit, err_str(err));

	o->written = 0;
	o->err = 0;
	pid = fork();
	if (!pid) {
		char buf[65536];
		ssize_t n;

		memset(buf, 0x5a, sizeof(buf));
		fd = open(TMPFS "/a", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			_exit(2);
		while (o->written < (long long)(64 * MiB)) {
			n = write(fd, buf, sizeof(buf));
			if (n < 0) {
				o->err = errno;
				break;
			}
			o->written += n;
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
	s1 = meminfo_pages("ReliableShmem");
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 o->err == ENOSPC && s1 <= limit &&
			 o->written + 32 * 4096 >= (long long)(16 * MiB) &&
			 o->written <= (long long)(16 * MiB),
			 "ordinary write of 64 MiB: %lld bytes, then %s; ReliableShmem %lld, limit %lld\n",
			 o->written, strerror(o->err), s1, limit);
	err = mr_file_tiers(&blocks, TMPFS "/a", o->written & ~4095LL, &t);
	ksft_test_result(!err && t.mirrored == (unsigned long)PAGES(o->written) &&
			 !t.movable, "the pages written: all mirrored (%s)\n",
			 mr_tiers_str(&t));

	/* A fault on a hole of a tmpfs file over the limit. */
	pid = fork();
	if (!pid) {
		char *p;

		fd = open(TMPFS "/c", O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, 4 * MiB))
			_exit(2);
		p = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(3);
		mr_touch(p, 4 * MiB, 1);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
			 "a write fault over the limit: SIGBUS (status %#x)\n", status);

	fd = open(TMPFS "/d", O_RDWR | O_CREAT | O_TRUNC, 0600);
	err = fd < 0 ? -errno : fallocate(fd, 0, 0, 4 * MiB) ? -errno : 0;
	if (fd >= 0)
		close(fd);
	ksft_test_result(err == -ENOSPC, "fallocate() of 4 MiB over the limit: %s\n",
			 err_str(err));

	status = in_child(true, TMPFS "/b", 16 * MiB, true);
	err = mr_file_tiers(&blocks, TMPFS "/b", 16 * MiB, &t);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !err &&
			 t.mirrored == PAGES(16 * MiB),
			 "a reliable process still writes 16 MiB, all mirrored (%s)\n",
			 mr_tiers_str(&t));
	ksft_test_result(mr_vmstat("oom_kill") == oom0, "no OOM kill: oom_kill %lld, was %lld\n",
			 mr_vmstat("oom_kill"), oom0);

	unlink(TMPFS "/a");
	unlink(TMPFS "/b");
	unlink(TMPFS "/c");
	unlink(TMPFS "/d");
}

/* What a reliable child saw of its own pages. */
struct child_report {
	struct mr_tiers anon, file;
	long long used, written;
	int err, steps;
};

static struct child_report *report;
/* oom_score_adj of the next reliable child. */
static const char *child_adj = "0";

/*
 * A reliable child: touch @anon_len bytes of anonymous memory 1 MiB at a
 * time, noting its tiers after each step; then write @shmem_len bytes to
 * a tmpfs file (until an error), then read @file (@file_len bytes).
 */
static int reliable_child(size_t anon_len, size_t shmem_len, const char *file,
			  size_t file_len)
{
	int status;
	pid_t pid;

	memset(report, 0, sizeof(*report));
	pid = fork();
	if (!pid) {
		char buf[65536];
		char *p = NULL;
		int fd;

		if (mr_write("/proc/self/reliable", "1") ||
		    mr_write("/proc/self/oom_score_adj", child_adj))
			_exit(5);
		/*
		 * Any new page of the child's own counts: the buffer of the
		 * meminfo reader, taken now and reused at the end, and the
		 * stack buffer are in place before the limit is reached.
		 */
		report->used = meminfo_pages("ReliableTaskUsed");
		memset(buf, 0x5a, sizeof(buf));
		if (anon_len) {
			p = mmap(NULL, anon_len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(6);
			/* Page by page: a huge page would cross the limit whole. */
			madvise(p, anon_len, MADV_NOHUGEPAGE);
		}
		for (size_t off = 0; off < anon_len; off += MiB) {
			mr_touch(p + off, MiB, 1);
			mr_tiers_of(&blocks, 0, p, off + MiB, &report->anon);
			report->steps++;
		}
		fd = shmem_len ? open(TMPFS "/r", O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
		while (fd >= 0 && report->written < (long long)shmem_len) {
			ssize_t n = write(fd, buf, sizeof(buf));

			if (n < 0) {
				report->err = errno;
				break;
			}
			report->written += n;
		}
		if (fd >= 0)
			close(fd);
		fd = file ? open(file, O_RDONLY) : -1;
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		if (fd >= 0)
			close(fd);
		report->used = meminfo_pages("ReliableTaskUsed");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	/* The page cache stays: its tiers are read here, not over the limit. */
	if (file)
		mr_file_tiers(&blocks, file, file_len, &report->file);
	return status;
}

static void prepare_disk(void)
{
	int err;

	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL))
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	err = mr_write_file("/mnt/vda/a", 64 * MiB) ?:
	      mr_write_file("/mnt/vda/b", 16 * MiB);
	if (err)
		ksft_exit_fail_msg("write to ext4: %s\n", strerror(-err));
	sync();
	mr_write("/proc/sys/vm/drop_caches", "3");
}

static void release_disk(void)
{
	unlink("/mnt/vda/a");
	unlink("/mnt/vda/b");
	umount("/mnt/vda");
}

/* task_reliable_limit ReliableTaskUsed + @above bytes; the limit in pages. */
static long long set_task_limit(unsigned long above)
{
	long long limit = meminfo_pages("ReliableTaskUsed") + PAGES(above);
	int err = set_limit(TL, limit * 4096);

	if (err)
		ksft_exit_fail_msg("task limit of %lld pages: %s\n", limit,
				   err_str(err));
	return limit;
}

/* Fallback on. */
static void test_task(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long limit, scan0, steal0, f0, f1, excess;
	int status;

	prepare_disk();
	/*
	 * Less than 4 MiB of mirrored page cache: no reclaim, the reliable
	 * process's pages over the limit go to ZONE_MOVABLE, and so does its
	 * page cache.
	 */
	f0 = meminfo_pages("ReliableFileCache");
	if (f0 >= (long long)PAGES(4 * MiB))
		ksft_exit_fail_msg("%lld pages of mirrored page cache after drop_caches\n", f0);
	limit = set_task_limit(16 * MiB);
	scan0 = mr_vmstat("pgscan_direct");
	status = reliable_child(64 * MiB, 0, "/mnt/vda/b", 16 * MiB);
	ksft_print_msg("limit %lld pages; the child saw ReliableTaskUsed %lld;",
		       limit, report->used);
	printf(" pgscan_direct +%lld\n", mr_vmstat("pgscan_direct") - scan0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 report->anon.mirrored + report->anon.movable == PAGES(64 * MiB) &&
			 report->anon.mirrored + 256 >= PAGES(16 * MiB) &&
			 report->anon.mirrored <= PAGES(16 * MiB) + LRU_BATCH * ncpu &&
			 report->used <= limit + LRU_BATCH * ncpu,
			 "reliable process, 64 MiB over a limit 16 MiB away: 16 MiB mirrored, the rest in ZONE_MOVABLE (%s)\n",
			 mr_tiers_str(&report->anon));
	ksft_test_result(report->file.movable == PAGES(16 * MiB),
			 "its page cache over the limit: in ZONE_MOVABLE (%s)\n",
			 mr_tiers_str(&report->file));
	ksft_test_result(mr_vmstat("pgscan_direct") == scan0,
			 "under 4 MiB of mirrored page cache (%lld pages): no direct reclaim\n",
			 f0);

	/* 64 MiB of mirrored page cache: reclaimed for the process first. */
	if (set_limit(TL, 18446744073709551615ULL))
		ksft_exit_fail_msg("task limit not lifted\n");
	mr_write("/proc/sys/vm/drop_caches", "3");
	if (in_child(false, "/mnt/vda/a", 64 * MiB, false))
		ksft_exit_fail_msg("cannot read /mnt/vda/a\n");
	f0 = meminfo_pages("ReliableFileCache");
	limit = set_task_limit(0);
	scan0 = mr_vmstat("pgscan_direct");
	steal0 = mr_vmstat("pgsteal_direct");
	status = reliable_child(32 * MiB, 0, NULL, 0);
	f1 = meminfo_pages("ReliableFileCache");
	ksft_print_msg("ReliableFileCache %lld -> %lld pages;", f0, f1);
	printf(" pgscan_direct +%lld, pgsteal_direct +%lld\n",
	       mr_vmstat("pgscan_direct") - scan0,
	       mr_vmstat("pgsteal_direct") - steal0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 report->anon.mirrored == PAGES(32 * MiB) &&
			 report->used <= limit + LRU_BATCH * ncpu,
			 "reliable process, 32 MiB at the limit: all mirrored (%s), ReliableTaskUsed %lld, limit %lld\n",
			 mr_tiers_str(&report->anon), report->used, limit);
	ksft_test_result(f0 - f1 + LRU_BATCH * ncpu >= (long long)PAGES(32 * MiB) &&
			 mr_vmstat("pgsteal_direct") - steal0 + LRU_BATCH * ncpu >=
			 (long long)PAGES(32 * MiB),
			 "page cache reclaimed for it first: %lld pages\n", f0 - f1);

	/*
	 * 56 MiB of ordinary page cache above the limit: the reliable
	 * process's first page reclaims 32 MiB of it and falls back, with the
	 * 32 after it; the next reclaims the rest: a fault reclaims at most
	 * 32 MiB while it may fall back.
	 */
	mr_write("/proc/sys/vm/drop_caches", "1");
	limit = set_task_limit(8 * MiB);
	if (in_child(false, "/mnt/vda/a", 64 * MiB, false))
		ksft_exit_fail_msg("cannot read /mnt/vda/a\n");
	f0 = meminfo_pages("ReliableFileCache");
	excess = meminfo_pages("ReliableTaskUsed") - limit;
	status = reliable_child(MiB, 0, NULL, 0);
	f1 = meminfo_pages("ReliableFileCache");
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 excess >= (long long)PAGES(48 * MiB) &&
			 report->anon.movable >= 1 && report->anon.movable <= 64 &&
			 report->anon.mirrored + report->anon.movable == PAGES(MiB) &&
			 f0 - f1 + LRU_BATCH * ncpu >= excess,
			 "1 MiB with %lld pages over the limit: %lld reclaimed, %s\n",
			 excess, f0 - f1, mr_tiers_str(&report->anon));

	if (set_limit(TL, 18446744073709551615ULL))
		ksft_exit_fail_msg("task limit not lifted\n");
	release_disk();
}

/* Fallback off: the reliable process is OOM-killed, not an ordinary one. */
static void test_task_no_fallback(void)
{
	long long limit, oom0 = mr_vmstat("oom_kill");
	int status, bystander_status, reports;
	pid_t bystander;

	prepare_disk();
	mkdir(TMPFS, 0700);
	if (mount("tmpfs", TMPFS, "tmpfs", 0, "size=512m"))
		ksft_exit_fail_msg("mount tmpfs: %s\n", strerror(errno));
	if (mr_read_ll(DEBUG, -1) & 2)
		ksft_exit_fail_msg("fallback is on\n");

	/* An ordinary process larger than the reliable one. */
	bystander = fork();
	if (!bystander) {
		char *p = mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(2);
		mr_touch(p, 128 * MiB, 1);
		pause();
		_exit(0);
	}
	mr_sleep_ms(500);

	limit = set_task_limit(16 * MiB);
	status = reliable_child(64 * MiB, 0, NULL, 0);
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
			 !report->anon.movable &&
			 report->anon.mirrored <= PAGES(16 * MiB) + 2 * LRU_BATCH &&
			 report->steps < 64,
			 "reliable process over the limit, fallback off: OOM-killed after %d MiB, never in ZONE_MOVABLE (%s)\n",
			 report->steps, mr_tiers_str(&report->anon));
	ksft_test_result(waitpid(bystander, &bystander_status, WNOHANG) == 0 &&
			 mr_vmstat("oom_kill") == oom0 + 1,
			 "the larger ordinary process lives; oom_kill %lld, was %lld\n",
			 mr_vmstat("oom_kill"), oom0);
	ksft_test_result(mr_klog_has("constraint=CONSTRAINT_RELIABLE") &&
			 mr_klog_has("Mirrored memory limits: task_reliable_limit"),
			 "the OOM report names CONSTRAINT_RELIABLE and the limits\n");
	kill(bystander, SIGKILL);
	waitpid(bystander, NULL, 0);

	/* No reliable process to kill: it goes on, with few reports. */
	limit = set_task_limit(16 * MiB);
	reports = klog_count("Out of memory and no killable processes");
	child_adj = "-1000";
	status = reliable_child(32 * MiB, 0, NULL, 0);
	child_adj = "0";
	reports = klog_count("Out of memory and no killable processes") - reports;
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 report->anon.mirrored == PAGES(32 * MiB) &&
			 mr_vmstat("oom_kill") == oom0 + 1 && reports >= 1 && reports <= 3,
			 "the reliable process cannot be killed: it goes on over the limit (%s), %d reports\n",
			 mr_tiers_str(&report->anon), reports);

	/* tmpfs over the limit is refused; page cache falls back. */
	limit = set_task_limit(16 * MiB);
	status = reliable_child(0, 64 * MiB, "/mnt/vda/b", 16 * MiB);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 report->err == ENOSPC &&
			 report->written + 64 * 4096 >= (long long)(16 * MiB) &&
			 report->written <= (long long)(16 * MiB + 64 * 4096),
			 "reliable tmpfs write: %lld bytes, then %s (limit %lld pages)\n",
			 report->written, strerror(report->err), limit);
	ksft_test_result(report->file.movable == PAGES(16 * MiB),
			 "its page cache over the limit: in ZONE_MOVABLE (%s)\n",
			 mr_tiers_str(&report->file));
	ksft_test_result(mr_vmstat("oom_kill") == oom0 + 1, "no more OOM kills\n");

	if (set_limit(TL, 18446744073709551615ULL))
		ksft_exit_fail_msg("task limit not lifted\n");
	unlink(TMPFS "/r");
	umount(TMPFS);
	release_disk();
}

static void test_shmem(bool fallback)
{
	struct outcome *o;

	mkdir(TMPFS, 0700);
	if (mount("tmpfs", TMPFS, "tmpfs", 0, "size=512m"))
		ksft_exit_fail_msg("mount tmpfs: %s\n", strerror(errno));
	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (o == MAP_FAILED)
		ksft_exit_fail_msg("mmap\n");
	if (fallback)
		shmem_fallback();
	else
		shmem_no_fallback(o);
	if (set_limit(SH, 9223372036854775807ULL))
		ksft_exit_fail_msg("limit not lifted\n");
	umount(TMPFS);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	ksft_print_header();
	if (mr_blocks_load(&blocks))
		ksft_exit_fail_msg("cannot read the memory blocks\n");
	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED)
		ksft_exit_fail_msg("mmap\n");
	if (!strcmp(what, "sysctl")) {
		ksft_set_plan(21);
		test_sysctl();
	} else if (!strcmp(what, "pagecache")) {
		ksft_set_plan(3);
		test_pagecache();
	} else if (!strcmp(what, "shmem") && argc > 2 && !strcmp(argv[2], "on")) {
		ksft_set_plan(4);
		test_shmem(true);
	} else if (!strcmp(what, "shmem") && argc > 2 && !strcmp(argv[2], "off")) {
		ksft_set_plan(6);
		test_shmem(false);
	} else if (!strcmp(what, "task") && argc > 2 && !strcmp(argv[2], "on")) {
		ksft_set_plan(6);
		test_task();
	} else if (!strcmp(what, "task") && argc > 2 && !strcmp(argv[2], "off")) {
		ksft_set_plan(7);
		test_task_no_fallback();
	} else {
		ksft_exit_fail_msg("usage: %s sysctl|pagecache|shmem on|off|task on|off\n",
				   argv[0]);
	}
	ksft_finished();
}
