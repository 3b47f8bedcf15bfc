// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_filter: the corrupt-pfn filters of debugfs hwpoison, and
 * tools/mm/page-types --hwpoison as in the hwpoison documentation.
 *
 * With corrupt-filter-enable=1 a page that does not pass the filters is
 * left alone (the write succeeds, nothing is poisoned); one that passes is
 * poisoned.  Filters: corrupt-filter-dev-major/minor (a page-cache page of
 * ext4 on /dev/vda), corrupt-filter-flags-mask/value (KPF_ANON), and
 * corrupt-filter-memcg with cgroup v2: page-types -p 1 --hwpoison must do
 * nothing, page-types -p <pid in the memcg> --hwpoison must poison that
 * process's pages.
 *
 * "hwpoison_filter nomemcg": the kernel is built without CONFIG_MEMCG, so
 * corrupt-filter-memcg must not exist; the other filters work as above.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

#define CG		"/sys/fs/cgroup/hwpoison"
#define KPF_ANON	12
#define NPAGES		16

static long psize;
static bool nomemcg;

static void set_filter(const char *name, unsigned long long val)
{
	char path[128];

	snprintf(path, sizeof(path), HWP_DEBUGFS "corrupt-filter-%s", name);
	if (hwp_write_num(path, val))
		ksft_exit_fail_msg("%s: %s\n", path, strerror(errno));
}

static void filters_off(void)
{
	set_filter("dev-major", 0xffffffffULL);
	set_filter("dev-minor", 0xffffffffULL);
	set_filter("flags-mask", 0);
	set_filter("flags-value", 0);
	if (!nomemcg)
		set_filter("memcg", 0);
	set_filter("enable", 0);
}

static bool poisoned(unsigned long pfn)
{
	return hwp_kpageflags(pfn) & (1ULL << KPF_HWPOISON);
}

static char *anon_page(int fill)
{
	char *p = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, fill, psize);
	return p;
}

/* Inject at @pfn; true when the write succeeded and the page is poisoned. */
static bool inject(unsigned long pfn, int *err)
{
	*err = hwp_corrupt_pfn(pfn);
	return !*err && poisoned(pfn);
}

