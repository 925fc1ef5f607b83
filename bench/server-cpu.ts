import { readdirSync, readFileSync } from 'node:fs';

// CPU time of a PostgreSQL server running on this machine, read from /proc: the postgres processes'
// user and system time, plus that of the backends and parallel workers they have already reaped. A
// benchmark on a 2-core machine shares both cores with the server, so its wall time is bounded below
// by (client CPU + server CPU) / 2; printing the server's share shows where a run's time went.
// Null where /proc is not there or no postgres process is visible (a server on another machine).

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function localPostgresCpuSeconds(): number | null {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  let ticks = 0;
  let found = false;
  for (const pid of dirs) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces, so fields are counted after its ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    if (comm !== 'postgres') continue;
    const fields = stat
      .slice(close + 2)
      .split(' ')
      .map(Number);
    // After comm: state is field 3 (index 0 here); utime, stime, cutime, cstime are fields 14-17.
    ticks += (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    found = true;
  }
  return found ? ticks / TICKS_PER_SECOND : null;
}
