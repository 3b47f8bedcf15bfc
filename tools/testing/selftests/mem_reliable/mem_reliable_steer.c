// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_steer: where memory reliability tiering puts user pages,
 * read page by page from /proc/<pid>/pagemap and classified by the zone
 * each page belongs to (the valid_zones of its memory block).
 *
 *   mem_reliable_steer ordinary        256 MiB of an ordinary process: all
 *                                      in ZONE_MOVABLE
 *   mem_reliable_steer pressure        the same while ZONE_MOVABLE is full
 *                                      (node reclaim on): OOM-killed, never
 *                                      mirrored, the page cache kept
 *   mem_reliable_steer reliable        a reliable process, its fork child
 *                                      and its exec: mirrored
 *   mem_reliable_steer init            init's anonymous pages: mirrored
 *   mem_reliable_steer cache PC SH     page cache read from ext4 (/dev/vda)
 *                                      and tmpfs data, by an ordinary and a
 *                                      reliable process: PC and SH are
 *                                      "mirrored" or "movable"
 *   mem_reliable_steer fallback on|off a reliable process when mirrored
 *                                      memory is full: falls back to
 *                                      ZONE_MOVABLE, or with reliable_debug=F
 *                                      is OOM-killed without a page there
 *   mem_reliable_steer swap            pages back from swap (a swap file on
 *                                      the ext4 disk): a reliable process's
 *                                      mirrored, an ordinary one's in
 *                                      ZONE_MOVABLE, tmpfs mirrored
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

#define MiB	(1024UL * 1024)

static struct mr_blocks blocks;

/* Map and touch @len bytes of anonymous memory; NULL on failure. */
static char *anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	mr_touch(p, len, 1);
	return p;
}

static bool all_in(const struct mr_tiers *t, unsigned long n, bool mirrored)
{
	return (mirrored ? t->mirrored : t->movable) == n &&
	       t->mirrored + t->movable == n && !t->unknown && !t->absent;
}

static void test_ordinary(void)
{
	size_t len = 256 * MiB;
	struct mr_tiers t;
	char *p = anon(len);

	ksft_test_result(p && !mr_tiers_of(&blocks, 0, p, len, &t) &&
			 all_in(&t, len / 4096, false),
			 "ordinary process, 256 MiB anonymous: all in ZONE_MOVABLE (%s)\n",
			 p ? mr_tiers_str(&t) : "mmap failed");
	if (p)
		munmap(p, len);
}

static void set_oom_score_adj(int v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", v);
	mr_write("/proc/self/oom_score_adj", buf);
}

struct step {
	unsigned long mirrored, movable, other;
};

/*
 * Child: touch @len of anonymous memory in 8 MiB steps, report the tiers
 * of each step on @fd; exit 0 when all is touched.
 */
static void stepper(int fd, size_t len)
{
	size_t stepsz = 8 * MiB, off;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	for (off = 0; off < len; off += stepsz) {
		struct mr_tiers t;
		struct step s;

		mr_touch(p + off, stepsz, 1);
		if (mr_tiers_of(&blocks, 0, p + off, stepsz, &t))
			_exit(3);
		s.mirrored = t.mirrored;
		s.movable = t.movable;
		s.other = t.unknown + t.absent;
		if (write(fd, &s, sizeof(s)) != sizeof(s))
			_exit(4);
	}
	_exit(0);
}

