// SPDX-License-Identifier: GPL-2.0
/*
 * mem_reliable_task: /proc/<pid>/reliable and /proc/<pid>/task/<tid>/reliable.
 *
 *   mem_reliable_task        tiering on: values, errors, permissions,
 *                            inheritance, threads, exec, races
 *   mem_reliable_task off    tiering off: both files refuse with EACCES
 *
 * The flag belongs to the process (its address space): the two files show
 * and change one value.  Every failed write must leave the value as it was.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "mem_reliable_util.h"

static char self_exe[256];

static int rd(const char *path, char *buf, size_t size)
{
	return mr_read(path, buf, size);
}

/* Read /proc/<pid>/reliable: 0, 1, or -errno. */
static int get_rel(int pid)
{
	char path[64], buf[16];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/reliable", pid);
	err = rd(path, buf, sizeof(buf));
	if (err)
		return err;
	if (!strcmp(buf, "0"))
		return 0;
	if (!strcmp(buf, "1"))
		return 1;
	return -EBADMSG;
}

static int set_rel(int pid, const char *v)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/reliable", pid);
	return mr_write(path, v);
}

static int get_task_rel(int pid, int tid)
{
	char path[96], buf[16];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/reliable", pid, tid);
	err = rd(path, buf, sizeof(buf));
	if (err)
		return err;
	return !strcmp(buf, "1") ? 1 : !strcmp(buf, "0") ? 0 : -EBADMSG;
}

static int set_task_rel(int pid, int tid, const char *v)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/reliable", pid, tid);
	return mr_write(path, v);
}

static const char *err_str(int err)
{
	return err < 0 ? strerror(-err) : err ? "1" : "0";
}

static void test_read_format(void)
{
	char buf[8] = "";
	int fd = open("/proc/self/reliable", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	ksft_test_result(n == 2 && !memcmp(buf, "0\n", 2),
			 "a new process reads exactly \"0\\n\" (%zd bytes)\n", n);
}

static void test_bad_values(void)
{
	static const char * const bad[] = {
		"2", "-1", "abc", "", "\n", "1x", "10", " 1", "0x1",
		"4294967297", "1 1",
	};
	int start, i;

	for (start = 0; start <= 1; start++) {
		bool ok = true;

		set_rel(getpid(), start ? "1" : "0");
		for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
			int err = set_rel(getpid(), bad[i]);

			if (err != -EINVAL || get_rel(getpid()) != start) {
				ksft_print_msg("'%s': %s, value %s\n", bad[i],
					       err_str(err),
					       err_str(get_rel(getpid())));
				ok = false;
			}
		}
		ksft_test_result(ok, "%zu bad values: EINVAL, value stays %d\n",
				 ARRAY_SIZE(bad), start);
	}
	set_rel(getpid(), "0");
}

static void test_good_values(void)
{
	int a = set_rel(getpid(), "1"), va = get_rel(getpid());
	int b = set_rel(getpid(), "0\n"), vb = get_rel(getpid());
	int c = set_rel(getpid(), "1\n"), vc = get_rel(getpid());
	int d = set_rel(getpid(), "0"), vd = get_rel(getpid());

	ksft_test_result(!a && va == 1 && !b && !vb && !c && vc == 1 && !d && !vd,
			 "1, \"0\\n\", \"1\\n\", 0 written and read back\n");
}

static void test_special(void)
{
	int r1 = get_rel(1), w1 = set_rel(1, "0"), w1b = set_rel(1, "1");
	int r2 = get_rel(2), w2 = set_rel(2, "0"), w2b = set_rel(2, "1");
	char comm[32] = "";

	ksft_test_result(r1 == -EINVAL && w1 == -EINVAL && w1b == -EINVAL,
			 "pid 1: read %s, write 0 %s, write 1 %s\n", err_str(r1),
			 err_str(w1), err_str(w1b));
	rd("/proc/2/comm", comm, sizeof(comm));
	ksft_test_result(!strcmp(comm, "kthreadd") && r2 == -EINVAL &&
			 w2 == -EINVAL && w2b == -EINVAL,
			 "kernel thread %s: read %s, write 0 %s, write 1 %s\n",
			 comm, err_str(r2), err_str(w2), err_str(w2b));
}