static int run_page_types(pid_t pid)
{
	char arg[16];
	int status;
	pid_t p = fork();

	if (!p) {
		snprintf(arg, sizeof(arg), "%d", pid);
		execl("/bin/page-types", "page-types", "-p", arg, "--hwpoison",
		      (char *)NULL);
		_exit(127);
	}
	waitpid(p, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_dev(void)
{
	struct stat st;
	unsigned long pfn;
	char *p, buf[64];
	int fd, err;
	bool hit;

	mkdir("/mnt", 0755);
	if (mount("/dev/vda", "/mnt", "ext4", 0, NULL) && errno != EBUSY) {
		ksft_test_result_fail("mount /dev/vda: %s\n", strerror(errno));
		ksft_test_result_fail("dev filter: no file system\n");
		return;
	}
	fd = open("/mnt/filter", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 0x42, sizeof(buf));
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || fsync(fd) ||
	    fstat(fd, &st))
		ksft_exit_fail_msg("/mnt/filter: %s\n", strerror(errno));
	p = mmap(NULL, psize, PROT_READ, MAP_SHARED, fd, 0);
	__atomic_load_n(p, __ATOMIC_SEQ_CST);
	pfn = hwp_pfn(p);
	munmap(p, psize);

	set_filter("enable", 1);
	set_filter("dev-major", major(st.st_dev) + 1);
	set_filter("dev-minor", minor(st.st_dev));
	hit = inject(pfn, &err);
	ksft_test_result(pfn && !err && !hit,
			 "dev filter %u:%u: page of %u:%u left alone (err %d)\n",
			 major(st.st_dev) + 1, minor(st.st_dev),
			 major(st.st_dev), minor(st.st_dev), err);
	set_filter("dev-major", major(st.st_dev));
	hit = inject(pfn, &err);
	ksft_test_result(hit, "dev filter %u:%u: page poisoned (err %d)\n",
			 major(st.st_dev), minor(st.st_dev), err);
	filters_off();
	close(fd);
	umount("/mnt");
}

static void test_flags(void)
{
	char *p = anon_page(0x21);
	unsigned long pfn = hwp_pfn(p);
	int err;
	bool hit;

	set_filter("enable", 1);
	set_filter("flags-mask", 1ULL << KPF_ANON);
	set_filter("flags-value", 0);
	hit = inject(pfn, &err);
	ksft_test_result(!err && !hit,
			 "flags filter anon==0: anonymous page left alone\n");
	set_filter("flags-value", 1ULL << KPF_ANON);
	hit = inject(pfn, &err);
	ksft_test_result(hit, "flags filter anon==1: anonymous page poisoned\n");
	filters_off();
	/* p is poisoned: never touch it again */
}

struct usemem {
	unsigned long pfn[NPAGES];
	int ready;
};

static void test_memcg(void)
{
	struct usemem *u = mmap(NULL, sizeof(*u), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long long hc0, hc1, hc2;
	struct stat st;
	int i, n, status;
	pid_t pid;

	{
		int fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);

		if (fd < 0 || write(fd, "+memory", 7) != 7)
			ksft_exit_fail_msg("enable memory controller: %s\n",
					   strerror(errno));
		close(fd);
	}
	if (mkdir(CG, 0755) && errno != EEXIST)
		ksft_exit_fail_msg("mkdir %s: %s\n", CG, strerror(errno));
	pid = fork();
	if (!pid) {
		char *p;

		if (hwp_write_num(CG "/cgroup.procs", getpid()))
			_exit(2);
		p = mmap(NULL, NPAGES * psize, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(p, 0x99, NPAGES * psize);
		for (i = 0; i < NPAGES; i++)
			u->pfn[i] = hwp_pfn(p + i * psize);
		__atomic_store_n(&u->ready, 1, __ATOMIC_SEQ_CST);
		for (;;)
			pause();
	}
	while (!__atomic_load_n(&u->ready, __ATOMIC_SEQ_CST))
		usleep(10000);

	if (stat(CG, &st))
		ksft_exit_fail_msg("stat %s: %s\n", CG, strerror(errno));
	set_filter("memcg", st.st_ino);
	set_filter("enable", 1);

	hc0 = hwp_hardware_corrupted_kb();
	ksft_test_result(run_page_types(1) == 0 &&
			 hwp_hardware_corrupted_kb() == hc0,
			 "memcg filter: page-types -p 1 --hwpoison does nothing\n");
	hc1 = hwp_hardware_corrupted_kb();
	ksft_test_result(run_page_types(pid) == 0,
			 "memcg filter: page-types -p %d --hwpoison ran\n", pid);
	hc2 = hwp_hardware_corrupted_kb();
	for (i = 0, n = 0; i < NPAGES; i++)
		n += poisoned(u->pfn[i]);
	ksft_test_result(n == NPAGES && hc2 >= hc1 + NPAGES * psize / 1024,
			 "memcg filter: %d of %d pages of the memcg's process poisoned, HardwareCorrupted %lld -> %lld kB\n",
			 n, NPAGES, hc1, hc2);
	filters_off();
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	rmdir(CG);
}

/* Without CONFIG_MEMCG there is no memcg filter to set. */
static void test_no_memcg(void)
{
	int fd = open(HWP_DEBUGFS "corrupt-filter-memcg", O_RDWR);
	int err = errno;

	ksft_test_result(fd < 0 && err == ENOENT,
			 "no CONFIG_MEMCG: corrupt-filter-memcg absent (fd %d errno %d)\n",
			 fd, fd < 0 ? err : 0);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	nomemcg = argc > 1 && !strcmp(argv[1], "nomemcg");
	psize = sysconf(_SC_PAGESIZE);
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	ksft_print_header();
	ksft_set_plan(nomemcg ? 5 : 7);
	filters_off();
	test_dev();
	test_flags();
	if (nomemcg)
		test_no_memcg();
	else
		test_memcg();
	ksft_finished();
}
