// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_mce: a machine check from the emulator, as a patrol scrub would
 * report it (uncorrected, action optional, with the physical address).
 * The harness injects it through the QEMU monitor when this program prints
 * "RAS-QMP mce ..." on its output.
 *
 * Checks that memory_failure() ran for the page, the process holding it
 * with PR_MCE_KILL_EARLY got BUS_MCEERR_AO with the right address and
 * address bits, HardwareCorrupted grew by one page, and the page is never
 * handed out again.  Run it in a boot of its own: after a hardware-path
 * failure the kernel refuses unpoison-pfn for the rest of the boot.
 */
#define _GNU_SOURCE
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

/*
 * MCi_STATUS VAL|UC|EN|MISCV|ADDRV|S, MCACOD 0xC0 (patrol scrub);
 * MCG_STATUS MCIP|RIPV; MCi_MISC: physical address mode, LSB 12.
 */
#define MCE_SRAO	"mce -b 0 9 0xbd000000000000c0 0x5 %#llx 0x8c"

struct shared {
	int got, code, lsb;
	void *addr;
	char *page;
	unsigned long pfn;
	int nid, ready;
};

static struct shared *sh;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	sh->code = si->si_code;
	sh->addr = si->si_addr;
	sh->lsb = si->si_addr_lsb;
	__atomic_fetch_add(&sh->got, 1, __ATOMIC_SEQ_CST);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static bool klog_has(const char *s)
{
	int size = klogctl(10, NULL, 0);
	char *buf = size > 0 ? malloc(size + 1) : NULL;
	bool found = false;
	int n;

	if (!buf)
		return false;
	n = klogctl(3, buf, size);
	if (n >= 0) {
		buf[n] = '\0';
		found = strstr(buf, s);
	}
	free(buf);
	return found;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO };
	long psize = sysconf(_SC_PAGESIZE);
	long long hc0, hc1, total0, total1;
	unsigned long pages = 0;
	int status, nid, i;
	char msg[96];
	pid_t pid;

	sh = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
	ksft_print_header();
	ksft_set_plan(5);

	pid = fork();
	if (!pid) {
		char *page = mmap(NULL, psize, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
		sigaction(SIGBUS, &sa, NULL);
		memset(page, 0x3c, psize);
		sh->page = page;
		sh->pfn = hwp_pfn(page);
		sh->nid = hwp_node_of(page);
		__atomic_store_n(&sh->ready, 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < 3000 && !__atomic_load_n(&sh->got, __ATOMIC_SEQ_CST); i++)
			sleep_ms(10);
		_exit(sh->got ? 0 : 1);
	}
	while (!__atomic_load_n(&sh->ready, __ATOMIC_SEQ_CST))
		sleep_ms(10);

	nid = sh->nid;
	hc0 = hwp_hardware_corrupted_kb();
	total0 = hwp_node_stat(nid, "total");
	printf("RAS-QMP " MCE_SRAO "\n",
	       (unsigned long long)sh->pfn * psize);
	fflush(stdout);
	waitpid(pid, &status, 0);

	ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
			 sh->got == 1 && sh->code == BUS_MCEERR_AO &&
			 sh->addr == sh->page && sh->lsb == 12,
			 "early-kill holder got BUS_MCEERR_AO (got %d code %d addr %s lsb %d)\n",
			 sh->got, sh->code, sh->addr == sh->page ? "ok" : "wrong",
			 sh->lsb);
	/*
	 * The early-kill signal goes out from inside memory_failure(), before
	 * action_result() counts the page: wait for its "recovery action"
	 * line, printed after the counters, before reading them.
	 */
	snprintf(msg, sizeof(msg), "Memory failure: %#lx: recovery action for ",
		 sh->pfn);
	for (i = 0; i < 1000 && !klog_has(msg); i++)
		sleep_ms(10);
	ksft_test_result(klog_has(msg), "memory_failure() ran for pfn %#lx\n",
			 sh->pfn);
	hc1 = hwp_hardware_corrupted_kb();
	total1 = hwp_node_stat(nid, "total");
	ksft_test_result(hc1 == hc0 + psize / 1024 && total1 == total0 + 1,
			 "HardwareCorrupted %lld -> %lld kB, node%d total %lld -> %lld\n",
			 hc0, hc1, nid, total0, total1);
	ksft_test_result(hwp_kpageflags(sh->pfn) & (1ULL << KPF_HWPOISON),
			 "pfn %#lx is poisoned\n", sh->pfn);
	ksft_test_result(!hwp_allocation_hits(&sh->pfn, 1, 85, &pages) &&
			 pages > 1000,
			 "%lu pages allocated, not the poisoned one\n", pages);
	ksft_finished();
}
