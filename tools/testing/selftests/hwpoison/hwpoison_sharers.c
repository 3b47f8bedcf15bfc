// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_sharers: early kill when an address space is used by more than
 * one process, or by a process whose main thread is gone.
 *
 * memory_failure() signals, for each process on the machine, the first
 * thread that asked for an early kill if it uses the mm of a VMA that maps
 * the poisoned page; with MF_ACTION_REQUIRED the current task takes it for
 * every process on its mm.  A process whose main thread has exited is
 * skipped.  Each case runs in a fresh process P and checks exactly which
 * task gets which signal:
 *
 *  - a vfork child of P with PR_MCE_KILL_EARLY, P late: the child gets
 *    BUS_MCEERR_AO, with P's main thread alive and after it called
 *    pthread_exit() (another thread of P vforks);
 *  - the same with a clone(CLONE_VM) child;
 *  - a thread of a multi-threaded P calls execve(); the new program, early,
 *    gets AO for its own page, in the thread that now has P's pid;
 *  - one early process maps a shmem page twice: AO for the first mapping
 *    first;
 *  - a vfork child poisons P's page with MADV_HWPOISON (action required):
 *    the child, as the current task, gets BUS_MCEERR_AR inside madvise,
 *    with P's main thread alive and after pthread_exit();
 *  - P's main thread exits, P's other thread is early: nothing, neither
 *    for corrupt-pfn nor for MADV_HWPOISON from that thread.
 *
 * Signals do not queue, so the kill list itself is read from the kernel
 * log: one "Sending SIGBUS to comm:tid" line per entry.  Each case checks
 * the number of entries of the expected task and that there are no
 * others, and that P got no signal, also after its vfork wait.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

#define EARLY_KILL	"/proc/sys/vm/memory_failure_early_kill"
#define EXIT_AR		42
#define EXIT_NOSIG	43
#define MAX_SIGS	4

struct sig_rec {
	int code, lsb;
	void *addr;
	pid_t tid;
};

/* Shared by the driver, P and P's children, also across execve(). */
struct result {
	int got;
	struct sig_rec sig[MAX_SIGS];
	int ready, go;
	pid_t tid;		/* the task that should take the signal */
	pid_t pid;		/* P */
	unsigned long pfn;
	void *page, *page2;
	int status;		/* wait status of P's child */
	int mret;		/* errno of madvise(MADV_HWPOISON), or 0 */
	int done;
};

static struct result *r;
static long psize;

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	int i = __atomic_fetch_add(&r->got, 1, __ATOMIC_SEQ_CST);

	(void)sig;
	(void)uc;
	if (i < MAX_SIGS) {
		r->sig[i].code = si->si_code;
		r->sig[i].addr = si->si_addr;
		r->sig[i].lsb = si->si_addr_lsb;
		r->sig[i].tid = syscall(SYS_gettid);
	}
	if (si->si_code == BUS_MCEERR_AR)
		_exit(EXIT_AR);
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

static bool wait_for(int *flag, int ms)
{
	for (; ms > 0 && !LOAD(*flag); ms -= 10)
		sleep_ms(10);
	return LOAD(*flag);
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

/* The kernel log from now on: a /dev/kmsg reader at its end. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Count the kill entries for @pfn logged since kmsg_open(): all of them,
 * and in *@mine those for task @tid: memory-failure logs each as
 * "Memory failure: 0x<pfn>: Sending SIGBUS to <comm>:<tid> ...".  Closes @fd.
 */
static int kmsg_kills(int fd, unsigned long pfn, pid_t tid, int *mine)
{
	char buf[1024], want[64], *msg, *colon;
	int all = 0;
	ssize_t n;

	*mine = 0;
	if (fd < 0)
		return -1;
	snprintf(want, sizeof(want), "%#lx: Sending SIGBUS to ", pfn);
	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		msg = msg ? strstr(msg, want) : NULL;
		if (!msg)
			continue;
		all++;
		colon = strchr(msg + strlen(want), ':');
		if (colon && isdigit((unsigned char)colon[1]) &&
		    atoi(colon + 1) == tid)
			(*mine)++;
	}
	close(fd);
	return all;
}