/* A child that sleeps until killed. */
static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (!pid) {
		pause();
		_exit(0);
	}
	return pid;
}

static void test_gone(void)
{
	char path[64], buf[8];
	int fd, wz, rz, wg, rg;
	pid_t pid = sleeper();

	snprintf(path, sizeof(path), "/proc/%d/reliable", pid);
	fd = open(path, O_RDWR);
	kill(pid, SIGKILL);
	/* A zombie has no address space any more. */
	mr_sleep_ms(100);
	wz = pwrite(fd, "1", 1, 0) < 0 ? -errno : 0;
	rz = pread(fd, buf, sizeof(buf), 0) < 0 ? -errno : 0;
	waitpid(pid, NULL, 0);
	wg = pwrite(fd, "1", 1, 0) < 0 ? -errno : 0;
	rg = pread(fd, buf, sizeof(buf), 0) < 0 ? -errno : 0;
	close(fd);
	ksft_test_result(fd >= 0 && wz == -ESRCH && rz == -ESRCH,
			 "zombie: write %s, read %s\n", err_str(wz), err_str(rz));
	ksft_test_result(wg == -ESRCH && rg == -ESRCH,
			 "reaped task: write %s, read %s\n", err_str(wg),
			 err_str(rg));
}

static int cmd_pipe[2], ack_pipe[2];

static void *survivor(void *arg)
{
	char c = 0;
	int v;

	(void)arg;
	if (read(cmd_pipe[0], &c, 1) != 1)
		_exit(20);
	v = get_rel(getpid());
	c = v == 1 ? 'y' : 'n';
	if (write(ack_pipe[1], &c, 1) != 1)
		_exit(21);
	_exit(v == 1 ? 0 : 22);
	return NULL;
}

/* A process whose main thread has exited is not gone. */
static void test_leader_exited(void)
{
	int r0, w, status;
	char path[64], state[64] = "", c = 0;
	pthread_t t;
	pid_t pid;

	if (pipe(cmd_pipe) || pipe(ack_pipe))
		ksft_exit_fail_msg("pipe\n");
	pid = fork();
	if (!pid) {
		pthread_create(&t, NULL, survivor, NULL);
		pthread_exit(NULL);
	}
	/* Wait until the main thread is a zombie. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, pid);
	for (r0 = 0; r0 < 100; r0++) {
		char *st = mr_read_file(path), *p = st ? strrchr(st, ')') : NULL;

		if (p && p[2] == 'Z')
			snprintf(state, sizeof(state), "zombie");
		free(st);
		if (state[0])
			break;
		mr_sleep_ms(20);
	}
	r0 = get_rel(pid);
	w = set_rel(pid, "1");
	if (write(cmd_pipe[1], "x", 1) != 1 || read(ack_pipe[0], &c, 1) != 1)
		c = '?';
	waitpid(pid, &status, 0);
	ksft_test_result(state[0] && !r0 && !w && c == 'y' &&
			 WIFEXITED(status) && !WEXITSTATUS(status),
			 "main thread %s: read %s, write 1 %s, the other thread reads %c\n",
			 state[0] ? "exited" : "still running", err_str(r0),
			 err_str(w), c);
}

static int drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[cap / 32].effective &= ~(1U << (cap % 32));
	data[cap / 32].permitted &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static void test_permissions(void)
{
	int fds[2], res[4] = { 99, 99, 99, 99 }, status;
	pid_t root_proc = sleeper(), pid;

	if (pipe(fds))
		ksft_exit_fail_msg("pipe\n");
	set_rel(root_proc, "1");
	pid = fork();
	if (!pid) {
		/* Root without CAP_SYS_RESOURCE. */
		res[0] = drop_cap(CAP_SYS_RESOURCE) ?: set_rel(getpid(), "1");
		res[1] = set_rel(getpid(), "0");
		/* An unprivileged user, its own process (dumpable again). */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		prctl(PR_SET_DUMPABLE, 1);
		res[2] = set_rel(getpid(), "1");
		/* ... and another user's process: the file mode refuses. */
		res[3] = set_rel(root_proc, "0");
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], res, sizeof(res)) != sizeof(res))
		res[0] = 98;
	close(fds[0]);
	waitpid(pid, &status, 0);
	ksft_test_result(res[0] == -EPERM && res[1] == 0,
			 "without CAP_SYS_RESOURCE: write 1 %s, write 0 %s\n",
			 err_str(res[0]), err_str(res[1]));
	ksft_test_result(res[2] == -EPERM,
			 "unprivileged user, own process: write 1 %s\n",
			 err_str(res[2]));
	ksft_test_result(res[3] == -EACCES && get_rel(root_proc) == 1,
			 "unprivileged user, root's process: write 0 %s, value %s\n",
			 err_str(res[3]), err_str(get_rel(root_proc)));
	kill(root_proc, SIGKILL);
	waitpid(root_proc, NULL, 0);
}