/* Run stepper() in a child; sum its steps; return its wait status. */
static int run_stepper(size_t len, bool reliable, struct step *sum,
		       int *steps)
{
	int fds[2], status;
	struct step s;
	pid_t pid;

	memset(sum, 0, sizeof(*sum));
	*steps = 0;
	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		close(fds[0]);
		set_oom_score_adj(1000);
		if (reliable && mr_write("/proc/self/reliable", "1"))
			_exit(5);
		stepper(fds[1], len);
	}
	close(fds[1]);
	while (read(fds[0], &s, sizeof(s)) == sizeof(s)) {
		sum->mirrored += s.mirrored;
		sum->movable += s.movable;
		sum->other += s.other;
		(*steps)++;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

/*
 * A child (reliable or not) that takes @pages of anonymous memory and
 * waits to be killed.
 */
static pid_t filler(unsigned long pages, bool reliable)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		char *p;

		set_oom_score_adj(-1000);
		if (reliable && mr_write("/proc/self/reliable", "1"))
			_exit(1);
		p = anon(pages * 4096);
		c = p ? 'y' : 'n';
		if (write(fds[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1 || c != 'y') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

static int read_file(const char *path);

/* Run this process and its children on the first CPU of node 0. */
static void pin_node0(void)
{
	char list[64] = "";
	cpu_set_t set;
	int err;

	err = mr_read("/sys/devices/system/node/node0/cpulist", list,
		      sizeof(list));
	if (err || !isdigit((unsigned char)list[0]))
		ksft_exit_fail_msg("node 0 has no CPU to run on (%s)\n",
				   err ? strerror(-err) : list);
	CPU_ZERO(&set);
	CPU_SET(atoi(list), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		ksft_exit_fail_msg("sched_setaffinity: %s\n", strerror(errno));
}

/* The node reclaim sysctls as they were, put back at exit. */
static char saved_zrm[16], saved_mur[16];

static void restore_node_reclaim(void)
{
	if (saved_zrm[0])
		mr_write("/proc/sys/vm/zone_reclaim_mode", saved_zrm);
	if (saved_mur[0])
		mr_write("/proc/sys/vm/min_unmapped_ratio", saved_mur);
}

/*
 * Node reclaim on: it runs when a node's ZONE_MOVABLE is low, and with
 * min_unmapped_ratio 0 it would take all of the node's page cache.
 */
static void node_reclaim_on(void)
{
	int err;

	err = mr_read("/proc/sys/vm/zone_reclaim_mode", saved_zrm,
		      sizeof(saved_zrm));
	if (!err)
		err = mr_read("/proc/sys/vm/min_unmapped_ratio", saved_mur,
			      sizeof(saved_mur));
	if (err) {
		saved_zrm[0] = 0;
		saved_mur[0] = 0;
		ksft_exit_fail_msg("node reclaim sysctls: %s\n",
				   strerror(-err));
	}
	atexit(restore_node_reclaim);
	err = mr_write("/proc/sys/vm/zone_reclaim_mode", "1");
	if (!err)
		err = mr_write("/proc/sys/vm/min_unmapped_ratio", "0");
	if (err)
		ksft_exit_fail_msg("node reclaim sysctls: %s\n",
				   strerror(-err));
}

static long long movable_file_pages(void)
{
	return mr_zoneinfo_sum("nr_zone_active_file", true) +
	       mr_zoneinfo_sum("nr_zone_inactive_file", true);
}

static void test_pressure(void)
{
	long long free_movable, used0, used1, cache0, cache1, mfile0, mfile1;
	long long fill_pages;
	struct step sum;
	int status, steps;
	pid_t fill;

	/*
	 * On node 0, the page cache is node 0's and node reclaim (below)
	 * is for node 0 while its ZONE_MOVABLE is full and the filler goes
	 * on in node 1's.
	 */
	pin_node0();

	/*
	 * Mirrored page cache that reclaim for ZONE_MOVABLE must leave, and
	 * with page cache mirroring then switched off (reliable_debug bit 3,
	 * for good), page cache in ZONE_MOVABLE that it may take: node
	 * reclaim runs while there is some, and must take that only.
	 */
	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL) ||
	    mr_write_file("/mnt/vda/cache", 32 * MiB) ||
	    mr_write_file("/mnt/vda/movable", 16 * MiB))
		ksft_exit_fail_msg("ext4 on /dev/vda: %s\n", strerror(errno));
	mr_write("/proc/sys/vm/drop_caches", "3");
	read_file("/mnt/vda/cache");
	if (mr_write("/proc/sys/vm/reliable_debug", "7"))
		ksft_exit_fail_msg("reliable_debug 7 refused\n");
	read_file("/mnt/vda/movable");
	cache0 = mr_meminfo("ReliableFileCache");
	mfile0 = movable_file_pages();
	free_movable = mr_zoneinfo_sum("nr_free_pages", true);
	used0 = mr_meminfo("ReliableUsed");
	node_reclaim_on();
	set_oom_score_adj(-1000);
	/*
	 * Leave 64 MiB free in ZONE_MOVABLE above its high watermarks: room
	 * for several 8 MiB steps before the zone is full, whatever kswapd
	 * and the per-CPU lists hold at the time.
	 */
	fill_pages = free_movable - mr_zoneinfo_sum("high", true) -
		     64 * MiB / 4096;
	fill = fill_pages > 0 ? filler(fill_pages, false) : -1;
	if (fill < 0)
		ksft_exit_fail_msg("cannot fill ZONE_MOVABLE (%lld pages free)\n",
				   free_movable);
	status = run_stepper(256 * MiB, false, &sum, &steps);
	used1 = mr_meminfo("ReliableUsed");
	cache1 = mr_meminfo("ReliableFileCache");
	mfile1 = movable_file_pages();
	restore_node_reclaim();
	kill(fill, SIGKILL);
	waitpid(fill, NULL, 0);
	unlink("/mnt/vda/cache");
	unlink("/mnt/vda/movable");
	umount("/mnt/vda");

	ksft_test_result(!sum.mirrored && !sum.other && sum.movable > 0,
			 "ZONE_MOVABLE full (%lld pages free before): ordinary process got %lu pages there, %lu mirrored, %lu other in %d steps\n",
			 free_movable, sum.movable, sum.mirrored, sum.other,
			 steps);
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			 "the ordinary process was OOM-killed (status %#x)\n",
			 status);
	ksft_test_result(used1 - used0 < 16 * 1024,
			 "ReliableUsed %lld -> %lld kB: the mirrored tier was left alone\n",
			 used0, used1);
	ksft_test_result(mfile0 >= (long long)(15 * MiB / 4096) &&
			 mfile1 < mfile0 / 8,
			 "reclaim for ZONE_MOVABLE took its page cache: %lld -> %lld pages\n",
			 mfile0, mfile1);
	ksft_test_result(cache0 >= 30 * 1024 && cache1 >= cache0 * 9 / 10,
			 "reclaim for ZONE_MOVABLE (zone_reclaim_mode 1) left the mirrored page cache: ReliableFileCache %lld -> %lld kB\n",
			 cache0, cache1);
}

/* The tiers of 16 MiB freshly touched by this process. */
static bool fresh_in(bool mirrored, struct mr_tiers *t)
{
	size_t len = 16 * MiB;
	char *p = anon(len);
	bool ok = p && !mr_tiers_of(&blocks, 0, p, len, t) &&
		  all_in(t, len / 4096, mirrored);

	if (p)
		munmap(p, len);
	return ok;
}

static int report(void)
{
	char val[8] = "";
	struct mr_tiers t;

	mr_read("/proc/self/reliable", val, sizeof(val));
	return !strcmp(val, "1") && fresh_in(true, &t) ? 0 : 1;
}

static void test_reliable(const char *self)
{
	size_t len = 64 * MiB;
	struct mr_tiers t;
	int status, err;
	pid_t pid;
	char *p;

	err = mr_write("/proc/self/reliable", "1");
	ksft_test_result(!err, "echo 1 > /proc/self/reliable: %s\n", strerror(-err));
	p = anon(len);
	ksft_test_result(p && !mr_tiers_of(&blocks, 0, p, len, &t) &&
			 all_in(&t, len / 4096, true),
			 "reliable process, 64 MiB anonymous: all mirrored (%s)\n",
			 mr_tiers_str(&t));

	pid = fork();
	if (!pid)
		_exit(report());
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "fork child: reliable, its new pages mirrored\n");

	pid = fork();
	if (!pid) {
		execl("/proc/self/exe", self, "report", NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
			 "after exec: reliable, new pages mirrored\n");

	/* The pages a process touched after fork: its own tier. */
	mr_touch(p, len, 2);
	ksft_test_result(!mr_tiers_of(&blocks, 0, p, len, &t) &&
			 all_in(&t, len / 4096, true),
			 "still mirrored after fork and COW (%s)\n", mr_tiers_str(&t));

	err = mr_write("/proc/self/reliable", "0");
	ksft_test_result(!err && fresh_in(false, &t),
			 "echo 0: new pages in ZONE_MOVABLE again (%s)\n",
			 mr_tiers_str(&t));
	munmap(p, len);
}

/* Anonymous mappings of init (no file, or [heap] and [stack]). */
static void test_init(void)
{
	char *maps = mr_read_file("/proc/1/maps"), *line, *save = NULL;
	struct mr_tiers sum = { 0 };

	if (!maps)
		ksft_exit_fail_msg("cannot read /proc/1/maps\n");
	for (line = strtok_r(maps, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long start, end;
		char perms[8], path[256] = "";
		struct mr_tiers t;
		int n;

		n = sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &start, &end,
			   perms, path);
		if (n < 3 || perms[1] != 'w' || perms[3] != 'p')
			continue;
		if (path[0] && strcmp(path, "[heap]") && strcmp(path, "[stack]"))
			continue;
		if (mr_tiers_of(&blocks, 1, (void *)start, end - start, &t))
			continue;
		sum.mirrored += t.mirrored;
		sum.movable += t.movable;
		sum.unknown += t.unknown;
	}
	free(maps);
	ksft_test_result(sum.mirrored > 0 && !sum.movable && !sum.unknown,
			 "init's anonymous pages: %lu mirrored, %lu movable, %lu unknown\n",
			 sum.mirrored, sum.movable, sum.unknown);
}

static int read_file(const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}

/* In a child (reliable or not): read @path (ext4) through the page cache. */
static void cache_case(const char *path, bool reliable, bool mirrored)
{
	size_t len = 8 * MiB;
	struct mr_tiers t;
	int status;
	pid_t pid;

	pid = fork();
	if (!pid) {
		if (reliable && mr_write("/proc/self/reliable", "1"))
			_exit(5);
		_exit(read_file(path) ? 6 : 0);
	}
	waitpid(pid, &status, 0);
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 !mr_file_tiers(&blocks, path, len, &t) &&
			 all_in(&t, len / 4096, mirrored),
			 "ext4 page cache read by %s process: all %s (%s)\n",
			 reliable ? "a reliable" : "an ordinary",
			 mirrored ? "mirrored" : "in ZONE_MOVABLE", mr_tiers_str(&t));
}

