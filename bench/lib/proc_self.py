"""What /proc says about this process: the ncclient benchmark scripts' memory and fd figures."""
import os


def proc_status_bytes(field):
    """A size field of /proc/self/status (VmRSS, VmHWM …) in bytes; None when absent."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) * 1024
    return None


def fd_count():
    """Open file descriptors of this process."""
    return len(os.listdir('/proc/self/fd'))
