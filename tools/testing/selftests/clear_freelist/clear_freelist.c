// SPDX-License-Identifier: GPL-2.0
/*
 * clear_freelist: /proc/sys/vm/clear_freelist_pages end to end.
 *
 *   clear_freelist absent     booted without (or with a longer word than)
 *                             "clear_freelist": no sysctl, no last_run
 *   clear_freelist interface  the sysctl and cfp_timeout_ms: modes, each
 *                             bad value, an unprivileged writer
 *   clear_freelist zero       memory filled with a pattern and freed holds
 *                             zeros after a run (read back through the
 *                             test-only debugfs reader)
 *   clear_freelist hwpoison   a free page poisoned before the run (taken
 *                             off the free lists by memory_failure()) stays
 *                             poisoned and off them; poisoned pages inside
 *                             free blocks are KUnit's
 *   clear_freelist busy       a second writer during a run gets EBUSY
 *   clear_freelist signal     SIGKILL ends a run early
 *   clear_freelist timeout    cfp_timeout_ms=1 returns within 50 ms
 *   clear_freelist workload   runs while a process allocates, fills,
 *                             checks and frees memory: its data stays
 *   clear_freelist parallel   the nodes are cleared at the same time:
 *                             the run takes less than 3/4 of the sum of
 *                             the per-node times
 *   clear_freelist offline    runs while memory offlining holds the
 *                             hotplug lock: SIGKILL and the timeout still
 *                             end the run (needs ZONE_MOVABLE boot
 *                             blocks: kernelcore=reliable)
 *
 * Prints KTAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../hwpoison/hwpoison_util.h"

#define SYSCTL		"/proc/sys/vm/clear_freelist_pages"
#define TIMEOUT		"/sys/module/clear_freelist_page/parameters/cfp_timeout_ms"
#define LAST_RUN	"/sys/kernel/mm/clear_freelist_page/last_run"
#define FREE_PAGES	"/sys/kernel/debug/clear_freelist_page/free_pages"
#define PATTERN		0x5aa5c33cf00f9669ULL
#define MiB		(1024UL * 1024)
#define PAGE		4096UL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int test_nr;
static int failed;

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++test_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failed |= !ok;
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Write @s to @path in one write(2): 0 or -errno. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static long long read_ll(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)))
		return -1;
	return atoll(buf);
}

/* The value of "@key <value>" in a file of such lines, -1 if absent. */
static long long keyed(const char *path, const char *key)
{
	static char buf[8192];
	size_t len = strlen(key);
	char *p;

	if (read_str(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoll(p + len + 1);
	return -1;
}

static bool last_result_is(const char *want)
{
	char buf[8192], line[64];

	snprintf(line, sizeof(line), "result %s\n", want);
	return !read_str(LAST_RUN, buf, sizeof(buf)) && !strncmp(buf, line,
								 strlen(line));
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int nr_nodes(void)
{
	char path[64];
	int n = 0;

	for (;; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
		if (access(path, F_OK))
			return n;
	}
}

/* Sum of "node<N>_<what>" of last_run over all nodes. */
static long long nodes_sum(const char *what)
{
	long long sum = 0, v;
	char key[64];
	int n;

	for (n = 0; n < nr_nodes(); n++) {
		snprintf(key, sizeof(key), "node%d_%s", n, what);
		v = keyed(LAST_RUN, key);
		if (v < 0)
			return -1;
		sum += v;
	}
	return sum;
}

/* Fill @len bytes of fresh anonymous memory with PATTERN and free it. */
static long fill_and_free(size_t len)
{
	uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return -1;
	/* Small pages, as a workload's memory comes back to the allocator. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len / sizeof(*p); i++)
		p[i] = PATTERN;
	munmap(p, len);
	return len / PAGE;
}

static int set_timeout(unsigned int ms)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", ms);
	return write_str(TIMEOUT, buf);
}

static void test_absent(void)
{
	printf("1..3\n");
	result(access(SYSCTL, F_OK) && errno == ENOENT,
	       "no %s without the boot parameter", SYSCTL);
	result(access(LAST_RUN, F_OK) && errno == ENOENT, "no %s", LAST_RUN);
	result(read_ll(TIMEOUT) == 2000, "cfp_timeout_ms is there, 2000");
}

/* Run @fn in a child with uid/gid 65534; its exit status. */
static int as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

static int nobody_sysctl(void)
{
	return -write_str(SYSCTL, "1");
}

static int nobody_timeout(void)
{
	return -write_str(TIMEOUT, "500");
}

static void test_interface(void)
{
	static const char * const bad[] = { "0", "2", "-1", "abc", "1 1" };
	static const char * const bad_ms[] = { "0", "3600001", "-5", "x",
					       "99999999999" };
	struct stat st;
	unsigned int i;
	int fd;

	printf("1..%zu\n", 9 + ARRAY_SIZE(bad) +
	       ARRAY_SIZE(bad_ms));
	result(!stat(SYSCTL, &st) && (st.st_mode & 0777) == 0200,
	       "%s mode 0200", SYSCTL);
	fd = open(SYSCTL, O_RDONLY);
	result(fd < 0 && errno == EACCES, "reading it: EACCES");
	if (fd >= 0)
		close(fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = write_str(SYSCTL, bad[i]);

		result(ret == -EINVAL, "writing '%s': EINVAL (got %d)", bad[i], ret);
	}
	result(last_result_is("none"), "no run after the bad writes");
	result(!stat(TIMEOUT, &st) && (st.st_mode & 0777) == 0644 &&
	       read_ll(TIMEOUT) == 2000, "cfp_timeout_ms mode 0644, default 2000");
	for (i = 0; i < ARRAY_SIZE(bad_ms); i++) {
		int ret = write_str(TIMEOUT, bad_ms[i]), ok;

		ok = ret == -EINVAL && read_ll(TIMEOUT) == 2000;
		result(ok, "cfp_timeout_ms '%s': EINVAL, kept 2000 (got %d, %lld)",
		       bad_ms[i], ret, read_ll(TIMEOUT));
	}
	result(!set_timeout(3600000) && read_ll(TIMEOUT) == 3600000 &&
	       !set_timeout(1) && read_ll(TIMEOUT) == 1 && !set_timeout(2000),
	       "cfp_timeout_ms 3600000 and 1 accepted");
	i = as_nobody(nobody_sysctl);
	result(i == EACCES, "unprivileged writer of the sysctl: EACCES (got %u)", i);
	i = as_nobody(nobody_timeout);
	result(i == EACCES && read_ll(TIMEOUT) == 2000,
	       "unprivileged writer of cfp_timeout_ms: EACCES (got %u)", i);
	result(!set_timeout(3600000) && !write_str(SYSCTL, "1\n") &&
	       last_result_is("done"), "writing 1: a run to the end");
	result(nodes_sum("cleared") > 0 && keyed(LAST_RUN, "time_us") > 0 &&
	       keyed(LAST_RUN, "node0_time_us") > 0,
	       "last_run: %lld pages cleared in %lld us", nodes_sum("cleared"),
	       keyed(LAST_RUN, "time_us"));
	set_timeout(2000);
}

/* The debugfs reader: "read", "zero", "pattern" of all free memory. */
static int free_pages(long long *read, long long *zero, long long *pattern)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)PATTERN);
	if (write_str(FREE_PAGES, buf))
		return -1;
	*read = keyed(FREE_PAGES, "read");
	*zero = keyed(FREE_PAGES, "zero");
	*pattern = keyed(FREE_PAGES, "pattern");
	return *read < 0 || *zero < 0 || *pattern < 0 ? -1 : 0;
}

/* MemFree of /proc/meminfo, in pages. */
static long long memfree_pages(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 4;
}

static void test_zero(void)
{
	long long read, zero, pattern, memfree, before;
	long filled;

	printf("1..5\n");
	filled = fill_and_free(256 * MiB);
	if (free_pages(&read, &zero, &pattern)) {
		result(false, "debugfs reader %s", FREE_PAGES);
		return;
	}
	diag("before: %lld free pages read, %lld zero, %lld hold the pattern",
	     read, zero, pattern);
	result(pattern >= filled * 9 / 10,
	       "before a run, %lld of the %ld freed pages hold the pattern",
	       pattern, filled);
	set_timeout(3600000);
	result(!write_str(SYSCTL, "1") && last_result_is("done"),
	       "a run to the end");
	set_timeout(2000);
	memfree = nodes_sum("cleared");
	before = memfree_pages();
	if (free_pages(&read, &zero, &pattern)) {
		result(false, "debugfs reader %s", FREE_PAGES);
		return;
	}
	diag("after: %lld free pages read, %lld zero, %lld hold the pattern; "
	     "%lld cleared", read, zero, pattern, memfree);
	result(pattern == 0, "after it, no free page holds the pattern (%lld)",
	       pattern);
	/* Pages freed since the run may hold anything: a few. */
	result(zero >= read - 512 && memfree >= filled,
	       "%lld of %lld free pages are zero, %lld cleared", zero, read,
	       memfree);
	/* The walk sees all free memory: no chunk or zone is skipped. */
	result(read + nodes_sum("low_memory") >= before * 95 / 100,
	       "the reader saw %lld free pages (+%lld below the watermark) of MemFree %lld",
	       read, nodes_sum("low_memory"), before);
}

#define KPF_BUDDY	10

static void test_hwpoison(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long pfn;
	uint64_t flags;

	printf("1..4\n");
	memset(p, 0x77, PAGE);
	pfn = hwp_pfn(p);
	munmap(p, PAGE);
	result(pfn && !hwp_corrupt_pfn(pfn), "free page %#lx poisoned", pfn);
	flags = hwp_kpageflags(pfn);
	result((flags >> KPF_HWPOISON & 1) && !(flags >> KPF_BUDDY & 1),
	       "poisoned, off the free lists (flags %#llx)",
	       (unsigned long long)flags);
	set_timeout(3600000);
	result(!write_str(SYSCTL, "1") && last_result_is("done"), "a run");
	set_timeout(2000);
	flags = hwp_kpageflags(pfn);
	result((flags >> KPF_HWPOISON & 1) && !(flags >> KPF_BUDDY & 1),
	       "still poisoned and off the free lists (flags %#llx)",
	       (unsigned long long)flags);
	hwp_unpoison_pfn(pfn);
}

/* A child writing 1; returns once its stack shows it in a run. */
static pid_t start_run(void)
{
	char path[64], stack[4096];
	pid_t pid = fork();
	int i;

	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		exit(1);
	}
	if (!pid)
		_exit(-write_str(SYSCTL, "1"));
	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	for (i = 0; i < 20000; i++) {
		if (!read_str(path, stack, sizeof(stack)) &&
		    strstr(stack, "cfp_"))
			return pid;
		usleep(100);
	}
	return -pid;
}