static void test_cache(bool pc_mirrored, bool sh_mirrored)
{
	size_t len = 8 * MiB;
	struct mr_tiers t;
	int err;

	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL))
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	err = mr_write_file("/mnt/vda/a", len) ?: mr_write_file("/mnt/vda/b", len);
	if (err)
		ksft_exit_fail_msg("write to ext4: %s\n", strerror(-err));
	sync();
	/* Drop the pages the writes made: the reads below fault them in. */
	mr_write("/proc/sys/vm/drop_caches", "3");
	cache_case("/mnt/vda/a", false, pc_mirrored);
	cache_case("/mnt/vda/b", true, pc_mirrored);
	unlink("/mnt/vda/a");
	unlink("/mnt/vda/b");
	umount("/mnt/vda");

	err = mr_write_file("/tmp/mr_steer", len);
	ksft_test_result(!err && !mr_file_tiers(&blocks, "/tmp/mr_steer", len, &t) &&
			 all_in(&t, len / 4096, sh_mirrored),
			 "tmpfs data: all %s (%s)\n",
			 sh_mirrored ? "mirrored" : "in ZONE_MOVABLE", mr_tiers_str(&t));
	unlink("/tmp/mr_steer");
}

static void test_fallback(bool on)
{
	long long usable = mr_usable_mirrored_pages();
	struct step sum;
	int status, steps;
	pid_t fill;

	set_oom_score_adj(-1000);
	/* A reliable process takes mirrored memory but for 64 MiB. */
	fill = filler(usable - 64 * MiB / 4096, true);
	if (fill < 0)
		ksft_exit_fail_msg("cannot fill mirrored memory (%lld pages usable)\n",
				   usable);
	status = run_stepper(128 * MiB, true, &sum, &steps);
	kill(fill, SIGKILL);
	waitpid(fill, NULL, 0);

	if (on) {
		ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
				 sum.mirrored + sum.movable == 128 * MiB / 4096,
				 "mirrored memory full (%lld pages usable before): the reliable process got all 128 MiB (status %#x)\n",
				 usable, status);
		ksft_test_result(sum.mirrored > 0 && sum.movable > 0 && !sum.other,
				 "it fell back to ZONE_MOVABLE: %lu mirrored, %lu movable, %lu other\n",
				 sum.mirrored, sum.movable, sum.other);
	} else {
		ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
				 "fallback off, mirrored memory full: the reliable process was OOM-killed (status %#x)\n",
				 status);
		ksft_test_result(!sum.movable && !sum.other && sum.mirrored > 0,
				 "without a page in ZONE_MOVABLE: %lu mirrored, %lu movable, %lu other in %d steps\n",
				 sum.mirrored, sum.movable, sum.other, steps);
	}
}

