// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison_prctl: PR_MCE_KILL and PR_MCE_KILL_GET, every valid setting and
 * every kind of bad argument.  A rejected call must leave the policy as
 * it was.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/wait.h>
#include "../kselftest.h"
#include "hwpoison_util.h"

static int get_policy(void)
{
	return prctl(PR_MCE_KILL_GET, 0, 0, 0, 0);
}

static void check_set(int policy, const char *name)
{
	int ret = prctl(PR_MCE_KILL, PR_MCE_KILL_SET, policy, 0, 0);

	ksft_test_result(ret == 0 && get_policy() == policy,
			 "PR_MCE_KILL_SET %s: GET returns %d\n", name,
			 get_policy());
}

/* A call that must fail with EINVAL and leave the policy @before. */
static void check_einval(const char *what, int before, long a2, long a3,
			 long a4, long a5)
{
	int ret;

	errno = 0;
	ret = prctl(PR_MCE_KILL, a2, a3, a4, a5);
	ksft_test_result(ret == -1 && errno == EINVAL && get_policy() == before,
			 "%s: EINVAL, policy kept (ret %d errno %d policy %d)\n",
			 what, ret, errno, get_policy());
}

int main(void)
{
	int ret;

	ksft_print_header();
	ksft_set_plan(15);

	ksft_test_result(get_policy() == PR_MCE_KILL_DEFAULT,
			 "a new process has PR_MCE_KILL_DEFAULT\n");
	check_set(PR_MCE_KILL_EARLY, "EARLY");
	check_set(PR_MCE_KILL_LATE, "LATE");
	check_set(PR_MCE_KILL_EARLY, "EARLY again");
	check_set(PR_MCE_KILL_DEFAULT, "DEFAULT");

	/* Bad arguments, from the default policy and from an explicit one. */
	check_einval("SET with bad policy 7 from DEFAULT", PR_MCE_KILL_DEFAULT,
		     PR_MCE_KILL_SET, 7, 0, 0);
	check_einval("SET with bad policy -1 from DEFAULT", PR_MCE_KILL_DEFAULT,
		     PR_MCE_KILL_SET, -1, 0, 0);
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
	check_einval("SET with bad policy 3 from EARLY", PR_MCE_KILL_EARLY,
		     PR_MCE_KILL_SET, 3, 0, 0);
	check_einval("bad command 5", PR_MCE_KILL_EARLY, 5, 0, 0, 0);
	check_einval("SET with arg4 != 0", PR_MCE_KILL_EARLY,
		     PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 1, 0);
	check_einval("SET with arg5 != 0", PR_MCE_KILL_EARLY,
		     PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 1);
	check_einval("CLEAR with arg3 != 0", PR_MCE_KILL_EARLY,
		     PR_MCE_KILL_CLEAR, 1, 0, 0);

	errno = 0;
	ret = prctl(PR_MCE_KILL_GET, 1, 0, 0, 0);
	ksft_test_result(ret == -1 && errno == EINVAL,
			 "PR_MCE_KILL_GET with arg2 != 0: EINVAL\n");

	ret = prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0);
	ksft_test_result(ret == 0 && get_policy() == PR_MCE_KILL_DEFAULT,
			 "PR_MCE_KILL_CLEAR: back to DEFAULT\n");

	/* The policy is per thread and inherited by fork. */
	prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
	{
		pid_t pid = fork();
		int status = 0;

		if (!pid)
			_exit(get_policy() == PR_MCE_KILL_EARLY ? 0 : 1);
		waitpid(pid, &status, 0);
		ksft_test_result(WIFEXITED(status) && !WEXITSTATUS(status),
				 "fork inherits PR_MCE_KILL_EARLY\n");
	}
	ksft_finished();
}