static pthread_barrier_t barrier;

static void *thread_fn(void *arg)
{
	*(int *)arg = gettid();
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return NULL;
}

static void test_threads(void)
{
	int pid = getpid(), tid = 0, a, b, c, d;
	pthread_t t;

	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&t, NULL, thread_fn, &tid);
	pthread_barrier_wait(&barrier);

	set_rel(pid, "0");
	a = set_task_rel(pid, tid, "1");
	b = get_rel(pid);
	c = get_task_rel(pid, pid);
	ksft_test_result(!a && b == 1 && c == 1,
			 "1 through a thread's file: process %s, main thread %s\n",
			 err_str(b), err_str(c));
	a = set_rel(pid, "0");
	d = get_task_rel(pid, tid);
	ksft_test_result(!a && !d && get_task_rel(pid, pid) == 0,
			 "0 through the process file: thread reads %s\n",
			 err_str(d));
	pthread_barrier_wait(&barrier);
	pthread_join(t, NULL);
}

static int child_reads(int want)
{
	return get_rel(getpid()) == want ? 0 : 1;
}

static int clone_fn(void *arg)
{
	(void)arg;
	return set_rel(getpid(), "0") ? 1 : 0;
}

static void test_inherit(void)
{
	int status, ok_fork, ok_exec, ok_sticky, ok_clone;
	static char stack[65536];
	pid_t pid;
	int fds[2];
	char c;

	set_rel(getpid(), "1");
	pid = fork();
	if (!pid) {
		pid_t gc = fork();

		if (!gc)
			_exit(child_reads(1));
		waitpid(gc, &status, 0);
		_exit(WIFEXITED(status) && !WEXITSTATUS(status) ?
		      child_reads(1) : 1);
	}
	waitpid(pid, &status, 0);
	ok_fork = WIFEXITED(status) && !WEXITSTATUS(status);

	pid = fork();
	if (!pid) {
		execl(self_exe, self_exe, "expect", "1", NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	ok_exec = WIFEXITED(status) && !WEXITSTATUS(status);

	/* A child keeps its own flag when its parent changes its own. */
	if (pipe(fds))
		ksft_exit_fail_msg("pipe\n");
	pid = fork();
	if (!pid) {
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(2);
		_exit(child_reads(1));
	}
	close(fds[0]);
	set_rel(getpid(), "0");
	if (write(fds[1], "x", 1) != 1)
		ksft_exit_fail_msg("pipe write\n");
	close(fds[1]);
	waitpid(pid, &status, 0);
	ok_sticky = WIFEXITED(status) && !WEXITSTATUS(status);

	/* A CLONE_VM child shares the address space, hence the flag. */
	set_rel(getpid(), "1");
	pid = clone(clone_fn, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL);
	waitpid(pid, &status, 0);
	ok_clone = WIFEXITED(status) && !WEXITSTATUS(status) &&
		   get_rel(getpid()) == 0;

	ksft_test_result(ok_fork, "inherited by a fork child and its child\n");
	ksft_test_result(ok_exec, "kept across exec\n");
	ksft_test_result(ok_sticky, "a child keeps 1 when its parent writes 0\n");
	ksft_test_result(ok_clone, "a CLONE_VM child writing 0 clears its parent's flag\n");
}

/*
 * Writes racing with exec: the child execs itself over and over and
 * reports its flag after each exec; after each write the parent waits
 * until two execs started after the write have reported, then every
 * report must show the value written.  Without the copy under
 * exec_update_lock, a write landing between the new mm's allocation and
 * the switch to it is lost for good.
 */
#define EXEC_ROUNDS	200

static int execloop(int fd, int gen)
{
	char val = get_rel(getpid()) == 1 ? '1' : '0', g[16];

	if (write(fd, &val, 1) != 1)
		return 1;
	snprintf(g, sizeof(g), "%d", gen + 1);
	execl(self_exe, self_exe, "execloop", g, NULL);
	return 127;
}

static void test_exec_race(void)
{
	int fds[2], round, bad = 0, reports = 0;
	char fdstr[16], v;
	pid_t pid;

	if (pipe(fds))
		ksft_exit_fail_msg("pipe\n");
	pid = fork();
	if (!pid) {
		close(fds[0]);
		if (fds[1] != 100) {
			dup2(fds[1], 100);
			close(fds[1]);
		}
		snprintf(fdstr, sizeof(fdstr), "%d", 0);
		execl(self_exe, self_exe, "execloop", fdstr, NULL);
		_exit(127);
	}
	close(fds[1]);
	for (round = 0; round < EXEC_ROUNDS; round++) {
		char want = round % 2 ? '0' : '1';
		int seen = 0;

		if (set_rel(pid, round % 2 ? "0" : "1"))
			bad++;
		/* Reports of execs that may have read the flag before. */
		while (seen < 6) {
			if (read(fds[0], &v, 1) != 1)
				goto out;
			reports++;
			if (++seen > 2 && v != want)
				bad++;
		}
	}
out:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	ksft_test_result(round == EXEC_ROUNDS && !bad,
			 "%d writes racing with %d execs: %d lost\n", round,
			 reports, bad);
}

/*
 * Writes racing with the process's own updates of its mm flags
 * (PR_SET_THP_DISABLE) and of its task flags: neither side may lose or
 * corrupt the other's bits.
 */
#define FLAG_ROUNDS	20000

static void test_flag_race(void)
{
	int fds[2], i, status, lost = 0;
	int *stop;
	pid_t pid;
	char c;

	stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED || pipe(fds))
		ksft_exit_fail_msg("setup\n");
	pid = fork();
	if (!pid) {
		int n = 0, bad = 0;

		close(fds[0]);
		if (write(fds[1], "r", 1) != 1)
			_exit(2);
		while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
			int want = n++ & 1;

			prctl(PR_SET_THP_DISABLE, want, 0, 0, 0);
			if (prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != want)
				bad++;
		}
		_exit(bad ? 1 : 0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		ksft_exit_fail_msg("child\n");
	for (i = 0; i < FLAG_ROUNDS; i++) {
		const char *v = i & 1 ? "0" : "1";

		set_rel(pid, v);
		if (get_rel(pid) != (i & 1 ? 0 : 1))
			lost++;
	}
	__atomic_store_n(stop, 1, __ATOMIC_RELAXED);
	waitpid(pid, &status, 0);
	ksft_test_result(!lost && WIFEXITED(status) && !WEXITSTATUS(status),
			 "%d writes racing with PR_SET_THP_DISABLE: %d lost here, child %s\n",
			 FLAG_ROUNDS, lost,
			 WIFEXITED(status) && !WEXITSTATUS(status) ?
			 "kept its flags" : "lost some");
}

static void test_off(void)
{
	int r = get_rel(getpid()), w = set_rel(getpid(), "0");
	int t = get_task_rel(getpid(), getpid());

	ksft_test_result(r == -EACCES && w == -EACCES && t == -EACCES,
			 "tiering off: read %s, write %s, task file %s\n",
			 err_str(r), err_str(w), err_str(t));
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n > 0)
		self_exe[n] = '\0';
	if (argc == 3 && !strcmp(argv[1], "expect"))
		return child_reads(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "execloop"))
		return execloop(100, atoi(argv[2]));

	ksft_print_header();
	if (argc == 2 && !strcmp(argv[1], "off")) {
		ksft_set_plan(1);
		test_off();
		ksft_finished();
	}
	ksft_set_plan(20);
	test_read_format();
	test_bad_values();
	test_good_values();
	test_special();
	test_gone();
	test_leader_exited();
	test_permissions();
	test_threads();
	test_inherit();
	test_exec_race();
	test_flag_race();
	set_rel(getpid(), "0");
	ksft_finished();
}