#define CG	"/sys/fs/cgroup/mr_swap"

/*
 * In a child of a tier, in a memory cgroup of 4 MiB: touch 16 MiB of
 * anonymous memory, so that most of it goes out to swap, then read it all
 * back: the pages that come back are new allocations, and must be in the
 * process's tier.  @tmpfs: the same with a tmpfs file, mirrored.
 * @limited: before the read, page cache dropped, task_reliable_limit set
 * to ReliableTaskUsed, and 16 MiB of mirrored tmpfs written as an
 * ordinary process outside the cgroup (where nothing is swapped out to
 * make room): the tmpfs pages of the reliable process come back in
 * ZONE_MOVABLE (no page cache to reclaim, fallback on).
 */
static int swap_child(bool reliable, bool tmpfs, bool limited)
{
	unsigned long right = 0, wrong = 0;
	size_t len = 16 * MiB, i, off;
	char pid[16], *p = NULL;
	struct mr_tiers t;
	int fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if ((reliable && mr_write("/proc/self/reliable", "1")) ||
	    mr_write(CG "/cgroup.procs", pid))
		return 10;
	if (tmpfs) {
		fd = open("/tmp/mr_swap", O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, len))
			return 11;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			return 12;
		mr_touch(p, len, 1);
	} else {
		p = anon(len);
		if (!p)
			return 12;
	}
	if (mr_read_ll(CG "/memory.swap.current", 0) < 8 * (long long)MiB)
		return 13;
	if (limited) {
		char buf[32];

		mr_write("/proc/sys/vm/drop_caches", "3");
		snprintf(buf, sizeof(buf), "%lld", mr_meminfo("ReliableTaskUsed") * 1024);
		if (mr_write("/proc/sys/vm/task_reliable_limit", buf) ||
		    mr_write("/proc/self/reliable", "0") ||
		    mr_write("/sys/fs/cgroup/cgroup.procs", pid) ||
		    mr_write_file("/tmp/mr_swap_fill", 16 * MiB) ||
		    mr_write("/proc/self/reliable", "1"))
			return 17;
	}
	/* Back in 1 MiB steps, each checked while it is in memory. */
	for (off = 0; off < len; off += MiB) {
		for (i = off; i < off + MiB; i += 4096)
			if (p[i] != 1)
				return 14;
		if (mr_tiers_of(&blocks, 0, p + off, MiB, &t))
			return 15;
		if (limited) {
			/* What stayed in memory is mirrored. */
			right += t.movable;
			wrong += t.unknown;
			continue;
		}
		right += reliable ? t.mirrored : t.movable;
		wrong += (reliable ? t.movable : t.mirrored) + t.unknown;
	}
	if (wrong || right < len / 4096 / 2) {
		ksft_print_msg("back from swap: %lu pages in the right tier, %lu not\n",
			       right, wrong);
		return 16;
	}
	return 0;
}

