// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_kill: who gets which SIGBUS when a page goes bad.
 *
 * late kill: a page is poisoned behind a process's back (debugfs
 * corrupt-pfn, as a patrol scrub would report it); the process gets
 * nothing until it touches the page, then SIGBUS BUS_MCEERR_AR with the
 * address and its valid bits (12, or 21 for a 2 MiB hugetlb page).
 * Anonymous, shmem, THP, hugetlb and dirty page-cache pages (ext4 on the
 * harness's /dev/vda); a clean page-cache page is dropped instead and
 * read back intact.
 *
 * early kill: processes sharing the poisoned page (anonymous, or shmem
 * through the file mapping tree) get BUS_MCEERR_AO at once, without
 * touching it, when they asked for it with prctl(PR_MCE_KILL_EARLY) or
 * vm.memory_failure_early_kill=1 applies to them; PR_MCE_KILL_LATE ones
 * get nothing until they touch it; a thread, or a CLONE_VM process, that
 * set PR_MCE_KILL_EARLY receives the signal for its process.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

#define EARLY_KILL	"/proc/sys/vm/memory_failure_early_kill"
#define HUGE_SZ		(2UL << 20)
#define EXIT_AR		42

struct result {
	int got;
	int code, lsb;
	void *addr;
	pid_t tid;		/* thread that took the signal */
	pid_t ttid;		/* the dedicated thread */
	int ready, go;
};

static struct result *results;	/* shared with the children */
static int slot;		/* this process's result slot */
static long psize;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	struct result *r = &results[slot];

	(void)sig;
	(void)uc;
	r->code = si->si_code;
	r->addr = si->si_addr;
	r->lsb = si->si_addr_lsb;
	r->tid = syscall(SYS_gettid);
	__atomic_fetch_add(&r->got, 1, __ATOMIC_SEQ_CST);
	if (si->si_code == BUS_MCEERR_AR)
		_exit(EXIT_AR);		/* the access would fault again */
}

static void catch_sigbus(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO };

	sigaction(SIGBUS, &sa, NULL);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

/* Wait up to @ms for @flag to become non-zero. */
static bool wait_for(int *flag, int ms)
{
	for (; ms > 0 && !LOAD(*flag); ms -= 10)
		sleep_ms(10);
	return LOAD(*flag);
}