static void test_busy(void)
{
	int status, ret;
	pid_t pid;

	printf("1..3\n");
	fill_and_free(128 * MiB);
	set_timeout(3600000);
	pid = start_run();
	result(pid > 0, "first writer in a run");
	ret = write_str(SYSCTL, "1");
	result(ret == -EBUSY, "second writer: EBUSY (got %d)", ret);
	waitpid(pid > 0 ? pid : -pid, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	       last_result_is("done"), "first writer: done, 0 (status %#x)",
	       status);
	set_timeout(2000);
}

static void test_signal(void)
{
	long long t0, t1, total;
	int status, i;
	pid_t pid;

	printf("1..3\n");
	fill_and_free(256 * MiB);
	total = memfree_pages();
	set_timeout(3600000);
	pid = start_run();
	result(pid > 0, "writer in a run");
	t0 = now_us();
	kill(pid > 0 ? pid : -pid, SIGKILL);
	waitpid(pid > 0 ? pid : -pid, &status, 0);
	t1 = now_us();
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	       t1 - t0 < 500000,
	       "killed by SIGKILL, %lld us after the signal", t1 - t0);
	/* The workers record the run when they have stopped. */
	for (i = 0; i < 1000 && !last_result_is("signal"); i++)
		usleep(1000);
	result(last_result_is("signal") && nodes_sum("cleared") < total * 9 / 10,
	       "last_run: result signal, %lld of %lld free pages cleared",
	       nodes_sum("cleared"), total);
	set_timeout(2000);
}

