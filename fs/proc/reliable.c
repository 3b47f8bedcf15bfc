// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/reliable and /proc/<pid>/task/<tid>/reliable: whether the
 * process's own pages go to mirrored memory (memory reliability tiering).
 * The flag belongs to the address space, so both files show and change
 * the same value; the rules are in mm/mem_reliable.c.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/mem_reliable.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "internal.h"

static int reliable_open(struct inode *inode, struct file *file)
{
	/* Absent in effect while tiering is off. */
	if (!mem_reliable_status())
		return -EACCES;
	return 0;
}

static ssize_t reliable_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct task_struct *task = get_proc_task(file_inode(file));
	char buffer[4];
	int val, len;

	if (!task)
		return -ESRCH;
	val = mem_reliable_task_reliable(task);
	put_task_struct(task);
	if (val < 0)
		return val;
	len = scnprintf(buffer, sizeof(buffer), "%d\n", val);
	return simple_read_from_buffer(buf, count, ppos, buffer, len);
}

static ssize_t reliable_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct task_struct *task;
	unsigned int val;
	int ret;

	ret = kstrtouint_from_user(buf, count, 10, &val);
	if (ret == -EFAULT)
		return ret;
	if (ret || val > 1)
		return -EINVAL;
	task = get_proc_task(file_inode(file));
	if (!task)
		return -ESRCH;
	/* The opener's privilege, not that of whoever writes to its file. */
	ret = mem_reliable_set_task(task, val,
				    file_ns_capable(file, &init_user_ns,
						    CAP_SYS_RESOURCE));
	put_task_struct(task);
	return ret ? ret : count;
}

const struct file_operations proc_reliable_operations = {
	.open		= reliable_open,
	.read		= reliable_read,
	.write		= reliable_write,
	.llseek		= generic_file_llseek,
};
