import CMetronSys
#if canImport(Glibc)
import Glibc
#endif

/// Runs one process at a time and measures it.
///
/// Normally the runs happen in `metron-spawner` (ForkServer.swift, Sources/metron-spawner/main.c),
/// which measures them the same way as the direct path below, written in C. Without it:
/// the wait is a poll(2) on the child's pidfd (plus the interrupt pipe), so the exit is seen the
/// moment it happens, a timeout needs no extra thread, and the process tree's memory can be
/// sampled in between. The child is waited for with WNOWAIT first so its /proc/PID/io can be read
/// from the zombie (it then includes every descendant the child reaped), and only then reaped
/// with wait4 for its rusage.
public final class ProcessRunner {
    /// When true, every child of this process other than the one being measured is treated as an
    /// orphan of the benchmarked tree (re-parented here because this process is a subreaper): it
    /// is killed, reaped and its CPU and I/O counted. True for the CLI, which has no other
    /// children; embedders that spawn processes of their own pass false.
    public let ownsAllChildren: Bool
    /// Whether to sample the tree's resident memory while it runs.
    public var samplesTreeMemory = true

    private let devNull: Int32
    private let selfPID = getpid()
    private var forkServer: ForkServer?

    /// Whether commands start from the small fork server (accurate peak RSS for small commands)
    /// rather than directly from this process.
    public var usesForkServer: Bool { forkServer != nil }