static void test_timeout(void)
{
	long long t0, t1, cleared;
	int ret;

	printf("1..2\n");
	fill_and_free(256 * MiB);
	set_timeout(1);
	t0 = now_us();
	ret = write_str(SYSCTL, "1");
	t1 = now_us();
	set_timeout(2000);
	cleared = nodes_sum("cleared");
	result(!ret && last_result_is("timeout"),
	       "cfp_timeout_ms=1: result timeout, %lld pages cleared", cleared);
	result(t1 - t0 < 50000 && keyed(LAST_RUN, "time_us") < 50000,
	       "returned after %lld us (run %lld us), under 50 ms", t1 - t0,
	       keyed(LAST_RUN, "time_us"));
}

/* "/sys/devices/system/memory/memory<block>/<what>" into @buf. */
static int block_read(long block, const char *what, char *buf, size_t size)
{
	char path[96];
	int ret;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/%s",
		 block, what);
	ret = read_str(path, buf, size);
	buf[strcspn(buf, "\n")] = 0;
	return ret;
}

static int block_write(long block, const char *what, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%ld/%s",
		 block, what);
	return write_str(path, val);
}

/*
 * A child offlining @block, which holds a page it cannot migrate: it stays
 * in offline_pages(), with the memory hotplug lock held, until killed.
 * Returns its pid once the block reads "going-offline", minus it if not.
 */