static void set_policy(int policy)
{
	if (prctl(PR_MCE_KILL, PR_MCE_KILL_SET, policy, 0, 0))
		_exit(3);
}

/*
 * A filled page of P, anonymous or shmem (@shmem: the file mapping tree);
 * its address and PFN go to the driver.
 */
static char *map_page(bool shmem)
{
	int fd = shmem ? memfd_create("hwpoison-shared", 0) : -1;
	char *p = MAP_FAILED;

	if (!shmem)
		p = mmap(NULL, psize, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (fd >= 0 && !ftruncate(fd, psize))
		p = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
	if (p == MAP_FAILED)
		_exit(2);
	memset(p, 0x6b, psize);
	r->page = p;
	r->pfn = hwp_pfn(p);
	return p;
}

/* Who shares P's mm, and whether it poisons the page itself (_AR). */
enum sharer { VFORK, CLONE_VM_CHILD, VFORK_AR, ALONE, ALONE_AR };

static enum sharer sharer;

static int sharer_body(void *arg)
{
	bool ar = sharer == VFORK_AR || sharer == ALONE_AR;

	(void)arg;
	if (!ar)
		set_policy(PR_MCE_KILL_EARLY);
	STORE(r->tid, gettid_());
	STORE(r->ready, 1);
	if (!wait_for(&r->go, 30000))
		_exit(4);
	if (ar) {
		/* P's page, poisoned from a task using P's mm. */
		r->mret = madvise(r->page, psize, MADV_HWPOISON) ? errno : 0;
		if (sharer == ALONE_AR) {
			r->status = EXIT_NOSIG << 8;
			STORE(r->done, 1);
		}
		_exit(EXIT_NOSIG);
	}
	_exit(0);
}

/* Wait until P's main thread is a zombie: it has left its mm. */
static void wait_main_gone(void)
{
	char path[64], buf[256], *p;
	int fd, ms;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)getpid());
	for (ms = 0; ms < 10000; ms += 10) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			_exit(10);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
			return;
		sleep_ms(10);
	}
	_exit(11);
}

/*
 * In P: start the task that shares P's mm, wait for it, end P.  ALONE:
 * this thread is the early (or poisoning) task itself.
 */
static void *start_sharer(void *arg)
{
	size_t stack_size = 1 << 16;
	int status = -1;
	char *stack;
	pid_t pid;

	if (arg)
		wait_main_gone();
	if (sharer == ALONE || sharer == ALONE_AR) {
		sharer_body(NULL);		/* does not return */
	} else if (sharer == CLONE_VM_CHILD) {
		stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (stack == MAP_FAILED)
			_exit(6);
		pid = clone(sharer_body, stack + stack_size,
			    CLONE_VM | SIGCHLD, NULL);
	} else {
		pid = vfork();
		if (!pid)
			sharer_body(NULL);	/* does not return */
	}
	if (pid < 0)
		_exit(6);
	waitpid(pid, &status, __WALL);
	r->status = status;
	STORE(r->done, 1);
	_exit(0);
}

static void run_sharer(bool main_exits, bool shmem)
{
	pthread_t th;

	map_page(shmem);
	catch_sigbus();
	set_policy(PR_MCE_KILL_LATE);
	if (!main_exits)
		start_sharer(NULL);
	if (pthread_create(&th, NULL, start_sharer, (void *)1))
		_exit(7);
	pthread_exit(NULL);
}

/* In P: a second thread replaces the program; see exec_child(). */
static void *exec_thread(void *arg)
{
	char fd[16];

	snprintf(fd, sizeof(fd), "%d", *(int *)arg);
	execl("/proc/self/exe", "hwpoison_sharers", "exec-child", fd, NULL);
	_exit(8);
}