    public init(ownsAllChildren: Bool, useForkServer: Bool = true) {
        self.ownsAllChildren = ownsAllChildren
        _ = metron_set_child_subreaper()
        // Without the fork server, children are created from this thread; see
        // metron_unblock_sigchld for why their exit signal must find it unblocked.
        _ = metron_unblock_sigchld()
        // A dead fork server must surface as a write error, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        if useForkServer {
            forkServer = Prestart.takeForkServer() ?? ForkServer.locate().flatMap { ForkServer(path: $0) }
        }
    }

    deinit {
        if devNull >= 0 { close(devNull) }
    }

    public func prepare(_ spec: LaunchSpec) -> PreparedLaunch {
        PreparedLaunch(spec)
    }

    /// Runs the command once. `timeout` in seconds; the whole tree is killed when it expires.
    public func run(_ launch: PreparedLaunch, timeout: Double? = nil) throws -> ProcessOutcome {
        var result: ProcessOutcome?
        try run(launch, count: 1, timeout: timeout, stopAtFailure: false) { result = $0 }
        guard let result else { throw RunnerError.spawnFailed(launch.spec.arguments.first ?? launch.spec.executablePath, errno: ECHILD) }
        return result
    }

    /// Runs the command `count` times, one after another, handing each outcome to `each` as soon
    /// as it is known. Ends early after a run that failed (non-zero exit, signal, timeout) when
    /// `stopAtFailure`, and after an interrupted run. Through the fork server the runs follow each
    /// other without waiting for this thread, which only collects the outcomes.
    public func run(_ launch: PreparedLaunch, count: Int, timeout: Double? = nil, stopAtFailure: Bool,
                    each: (ProcessOutcome) -> Void) throws {
        let name = launch.spec.arguments.first ?? launch.spec.executablePath
        var delivered = 0
        var ended = false
        if let server = forkServer {
            do {
                try server.run(launch, count: count, timeout: timeout, sampleTree: samplesTreeMemory,
                               stopAtFailure: stopAtFailure) { raw in
                    let outcome = ProcessOutcome(raw)
                    delivered += 1
                    ended = outcome.interrupted || stopAtFailure && outcome.failed
                    each(outcome)
                }
                return
            } catch .spawn(let code) {
                throw RunnerError.spawnFailed(name, errno: code)
            } catch {
                forkServer = nil  // the server died: spawn directly from now on
            }
        }
        while delivered < count && !ended {
            let outcome = try runDirectly(launch, timeout: timeout)
            delivered += 1
            // An interrupt that came as the run ended found nothing to kill: no new run after it.
            ended = outcome.interrupted || stopAtFailure && outcome.failed || Interruption.receivedSignal != nil
            each(outcome)
        }
    }

    /// One run spawned from this process (no fork server): its peak RSS starts from Metron's.
    private func runDirectly(_ launch: PreparedLaunch, timeout: Double?) throws -> ProcessOutcome {
        let name = launch.spec.arguments.first ?? launch.spec.executablePath
        let stdoutFD: Int32 = launch.spec.output == .inherit ? -1 : devNull
        var pid: pid_t = 0
        let start = MonotonicClock.nanoseconds()
        let rc = metron_spawn(&pid, launch.path, launch.argv, launch.envp, devNull, stdoutFD, stdoutFD)
        guard rc == 0 else { throw RunnerError.spawnFailed(name, errno: rc) }
        let deadline = timeout.map { start &+ UInt64(max(0, $0) * 1e9) }
        let wait = waitForExit(pid: pid, start: start, deadline: deadline)
        return finish(pid: pid, wallNanoseconds: wait.end &- start, peakTree: wait.peakTree,
                      timedOut: wait.timedOut, interrupted: wait.interrupted)
    }

    /// Children of this process that belong to Metron itself, not to a measured tree.
    private func ownChildren(excluding pid: pid_t) -> [pid_t] {
        let server = forkServer?.pid
        return ProcFS.childrenOfMainThread(of: selfPID).filter { $0 != pid && $0 != server }
    }

    private struct WaitResult {
        var end: UInt64
        var peakTree: Int64?
        var timedOut = false
        var interrupted = false
    }

    private func waitForExit(pid: pid_t, start: UInt64, deadline: UInt64?) -> WaitResult {
        let pidfd = metron_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        var result = WaitResult(end: start)
        // Sampling starts soon after spawn and backs off, so short commands pay nothing and long
        // ones are sampled at 20 Hz.
        var interval: UInt64 = 2_000_000
        var nextSample = start &+ interval
        var fds = [
            pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: Interruption.readFD, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let now = MonotonicClock.nanoseconds()
            var wake = samplesTreeMemory ? nextSample : UInt64.max
            if let deadline { wake = min(wake, deadline) }
            let waitMs: Int32
            if pidfd < 0 {
                waitMs = 1  // no pidfd (kernel < 5.3): fall back to polling waitid every millisecond
            } else if wake == UInt64.max {
                waitMs = -1
            } else {
                waitMs = wake > now ? Int32(min((wake - now + 999_999) / 1_000_000, 60_000)) : 0
            }
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, fds[1].fd >= 0 ? 2 : 1, waitMs)
            if ready > 0 && fds[0].revents != 0 || pidfd < 0 && metron_wait_exited_nowait(pid, 0) == 1 {
                result.end = MonotonicClock.nanoseconds()
                return result
            }
            if ready > 0 && fds[1].fd >= 0 && fds[1].revents != 0 {
                Interruption.drain()
                if Interruption.receivedSignal != nil {
                    result.end = MonotonicClock.nanoseconds()
                    result.interrupted = true
                    killTree(root: pid)
                    return result
                }
            }
            let after = MonotonicClock.nanoseconds()
            if let deadline, after >= deadline {
                result.end = after
                result.timedOut = true
                killTree(root: pid)
                return result
            }
            if samplesTreeMemory && after >= nextSample {
                let rss = treeResidentBytes(root: pid)
                result.peakTree = max(result.peakTree ?? 0, rss)
                interval = min(interval * 2, 50_000_000)
                nextSample = after &+ interval
            }
        }
    }

    private func finish(pid: pid_t, wallNanoseconds: UInt64, peakTree: Int64?, timedOut: Bool,
                        interrupted: Bool) -> ProcessOutcome {
        _ = metron_wait_exited_nowait(pid, 1)
        var io = IOCounters.read(pid: pid)
        // Background children still in the command's process group do not outlive the run.
        kill(-pid, SIGKILL)
        var usage = rusage()
        var exitCode: Int32 = 0
        var signal: Int32 = 0
        _ = metron_reap(pid, &exitCode, &signal, &usage)
        var outcome = ProcessOutcome(
            wallTime: Double(wallNanoseconds) / 1e9,
            userTime: seconds(usage.ru_utime), systemTime: seconds(usage.ru_stime),
            peakRSS: Int64(usage.ru_maxrss) * 1024, peakRSSTree: peakTree, io: io,
            voluntaryContextSwitches: Int64(usage.ru_nvcsw),
            involuntaryContextSwitches: Int64(usage.ru_nivcsw),
            minorPageFaults: Int64(usage.ru_minflt), majorPageFaults: Int64(usage.ru_majflt),
            exitCode: exitCode >= 0 ? exitCode : nil, signal: signal > 0 ? signal : nil,
            timedOut: timedOut, interrupted: interrupted)
        if ownsAllChildren {
            reapOrphans(excluding: pid, into: &outcome, io: &io)
            outcome.io = io
        }
        return outcome
    }

    /// Kills, reaps and accounts every other child: descendants of the measured process that were
    /// re-parented here when their parent exited (daemons, `cmd &`, `setsid` escapes).
    private func reapOrphans(excluding pid: pid_t, into outcome: inout ProcessOutcome, io: inout IOCounters?) {
        for _ in 0..<64 {
            let orphans = ownChildren(excluding: pid)
            if orphans.isEmpty { return }
            for orphan in orphans {
                killTree(root: orphan)
                _ = metron_wait_exited_nowait(orphan, 1)
                if let counters = IOCounters.read(pid: orphan) { io = (io ?? IOCounters()) + counters }
                var usage = rusage()
                var exitCode: Int32 = 0
                var signal: Int32 = 0
                guard metron_reap(orphan, &exitCode, &signal, &usage) == 0 else { continue }
                outcome.userTime += seconds(usage.ru_utime)
                outcome.systemTime += seconds(usage.ru_stime)
                outcome.peakRSS = max(outcome.peakRSS, Int64(usage.ru_maxrss) * 1024)
                outcome.voluntaryContextSwitches += Int64(usage.ru_nvcsw)
                outcome.involuntaryContextSwitches += Int64(usage.ru_nivcsw)
                outcome.minorPageFaults += Int64(usage.ru_minflt)
                outcome.majorPageFaults += Int64(usage.ru_majflt)
            }
        }
    }

    /// SIGKILL to the process group and to every descendant, including those that moved to
    /// another group or session. Repeated because a dying parent's children are re-parented to
    /// this process only after it is gone.
    func killTree(root: pid_t) {
        kill(-root, SIGKILL)
        for _ in 0..<3 {
            var stack = [root]
            if ownsAllChildren { stack += ownChildren(excluding: root) }
            var seen = Set<pid_t>()
            var found = false
            while let current = stack.popLast() {
                guard seen.insert(current).inserted else { continue }
                kill(current, SIGKILL)
                let children = ProcFS.children(of: current)
                found = found || !children.isEmpty
                stack += children
            }
            if !found { break }
        }
    }

    /// Sum of the resident set sizes of the live tree (shared pages count once per process, as
    /// in `ps`; proportional set size would need smaps, too slow to sample).
    func treeResidentBytes(root: pid_t) -> Int64 {
        var stack = [root]
        if ownsAllChildren { stack += ownChildren(excluding: root) }
        var seen = Set<pid_t>()
        var total: Int64 = 0
        while let current = stack.popLast() {
            guard seen.insert(current).inserted else { continue }
            total += ProcFS.residentBytes(of: current) ?? 0
            stack += ProcFS.children(of: current)
        }
        return total
    }
}

@inline(__always)
private func seconds(_ value: timeval) -> Double {
    Double(value.tv_sec) + Double(value.tv_usec) / 1e6
}
