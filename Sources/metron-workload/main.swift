// Workloads whose true cost is known, for Metron's measurement tests. Standard library and libc
// only, so the process starts in about a millisecond and its own footprint is small and constant.
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
func fail(_ message: String, code: Int32 = 2) -> Never {
    let text = "metron-workload: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(code)
}
func argument(_ index: Int) -> String {
    guard index < arguments.count else {
        fail("missing argument \(index) for \(arguments.dropFirst().first ?? "")")
    }
    return arguments[index]
}
func number(_ index: Int) -> Double {
    guard let value = Double(argument(index)) else {
        fail("not a number: \(argument(index))")
    }
    return value
}

func sleepSeconds(_ seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Allocates and touches `mebibytes` MiB so every page is resident.
func allocateAndTouch(mebibytes: Int) -> UnsafeMutableRawPointer? {
    guard mebibytes > 0 else { return nil }
    let size = mebibytes << 20
    guard let memory = malloc(size) else { exit(3) }
    memset(memory, 0xA5, size)
    return memory
}

func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func writeBytes(_ total: Int, to fd: Int32) {
    let chunk = [UInt8](repeating: 0x4D, count: 1 << 20)
    var left = total
    while left > 0 {
        let count = min(left, chunk.count)
        let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, count) }
        if written < 0 { if errno == EINTR { continue }; exit(4) }
        left -= written
    }
}

func writePID(_ pid: pid_t, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let text = "\(pid)\n"
    _ = text.withCString { write(fd, $0, strlen($0)) }
    close(fd)
}

/// Adds one to the invocation count kept in the file at `path`; the new count.
func countInvocation(_ path: String) -> Int {
    var buffer = [UInt8](repeating: 0, count: 32)
    let input = open(path, O_RDONLY)
    let length = input >= 0 ? buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, 32) } : 0
    if input >= 0 { close(input) }
    let count = (Int(String(decoding: buffer[0..<max(0, length)], as: UTF8.self)) ?? 0) + 1
    // Replaced whole (a new file renamed over it), so a run killed here leaves the old count.
    let temporary = path + ".new"
    let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = String(count).withCString { write(output, $0, strlen($0)) }
    close(output)
    rename(temporary, path)
    return count
}

/// The command name and parent of a process, from /proc/PID/stat ("pid (name) state ppid ...").
func procStat(_ pid: pid_t) -> (name: String, parent: pid_t) {
    let fd = open("/proc/\(pid)/stat", O_RDONLY)
    guard fd >= 0 else { return ("", 0) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let length = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    close(fd)
    let text = String(decoding: buffer[0..<max(0, length)], as: UTF8.self)
    guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return ("", 0) }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return (String(text[text.index(after: open)..<close]), fields.count > 1 ? pid_t(fields[1]) ?? 0 : 0)
}

switch argument(1) {
case "noop":
    break
case "sleep":
    // With a third argument, appends the time really slept (monotonic clock, seconds): the kernel
    // may oversleep under load, and that is not the measuring tool's error.
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    sleepSeconds(number(2))
    clock_gettime(CLOCK_MONOTONIC, &end)
    if arguments.count > 3 {
        let slept = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        let fd = open(argument(3), O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let text = "\(slept)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
case "alloc":
    let memory = allocateAndTouch(mebibytes: Int(number(2)))
    if arguments.count > 3 { sleepSeconds(number(3)) }
    free(memory)
case "burn":
    let target = number(2)
    var sink: UInt64 = 1
    while processCPUSeconds() < target {
        for i in 0..<10_000 { sink = sink &* 6_364_136_223_846_793_005 &+ UInt64(i) }
    }
    if sink == 42 { print(sink) }
case "write":
    let fd = open(argument(3), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { exit(5) }
    writeBytes(Int(number(2)), to: fd)
    close(fd)
case "child-write":
    // The child writes, the parent reaps it: the bytes must fold into the parent's counters.
    let child = fork()
    if child == 0 {
        let fd = open(argument(3), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        writeBytes(Int(number(2)), to: fd)
        close(fd)
        _exit(0)
    }
    var status: Int32 = 0
    waitpid(child, &status, 0)
case "flood":
    writeBytes(Int(number(2)), to: 1)
case "fork-hold":
    // A child holds N MiB for S seconds while the parent holds nothing extra.
    let child = fork()
    if child == 0 {
        let memory = allocateAndTouch(mebibytes: Int(number(2)))
        sleepSeconds(number(3))
        free(memory)
        _exit(0)
    }
    var status: Int32 = 0
    waitpid(child, &status, 0)
case "orphan", "orphan-session":
    // Leaves a background child behind and exits at once; with "orphan-session" the child also
    // leaves the process group (setsid), as daemons do.
    let child = fork()
    if child == 0 {
        if argument(1) == "orphan-session" { setsid() }
        writePID(getpid(), to: argument(2))
        sleepSeconds(120)
        _exit(0)
    }
    sleepSeconds(0.05)
case "orphan-write":
    // A child leaves the session, writes N bytes to a file and stays behind when the parent
    // exits: Metron must kill it and still count its bytes (they reach the parent only as an
    // orphan's). The parent waits for the write through a pipe: 1 byte written, 1 read.
    var ready: [Int32] = [-1, -1]
    guard pipe(&ready) == 0 else { exit(5) }
    let child = fork()
    if child == 0 {
        setsid()
        let fd = open(argument(3), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        writeBytes(Int(number(2)), to: fd)
        close(fd)
        var byte: UInt8 = 1
        _ = write(ready[1], &byte, 1)
        sleepSeconds(120)
        _exit(0)
    }
    var byte: UInt8 = 0
    _ = read(ready[0], &byte, 1)
case "spawn-hang":
    // A tree: parent and a child both hang; the child's pid is written for the test to check.
    let child = fork()
    if child == 0 {
        writePID(getpid(), to: argument(2))
        sleepSeconds(3600)
        _exit(0)
    }
    sleepSeconds(3600)
case "hang":
    sleepSeconds(3600)
case "crash":
    // Swift's runtime catches SIGSEGV to print a backtrace; crash the way a C program would.
    signal(SIGSEGV, SIG_DFL)
    raise(SIGSEGV)
case "exit":
    exit(Int32(number(2)))
case "signal-ancestor":
    // Sends signal argument(3) to the nearest ancestor whose command name is argument(2), then
    // exits at once: the signal lands as the run ends, not while it runs.
    var pid = getppid()
    while pid > 1 {
        let stat = procStat(pid)
        if stat.name == argument(2) {
            kill(pid, Int32(number(3)))
            exit(0)
        }
        pid = stat.parent
    }
    fail("no ancestor named \(argument(2))")
case "fail-on":
    // Counts invocations in a file and exits 1 on the Nth (1-based).
    if countInvocation(argument(3)) == Int(number(2)) { exit(1) }
case "sleep-on":
    // Counts invocations in argument(4) and sleeps argument(3) seconds on the Nth (1-based).
    if countInvocation(argument(4)) == Int(number(2)) { sleepSeconds(number(3)) }
default:
    fail("unknown workload \(argument(1))")
}
