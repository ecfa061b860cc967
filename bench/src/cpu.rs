//! CPU time of a process, from the scheduler's own accounting (`/proc/PID/task/*/schedstat`,
//! nanoseconds, every thread): what a call costs, whatever else the machine is doing. The tick
//! counts of `/proc/PID/stat` are too coarse and, for processes that ping-pong on loopback,
//! biased towards whichever runs at the tick.

use std::time::Duration;

/// This process's CPU time so far.
pub fn process_cpu() -> Duration {
    cpu_of("self")
}

/// Another process's CPU time so far (a loopback server), by pid.
pub fn child_cpu(pid: u32) -> Duration {
    cpu_of(&pid.to_string())
}

fn cpu_of(pid: &str) -> Duration {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Duration::ZERO;
    };
    let nanos: u64 = tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}