/*
 * Global pressure with swap: an ordinary child, in no small cgroup,
 * touches 48 MiB more than ZONE_MOVABLE has free above its high
 * watermarks, with 64 MiB of mirrored page cache on the inactive list
 * (node-wide file counts that reclaim for ZONE_MOVABLE could mistake for
 * file pages it may take).  That reclaim must swap the child's own
 * anonymous pages out (the mirrored tier has plenty free, of no use to
 * it): the child must finish, not be OOM-killed, with at least 8 MiB of
 * its pages out in swap, every page read back intact and none in mirrored
 * memory.
 */
static int swap_global_child(long long pages)
{
	size_t len = pages * 4096, i;
	long long swapped;
	struct mr_tiers t;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 10;
	/* Never 0: a zero-filled page may come back as the shared zero page. */
	for (i = 0; i < len; i += 4096)
		p[i] = (char)((i >> 12) % 251 + 1);
	swapped = mr_meminfo("SwapTotal") - mr_meminfo("SwapFree");
	if (mr_tiers_of(&blocks, 0, p, len, &t))
		return 11;
	ksft_print_msg("%lld pages touched: %s; swap used %lld kB\n", pages,
		       mr_tiers_str(&t), swapped);
	if (t.mirrored || t.unknown || t.absent < 8 * MiB / 4096)
		return 12;
	for (i = 0; i < len; i += 4096)
		if (p[i] != (char)((i >> 12) % 251 + 1))
			return 13;
	if (mr_tiers_of(&blocks, 0, p, len, &t) || t.mirrored || t.unknown)
		return 14;
	return 0;
}