static void run_exec(int fd)
{
	pthread_t th;

	set_policy(PR_MCE_KILL_LATE);
	if (pthread_create(&th, NULL, exec_thread, &fd))
		_exit(7);
	for (;;)
		pause();
}

/* The program execve() started in a thread of P. */
static int exec_child(int fd)
{
	psize = sysconf(_SC_PAGESIZE);
	r = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		return 2;
	catch_sigbus();
	map_page(false);
	set_policy(PR_MCE_KILL_EARLY);
	STORE(r->tid, gettid_());
	STORE(r->ready, 1);
	wait_for(&r->go, 30000);
	return 0;
}

static void run_twice(void)
{
	int fd = memfd_create("hwpoison-twice", 0);
	char *a, *b;

	if (fd < 0 || ftruncate(fd, psize))
		_exit(2);
	a = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		_exit(2);
	memset(a, 0x6b, psize);
	if (b[0] != 0x6b)
		_exit(2);
	r->page = a;
	r->page2 = b;
	r->pfn = hwp_pfn(a);
	catch_sigbus();
	set_policy(PR_MCE_KILL_EARLY);
	STORE(r->tid, gettid_());
	STORE(r->ready, 1);
	wait_for(&r->go, 30000);
	_exit(0);
}

enum scenario { S_VFORK, S_CLONE, S_EXEC, S_TWICE, S_ALONE };

struct tcase {
	const char *name;
	enum scenario s;
	enum sharer sharer;
	bool main_exits, shmem;
	int code;		/* BUS_MCEERR_AO, BUS_MCEERR_AR, or 0: none */
	int entries;		/* kill entries, all for the expected task */
};

/* Fork P and run @c in it; returns P's pid. */
static pid_t start(const struct tcase *c, int fd)
{
	pid_t pid;

	memset(r, 0, sizeof(*r));
	pid = fork();
	if (pid)
		return pid;
	r->pid = getpid();
	sharer = c->sharer;
	switch (c->s) {
	case S_VFORK:
	case S_CLONE:
	case S_ALONE:
		run_sharer(c->main_exits, c->shmem);
		break;
	case S_EXEC:
		run_exec(fd);
		break;
	case S_TWICE:
		run_twice();
		break;
	}
	_exit(9);
}