/* Read one byte of @p: a real access, whatever the compiler thinks. */
static char touch(char *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

enum kind { ANON, SHMEM, FILE_CLEAN, FILE_DIRTY, THP, HUGETLB };
static const char *const kind_name[] = {
	"anon", "shmem", "clean ext4 page", "dirty ext4 page", "THP", "hugetlb"
};

/* A one-page file on the ext4 of /dev/vda, written back when @clean. */
static char *map_file(bool clean)
{
	char *buf = malloc(psize), *p;
	int fd = open(clean ? "/mnt/late-clean" : "/mnt/late-dirty",
		      O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || !buf)
		return MAP_FAILED;
	memset(buf, 0x5a, psize);
	if (write(fd, buf, psize) != psize || (clean && fsync(fd)))
		return MAP_FAILED;
	free(buf);
	p = mmap(NULL, psize, PROT_READ | (clean ? 0 : PROT_WRITE),
		 MAP_SHARED, fd, 0);
	close(fd);
	return p;
}

/* Map and fill memory of @kind; *@page is the page to poison. */
static void *map_kind(enum kind kind, char **page)
{
	char *p = MAP_FAILED;
	int fd;

	switch (kind) {
	case ANON:
		p = mmap(NULL, psize, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case SHMEM:
		fd = memfd_create("hwpoison", 0);
		if (fd >= 0 && !ftruncate(fd, psize))
			p = mmap(NULL, psize, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
		break;
	case THP:
		p = mmap(NULL, 2 * HUGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			p = (char *)(((uintptr_t)p + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
			madvise(p, HUGE_SZ, MADV_HUGEPAGE);
		}
		break;
	case HUGETLB:
		p = mmap(NULL, HUGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		break;
	case FILE_CLEAN:
	case FILE_DIRTY:
		p = map_file(kind == FILE_CLEAN);
		break;
	}
	if (p == MAP_FAILED)
		return NULL;
	if (kind == FILE_CLEAN)
		touch(p);		/* mapped, and clean */
	else
		memset(p, 0x5a, kind >= THP ? HUGE_SZ : (size_t)psize);
	/* A subpage in the middle of a huge page, the page itself otherwise. */
	*page = kind == THP ? p + 3 * psize : p;
	return p;
}

/*
 * Late kill of a page of @kind: nothing until the touch, then AR.  A clean
 * page-cache page is dropped instead: the touch reads it back, intact.
 */
static void test_late(enum kind kind)
{
	const char *name = kind_name[kind];
	struct result *r;
	int status = 0, err;
	unsigned long pfn;
	char *page;
	pid_t pid;

	slot = 0;
	r = &results[0];
	memset(r, 0, sizeof(*r));
	pid = fork();
	if (!pid) {
		char *base = map_kind(kind, &page);

		if (!base)
			_exit(2);
		if (kind == THP &&
		    !(hwp_kpageflags(hwp_pfn(base)) & (1ULL << KPF_THP)))
			_exit(3);
		r->addr = page;
		r->tid = hwp_pfn(page);		/* PFN for the parent */
		catch_sigbus();
		STORE(r->ready, 1);
		if (!wait_for(&r->go, 20000))
			_exit(4);
		if (LOAD(r->got))		/* signalled before the touch */
			_exit(5);
		if (kind == THP && base[0] != 0x5a)	/* other subpage intact */
			_exit(6);
		touch(page);
		if (kind == FILE_CLEAN)
			_exit(page[0] == 0x5a && page[psize - 1] == 0x5a ? 0 : 7);
		_exit(1);			/* no SIGBUS */
	}
	if (!wait_for(&r->ready, 20000)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ksft_test_result_fail("late %s: child could not map its page (exit %d)\n",
				      name, WEXITSTATUS(status));
		return;
	}
	page = r->addr;
	pfn = r->tid;
	r->tid = 0;
	err = hwp_corrupt_pfn(pfn);
	sleep_ms(200);
	STORE(r->go, 1);
	waitpid(pid, &status, 0);
	if (kind == FILE_CLEAN) {
		ksft_test_result(!err && WIFEXITED(status) &&
				 !WEXITSTATUS(status) && !r->got &&
				 (hwp_kpageflags(pfn) & (1ULL << KPF_HWPOISON)),
				 "late %s: dropped, no SIGBUS, re-read intact (exit %d got %d)\n",
				 name, WEXITSTATUS(status), r->got);
		return;
	}
	ksft_test_result(!err && WIFEXITED(status) &&
			 WEXITSTATUS(status) == EXIT_AR && r->got == 1 &&
			 r->code == BUS_MCEERR_AR && r->addr == page &&
			 r->lsb == (kind == HUGETLB ? 21 : 12),
			 "late %s: SIGBUS on touch only: inject %d exit %d code %d addr %s lsb %d\n",
			 name, err, WEXITSTATUS(status), r->code,
			 r->addr == page ? "ok" : "wrong", r->lsb);
}

struct early_child {
	const char *name;
	int policy;		/* PR_MCE_KILL_* for prctl, -1 none */
	bool in_thread;		/* a second thread sets the policy */
	bool want_ao;
	bool clone_vm;		/* a CLONE_VM process sets the policy */
};

static void *policy_thread(void *arg)
{
	struct result *r = &results[slot];

	(void)arg;
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
	STORE(r->ttid, syscall(SYS_gettid));
	for (;;)
		pause();
	return NULL;
}

static int policy_process(void *arg)
{
	policy_thread(arg);
	return 0;
}

static void early_child_run(const struct early_child *c, char *page)
{
	struct result *r = &results[slot];
	pid_t vm_child = 0;
	pthread_t th;

	catch_sigbus();
	if (c->policy >= 0)
		prctl(PR_MCE_KILL, PR_MCE_KILL_SET, c->policy, 0, 0);
	else	/* back to the default: the parent is explicitly late */
		prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0);
	if (c->in_thread) {
		if (pthread_create(&th, NULL, policy_thread, NULL))
			_exit(2);
		while (!LOAD(r->ttid))
			sleep_ms(1);
	}
	if (c->clone_vm) {
		/* Another process on our mm: the mm is MMF_MULTIPROCESS. */
		char *stack = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		vm_child = clone(policy_process, stack + (1 << 16),
				 CLONE_VM | SIGCHLD, NULL);
		if (vm_child < 0)
			_exit(2);
		while (!LOAD(r->ttid))
			sleep_ms(1);
	}
	STORE(r->ready, 1);
	wait_for(&r->go, 30000);
	/* The late ones touch the page now: that must be fatal. */
	if (!c->want_ao && !LOAD(r->got))
		touch(page);
	if (vm_child > 0)
		kill(vm_child, SIGKILL);
	_exit(0);
}

/*
 * Children share an anonymous page with the parent; the parent poisons it
 * with corrupt-pfn and checks who was told at once.
 */
static void test_early(const char *what, int sysctl_early, bool shmem,
		       const struct early_child *c, int nr)
{
	int i, status, err, old = hwp_read_num(EARLY_KILL);
	pid_t pids[8];
	char *page;

	if (shmem) {
		int fd = memfd_create("hwpoison-early", 0);

		if (fd < 0 || ftruncate(fd, psize))
			ksft_exit_fail_msg("memfd: %s\n", strerror(errno));
		page = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
		close(fd);
	} else {
		page = mmap(NULL, psize, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	memset(page, 0x33, psize);
	memset(results, 0, sizeof(*results) * (nr + 1));
	hwp_write_num(EARLY_KILL, sysctl_early);
	for (i = 0; i < nr; i++) {
		slot = i + 1;
		pids[i] = fork();
		if (!pids[i])
			early_child_run(&c[i], page);
	}
	slot = 0;
	for (i = 0; i < nr; i++)
		wait_for(&results[i + 1].ready, 20000);

	err = hwp_corrupt_pfn(hwp_pfn(page));
	/* Give the AO signals time to arrive, then let the late ones touch. */
	for (i = 0; i < nr; i++)
		if (c[i].want_ao)
			wait_for(&results[i + 1].got, 5000);
	sleep_ms(300);
	for (i = 0; i < nr; i++) {
		struct result *r = &results[i + 1];
		bool ao_seen = r->got == 1 && r->code == BUS_MCEERR_AO;

		if (c[i].want_ao) {
			bool tid_ok = r->ttid && r->tid == r->ttid;
			bool own_tid = c[i].in_thread || c[i].clone_vm;

			ksft_test_result(!err && ao_seen && r->addr == page &&
					 r->lsb == 12,
					 "early %s: %s gets BUS_MCEERR_AO at once (got %d code %d lsb %d)\n",
					 what, c[i].name, r->got, r->code, r->lsb);
			if (own_tid)
				ksft_test_result(tid_ok,
						 "early %s: %s: the dedicated thread %d takes it (got %d)\n",
						 what, c[i].name, r->ttid, r->tid);
		} else {
			ksft_test_result(!err && !r->got,
					 "early %s: %s gets nothing before the touch\n",
					 what, c[i].name);
		}
		STORE(r->go, 1);
		waitpid(pids[i], &status, 0);
		if (!c[i].want_ao)
			ksft_test_result(WIFEXITED(status) &&
					 WEXITSTATUS(status) == EXIT_AR &&
					 r->code == BUS_MCEERR_AR && r->addr == page,
					 "early %s: %s gets BUS_MCEERR_AR on the touch (exit %d code %d)\n",
					 what, c[i].name, WEXITSTATUS(status), r->code);
	}
	hwp_write_num(EARLY_KILL, old);
}

int main(void)
{
	static const struct early_child prctl_children[] = {
		{ "PR_MCE_KILL_EARLY process", PR_MCE_KILL_EARLY, false, true, false },
		{ "PR_MCE_KILL_LATE process", PR_MCE_KILL_LATE, false, false, false },
		{ "default process", -1, false, false, false },
		{ "process with an early thread", -1, true, true, false },
		{ "CLONE_VM process with PR_MCE_KILL_EARLY", -1, false, true,
		  true },
	};
	static const struct early_child shmem_children[] = {
		{ "PR_MCE_KILL_EARLY process", PR_MCE_KILL_EARLY, false, true, false },
		{ "PR_MCE_KILL_LATE process", PR_MCE_KILL_LATE, false, false, false },
	};
	static const struct early_child sysctl_children[] = {
		{ "default process", -1, false, true, false },
		{ "PR_MCE_KILL_LATE process", PR_MCE_KILL_LATE, false, false, false },
	};

	psize = sysconf(_SC_PAGESIZE);
	results = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	hwp_write_num("/proc/sys/vm/nr_hugepages", 4);
	/* Page-cache pages of a real file system: the harness's disk. */
	mkdir("/mnt", 0755);
	if (mount("/dev/vda", "/mnt", "ext4", 0, NULL) && errno != EBUSY)
		ksft_exit_fail_msg("mount /dev/vda: %s\n", strerror(errno));
	/* The injector shares the page but must never be signalled. */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	hwp_write_num(EARLY_KILL, 0);

	ksft_print_header();
	ksft_set_plan(6 + 9 + 3 + 3);

	test_late(ANON);
	test_late(SHMEM);
	test_late(THP);
	test_late(HUGETLB);
	test_late(FILE_CLEAN);
	test_late(FILE_DIRTY);
	test_early("prctl", 0, false, prctl_children, 5);
	test_early("sysctl", 1, false, sysctl_children, 2);
	test_early("shmem", 0, true, shmem_children, 2);
	umount("/mnt");
	ksft_finished();
}