static pid_t start_offline(long block)
{
	long long end = now_us() + 5000000;
	char state[32] = "";
	pid_t pid = fork();

	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		exit(1);
	}
	if (!pid)
		_exit(-block_write(block, "state", "offline"));
	do {
		if (!block_read(block, "state", state, sizeof(state)) &&
		    !strcmp(state, "going-offline"))
			return pid;
		usleep(1000);
	} while (now_us() < end);
	return -pid;
}

/* Kill and reap the offlining child; true when the block is online. */
static bool stop_offline(pid_t pid, long block)
{
	char state[32] = "";

	kill(pid > 0 ? pid : -pid, SIGKILL);
	waitpid(pid > 0 ? pid : -pid, NULL, 0);
	return !block_read(block, "state", state, sizeof(state)) &&
	       !strcmp(state, "online");
}

/* Reap @pid within @ms milliseconds; -1 when it is still running. */
static int reap_within(pid_t pid, int ms, int *status)
{
	long long end = now_us() + ms * 1000LL;

	do {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		usleep(1000);
	} while (now_us() < end);
	return -1;
}

static bool last_result_within(const char *want, int ms)
{
	long long end = now_us() + ms * 1000LL;

	while (!last_result_is(want) && now_us() < end)
		usleep(1000);
	return last_result_is(want);
}

/* The block reads "going-offline" now and still after @ms. */
static bool still_offlining(long block, int ms)
{
	char state[32] = "";

	if (ms)
		usleep(ms * 1000);
	return !block_read(block, "state", state, sizeof(state)) &&
	       !strcmp(state, "going-offline");
}

/*
 * Runs while memory offlining holds the memory hotplug lock, which a
 * worker takes before each chunk: it does not wait for the offlining to
 * end, so SIGKILL and the timeout still end the run, and last_run shows
 * the wait.  The page that keeps the offlining going is an anonymous page
 * in ZONE_MOVABLE (tiering on) held by a pipe through vmsplice(), which
 * migration cannot move.
 */
static void test_offline(void)
{
	char zones[64] = "", bsz[32] = "", state[32] = "";
	long long t0, t1, block_pages, waited;
	int fds[2], status = -1, ret, wret, on, i;
	unsigned long pfn = 0;
	struct iovec iov;
	bool alive, going;
	pid_t off = 0, pid;
	long block = -1;
	char *p;

	printf("1..8\n");
	p = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || pipe(fds)) {
		printf("Bail out! mmap or pipe: %s\n", strerror(errno));
		exit(1);
	}
	madvise(p, 2 * MiB, MADV_NOHUGEPAGE);
	memset(p, 0x3c, PAGE);
	iov.iov_base = p;
	iov.iov_len = PAGE;
	/* Held first, then looked up: compaction cannot move it between. */
	ret = vmsplice(fds[1], &iov, 1, 0);
	pfn = hwp_pfn(p);
	if (!read_str("/sys/devices/system/memory/block_size_bytes", bsz,
		      sizeof(bsz)) && pfn) {
		block_pages = strtoll(bsz, NULL, 16) / PAGE;
		block = block_pages > 0 ? (long)(pfn / block_pages) : -1;
	}
	if (block >= 0)
		block_read(block, "valid_zones", zones, sizeof(zones));
	if (ret == (int)PAGE && !strcmp(zones, "Movable"))
		off = start_offline(block);
	/* The state changes before the offlining takes the lock. */
	going = off > 0 && still_offlining(block, 300) && hwp_pfn(p) == pfn;
	result(going, "block %ld (%s), page held by a pipe: offlining retries (vmsplice %d)",
	       block, zones, ret);
	if (!going) {
		for (i = 2; i <= 8; i++)
			result(false, "not run");
		if (off)
			stop_offline(off, block);
		return;
	}

	/* SIGKILL while the offlining holds the lock. */
	set_timeout(3600000);
	pid = start_run();
	usleep(300000);
	alive = pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
	result(alive, "writer in a run while offlining holds the hotplug lock");
	t0 = now_us();
	if (pid > 0)
		kill(pid, SIGKILL);
	waitpid(pid > 0 ? pid : -pid, &status, 0);
	t1 = now_us();
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	       t1 - t0 < 500000,
	       "killed by SIGKILL, gone %lld us after the signal", t1 - t0);
	ret = last_result_within("signal", 2000);
	waited = nodes_sum("hotplug_wait_us");
	result(ret && waited >= 200000 && still_offlining(block, 0),
	       "run ended (signal), offlining still going, %lld us waited for it",
	       waited);

	/* The timeout while the offlining holds the lock. */
	set_timeout(300);
	t0 = now_us();
	pid = fork();
	if (!pid)
		_exit(-write_str(SYSCTL, "1"));
	wret = pid > 0 ? reap_within(pid, 10000, &status) : -1;
	t1 = now_us();
	result(!wret && WIFEXITED(status) && !WEXITSTATUS(status) &&
	       t1 - t0 >= 300000 && t1 - t0 < 2000000,
	       "cfp_timeout_ms=300: write returned %d after %lld us",
	       wret ? -1 : WEXITSTATUS(status), t1 - t0);
	waited = nodes_sum("hotplug_wait_us");
	result(last_result_is("timeout") && waited >= 200000 &&
	       still_offlining(block, 0),
	       "run ended (timeout), offlining still going, %lld us waited for it",
	       waited);
	ret = stop_offline(off, block);
	if (wret && pid > 0)
		waitpid(pid, &status, 0);
	set_timeout(2000);
	result(ret, "offlining killed: block online again");

	/*
	 * Page freed: runs work (a short one: this boot has 4 GiB) and the
	 * block goes offline, nothing of it left off the free lists.
	 */
	close(fds[0]);
	close(fds[1]);
	munmap(p, 2 * MiB);
	set_timeout(100);
	ret = write_str(SYSCTL, "1");
	set_timeout(2000);
	alive = last_result_is("timeout") || last_result_is("done");
	wret = block_write(block, "state", "offline");
	block_read(block, "state", state, sizeof(state));
	on = block_write(block, "state", "online_movable");
	result(!ret && alive && !wret && !strcmp(state, "offline") && !on,
	       "then: run %d (%s), block offline %d (%s), online_movable %d",
	       ret, alive ? "ended" : "no result", wret, state, on);
}