/* Let P and its children end; P must be gone before the next case. */
static void finish(pid_t pid)
{
	int ms;

	STORE(r->go, 1);
	for (ms = 0; ms < 10000; ms += 10) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void run_case(const struct tcase *c, int fd)
{
	bool ar = c->sharer == VFORK_AR || c->sharer == ALONE_AR;
	const char *what = c->main_exits ? ", main thread exited" : "";
	pid_t pid = start(c, fd);
	struct sig_rec *g = &r->sig[0];
	int kmsg, all, mine, got, err = 0;
	bool ok;

	if (!wait_for(&r->ready, 20000)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ksft_test_result_fail("%s%s: P did not get ready\n", c->name,
				      what);
		return;
	}
	kmsg = kmsg_open();
	if (ar) {
		STORE(r->go, 1);
		wait_for(&r->done, 10000);
	} else {
		err = hwp_corrupt_pfn(r->pfn);
		if (c->code)
			wait_for(&r->got, 10000);
	}
	sleep_ms(300);
	got = LOAD(r->got);
	finish(pid);
	all = kmsg_kills(kmsg, r->pfn, r->tid, &mine);

	ok = !err && all == c->entries && mine == c->entries &&
	     r->got == got;	/* nothing more once P's vfork wait ended */
	if (c->code)
		ok = ok && (got == 1 || (c->s == S_TWICE && got == 2)) &&
		     g->code == c->code && g->addr == r->page &&
		     g->lsb == 12 && g->tid == r->tid;
	else
		ok = ok && got == 0;
	if (c->s == S_TWICE && got == 2)	/* the second mapping's */
		ok = ok && r->sig[1].addr == r->page2 &&
		     r->sig[1].tid == r->tid;
	if (c->s == S_EXEC)	/* execve() from a thread takes over P's pid */
		ok = ok && r->tid == pid;
	if (ar)			/* ends in the handler, or madvise returns 0 */
		ok = ok && LOAD(r->done) && WIFEXITED(r->status) &&
		     WEXITSTATUS(r->status) == (c->code ? EXIT_AR : EXIT_NOSIG) &&
		     (c->code || r->mret == 0);
	ksft_test_result(ok,
			 "%s%s: %s (inject %d got %d/%d code %d lsb %d addr %s tid %d want %d; entries %d, %d for it, want %d)\n",
			 c->name, what,
			 c->code == BUS_MCEERR_AO ? "BUS_MCEERR_AO to the early task" :
			 c->code == BUS_MCEERR_AR ? "BUS_MCEERR_AR to the current task" :
			 "no signal",
			 err, got, r->got, g->code, g->lsb,
			 g->addr == r->page ? "ok" : "wrong", g->tid, r->tid,
			 all, mine, c->entries);
}

int main(int argc, char **argv)
{
	/*
	 * Entries: the process walk gives one to each process's chosen
	 * task for each VMA of the page; with MF_ACTION_REQUIRED, current
	 * is chosen for every process on its mm whose main thread has one.
	 */
	static const struct tcase cases[] = {
		{ "vfork child", S_VFORK, VFORK, false, false, BUS_MCEERR_AO, 1 },
		{ "vfork child", S_VFORK, VFORK, true, false, BUS_MCEERR_AO, 1 },
		{ "vfork child, shmem", S_VFORK, VFORK, false, true, BUS_MCEERR_AO, 1 },
		{ "vfork child, shmem", S_VFORK, VFORK, true, true, BUS_MCEERR_AO, 1 },
		{ "CLONE_VM child", S_CLONE, CLONE_VM_CHILD, false, false, BUS_MCEERR_AO, 1 },
		{ "CLONE_VM child", S_CLONE, CLONE_VM_CHILD, true, false, BUS_MCEERR_AO, 1 },
		{ "CLONE_VM child, shmem", S_CLONE, CLONE_VM_CHILD, true, true, BUS_MCEERR_AO, 1 },
		{ "execve in a thread", S_EXEC, ALONE, false, false, BUS_MCEERR_AO, 1 },
		{ "shmem page mapped twice", S_TWICE, ALONE, false, true, BUS_MCEERR_AO, 2 },
		{ "early thread", S_ALONE, ALONE, true, false, 0, 0 },
		{ "early thread, shmem", S_ALONE, ALONE, true, true, 0, 0 },
		{ "MADV_HWPOISON by vfork child", S_VFORK, VFORK_AR, false, false,
		  BUS_MCEERR_AR, 2 },
		{ "MADV_HWPOISON by vfork child", S_VFORK, VFORK_AR, true, false,
		  BUS_MCEERR_AR, 1 },
		{ "MADV_HWPOISON from a thread", S_ALONE, ALONE_AR, true, false, 0, 0 },
	};
	unsigned int i;
	int fd, old;

	if (argc == 3 && !strcmp(argv[1], "exec-child"))
		return exec_child(atoi(argv[2]));

	psize = sysconf(_SC_PAGESIZE);
	fd = memfd_create("hwpoison-sharers", 0);	/* kept over execve */
	if (fd < 0 || ftruncate(fd, psize))
		ksft_exit_fail_msg("memfd: %s\n", strerror(errno));
	r = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	/* The injector must never be signalled. */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	old = hwp_read_num(EARLY_KILL);
	hwp_write_num(EARLY_KILL, 0);

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i], fd);
	hwp_write_num(EARLY_KILL, old);
	ksft_finished();
}