static void test_swap(void)
{
	static const struct { bool reliable, tmpfs, limited; const char *what; } c[] = {
		{ false, false, false, "ordinary process: pages in ZONE_MOVABLE" },
		{ true, false, false, "reliable process: pages mirrored" },
		{ true, true, false, "tmpfs: pages mirrored" },
		{ true, true, true,
		  "a reliable process's tmpfs over task_reliable_limit: back in ZONE_MOVABLE" },
	};
	long long pages, inactive, cache0, cache1;
	int i, status;
	bool oom;
	pid_t pid;

	mkdir("/mnt/vda", 0700);
	if (mount("/dev/vda", "/mnt/vda", "ext4", 0, NULL) ||
	    mr_write_file("/mnt/vda/swap", 128 * MiB) ||
	    system("mkswap /mnt/vda/swap >/dev/null && swapon /mnt/vda/swap") ||
	    mr_write("/sys/fs/cgroup/cgroup.subtree_control", "+memory") ||
	    (mkdir(CG, 0755) && errno != EEXIST) ||
	    mr_write(CG "/memory.max", "4M"))
		ksft_exit_fail_msg("no swap file on /dev/vda or no memory cgroup\n");

	for (i = 0; i < (int)ARRAY_SIZE(c); i++) {
		pid = fork();
		if (!pid)
			_exit(swap_child(c[i].reliable, c[i].tmpfs, c[i].limited));
		waitpid(pid, &status, 0);
		ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
				 "16 MiB through swap in a 4 MiB cgroup, %s (status %d)\n",
				 c[i].what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		mr_write("/proc/sys/vm/task_reliable_limit", "18446744073709551615");
		unlink("/tmp/mr_swap_fill");
		if (c[i].tmpfs && !c[i].limited) {
			long long sh, rs;

			/* Swap-out took tmpfs pages out of the page cache. */
			mr_write("/proc/sys/vm/stat_refresh", "1");
			sh = mr_meminfo("Shmem");
			rs = mr_meminfo("ReliableShmem");
			ksft_test_result(rs == sh && rs > 0,
					 "tmpfs partly swapped out: ReliableShmem %lld kB == Shmem %lld kB\n",
					 rs, sh);
		}
		unlink("/tmp/mr_swap");
	}
	rmdir(CG);

	mr_write("/proc/sys/vm/drop_caches", "3");
	if (mr_write_file("/mnt/vda/cache", 64 * MiB))
		ksft_exit_fail_msg("no room for 64 MiB on /dev/vda\n");
	mr_write("/proc/sys/vm/drop_caches", "3");
	read_file("/mnt/vda/cache");
	inactive = mr_meminfo("Inactive(file)");
	cache0 = mr_meminfo("ReliableFileCache");
	pages = mr_zoneinfo_sum("nr_free_pages", true) -
		mr_zoneinfo_sum("high", true) + 48 * MiB / 4096;
	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(swap_global_child(pages));
	waitpid(pid, &status, 0);
	cache1 = mr_meminfo("ReliableFileCache");
	oom = mr_klog_has("Out of memory");
	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) && !oom &&
			 inactive >= 60 * 1024 && cache1 >= cache0 * 9 / 10,
			 "ordinary process, %lld pages, 48 MiB more than ZONE_MOVABLE has free, Inactive(file) %lld kB: swapped, no OOM kill (%s), ReliableFileCache %lld -> %lld kB (status %d, signal %d)\n",
			 pages, inactive, oom ? "one" : "none", cache0, cache1,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	unlink("/mnt/vda/cache");
	if (system("swapoff /mnt/vda/swap"))
		ksft_print_msg("swapoff failed\n");
	unlink("/mnt/vda/swap");
	umount("/mnt/vda");
}