/* Fill, check and free 32 MiB over and over; exit status: bad words. */
static int workload(int seconds)
{
	long long end = now_us() + seconds * 1000000LL;
	size_t len = 32 * MiB, n = len / 8, i;
	uint64_t bad = 0, round = 0;

	while (now_us() < end) {
		uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 255;
		for (i = 0; i < n; i += 64)
			p[i] = round * n + i;
		for (i = 0; i < n; i += 64)
			bad += p[i] != round * n + i;
		munmap(p, len);
		round++;
	}
	printf("# filler: %llu rounds, %llu bad words\n",
	       (unsigned long long)round, (unsigned long long)bad);
	fflush(stdout);
	return round < 2 ? 254 : bad > 250 ? 250 : bad;
}

static void test_workload(void)
{
	int status, runs = 0, i;
	pid_t pid;

	printf("1..2\n");
	pid = fork();
	if (!pid)
		_exit(workload(5));
	set_timeout(3600000);
	for (i = 0; i < 3; i++)
		runs += !write_str(SYSCTL, "1") && last_result_is("done");
	set_timeout(2000);
	waitpid(pid, &status, 0);
	result(runs == 3, "3 runs to the end beside the workload (%d)", runs);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the workload's data intact (status %#x)", status);
}

static void test_parallel(void)
{
	long long wall, sum = 0, t;
	char key[32];
	int n, nodes = nr_nodes();

	printf("1..2\n");
	fill_and_free(256 * MiB);
	set_timeout(3600000);
	result(nodes >= 4 && !write_str(SYSCTL, "1") && last_result_is("done"),
	       "a run to the end on %d nodes", nodes);
	set_timeout(2000);
	wall = keyed(LAST_RUN, "time_us");
	for (n = 0; n < nodes; n++) {
		snprintf(key, sizeof(key), "node%d_time_us", n);
		t = keyed(LAST_RUN, key);
		snprintf(key, sizeof(key), "node%d_cleared", n);
		diag("node %d: %lld us, %lld pages", n, t, keyed(LAST_RUN, key));
		sum += t;
	}
	result(wall > 0 && wall * 4 < sum * 3,
	       "run %lld us against %lld us summed over the nodes (%.2f)",
	       wall, sum, sum ? (double)wall / sum : 0.0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} modes[] = {
		{ "absent", test_absent }, { "interface", test_interface },
		{ "zero", test_zero }, { "hwpoison", test_hwpoison },
		{ "busy", test_busy }, { "signal", test_signal },
		{ "timeout", test_timeout }, { "workload", test_workload },
		{ "parallel", test_parallel }, { "offline", test_offline },
	};
	unsigned int i;

	for (i = 0; argc == 2 && i < ARRAY_SIZE(modes); i++) {
		if (!strcmp(argv[1], modes[i].name)) {
			modes[i].fn();
			return failed;
		}
	}
	fprintf(stderr, "usage: clear_freelist MODE (see the source)\n");
	return 2;
}