static bool is_mirrored(const char *s)
{
	if (!strcmp(s, "mirrored"))
		return true;
	if (!strcmp(s, "movable"))
		return false;
	ksft_exit_fail_msg("expected 'mirrored' or 'movable', not '%s'\n", s);
	return false;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (mr_blocks_load(&blocks))
		ksft_exit_fail_msg("cannot read the memory blocks\n");
	if (!strcmp(what, "report"))
		return report();
	ksft_print_header();
	if (!strcmp(what, "ordinary")) {
		ksft_set_plan(1);
		test_ordinary();
	} else if (!strcmp(what, "pressure")) {
		ksft_set_plan(5);
		test_pressure();
	} else if (!strcmp(what, "reliable")) {
		ksft_set_plan(6);
		test_reliable(argv[0]);
	} else if (!strcmp(what, "init")) {
		ksft_set_plan(1);
		test_init();
	} else if (!strcmp(what, "cache") && argc == 4) {
		ksft_set_plan(3);
		test_cache(is_mirrored(argv[2]), is_mirrored(argv[3]));
	} else if (!strcmp(what, "swap")) {
		ksft_set_plan(6);
		test_swap();
	} else if (!strcmp(what, "fallback") && argc == 3) {
		ksft_set_plan(2);
		test_fallback(!strcmp(argv[2], "on"));
	} else {
		ksft_exit_fail_msg("usage: %s ordinary|pressure|reliable|init|%s\n",
				   argv[0], "cache PC SH|fallback on|off|swap");
	}
	ksft_finished();
}
